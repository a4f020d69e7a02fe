"""What every app's forms share."""

from __future__ import annotations

from typing import Any

from django import forms

from unionhub.core.errors import DomainError

# Bounds of the whole numbers that forms and the API take: a larger number is refused with the
# field's message, never handed to a database that cannot hold it (SQLite raises OverflowError
# past 64 bits, PostgreSQL "out of range" past a column's type): a 500 either way.
LARGEST_KEY = 2**63 - 1  # a row's key: both databases' 64-bit integers
MAX_VND = 10**15  # a sum of money: above the confederation's dues of a year (~6 × 10^12 đồng)
MAX_COUNT = 2**31 - 1  # a count (votes, people, versions): PostgreSQL's integer column
MAX_SMALL = 2**15 - 1  # an order or small count: PostgreSQL's smallint column


class AmountField(forms.IntegerField):
    """A sum of money in whole đồng, from `min_value` (1 unless said) to MAX_VND."""

    def __init__(self, *, min_value: int = 1, **kwargs: Any) -> None:
        super().__init__(min_value=min_value, max_value=MAX_VND, **kwargs)


class KeyField(forms.IntegerField):
    """A row's key typed or posted back (a member number, a unit's id): a positive integer
    within the databases' keys; the view looks it up in scope."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=LARGEST_KEY, **kwargs)


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a write the services refused on the form: on the field the error names when the form
    has that field, else above the form."""
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


def errors_in_words(form: forms.Form) -> str:
    """A form's errors as one line for a message after a redirect: each field's label and what
    is wrong with it ("Amount (VND): Ensure this value is less than or equal to …")."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        text = " ".join(str(error) for error in errors)
        parts.append(f"{field.label}: {text}" if field is not None and field.label else text)
    return " ".join(parts)
