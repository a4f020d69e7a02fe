"""A registrar admits a member with a photo, finds them without diacritics, transfers them;
the receiving unit accepts, and the member's timeline shows both steps."""

import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from tests.factories import make_user
from unionhub.core import scope
from unionhub.members.models import Member
from unionhub.orgs import services

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def registrars(tree):
    sender = make_user("coso1", first_name="Hoa", last_name="Hồ Thị")
    receiver = make_user("coso2", first_name="Lan", last_name="Võ Thị")
    services.role_grant(user=sender, unit=tree.grassroots_a1, role=scope.REGISTRAR, by=tree.admin)
    services.role_grant(user=receiver, unit=tree.grassroots_b1, role=scope.REGISTRAR, by=tree.admin)
    return sender, receiver


@pytest.fixture
def phone_photo(tmp_path):
    path = tmp_path / "IMG_2041.jpg"
    image = Image.new("RGB", (1200, 1600), (180, 120, 90))
    exif = Image.Exif()
    exif.get_ifd(0x8825)[1] = "N"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    path.write_bytes(out.getvalue())
    return path


def test_admit_find_transfer_accept(
    login, page, live_server, tree, registrars, phone_photo, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    login("coso1", "pw-coso1")
    page.goto(f"{live_server.url}/units/{tree.grassroots_a1.pk}/")
    page.get_by_test_id("members-panel").locator("a[href$='/admit/']").click()

    page.fill("input[name=full_name]", "Đặng Văn Trọng")
    page.select_option("select[name=gender]", "male")
    page.fill("input[name=birth_date]", "1991-03-14")
    page.fill("input[name=id_number]", "042091004567")
    page.fill("input[name=joined]", "2024-09-01")
    page.set_input_files("input[name=photo]", str(phone_photo))
    page.get_by_test_id("save").click()

    member = Member.objects.get()
    expect(page).to_have_url(f"{live_server.url}/members/{member.pk}/")
    photo = page.get_by_test_id("member-photo").locator("img")
    expect(photo).to_be_visible()
    # The photo may still be loading when it becomes visible: wait until it has decoded.
    page.wait_for_function(
        "() => { const img = document.querySelector('[data-testid=member-photo] img');"
        " return img.complete && img.naturalWidth > 0; }"
    )
    assert (
        page.evaluate("document.querySelector('[data-testid=member-photo] img').naturalWidth")
        == 600
    )

    page.goto(f"{live_server.url}/members/")
    page.get_by_test_id("member-search").fill("dang van trong")
    result = page.get_by_test_id("member-list").get_by_role("link", name="Đặng Văn Trọng")
    expect(result).to_be_visible()
    result.click()

    page.locator(f"a[href='/members/{member.pk}/transfer/']").click()
    page.fill("input[name=to_unit]", tree.grassroots_b1.code)
    page.fill("input[name=effective]", timezone.localdate().isoformat())
    page.get_by_test_id("save").click()
    expect(
        page.get_by_test_id("member-timeline").locator("[data-action='members.transfer.requested']")
    ).to_have_count(1)

    page.context.clear_cookies()
    login("coso2", "pw-coso2")
    page.goto(f"{live_server.url}/members/transfers/")
    incoming = page.get_by_test_id("transfers-incoming")
    expect(incoming).to_contain_text("Đặng Văn Trọng")
    incoming.get_by_role("link").first.click()
    page.locator("form[action$='/accept/'] button").click()
    expect(page.get_by_test_id("transfer-status")).to_have_attribute("data-status", "accepted")
    page.goto(f"{live_server.url}/members/{member.pk}/")
    timeline = page.get_by_test_id("member-timeline")
    expect(timeline.locator("[data-action='members.transfer.requested']")).to_have_count(1)
    expect(timeline.locator("[data-action='members.transfer.accepted']")).to_have_count(1)
    expect(page.get_by_test_id("member-status")).to_contain_text(tree.grassroots_b1.name)
