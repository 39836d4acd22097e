"""Identity of an article: normalised text, content hash, id, outlet from URL."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import urlsplit

from triangulate.model import Article

# Typographic variants that syndicated copies of one story differ in: curly vs straight
# quotes, dash styles, invisible characters. NFKC does not fold these.
_FOLD = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4\u0060", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", ""),
    }
)
_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """The form two copies of one article share: NFKC, plain quotes and dashes, no
    invisible characters, one space, lower case."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return _SPACE.sub(" ", text).strip().lower()


def content_hash(text: str) -> str:
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def hash_id(text: str) -> str:
    """The id of an article that came without one: ``a-`` + 16 hex digits of its hash."""
    return f"a-{content_hash(text)[:16]}"


def url_id(url: str) -> str:
    """The id of a page fetched or crawled from a URL: stable before the page is read, so
    a URL already stored is not fetched again."""
    return f"u-{hashlib.sha256(url.strip().encode('utf-8')).hexdigest()[:16]}"


def outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    return host.removeprefix("www.") or None


def article_from_fields(
    text: str,
    *,
    source: str,
    id: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    author: str | None = None,
    published: str | None = None,
    language: str = "en",
) -> Article:
    """An Article with a stable id: the given one, else ``a-`` + 16 hex digits of its hash."""
    digest = content_hash(text)
    return Article(
        id=id or f"a-{digest[:16]}",
        text=text,
        source=source,
        content_hash=digest,
        url=url,
        outlet=outlet or outlet_from_url(url),
        title=title,
        author=author,
        published=published,
        language=language,
    )
