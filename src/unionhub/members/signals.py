"""Signals by which upper apps (cards, congress, reports) follow members without an import cycle.

Receivers run inside the service's transaction; raising DomainError refuses the change.
"""

from django.dispatch import Signal

# Sent after a membership event was recorded and the member's cached state updated.
# kwargs: member, event (MembershipEvent), by.
membership_changed = Signal()
# Sent after a member's profile fields changed.
# kwargs: member, changed (dict field -> [old, new]), by.
member_updated = Signal()
