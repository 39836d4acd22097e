"""Analyse gold files and score them with ../shared/eval/score.py.

    python bench/score_dev.py seeds tbaq geo-gwn --layers times places
    python bench/score_dev.py all

Names are files in ../shared/eval/dev/ (without .jsonl) or "seeds" for
../shared/gold/seeds.jsonl. Predictions go to bench/out/<name>.pred.jsonl.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
OUT = ROOT / "bench" / "out"


def gold_path(name: str) -> Path:
    if name == "seeds":
        return SHARED / "gold" / "seeds.jsonl"
    return SHARED / "eval" / "dev" / f"{name}.jsonl"


def all_names() -> list[str]:
    return ["seeds"] + sorted(p.stem for p in (SHARED / "eval" / "dev").glob("*.jsonl")
                              if p.stem != "polnear-train")


def predict(gold: Path, out: Path, limit: int | None = None) -> float:
    from triangulate.analyze.pipeline import analyze_articles
    from triangulate.ingest.normalize import article_from_fields
    from triangulate.model import to_dict

    def articles():
        with gold.open(encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if limit is not None and i >= limit:
                    break
                rec = json.loads(line)
                yield article_from_fields(
                    rec["text"], source=str(gold), id=rec["id"], url=rec.get("url"),
                    outlet=rec.get("outlet"), title=rec.get("title"),
                    published=rec.get("published"),
                )

    start = time.perf_counter()
    with out.open("w", encoding="utf-8") as fh:
        for analysis in analyze_articles(articles()):
            if not hasattr(analysis, "text"):  # an AnalysisFailure
                print(f"analysis of {analysis.id} failed: {analysis.detail}", file=sys.stderr)
                continue
            fh.write(json.dumps(to_dict(analysis), ensure_ascii=False) + "\n")
    return time.perf_counter() - start


def score(gold: Path, pred: Path, layers: list[str] | None, json_out: Path | None) -> str:
    cmd = [sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(gold),
           "--pred", str(pred)]
    if layers:
        cmd += ["--layers", ",".join(layers)]
    if json_out:
        cmd += ["--json", str(json_out)]
    return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*")
    parser.add_argument("--gold", type=Path, action="append", default=[],
                        help="also score this gold file (any path; predictions go to "
                             "bench/out/<its stem>.pred.jsonl)")
    parser.add_argument("--layers", nargs="*")
    parser.add_argument("--limit", type=int, help="only the first N documents")
    parser.add_argument("--full", action="store_true", help="print the whole score report")
    args = parser.parse_args()
    if not (SHARED / "eval" / "score.py").exists():
        print(f"skipped: {SHARED} is not here (it only exists beside the development checkout)")
        return
    OUT.mkdir(parents=True, exist_ok=True)
    names = all_names() if args.names == ["all"] else args.names
    if not names and not args.gold:
        parser.error("give dev set names or --gold PATH")
    for name, gold in [(n, gold_path(n)) for n in names] + [(g.stem, g) for g in args.gold]:
        pred = OUT / f"{name}.pred.jsonl"
        seconds = predict(gold, pred, args.limit)
        report = score(gold, pred, args.layers, OUT / f"{name}.scores.json")
        print(f"== {name} ({seconds:.1f}s)")
        lines = report.splitlines() if args.full else [
            ln for ln in report.splitlines() if ln.startswith("FINAL")]
        print("\n".join(lines))


if __name__ == "__main__":
    main()
