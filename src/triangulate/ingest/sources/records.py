"""A record of a JSON or CSV file as a document: its text or html and its metadata."""

from __future__ import annotations

from triangulate.model import RawDocument, Skipped

Item = RawDocument | Skipped
META_FIELDS = ("id", "url", "outlet", "title", "author", "published")


def record_document(record: object, where: str) -> Item:
    """A JSON or CSV record with a ``text`` or ``html`` field as a RawDocument."""
    if not isinstance(record, dict):
        return Skipped(where, "malformed-json", "the record is not a JSON object")
    text, html = record.get("text"), record.get("html")
    if not isinstance(text, str) and not isinstance(html, str):
        return Skipped(where, "no-text", "the record has no 'text' or 'html' field")
    meta = {k: _scalar(record.get(k)) for k in META_FIELDS}
    if isinstance(text, str) and text.strip():
        return RawDocument(source=where, text=text, **meta)
    if isinstance(html, str):
        return RawDocument(source=where, html=html, **meta)
    return RawDocument(source=where, text=text if isinstance(text, str) else "", **meta)


def _scalar(value: object) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None
