"""Story quality on every story gold within reach: pair F1, contested recall and precision.

    .venv/bin/python bench/story_quality.py                 # all three sets, fresh stores
    .venv/bin/python bench/story_quality.py --sets sample   # one set
    .venv/bin/python bench/story_quality.py --keep bench/out/story_quality   # reuse stores

Each set goes through the real commands, as a user runs them: ``triangulate run INPUTS``
(ingest, analyse, link) into a store of its own, ``triangulate stories --format jsonl``,
then ``../shared/eval/score.py --stories-gold``. The sets:

* ``sample``: the sample corpus (src/triangulate/data/sample) with its stories.gold.jsonl;
* ``voa``: ../shared/eval/dev/voa-dev.jsonl with voa-dev-stories.jsonl, 59 real stories
  each of its own event, so every pair joined is a false merge (listed with titles);
* ``mixed``: both in one store, scored against each gold; a story joining a sample
  article with a voa-dev one is a false merge too (listed).

For every predicted contested figure that the scorer judges wrong, the values are printed
with their speakers and sentences, so a developer sees what was lumped together.

``--keep DIR`` keeps the stores in DIR and reuses them on the next run: ``run`` analyses
only articles not yet analysed and re-links everything, so a linking change is measured
in seconds. Delete DIR after changing an analysis stage. Without ../shared the whole
bench is skipped with a message (the sample set alone still needs the shared scorer).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "eval" / "score.py"
SAMPLE = ROOT / "src" / "triangulate" / "data" / "sample"
VOA = SHARED / "eval" / "dev" / "voa-dev.jsonl"
VOA_GOLD = SHARED / "eval" / "dev" / "voa-dev-stories.jsonl"
SAMPLE_GOLD = SAMPLE / "stories.gold.jsonl"
OUT = ROOT / "bench" / "out"
SETS = ("sample", "voa", "mixed")


def triangulate(*args: str) -> str:
    """One CLI call; its stdout. A failing call stops the bench with its stderr."""
    proc = subprocess.run([sys.executable, "-m", "triangulate", *args],
                          capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        sys.exit(f"triangulate {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return proc.stdout


def stories_of(inputs: list[Path], db: Path, pred: Path) -> tuple[list[dict], float]:
    start = time.perf_counter()
    triangulate("run", *map(str, inputs), "--db", str(db), "--quiet")
    out = triangulate("stories", "--db", str(db), "--format", "jsonl")
    pred.write_text(out, encoding="utf-8")
    return [json.loads(x) for x in out.splitlines() if x.strip()], time.perf_counter() - start


def score(gold: Path, pred: Path) -> dict:
    """score.py's stories block (final numbers and counts)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        path = Path(fh.name)
    subprocess.run([sys.executable, str(SCORER), "--stories-gold", str(gold),
                    "--stories-pred", str(pred), "--json", str(path)],
                   capture_output=True, text=True, check=True)
    report = json.loads(path.read_text())
    path.unlink()
    return report["layers"]["stories"]


