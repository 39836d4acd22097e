"""HTML page -> main text and metadata (trafilatura; htmldate for the date)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Extracted:
    text: str
    meta: dict[str, str | None]


def extract(html: str, url: str | None = None) -> Extracted | None:
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, favor_precision=True
    )
    if doc is None or not (doc.text or "").strip():
        return None
    published = doc.date
    if not published:
        from htmldate import find_date

        published = find_date(html, url=url, original_date=True, extensive_search=False)
    return Extracted(
        text=doc.text,
        meta={
            "title": doc.title,
            "author": doc.author,
            "outlet": doc.sitename,
            "url": doc.url or url,
            "published": published,
        },
    )
