"""The served store's one writer: adds wait in a bounded queue and one thread applies them in
batches, with the analysis and the relink done in a worker process.

Why this shape (measured by bench/serve_load.py; see docs/performance.md, "Serving"):

- DuckDB has one writer per database and linking rewrites the story tables whole, so adds
  are applied one batch at a time. Adds that arrive while a batch runs go together in the
  next one: each is ingested, then one analysis pass and one relink serve them all, so
  five writers wait for about two batches rather than five relinks in a row.
- Analysis and linking are CPU-bound Python. Run in the server's own process they held the
  GIL against the event loop and the readers' threads: every socket call of the loop then
  waited up to the interpreter's switch interval for the GIL, reads slowed to hundreds of
  milliseconds and a write, fighting 40 reader threads for the same lock, took half a
  minute. A worker process (spawned by the server, model loaded once) runs them on the
  other core; this process only reads the store and writes the results.
- Readers never wait for a write: each read cursor sees the last committed state while a
  batch's transactions are open (DuckDB's MVCC). ``generation`` goes up after every batch,
  after its last commit, so the read cache (app/cache.py) drops what the batch made stale
  before the add's own response is sent.
- A full queue is answered at once (``Busy``, a 503 with Retry-After): a client is told to
  come back rather than left hanging.
"""

from __future__ import annotations

import contextlib
import logging
import math
import multiprocessing as mp
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from triangulate import settings
from triangulate.app.adding import Add, AddResult, BadInput, Ingested, check, ingest_add
from triangulate.store import Store

log = logging.getLogger(__name__)


class Busy(Exception):
    """The write queue is full; ``retry_after``: seconds until it has likely drained."""

    def __init__(self, retry_after: int):
        super().__init__(f"the write queue is full; try again in {retry_after} s")
        self.retry_after = retry_after


@dataclass
class _Job:
    add: Add
    future: Future


