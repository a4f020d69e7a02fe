from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionhub.core import registry, scope
from unionhub.core.registry import NavItem, SlideSource
from unionhub.news.actions import Action


class NewsConfig(AppConfig):
    name = "unionhub.news"
    label = "news"
    verbose_name = _("News and public portal")
    audit_actions = Action
    nav_items = [
        NavItem(
            _("News"),
            "news:index",
            role=scope.COMMUNICATIONS,
            order=10,
            area=registry.COMMUNICATIONS,
        ),
        NavItem(
            _("News statistics"),
            "news:statistics",
            role=scope.COMMUNICATIONS,
            order=20,
            area=registry.COMMUNICATIONS,
        ),
    ]

    def ready(self) -> None:
        # The slide's form and reads use the models, which exist only once the apps are loaded.
        from unionhub.news import slides

        self.slide_sources = [
            SlideSource(
                kind="news.stories",
                label=_("News stories"),
                template="news/slide.html",
                form=slides.StoriesSlideForm,
                check=slides.check,
                content=slides.content,
            )
        ]
