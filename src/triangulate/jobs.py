"""Whole jobs over a store, shared by the CLI, the web app and the scale-out runner."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool

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
    pool: Executor | None = None,
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
    picks up exactly the articles still missing. ``pool``: a running executor to analyse
    in (instead of this process or a new pool), as the web app's writer keeps one.
    """
    done = 0
    only = None if isinstance(retry, bool) else list(retry)
    pending = store.articles(ids=only, unanalysed_only=True, retry=retry)
    # Memory stays flat with corpus size: articles are read a page at a time, at most
    # 2 * workers chunks are in flight, one batch is written at a time and DuckDB's cache of
    # written blocks is capped (bench/memory.py measures it).
    with store.bounded_cache():
        for batch in chunks(analyse_stream(pending, workers, pool=pool), settings.WRITE_BATCH):
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
    pool: Executor | None = None,
) -> Iterator[Result]:
    """One result per article (its Analysis or its AnalysisFailure), in input order, from
    this process, from ``workers`` processes or from ``pool``.

    ``task`` is what a worker runs over a chunk of articles (default
    ``pipeline.analyze_articles``); it must be importable by name, as workers are other
    processes (see ``workers``: they start with the language model loaded, and one that hangs
    or dies costs its article only).
    """
    from triangulate.analyze.pipeline import analyze_articles

    task = task or analyze_articles
    if pool is not None:
        yield from _in_pool(pool, articles, task)
        return
    if workers <= 1:
        yield from task(articles)
        return
    with Workers(workers, task) as pool:
        yield from pool.run(articles)


def _in_pool(pool: Executor, articles: Iterable[Article], task) -> Iterator[Result]:
    """Analyses from a running executor, one article a task, so a worker process that dies
    names its article: that article is failed ("worker-died") and the stream ends there (the
    pool is broken; the articles after it stay pending for the next pass, and the caller
    finds the pool broken at its next use). A pool already broken raises, as before."""
    for article in articles:
        future = pool.submit(_run, task, [article])
        try:
            yield from future.result()
        except BrokenProcessPool:
            yield AnalysisFailure(article.id, "worker-died",
                                  "the analysis worker process ended while analysing it")
            return


def _run(task, articles: list[Article]) -> list[Result]:
    return list(task(articles))


def link_all(
    store: Store, model: str | None = None, on_done: Callable[..., None] | None = None,
    pool: Executor | None = None,
):
    """Link every analysed article into stories and replace the store's link tables.

    Evidence sentences are embedded once: vectors are cached in the store by article, event
    and model, so re-linking a grown corpus embeds only the new events. Returns the
    LinkResult (stories with their figures and contradictions, and the toll tracker's
    series of cumulative counts). It also leaves the state that ``link_new`` extends
    (link/incremental.py), and redirects the ids of stories that were joined into others.

    ``pool``: a running executor (the web app's writer keeps one worker process). The
    records, the embedding and the clustering then go to it, and this process only reads
    and writes the store: a server's threads are not held up by the GIL while a relink runs.
    """
    from triangulate.link import embed, incremental

    backfill_positions(store)
    if pool is not None:
        name, _dim = pool.submit(_worker_embedder, model).result()
        cached = store.event_vectors(name) if name else {}
        result, state, fresh = pool.submit(
            _worker_link, list(store.analysis_records()), cached, model).result()
        if fresh:
            store.save_event_vectors(name, fresh)
    else:
        embedder = embed.load(model)
        name = embedder.name if embedder else None
        rows = ((order, record, text) for order, (record, text)
                in enumerate(store.analysis_records()))
        mentions, points, orders = _decoded(rows)
        vectors = _vectors(store, mentions, embedder, on_done) if embedder else None
        result, state = incremental.link_full(
            mentions, vectors, points, orders, embedder.dim if embedder else None, model)
    _save_link(store, result, state, incremental.fingerprint(name))
    return result


def _save_link(store: Store, result, state, meta: str | None) -> None:
    from triangulate.link import negotiations

    result.disputes = negotiations.disputes(store.position_records())
    store.save_link_state(state, meta, result.stories, result.members,
                          [(negotiations.DISPUTES_KEY, c) for c in result.disputes],
                          result.tolls, components=state.components, replaced=result.replaced)


def _decoded(rows: Iterable[tuple[int, str, str]]):
    """(mentions, running counts by article, order by article) of (order, record, text)
    rows."""
    from triangulate.link import mentions_from_analysis
    from triangulate.link.tolls import toll_points
    from triangulate.store import analysis_from_record

    mentions, points, orders = [], {}, {}
    for order, record, text in rows:
        analysis = analysis_from_record(record, text)
        mentions.extend(mentions_from_analysis(analysis, order))
        points[analysis.id] = toll_points(analysis)
        orders[analysis.id] = order
    return mentions, points, orders


def backfill_positions(store: Store) -> int:
    """Give analyses stored before the positions stage existed their positions: the text is
    parsed again and the stage reads the stored actors, times, claims and events, so the
    rest of the record is kept as it is. Returns how many were upgraded (0 once done, and
    at once in a store made with positions)."""
    if not store.positions_pending():
        return 0
    from triangulate.analyze.pipeline import add_positions

    done = 0
    for batch in chunks(store.analyses_without_positions(), settings.WRITE_BATCH):
        add_positions(batch)
        store.save_positions(batch)
        done += len(batch)
    store.positions_backfilled()
    return done


