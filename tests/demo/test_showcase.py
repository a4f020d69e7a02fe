"""What the demo shows beyond members: a congress sitting today with delegates checked in, an
LED screen whose kiosk link `make run` prints, an open reporting round with late units,
transfers waiting and documents unread."""

from __future__ import annotations

import datetime as dt
import random

from django.test import Client
from django.utils import timezone

from tests.factories import admit
from unionhub.congress import demo as congress_demo
from unionhub.congress.selectors import attendance_figures
from unionhub.core import scope
from unionhub.demo import members as demo_members
from unionhub.demo.province import Province
from unionhub.display import demo as display_demo
from unionhub.members.models import Transfer, TransferStatus
from unionhub.reports import demo as reports_demo
from unionhub.reports.models import ReportRound


def _province(tree, commune) -> Province:
    return Province(root=tree.root, province=tree.province, communes_2025=[commune])


def test_a_congress_sits_today_with_delegates_checked_in(tree, commune):
    congress_demo.sitting_today(
        province=_province(tree, commune), rng=random.Random(1), by=tree.admin, log=print
    )
    congress = display_demo.sitting_today(tree.province)
    assert congress is not None and congress.unit == commune
    session = congress.sessions.get(kind="official")
    assert timezone.localtime(session.starts_at).date() == timezone.localdate()
    figures = attendance_figures(session=session, delegations=False)
    assert (figures.present, figures.expected) == (
        congress_demo.TODAY_PRESENT,
        congress_demo.TODAY_DELEGATES,
    )


def test_the_screen_link_is_kept_for_make_run_and_opens_the_wall(tree, commune, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    province = _province(tree, commune)
    congress_demo.sitting_today(province=province, rng=random.Random(1), by=tree.admin, log=print)
    display_demo.populate(province=province, rng=random.Random(2), by=tree.admin, log=print)
    path = (tmp_path / display_demo.KIOSK_PATH_FILE).read_text().strip()
    response = Client().get(path)
    assert response.status_code == 200
    kinds = [slide["kind"] for slide in response.context["data"]["slides"]]
    assert kinds == ["membership", "breakdown", "attendance", "programme", "text", "qr"]


def test_the_reporting_round_is_open_with_late_units(tree, monkeypatch):
    monkeypatch.setattr(reports_demo, "SUBMITTED", 1)
    admit(tree.grassroots_a1, tree.admin, joined=dt.date(2015, 1, 1))
    reports_demo.populate(
        province=Province(root=tree.root, province=tree.province),
        rng=random.Random(3),
        by=tree.admin,
        log=print,
    )
    report_round = ReportRound.objects.get(unit=tree.province)
    assert report_round.deadline < timezone.localdate()
    assert report_round.submissions.count() == 1  # the other district is late


def test_transfers_wait_for_the_grassroots_officers(tree, officer_at):
    from unionhub.members.selectors import transfers_incoming

    receiving = officer_at(tree.grassroots_b1, scope.REGISTRAR)
    receiving.username = "coso1"
    receiving.save()
    for _ in range(3):
        admit(tree.grassroots_a1, tree.admin, joined=dt.date(2015, 1, 1))
    demo_members.pending_transfers(rng=random.Random(4), by=tree.admin, log=print)
    assert Transfer.objects.filter(status=TransferStatus.PENDING).count() == 3
    scope.forget(receiving)
    assert transfers_incoming(user=receiving).count() == 3
