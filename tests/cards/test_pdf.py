"""Card PDFs: exact sizes, Vietnamese text intact, a QR that decodes to the card's link, and
photos brought down to print resolution."""

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from tests.factories import jpeg
from unionhub.cards import printing, render, services
from unionhub.cards.models import Card
from unionhub.core.pdf import photo_for_print

pytestmark = pytest.mark.django_db
NAME = "Đặng Thị Ửng Huyền Trâm"


def pdf_of(cards, layout):
    out = io.BytesIO()
    printing.render_cards(cards, out, layout=layout, base_url="https://the.example.vn/")
    return out.getvalue()


@pytest.fixture
def cards(admit, registrar, approver, series):
    made = []
    for i in range(12):
        member = admit(full_name=NAME if i == 0 else f"Nguyễn Văn Số {i}", photo=i < 3)
        made.append(services.card_request(member=member, by=registrar))
    services.card_approve_batch(cards=made, by=approver)
    # The card of NAME first, the rest in number order.
    return sorted(Card.objects.all(), key=lambda c: (c.member.full_name != NAME, c.number))


def test_single_layout_is_one_exact_size_card_per_page(cards):
    reader = PdfReader(io.BytesIO(pdf_of(cards[:2], "single")))
    assert len(reader.pages) == 4  # front and back of each card
    for page in reader.pages:
        width_mm = float(page.mediabox.width) / 72 * 25.4
        height_mm = float(page.mediabox.height) / 72 * 25.4
        assert (round(width_mm, 1), round(height_mm, 1)) == (85.6, 54.0)
    assert NAME in reader.pages[0].extract_text()
    # The union join date travels on the card.
    assert "01/03/2020" in reader.pages[0].extract_text()


def test_sheet_layout_puts_ten_cards_on_an_a4_page_with_backs_after(cards):
    reader = PdfReader(io.BytesIO(pdf_of(cards, "sheet")))
    assert len(reader.pages) == 4  # 12 cards: two sheets, each fronts then backs
    assert round(float(reader.pages[0].mediabox.width)) == 595
    fronts = reader.pages[0].extract_text()
    assert NAME in fronts
    assert fronts.count("Ngày sinh") == 10
    assert reader.pages[2].extract_text().count("Ngày sinh") == 2
    assert cards[0].number_display in reader.pages[1].extract_text()
    assert "Quét mã" in reader.pages[1].extract_text()


def test_a_sheet_stays_small_with_photos(cards):
    assert len(pdf_of(cards, "sheet")) / len(cards) < 30 * 1024


@pytest.mark.skipif(not shutil.which("zbarimg"), reason="needs zbar-tools and poppler-utils")
def test_qr_decodes_to_the_cards_verification_link(cards, tmp_path):
    card = cards[0]
    (tmp_path / "card.pdf").write_bytes(pdf_of([card], "single"))
    subprocess.run(
        ["pdftoppm", "-r", "300", "-f", "2", "-l", "2", "-png", "card.pdf", "back"],
        cwd=tmp_path,
        check=True,
    )
    png = next(tmp_path.glob("back*.png"))
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert decoded == printing.verify_url(card, "https://the.example.vn/")


def test_photos_are_downsampled_to_print_resolution():
    image = photo_for_print(jpeg(size=(1800, 2400)), 20, 25, dpi=300)
    width, height = image.getSize()
    assert 236 <= width <= 236 * 4 / 3 and abs(width / height - 0.8) < 0.01
    assert len(image.jpeg) < 40 * 1024


def test_unknown_layout_is_refused():
    with pytest.raises(ValueError):
        render.render([], io.BytesIO(), layout="poster")
