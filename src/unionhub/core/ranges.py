"""Files served in pieces (HTTP range requests, RFC 9110 §14): a browser's <video> asks for the
part it needs (`Range: bytes=…`) to start playing at once and to seek; Django's FileResponse
always sends the whole file. `ranged_file_response` answers 206 Partial Content with the piece,
416 when the range lies beyond the file, and 200 with the whole file when there is no usable
range. Whitenoise does ranges for static files only; these files sit behind views that check
who may read them, so the answer is built here.

One range per request: a multi-range request (`bytes=0-1,5-6`, which players do not send) gets
the whole file, as the RFC allows a server that ignores Range.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import IO, Any

from django.db.models.fields.files import FieldFile
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

CHUNK = 64 * 1024
_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


class Unsatisfiable(Exception):
    """The range starts at or past the end of the file (416)."""


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive (first, last) byte positions `header` asks for in a file of `size` bytes;
    None when the whole file is to be sent (no header, another unit, several ranges, a malformed
    or backwards range: RFC 9110 says to ignore those). Raises Unsatisfiable for a range that
    lies wholly past the end, and for a zero-length suffix (`bytes=-0`)."""
    if not header:
        return None
    match = _RANGE.match(header)
    if match is None:
        return None
    first_text, last_text = match.groups()
    if not first_text and not last_text:
        return None
    if not first_text:  # a suffix: the last N bytes
        length = int(last_text)
        if length == 0 or size == 0:
            raise Unsatisfiable
        return max(0, size - length), size - 1
    first = int(first_text)
    last = int(last_text) if last_text else size - 1
    if last_text and last < first:
        return None
    if first >= size:
        raise Unsatisfiable
    return first, min(last, size - 1)


def _object_store(handle: Any) -> Any:
    """The store's object behind an opened file of django-storages' S3 backend, or None. Read
    through the file, an S3 file is downloaded whole first (to a temporary file): a player's
    several range requests on a long video would each fetch all of it. The object can be asked
    for the piece alone (a ranged GET)."""
    inner = handle.file if isinstance(handle, FieldFile) else handle
    found = getattr(inner, "obj", None)
    return found if callable(getattr(found, "get", None)) else None


class _Piece:
    """`length` bytes of `file` from `first`, read a chunk at a time. The response closes it
    (StreamingHttpResponse calls `close`), also when nothing was read: a HEAD request, or a
    player that hangs up before the first chunk."""

    def __init__(self, file: IO[bytes], first: int, length: int) -> None:
        self.file, self.first, self.length = file, first, length

    def __iter__(self) -> Iterator[bytes]:
        if self.length <= 0:
            return
        remote = _object_store(self.file)
        if remote is not None:
            last = self.first + self.length - 1
            body = remote.get(Range=f"bytes={self.first}-{last}")["Body"]
            try:
                yield from body.iter_chunks(CHUNK)
            finally:
                body.close()
            return
        self.file.seek(self.first)
        left = self.length
        while left > 0:
            data = self.file.read(min(CHUNK, left))
            if not data:
                break
            left -= len(data)
            yield data

    def close(self) -> None:
        self.file.close()


def entity_tag(name: str, size: int) -> str:
    """A strong validator of a stored file whose name changes with every new upload."""
    return '"' + hashlib.sha256(name.encode()).hexdigest()[:16] + f"-{size:x}" + '"'


def ranged_file_response(
    request: HttpRequest, field: Any, *, content_type: str, cache_control: str = "private"
) -> HttpResponseBase:
    """The stored file `field` (a FieldFile) whole or in the piece the request's Range names.

    `If-Range` with another validator than this file's gets the whole file (the client's copy is
    of an older upload)."""
    size = field.size
    tag = entity_tag(field.name, size)
    header = request.headers.get("Range")
    if_range = request.headers.get("If-Range")
    if if_range is not None and if_range.strip() != tag:
        header = None
    try:
        wanted = parse_range(header, size)
    except Unsatisfiable:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        refused["Accept-Ranges"] = "bytes"
        return refused
    first, last = wanted if wanted is not None else (0, size - 1)
    length = last - first + 1 if size else 0
    response = StreamingHttpResponse(
        _Piece(field.open("rb"), first, length),
        status=206 if wanted is not None else 200,
        content_type=content_type,
    )
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = tag
    response["Cache-Control"] = cache_control
    response["Content-Disposition"] = "inline"
    if wanted is not None:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    return response
