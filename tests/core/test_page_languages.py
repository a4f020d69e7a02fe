"""The main pages speak one language: in Vietnamese no English UI string is left, in English no
Vietnamese one (issue #22). The strings looked for are the catalogues' own: every msgid of two or
more words is an English UI string, every msgstr of two or more words a Vietnamese one."""

import html
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

import unionhub
from unionhub.congress import services as congress_services

SRC = Path(unionhub.__file__).parent
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def _catalogue_strings() -> tuple[set[str], set[str]]:
    english, vietnamese = set(), set()
    for path in SRC.glob("*/locale/vi/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(path)):
            if entry.msgid_plural or entry.msgid == entry.msgstr:
                continue
            # A string with a placeholder is looked for by its longest fixed piece.
            en = max(PLACEHOLDER.split(entry.msgid), key=len).strip(" .:,")
            vi = max(PLACEHOLDER.split(entry.msgstr), key=len).strip(" .:,")
            if len(en.split()) >= 2 and en not in entry.msgstr:
                english.add(en)
            if len(vi.split()) >= 2 and vi not in entry.msgid:
                vietnamese.add(vi)
    return english, vietnamese


ENGLISH, VIETNAMESE = _catalogue_strings()


def _visible_text(page: str, data: list[str]) -> str:
    """What a reader sees: no markup, scripts or styles, and none of the records' own names
    (units and people have Vietnamese names in both languages)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    return " ".join(text.split())


def _language_choices() -> list[str]:
    # The language switcher names each language in itself, on every page.
    return [str(name) for _code, name in settings.LANGUAGES]


@pytest.fixture
def pages(tree, admit):
    member = admit(full_name="Lê Thị Hồng Nhung", gender="female", ethnicity="Kinh")
    data = [u.name for u in vars(tree).values() if hasattr(u, "path")]
    data += [member.full_name, tree.admin.username, *_language_choices()]
    congress = congress_services.congress_create(
        unit=tree.province, name="Đại hội XIX", term="2023–2028", by=tree.admin
    )
    session = congress_services.session_add(
        congress=congress,
        kind="official",
        title="Phiên chính thức",
        starts_at=timezone.now(),
        by=tree.admin,
    )
    congress_services.session_stream_set(
        session=session,
        stream_status="live",
        stream_facebook="https://www.facebook.com/congdoan/live",
        by=tree.admin,
    )
    data += [congress.name, congress.term, session.title]
    urls = {
        "home": reverse("home"),
        "member list": reverse("members:list"),
        "member detail": reverse("members:detail", args=[member.pk]),
        "unit": reverse("orgs:unit", args=[tree.grassroots_a1.pk]),
        "cards": reverse("cards:list"),
        "congress": reverse("congress:list"),
        "dispatch": reverse("dispatch:index"),
        "reports": reverse("reports:fluctuation"),
        "movements": reverse("movements:list"),
        "awards": reverse("movements:awards"),
        "care": reverse("movements:support_list"),
        "news": reverse("news:index"),
        "news portal": reverse("news_portal", args=[tree.province.code]),
        "congress stream": reverse("congress:session_stream", args=[session.pk]),
        "congress public page": reverse("congress_public", args=[congress.pk]),
    }
    return urls, data


PAGE_NAMES = [
    "home", "member list", "member detail", "unit", "cards", "congress", "dispatch", "reports",
    "movements", "awards", "care",
    "news", "news portal", "congress stream", "congress public page",
]  # fmt: skip


def _render(client, tree, url: str, language: str) -> str:
    client.force_login(tree.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url, follow=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_vietnamese_page_has_no_english_ui_string(client, tree, pages, name):
    urls, data = pages
    text = _visible_text(_render(client, tree, urls[name], "vi"), data)
    assert any(s in text for s in VIETNAMESE)  # the page is read, and in Vietnamese
    assert sorted(s for s in ENGLISH if s in text) == []


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_english_page_has_no_vietnamese_ui_string(client, tree, pages, name):
    urls, data = pages
    text = _visible_text(_render(client, tree, urls[name], "en"), data)
    assert any(s in text for s in ENGLISH)  # the page is read, and in English
    assert sorted(s for s in VIETNAMESE if s in text) == []
