"""The delegate's own page, opened by the card's QR: no account, the signed token is the key.

Phone first and light: its own small template without the officers' CSS framework or scripts,
so it opens quickly on a congress hall's overloaded mobile network.
"""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from unionhub.congress import selectors, services
from unionhub.core import registry
from unionhub.core.errors import DomainError


def _refused(request, error: DomainError):
    return render(request, "congress/delegate_refused.html", {"error": error}, status=403)


@require_GET
@never_cache
def delegate_page(request, token):
    try:
        delegate = selectors.delegate_by_token(token)
    except DomainError as error:
        return _refused(request, error)
    return render(
        request,
        "congress/delegate_page.html",
        {
            "delegate": delegate,
            "congress": delegate.congress,
            "token": token,
            "sessions": selectors.delegate_sessions(delegate=delegate),
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
