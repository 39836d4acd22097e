"""Ingest inputs into the store: read, prepare, deduplicate, write in atomic batches.

Each batch of settings.WRITE_BATCH inputs is written in one transaction (articles, their
MinHash signatures and the skipped inputs together), so a run killed at any moment leaves
whole batches only, and re-running it finds those by id and writes the rest.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np

from triangulate import settings
from triangulate.ingest import dedup
from triangulate.ingest.prepare import prepare
from triangulate.ingest.sources import ReadOptions, read_inputs
from triangulate.model import Article, RawDocument, Skipped
from triangulate.store import Store
from triangulate.util import chunks


@dataclass
class IngestReport:
    ingested: int = 0  # new articles stored this run
    already_stored: int = 0  # seen in an earlier run (same id or same content)
    duplicates: int = 0  # new articles stored as copies of an earlier one
    near_duplicates: int = 0  # ... of which copies with edits (MinHash), not exact
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    new_ids: list[str] = field(default_factory=list)  # the articles stored this run

    @property
    def read(self) -> int:
        return self.ingested + self.already_stored

    def reasons(self) -> Counter[str]:
        return Counter(s.reason for s in self.skipped)


Prepared = tuple[Article | Skipped, bytes | None]


def prepare_and_sign(raw: RawDocument) -> Prepared:
    """prepare() plus the MinHash signature: the per-document work, run in workers."""
    item = prepare(raw)
    if isinstance(item, Skipped):
        return item, None
    sig = dedup.signature(item.text)
    return item, dedup.to_blob(sig) if sig is not None else None


def ingest(
    store: Store,
    inputs: Iterable[str],
    on_item: Callable[[object], None] | None = None,
    *,
    url_files: Sequence[str] = (),
    allow_private: bool = False,
    fetch_links: bool = False,
    workers: int = 1,
    stdin: BinaryIO | None = None,
) -> IngestReport:
    """Read ``inputs`` (paths, '-', URLs) and the URLs listed in ``url_files`` into the store."""
    options = ReadOptions(
        url_files=url_files, allow_private=allow_private, fetch_links=fetch_links,
        is_stored=store.has_article, stdin=stdin,
    )
    return ingest_items(store, read_inputs(inputs, options), on_item, workers=workers)


def ingest_items(
    store: Store,
    items: Iterable[RawDocument | Skipped],
    on_item: Callable[[object], None] | None = None,
    *,
    workers: int = 1,
) -> IngestReport:
    """Store documents already read (by ``read_inputs`` or a watched source), with the same
    preparation, duplicate detection and batching as ``ingest``."""
    started = time.perf_counter()
    run = _Run(store, IngestReport(), on_item)
    with _Preparer(workers) as preparer:
        for batch in chunks(items, settings.WRITE_BATCH):
            run.batch(batch, preparer)
    run.report.seconds = time.perf_counter() - started
    return run.report


class _Preparer:
    """prepare_and_sign over a batch, here or in worker processes."""

    def __init__(self, workers: int):
        self.workers = workers
        self._pool = None

    def __enter__(self) -> _Preparer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def map(self, raws: list[RawDocument]) -> Iterator[Prepared]:
        if self.workers <= 1 or len(raws) < 2:
            return map(prepare_and_sign, raws)
        if self._pool is None:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            # spawn: no inherited DuckDB handle or threads in the workers.
            self._pool = ProcessPoolExecutor(self.workers, mp_context=mp.get_context("spawn"))
        size = max(1, len(raws) // (self.workers * 4))
        return self._pool.map(prepare_and_sign, raws, chunksize=size)


class _Run:
    def __init__(self, store: Store, report: IngestReport, on_item):
        self.store = store
        self.report = report
        self.on_item = on_item
        self._pending: dict[str, np.ndarray] = {}  # signatures of the batch being written
        self.index = dedup.NearDuplicateIndex(self._signatures)
        self._load_index()

    def _load_index(self) -> None:
        scheme = dedup.scheme_name()
        stored = self.store.minhash_scheme()
        if stored != scheme and self.store.has_any_signature():
            # Signatures of another kind cannot be compared with ours: sign everything anew.
            rows = []
            for article_id, text in self.store.article_texts():
                sig = dedup.signature(text)
                if sig is not None:
                    rows.append((article_id, dedup.to_blob(sig)))
            self.store.replace_signatures(rows, scheme)
        elif stored != scheme:
            self.store.set_minhash_scheme(scheme)
        self.index.load(self.store.minhash_signatures(originals_only=True))

    def _signatures(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        found = {i: self._pending[i] for i in ids if i in self._pending}
        missing = [i for i in ids if i not in found]
        for article_id, blob in self.store.signatures_for(missing).items():
            found[article_id] = dedup.from_blob(blob)
        return found

    def batch(self, items: list[RawDocument | Skipped], preparer: _Preparer) -> None:
        """Prepare, deduplicate and write one batch of inputs in one transaction."""
        skipped = [x for x in items if isinstance(x, Skipped)]
        todo = self._not_read_before([x for x in items if not isinstance(x, Skipped)])
        prepared = list(preparer.map(todo))
        new, blobs = self._admit(prepared, skipped)
        self.store.add_articles(new, blobs, skipped)
        self._pending.clear()
        self.report.ingested += len(new)
        self.report.new_ids.extend(a.id for a in new)
        self.report.duplicates += sum(a.duplicate_of is not None for a in new)
        self.report.near_duplicates += sum(
            a.duplicate_of is not None and (a.similarity or 0) < 1.0 for a in new
        )
        self.report.skipped.extend(skipped)
        for item in items:
            if isinstance(item, Skipped):
                self._tick(item)

    def _not_read_before(self, raws: list[RawDocument]) -> list[RawDocument]:
        """The inputs to prepare: not those stored before under the same id from the same
        source (re-running an ingest extracts no HTML again)."""
        stored = self.store.stored_identity([r.id for r in raws if r.id])
        todo = []
        for raw in raws:
            if getattr(raw, "stored", False) or stored.get(raw.id, ("",))[0] == raw.source:
                self.report.already_stored += 1
                self._tick(raw)
            else:
                todo.append(raw)
        return todo

    def _admit(
        self, prepared: list[Prepared], skipped: list[Skipped]
    ) -> tuple[list[Article], dict[str, bytes]]:
        """The new articles of a batch (copies marked) and their signatures; articles whose
        id is taken go to ``skipped`` (another text) or count as already stored (same)."""
        articles = [item for item, _ in prepared if isinstance(item, Article)]
        stored = self.store.stored_identity([a.id for a in articles])
        originals = self.store.originals_by_hash([a.content_hash for a in articles])
        new: list[Article] = []
        blobs: dict[str, bytes] = {}
        for item, blob in prepared:
            if isinstance(item, Skipped):
                skipped.append(item)
            elif (seen := stored.get(item.id)) is not None:
                if seen[1] == item.content_hash:
                    self.report.already_stored += 1
                else:
                    skipped.append(Skipped(
                        item.source, "id-conflict",
                        f"id {item.id!r} is already used by {seen[0]} for a different text",
                    ))
            else:
                self._deduplicate(item, blob, originals)
                stored[item.id] = (item.source, item.content_hash)
                new.append(item)
                if blob is not None:
                    blobs[item.id] = blob
            self._tick(item)
        return new, blobs

    def _deduplicate(
        self, article: Article, blob: bytes | None, originals: dict[str, tuple[str, float]]
    ) -> None:
        """Mark a copy (exact, else near) with its original; index an original."""
        exact = originals.get(article.content_hash)
        sig = dedup.from_blob(blob) if blob is not None else None
        if exact is not None:
            article.duplicate_of, article.similarity = exact
        elif sig is not None and (match := self.index.best_match(sig)) is not None:
            article.duplicate_of, article.similarity = match
        if article.duplicate_of is None:
            originals[article.content_hash] = (article.id, 1.0)
            if sig is not None:
                self.index.add(article.id, sig)
                self._pending[article.id] = sig
        else:
            originals.setdefault(article.content_hash, (article.duplicate_of,
                                                        article.similarity or 1.0))

    def _tick(self, item) -> None:
        if self.on_item is not None:
            self.on_item(item)
