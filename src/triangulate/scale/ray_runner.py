"""Analysis as a Ray Data job: the same analyse function as the local engine, on a cluster.

Ingest (global duplicate detection) and linking (across articles) stay on the driver; only
the per-article analysis, which is embarrassingly parallel, is distributed:

    store ──▶ input shards (Parquet) ──▶ Dataset of shard names ──▶ map_batches(Analyser)
          ──▶ write_parquet (one row per analysis) ──▶ Store.load_analyses_parquet ──▶ store

Each Ray actor loads the language model once (a callable class in ``map_batches``), reads
the shards it is given from shared storage and runs ``analyze.pipeline.analyze_articles`` on
them, exactly as a local worker process does; it turns every analysis into the analyses
table's row (``store.analysis_row``) there, so the driver only loads finished rows. The work
directory must be readable and writable by every node: a local path on one machine, a shared
mount or an object-store URI (``s3://...``) on a cluster (docs/performance.md, "Scaling out
with Ray").
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import fields

from triangulate.model import Analysis, AnalysisFailure, Article, to_dict
from triangulate.store import ANALYSIS_COLUMNS, FAILURE_COLUMN, Store, analysis_row
from triangulate.util import chunks

# Articles per input shard at most. A shard is the unit of work an actor takes (and Ray's
# unit of retry): small enough to spread a corpus evenly over the actors, large enough that
# files stay few.
SHARD_ARTICLES = 500
# spaCy's pipe batch size inside an actor, as in the local engine.
BATCH_ARTICLES = 16
# Where shards and results go when no work_dir is given; on a cluster a shared path or URI.
WORK_DIR_ENV = "TRIANGULATE_RAY_DIR"

ARTICLE_COLUMNS = [f.name for f in fields(Article)]


class Analyser:
    """One Ray actor: loads the model once, then analyses whole input shards."""

    def __init__(self, root: str) -> None:
        import pyarrow.fs as pafs

        from triangulate.analyze import nlp

        nlp.load()
        self.fs, self.base = pafs.FileSystem.from_uri(root)

    def __call__(self, batch: dict):  # -> pyarrow.Table
        import pyarrow as pa
        import pyarrow.parquet as pq

        from triangulate.analyze.pipeline import analyze_articles

        rows = []
        for shard in batch["shard"]:
            table = pq.read_table(f"{self.base}/{shard}", filesystem=self.fs)
            articles = [Article(**row) for row in table.to_pylist()]
            rows.extend(_result_row(a)
                        for a in analyze_articles(articles, batch_size=BATCH_ARTICLES))
        # An explicit schema: a shard whose scores are all None would otherwise give a
        # null-typed column that does not unify with the others' doubles.
        return pa.table({column: [r[k] for r in rows] for k, column in enumerate(RESULT_COLUMNS)},
                        schema=_analysis_schema())


# An analysis row, plus the failure column: a failed article (its analysis raised or ran
# over its budget) travels as a row with only its id and the failure, and is stored as failed.
RESULT_COLUMNS = [*ANALYSIS_COLUMNS, FAILURE_COLUMN]


def _result_row(result: Analysis | AnalysisFailure) -> list:
    if isinstance(result, AnalysisFailure):
        return [result.id, None, None, None, None, "", json.dumps(to_dict(result))]
    return [*analysis_row(result), None]


def _analysis_schema():
    import pyarrow as pa

    types = {"genre_score": pa.float64(), "tone": pa.float64()}
    return pa.schema([(c, types.get(c, pa.string())) for c in RESULT_COLUMNS])


def analyse_pending_ray(
    store: Store,
    address: str | None = None,
    workers: int | None = None,
    work_dir: str | None = None,
    on_done: Callable[..., None] | None = None,
    *,
    retry: bool | Sequence[str] = False,
    on_failed: Callable[[AnalysisFailure], None] | None = None,
) -> int:
    """Analyse every stored article that has no analysis yet on a Ray cluster; returns how
    many were stored.

    ``address`` is passed to ``ray.init`` ("auto", "ray://head:10001"); None starts a local
    instance unless Ray is already initialised in this process. ``workers`` is the number of
    analysing actors (default: one per CPU of the cluster). ``work_dir`` (default
    $TRIANGULATE_RAY_DIR, else the temporary directory) holds this run's shards and results,
    removed at the end. Failed articles are stored as failed and handed to ``on_failed``;
    ``retry`` asks for earlier failures again, as in ``jobs.analyse_pending``.
    """
    import ray

    counts = store.counts()
    pending = counts["articles"] - counts["analysed"] - (0 if retry else counts["failed"])
    if pending <= 0:
        return 0
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, logging_level="WARNING",
                 log_to_driver=False)
    _quiet_ray_data(ray)
    actors = workers if workers and workers > 1 else _cluster_cpus(ray)
    # A few shards per actor, so every actor gets work and a slow shard does not leave the
    # others idle at the end.
    shard_size = max(BATCH_ARTICLES, min(SHARD_ARTICLES, -(-pending // (4 * actors))))
    root = _uri(work_dir or os.environ.get(WORK_DIR_ENV) or tempfile.gettempdir())
    run = f"triangulate-ray-{uuid.uuid4().hex[:12]}"
    fs, base = _filesystem(root)
    try:
        only = None if isinstance(retry, bool) else list(retry)
        articles = store.articles(ids=only, unanalysed_only=True, retry=retry)
        shards = _write_shards(articles, fs, base, f"{run}/input", shard_size)
        if not shards:
            return 0
        _run_job(ray, root, shards, f"{root.rstrip('/')}/{run}/output", actors)
        with store.bounded_cache():
            return _load_results(store, fs, f"{base}/{run}/output", on_done, on_failed)
    finally:
        _remove(fs, f"{base}/{run}")


def _quiet_ray_data(ray) -> None:
    # Progress is reported through on_done; Ray Data's own bars and per-second operator
    # logs would interleave with the CLI's progress display.
    import logging

    logging.getLogger("ray.data").setLevel(logging.ERROR)
    ray.data.DataContext.get_current().enable_progress_bars = False


def _uri(root: str) -> str:
    return root if "://" in root else os.path.abspath(root)


def _filesystem(root: str):
    import pyarrow.fs as pafs

    fs, base = pafs.FileSystem.from_uri(root)
    return fs, base.rstrip("/")


def _cluster_cpus(ray) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def _write_shards(articles: Iterator[Article], fs, base: str, folder: str,
                  size: int) -> list[str]:
    """Pending articles as Parquet shards, streamed (one shard in memory at a time); returns
    the shards' paths relative to ``base``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    fs.create_dir(f"{base}/{folder}", recursive=True)
    schema = pa.schema([(c, pa.float64() if c == "similarity" else pa.string())
                        for c in ARTICLE_COLUMNS])
    shards = []
    for n, chunk in enumerate(chunks(articles, size)):
        table = pa.Table.from_pylist([{c: getattr(a, c) for c in ARTICLE_COLUMNS} for a in chunk],
                                     schema=schema)
        shard = f"{folder}/shard-{n:06d}.parquet"
        pq.write_table(table, f"{base}/{shard}", filesystem=fs)
        shards.append(shard)
    return shards


