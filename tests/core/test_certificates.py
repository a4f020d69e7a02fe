"""The shared certificate machinery: tokens bound to their purpose, one A4 landscape page."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unionhub.core import certificates, signing


@given(st.integers(min_value=1, max_value=2**63 - 1))
def test_a_token_gives_back_its_id_for_its_own_purpose_only(pk):
    token = certificates.certificate_token(pk, purpose=b"award:")
    assert certificates.certificate_id(token, purpose=b"award:") == pk
    with pytest.raises(signing.BadToken):
        certificates.certificate_id(token, purpose=b"training:")


def test_a_token_of_another_payload_is_refused():
    token = signing.sign(b"not-an-id", purpose=b"award:")
    with pytest.raises(signing.BadToken):
        certificates.certificate_id(token, purpose=b"award:")


def test_the_page_is_a4_landscape_with_the_vietnamese_font():
    pdf = certificates.render(
        certificates.Certificate(
            motto=("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"),
            issuer=("LIÊN ĐOÀN LAO ĐỘNG TỈNH HÀ TĨNH",),
            title="GIẤY KHEN",
            lead="tặng",
            recipient="Nguyễn Thị Hằng",
            reason="Đã có thành tích xuất sắc " * 12,
            place_date="Hà Tĩnh, ngày 05/12/2026",
            signer_title="CHỦ TỊCH",
            signer="Trần Văn A",
            number="Quyết định số 12/QĐ-LĐLĐ",
            verify_url="https://example.test/v/a/x",
            verify_hint="Quét mã",
        )
    )
    assert pdf.startswith(b"%PDF")
    assert b"/MediaBox [ 0 0 841.8898 595.2756 ]" in pdf
    assert b"DejaVuSans" in pdf  # the vendored font, embedded (the core fonts have no ơ, ư)
