"""The member's own page at the site root (/me/), which a registrar's printed link opens."""

from django.urls import path, re_path

from unionhub.privacy import self_views

app_name = "privacy_public"
urlpatterns = [
    path("me/", self_views.start, name="start"),
    path("me/code/", self_views.code, name="code"),
    path("me/out/", self_views.sign_out, name="sign_out"),
    path("me/correction/", self_views.correction, name="correction"),
    path("me/consents/<int:pk>/withdraw/", self_views.consent_withdraw, name="consent_withdraw"),
    path("me/export.<str:file_format>", self_views.export, name="export"),
    re_path(r"^me/l/(?P<token>[A-Za-z0-9_-]{20,100})/?$", self_views.link, name="link"),
]
