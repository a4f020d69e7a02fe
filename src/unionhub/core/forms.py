"""What every app's forms share."""

from __future__ import annotations

from django import forms

from unionhub.core.errors import DomainError


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a write the services refused on the form: on the field the error names when the form
    has that field, else above the form."""
    form.add_error(error.field if error.field in form.fields else None, str(error.message))
