"""Event role errors by cause, against the events of a gold file.

    python bench/role_errors.py plover-gsr sample seeds       # analyse, then classify
    python bench/role_errors.py sample --show "no target"     # list the events of one cause
    python bench/role_errors.py plover-gsr --pred plover-gsr=bench/out/plover-gsr.pred.jsonl

Names are those of score_dev.py, plus "sample": the bundled sample corpus against its hand
annotation, src/triangulate/data/sample/events.gold.jsonl. Each required gold event is put in
one row of the table:

* type missed: no predicted event of its type;
* right: a prediction of its type gives every role the gold gives, correctly (the scorer's
  strict_roles match);
* otherwise the prediction of that type closest to it (most roles right) is judged role by
  role, and the event is counted under each cause that applies: no actor / no target (the role
  is empty), instrument as actor / target (a weapon, vehicle or body part,
  data/events/instruments.tsv), speaker as actor (the actor is who says it happened, not who
  did it), wrong actor / wrong target (any other actor).

Name matching is the scorer's own (../shared/eval/score.py): a gold name equals or is
contained as whole words in the predicted actor's id, name, country, aliases or mention
texts, or the actor's country is one of the gold codes. "date wrong" counts found events
whose gold date no dated matching prediction gives, as the scorer's date_accuracy does; the
last column counts predicted events (right or not) with an instrument in a role.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from score_dev import OUT, SHARED, gold_path, predict  # noqa: E402

SAMPLE = ROOT / "src" / "triangulate" / "data" / "sample"
CAUSES = ["no actor", "wrong actor", "instrument as actor", "speaker as actor",
          "no target", "wrong target", "instrument as target"]


def scorer():
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def sample_predictions(out: Path) -> Path:
    """The sample corpus analysed as `triangulate analyze` reads it (HTML, text, JSONL)."""
    from triangulate.analyze.pipeline import analyze_articles
    from triangulate.ingest.prepare import prepare
    from triangulate.ingest.sources import read_inputs
    from triangulate.model import Article, to_dict

    articles = [item for item in (prepare(raw) for raw in read_inputs([str(SAMPLE)])
                                  if not hasattr(raw, "reason"))
                if isinstance(item, Article)]
    with out.open("w", encoding="utf-8") as fh:
        for analysis in analyze_articles(articles):
            fh.write(json.dumps(to_dict(analysis), ensure_ascii=False) + "\n")
    return out


def predictions(name: str, given: dict[str, Path]) -> tuple[Path, Path]:
    if name == "sample":
        gold = SAMPLE / "events.gold.jsonl"
        return gold, given.get(name) or sample_predictions(OUT / "sample.pred.jsonl")
    gold = gold_path(name)
    if name in given:
        return gold, given[name]
    pred = OUT / f"{name}.pred.jsonl"
    predict(gold, pred)
    return gold, pred


class Judge:
    """The scorer's name matching, plus what this table adds (instruments, speakers)."""

    def __init__(self, score, doc: dict):
        from triangulate.analyze.events.instruments import names_instrument
        from triangulate.model import Actor, Mention

        self.score = score
        self.actors = {a["id"]: a for a in doc.get("actors") or []}
        self.instrument = {
            a["id"]: names_instrument(Actor(a["id"], a.get("name") or "", a.get("kind") or "",
                                            a.get("country"), mentions=[
                                                Mention(m["start"], m["end"], m["text"])
                                                for m in a.get("mentions") or []]))
            for a in self.actors.values()}
        self.spans = [(c["content"]["start"], c["content"]["end"], c.get("speaker"))
                      for c in doc.get("claims") or []]
        self.spans += [(q["start"], q["end"], q.get("speaker")) for q in doc.get("quotes") or []]
        self.claims = {c["id"]: c.get("speaker") for c in doc.get("claims") or []}

    def strings(self, ref: str) -> list[str]:
        a = self.actors.get(ref, {})
        return ([ref, a.get("name") or "", a.get("country") or ""] + list(a.get("aliases") or [])
                + [m["text"] for m in a.get("mentions") or []])

    def role(self, event: dict, gold: dict, role: str) -> str:
        """"ok", "none" or the cause of a wrong role."""
        if not gold.get(role) and not gold.get(role + "_codes"):
            return "ok"
        ref = event.get(role)
        if not ref:
            return "none"
        country = (self.actors.get(ref) or {}).get("country")
        if self.score.names_match(self.score.name_list(gold.get(role)), self.strings(ref)) \
                or (country and country in (gold.get(role + "_codes") or [])):
            return "ok"
        if self.instrument.get(ref):
            return "instrument"
        if role == "actor" and ref in self.speakers(event):
            return "speaker"
        return "wrong"

    def speakers(self, event: dict) -> set[str]:
        at = (event.get("trigger_span") or event.get("evidence") or {}).get("start", -1)
        found = {s for start, end, s in self.spans if start <= at < end and s}
        found |= {self.claims.get(c) for c in event.get("claims") or []} - {None}
        return found


