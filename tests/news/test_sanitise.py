"""Whatever HTML an officer pastes, nothing that runs reaches a reader: not in the stored body,
not in the rendered story page."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.news.helpers import published
from unionhub.core import scope
from unionhub.news.sanitise import clean

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<iframe src="https://evil.example"></iframe>',
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)><animate onbegin=alert(1)></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></math>",
    "<object data=x.swf></object><embed src=x.swf>",
    '<p style="background:url(javascript:alert(1))" class="MsoNormal">Word</p>',
    "<!--[if gte mso 9]><xml><o:OfficeDocumentSettings></xml><![endif]-->",
    '<p class=MsoNormal><span style="mso-bidi-font-family:Calibri">Văn bản<o:p></o:p></span></p>',
    '<form action="https://evil.example"><input name=x><button>ok</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:/">',
    '<div onmouseover="alert(1)">hover</div>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "<style>body{display:none}</style>",
    "<template><script>alert(1)</script></template>",
    "<link rel=stylesheet href=//evil.example/x.css>",
    "<</script>script>alert(1)<</script>/script>",
    "<p>Đoàn viên <strong>tiêu biểu</strong></p>",
    "<a href='https://congdoan.vn'>liên kết</a>",
]

RUNNING_TAGS = {
    "script", "iframe", "frame", "object", "embed", "svg", "math", "style", "form", "meta",
    "base", "link", "template", "noscript",
}  # fmt: skip
SAFE_SCHEME = re.compile(r"^(https?:|mailto:|tel:|[^:]*$)", re.IGNORECASE)

tokens = st.sampled_from(
    ["<", ">", "</", "/>", '"', "'", "=", " ", ":", ";", "&#", "x", "a", "S", "\t", "&#x09;",
     "script", "onerror", "onload", "javascript", "data", "iframe", "svg", "math", "href",
     "src", "img", "a", "style", "<!--", "-->", "<![CDATA[", "]]>"]
)  # fmt: skip
fragments = st.sampled_from(HOSTILE) | st.lists(tokens, max_size=20).map("".join)
documents = st.lists(fragments, min_size=1, max_size=6).map("".join)


class _Finder(HTMLParser):
    """What a browser would run: a running element, an event handler, a URL of another scheme."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in RUNNING_TAGS:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                self.found.append(name)
            url = re.sub(r"[\x00-\x20]", "", value or "")
            if name in {"href", "src", "action", "xlink:href"} and not SAFE_SCHEME.match(url):
                self.found.append(f"{name}={value}")


def _unsafe(html: str) -> list[str]:
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.found


@given(documents)
@settings(max_examples=400, deadline=None)
def test_the_stored_body_never_runs(html):
    out = clean(html)
    assert _unsafe(out) == [], out
    assert clean(out) == out  # a second pass changes nothing: what is stored is a fixed point


def test_links_open_without_giving_the_opener_and_prose_survives():
    out = clean(
        '<p class="MsoNormal" style="x">Đoàn viên <a href="https://congdoan.vn">đây</a></p>'
    )
    assert out == (
        '<p>Đoàn viên <a href="https://congdoan.vn" rel="noopener noreferrer">đây</a></p>'
    )


@pytest.mark.django_db
@given(documents)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_rendered_story_never_runs(tree, officer_at, html):
    from django.core.cache import cache

    cache.clear()
    writer = officer_at(tree.grassroots_a1, scope.COMMUNICATIONS)
    story = published(tree.grassroots_a1, writer, body=html, title="Tin")
    assert _unsafe(story.body) == []
    page = Client().get(reverse("news_story", args=[story.unit.code, story.slug]))
    assert page.status_code == 200
    body = page.content.decode().split('<div class="story-body">', 1)[1].split("</div>", 1)[0]
    assert _unsafe(body) == [], body


@pytest.mark.parametrize("html", HOSTILE[:15])
def test_the_finder_sees_the_hostile_corpus_before_cleaning(html):
    # The properties above mean something only if the finder catches what it looks for.
    assert _unsafe(html) != []
