"""Places stage against its baseline on the geoparsing dev sets, with timing.

    python bench/places_bench.py seeds geo-gwn geo-lgl geo-geovirus [--baseline] [--limit N]

The baseline is ``baselines.places_baseline`` (spaCy GPE entities + first gazetteer hit), which
the quality report also runs. Documents are parsed once and cached as a spaCy DocBin under bench/out/docs/, so re-running
after a change to the places stage costs only the stage itself. Predictions (places only) go
to bench/out/<name>.places.pred.jsonl and are scored with ../shared/eval/score.py.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from baselines import places_baseline  # noqa: E402
from score_dev import OUT, SHARED, gold_path  # noqa: E402


def parsed(name: str, limit: int | None):
    """(records, docs) for a gold file, parsing once and caching the DocBin."""
    from spacy.tokens import DocBin

    from triangulate.analyze import nlp

    model = nlp.load()
    records = [json.loads(line) for line in gold_path(name).open(encoding="utf-8")]
    if limit:
        records = records[:limit]
    cache = OUT / "docs" / f"{name}-{len(records)}.spacy"
    if cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(model.vocab))
    else:
        docs = list(model.pipe((r["text"] for r in records), batch_size=32))
        cache.parent.mkdir(parents=True, exist_ok=True)
        DocBin(store_user_data=False, docs=docs).to_disk(cache)
    return records, docs


def run(name: str, limit: int | None, baseline: bool, with_actors: bool = False) -> None:
    from triangulate.analyze import actors, gazetteer, places
    from triangulate.model import to_dict

    records, docs = parsed(name, limit)
    gazetteer.cities()
    gazetteer.curated()
    found_actors = [actors.find_actors(d) if with_actors else [] for d in docs]
    find = places_baseline if baseline else places.find_places
    find(docs[0], found_actors[0])  # lexicons loaded outside the timing
    # CPU time of this process: wall time swings with whatever else the machine runs.
    start = time.process_time()
    outputs = [find(doc, acts) for doc, acts in zip(docs, found_actors, strict=True)]
    seconds = time.process_time() - start
    words = sum(sum(1 for t in d if not t.is_punct and not t.is_space) for d in docs)
    tag = "baseline" if baseline else "places"
    pred = OUT / f"{name}.{tag}.pred.jsonl"
    with pred.open("w", encoding="utf-8") as fh:
        for rec, found in zip(records, outputs, strict=True):
            fh.write(json.dumps({"id": rec["id"], "text": rec["text"],
                                 "places": to_dict(found)}, ensure_ascii=False) + "\n")
    gold = gold_path(name)
    if limit:
        gold = OUT / f"{name}-{limit}.gold.jsonl"
        gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    report = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(gold), "--pred",
         str(pred), "--layers", "places"], capture_output=True, text=True, check=False).stdout
    final = [ln for ln in report.splitlines() if ln.startswith("FINAL")]
    print(f"== {name} {tag}: {len(docs)} docs, {words} words, "
          f"{1000 * seconds / max(words, 1) * 1000:.2f} ms per 1,000 words")
    print("\n".join(final))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="+")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--baseline", action="store_true", help="score the baseline instead")
    parser.add_argument("--actors", action="store_true",
                        help="give the places stage the actors stage's findings, as the pipeline does")
    args = parser.parse_args()
    for name in args.names:
        run(name, args.limit, args.baseline, args.actors)


if __name__ == "__main__":
    main()
