"""Whole jobs over a store, shared by the CLI, the web app and the scale-out runner."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor

import numpy as np

from triangulate import settings
from triangulate.model import Analysis, Article
from triangulate.store import Store
from triangulate.util import chunks


def analyse_pending(
    store: Store,
    workers: int = 1,
    on_done: Callable[..., None] | None = None,
    pool: Executor | None = None,
) -> int:
    """Analyse every stored article that has no analysis yet; returns how many.

    Articles stream from the store and results are written in batches, each in one
    transaction, so an interrupted run loses at most the batches in flight and the next run
    picks up exactly the articles still missing. ``pool``: a running executor to analyse
    in (instead of this process or a new pool), as the web app's writer keeps one.
    """
    done = 0
    pending = store.articles(unanalysed_only=True)
    # Memory stays flat with corpus size: articles are read a page at a time, at most
    # 2 * workers chunks are in flight, one batch is written at a time and DuckDB's cache of
    # written blocks is capped (bench/memory.py measures it).
    with store.bounded_cache():
        for batch in chunks(analyse_stream(pending, workers, pool), settings.WRITE_BATCH):
            store.save_analyses(batch)
            done += len(batch)
            if on_done:
                for _ in batch:
                    on_done()
    return done


def analyse_stream(
    articles: Iterable[Article], workers: int = 1, pool: Executor | None = None,
) -> Iterator[Analysis]:
    """Analyses in input order, in this process, in ``workers`` processes or in ``pool``.

    Workers start with the language model loaded (see ``_context``). Work goes out in small
    chunks so memory stays flat however long the stream is (at most ``2 * workers`` chunks
    are in flight).
    """
    from triangulate.analyze.pipeline import analyze_articles

    if pool is not None:
        for chunk in chunks(articles, settings.WORKER_CHUNK):
            yield from pool.submit(_worker_analyse, chunk).result()
        return
    if workers <= 1:
        yield from analyze_articles(articles)
        return
    with _context().Pool(workers, initializer=_worker_init) as pool:
        in_flight: list = []
        for chunk in chunks(articles, settings.WORKER_CHUNK):
            in_flight.append(pool.apply_async(_worker_analyse, (chunk,)))
            if len(in_flight) >= 2 * workers:
                yield from in_flight.pop(0).get()
        for result in in_flight:
            yield from result.get()


def _context():
    """Where worker processes come from.

    Never a plain fork of this process: it may hold a DuckDB connection and threads. Where
    the platform has it, a fork server: a clean process started once per program that loads
    the model and lexicons (``analyze.preload``) and forks each worker from itself, so
    workers start in milliseconds and share the model's memory. Where there is none
    (Windows) workers are spawned and load the model themselves.
    """
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["triangulate.analyze.preload"])
    return ctx


def _worker_init() -> None:
    import signal

    from triangulate.analyze import nlp

    # Ctrl-C reaches the whole process group: the parent decides when to stop (and closes
    # the pool); a worker dying on it mid-task would leave the pool waiting for its result.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    nlp.load()


def _worker_analyse(articles: list[Article]) -> list[Analysis]:
    from triangulate.analyze.pipeline import analyze_articles

    return list(analyze_articles(articles))


def link_all(
    store: Store, model: str | None = None, on_done: Callable[..., None] | None = None,
    pool: Executor | None = None,
):
    """Link every analysed article into stories and replace the store's link tables.

    Evidence sentences are embedded once: vectors are cached in the store by article, event
    and model, so re-linking a grown corpus embeds only the new events. Returns the
    LinkResult (stories with their figures and contradictions).

    ``pool``: a running executor (the web app's writer keeps one worker process). The
    records, the embedding and the clustering then go to it, and this process only reads
    and writes the store: a server's threads are not held up by the GIL while a relink runs.
    """
    from triangulate.link import embed, link, mentions_from_analyses

    if pool is not None:
        name = pool.submit(_worker_embedder_name, model).result()
        cached = store.event_vectors(name) if name else {}
        result, fresh = pool.submit(
            _worker_link, list(store.analysis_records()), cached, model).result()
        if fresh:
            store.save_event_vectors(name, fresh)
        store.save_links(result.stories, result.members)
        return result
    mentions = list(mentions_from_analyses(store.analyses()))
    embedder = embed.load(model)
    vectors = _vectors(store, mentions, embedder, on_done) if embedder else None
    result = link(mentions, vectors)
    store.save_links(result.stories, result.members)
    return result


def link_new(
    store: Store, article_ids: Sequence[str], model: str | None = None,
    on_done: Callable[..., None] | None = None,
):
    """Bring the store's stories up to date after ``article_ids`` were analysed (what a
    `watch` round calls). For now this relinks everything with ``link_all``; it is the one
    place incremental linking replaces, with this contract:

    - ``article_ids`` are the articles analysed since the caller last linked. The store is
      the truth, not the argument: an analysed article found in no story yet (a round killed
      between analysis and linking) is new as well.
    - Afterwards the link tables hold what ``link_all`` would write on the same store, and
      the LinkResult returned lists every story.
    """
    return link_all(store, model=model, on_done=on_done)


def _worker_embedder_name(model: str | None) -> str | None:
    from triangulate.link import embed

    embedder = embed.load(model)
    return embedder.name if embedder else None


# In a pool process: the mentions of each stored record it has decoded, by ingest order and
# a digest of the record, so a relink after an add decodes only the new articles (decoding is
# the largest part of a relink: ~3 ms an article against ~2 ms for the clustering).
_DECODED: dict[tuple[int, bytes], list] = {}


def _worker_link(records: list[tuple[str, str]], cached: dict, model: str | None):
    """link_all's work on stored (record, text) rows, in a pool process: the LinkResult and
    the (article, event, text hash, vector) rows it had to embed."""
    import hashlib

    from triangulate.link import embed, link, mentions_from_analysis
    from triangulate.store import analysis_from_record

    global _DECODED
    decoded: dict[tuple[int, bytes], list] = {}
    mentions = []
    for order, (record, text) in enumerate(records):
        key = (order, hashlib.blake2b(f"{record}\0{text}".encode(), digest_size=16).digest())
        found = _DECODED.get(key)
        if found is None:
            found = mentions_from_analysis(analysis_from_record(record, text), order)
        decoded[key] = found
        mentions += found
    _DECODED = decoded
    embedder = embed.load(model)
    fresh: list[tuple[str, str, str, bytes]] = []
    vectors = _embedded(mentions, embedder, cached, fresh.extend) if embedder else None
    return link(mentions, vectors), fresh


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
