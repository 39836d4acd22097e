"""Identity of an article: normalised text, content hash, id, outlet from URL."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from urllib.parse import urlsplit

from triangulate.model import Article
from triangulate.util import SURROGATE, valid_text

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
    """An Article with a stable id: the given one, else ``a-`` + 16 hex digits of its hash.

    Lone surrogates (from a JSON "\\ud800" escape) become U+FFFD, one for one, so the
    text can be hashed and stored and every offset into it stays exact."""
    text = valid_text(text)
    digest = content_hash(text)
    meta = {k: valid_text(v) if v else v for k, v in (
        ("id", id), ("url", url), ("outlet", outlet), ("title", title), ("author", author),
        ("published", published), ("source", source))}
    return Article(
        id=meta["id"] or f"a-{digest[:16]}",
        text=text,
        source=meta["source"],
        content_hash=digest,
        url=meta["url"],
        outlet=meta["outlet"] or outlet_from_url(meta["url"]),
        title=meta["title"],
        author=meta["author"],
        published=meta["published"],
        language=language,
    )


def path_text(path: str) -> str:
    """A file path as text that can be stored, losslessly.

    A name that is not valid UTF-8 reaches Python with its bad bytes as lone surrogates
    (os.fsdecode), which no UTF-8 store takes. Such a path is written with each bad byte as
    ``\\xNN`` and, on POSIX, each backslash doubled; any other path is left as it is. Every
    escaped text holds a backslash and no path left as it is does (POSIX), so two paths
    never share a text, and ``path_from_text`` gives the path back."""
    posix = os.sep == "/"
    if not SURROGATE.search(path) and not (posix and "\\" in path):
        return path
    out = []
    for ch in path:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:  # a lone surrogate in a Windows name
            out.append(f"\\u{code:04x}")
        elif ch == "\\" and posix:
            out.append("\\\\")
        else:
            out.append(ch)
    return "".join(out)


_ESCAPE = re.compile(r"\\(x[0-9a-f]{2}|u[0-9a-f]{4}|\\)")


def path_from_text(text: str) -> str:
    """The path ``path_text`` wrote as ``text``."""
    if not _ESCAPE.search(text):
        return text

    def unescape(m: re.Match) -> str:
        code = m.group(1)
        if code == "\\":
            return "\\"
        return chr(0xDC00 + int(code[1:], 16) if code[0] == "x" else int(code[1:], 16))

    return _ESCAPE.sub(unescape, text)
