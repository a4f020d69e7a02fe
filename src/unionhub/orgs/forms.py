from django import forms
from django.utils.translation import gettext_lazy as _

from unionhub.core import uploads
from unionhub.core.uploads import LimitedImageField
from unionhub.core.widgets import UnitPicker
from unionhub.orgs.models import Level, Role, Sector


class UnitFoundForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=255)
    short_name = forms.CharField(label=_("Symbol"), max_length=40, required=False)
    level = forms.TypedChoiceField(label=_("Level"), choices=Level.choices, coerce=int)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    founded = forms.DateField(label=_("Founded"))


class UnitEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    short_name = forms.CharField(label=_("Symbol"), max_length=40, required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)


class UnitLogoForm(forms.Form):
    logo = LimitedImageField(
        label=_("Logo"),
        kind=uploads.UNIT_LOGO,
        required=False,
        help_text=_("A square picture works best; a PNG with a transparent background is kept."),
    )
    remove = forms.BooleanField(
        label=_("Remove the logo (the logo of the unit above is shown)"), required=False
    )

    def clean(self):
        data = super().clean()
        if not data.get("logo") and not data.get("remove"):
            raise forms.ValidationError(_("Choose a picture, or tick the box to remove the logo."))
        return data


class UnitMoveForm(forms.Form):
    new_parent = forms.CharField(
        label=_("New parent unit"), max_length=32, widget=UnitPicker(role="unit_admin")
    )
    effective = forms.DateField(label=_("Effective from"))


class UnitDissolveForm(forms.Form):
    effective = forms.DateField(label=_("Effective from"))
    merged_into = forms.CharField(
        label=_("Merged into (optional)"), max_length=32, required=False, widget=UnitPicker()
    )


class OfficerInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
