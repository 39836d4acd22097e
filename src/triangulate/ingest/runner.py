"""Ingest inputs into the store: read, prepare, deduplicate, write in atomic batches."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from triangulate import settings
from triangulate.ingest.prepare import prepare
from triangulate.ingest.sources import read_inputs
from triangulate.model import Article, Skipped
from triangulate.store import Store
from triangulate.util import chunks


@dataclass
class IngestReport:
    ingested: int = 0  # new articles stored this run
    already_stored: int = 0  # seen in an earlier run (same id or same content)
    duplicates: int = 0  # new articles stored as copies of an earlier one
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def read(self) -> int:
        return self.ingested + self.already_stored

    def reasons(self) -> Counter[str]:
        return Counter(s.reason for s in self.skipped)


def ingest(
    store: Store,
    inputs: Iterable[str],
    on_item: Callable[[Article | Skipped], None] | None = None,
) -> IngestReport:
    report = IngestReport()
    prepared = (prepare(raw) if not isinstance(raw, Skipped) else raw for raw in read_inputs(inputs))
    for batch in chunks(prepared, settings.WRITE_BATCH):
        skipped = [x for x in batch if isinstance(x, Skipped)]
        articles = [x for x in batch if isinstance(x, Article)]
        report.skipped.extend(skipped)
        store.add_skipped(skipped)
        new = _new_articles(store, articles, report)
        store.add_articles(new)
        report.ingested += len(new)
        report.duplicates += sum(a.duplicate_of is not None for a in new)
        if on_item:
            for item in batch:
                on_item(item)
    return report


def _new_articles(store: Store, articles: list[Article], report: IngestReport) -> list[Article]:
    known_ids = store.existing_ids([a.id for a in articles])
    first_by_hash = store.article_ids_by_hash([a.content_hash for a in articles])
    new: list[Article] = []
    for article in articles:
        if article.id in known_ids:
            report.already_stored += 1
            continue
        original = first_by_hash.get(article.content_hash)
        if original is not None:
            article.duplicate_of, article.similarity = original, 1.0
        else:
            first_by_hash[article.content_hash] = article.id
        known_ids.add(article.id)
        new.append(article)
    return new
