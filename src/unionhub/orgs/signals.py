"""Signals by which upper apps follow changes of the tree without orgs importing them.

Receivers run inside the service's transaction: raising DomainError refuses the change.
"""

from django.dispatch import Signal

# Sent before a unit is dissolved: kwargs unit, effective, by, merged_into.
unit_dissolving = Signal()
# Sent after a unit was moved: kwargs unit, old_parent, new_parent, effective, by.
unit_moved = Signal()
