"""Every change to members: admission, profile edits, photos, membership events and transfers.

Membership events are the source of truth (DESIGN §2). Each service records its event(s), keeps
the member's cached state and its MembershipPeriod rows in step, and writes the audit row, all in
one transaction; `lifecycle.step` decides whether the event may follow the member's history.

One module per topic; every public name is re-exported here, so that callers keep writing
`from unionhub.members.services import X` (or `services.X`) whichever module holds X.
"""

from __future__ import annotations

from unionhub.members.services._base import MIN_AGE_AT_ADMISSION, PROFILE_FIELDS
from unionhub.members.services.admission import (
    check_unit_takes_members,
    member_admit,
    member_enter,
    member_record,
    recorded_on,
)
from unionhub.members.services.lifecycle import (
    member_decease,
    member_leave,
    member_reinstate,
    member_resume,
    member_retire,
    member_suspend,
)
from unionhub.members.services.lookups import (
    LookupLimited,
    document_lookup,
    document_lookups_record,
    lookup_limited,
    member_sensitive_view,
)
from unionhub.members.services.photos import SHARED_PHOTO_PREFIX, member_photo_set
from unionhub.members.services.profile import (
    changes_since,
    check_birth_date,
    check_joined,
    clean_profile,
    member_list_exported,
    member_update,
    profile_warnings,
)
from unionhub.members.services.reorganisation import (
    members_move_by_reorganisation,
    on_unit_dissolving,
)
from unionhub.members.services.transfers import (
    transfer_accept,
    transfer_cancel,
    transfer_reject,
    transfer_request,
)

__all__ = [
    "MIN_AGE_AT_ADMISSION",
    "PROFILE_FIELDS",
    "SHARED_PHOTO_PREFIX",
    "LookupLimited",
    "changes_since",
    "check_birth_date",
    "check_joined",
    "check_unit_takes_members",
    "clean_profile",
    "document_lookup",
    "document_lookups_record",
    "lookup_limited",
    "member_admit",
    "member_decease",
    "member_enter",
    "member_leave",
    "member_list_exported",
    "member_photo_set",
    "member_record",
    "member_reinstate",
    "member_resume",
    "member_retire",
    "member_sensitive_view",
    "member_suspend",
    "member_update",
    "members_move_by_reorganisation",
    "on_unit_dissolving",
    "profile_warnings",
    "recorded_on",
    "transfer_accept",
    "transfer_cancel",
    "transfer_reject",
    "transfer_request",
]
