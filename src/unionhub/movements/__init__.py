"""Emulation movements and campaigns: a unit runs a campaign for its subtree, units and members
register and submit entries, a jury scores them criterion by criterion, and `scoring` combines
each juror's totals by the campaign's stated rule into a ranking."""
