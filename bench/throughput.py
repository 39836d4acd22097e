"""Analysis throughput against its limit, bare spaCy, measured in the same run.

    .venv/bin/python bench/throughput.py                       # 1 and 2 processes
    .venv/bin/python bench/throughput.py --compare 300 --processes 1 --skip-store
    .venv/bin/python bench/throughput.py --skip-store          # leave out the store runs

For each number of processes P the same synthetic articles (bench/synthetic.py; the first
``--compare`` of them) go through

  - bare:  spaCy's ``nlp.pipe(texts, batch_size=16, n_process=P)`` with the same model;
  - ours:  ``jobs.analyse_stream(articles, workers=P)``, the whole analysis (every stage, the
           Analysis records built), in P worker processes for P > 1;

in alternating slices (bare, ours, ours, bare, ...) so that a change in the machine's load
during the run falls on both alike. The ratio ours/bare is the figure issue 7 asks for
(at least 0.7). Then the store runs: ``jobs.analyse_pending(store, workers=P)`` on copies of
one ingested store, which is what ``triangulate run --workers P`` does after ingesting
(analysis plus batched writes) on ``--articles`` articles, and its speed-up from 1 to 2
workers (at least 1.6x on 2,000).

Wall time is what counts; CPU time (this process and its joined children) is printed too,
because on a shared machine it says what the work costs whatever else is running.
Results go to bench/out/throughput.json.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import machine  # noqa: E402
import synthetic  # noqa: E402

BATCH = 16


def bare(nlp, texts: list[str], processes: int) -> None:
    for _ in nlp.pipe(texts, batch_size=BATCH, n_process=processes):
        pass


def ours(articles, processes: int) -> None:
    from triangulate.jobs import analyse_stream

    for _ in analyse_stream(articles, workers=processes):
        pass


def compare(articles, processes: int, slices: int) -> dict:
    """bare and ours on the same articles, interleaved slice by slice."""
    from triangulate.analyze import nlp as nlp_module

    nlp = nlp_module.load()
    # One-off loading (model, gazetteer, lexicons) is not throughput: it is done before the
    # clock starts, in this process and in the fork server our worker pools come from (bare
    # spaCy's pools fork this process, model loaded). Each slice still starts its own pool.
    # The store runs below are whole cold runs, loading included.
    bare(nlp, [a.text for a in articles[:BATCH]], 1)
    ours(articles[:BATCH], processes)
    size = -(-len(articles) // slices)
    totals = {"bare": [0.0, 0.0], "ours": [0.0, 0.0]}
    for k in range(slices):
        part = articles[k * size:(k + 1) * size]
        texts = [a.text for a in part]
        order = ("bare", "ours") if k % 2 == 0 else ("ours", "bare")
        for name in order:
            with machine.Measure() as t:
                if name == "bare":
                    bare(nlp, texts, processes)
                else:
                    ours(part, processes)
            totals[name][0] += t.wall
            totals[name][1] += t.cpu
            print(f"  P={processes} slice {k + 1}/{slices} {name}: {len(part)} articles "
                  f"in {t.wall:.1f} s ({t.cpu:.1f} s CPU)", flush=True)
    words = sum(len(a.text.split()) for a in articles)
    out = {"processes": processes, "articles": len(articles), "words": words}
    for name, (wall, cpu) in totals.items():
        out[name] = {"seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
                     "articles_per_s": round(len(articles) / wall, 2),
                     "words_per_s": round(words / wall, 1)}
    out["ratio"] = round(totals["bare"][0] / totals["ours"][0], 3)
    out["cpu_ratio"] = round(totals["bare"][1] / totals["ours"][1], 3)
    return out


def store_run(db: Path, workers: int, engine: str = "local") -> dict:
    """analyse_pending on a fresh copy of the ingested store, in a child process (so each
    run starts cold, as `triangulate run` does)."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "store.duckdb"
        shutil.copy(db, copy)
        return machine.analyse_child(str(copy), workers, engine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000,
                        help="synthetic articles for the store runs")
    parser.add_argument("--compare", type=int, default=800,
                        help="how many of them the ours/bare comparison uses")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--slices", type=int, default=0,
                        help="interleaved slices per comparison (default: 6 for one process, "
                        "2 for more, so pool start-up is amortised)")
    parser.add_argument("--skip-store", action="store_true")
    parser.add_argument("--ray", action="store_true",
                        help="also analyse the store with the Ray engine (local instance, "
                        "as many CPUs as processes)")
    args = parser.parse_args()

    info = machine.describe()
    print(f"machine: {info['cores']} cores ({info['cpu']}), {info['ram_gb']} GB RAM, "
          f"Python {info['python']}, load {info['load_average']}")
    articles = synthetic.corpus_articles(args.articles, folder=machine.OUT / "scale")[:args.compare]
    words = sum(len(a.text.split()) for a in articles)
    print(f"{len(articles):,} synthetic articles, {words:,} words "
          f"({words / len(articles):.0f} per article)")

    results = []
    for p in args.processes:
        slices = args.slices or (6 if p == 1 else 2)
        results.append(compare(articles, p, slices))
    rows = [[r["processes"], name, r[name]["seconds"], r[name]["articles_per_s"],
             r[name]["words_per_s"], r[name]["cpu_seconds"]]
            for r in results for name in ("bare", "ours")]
    print()
    print(machine.table(rows, ["processes", "run", "seconds", "articles/s", "words/s",
                               "CPU s"]))
    print()
    for r in results:
        verdict = "PASS" if r["ratio"] >= 0.7 else "FAIL"
        print(f"ours/bare with {r['processes']} process(es): {r['ratio']:.3f} wall "
              f"({r['cpu_ratio']:.3f} CPU)  [{verdict}, target >= 0.7]")

    store = []
    if not args.skip_store:
        db = machine.ingested_store(args.articles)
        for p in args.processes:
            run = store_run(db, p)
            run["workers"] = p
            store.append(run)
            print(f"analyse_pending --workers {p}: {run['articles']:,} articles in "
                  f"{run['seconds']:.1f} s = {run['articles'] / run['seconds']:.2f} articles/s "
                  f"({run['cpu_seconds']:.0f} s CPU, peak {run['peak_tree_mb']:.0f} MB in all)",
                  flush=True)
        if args.ray:
            for p in args.processes:
                run = store_run(db, p, "ray")
                run["workers"] = p
                store.append(run)
                print(f"Ray engine, {p} CPU(s): {run['articles']:,} articles in "
                      f"{run['seconds']:.1f} s = {run['articles'] / run['seconds']:.2f} "
                      f"articles/s (Ray start-up included; peak {run['peak_tree_mb']:.0f} "
                      "MB in all)", flush=True)
        by = {r["workers"]: r for r in store if r["engine"] == "local"}
        if 1 in by and 2 in by:
            speedup = by[1]["seconds"] / by[2]["seconds"]
            verdict = "PASS" if speedup >= 1.6 else "FAIL"
            print(f"--workers 2 vs --workers 1: {speedup:.2f}x faster  [{verdict}, target >= 1.6]")
    stream = {r["processes"]: r["ours"]["seconds"] for r in results}
    if 1 in stream and 2 in stream:
        print(f"analyse_stream 2 vs 1 processes: {stream[1] / stream[2]:.2f}x faster")
    path = machine.write_json("throughput.json", {"machine": info, "batch_size": BATCH,
                                                  "compare": results, "store": store})
    print(f"-> {path}")


if __name__ == "__main__":
    main()
