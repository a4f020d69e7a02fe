"""Writes of the privacy app, each with its audit row: consents (`consents`), the member's own
sign-in and correction requests (`selfservice`), and the breach register (`breaches`)."""

from unionhub.privacy.services.breaches import (
    access_log_exported,
    breach_close,
    breach_notify_authority,
    breach_notify_people,
    breach_record,
)
from unionhub.privacy.services.consents import (
    anonymous_name,
    consent_record,
    consent_withdraw,
    consents_import,
    member_anonymise,
    subject_export,
)
from unionhub.privacy.services.selfservice import (
    consent_withdraw_by_member,
    correction_approve,
    correction_reject,
    correction_request,
    sign_in_code_check,
    sign_in_code_send,
    sign_in_link_create,
    sign_in_link_use,
    subject_export_by_member,
)

__all__ = [
    "access_log_exported",
    "anonymous_name",
    "breach_close",
    "breach_notify_authority",
    "breach_notify_people",
    "breach_record",
    "consent_record",
    "consent_withdraw",
    "consent_withdraw_by_member",
    "consents_import",
    "correction_approve",
    "correction_reject",
    "correction_request",
    "member_anonymise",
    "sign_in_code_check",
    "sign_in_code_send",
    "sign_in_link_create",
    "sign_in_link_use",
    "subject_export",
    "subject_export_by_member",
]
