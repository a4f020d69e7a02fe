"""Files served in pieces: whole without a Range, 206 with the piece asked for, 416 past the end."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.test import RequestFactory

from unionhub.core.ranges import Unsatisfiable, entity_tag, parse_range, ranged_file_response

DATA = bytes(range(256)) * 4  # 1024 bytes, each position's byte known


def answer(range_header: str | None = None, **headers: str):
    if range_header is not None:
        headers["Range"] = range_header
    request = RequestFactory().get("/video", headers=headers)
    response = ranged_file_response(
        request, ContentFile(DATA, name="news/videos/a.mp4"), content_type="video/mp4"
    )
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_no_range_sends_the_whole_file_and_says_ranges_are_accepted():
    response, body = answer()
    assert response.status_code == 200
    assert body == DATA
    assert response["Content-Length"] == "1024"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert "Content-Range" not in response


def test_the_first_hundred_bytes():
    response, body = answer("bytes=0-99")
    assert response.status_code == 206
    assert body == DATA[:100]
    assert response["Content-Range"] == "bytes 0-99/1024"
    assert response["Content-Length"] == "100"
    assert response["Accept-Ranges"] == "bytes"


def test_the_last_hundred_bytes():
    response, body = answer("bytes=-100")
    assert response.status_code == 206
    assert body == DATA[-100:]
    assert response["Content-Range"] == "bytes 924-1023/1024"


def test_an_open_ended_range_runs_to_the_end():
    response, body = answer("bytes=1000-")
    assert response.status_code == 206
    assert body == DATA[1000:]
    assert response["Content-Range"] == "bytes 1000-1023/1024"
    assert response["Content-Length"] == "24"


def test_a_range_past_the_end_is_cut_at_the_end_and_a_suffix_longer_than_the_file_is_all_of_it():
    response, body = answer("bytes=1000-5000")
    assert (response.status_code, body) == (206, DATA[1000:])
    response, body = answer("bytes=-5000")
    assert (response.status_code, body, response["Content-Range"]) == (
        206,
        DATA,
        "bytes 0-1023/1024",
    )


@pytest.mark.parametrize("header", ["bytes=1024-", "bytes=2000-3000", "bytes=-0"])
def test_an_unsatisfiable_range_is_416_with_the_size(header):
    response, body = answer(header)
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */1024"
    assert body == b""


@pytest.mark.parametrize(
    "header", ["items=0-9", "bytes=50-10", "bytes=0-1,5-6", "bytes=x-", "bytes=-"]
)
def test_a_range_we_do_not_serve_gets_the_whole_file(header):
    response, body = answer(header)
    assert (response.status_code, body) == (200, DATA)


def test_if_range_of_an_older_upload_gets_the_whole_file():
    current = entity_tag("news/videos/a.mp4", len(DATA))
    response, body = answer("bytes=0-9", **{"If-Range": current})
    assert (response.status_code, body) == (206, DATA[:10])
    response, body = answer("bytes=0-9", **{"If-Range": '"older"'})
    assert (response.status_code, body) == (200, DATA)


def test_parse_range_of_an_empty_file():
    assert parse_range(None, 0) is None
    with pytest.raises(Unsatisfiable):
        parse_range("bytes=0-", 0)
    with pytest.raises(Unsatisfiable):
        parse_range("bytes=-10", 0)


class Stored:
    """A stored file whose opened handle the test can look at afterwards."""

    name, size = "news/videos/a.mp4", len(DATA)

    def open(self, mode: str) -> io.BytesIO:
        self.handle = io.BytesIO(DATA)
        return self.handle


def test_the_file_is_closed_when_the_response_is_even_if_nothing_was_read(db):
    # db: closing a response sends request_finished, which closes old database connections.
    stored = Stored()
    response = ranged_file_response(
        RequestFactory().head("/video"), stored, content_type="video/mp4"
    )
    assert response["Content-Length"] == "1024"
    response.close()
    assert stored.handle.closed
