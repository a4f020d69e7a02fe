from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionhub.congress.actions import Action
from unionhub.core import registry
from unionhub.core.registry import NavItem, SlideSource


class CongressConfig(AppConfig):
    name = "unionhub.congress"
    label = "congress"
    verbose_name = _("Congresses")
    audit_actions = Action
    nav_items = [
        NavItem(
            _("Congresses"),
            "congress:list",
            role="congress_organiser",
            order=60,
            area=registry.CONGRESS,
        )
    ]

    def ready(self) -> None:
        from unionhub.congress import (
            jobs,  # noqa: F401 - registers the badge job handler
            public,
            slides,
        )

        # The unit's congresses on its public portal (news draws the block, without an import).
        self.portal_sections = [public.portal_section]
        # The LED wall's live-stream slide; display draws it without importing this app's code.
        self.slide_sources = [
            SlideSource(
                kind="congress.stream",
                label=_("Live stream"),
                template="congress/slide_stream.html",
                form=slides.StreamSlideForm,
                check=slides.check,
                content=slides.content,
            )
        ]