class Writer:
    """Applies adds to ``store`` from one thread, ``batch`` at a time at most, with at most
    ``queue_size`` waiting. ``processes``: analyse and link in a worker process (False: in
    the writer thread, for platforms without one)."""

    def __init__(self, store: Store, queue_size: int = settings.SERVE_WRITE_QUEUE,
                 batch: int = settings.SERVE_WRITE_BATCH, processes: bool = True):
        self.generation = 0
        self._store = store
        self._queue: queue.Queue[_Job | None] = queue.Queue(queue_size)
        self._batch = batch
        self._processes = processes
        self._pool: Executor | None = None
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._batch_seconds = 1.0
        self._warming = threading.Event()
        # Called with the next generation after a batch's last commit, before it is
        # published (the read cache computes the pages readers are reading).
        self.before_publish: Callable[[int], None] | None = None

    def start(self, warm: bool = False) -> None:
        """Start the writer thread (once); ``warm``: load the worker's models now rather
        than at the first add."""
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, args=(warm,),
                                                name="triangulate-writer", daemon=True)
                self._thread.start()

    def submit(self, add: Add) -> Future:
        """Queue an add; the future gives its AddResult (or raises BadInput). Raises Busy
        at once when the queue is full."""
        check(add)
        self.start()
        job = _Job(add, Future())
        try:
            self._queue.put_nowait(job)
        except queue.Full:
            raise Busy(self.retry_after()) from None
        return job.future

    def waiting(self) -> int:
        """Adds in the queue, not yet taken into a batch."""
        return self._queue.qsize()

    def retry_after(self) -> int:
        """Seconds a refused client should wait: the batches the queue holds, at the last
        batch's pace."""
        batches = max(1, math.ceil(self._queue.qsize() / self._batch))
        return max(1, math.ceil(batches * self._batch_seconds))

    def close(self) -> None:
        """Apply what is queued, then stop the thread and the worker process. A writer still
        loading its worker (a server stopped just after it started) can apply nothing yet:
        its thread is left to end with the process rather than hold the shutdown up for the
        load."""
        if self._thread is not None:
            if self._warming.is_set():
                return
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    # ------------------------------------------------------------------ the writer thread

    def _run(self, warm: bool) -> None:
        store = self._store.thread_view()
        try:
            if warm:
                self._warming.set()
                self._warm()
                self._warming.clear()
            while (job := self._queue.get()) is not None:
                jobs = [job]
                # Adds sent together (clients answered by the last batch posting their next)
                # arrive a few milliseconds apart: a short wait lets them share a batch.
                until = time.monotonic() + settings.SERVE_WRITE_GATHER_SECONDS
                while len(jobs) < self._batch:
                    try:
                        more = self._queue.get(timeout=max(0.0, until - time.monotonic()))
                    except queue.Empty:
                        break
                    if more is None:
                        self._queue.put(None)  # stop after this batch
                        break
                    jobs.append(more)
                started = time.monotonic()
                live = [j for j in jobs if j.future.set_running_or_notify_cancel()]
                outcomes = self._apply(store, live)
                self._publish()
                for job, outcome in outcomes:
                    if isinstance(outcome, BaseException):
                        job.future.set_exception(outcome)
                    else:
                        job.future.set_result(outcome)
                self._batch_seconds = time.monotonic() - started
        finally:
            store.close()

    def _publish(self) -> None:
        """Move the generation on: after the batch's last commit and before any of its adds
        is answered, so a reader that starts after an add's answer reads past it."""
        if self.before_publish is not None:
            started = time.monotonic()
            try:
                self.before_publish(self.generation + 1)
            except Exception:  # readers will compute the pages themselves
                log.exception("refreshing the read cache failed")
            log.info("read cache refreshed in %.2f s", time.monotonic() - started)
        self.generation += 1

    def _warm(self) -> None:
        from triangulate import jobs

        try:
            pool = self._worker()
            if pool is not None:
                # Starts the worker (model, lexicons, gazetteer) and loads the embedder.
                pool.submit(jobs._worker_embedder, None).result()
        except Exception:  # the first add will report it
            log.exception("warming the writer's worker process failed")

    def _worker(self) -> Executor | None:
        if self._processes and self._pool is None:
            # Spawned by this process rather than forked by the analysis fork server: a fork
            # server's children hold pipes that keep them and it alive after a server that
            # stopped without a clean shutdown, so they would outlive it. This worker is told
            # to stop with its parent (Linux) and loads the model once, at start-up.
            self._pool = ProcessPoolExecutor(1, mp_context=mp.get_context("spawn"),
                                             initializer=_start_worker)
        return self._pool

    def _apply(self, store: Store, jobs: list[_Job]) -> list[tuple[_Job, AddResult | Exception]]:
        """Ingest each add, then analyse and relink once: each add's result or error."""
        from triangulate.jobs import analyse_pending, link_new

        outcomes: list[tuple[_Job, AddResult | Exception]] = []
        ingested: list[tuple[_Job, Ingested]] = []
        for job in jobs:
            try:
                ingested.append((job, ingest_add(store, job.add)))
            except Exception as exc:  # BadInput, or an add the reader could not take
                if not isinstance(exc, BadInput):
                    log.exception("an add could not be ingested")
                outcomes.append((job, exc))
        if not ingested:
            return outcomes
        ids = sorted({i for _, done in ingested for i in done.ids})
        try:
            clock = [time.monotonic()]
            before = store.analysed_ids(ids)
            pool = self._worker()
            failed: list = []
            analysed = analyse_pending(store, pool=pool, on_failed=failed.append)
            if pool is not None and any(f.reason == "worker-died" for f in failed):
                # An article took the worker down (it is stored as failed): a new worker
                # relinks, and the next batch does not find this one broken.
                pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
                pool = self._worker()
            clock.append(time.monotonic())
            # incremental: only the stories the new articles reach are rebuilt
            linked = link_new(store, ids, pool=pool) if analysed else None
            clock.append(time.monotonic())
            now = store.analysed_ids(ids) - before
            log.info("%d adds: analysed %d in %.2f s, relinked in %.2f s", len(ingested),
                     analysed, clock[1] - clock[0], clock[2] - clock[1])
        except BrokenProcessPool:
            self._pool = None  # a new worker for the next batch
            log.exception("the writer's worker process stopped")
            error = RuntimeError("the analysis worker stopped; the add was stored, try again")
            return outcomes + [(job, error) for job, _ in ingested]
        except Exception as exc:
            log.exception("an add batch failed")
            return outcomes + [(job, exc) for job, _ in ingested]
        stories = store.counts()["stories"] if linked is not None else 0
        failures = [{k: f[k] for k in ("id", "reason", "detail")} for f in store.failures(ids)]
        return outcomes + [(job, done.result(sum(i in now for i in done.ids), stories, failures))
                           for job, done in ingested]


def _start_worker() -> None:
    """In the writer's worker process: stop when the server stops, then load the model, the
    lexicons and the gazetteer (as the analysis fork server does)."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(Exception):
            # PR_SET_PDEATHSIG: SIGTERM when the parent goes, even killed outright. (Strictly
            # when the thread that started it ends: the writer thread, which lives as long
            # as the pool.)
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
        if os.getppid() == 1:  # the parent went before the line above
            os._exit(0)
    import triangulate.analyze.preload  # noqa: F401
