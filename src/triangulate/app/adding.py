"""Adding articles from the web: the same ingest, analysis and linking `triangulate run` does.

Pasted text becomes one JSON Lines record (so its title, outlet and date travel with it);
an uploaded file is read as the CLI reads standard input, its format told by its bytes,
except CSV/TSV, which only a file name tells apart from text.
"""

from __future__ import annotations

import io
import json
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from triangulate.ingest.runner import ingest
from triangulate.jobs import analyse_pending, link_all
from triangulate.model import AnalysisFailure, Article, Skipped
from triangulate.store import Store

# One add at a time: linking rewrites the story tables as a whole.
_LOCK = threading.Lock()
_TABLE_SUFFIXES = (".csv", ".tsv")
META = ("title", "outlet", "published", "url", "author")


class BadInput(ValueError):
    """Nothing usable was given (an empty form, a file of no readable article)."""


@dataclass
class AddResult:
    ingested: int = 0
    already_stored: int = 0
    duplicates: int = 0
    analysed: int = 0
    articles: list[str] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    stories: int = 0
    # Articles stored whose analysis failed (an error or its time budget): they are listed
    # by the web app and `stats`, and `triangulate retry` runs them again.
    failed: list[dict[str, str]] = field(default_factory=list)


def add(
    store: Store, text: str | None = None, meta: dict[str, str | None] | None = None,
    filename: str | None = None, data: bytes | None = None,
) -> AddResult:
    """Ingest pasted ``text`` (with ``meta``) or an uploaded file, analyse what is new and
    relink; raises BadInput when nothing could be read."""
    meta = {k: v.strip() for k, v in (meta or {}).items() if k in META and v and v.strip()}
    seen: list[str] = []

    def tick(item: object) -> None:
        if isinstance(item, Article):
            seen.append(item.id)

    with _LOCK:
        if data:
            report = _ingest_file(store, filename or "upload", data, tick)
        elif text and text.strip():
            record = json.dumps({"text": text, **meta}, ensure_ascii=False).encode("utf-8")
            report = ingest(store, ["-"], on_item=tick, stdin=io.BytesIO(record + b"\n"))
        else:
            raise BadInput("give the article's text or a file")
        ids = sorted(store.existing_ids(list(dict.fromkeys(seen))))
        if not ids:
            reasons = "; ".join(f"{s.reason}: {s.detail}" for s in report.skipped)
            raise BadInput("no article could be read" + (f" ({reasons})" if reasons else ""))
        failed: list[AnalysisFailure] = []
        analysed = analyse_pending(store, on_failed=failed.append)
        linked = link_all(store) if analysed else None
    return AddResult(
        ingested=report.ingested, already_stored=report.already_stored,
        duplicates=report.duplicates, analysed=analysed, articles=ids,
        skipped=[_skip(s) for s in report.skipped],
        stories=len(linked.stories) if linked else 0,
        failed=[{"id": f.id, "reason": f.reason, "detail": f.detail} for f in failed],
    )


def _ingest_file(store: Store, filename: str, data: bytes, tick):
    suffix = Path(filename).suffix.lower()
    if suffix in _TABLE_SUFFIXES:
        # The name is ours, not the user's: only the suffix decides how the file is read.
        with tempfile.TemporaryDirectory(prefix="triangulate-upload-") as folder:
            path = Path(folder) / f"upload{suffix}"
            path.write_bytes(data)
            return ingest(store, [str(path)], on_item=tick)
    return ingest(store, ["-"], on_item=tick, stdin=io.BytesIO(data))


def _skip(s: Skipped) -> dict[str, str]:
    return {"source": s.source, "reason": s.reason, "detail": s.detail}
