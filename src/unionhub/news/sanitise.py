"""The one gate between what an officer pastes and what a reader's browser runs.

An allow-list (nh3, the Rust `ammonia` sanitiser): formatting, headings, lists, tables, links and
images only. No script, style, iframe, object, form or SVG/MathML element survives, no `on*`
attribute, no `style`/`class` (pasted Word HTML carries both), and links and images keep only
http(s)/mailto/tel URLs or relative ones. Links open with rel="noopener noreferrer".
"""

from __future__ import annotations

import nh3

TAGS = {
    "p", "br", "hr", "strong", "b", "em", "i", "u", "s", "sub", "sup", "blockquote",
    "h2", "h3", "h4", "ul", "ol", "li", "a", "img", "figure", "figcaption",
    "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Their contents go too (not just the tags): a script's text is not prose.
DROPPED_WITH_CONTENT = {
    "script", "style", "iframe", "object", "embed", "svg", "math",
    "template", "noscript", "xml", "title", "head", "textarea", "select",
}  # fmt: skip


def clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        clean_content_tags=DROPPED_WITH_CONTENT,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
