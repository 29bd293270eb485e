"""XML the platform writes, built so that people's text can never change its shape.

Every XML document (today the marketplace's Atom feed) is built as an element
tree with :mod:`xml.etree.ElementTree` and serialised by it: text goes into
elements and attributes as *values*, so ``&``, ``<``, ``]]>`` and quotes are
escaped by the serialiser, never by a template someone forgot to escape.
XML 1.0 forbids most control characters (``\\x00``–``\\x08``, ``\\x0b``,
``\\x0c``, ``\\x0e``–``\\x1f``, surrogates, ``\\ufffe``/``\\uffff``); they are
removed by :func:`xml_text` before anything reaches the tree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree as ET

ATOM_NS = "http://www.w3.org/2005/Atom"
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object) -> str:
    """``value`` as text that XML 1.0 can carry: forbidden characters removed
    (tab, line feed and carriage return stay). ``None`` is the empty text."""
    return _FORBIDDEN.sub("", "" if value is None else str(value))


@dataclass(frozen=True)
class AtomEntry:
    id: str
    title: str
    link: str
    published: datetime
    updated: datetime
    summary: str
    author: str


def atom_feed(
    *,
    id: str,  # noqa: A002 - Atom's own name
    title: str,
    link: str,
    self_link: str,
    updated: datetime,
    author: str,
    author_uri: str,
    language: str,
    entries: Iterable[AtomEntry],
) -> bytes:
    """An Atom feed (RFC 4287) as UTF-8 bytes, with the required ``author``
    on the feed and on every entry."""
    ET.register_namespace("", ATOM_NS)

    def el(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(
            parent, f"{{{ATOM_NS}}}{name}", {k: xml_text(v) for k, v in attrs.items()}
        )
        if text is not None:
            node.text = xml_text(text)
        return node

    def person(parent: ET.Element, name: str, uri: str | None) -> None:
        node = el(parent, "author")
        el(node, "name", name)
        if uri:
            el(node, "uri", uri)

    feed = ET.Element(
        f"{{{ATOM_NS}}}feed",
        {"{http://www.w3.org/XML/1998/namespace}lang": xml_text(language)},
    )
    el(feed, "title", title)
    el(feed, "id", id)
    el(feed, "link", rel="alternate", type="text/html", href=link)
    el(feed, "link", rel="self", type="application/atom+xml", href=self_link)
    el(feed, "updated", updated.isoformat())
    person(feed, author, author_uri)
    for entry in entries:
        node = el(feed, "entry")
        el(node, "title", entry.title)
        el(node, "id", entry.id)
        el(node, "link", rel="alternate", type="text/html", href=entry.link)
        el(node, "published", entry.published.isoformat())
        el(node, "updated", entry.updated.isoformat())
        person(node, entry.author, author_uri)
        el(node, "summary", entry.summary, type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