def _run_job(ray, root: str, shards: list[str], output: str, actors: int) -> None:
    # A dataset of shard names, one block each, rather than read_parquet: Ray Data bin-packs
    # small Parquet files into one read task (up to 128 MiB), which would hand the whole
    # corpus to a single actor.
    ds = ray.data.from_items([{"shard": s} for s in shards], override_num_blocks=len(shards))
    ds = ds.map_batches(Analyser, batch_size=1, fn_constructor_args=(root,),
                        concurrency=min(actors, len(shards)),
                        num_cpus=_actor_cpus(ray, min(actors, len(shards))))
    ds.write_parquet(output)


def _actor_cpus(ray, actors: int) -> float:
    """Logical CPUs each analysing actor reserves.

    Ray Data starts the actor pool before its other tasks; a pool holding every CPU slot
    leaves the write tasks unschedulable and the job hangs (ray-project/ray#44687). One slot
    is kept free for them: writing is light next to parsing, so the actors still get the
    cores in practice.
    """
    total = _cluster_cpus(ray)
    if actors < total:
        return 1.0
    return max(0.05, (total - 1) / actors) if total > 1 else 0.5


def _load_results(store: Store, fs, folder: str, on_done: Callable[..., None] | None,
                  on_failed: Callable[[AnalysisFailure], None] | None = None) -> int:
    import pyarrow.fs as pafs

    infos = fs.get_file_info(pafs.FileSelector(folder, allow_not_found=True))
    done = 0
    for info in sorted((i for i in infos if i.path.endswith(".parquet")), key=lambda i: i.path):
        with fs.open_input_file(info.path) as fh:
            failed: list[AnalysisFailure] = []
            n = store.load_analyses_parquet([fh], on_failed=failed.append)
        done += n
        for failure in failed:
            if on_failed:
                on_failed(failure)
        if on_done:
            for _ in range(n + len(failed)):
                on_done()
    return done


def _remove(fs, path: str) -> None:
    import pyarrow.fs as pafs

    try:
        if isinstance(fs, pafs.LocalFileSystem):
            shutil.rmtree(path, ignore_errors=True)
        else:
            fs.delete_dir(path)
    except OSError:
        pass  # leftovers in a scratch directory are harmless
