"""Read any supported input into RawDocument records (or Skipped ones, with the reason).

Minimal first version: plain text, JSONL and HTML files and directories. The full set
(CSV, WARC, feeds, URL lists, stdin, encodings, size limits) is built on the same interface.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from triangulate.model import RawDocument, Skipped

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
META_FIELDS = ("id", "url", "outlet", "title", "author", "published")


def read_inputs(paths: Iterable[str]) -> Iterator[RawDocument | Skipped]:
    for arg in paths:
        path = Path(arg)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                yield from read_file(child, root=path)
        elif path.exists():
            yield from read_file(path, root=path.parent)
        else:
            yield Skipped(str(path), "unreadable", "no such file or directory")


def read_file(path: Path, root: Path) -> Iterator[RawDocument | Skipped]:
    suffix = path.suffix.lower()
    file_id = path.relative_to(root).with_suffix("").as_posix()
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl(path)
    elif suffix in HTML_SUFFIXES:
        yield RawDocument(source=str(path), html=path.read_text("utf-8"), id=file_id)
    elif suffix in TEXT_SUFFIXES:
        yield RawDocument(source=str(path), text=path.read_text("utf-8"), id=file_id)
    else:
        yield Skipped(str(path), "unsupported", f"unknown file type {suffix or '(none)'}")


def _read_jsonl(path: Path) -> Iterator[RawDocument | Skipped]:
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Skipped(where, "malformed-json", str(exc))
                continue
            if not isinstance(record, dict):
                yield Skipped(where, "malformed-json", "line is not a JSON object")
                continue
            yield _record(record, where)


def _record(record: dict, where: str) -> RawDocument | Skipped:
    text, html = record.get("text"), record.get("html")
    if not isinstance(text, str) and not isinstance(html, str):
        return Skipped(where, "no-text", "record has no 'text' or 'html' string")
    meta = {k: (str(record[k]) if record.get(k) is not None else None) for k in META_FIELDS}
    return RawDocument(
        source=where,
        text=text if isinstance(text, str) else None,
        html=html if isinstance(html, str) and not isinstance(text, str) else None,
        **meta,
    )
