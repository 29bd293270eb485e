"""Markdown written by people, rendered safely."""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# Raw HTML off in the parser, and nh3 after it as a second wall.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
#: The same, with every line break kept: texts in Leichte Sprache put one sentence per line.
_md_lines = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).enable(
    "table"
)

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def render_markdown(text: str | None, top_level: int = 2, line_breaks: bool = False) -> Markup:
    """Render and sanitise; the text's largest heading becomes ``<h{top_level}>``.

    The page title is the only h1, and heading levels must not skip (WCAG), so
    a text whose headings start at ``##`` or at ``#`` reads the same.
    ``line_breaks``: a line break in the text is one on the page (``<br>``).
    """
    if not text:
        return Markup("")
    return Markup(_render(text, top_level, line_breaks))


#: Rendering is a pure function of its arguments, so each worker keeps the last
#: few hundred results, keyed by the text itself: a project's description is
#: rendered once per worker, not on every view, and an edited text is a new key
#: (nothing to end, nothing that could show one town's text in another).
#: 256 entries of at most 20,000 characters (the longest description) bound
#: the memory to a few MB.
@lru_cache(maxsize=256)
def _render(text: str, top_level: int, line_breaks: bool) -> str:
    html = (_md_lines if line_breaks else _md).render(text)
    levels = [lvl for lvl in range(1, 7) if f"<h{lvl}>" in html]
    if levels:
        shift = top_level - levels[0]
        for level in sorted(levels, reverse=shift > 0):
            new = min(max(level + shift, top_level), 6)
            html = html.replace(f"<h{level}>", f"<h{new}>").replace(f"</h{level}>", f"</h{new}>")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return str(cleaned)
