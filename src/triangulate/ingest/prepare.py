"""RawDocument -> Article: HTML to text, metadata, language, identity."""

from __future__ import annotations

from triangulate import settings
from triangulate.ingest.normalize import article_from_fields
from triangulate.model import Article, RawDocument, Skipped


def prepare(raw: RawDocument) -> Article | Skipped:
    text = raw.text
    meta = {k: getattr(raw, k) for k in ("url", "outlet", "title", "author", "published")}
    if text is None and raw.html is not None:
        from triangulate.ingest.html import extract

        extracted = extract(raw.html, url=raw.url)
        if extracted is None:
            return Skipped(raw.source, "no-main-text", "HTML page has no main article text")
        text = extracted.text
        for key, value in extracted.meta.items():
            meta[key] = meta.get(key) or value
    if text is None or len(text.strip()) < settings.MIN_TEXT_CHARS:
        return Skipped(raw.source, "empty", "no text, or too short to be an article")
    return article_from_fields(text, source=raw.source, id=raw.id, **meta)
