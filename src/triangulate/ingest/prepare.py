"""RawDocument -> Article: HTML to text, metadata, size and language checks, identity."""

from __future__ import annotations

import re

from triangulate import settings
from triangulate.ingest.dates import dateline_date, normalize_date
from triangulate.ingest.items import NotEnglish
from triangulate.ingest.language import detect_language
from triangulate.ingest.normalize import article_from_fields
from triangulate.model import Article, RawDocument, Skipped

_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"\w+")
META = ("url", "outlet", "title", "author", "published")


def prepare(raw: RawDocument) -> Article | Skipped:
    """One input document as an Article, or the reason it cannot be one."""
    text = raw.text
    meta = {k: _clean(getattr(raw, k)) for k in META}
    if text is None and raw.html is not None:
        if len(raw.html) > settings.MAX_RECORD_BYTES:
            return _too_large(raw.source, len(raw.html), settings.MAX_RECORD_BYTES,
                              "characters of HTML", "MAX_RECORD_BYTES")
        from triangulate.ingest.html import extract

        extracted = extract(raw.html, url=meta["url"])
        if extracted is None:
            return Skipped(raw.source, "no-main-text", "the page has no main article text")
        words = len(_WORD.findall(extracted.text))
        if words < settings.MIN_HTML_WORDS:
            return Skipped(raw.source, "no-main-text",
                           f"the page's main text is only {words} words (a menu, a paywall "
                           "or an error page?)")
        text = extracted.text
        for key, value in extracted.meta.items():
            meta[key] = meta.get(key) or _clean(value)
    if text is None or not _LETTER.search(text):
        return Skipped(raw.source, "empty", "no text")
    if len(text) > settings.MAX_DOCUMENT_CHARS:
        return _too_large(raw.source, len(text), settings.MAX_DOCUMENT_CHARS,
                          "characters of text", "MAX_DOCUMENT_CHARS")
    language = detect_language(text)
    if not language.english:
        return NotEnglish(
            raw.source, "not-english",
            f"{language.code} (detected with probability {language.probability:.2f}); "
            "only English articles are analysed",
            language=language.code,
        )
    meta["published"] = (
        normalize_date(meta["published"])
        or dateline_date(text)
        or normalize_date(getattr(raw, "fallback_published", None))
    )
    return article_from_fields(text, source=raw.source, id=_clean(raw.id), **meta)


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _too_large(source: str, size: int, limit: int, unit: str, setting: str) -> Skipped:
    return Skipped(source, "too-large", f"{size:,} {unit}; the limit is {limit:,} "
                   f"(settings.{setting})")
