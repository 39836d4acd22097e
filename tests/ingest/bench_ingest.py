"""Ingest throughput on generated corpora (not a test: run it by hand).

    .venv/bin/python tests/ingest/bench_ingest.py [N] [--workers W]

Prints articles/s for JSONL and for HTML files, and the cost of rebuilding the
near-duplicate index from 100,000 stored signatures.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_html_dir, write_jsonl  # noqa: E402

from triangulate.ingest import dedup  # noqa: E402
from triangulate.ingest.runner import ingest  # noqa: E402
from triangulate.store import Store  # noqa: E402


def run(label: str, inputs: list[str], db: Path, workers: int) -> None:
    cpu = time.process_time()
    with Store(db) as store:
        report = ingest(store, inputs, workers=workers)
    cpu = time.process_time() - cpu
    rate = report.ingested / report.seconds
    # CPU time of this process says what the code costs whatever the machine's load (with
    # workers, their time is not in it).
    print(f"{label}: {report.ingested} articles in {report.seconds:.1f} s = {rate:,.0f} articles/s"
          f"; {cpu:.1f} s CPU = {report.ingested / cpu:,.0f} articles per CPU second"
          f" ({len(report.skipped)} skipped, {report.duplicates} duplicates)")
    with Store(db) as store:
        again = ingest(store, inputs, workers=workers)
    print(f"{label} re-run: {again.already_stored} already stored in {again.seconds:.1f} s")


def index_rebuild(tmp: Path, n: int = 100_000) -> None:
    rng = np.random.default_rng(0)
    with Store(tmp / "sig.duckdb") as store:
        ids = [f"a-{i:016x}" for i in range(n)]
        sigs = rng.integers(0, 2**32 - 1, (n, 128), dtype=np.uint32)
        table = pa.table({"id": ids, "signature": [dedup.to_blob(s) for s in sigs]})
        store.con.register("generated", table)
        store.con.execute("INSERT INTO articles (id, content_hash, text) "
                          "SELECT id, id, '' FROM generated")
        store.con.execute("INSERT INTO minhashes SELECT id, signature FROM generated")
        store.con.unregister("generated")
        del table, sigs
        start = time.perf_counter()
        index = dedup.NearDuplicateIndex(lambda ids: {})
        index.load(store.minhash_signatures(originals_only=True))
        print(f"index rebuild: {len(index):,} signatures in {time.perf_counter() - start:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--skip-index", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        jsonl = write_jsonl(tmp / "gen.jsonl", args.n)
        html = write_html_dir(tmp / "html", args.n)
        run("JSONL", [str(jsonl)], tmp / "j.duckdb", args.workers)
        run("HTML", [str(html)], tmp / "h.duckdb", args.workers)
        if not args.skip_index:
            index_rebuild(tmp)


if __name__ == "__main__":
    main()
