"""The ingest costs bench/ingest_bench.py does not measure: running again over input that is
already stored, and rebuilding the near-duplicate index when a run starts.

    .venv/bin/python bench/ingest_rerun.py             # 3,000 articles, 100,000 signatures
    .venv/bin/python bench/ingest_rerun.py --articles 10000 --workers 2 --signatures 0

A re-run should cost a fraction of the first pass: every article is recognised by its id or
content hash before any extraction. The index rebuild is paid once per run, so its cost
grows with the store, not with the input: it is timed over generated MinHash signatures
stored as the ingest stores them. First-pass throughput by input form is bench/ingest_bench.py.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402


def first_and_again(inputs: list[str], db: Path, workers: int) -> None:
    from triangulate.ingest.runner import ingest
    from triangulate.store import Store

    for label in ("first pass", "re-run"):
        # CPU time of this process says what the code costs whatever the machine's load
        # (with workers, their time is not in it).
        cpu = time.process_time()
        with Store(db) as store:
            report = ingest(store, inputs, workers=workers)
        cpu = time.process_time() - cpu
        print(f"{label}: {report.ingested:,} ingested, {report.already_stored:,} already stored, "
              f"{report.duplicates:,} duplicates in {report.seconds:.1f} s ({cpu:.1f} s CPU)")


def index_rebuild(db: Path, n: int) -> None:
    import numpy as np
    import pyarrow as pa

    from triangulate.ingest import dedup
    from triangulate.store import Store

    rng = np.random.default_rng(0)
    with Store(db) as store:
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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--signatures", type=int, default=100_000,
                        help="stored signatures to rebuild the index from (0: skip)")
    args = parser.parse_args()
    corpus = synthetic.corpus(args.articles)
    with tempfile.TemporaryDirectory() as folder:
        first_and_again([str(corpus)], Path(folder) / "rerun.duckdb", args.workers)
        if args.signatures:
            index_rebuild(Path(folder) / "index.duckdb", args.signatures)


if __name__ == "__main__":
    main()
