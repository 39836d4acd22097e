"""Adding articles from the web: the same ingest, analysis and linking `triangulate run` does.

Pasted text becomes one JSON Lines record (so its title, outlet and date travel with it);
an uploaded file is read as the CLI reads standard input, its format told by its bytes,
except CSV/TSV, which only a file name tells apart from text.

Adds are not applied by the request: they queue for the app's one writer (app/writer.py),
which ingests each and analyses them together; the relink follows in the background.
"""

from __future__ import annotations

import io
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from triangulate.ingest.runner import IngestReport, ingest
from triangulate.model import Article, Skipped
from triangulate.store import Store

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
    # Stories in the store when the add was answered: before its own relink while
    # ``linking`` is "pending"; after it when the add waited for linking.
    stories: int = 0
    # "pending": the relink that takes the add in runs after the answer (its articles and
    # analysis are stored and shown already); "done": it has run; "failed: why": it
    # stopped, and the next add's relink takes these articles in.
    linking: str = "pending"
    # Articles stored whose analysis failed (an error, its time budget, its worker dying):
    # the web app and `stats` list them, and `triangulate retry` runs them again.
    failed: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Add:
    """One add as the user gave it: pasted ``text`` (with ``meta``) or an uploaded file."""

    text: str | None = None
    meta: dict[str, str | None] | None = None
    filename: str | None = None
    data: bytes | None = None


@dataclass
class Ingested:
    """An add once ingested: what the reader reported and the ids of its articles (new or
    already stored)."""

    report: IngestReport
    ids: list[str]

    def result(self, analysed: int, failed: list[dict[str, str]] | None = None) -> AddResult:
        r = self.report
        return AddResult(
            ingested=r.ingested, already_stored=r.already_stored, duplicates=r.duplicates,
            analysed=analysed, articles=self.ids, skipped=[_skip(s) for s in r.skipped],
            failed=[f for f in failed or [] if f["id"] in self.ids],
        )


def check(add: Add) -> None:
    """Raise BadInput for an add with nothing in it, before it waits in the queue."""
    if not add.data and not (add.text and add.text.strip()):
        raise BadInput("give the article's text or a file")


def ingest_add(store: Store, add: Add) -> Ingested:
    """Ingest one add; raises BadInput when nothing could be read."""
    check(add)
    meta = {k: v.strip() for k, v in (add.meta or {}).items() if k in META and v and v.strip()}
    seen: list[str] = []

    def tick(item: object) -> None:
        if isinstance(item, Article):
            seen.append(item.id)

    if add.data:
        report = _ingest_file(store, add.filename or "upload", add.data, tick)
    else:
        record = json.dumps({"text": add.text, **meta}, ensure_ascii=False).encode("utf-8")
        report = ingest(store, ["-"], on_item=tick, stdin=io.BytesIO(record + b"\n"))
    ids = sorted(store.existing_ids(list(dict.fromkeys(seen))))
    if not ids:
        reasons = "; ".join(f"{s.reason}: {s.detail}" for s in report.skipped)
        raise BadInput("no article could be read" + (f" ({reasons})" if reasons else ""))
    return Ingested(report, ids)


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
