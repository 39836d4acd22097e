"""Events stage, judged on its own: type-only recall/precision per gold file.

    python bench/events_types.py seeds plover-gsr            # run the pipeline, then score
    python bench/events_types.py plover-gsr --ner-actors     # stand-in actors from NER
    python bench/events_types.py plover-gsr --misses 20      # print missed gold events

The shared scorer checks actors and targets whenever both sides give them, so event scores
move with the actors stage. This script also counts a prediction as right when only its type
matches a gold item, which measures the events stage by itself. ``--ner-actors`` replaces an
empty actors stage with one actor per spaCy PERSON/ORG/GPE/NORP entity (for development only:
it shows whether roles land on the right noun phrase).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from score_dev import OUT, gold_path, score  # noqa: E402


def _ner_actors(doc):
    from triangulate.model import Actor, Mention

    by_name: dict[str, Actor] = {}
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG", "GPE", "NORP"):
            continue
        key = ent.text.lower().removeprefix("the ")
        actor = by_name.setdefault(key, Actor(id=key.replace(" ", "-"), name=ent.text,
                                              kind="ner", country=None, known=False))
        actor.mentions.append(Mention(ent.start_char, ent.end_char, ent.text))
    return list(by_name.values())


def predict(name: str, ner_actors: bool) -> Path:
    from triangulate.analyze import actors, pipeline
    from triangulate.ingest.normalize import article_from_fields
    from triangulate.model import to_dict

    if ner_actors:
        real = actors.find_actors

        def find_actors(doc):
            return real(doc) or _ner_actors(doc)

        pipeline.actors.find_actors = find_actors  # type: ignore[attr-defined]
    gold = gold_path(name)
    out = OUT / f"{name}.events.pred.jsonl"
    with gold.open(encoding="utf-8") as fh:
        recs = [json.loads(line) for line in fh]
    arts = (article_from_fields(r["text"], source=str(gold), id=r["id"],
                                published=r.get("published")) for r in recs)
    start = time.perf_counter()
    with out.open("w", encoding="utf-8") as fh:
        for analysis in pipeline.analyze_articles(arts):
            if not hasattr(analysis, "text"):  # an AnalysisFailure
                print(f"analysis of {analysis.id} failed: {analysis.detail}", file=sys.stderr)
                continue
            fh.write(json.dumps(to_dict(analysis), ensure_ascii=False) + "\n")
    print(f"== {name}: analysed in {time.perf_counter() - start:.1f}s")
    return out


def type_only(name: str, pred: Path, misses: int) -> None:
    golds = {}
    with gold_path(name).open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("events") is not None:
                golds[rec["id"]] = rec
    c: Counter = Counter()
    shown = 0
    with pred.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            gold = golds.get(rec["id"])
            if gold is None:
                continue
            ev = gold["events"]
            req = ev["required"] if isinstance(ev, dict) else ev
            alw = ev.get("allowed", []) if isinstance(ev, dict) else []
            gold_types = {g["type"] for g in req} | {g["type"] for g in alw}
            pred_types = [e["type"] for e in rec.get("events", [])]
            c["pred"] += len(pred_types)
            c["pred_ok"] += sum(t in gold_types for t in pred_types)
            for g in req:
                c["gold"] += 1
                c[f"gold:{g['type']}"] += 1
                if g["type"] in pred_types:
                    c["found"] += 1
                    c[f"found:{g['type']}"] += 1
                elif shown < misses:
                    shown += 1
                    got = [(e["type"], e["trigger"]) for e in rec.get("events", [])]
                    print(f"  MISS {g['type']:9} {rec['text'][:110]!r} -> {got}")
    recall = c["found"] / max(c["gold"], 1)
    precision = c["pred_ok"] / max(c["pred"], 1)
    print(f"TYPE-ONLY {name}: recall={recall:.3f} ({c['found']}/{c['gold']}) "
          f"precision={precision:.3f} ({c['pred_ok']}/{c['pred']})")
    types = sorted(k[5:] for k in c if k.startswith("gold:"))
    print("  " + " ".join(f"{t}={c['found:' + t]}/{c['gold:' + t]}" for t in types))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="+")
    parser.add_argument("--ner-actors", action="store_true")
    parser.add_argument("--misses", type=int, default=0, help="print up to N missed gold events")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for name in args.names:
        pred = predict(name, args.ner_actors)
        type_only(name, pred, args.misses)
        report = score(gold_path(name), pred, ["events"], None)
        print("\n".join(ln for ln in report.splitlines() if ln.startswith("FINAL")))


if __name__ == "__main__":
    main()
