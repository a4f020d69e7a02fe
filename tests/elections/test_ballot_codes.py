"""Signed QR codes on paper ballots: the scanner finds the ballot; a home-made or altered code,
or one of another round, is refused."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.urls import reverse

from tests.elections.helpers import make_election, open_round
from unionhub.core.errors import DomainError
from unionhub.elections import pdf, selectors, tokens

pytestmark = pytest.mark.django_db


@pytest.fixture
def round(setup):
    return open_round(setup, make_election(setup), "paper")


def test_a_scanned_code_or_a_typed_serial_finds_the_ballot(round):
    ballot = round.paper_ballots.order_by("serial")[2]
    assert selectors.paper_ballot_find(round=round, text=pdf.ballot_code(ballot)) == ballot
    assert selectors.paper_ballot_find(round=round, text=f" {ballot.serial} ") == ballot


@pytest.mark.parametrize(
    "forge",
    [
        lambda code: code[:-3] + ("AAA" if code[-3:] != "AAA" else "BBB"),  # altered signature
        lambda code: "UH-BALLOT-1-0003",  # the old unsigned form, or a home-made one
        lambda code: "",
        lambda code: "%%%not-base64%%%",
    ],
)
def test_a_code_that_does_not_verify_is_not_an_official_ballot(round, forge):
    code = pdf.ballot_code(round.paper_ballots.first())
    with pytest.raises(DomainError) as refused:
        selectors.paper_ballot_find(round=round, text=forge(code))
    assert refused.value.code in ("ballot_code_forged", "no_such_serial")


def test_a_genuine_code_of_another_round_is_refused(setup, round):
    other = open_round(setup, make_election(setup, seats=1), "paper")
    code = tokens.ballot_code(round_id=other.pk, serial=1)
    with pytest.raises(DomainError) as refused:
        selectors.paper_ballot_find(round=round, text=code)
    assert refused.value.code == "ballot_other_round"


def test_the_counting_page_goes_to_the_scanned_ballot_or_says_why_not(client, setup, round):
    ballot = round.paper_ballots.order_by("serial").last()
    client.force_login(setup.organiser)
    find = reverse("elections:ballot_find", args=[round.pk])
    response = client.get(find, {"serial": pdf.ballot_code(ballot)})
    assert response.headers["Location"] == reverse("elections:ballot", args=[ballot.pk])
    response = client.get(find, {"serial": "UH-BALLOT-1-0001"}, follow=True)
    assert "không phải mã QR của phiếu bầu chính thức" in response.content.decode()


@pytest.mark.skipif(
    not (shutil.which("zbarimg") and shutil.which("pdftoppm")),
    reason="needs zbar-tools and poppler-utils",
)
def test_the_printed_qr_reads_back_as_the_signed_code(round, tmp_path):
    ballot = round.paper_ballots.order_by("serial").first()
    out = io.BytesIO()
    pdf.ballots_pdf(out, round=round, ballots=[ballot], names=["Nguyễn Thị Hoa", "Lê Thị Lan"])
    (tmp_path / "ballot.pdf").write_bytes(out.getvalue())
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "ballot.pdf", "page"], cwd=tmp_path, check=True
    )
    png = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert selectors.paper_ballot_find(round=round, text=decoded) == ballot
