"""Story clustering quality per embedding model: pairwise P/R/F1 and contested-figure recall.

    .venv/bin/python bench/link_quality.py              # sample corpus + same-day set
    .venv/bin/python bench/link_quality.py --db x.duckdb   # reuse an analysed sample store

Two corpora go through the real pipeline (ingest -> analyse -> link):

* the sample corpus (src/triangulate/data/sample, gold stories.gold.jsonl): nine real events
  told by several outlets. Its French article is skipped by design (English only) but is in
  the gold, so pairwise scores are given both as eval/score.py counts them (with it) and
  without it (the best a pipeline that skips non-English text can reach is then 1.0);
* tests/link/data/same_day.jsonl: five different strikes on one day in one country, told
  by several outlets, often with only a country for a place: hard negatives that the
  sample corpus (one event per date and place) does not have.

For each embedding model (minilm, wordllama, none) the stories are re-linked (vectors are
cached in the store per model) and scored with triangulate.evaluate; where
/work/shared/eval/score.py exists it scores the sample stories too and its FINAL line is
printed (otherwise a message says it was skipped). Stories land in bench/out/.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
OUT = ROOT / "bench" / "out"
SAMPLE = ROOT / "src" / "triangulate" / "data" / "sample"
SAME_DAY = ROOT / "tests" / "link" / "data"
SCORER = Path("/work/shared/eval/score.py")
MODELS = ("minilm", "wordllama", "none")


def pairwise(gold: list[dict], stories: list[dict], drop: set[str] = frozenset()):
    """(P, R, F1) of article pairs by triangulate.evaluate, without the ``drop`` articles."""
    from triangulate.evaluate import evaluate_stories

    kept = [{**g, "articles": [a for a in g["articles"] if a not in drop]} for g in gold]
    prf = evaluate_stories(kept, stories)["pairwise"]
    return prf["precision"], prf["recall"], prf["f1"]


def contested_recall(gold: list[dict], stories: list[dict]) -> float:
    from triangulate.evaluate import evaluate_stories

    return evaluate_stories(gold, stories)["contested_figure_recall"]


def analysed_store(inputs: list[str], db: Path):
    from triangulate.ingest.runner import ingest
    from triangulate.jobs import analyse_pending
    from triangulate.store import Store

    store = Store(db)
    ingest(store, inputs)
    analyse_pending(store)
    return store


def stories_for(store, model: str) -> list[dict]:
    from triangulate.jobs import link_all
    from triangulate.model import to_dict

    link_all(store, model=model)
    return [to_dict(s) for s in store.story_records() if s.articles]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, help="sample store to reuse (created when missing)")
    ap.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="link-quality-"))
    sample_store = analysed_store([str(SAMPLE)], args.db or tmp / "sample.duckdb")
    same_store = analysed_store([str(SAME_DAY / "same_day.jsonl")], tmp / "same_day.duckdb")
    sample_gold = _jsonl(SAMPLE / "stories.gold.jsonl")
    same_gold = _jsonl(SAME_DAY / "same_day.gold.jsonl")
    stored = {a.id for a in sample_store.articles()}
    skipped = {a for g in sample_gold for a in g["articles"]} - stored
    report = {"skipped_gold_articles": sorted(skipped), "models": {}}
    print(f"sample corpus: {len(stored)} articles stored; gold articles not stored "
          f"(skipped by design): {', '.join(sorted(skipped)) or 'none'}")
    header = (f"{'model':<10} {'sample (with skipped)':>24} {'sample (without)':>24} "
              f"{'contested':>9} {'same-day set':>24}")
    print(header)
    for model in args.models:
        sample_stories = stories_for(sample_store, model)
        same_stories = stories_for(same_store, model)
        path = OUT / f"link_quality.{model}.stories.jsonl"
        path.write_text("".join(json.dumps(s) + "\n" for s in sample_stories))
        with_ = pairwise(sample_gold, sample_stories)
        without = pairwise(sample_gold, sample_stories, drop=skipped)
        same = pairwise(same_gold, same_stories)
        recall = contested_recall(sample_gold, sample_stories)
        report["models"][model] = {
            "sample_with_skipped": _prf(with_), "sample_without_skipped": _prf(without),
            "contested_figure_recall": round(recall, 4), "same_day": _prf(same),
            "stories_file": str(path),
        }
        print(f"{model:<10} {_fmt(with_):>24} {_fmt(without):>24} {recall:>9.3f} {_fmt(same):>24}")
        if SCORER.exists():
            out = subprocess.run(
                [sys.executable, str(SCORER), "--stories-gold", str(SAMPLE / "stories.gold.jsonl"),
                 "--stories-pred", str(path)], capture_output=True, text=True,
            ).stdout
            final = [line for line in out.splitlines() if line.startswith("FINAL")]
            report["models"][model]["score_py"] = final
            print("           eval/score.py: " + " ".join(final))
    if not SCORER.exists():
        print(f"({SCORER} not found: eval/score.py cross-check skipped; our own pairwise "
              "scores above use the same definition)")
    best = max(report["models"], key=lambda m: report["models"][m]["sample_without_skipped"]["f1"]
               + report["models"][m]["same_day"]["f1"])
    print(f"best on both sets: {best}")
    (OUT / "link_quality.json").write_text(json.dumps(report, indent=2) + "\n")
    sample_store.close()
    same_store.close()
    return 0


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text().splitlines() if x.strip()]


def _prf(t) -> dict:
    return {"p": round(t[0], 4), "r": round(t[1], 4), "f1": round(t[2], 4)}


def _fmt(t) -> str:
    return f"P {t[0]:.2f} R {t[1]:.2f} F1 {t[2]:.3f}"


if __name__ == "__main__":
    sys.exit(main())
