"""A province clerk issues a document to a district's subtree; a grassroots officer opens it; the
clerk sees the read receipt; the grassroots officer marks it done."""

import re

import pytest
from playwright.sync_api import expect

from tests.dispatch.helpers import pdf_bytes
from tests.factories import make_user
from unionhub.core import scope
from unionhub.dispatch.models import Document
from unionhub.orgs import services

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    clerk = make_user("vanthu", first_name="Lê Thị Thu Trang")
    services.role_grant(user=clerk, unit=tree.province, role=scope.CLERK, by=tree.admin)
    officer = make_user("coso", first_name="Hồ Thị Hoa")
    services.role_grant(user=officer, unit=tree.grassroots_a2, role=scope.CLERK, by=tree.admin)
    return clerk, officer


@pytest.fixture
def log_in_as(login, page):
    """Log in as another user in the same browser: the previous session is dropped first."""

    def do(username: str):
        page.context.clear_cookies()
        return login(username, f"pw-{username}")

    return do


def test_issue_to_a_subtree_read_receipt_and_done(log_in_as, live_server, tree, people, tmp_path):
    pdf = tmp_path / "ke-hoach.pdf"
    pdf.write_bytes(pdf_bytes(2))

    page = log_in_as("vanthu")
    page.get_by_role("link", name=re.compile("^Văn bản")).first.click()
    page.get_by_role("link", name="Soạn văn bản").click()
    page.select_option("select[name=doc_type]", "KH")
    page.fill("textarea[name=summary]", "Kế hoạch tổ chức Tháng Công nhân năm 2026")
    page.fill("input[name=signer]", "Nguyễn Văn Hùng")
    page.get_by_role("button", name="Lưu dự thảo").click()

    page.get_by_test_id("recipient-search").fill("duc tho")
    candidates = page.get_by_test_id("candidates")
    expect(candidates).to_contain_text("Liên đoàn Lao động huyện Đức Thọ")
    candidates.locator("li", has_text="huyện Đức Thọ").locator("button[data-kind=subtree]").click()
    expect(page.get_by_test_id("targets")).to_contain_text("Liên đoàn Lao động huyện Đức Thọ")
    expect(page.get_by_test_id("reach")).to_contain_text("3")
    page.set_input_files("input[name=file]", str(pdf))
    page.get_by_role("button", name="Đính kèm").click()
    expect(page.get_by_test_id("attachments")).to_contain_text("ke-hoach.pdf")
    page.get_by_test_id("issue").click()
    # Issuing cannot be undone: a preview of what goes where comes first, and nothing is
    # issued until it is confirmed.
    expect(page.get_by_test_id("preview-reach")).to_contain_text("3")
    expect(page.get_by_test_id("issue-preview")).to_contain_text("ke-hoach.pdf")
    assert not Document.objects.exclude(symbol="").exists()
    page.get_by_test_id("issue-confirm").click()
    short = tree.province.short_name or tree.province.code
    symbol = f"1/KH-{short}"
    expect(page.get_by_test_id("document-title")).to_contain_text(symbol)
    expect(page.get_by_test_id("tracking-figures")).to_contain_text("3")

    page = log_in_as("coso")
    nav = page.get_by_role("link", name=re.compile("^Văn bản"))
    expect(nav.get_by_test_id("nav-badge")).to_have_text("1")
    nav.click()
    row = page.get_by_test_id("inbox-row").filter(has_text=symbol)
    expect(row).to_contain_text("Kế hoạch tổ chức Tháng Công nhân")
    row.get_by_role("link", name=symbol).click()
    expect(page.get_by_test_id("document-summary")).to_contain_text("Tháng Công nhân năm 2026")
    expect(page.get_by_test_id("incoming")).to_contain_text("Hồ Thị Hoa")
    with page.expect_download() as download:
        page.get_by_test_id("attachments").get_by_role("link", name="ke-hoach.pdf").click()
    assert download.value.suggested_filename == "ke-hoach.pdf"

    page = log_in_as("vanthu")
    page.get_by_role("link", name=re.compile("^Văn bản")).first.click()
    page.get_by_role("link", name="Văn bản đi").click()
    page.get_by_role("link", name=symbol).click()
    row = page.get_by_test_id("tracking-row").filter(has_text=tree.grassroots_a2.name)
    expect(row).to_contain_text("Hồ Thị Hoa")
    expect(page.get_by_test_id("tracking-row").filter(has_text="chưa đọc")).to_have_count(2)

    page = log_in_as("coso")
    page.goto(f"{live_server.url}/documents/")
    page.get_by_test_id("inbox-row").get_by_role("link", name=symbol).click()
    page.get_by_test_id("mark-done").click()
    expect(page.get_by_test_id("handling")).to_contain_text("Đã xử lý xong")

    page = log_in_as("vanthu")
    page.goto(f"{live_server.url}/documents/")
    page.get_by_role("link", name="Văn bản đi").click()
    page.get_by_role("link", name=symbol).click()
    figures = page.get_by_test_id("tracking-figures")
    expect(figures.locator("div").filter(has_text="Đã xử lý xong")).to_contain_text("1")
