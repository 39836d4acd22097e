"""Regenerate the measured part of docs/quality.md.

Runs Triangulate's analysis and the baselines a user would otherwise pick on
../shared/gold/seeds.jsonl and every set in ../shared/eval/dev/, scores all of them with
../shared/eval/score.py in the same run, and rewrites the block between the GENERATED markers
in docs/quality.md (the hand-written discussion around it is kept).

    .venv/bin/python bench/quality_report.py            # everything (a few minutes)
    .venv/bin/python bench/quality_report.py --limit 50 # quick look: first 50 docs per set
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from score_dev import OUT as BENCH_OUT  # noqa: E402
from score_dev import SHARED, all_names, gold_path, predict  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "quality.md"
OUT = BENCH_OUT / "quality"  # apart from bench/out/*.pred.jsonl, which developers overwrite
BEGIN, END = "<!-- BEGIN GENERATED: bench/quality_report.py -->", "<!-- END GENERATED -->"

# (dataset, layer, metric path in score.py's JSON, label, target) — the acceptance bars.
TARGETS = [
    ("seeds", "times", ("times", "strict", "f1"), "times strict F1", 0.85),
    ("seeds", "places", ("places", "recognition", "f1"), "places recognition F1", 0.80),
    ("seeds", "places", ("places", "accuracy@161km"), "places accuracy@161km", 0.90),
    ("seeds", "figures", ("figures", "figures", "f1"), "figures F1", 0.80),
    ("seeds", "quotes", ("quotes", "quotes", "f1"), "quotes F1", 0.80),
    ("seeds", "events", ("events", "events", "recall"), "events recall", 0.60),
    ("seeds", "events", ("events", "events", "precision"), "events precision", 0.50),
    ("seeds", "genre", ("genre", "accuracy"), "genre accuracy", 1.0),
    ("seeds", "positions", ("positions", "positions", "f1"), "positions F1", 0.70),
    ("seeds", "positions", ("positions", "party_issue", "f1"), "positions party+issue F1", 0.80),
    ("seeds", "positions", ("positions", "date_accuracy"), "positions date accuracy", 0.75),
    ("tbaq", "times", ("times", "strict", "f1"), "times strict F1", 0.70),
    ("geo-gwn", "places", ("places", "accuracy@161km"), "places accuracy@161km", 0.80),
    ("polnear-dev", "attributions", ("attributions", "content@jaccard0.5", "f1"),
     "attribution content F1", 0.50),
    ("plover-gsr", "events", ("events", "events", "recall"), "events recall", 0.60),
    ("ptc-train", "techniques", ("techniques", "span_identification", "f1"),
     "techniques span F1 (held-out fifth)", 0.25),
]

# Per dataset: the layers to report, and which baseline (if any) is measured beside us.
LAYERS = {
    "seeds": ["times", "places", "figures", "quotes", "events", "genre", "positions"],
    "tbaq": ["times"],
    "geo-gwn": ["places"],
    "geo-lgl": ["places"],
    "geo-geovirus": ["places"],
    "polnear-dev": ["attributions"],
    "plover-gsr": ["events"],
    "ptc-train": ["techniques"],
}
BASELINES = {
    "times": ("dateparser.search_dates", "times_baseline"),
    "places": ("spaCy GPE + first gazetteer hit", "places_baseline"),
    "quotes": ("textacy direct_quotations", "quotes_baseline"),
    "attributions": ("textacy direct_quotations", "quotes_baseline"),
    "positions": ("PLOVER events as cease-fire positions", "positions_baseline"),
}
# Headline metric per layer for the comparison table.
HEADLINE = {
    "times": [("strict F1", ("times", "strict", "f1")),
              ("extraction F1", ("times", "extraction", "f1")),
              ("value accuracy", ("times", "value_accuracy"))],
    "places": [("recognition F1", ("places", "recognition", "f1")),
               ("acc@161km", ("places", "accuracy@161km")),
               ("end-to-end F1", ("places", "end_to_end@161km", "f1"))],
    "figures": [("F1", ("figures", "figures", "f1")),
                ("value-only F1", ("figures", "value_only", "f1"))],
    "quotes": [("F1", ("quotes", "quotes", "f1")), ("text-only F1", ("quotes", "text_only", "f1"))],
    "attributions": [("content F1 (J>=0.5)", ("attributions", "content@jaccard0.5", "f1")),
                     ("any-overlap F1", ("attributions", "content@any_overlap", "f1")),
                     ("source accuracy", ("attributions", "source_accuracy"))],
    "events": [("F1", ("events", "events", "f1")), ("recall", ("events", "events", "recall")),
               ("precision", ("events", "events", "precision"))],
    "techniques": [("span F1", ("techniques", "span_identification", "f1")),
                   ("technique-aware F1", ("techniques", "technique_aware", "f1"))],
    "genre": [("accuracy", ("genre", "accuracy"))],
    "positions": [("F1", ("positions", "positions", "f1")),
                  ("recall", ("positions", "positions", "recall")),
                  ("party+issue F1", ("positions", "party_issue", "f1")),
                  ("date accuracy", ("positions", "date_accuracy"))],
}


def _get(scores: dict, path: tuple[str, ...]) -> float | None:
    node = scores.get("layers", {})
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node if isinstance(node, int | float) else None


def _score(gold: Path, pred: Path, layers: list[str], out: Path) -> dict:
    cmd = [sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(gold), "--pred",
           str(pred), "--layers", ",".join(layers), "--json", str(out)]
    subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(out.read_text())


def _baseline_predictions(name: str, gold: Path, function: str, limit: int | None) -> Path:
    import baselines
    from triangulate.analyze import nlp
    from triangulate.model import to_dict

    fn = getattr(baselines, function)
    model = nlp.load()
    path = OUT / f"{name}.baseline-{function}.jsonl"
    with gold.open(encoding="utf-8") as fh, path.open("w", encoding="utf-8") as out:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                break
            rec = json.loads(line)
            if function == "times_baseline":
                pub = rec.get("published")
                items = fn(rec["text"], dt.date.fromisoformat(pub[:10]) if pub else None)
                layer = {"times": items}
            elif function == "places_baseline":
                layer = {"places": fn(model(rec["text"]))}
            elif function == "positions_baseline":
                # Our own analysis of the document (written before the baselines run), its
                # events read as positions; its actors let the scorer match the parties.
                ours = _our_record(name, rec["id"])
                layer = {"positions": fn(ours), "actors": ours.get("actors", [])}
            else:
                layer = {"quotes": fn(model(rec["text"]))}
            out.write(json.dumps({"id": rec["id"], "text": rec["text"], **to_dict(layer)},
                                 ensure_ascii=False) + "\n")
    return path


def _our_record(name: str, doc_id: str) -> dict:
    with (OUT / f"{name}.pred.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["id"] == doc_id:
                return rec
    return {}


def _heldout(gold: Path) -> Path:
    """The PTC documents the technique tagger never saw (bench/train_techniques.py's fold 0):
    scoring the training documents would only measure memory."""
    from train_techniques import fold

    path = OUT / "ptc-heldout.gold.jsonl"
    with gold.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as dst:
        for line in src:
            if fold(json.loads(line)["id"]) == 0:
                dst.write(line)
    return path


def _trimmed(gold: Path, limit: int | None) -> Path:
    """The gold file itself, or its first ``limit`` documents (the scorer counts a gold
    document without a prediction as all-missed, so a partial run needs a partial gold)."""
    if limit is None:
        return gold
    path = OUT / f"{gold.stem}.first{limit}.gold.jsonl"
    with gold.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= limit:
                break
            dst.write(line)
    return path


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def build(limit: int | None) -> str:
    OUT.mkdir(parents=True, exist_ok=True)
    ours: dict[str, dict] = {}
    base: dict[tuple[str, str], dict] = {}
    seconds: dict[str, float] = {}
    docs: dict[str, int] = {}
    for name in all_names():
        if name not in LAYERS:
            continue
        gold = _trimmed(_heldout(gold_path(name)) if name == "ptc-train" else gold_path(name),
                        limit)
        pred = OUT / f"{name}.pred.jsonl"
        seconds[name] = predict(gold, pred, limit)
        docs[name] = sum(1 for _ in pred.open(encoding="utf-8"))
        ours[name] = _score(gold, pred, LAYERS[name], OUT / f"{name}.scores.json")
        for layer in LAYERS[name]:
            if layer in BASELINES:
                function = BASELINES[layer][1]
                try:
                    bpred = _baseline_predictions(name, gold, function, limit)
                except (ImportError, AttributeError) as exc:
                    print(f"baseline {function} unavailable: {exc}", file=sys.stderr)
                    continue
                base[(name, layer)] = _score(gold, bpred, [layer],
                                             OUT / f"{name}.baseline-{layer}.scores.json")
        print(f"scored {name} ({docs[name]} docs, {seconds[name]:.1f}s)", file=sys.stderr)

    lines = [BEGIN, ""]
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    lines.append(f"Measured {stamp} on {platform.node() or 'this machine'} "
                 f"(Python {platform.python_version()}), "
                 + (f"first {limit} documents per set" if limit else "every document") + ".")
    lines += ["", "### Acceptance targets", "",
              "| set | metric | ours | target | status |", "| --- | --- | --- | --- | --- |"]
    for name, _layer, path, label, target in TARGETS:
        value = _get(ours.get(name, {}), path)
        if value is None:
            status = "not measured"
        elif value >= target:
            status = "met"
        else:
            status = f"**missed by {target - value:.3f}**"
        lines.append(f"| {name} | {label} | {_fmt(value)} | {target:.2f} | {status} |")
    lines += ["", "### Every set, beside the baseline", "",
              "| set | docs | layer | metric | ours | baseline | baseline value |",
              "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, layers in LAYERS.items():
        if name not in ours:
            continue
        for layer in layers:
            bname = BASELINES.get(layer, ("—", ""))[0] if (name, layer) in base else "—"
            for label, path in HEADLINE[layer]:
                b = _get(base[(name, layer)], path) if (name, layer) in base else None
                lines.append(f"| {name} | {docs[name]} | {layer} | {label} | "
                             f"{_fmt(_get(ours[name], path))} | {bname} | {_fmt(b)} |")
    lines += ["", "Analysis time per set (whole pipeline, one process): "
              + ", ".join(f"{n} {s:.0f}s" for n, s in seconds.items()) + ".", "", END]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    if not (SHARED / "eval" / "score.py").exists():
        print(f"skipped: {SHARED} is not here (it only exists beside the development checkout)")
        return
    start = time.perf_counter()
    block = build(args.limit)
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Quality\n\n" + BEGIN + END
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    DOC.write_text(head + block + tail, encoding="utf-8")
    print(f"wrote {DOC} in {time.perf_counter() - start:.0f}s")


if __name__ == "__main__":
    main()
