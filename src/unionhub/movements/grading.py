"""The year-end classification's rule, pure (no database).

Stated rule:
- The classes are ordered by the points they start from, highest first; the lowest starts
  from 0, so every total has a class.
- A union's class is the highest class whose starting points its total reaches.
- A class with a quota is given to at most that many unions. A union whose total earns a class
  that is already full is refused (QuotaFull), never moved down silently: the upper level
  decides whom to re-score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Band:
    key: int  # the class's id
    min_points: int
    quota: int | None = None


class QuotaFull(Exception):
    def __init__(self, band: Band) -> None:
        super().__init__(band)
        self.band = band


def band_for(total: Decimal, bands: Sequence[Band]) -> Band:
    """The highest band whose starting points `total` reaches."""
    reached = [b for b in bands if total >= b.min_points]
    if not reached:
        raise ValueError("the lowest class must start from 0")
    return max(reached, key=lambda b: b.min_points)


def assign(total: Decimal, bands: Sequence[Band], taken: Mapping[int, int]) -> Band:
    """The band `total` earns, given how many unions (not counting this one) hold each band;
    QuotaFull when that band's quota is used up."""
    band = band_for(total, bands)
    if band.quota is not None and taken.get(band.key, 0) >= band.quota:
        raise QuotaFull(band)
    return band
