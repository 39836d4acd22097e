"""Link time and memory on growing corpora of analysed synthetic articles.

    .venv/bin/python bench/link_growth.py                           # 1k, 2k, 5k, 10k, 20k
    .venv/bin/python bench/link_growth.py --sizes 1000 2000 --embed-up-to 2000

Needs the analysed 20,000-article store that bench/memory.py leaves in bench/out/scale/ (or
any larger one, --source). Each size is the corpus's first N articles with their analyses
(the generator is prefix-stable, so they are what analysing the N-article corpus gives),
copied into a store of their own once. Then, each in a fresh child process,
``jobs.link_all`` (what ``triangulate run`` does after analysing) runs

  - with embeddings off (``model="none"``): the linking itself, reading analyses, blocking,
    clustering, building stories and writing them;
  - with the default sentence embedder, for sizes up to --embed-up-to: first with an empty
    vector cache (every event sentence embedded), then again (vectors cached in the store,
    as when re-linking a corpus that grew).

bench/link_scale.py measures the linking algorithm alone on 10k-100k synthetic event records;
this one measures the whole step on stores the pipeline wrote. Results go to
bench/out/link_growth.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import machine  # noqa: E402
import memory  # noqa: E402


def subset_store(source: Path, n: int) -> Path:
    """The first n articles of ``source`` and their analyses, in a store of their own."""
    from triangulate.store import Store
    from triangulate.util import chunks

    target = machine.OUT / "scale" / f"{source.stem.split('.')[0]}.first-{n}.duckdb"
    if target.exists():
        return target
    work = target.with_suffix(".work.duckdb")
    work.unlink(missing_ok=True)
    with Store(source, read_only=True) as src, Store(work) as dst:
        for batch in chunks(islice(src.articles(), n), 256):
            dst.add_articles(batch)
            dst.save_analyses([src.analysis(a.id) for a in batch])
    work.replace(target)
    return target


def link_child(db: Path, model: str) -> dict:
    result = subprocess.run([sys.executable, __file__, "--child", str(db), model], check=True,
                            capture_output=True, text=True, cwd=machine.ROOT)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _child(db: str, model: str) -> None:
    from triangulate.jobs import link_all
    from triangulate.store import Store

    with Store(db) as store, machine.Measure() as m:
        result = link_all(store, model=model)
    print(json.dumps({"stories": len(result.stories),
                      "reports": sum(len(s.articles) for s in result.stories),
                      "passing_mentions": sum(len(s.mentions) for s in result.stories),
                      **m.summary()}))


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 5000, 10000, 20000])
    parser.add_argument("--source", type=Path, default=None,
                        help="an analysed store at least as large as the largest size "
                        "(default: bench/memory.py's 20,000-article store)")
    parser.add_argument("--embed-up-to", type=int, default=2000,
                        help="also link with the sentence embedder up to this size")
    args = parser.parse_args()

    source = args.source or memory.analysed_store_path(20000)
    if not source.exists():
        sys.exit(f"no analysed store at {source}: run bench/memory.py first")
    info = machine.describe()
    print(f"machine: {info['cores']} cores, {info['ram_gb']} GB RAM, Python {info['python']}, "
          f"load {info['load_average']}")
    runs = []
    for n in args.sizes:
        db = subset_store(source, n)
        plans = [("none", "linking")]
        if n <= args.embed_up_to:
            plans += [("minilm", "embed + link"), ("minilm", "re-link (vectors cached)")]
        for model, label in plans:
            r = link_child(db, model)
            r.update(articles=n, model=model, run=label)
            runs.append(r)
            print(f"  {n:,} articles, {label}: {r['seconds']:.1f} s, {r['stories']:,} stories, "
                  f"peak {r['peak_tree_mb']:.0f} MB", flush=True)
    rows = [[r["articles"], r["run"], r["seconds"], r["articles"] / r["seconds"], r["stories"],
             r["peak_tree_mb"]] for r in runs]
    print()
    print(machine.table(rows, ["articles", "run", "seconds", "articles/s", "stories",
                               "peak MB"]))
    base = [r for r in runs if r["model"] == "none"]
    if len(base) > 1:
        first, last = base[0], base[-1]
        growth = (last["seconds"] / first["seconds"]) / (last["articles"] / first["articles"])
        print(f"linking time grows {last['seconds'] / first['seconds']:.1f}x for "
              f"{last['articles'] / first['articles']:.0f}x the articles "
              f"({growth:.2f} of linear)")
    path = machine.write_json("link_growth.json", {"machine": info, "runs": runs})
    print(f"-> {path}")


if __name__ == "__main__":
    main()
