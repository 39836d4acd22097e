"""HTML page -> main text and metadata (trafilatura; htmldate for the date)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache

from triangulate import settings
from triangulate.ingest.dates import normalize_date


@dataclass
class Extracted:
    text: str
    meta: dict[str, str | None]


@cache
def _quiet() -> None:
    # trafilatura and htmldate log a warning for every odd page; the ingest report already
    # says what happened to each input, and their chatter would break the progress bar.
    for name in ("trafilatura", "htmldate", "courlan"):
        logging.getLogger(name).setLevel(logging.ERROR)


def extract(html: str, url: str | None = None) -> Extracted | None:
    """Main text plus title, author, date and site name, or None when the page has no main
    text. The date falls back to htmldate's reading of the page (URL, meta, visible dates)."""
    _quiet()
    if not _DOCUMENT.search(html):
        # A record's html field is often the article's fragment ("<p>...</p>"), which
        # trafilatura takes for something that is not HTML at all.
        html = f"<html><body>{html}</body></html>"
    doc = _extracted(shallow(html), url)
    if doc is None:
        return None
    published = normalize_date(doc.date)
    if not published:
        published = _htmldate(html, url)
    return Extracted(
        text=paragraphs(doc.text),
        meta={
            "title": doc.title,
            "author": doc.author,
            "outlet": doc.sitename,
            "url": doc.url or url,
            "published": published,
        },
    )


_DOCUMENT = re.compile(r"<(?:html|body|head)[\s>]|<!doctype", re.IGNORECASE)


def _extracted(html: str, url: str | None):
    """trafilatura's reading of the page with its text, or None. The metadata readers
    (htmldate's cleaning) fail on markup the text extractor survives (an SVG page with a
    foreignObject trips an assertion in lxml): then the text is read without them."""
    for with_metadata in (True, False):
        doc = _bare_extraction(html, url, with_metadata)
        if doc is not None:
            return doc if (doc.text or "").strip() else None
    return None


# Tags that do not nest: void elements, and those the parser closes at the next sibling.
_FLAT_TAGS = frozenset((
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "p", "li", "td", "th", "tr", "option", "dt", "dd"))
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^<>]*>")


def shallow(html: str, limit: int | None = None) -> str:
    """``html`` with the tags that would nest it deeper than settings.MAX_HTML_DEPTH left
    out (their content stays). libxml2 stops at 256 levels and drops everything deeper, so
    an article under a pile of unclosed <div>s was lost, and trafilatura walks its tree
    recursively. One linear pass (the tag pattern cannot run past the next "<"); a page
    within the limit is returned as it is."""
    limit = limit or settings.MAX_HTML_DEPTH
    depth, deepest = 0, 0
    for m in _TAG.finditer(html):
        depth, _ = _step(m, depth)
        deepest = max(deepest, depth)
    if deepest <= limit:
        return html
    out: list[str] = []
    depth, last = 0, 0
    for m in _TAG.finditer(html):
        depth, nesting = _step(m, depth)
        if nesting and (depth > limit or (m.group(1) and depth >= limit)):
            out.append(html[last:m.start()])
            last = m.end()
    out.append(html[last:])
    return "".join(out)


def _step(m: re.Match, depth: int) -> tuple[int, bool]:
    """The nesting depth after tag ``m``, and whether the tag nests at all."""
    name = m.group(2).lower()
    if name in _FLAT_TAGS or m.group(0).endswith("/>"):
        return depth, False
    if m.group(1):
        return max(0, depth - 1), True
    return depth + 1, True


def _bare_extraction(html, url: str | None, with_metadata: bool):
    import trafilatura

    try:
        return trafilatura.bare_extraction(html, url=url, with_metadata=with_metadata,
                                           include_comments=False, favor_precision=True)
    except Exception as exc:  # lxml and its users raise all kinds on odd markup
        logging.getLogger(__name__).debug("trafilatura failed on %s: %r", url, exc)
        return None


def paragraphs(text: str) -> str:
    """One block of the page (headline, standfirst, subheading, paragraph) per paragraph,
    paragraphs separated by a blank line as in plain-text articles.

    trafilatura ends every block with a single line break, so a headline and a standfirst,
    which carry no final full stop, read as the start of the first sentence of the body
    ("... after deadly ambush Withdrawal leaves ... Israel has withdrawn ..."). They stay in
    the text (they are the article's own words, and what a reader quotes), only set apart;
    no character of a block is changed, so offsets cite the page's words exactly.
    """
    return "\n\n".join(line for line in text.splitlines() if line.strip())


def _htmldate(html: str, url: str | None) -> str | None:
    from htmldate import find_date

    try:
        found = find_date(html, url=url, original_date=True, extensive_search=False)
    except Exception:  # as trafilatura: lxml's odd-markup failures are many
        return None
    return normalize_date(found)


_BLOCK = re.compile(
    r"</?(?:p|div|br|h[1-6]|li|ul|ol|blockquote|section|article|tr|table|pre|hr)\b[^>]*>",
    re.IGNORECASE,
)


def fragment_text(fragment: str) -> str:
    """Text of an HTML fragment that is already the article (a feed item's content): one
    paragraph a line, no boilerplate removal, which would drop short paragraphs."""
    import lxml.html
    from lxml import etree

    marked = _BLOCK.sub(lambda m: "\n" + m.group(0), fragment)
    try:
        root = lxml.html.fragment_fromstring(marked, create_parent="div")
        for bad in root.xpath("//script|//style|//noscript"):
            bad.drop_tree()
        content = root.text_content()
    except (ValueError, AssertionError, RecursionError, etree.LxmlError):
        return ""
    lines = (" ".join(line.split()) for line in content.splitlines())
    return "\n".join(line for line in lines if line)
