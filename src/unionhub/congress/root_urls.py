"""Public short links at the site root: /d/<token> is what a delegate card's QR opens;
/p/congress/<id>/ is the congress's public page beside the units' portals (/p/<unit>/)."""

from django.urls import path, re_path

from unionhub.congress import public

TOKEN = r"(?P<token>[A-Za-z0-9_-]{20,200})"
urlpatterns = [
    re_path(rf"^d/{TOKEN}/?$", public.delegate_page, name="delegate_page"),
    re_path(
        rf"^d/{TOKEN}/doc/(?P<pk>[0-9]+)/?$", public.delegate_document, name="delegate_document"
    ),
    path("p/congress/<int:pk>/", public.congress_page, name="congress_public"),
]
