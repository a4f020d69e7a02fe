"""The demo's data files (names, places, employers) and deterministic weighted choice."""

from __future__ import annotations

import bisect
import csv
import itertools
import random
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle, delimiter="\t"))


class Weighted:
    """Draws from a weighted list in O(log n) per draw with a caller-supplied Random."""

    def __init__(self, items: list[str], weights: list[float]) -> None:
        self.items = items
        self.cumulative = list(itertools.accumulate(weights))

    @classmethod
    def from_file(cls, name: str, column: str = "name") -> Weighted:
        data = rows(name)
        return cls([r[column] for r in data], [float(r["weight"]) for r in data])

    def draw(self, rng: random.Random) -> str:
        point = rng.random() * self.cumulative[-1]
        return self.items[bisect.bisect_right(self.cumulative, point)]
