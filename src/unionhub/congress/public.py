"""The delegate's own page, opened by the card's QR: no account, the signed token is the key;
and the congress's public page (programme and live streams, nothing personal).

Phone first and light: its own small template without the officers' CSS framework or scripts,
so it opens quickly on a congress hall's overloaded mobile network.
"""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from unionhub.congress import selectors, services
from unionhub.congress.models import StreamStatus
from unionhub.core import registry
from unionhub.core.errors import DomainError
from unionhub.core.pdf import qr_svg


def _refused(request, error: DomainError):
    return render(request, "congress/delegate_refused.html", {"error": error}, status=403)


def portal_section(unit) -> registry.PortalSection | None:
    """The unit's congresses on its public portal home, "live now" beside one being streamed."""
    congresses = selectors.portal_congresses(unit)
    if not congresses:
        return None
    return registry.PortalSection(
        template="congress/portal_section.html", context={"congresses": congresses}, order=20
    )


REFRESHING = (StreamStatus.UPCOMING, StreamStatus.LIVE)


def _streams(sessions: list) -> dict:
    """ "Live now" with a QR code to each stream; after a session, its recording instead."""
    on_air = selectors.on_air(sessions)
    return {
        "live": [(session, qr_svg(session.stream_url)) for session in on_air.live],
        "recordings": on_air.recordings,
        # While something is or may be streamed, the page looks again by itself (no script).
        "refresh": any(s.stream_status in REFRESHING and s.stream_links for s in sessions),
    }


@require_GET
@never_cache
def congress_page(request, pk):
    congress = selectors.public_congress(pk)
    sessions = selectors.public_sessions(congress)
    context = {"congress": congress, "sessions": sessions, **_streams(sessions)}
    return render(request, "congress/public.html", context)


@require_GET
@never_cache
def delegate_page(request, token):
    try:
        delegate = selectors.delegate_by_token(token)
    except DomainError as error:
        return _refused(request, error)
    sessions = list(selectors.delegate_sessions(delegate=delegate))
    return render(
        request,
        "congress/delegate_page.html",
        {
            "delegate": delegate,
            "congress": delegate.congress,
            "token": token,
            "sessions": sessions,
            **_streams(sessions),
            "checkins": selectors.delegate_checkins(delegate=delegate),
            "documents": selectors.visible_documents(delegate=delegate),
            "links": sorted(registry.collect("delegate_links"), key=lambda link: link.order),
        },
    )


@require_GET
@never_cache
def delegate_document(request, token, pk):
    try:
        delegate = selectors.delegate_by_token(token)
        document = selectors.delegate_document(delegate=delegate, pk=int(pk))
    except DomainError as error:
        return _refused(request, error)
    services.document_viewed(document=document)
    # Inline: the phone's own PDF viewer opens it, no download step.
    return FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        filename=f"{document.title[:80]}.pdf",
    )