def _scorer_module():
    """score.py's own matching rules (text_match_either, num_equal), to say *which*
    contested figures it judged wrong, by the same rule."""
    spec = importlib.util.spec_from_file_location("shared_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def wrong_contested(gold: list[dict], stories: list[dict]) -> list[tuple[dict, dict]]:
    """(story, figure line) for every contested line the scorer counts as wrong."""
    sc = _scorer_module()
    out = []
    for s in stories:
        arts = {a["id"] for a in s.get("articles", [])}
        near = [g for g in gold if arts & set(g["articles"])]
        if not near:
            continue
        for line in s.get("figures", []):
            if not line.get("contested"):
                continue
            values = {round(float(v["value"]), 9) for v in line["values"]}
            right = any(
                (not gf.get("what") or sc.text_match_either(line.get("what"), gf["what"]))
                and all(any(sc.num_equal(v, g) for g in gf["values"]) for v in values)
                for g in near for gf in g.get("contested_figures", [])
            )
            if not right:
                out.append((s, line))
    return out


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+")


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end] (a plain punctuation split: for reading only)."""
    left = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        left = m.end()
    m = _SENTENCE_END.search(text, end)
    right = m.start() if m else len(text)
    return " ".join(text[left:right].split())


def article_texts(db: Path) -> dict[str, str]:
    sys.path.insert(0, str(ROOT / "src"))
    from triangulate.store import Store

    with Store(db, read_only=True) as store:
        return dict(store.article_texts())


def print_wrong(wrong: list[tuple[dict, dict]], texts: dict[str, str]) -> None:
    for s, line in wrong:
        scope = f" [{line['scope']}]" if line.get("scope") else ""
        print(f"  WRONG contested {line.get('what')} {line.get('who')}{scope} in {s['id']} "
              f"({s.get('date')}, {s.get('type')}): {s.get('title') or ''}"[:200])
        for v in line["values"]:
            ev = v.get("evidence") or {}
            text = texts.get(v["article"], "")
            where = sentence_at(text, ev["start"], ev["end"]) if ev and text else ev.get("text", "")
            hedge = f"{v['hedge']} " if v.get("hedge") else ""
            print(f"    {hedge}{v['value']:g} ({v.get('speaker') or v.get('outlet') or 'outlet'}; "
                  f"{v['article']}): {where[:300]}")


def false_merges(stories: list[dict], ids: set[str], titles: dict[str, str],
                 other: set[str] = frozenset()) -> list[tuple[str, list[str]]]:
    """Stories holding two voa-dev articles, or a voa-dev article and an ``other`` one."""
    out = []
    for s in stories:
        arts = [a["id"] for a in s.get("articles", [])]
        ours = [a for a in arts if a in ids]
        theirs = [a for a in arts if a in other]
        if len(ours) >= 2 or (ours and theirs):
            out.append((s["id"], ours + theirs))
    for sid, arts in out:
        print(f"  FALSE MERGE {sid}:")
        for a in arts:
            print(f"    {a}: {titles.get(a, '')}")
    return out


def line(name: str, block: dict, seconds: float | None = None) -> str:
    f, c = block["final"], block["counts"]
    took = f" ({seconds:.0f}s)" if seconds is not None else ""

    def num(x) -> str:  # the scorer gives None where a ratio is undefined (no gold pairs)
        return "n/a" if x is None else f"{x:.3f}"

    return (f"{name:<22} pair F1 {num(f['pair_f1'])}  contested recall "
            f"{num(f['contested_recall'])} ({c['contested_figures_found']}/"
            f"{c['contested_figures_gold']})  contested precision "
            f"{num(f['contested_precision'])} ({c['contested_figures_right']}/"
            f"{c['contested_figures_predicted']})  pairs {c['tp_pairs']}/"
            f"{c['pred_pairs_in_gold_universe']} pred, {c['gold_pairs']} gold{took}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS)
    ap.add_argument("--keep", type=Path, help="keep the stores here and reuse them next time")
    args = ap.parse_args()
    if not SCORER.exists():
        print(f"skipped: {SHARED} is not here (it only exists beside the development checkout); "
              "the bench needs its eval/score.py and voa-dev sets")
        return 0
    work = args.keep or Path(tempfile.mkdtemp(prefix="story-quality-"))
    work.mkdir(parents=True, exist_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    sample_gold = _jsonl(SAMPLE_GOLD)
    voa_gold = _jsonl(VOA_GOLD)
    voa_ids = {a for g in voa_gold for a in g["articles"]}
    sample_ids = {a for g in sample_gold for a in g["articles"]}
    titles = {r["id"]: r.get("title") or "" for r in _jsonl(VOA)}
    inputs = {"sample": [SAMPLE], "voa": [VOA], "mixed": [SAMPLE, VOA]}
    report: dict = {}
    for name in args.sets:
        db, pred = work / f"{name}.duckdb", OUT / f"story_quality.{name}.stories.jsonl"
        stories, seconds = stories_of(inputs[name], db, pred)
        texts = article_texts(db)
        scored = {}
        if name in ("sample", "mixed"):
            scored["sample"] = score(SAMPLE_GOLD, pred)
            print(line(f"{name}: sample gold", scored["sample"], seconds))
            print_wrong(wrong_contested(sample_gold, stories), texts)
        if name in ("voa", "mixed"):
            scored["voa"] = score(VOA_GOLD, pred)
            print(line(f"{name}: voa-dev gold", scored["voa"], None if name == "mixed" else seconds))
            merges = false_merges(stories, voa_ids, {**titles, **_sample_titles(texts)},
                                  other=sample_ids if name == "mixed" else frozenset())
            print(f"  voa-dev false merges: {len(merges)}")
            print_wrong(wrong_contested(voa_gold, stories), texts)
            scored["voa_false_merges"] = [{"story": s, "articles": a} for s, a in merges]
        report[name] = {"seconds": round(seconds, 1), "stories_file": str(pred), **scored}
    (OUT / "story_quality.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"stores in {work}; stories and scores in {OUT}/story_quality.*")
    return 0


def _sample_titles(texts: dict[str, str]) -> dict[str, str]:
    # Sample articles in a mixed merge are shown by their first words (plain-text items
    # have no title).
    return {k: " ".join(v.split()[:14]) for k, v in texts.items()}


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


if __name__ == "__main__":
    sys.exit(main())
