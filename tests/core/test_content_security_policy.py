"""The Content-Security-Policy: no inline code anywhere, and templates that keep it so."""

import re
from pathlib import Path

import pytest

import unionhub

SRC = Path(unionhub.__file__).parent


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.parametrize("url", ["/accounts/login/", "/healthz", "/api/docs/"])
def test_every_answer_carries_a_policy_without_inline_scripts(client, db, url):
    policy = directives(client.get(url))
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["style-src-elem"]


def test_an_inline_style_block_carries_the_pages_nonce(client, db):
    # A delegate's phone page keeps its styles inline; a forged card link shows that page.
    response = client.get("/d/" + "A" * 40)
    assert response.status_code == 403
    nonce = re.search(r'<style nonce="([^"]+)">', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in directives(response)["style-src-elem"]


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"), "script"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "event handler attribute"),
    (re.compile(r"<style(?![^>]*\bnonce=)[^>]*>"), "style block without the nonce"),
    (re.compile(r"\bhx-on"), "hx-on (evaluated code)"),
    (re.compile(r"href\s*=\s*[\"']javascript:", re.IGNORECASE), "javascript: link"),
]


def test_no_template_holds_code_the_policy_would_refuse():
    offenders = [
        f"{path.relative_to(SRC)}: {what}"
        for path in SRC.rglob("templates/**/*.html")
        for pattern, what in INLINE
        if pattern.search(path.read_text())
    ]
    assert offenders == []
