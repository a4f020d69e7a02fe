"""An election of the province congress, built by the services."""

from __future__ import annotations

from tests.congress.helpers import Setup
from unionhub.elections import services
from unionhub.elections.models import Election, Round

NAMES = ["Nguyễn Thị Hoa", "Trần Văn Khánh", "Lê Thị Lan", "Phạm Văn Minh"]


def make_election(setup: Setup, *, seats: int = 2, names: list[str] = NAMES) -> Election:
    return services.election_create(
        congress=setup.congress,
        session=setup.opening,
        body="executive",
        title="Bầu Ban Chấp hành",
        seats=seats,
        candidates=names,
        by=setup.organiser,
    )


def open_round(setup: Setup, election: Election, method: str) -> Round:
    round = services.round_prepare(election=election, method=method, by=setup.organiser)
    return services.round_open(round=round, by=setup.organiser)


def candidate_ids(round: Round) -> dict[str, int]:
    return dict(round.candidates.values_list("full_name", "pk"))
