"""Whole jobs over a store, shared by the CLI, the web app and the scale-out runner."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

import numpy as np

from triangulate import settings
from triangulate.model import Analysis, AnalysisFailure, Article
from triangulate.store import Store
from triangulate.util import chunks
from triangulate.workers import Result, Workers


def analyse_pending(
    store: Store,
    workers: int = 1,
    on_done: Callable[..., None] | None = None,
    *,
    retry: bool | Sequence[str] = False,
    on_failed: Callable[[AnalysisFailure], None] | None = None,
) -> int:
    """Analyse every stored article that has no analysis yet; returns how many were analysed.

    An article whose analysis fails (an error, its time budget, its worker dying) is stored
    as failed, handed to ``on_failed``, and the run goes on; failed articles are left alone
    by later runs until ``retry`` (True: all of them, or a list of ids) asks for them again.

    Articles stream from the store and results are written in batches, each in one
    transaction, so an interrupted run loses at most the batches in flight and the next run
    picks up exactly the articles still missing.
    """
    done = 0
    only = None if isinstance(retry, bool) else list(retry)
    pending = store.articles(ids=only, unanalysed_only=True, retry=retry)
    # Memory stays flat with corpus size: articles are read a page at a time, at most
    # 2 * workers chunks are in flight, one batch is written at a time and DuckDB's cache of
    # written blocks is capped (bench/memory.py measures it).
    with store.bounded_cache():
        for batch in chunks(analyse_stream(pending, workers), settings.WRITE_BATCH):
            analyses = [a for a in batch if isinstance(a, Analysis)]
            failures = [a for a in batch if isinstance(a, AnalysisFailure)]
            store.save_analyses(analyses, failures)
            done += len(analyses)
            for failure in failures:
                if on_failed:
                    on_failed(failure)
            if on_done:
                for _ in batch:
                    on_done()
    return done


def analyse_stream(
    articles: Iterable[Article], workers: int = 1, task: Callable[..., Iterator[Result]] | None = None,
) -> Iterator[Result]:
    """One result per article (its Analysis or its AnalysisFailure), in input order, from
    this process or from ``workers`` processes.

    ``task`` is what a worker runs over a chunk of articles (default
    ``pipeline.analyze_articles``); it must be importable by name, as workers are other
    processes (see ``workers``: they start with the language model loaded, and one that hangs
    or dies costs its article only).
    """
    from triangulate.analyze.pipeline import analyze_articles

    task = task or analyze_articles
    if workers <= 1:
        yield from task(articles)
        return
    with Workers(workers, task) as pool:
        yield from pool.run(articles)


def link_all(store: Store, model: str | None = None, on_done: Callable[..., None] | None = None):
    """Link every analysed article into stories and replace the store's link tables.

    Evidence sentences are embedded once: vectors are cached in the store by article, event
    and model, so re-linking a grown corpus embeds only the new events. Returns the
    LinkResult (stories with their figures and contradictions).
    """
    from triangulate.link import embed, link, mentions_from_analyses

    mentions = list(mentions_from_analyses(store.analyses()))
    embedder = embed.load(model)
    vectors = _vectors(store, mentions, embedder, on_done) if embedder else None
    result = link(mentions, vectors)
    store.save_links(result.stories, result.members)
    return result


def _vectors(store: Store, mentions, embedder, on_done) -> np.ndarray:
    import hashlib

    def text(m) -> str:
        return " ".join(m.evidence.text.split()) if m.evidence else ""

    hashes = [hashlib.sha1(text(m).encode()).hexdigest()[:16] for m in mentions]
    cached = store.event_vectors(embedder.name)
    vectors = np.zeros((len(mentions), embedder.dim), dtype=np.float32)
    missing = []
    for k, m in enumerate(mentions):
        hit = cached.get((m.article, m.event))
        if hit is not None and hit[0] == hashes[k]:
            vectors[k] = np.frombuffer(hit[1], dtype=np.float32)
        else:
            missing.append(k)
    for batch in chunks(missing, settings.LINK_EMBED_CHUNK):
        # Several events often cite one sentence: each distinct text is embedded once.
        texts = list(dict.fromkeys(text(mentions[k]) for k in batch))
        embedded = embedder.embed(texts)
        row = {t: n for n, t in enumerate(texts)}
        new = embedded[[row[text(mentions[k])] for k in batch]]
        vectors[batch] = new
        store.save_event_vectors(embedder.name, [
            (mentions[k].article, mentions[k].event, hashes[k], new[n].tobytes())
            for n, k in enumerate(batch)
        ])
        if on_done:
            for _ in batch:
                on_done()
    return vectors
