"""The web side of a check-in station (core.checkin): the settings its page gives
core/static/core/station.js, the JSON of a scan's answer, and the offline queue's upload."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.core.checkin import ScanResult
from unionhub.core.signing import b64encode, public_key

H = TypeVar("H")


def config(
    *,
    group: int,
    session: int,
    storage: str,
    holder_key: str,
    roster_key: str,
    purpose: bytes,
    pass_prefix: str,
    urls: dict[str, str],
    text: dict[str, str],
) -> dict[str, Any]:
    """What station.js needs: the door (`group`, the pass's group id; `session`), where it keeps
    its roster and queue (`storage`, a prefix of localStorage keys), the app's JSON keys, the
    key and purpose that verify passes offline, the `urls` (scan, manual, roster, upload), and
    the `text` of its messages (`station_text`)."""
    raw_key = public_key().public_bytes_raw()
    return {
        "group": group,
        "session": session,
        "storage": storage,
        "holderKey": holder_key,
        "rosterKey": roster_key,
        "publicKey": b64encode(raw_key),
        "purpose": purpose.decode(),
        "passPrefix": pass_prefix,
        **urls,
        "text": text,
    }


def station_text(**app_text: str) -> dict[str, str]:
    """The script's messages, translated here (a script has no gettext of its own). `app_text`
    words the app's own: the offline refusals of a pass (card_invalid, card_other_group,
    card_unknown, card_revoked, card_replaced) and, if it likes, the roster's count."""
    return {
        "online": _("Online"),
        "offline": _("Offline: check-ins are kept on this device"),
        "roster": _("Roster: %(count)s people"),
        "noRoster": _("No roster downloaded: offline check-in is not possible"),
        "queued": _("%(count)s check-ins waiting to upload"),
        "undo": _("Undo"),
        "undone": _("Check-in undone."),
        "offlineOk": _("Checked in (offline, will upload)."),
        "already": _("Already checked in at %(time)s."),
        "noCamera": _("No camera is available on this device."),
        "error": _("The server did not answer; try again."),
        **app_text,
    }


def result_json(
    result: ScanResult[H],
    *,
    holder_key: str,
    holder: Callable[[H], dict[str, Any]],
    undo: Callable[[int], str] | None = None,
) -> dict[str, Any]:
    """A scan's answer: status, message and code, the holder as `holder` shows them (under
    `holder_key`), and the check-in with the URL that undoes it."""
    body: dict[str, Any] = {"status": result.status, "message": result.message, "code": result.code}
    if result.holder is not None:
        body[holder_key] = holder(result.holder)
    if result.checkin_id is not None and result.at is not None:
        body["checkin"] = {
            "id": result.checkin_id,
            "at": timezone.localtime(result.at).strftime("%H:%M"),
            "undo": undo(result.checkin_id) if undo else "",
        }
    return body


def upload_response(
    request: HttpRequest,
    upload: Callable[[list[dict[str, Any]], str], list[ScanResult[H]]],
    answer: Callable[[ScanResult[H]], dict[str, Any]],
) -> JsonResponse:
    """The answer to a station's offline queue: its items checked in by `upload(items,
    station name)`, each result as `answer` words it; 400 for a body that is not a queue."""
    items = upload_items(request)
    if items is None:
        return JsonResponse({"code": "bad_request", "detail": _("Malformed upload.")}, status=400)
    results = upload(items, request.headers.get("X-Station", ""))
    return JsonResponse({"results": [answer(result) for result in results]})


def upload_items(request: HttpRequest) -> list[dict[str, Any]] | None:
    """The items of an offline queue's upload (a JSON body {"items": [...]}); None when the
    body is not that."""
    try:
        items = json.loads(request.body or b"{}").get("items", [])
    except (ValueError, AttributeError):
        return None
    if not isinstance(items, list):
        return None
    return [item for item in items if isinstance(item, dict)]
