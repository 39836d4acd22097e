"""Peak memory of the analysis as the corpus grows (issue 7: 20,000 within 1.3x of 2,000).

    .venv/bin/python bench/memory.py                          # 2,000 and 20,000, 2 workers
    .venv/bin/python bench/memory.py --sizes 2000 5000 --workers 1

For each size the synthetic corpus (bench/synthetic.py) is ingested once into a store kept in
bench/out/scale/, copied, and analysed by ``jobs.analyse_pending`` (what ``triangulate run
--workers W`` does after ingesting) in a fresh child process. Three peaks are reported
(bench/machine.py's ``Measure``): the analysing process's own (ru_maxrss: reading articles,
writing analyses, and with one worker the model and stages too), the largest process's under
it (a worker, or the fork server the workers come from), and the whole process tree's
together, sampled every 0.2 s as proportional set sizes (the figure that matters to a
machine's RAM). The analysed store is kept
(bench/out/scale/*.analysed.duckdb) for the link benchmark. Results go to
bench/out/memory.json.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import machine  # noqa: E402


def analysed_store_path(n: int) -> Path:
    return machine.ingested_store(n).with_suffix("").with_suffix(".analysed.duckdb")


def measure(n: int, workers: int) -> dict:
    source = machine.ingested_store(n)
    target = analysed_store_path(n)
    work = target.with_suffix(".work.duckdb")
    shutil.copy(source, work)
    result = machine.analyse_child(str(work), workers)
    work.replace(target)
    result["size"] = n
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    info = machine.describe()
    print(f"machine: {info['cores']} cores, {info['ram_gb']} GB RAM, Python {info['python']}, "
          f"load {info['load_average']}")
    results = []
    for n in args.sizes:
        r = measure(n, args.workers)
        results.append(r)
        print(f"{n:,} articles, {args.workers} worker(s): {r['seconds']:.0f} s, "
              f"peak {r['peak_tree_mb']:.0f} MB in all", flush=True)
    rows = [[r["size"], r["workers"], r["seconds"], r["articles"] / r["seconds"],
             r["peak_rss_mb"], r["peak_process_rss_mb"], r["peak_tree_mb"]] for r in results]
    print()
    print(machine.table(rows, ["articles", "workers", "seconds", "articles/s",
                               "main MB", "worker MB", "all MB"]))
    small, large = results[0], results[-1]
    if len(results) > 1:
        for key, label in (("peak_tree_mb", "all processes"), ("peak_rss_mb", "main process"),
                           ("peak_process_rss_mb", "largest process under it")):
            if small[key]:
                ratio = large[key] / small[key]
                verdict = "PASS" if ratio <= 1.3 else "FAIL"
                print(f"peak RSS {large['size']:,} / {small['size']:,} ({label}): {ratio:.2f}x"
                      f"  [{verdict}, target <= 1.3]")
    path = machine.write_json("memory.json", {"machine": info, "runs": results})
    print(f"-> {path}")


if __name__ == "__main__":
    main()
