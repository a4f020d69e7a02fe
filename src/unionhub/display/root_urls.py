"""The public kiosk link at the site root: /screen/<secret>/ is what the wall's browser opens."""

from django.urls import re_path

from unionhub.display import public

TOKEN = r"(?P<token>[A-Za-z0-9_-]{20,100})"
urlpatterns = [
    re_path(rf"^screen/{TOKEN}/$", public.kiosk_page, name="display_kiosk"),
    re_path(rf"^screen/{TOKEN}/data\.json$", public.kiosk_data, name="display_kiosk_data"),
    re_path(
        rf"^screen/{TOKEN}/image/(?P<pk>[0-9]+)$", public.kiosk_image, name="display_kiosk_image"
    ),
]
