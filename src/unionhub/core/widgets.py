"""Form widgets every app shares."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy

# The scoped search the picker asks as the officer types; it lives with the units (orgs), the
# widget here so that every app's forms, and templates without a form, use the same one.
UNIT_OPTIONS_URL = reverse_lazy("orgs:unit_options")


class UnitPicker(forms.TextInput):
    """A unit chosen by typing part of its name or code (diacritics optional) and picking from
    the units the officer may choose: a province has over a thousand, too many for a drop-down.
    The field's value is the unit's code, so it works without script too.

    `role`: only units where the officer holds that role are offered; `anywhere`: any active
    unit that holds members (the receiving union of a transfer may be outside one's scope)."""

    template_name = "core/widgets/unit_picker.html"

    def __init__(
        self, attrs: dict[str, Any] | None = None, *, role: str = "", anywhere: bool = False
    ) -> None:
        super().__init__(attrs)
        self.role = role
        self.anywhere = anywhere

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        params = [f"field={name}"]
        if self.role:
            params.append(f"role={self.role}")
        if self.anywhere:
            params.append("anywhere=1")
        context["widget"]["options_url"] = f"{UNIT_OPTIONS_URL}?{'&'.join(params)}"
        return context


class UnitField(forms.ModelChoiceField[Any]):
    """A unit among `queryset`, entered with the UnitPicker by its code."""

    widget = UnitPicker

    def __init__(self, *, queryset: Any = None, role: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("widget", UnitPicker(role=role))
        super().__init__(queryset=queryset, to_field_name="code", **kwargs)

    def to_python(self, value: Any) -> Any:
        return super().to_python(value.strip().upper() if isinstance(value, str) else value)
