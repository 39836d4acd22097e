"""Worker processes for the analysis, watched from the parent.

Each worker analyses chunks of articles and sends its results back one article at a time,
so the parent always knows which article a worker is on. A worker that gives no result within
that article's budget (plus settings.WORKER_GRACE_SECONDS) is killed, one that dies is
noticed; either way its article comes back as an AnalysisFailure, the rest of its chunk goes to
a new worker, and no other article is lost or analysed twice. Results leave in input order.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.connection import wait

from triangulate import settings
from triangulate.analyze import budget
from triangulate.model import Analysis, AnalysisFailure, Article
from triangulate.util import chunks

Result = Analysis | AnalysisFailure


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


def _worker_main(conn, task) -> None:
    """A worker process: load the model, then analyse each chunk sent, one result a message.

    Results go back one article at a time, so the parent always knows which article a
    worker is on: if the worker hangs or dies, that article alone is marked failed.
    """
    import signal

    # Ctrl-C reaches the whole process group: the parent decides when to stop (and stops the
    # workers); a worker dying on it mid-chunk would be taken for an article that killed it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        from triangulate.analyze import nlp

        nlp.load()
    except BaseException as exc:  # a broken install: the parent stops the run and says why
        conn.send(("broken", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while (chunk := conn.recv()) is not None:
        done = 0
        while done < len(chunk):
            try:
                for result in task(chunk[done:]):
                    conn.send(("result", result))
                    done += 1
            except Exception as exc:  # the task itself broke: that article fails, not the chunk
                conn.send(("result", AnalysisFailure(
                    chunk[done].id, "error", f"{type(exc).__name__}: {exc}"[:400])))
                done += 1


class _Worker:
    """One worker process, the chunk it holds and how far it has got."""

    def __init__(self, ctx, task):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, task), daemon=True)
        self.process.start()
        child.close()
        self.ready = False
        self.seq: int | None = None  # the chunk's place in the output order
        self.chunk: list[Article] = []
        self.done = 0
        self.deadline = time.monotonic() + settings.WORKER_START_SECONDS

    def give(self, seq: int, chunk: list[Article]) -> None:
        self.seq, self.chunk, self.done = seq, chunk, 0
        self.conn.send(chunk)
        if self.ready:
            self._next_deadline(first=True)

    def _next_deadline(self, first: bool = False) -> None:
        """Time for the next result: its article's budget plus a grace, and for the chunk's
        first result the parse of the whole chunk too (workers parse a chunk at once)."""
        seconds = settings.WORKER_GRACE_SECONDS + budget.seconds_for(len(self.current.text))
        if first:
            chars = sum(len(a.text) for a in self.chunk)
            seconds += settings.ANALYSIS_BUDGET_SECONDS_PER_KB * chars / 1000
        self.deadline = time.monotonic() + seconds

    @property
    def busy(self) -> bool:
        return self.seq is not None

    @property
    def current(self) -> Article:
        return self.chunk[self.done]

    def received(self, kind: str, value) -> Result | None:
        if kind == "ready":
            self.ready = True
            if self.busy:
                self._next_deadline(first=True)
            return None
        if kind == "broken":
            raise RuntimeError(f"an analysis worker could not start: {value}")
        self.done += 1
        if self.done == len(self.chunk):
            self.seq, self.chunk = None, []
        else:
            self._next_deadline()
        return value

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                self.process.kill()
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class Workers:
    """Worker processes watched from here: a worker that overruns its article's budget by
    settings.WORKER_GRACE_SECONDS is killed, one that dies is noticed; either way its
    article is returned as an AnalysisFailure, the rest of its chunk goes to a new worker,
    and no other article is lost or analysed twice."""

    def __init__(self, size: int, task):
        self.size = size
        self.task = task
        self.ctx = _context()
        self.workers: list[_Worker] = []

    def __enter__(self) -> Workers:
        self.workers = [_Worker(self.ctx, self.task) for _ in range(self.size)]
        return self

    def __exit__(self, *exc: object) -> None:
        for w in self.workers:
            w.stop(kill=exc[0] is not None)

    def run(self, articles: Iterable[Article]) -> Iterator[Result]:
        source = iter(chunks(articles, settings.WORKER_CHUNK))
        waiting: deque[tuple[int, list[Article]]] = deque()  # chunks (or their rests) to give
        results: dict[int, list[Result]] = {}
        sizes: dict[int, int] = {}
        next_seq = next_out = 0
        exhausted = False
        while True:
            for w in self.workers:
                if w.busy:
                    continue
                # At most 2 * workers chunks are out at once, so memory stays flat however
                # long a slow chunk holds up the output order.
                if not waiting and not exhausted and next_seq - next_out < 2 * self.size:
                    chunk = next(source, None)
                    if chunk is None:
                        exhausted = True
                    else:
                        waiting.append((next_seq, chunk))
                        results[next_seq], sizes[next_seq] = [], len(chunk)
                        next_seq += 1
                if waiting:
                    w.give(*waiting.popleft())
            while next_out in results and len(results[next_out]) == sizes[next_out]:
                yield from results.pop(next_out)
                next_out += 1
            if exhausted and next_out == next_seq:
                return
            self._wait(results, waiting)

    def _wait(self, results: dict[int, list[Result]], waiting: deque) -> None:
        """Take what the workers have sent (or replace one that died or overran)."""
        busy = [w for w in self.workers if w.busy or not w.ready]
        if not busy:
            return
        timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic()) if busy else None
        ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout)
        for w in busy:
            if w.conn in ready:
                try:
                    kind, value = w.conn.recv()
                except (EOFError, OSError):
                    self._lost(w, results, waiting, "worker-died", self._exit(w))
                    continue
                seq = w.seq
                result = w.received(kind, value)
                if result is not None:
                    results[seq].append(result)
            elif w.process.sentinel in ready:
                self._lost(w, results, waiting, "worker-died", self._exit(w))
            elif time.monotonic() > w.deadline:
                self._lost(w, results, waiting, "timeout", "the worker analysing it stopped "
                           "answering past the article's time budget and was stopped")

    def _exit(self, w: _Worker) -> str:
        w.process.join(1)
        code = w.process.exitcode
        return f"the worker analysing it ended (exit code {code})" if code is not None else \
            "the worker analysing it ended"

    def _lost(self, w: _Worker, results: dict, waiting: deque, reason: str, detail: str) -> None:
        """Replace worker ``w``; its current article fails, the rest of its chunk waits."""
        if not w.ready:
            w.stop(kill=True)
            raise RuntimeError(f"an analysis worker could not start ({detail})")
        if w.busy:
            results[w.seq].append(AnalysisFailure(w.current.id, reason, detail))
            rest = w.chunk[w.done + 1:]
            if rest:
                waiting.appendleft((w.seq, rest))
        w.stop(kill=True)
        self.workers[self.workers.index(w)] = _Worker(self.ctx, self.task)
