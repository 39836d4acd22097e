"""Identity of an article: normalised text, content hash, id, outlet from URL."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import urlsplit

from triangulate.model import Article

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """The form two copies of one article share: NFKC, plain quotes, one space, lower case."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACE.sub(" ", text).strip().lower()


def content_hash(text: str) -> str:
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
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
