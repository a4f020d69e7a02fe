"""From card rows to PDFs: the card faces (with their signed QR links) and the per-unit files."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from itertools import groupby
from typing import IO

from unionhub.cards import photos, render
from unionhub.cards.models import Card
from unionhub.cards.selectors import card_token


def verify_url(card: Card, base_url: str) -> str:
    """The link in the card's QR code: <site>/v/<token>."""
    return f"{base_url.rstrip('/')}/v/{card_token(card)}"


def faces_for(
    cards: Iterable[Card], base_url: str, advance: Callable[[], None] | None = None
) -> Iterator[render.CardFace]:
    """The printed content of each card, with the print-ready copy of the member's photo (made
    on the photo's first print; ~15 KB in memory, as a sheet draws ten faces after reading them)."""
    for card in cards:
        member = card.member
        if card.number is None or card.issued is None:
            raise ValueError("only numbered, issued cards are printed")
        photo = photos.print_photo(member.photo.name) if member.photo.name else None
        yield render.CardFace(
            full_name=member.full_name,
            birth_date=member.birth_date,
            joined=member.joined,
            unit_name=card.unit.name,
            number=card.number,
            issued=card.issued,
            url=verify_url(card, base_url),
            photo=photo,
        )
        if advance:
            advance()


def render_cards(cards: Iterable[Card], out: IO[bytes], *, layout: str, base_url: str) -> int:
    return render.render(faces_for(cards, base_url), out, layout=layout, title="UnionHub")


def render_per_unit(
    cards: Iterable[Card],
    out: IO[bytes],
    *,
    layout: str,
    base_url: str,
    advance: Callable[[], None] | None = None,
) -> list[str]:
    """A ZIP with one PDF per unit (cards ordered by unit, then name); returns the file names."""
    names = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for _unit_id, grouped in groupby(cards, key=lambda c: c.unit_id):
            group = list(grouped)
            unit = group[0].unit
            buffer = io.BytesIO()
            render.render(
                faces_for(group, base_url, advance), buffer, layout=layout, title=unit.name
            )
            name = f"{unit.code}-{layout}.pdf"
            archive.writestr(name, buffer.getvalue())
            names.append(name)
    return names
