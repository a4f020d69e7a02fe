from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionhub.core import registry
from unionhub.core.registry import NavItem
from unionhub.privacy.actions import PERSONAL_DATA_ACTIONS, Action


def _member_panel(request, member):
    from unionhub.privacy.views import member_panel

    return member_panel(request, member)


def _corrections_badge(request) -> int:
    from unionhub.privacy import selectors

    return selectors.corrections(user=request.user).count()


def _photo_consent(member) -> bool:
    from unionhub.privacy import selectors
    from unionhub.privacy.models import Purpose

    return selectors.has_consent(member=member, purpose=Purpose.PHOTO)


class PrivacyConfig(AppConfig):
    name = "unionhub.privacy"
    label = "privacy"
    verbose_name = _("Personal data protection")
    audit_actions = Action
    personal_data_actions = PERSONAL_DATA_ACTIONS
    nav_items = [
        NavItem(
            _("Consents"),
            "privacy:consents",
            role="registrar",
            order=60,
            area=registry.ADMINISTRATION,
        ),
        NavItem(
            _("Correction requests"),
            "privacy:corrections",
            role="registrar",
            order=61,
            badge=_corrections_badge,
            area=registry.ADMINISTRATION,
        ),
        NavItem(
            _("Access log"),
            "privacy:access_log",
            role="data_protection",
            order=62,
            area=registry.ADMINISTRATION,
        ),
        NavItem(
            _("Breach register"),
            "privacy:breaches",
            role="data_protection",
            order=63,
            area=registry.ADMINISTRATION,
        ),
        NavItem(
            _("Record of processing"),
            "privacy:processing_record",
            role="data_protection",
            order=64,
            area=registry.ADMINISTRATION,
        ),
    ]
    member_panels = [_member_panel]
    # Decree 13/2023 art. 11: the holder's photo is shown to the public only with their consent.
    public_photo_checks = [_photo_consent]
