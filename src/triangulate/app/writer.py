"""The served store's one writer: adds wait in a bounded queue and one thread applies them in
batches, analysed in a worker process; the relink that follows runs behind them, coalesced.

Why this shape (measured by bench/serve_load.py; see docs/performance.md, "Serving"):

- Adds are applied one batch at a time. Adds that arrive while a batch runs go together in
  the next one: each is ingested, then one analysis pass serves them all.
- An add is answered once its articles are stored and analysed (their analysis is on every
  page at once), not after the relink: relinking reads every stored analysis and grows
  with the store, so an add that waited for it waited 11-21 s on a loaded machine. The
  relink runs on a thread of its own (``linking``), in a second worker process, one round
  for every add that arrived since the last round began: a burst of adds costs one or two
  relinks, never one each. Until a round has taken an add in, the add's answer, the pages
  and /api/stats say "linking pending"; ``linked()`` waits for it (``?wait=linked``).
  The relink goes through ``jobs.link_new`` with the articles the round covers, so an
  incremental link_new makes it cheaper without a change here. Linking writes only the
  story tables and the analysis only the article tables, so the two threads' transactions
  do not conflict.
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
    ``queue_size`` waiting, and relinks behind them from another. ``processes``: analyse
    and link in worker processes (False: in the writer's threads, for platforms without
    them)."""

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
        # Publishing is one step at a time: the adds' thread and the linking thread both
        # move the generation on, and a cache refresh is computed for one generation.
        self._publishing = threading.Lock()
        # Linking: analysed articles no round has taken in yet, the futures waiting for
        # the round that will, and whether a round is running. Guarded by _link_state.
        self._link_state = threading.Condition()
        self._unlinked: set[str] = set()
        self._link_waiters: list[Future] = []
        self._running_waiters: list[Future] = []
        self._link_failed: set[str] = set()  # articles of a round that failed
        self._link_running = False
        self._link_stopping = False
        self._link_thread: threading.Thread | None = None
        self._link_pool: Executor | None = None
        self.last_link_error: str | None = None

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

    def linking_pending(self) -> bool:
        """True while analysed adds wait for a relink to take them in (or one is running)."""
        with self._link_state:
            return bool(self._unlinked) or self._link_running

    def linked(self) -> Future:
        """A future done when every add answered so far is linked: at once when nothing is
        pending, else at the end of the relink round that takes the pending adds in. Its
        result is None, or the error of the round that failed to link them."""
        future: Future = Future()
        with self._link_state:
            if not self._unlinked and not self._link_running:
                # A failed round's articles wait for the next add: say why they are unlinked.
                future.set_result(self.last_link_error if self._link_failed else None)
            elif self._unlinked:
                self._link_waiters.append(future)
            else:
                # A round is running without new adds: it covers everything answered.
                self._running_waiters.append(future)
        return future

    def retry_after(self) -> int:
        """Seconds a refused client should wait: the batches the queue holds, at the last
        batch's pace."""
        batches = max(1, math.ceil(self._queue.qsize() / self._batch))
        return max(1, math.ceil(batches * self._batch_seconds))

    def close(self) -> None:
        """Apply what is queued and link it, then stop the threads and the worker
        processes. A writer still loading its worker (a server stopped just after it
        started) can apply nothing yet: its thread is left to end with the process rather
        than hold the shutdown up for the load."""
        if self._thread is not None:
            if self._warming.is_set():
                return
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        if self._link_thread is not None:
            with self._link_state:
                self._link_stopping = True
                self._link_state.notify_all()
            self._link_thread.join()
            self._link_thread = None
        for pool in (self._pool, self._link_pool):
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        self._pool = self._link_pool = None

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
                analysed = {i for _, o in outcomes
                            if isinstance(o, AddResult) and o.linking == "pending"
                            for i in o.articles}
                if analysed:
                    with self._link_state:
                        self._unlinked |= analysed
                self._publish()
                if analysed:
                    self._start_linking()
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
        with self._publishing:
            if self.before_publish is not None:
                started = time.monotonic()
                try:
                    self.before_publish(self.generation + 1)
                except Exception:  # readers will compute the pages themselves
                    log.exception("refreshing the read cache failed")
                log.info("read cache refreshed in %.2f s", time.monotonic() - started)
            self.generation += 1

    # ------------------------------------------------------------------ the linking thread

    def _start_linking(self) -> None:
        with self._link_state:
            if self._link_thread is None:
                self._link_thread = threading.Thread(target=self._link_loop,
                                                     name="triangulate-linker", daemon=True)
                self._link_thread.start()
            self._link_state.notify_all()

    def _link_loop(self) -> None:
        store = self._store.thread_view()
        try:
            while True:
                with self._link_state:
                    while not self._unlinked and not self._link_stopping:
                        self._link_state.wait()
                    if not self._unlinked:
                        return  # stopping, and nothing left to link
                    ids = sorted(self._unlinked | self._link_failed)
                    self._unlinked, self._link_failed = set(), set()
                    self._running_waiters = self._link_waiters
                    self._link_waiters = []
                    self._link_running = True
                error = self._link(store, ids)
                # Pages say "linking pending" until the round's stories are published.
                with self._link_state:
                    self._link_running = False
                    if error:  # the next add's round takes these in again
                        self._link_failed.update(ids)
                self._publish()
                with self._link_state:
                    waiters, self._running_waiters = self._running_waiters, []
                for future in waiters:
                    future.set_result(error)
        finally:
            store.close()

    def _link(self, store: Store, ids: list[str]) -> str | None:
        """One relink round for ``ids`` (and whatever else the store holds unlinked): None,
        or the error that stopped it (the adds stay analysed; the next round links them)."""
        from triangulate.jobs import link_new

        started = time.monotonic()
        try:
            pool = None
            if self._processes:
                if self._link_pool is None:
                    # Its own process, without the language model: linking needs the
                    # embedder only, and the analysis worker stays free for the next adds.
                    self._link_pool = ProcessPoolExecutor(
                        1, mp_context=mp.get_context("spawn"), initializer=_stop_with_parent)
                pool = self._link_pool
            linked = link_new(store, ids, pool=pool)
        except Exception as exc:
            if isinstance(exc, BrokenProcessPool):
                self._link_pool = None
            log.exception("relinking after %d adds failed", len(ids))
            self.last_link_error = f"{type(exc).__name__}: {exc}"
            return self.last_link_error
        self.last_link_error = None
        log.info("relinked %d new articles in %.2f s (%d stories)", len(ids),
                 time.monotonic() - started, len(linked.stories))
        return None

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
        """Ingest each add, then analyse them in one pass: each add's result or error (the
        relink is the linking thread's)."""
        from triangulate.jobs import analyse_pending

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
                # An article took the worker down (it is stored as failed): the next batch
                # gets a new worker rather than this broken one.
                pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
            clock.append(time.monotonic())
            now = store.analysed_ids(ids) - before
            log.info("%d adds: analysed %d in %.2f s", len(ingested), analysed,
                     clock[1] - clock[0])
        except BrokenProcessPool:
            self._pool = None  # a new worker for the next batch
            log.exception("the writer's worker process stopped")
            error = RuntimeError("the analysis worker stopped; the add was stored, try again")
            return outcomes + [(job, error) for job, _ in ingested]
        except Exception as exc:
            log.exception("an add batch failed")
            return outcomes + [(job, exc) for job, _ in ingested]
        failures = [{k: f[k] for k in ("id", "reason", "detail")} for f in store.failures(ids)]
        stories = store.counts()["stories"]
        results = [(job, done.result(sum(i in now for i in done.ids), failures))
                   for job, done in ingested]
        for _, result in results:
            result.stories = stories
            # An add with nothing newly analysed (already stored, or failed) waits for no
            # relink of its own.
            if not set(result.articles) & now:
                result.linking = "done"
        return outcomes + results


def _start_worker() -> None:
    """In the writer's worker process: stop when the server stops, then load the model, the
    lexicons and the gazetteer (as the analysis fork server does)."""
    _stop_with_parent()
    import triangulate.analyze.preload  # noqa: F401


def _stop_with_parent() -> None:
    """In a worker process of the writer: stop when the server stops."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(Exception):
            # PR_SET_PDEATHSIG: SIGTERM when the parent goes, even killed outright. (Strictly
            # when the thread that started it ends: the writer's thread that made the pool,
            # which lives as long as the pool.)
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
        if os.getppid() == 1:  # the parent went before the line above
            os._exit(0)
