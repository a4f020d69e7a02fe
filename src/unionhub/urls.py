from django.contrib import admin
from django.urls import include, path

from unionhub.core import views as core_views
from unionhub.orgs import two_factor

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("unionhub.core.auth_urls")),
    path("accounts/two-factor/", two_factor.setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("units/", include("unionhub.orgs.urls")),
    path("", include("unionhub.orgs.root_urls")),
    path("", include("unionhub.core.urls")),
    path("api/", include("unionhub.api.urls")),
    path("admin/", admin.site.urls),
]

# Apps above the foundation bring their own URLs; each is mounted when it has a urls module.
for _prefix, _module in [
    ("members/", "unionhub.members.urls"),
    ("imports/", "unionhub.imports.urls"),
    ("cards/", "unionhub.cards.urls"),
    ("reports/", "unionhub.reports.urls"),
    ("congress/", "unionhub.congress.urls"),
    ("elections/", "unionhub.elections.urls"),
    ("display/", "unionhub.display.urls"),
    ("documents/", "unionhub.dispatch.urls"),
    ("finance/", "unionhub.finance.urls"),
    ("privacy/", "unionhub.privacy.urls"),
    ("movements/", "unionhub.movements.urls"),
    ("news/", "unionhub.news.urls"),
    ("training/", "unionhub.training.urls"),
]:
    # `root_urls` holds public short links that live at the site root (/v/…, /d/…, /screen/…).
    for _prefix_here, _name in [(_prefix, _module), ("", _module.replace(".urls", ".root_urls"))]:
        try:
            urlpatterns.append(path(_prefix_here, include(_name)))
        except ModuleNotFoundError as _error:
            if _error.name != _name:
                raise