def classify(score, gold_file: Path, pred_file: Path):
    preds = {}
    for line in pred_file.open(encoding="utf-8"):
        rec = json.loads(line)
        preds.setdefault(rec["id"], rec)
    rows: Counter[str] = Counter()
    shown: dict[str, list[str]] = {}
    for line in gold_file.open(encoding="utf-8"):
        gold_doc = json.loads(line)
        events = gold_doc.get("events")
        if events is None:
            continue
        doc = preds.get(gold_doc["id"], {})
        judge = Judge(score, doc)
        predicted = doc.get("events") or []
        rows["predicted events"] += len(predicted)
        rows["instrument in a role"] += sum(
            1 for e in predicted if judge.instrument.get(e.get("actor"))
            or judge.instrument.get(e.get("target")))
        required = events.get("required") or [] if isinstance(events, dict) else events
        for gold in required:
            rows["gold events"] += 1
            same = [e for e in predicted if e.get("type") == gold.get("type")]
            if not same:
                rows["type missed"] += 1
                continue
            judged = [(judge.role(e, gold, "actor"), judge.role(e, gold, "target"), e)
                      for e in same]
            actor, target, best = max(judged, key=lambda j: (j[0] == "ok") + (j[1] == "ok"))
            if gold.get("date"):
                dated = [e["date"][:10] for a, t, e in judged
                         if e.get("date") and a in ("ok", "none") and t in ("ok", "none")]
                if dated:
                    rows["dated"] += 1
                    if gold["date"][:10] not in dated:
                        rows["date wrong"] += 1
                        note = f"gold {gold['date']} predicted {sorted(set(dated))}"
                        shown.setdefault("date wrong", []).append(
                            f"{gold_doc['id']} {gold['type']} {note}")
            if actor == "ok" and target == "ok":
                rows["right"] += 1
                continue
            rows["role errors"] += 1
            for role, verdict in (("actor", actor), ("target", target)):
                if verdict == "ok":
                    continue
                cause = {"none": f"no {role}", "wrong": f"wrong {role}",
                         "instrument": f"instrument as {role}",
                         "speaker": f"speaker as {role}"}[verdict]
                rows[cause] += 1
                text = (best.get("evidence") or {}).get("text", "")[:160]
                shown.setdefault(cause, []).append(
                    f"{gold_doc['id']} {gold['type']} gold {role}={gold.get(role)} "
                    f"predicted {best.get(role)} (trigger {best.get('trigger')!r}): {text}")
    return rows, shown


def table(results: dict[str, Counter]) -> str:
    cols = (["gold events", "type missed", "right", "role errors"] + CAUSES
            + ["date wrong", "instrument in a role"])
    head = "| cause | " + " | ".join(results) + " |"
    lines = [head, "|" + " --- |" * (len(results) + 1)]
    for col in cols:
        label = {"instrument in a role": "predicted events with an instrument in a role",
                 "date wrong": "date wrong (of found events with a gold date)"}.get(col, col)
        cells = []
        for rows in results.values():
            value = rows[col]
            if col == "date wrong":
                cells.append(f"{value} of {rows['dated']}")
            elif col == "instrument in a role":
                cells.append(f"{value} of {rows['predicted events']}")
            else:
                cells.append(str(value))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="+")
    parser.add_argument("--pred", action="append", default=[], metavar="NAME=PATH",
                        help="use these predictions instead of analysing the set again")
    parser.add_argument("--show", action="append", default=[], metavar="CAUSE",
                        help="list the events of this cause (or 'date wrong')")
    parser.add_argument("--json", type=Path, help="also write the counts here")
    args = parser.parse_args()
    if not (SHARED / "eval" / "score.py").exists():
        print(f"skipped: {SHARED} is not here (it only exists beside the development checkout)")
        return
    OUT.mkdir(parents=True, exist_ok=True)
    given = {}
    for item in args.pred:
        name, _, path = item.partition("=")
        given[name] = Path(path)
    score = scorer()
    results: dict[str, Counter] = {}
    for name in args.names:
        gold, pred = predictions(name, given)
        rows, shown = classify(score, gold, pred)
        results[name] = rows
        for cause in args.show:
            print(f"== {name}: {cause}")
            print("\n".join("  " + line for line in shown.get(cause, [])))
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
