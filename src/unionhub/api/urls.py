"""The REST API's router: each app contributes its viewsets in `API_ROUTES` of its api module."""

from importlib import import_module

from django.apps import apps
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from unionhub.core.api import DocsPermission

# No ".json" suffix routes: clients choose the format with Accept; the suffix routes answered
# the viewsets' extra actions with a server error.
router = DefaultRouter()
router.include_format_suffixes = False
for config in apps.get_app_configs():
    if not config.name.startswith("unionhub."):
        continue
    try:
        module = import_module(f"{config.name}.api")
    except ModuleNotFoundError as error:
        if error.name != f"{config.name}.api":
            raise
        continue
    for prefix, viewset, basename in getattr(module, "API_ROUTES", ()):
        router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[DocsPermission]), name="schema"),
    # The split view serves Swagger UI's start-up code as a script file, which the
    # Content-Security-Policy allows; the plain view writes it inline.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", permission_classes=[DocsPermission]),
        name="docs",
    ),
]
