from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionhub.core import registry
from unionhub.core.registry import ImportColumn, NavItem
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


def _consents_import(purpose: str):
    def record(values, *, unit, by, source) -> int:
        from unionhub.privacy import services

        return services.consents_import(
            values=values, purpose=purpose, unit=unit, by=by, source=source
        )

    return record


_CONSENT_HINT = "Ngày đoàn viên ký phiếu đồng ý (dd/mm/yyyy), hoặc “Có” nếu ký hôm nay"


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
    # The consents on the union's paper forms, carried by the member list (the purposes' values
    # are written out: the models cannot be imported before the app registry is ready).
    import_columns = [
        ImportColumn(
            "privacy.registry",
            "Đồng ý xử lý dữ liệu cá nhân",
            _("Consent: keeping the member registry"),
            _consents_import("registry"),
            synonyms=("dong y xu ly du lieu", "dong y du lieu ca nhan", "consent registry"),
            hint=_CONSENT_HINT,
        ),
        ImportColumn(
            "privacy.photo",
            "Đồng ý dùng ảnh",
            _("Consent: photo on the card"),
            _consents_import("photo"),
            synonyms=("dong y su dung anh", "dong y anh", "consent photo"),
            hint=_CONSENT_HINT,
        ),
        ImportColumn(
            "privacy.public",
            "Đồng ý công khai tên",
            _("Consent: name on public pages"),
            _consents_import("public"),
            synonyms=("dong y cong khai", "dong y cong khai ten", "consent public"),
            hint=_CONSENT_HINT,
        ),
        ImportColumn(
            "privacy.contact",
            "Đồng ý nhận tin nhắn",
            _("Consent: contact by SMS or e-mail"),
            _consents_import("contact"),
            synonyms=("dong y lien he", "dong y nhan sms", "dong y nhan tin", "consent contact"),
            hint=_CONSENT_HINT,
        ),
    ]
    member_panels = [_member_panel]
    # Decree 13/2023 art. 11: the holder's photo is shown to the public only with their consent.
    public_photo_checks = [_photo_consent]