def link_new(
    store: Store, article_ids: Sequence[str] = (), model: str | None = None,
    on_done: Callable[..., None] | None = None, pool: Executor | None = None,
):
    """Bring the store's stories up to date after new articles were analysed (what a
    `watch` round and the web app's writer call): incremental linking.

    - The store is the truth, not ``article_ids``: every analysed article not linked yet
      is new (an article analysed by a round killed before it linked as well).
    - The new articles' reports are compared only with the stored reports of the blocks
      they fall in, and only the stories those reach are rebuilt (link/incremental.py);
      the link tables then hold exactly what ``link_all`` would write on the same store.
      Where an update cannot guarantee that (no stored state, other linking settings or
      embedding model, a new article ingested before a linked one, a linked article
      gone) it runs ``link_all``.
    - Returns the LinkResult: after an update, the stories rebuilt (new or changed) with
      the ids they replace in ``replaced``; after a full relink, every story.

    ``pool``: as for ``link_all``; the new articles are decoded and embedded in it.
    """
    from triangulate.link import LinkResult, embed, incremental

    backfill_positions(store)
    embedder = None
    if pool is not None:
        name, dim = pool.submit(_worker_embedder, model).result()
    else:
        embedder = embed.load(model)
        name, dim = (embedder.name, embedder.dim) if embedder else (None, None)
    todo = incremental.plan(store, name)
    if todo is None:
        return link_all(store, model=model, on_done=on_done, pool=pool)
    if not todo:
        return LinkResult()
    orders = dict(todo)
    rows = sorted((orders[a], record, text)
                  for a, record, text in store.analysis_records_of(list(orders)))
    cached = store.event_vectors(name, articles=list(orders)) if name else {}
    if pool is not None:
        mentions, points, orders, vectors, fresh = pool.submit(
            _worker_prepare, rows, cached, model).result()
        if fresh:
            store.save_event_vectors(name, fresh)
    else:
        mentions, points, orders = _decoded(rows)
        vectors = _embedded(mentions, embedder, cached,
                            lambda got: store.save_event_vectors(name, got), on_done
                            ) if embedder else None
    result, state = incremental.link_update(store, mentions, vectors, points, orders, dim, model)
    _save_link(store, result, state, None)
    return result


def _worker_embedder(model: str | None) -> tuple[str | None, int | None]:
    from triangulate.link import embed

    embedder = embed.load(model)
    return (embedder.name, embedder.dim) if embedder else (None, None)


def _worker_prepare(rows: list[tuple[int, str, str]], cached: dict, model: str | None):
    """link_new's decoding and embedding, in a pool process."""
    from triangulate.link import embed

    mentions, points, orders = _decoded(rows)
    embedder = embed.load(model)
    fresh: list[tuple[str, str, str, bytes]] = []
    vectors = _embedded(mentions, embedder, cached, fresh.extend) if embedder else None
    return mentions, points, orders, vectors, fresh


# In a pool process: the mentions and running counts of each stored record it has decoded,
# by ingest order and a digest of the record, so a relink after an add decodes only the new
# articles (decoding is the largest part of a relink: ~3 ms an article against ~2 ms for the
# clustering).
_DECODED: dict[tuple[int, bytes], tuple[list, list, str]] = {}


def _worker_link(records: list[tuple[str, str]], cached: dict, model: str | None):
    """link_all's work on stored (record, text) rows, in a pool process: the LinkResult, the
    link state and the (article, event, text hash, vector) rows it had to embed."""
    import hashlib

    from triangulate.link import embed, incremental, mentions_from_analysis
    from triangulate.link.tolls import toll_points
    from triangulate.store import analysis_from_record

    global _DECODED
    decoded: dict[tuple[int, bytes], tuple[list, list, str]] = {}
    mentions, points, orders = [], {}, {}
    for order, (record, text) in enumerate(records):
        key = (order, hashlib.blake2b(f"{record}\0{text}".encode(), digest_size=16).digest())
        found = _DECODED.get(key)
        if found is None:
            analysis = analysis_from_record(record, text)
            found = (mentions_from_analysis(analysis, order), toll_points(analysis), analysis.id)
        decoded[key] = found
        mentions += found[0]
        points[found[2]] = found[1]
        orders[found[2]] = order
    _DECODED = decoded
    embedder = embed.load(model)
    fresh: list[tuple[str, str, str, bytes]] = []
    vectors = _embedded(mentions, embedder, cached, fresh.extend) if embedder else None
    result, state = incremental.link_full(
        mentions, vectors, points, orders, embedder.dim if embedder else None, model)
    return result, state, fresh


def _vectors(store: Store, mentions, embedder, on_done) -> np.ndarray:
    return _embedded(mentions, embedder, store.event_vectors(embedder.name),
                     lambda rows: store.save_event_vectors(embedder.name, rows), on_done)


def _embedded(mentions, embedder, cached, save, on_done=None) -> np.ndarray:
    """Vectors of the mentions' evidence: from ``cached`` where the text is unchanged, the
    rest embedded and handed to ``save`` a chunk at a time, so an interrupted link keeps
    what it embedded."""
    import hashlib

    def text(m) -> str:
        return " ".join(m.evidence.text.split()) if m.evidence else ""

    hashes = [hashlib.sha1(text(m).encode()).hexdigest()[:16] for m in mentions]
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
        save([
            (mentions[k].article, mentions[k].event, hashes[k], new[n].tobytes())
            for n, k in enumerate(batch)
        ])
        if on_done:
            for _ in batch:
                on_done()
    return vectors
