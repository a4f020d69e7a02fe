"""A commune union founded on 01/07/2025 records, through the admit form, a teacher who joined
the trade union in 1998 at her school: she is on the union's books from the founding day, her
union join date kept and shown."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.factories import make_user
from unionhub.core import scope
from unionhub.members.models import EventKind, Member
from unionhub.orgs import services
from unionhub.orgs.models import Level

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_commune_union_records_a_member_who_joined_the_union_in_1998(
    login, page, live_server, tree
):
    commune = services.unit_found(
        code="HT-XDT",
        name="Công đoàn xã Đức Thọ",
        level=Level.DIRECT_UPPER,
        parent=tree.province,
        founded=dt.date(2025, 7, 1),
        by=tree.admin,
    )
    clerk = make_user("cdxa", first_name="Hà", last_name="Lê Thị")
    services.role_grant(user=clerk, unit=commune, role=scope.REGISTRAR, by=tree.admin)
    login("cdxa", "pw-cdxa")
    page.goto(f"{live_server.url}/units/{commune.pk}/")
    page.get_by_test_id("members-panel").locator("a[href$='/admit/']").click()

    page.fill("input[name=full_name]", "Phan Thị Thu Hằng")
    page.select_option("select[name=gender]", "female")
    page.fill("input[name=birth_date]", "1976-02-09")
    page.fill("input[name=id_number]", "042176004321")
    page.fill("input[name=joined]", "1998-09-01")
    # Admitted on 01/09/1998 into a union founded in 2025: refused, and the page says why.
    page.get_by_test_id("save").click()
    expect(page.get_by_role("alert")).to_contain_text("01/07/2025")
    assert not Member.objects.exists()

    page.check("input[name=entry][value=record]")
    page.fill("input[name=books_open]", "2025-07-01")
    page.get_by_test_id("save").click()

    member = Member.objects.get()
    expect(page).to_have_url(f"{live_server.url}/members/{member.pk}/")
    expect(page.get_by_test_id("member-joined")).to_contain_text("01/09/1998")
    history = page.get_by_test_id("member-events")
    expect(history).to_contain_text("01/07/2025")
    assert member.joined == dt.date(1998, 9, 1)
    assert list(member.events.values_list("kind", "date", "unit_id")) == [
        (EventKind.RECORDED, dt.date(2025, 7, 1), commune.pk)
    ]
