"""Hostile input at scale: every reader and the analysis, crashes, silent drops, cost.

    .venv/bin/python bench/fuzz.py --n 10000          # the figures in docs/performance.md
    .venv/bin/python bench/fuzz.py --n 300 --seed 3   # a quick look
    .venv/bin/python bench/fuzz.py --scaling 200      # each stage's cost at 200 and 800 repeats

``--n`` generated inputs (tests/fuzz.py) go through the real code:

  - readers: a share of them are files, folders and URL lists of every format (text, HTML,
    JSON Lines, JSON, CSV, WARC, RSS/Atom, directories, URL lists fetched from a local
    server on 127.0.0.1), good records mixed with junk, plus the inputs issue 16 found.
    Each input is ingested on its own into one store (``ingest.runner.ingest``), timed;
  - analysis: the rest are hostile texts for ``triangulate.analyze`` (storms of quote
    marks, number-word runs, element floods, character soups, hostile strings inside a real
    article, year-9999 dates), plus issue 16's texts at full size (a 1,048,576-character
    article, 35,000 quote marks, 1,600 "thousand"s), each timed and its offsets checked.

Printed: crashes (an exception out of ingest or analyze), silent drops (a good record
neither kept nor reported), good records kept, offset mismatches (``text[start:end]`` is
not the cited text, any span of any layer), and the worst time per 10 KB of input (inputs
under 10 KB count as 10 KB), with the same figure for ordinary articles measured in the
same run. Results go to bench/out/fuzz.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from tests import fuzz  # noqa: E402

import machine  # noqa: E402

READER_SHARE = 0.9  # of --n; the rest are analysis texts


def _size(path: str) -> int:
    p = Path(path)
    if p.is_dir():
        return sum(f.stat().st_size for f in p.rglob("*") if f.is_file() and not f.is_symlink())
    return p.stat().st_size if p.exists() else 0


def per_10kb(seconds: float, size: int) -> float:
    return seconds / max(size, 10_000) * 10_000


def run_readers(n: int, seed: int, folder: Path) -> dict:
    from triangulate.ingest.runner import ingest
    from triangulate.store import Store

    pages: dict = {}
    server, base = fuzz.serve_pages(pages)
    corpus = fuzz.make_corpus(folder / "corpus", n, seed=seed, base_url=base)
    fuzz.issue_inputs(folder / "issue", corpus)
    pages.update(corpus.pages)
    crashes: list[dict] = []
    costs: dict[str, list[tuple[float, str]]] = defaultdict(list)
    skipped: list[tuple[str, str]] = []
    warm = fuzz.make_corpus(folder / "warm-up", 9, seed=seed + 99)  # first-call costs
    with Store(folder / "warm-up.duckdb") as store:
        ingest(store, warm.inputs)
    started = time.perf_counter()
    with Store(folder / "fuzz.duckdb") as store:
        for k, item in enumerate(corpus.inputs + corpus.url_files):
            is_urls = item in corpus.url_files
            began = time.perf_counter()
            try:
                report = ingest(store, [] if is_urls else [item],
                                url_files=[item] if is_urls else (), allow_private=is_urls)
            except BaseException as exc:  # noqa: BLE001 -- a crash is what we count
                crashes.append({"input": item, "format": corpus.formats[item],
                                "error": "".join(traceback.format_exception_only(exc)).strip(),
                                "where": traceback.format_exc().splitlines()[-3:]})
                continue
            seconds = time.perf_counter() - began
            costs[corpus.formats[item]].append((per_10kb(seconds, _size(item)), item))
            skipped += [(s.source, s.reason) for s in report.skipped]
            if k % 500 == 499:
                print(f"  readers: {k + 1:,} inputs, {time.perf_counter() - started:.0f} s",
                      flush=True)
        texts = [t for _, t in store.article_texts()]
        stored_skips = [(s, r) for s, r, _ in store.skipped()]
    server.shutdown()
    found = fuzz.account(corpus, iter(texts), skipped + stored_skips)
    worst = {fmt: max(c) for fmt, c in costs.items()}
    return {
        "inputs": len(corpus.inputs) + len(corpus.url_files),
        "by_format": dict(Counter(corpus.formats.values())),
        "good": len(corpus.good),
        "kept": len(found.kept),
        "reported": [{"where": g.where, "reason": r} for g, r in found.reported],
        "silent": [g.where for g in found.silent],
        "crashes": crashes,
        "skip_reasons": dict(Counter(r for _, r in skipped).most_common()),
        "worst_per_10kb": {fmt: {"seconds": round(s, 3), "input": i} for fmt, (s, i) in
                           worst.items()},
        "seconds": round(time.perf_counter() - started, 1),
    }


def run_analysis(n: int, seed: int) -> dict:
    import triangulate
    from triangulate.analyze.pipeline import AnalysisError

    triangulate.analyze("Officials said troops entered the town on Monday.")  # load models
    m = fuzz.Maker(seed + 1)
    # Ordinary articles of 10-20 KB, so the figure is a rate, not a per-call overhead.
    baseline = ["\n\n".join(m.good_text(m.marker()) for _ in range(m.rng.randint(8, 16)))
                for _ in range(12)]
    base_costs = []
    for text in baseline:
        began = time.perf_counter()
        triangulate.analyze(text, published="2024-03-01")
        base_costs.append(per_10kb(time.perf_counter() - began, len(text)))
    cases = list(fuzz.issue_texts()) + list(fuzz.analysis_texts(m, n))
    crashes, mismatches, costs, spans = [], [], [], 0
    started = time.perf_counter()
    for k, (name, text, published) in enumerate(cases):
        began = time.perf_counter()
        try:
            analysis = triangulate.analyze(text, published=published)
        except (Exception, AnalysisError) as exc:  # noqa: BLE001 -- counted
            crashes.append({"case": name, "chars": len(text), "published": published,
                            "error": f"{type(exc).__name__}: {exc}"[:300],
                            "sample": text[:120]})
            continue
        seconds = time.perf_counter() - began
        costs.append((per_10kb(seconds, len(text)), seconds, len(text), name, text[:80]))
        found = list(fuzz.spans(analysis))
        spans += len(found)
        mismatches += [f"{name}: {x}" for x in fuzz.offset_mismatches(analysis)]
        if k % 200 == 199:
            print(f"  analysis: {k + 1:,} texts, {time.perf_counter() - started:.0f} s", flush=True)
    costs.sort(reverse=True)
    base = sorted(base_costs)[len(base_costs) // 2]
    return {
        "texts": len(cases),
        "crashes": crashes,
        "spans_checked": spans,
        "offset_mismatches": mismatches[:50],
        "offset_mismatch_count": len(mismatches),
        "ordinary_per_10kb": round(base, 3),
        "worst": [{"per_10kb": round(c, 3), "seconds": round(s, 2), "chars": n, "case": name,
                   "start": start, "vs_ordinary": round(c / base, 1)}
                  for c, s, n, name, start in costs[:8]],
        "issue_cases": [{"case": name, "per_10kb": round(c, 3), "seconds": round(s, 2),
                         "chars": n} for c, s, n, name, _ in costs if not
                        name.startswith("hostile-")],
        "seconds": round(time.perf_counter() - started, 1),
    }


# Pathological texts for --scaling, each a function of a repeat count k: what a stage could
# handle in a square (every pair of quotes, numbers, events, claims, actors...) has k of it.
GROWING = {
    "number-run": lambda k: "Officials said " + " ".join(["thousand"] * k),
    "quote-storm": lambda k: '"' * (4 * k),
    "quoted-speech": lambda k: " ".join(
        f'"We will not sign until the siege of Marib ends,{" " + "now" * (n % 3)}" the rebel '
        f"spokesman said on Monday, adding that {n + 2} fighters were killed." for n in range(k)),
    "paragraph-flood": lambda k: "\n\n".join(["x"] * (4 * k)),
    "event-report": lambda k: " ".join(
        f"Rebel fighters attacked an army post near Goma on Tuesday, killing {n % 40 + 2} "
        f"soldiers, the army said. Government troops shelled Kadugli, residents told "
        f"reporters." for n in range(k)),
    "actor-list": lambda k: "Officials of " + ", ".join(
        ["Hamas", "Hezbollah", "the army", "the United Nations", "Ukraine", "Russia"] * k)
        + " met in Geneva on Friday.",
    "figure-list": lambda k: "The ministry said " + ", ".join(
        f"{n + 3} killed in the north" for n in range(k)) + ".",
}


def _timed_stages():
    """Wrap each stage function the pipeline calls; returns the per-stage seconds dict."""
    from stage_profile import STAGES
    from triangulate.analyze import pipeline

    spent: dict[str, float] = defaultdict(float)
    for module, function in [*STAGES, ("scope", "scope_figures")]:
        target = getattr(pipeline, module)
        real = getattr(target, function)

        def timed(*a, _real=real, _name=module, **kw):
            began = time.perf_counter()
            try:
                return _real(*a, **kw)
            finally:
                spent[_name] += time.perf_counter() - began

        setattr(target, function, timed)
    return spent


def run_scaling(k: int, factor: int) -> dict:
    """Each GROWING text at k and factor*k repeats through ``triangulate.analyze``: the
    ratio of each stage's time (and the whole) between the two sizes. A linear stage grows
    by about ``factor`` (the text's length ratio); a quadratic one by its square."""
    import triangulate

    triangulate.analyze("Officials said troops entered the town on Monday.")  # load models
    spent = _timed_stages()
    rows = {}
    for name, make in GROWING.items():
        sizes = []
        for n in (k, factor * k):
            text = make(n)
            spent.clear()
            began = time.perf_counter()
            triangulate.analyze(text, published="2024-03-01")
            whole = time.perf_counter() - began
            stages = dict(spent)
            stages["parse and the rest"] = whole - sum(stages.values())
            sizes.append({"chars": len(text), "seconds": whole, "stages": stages})
        small, big = sizes
        growth = big["chars"] / small["chars"]
        ratios = {st: (big["stages"][st] / small["stages"][st] if small["stages"][st] > 0.002
                       else None) for st in big["stages"]}
        worst = max((r for st, r in ratios.items() if r is not None
                     and big["stages"][st] > 0.05), default=None)
        rows[name] = {"chars": [small["chars"], big["chars"]], "length_ratio": round(growth, 1),
                      "seconds": [round(small["seconds"], 3), round(big["seconds"], 3)],
                      "whole_ratio": round(big["seconds"] / small["seconds"], 1),
                      "worst_stage_ratio": round(worst, 1) if worst else None,
                      "stages_big_s": {st: round(v, 3) for st, v in big["stages"].items()},
                      "stage_ratios": {st: round(r, 1) if r else None
                                       for st, r in ratios.items()}}
        print(f"  {name}: {small['chars']:,} -> {big['chars']:,} chars (x{growth:.1f}): "
              f"{small['seconds']:.2f} s -> {big['seconds']:.2f} s "
              f"(x{big['seconds'] / small['seconds']:.1f}); slowest stage at the larger size: "
              + ", ".join(f"{st} {v:.2f} s (x{ratios[st] or 0:.1f})" for st, v in sorted(
                  big["stages"].items(), key=lambda kv: -kv[1])[:3]), flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="generated inputs in all")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="write the corpus and store here")
    parser.add_argument("--scaling", type=int, metavar="K", help="instead: time each stage "
                        "on pathological texts of K and 4K repeats (stage cost ratios)")
    args = parser.parse_args()
    info = machine.describe()
    if args.scaling:
        print(f"scaling: {len(GROWING)} pathological texts at {args.scaling} and "
              f"{4 * args.scaling} repeats; load average {info['load_average']}", flush=True)
        rows = run_scaling(args.scaling, 4)
        machine.OUT.mkdir(parents=True, exist_ok=True)
        (machine.OUT / "fuzz_scaling.json").write_text(json.dumps(
            {"machine": info, "k": args.scaling, "factor": 4, "texts": rows}, indent=2))
        return
    readers_n = int(args.n * READER_SHARE)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="triangulate-fuzz-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"fuzz: {readers_n:,} reader inputs and {args.n - readers_n:,} analysis texts "
          f"(seed {args.seed}); load average {info['load_average']}", flush=True)
    readers = run_readers(readers_n, args.seed, folder)
    analysis = run_analysis(args.n - readers_n, args.seed)
    result = {"machine": info, "n": args.n, "seed": args.seed, "readers": readers,
              "analysis": analysis}
    machine.OUT.mkdir(parents=True, exist_ok=True)
    (machine.OUT / "fuzz.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    report(result)


def report(result: dict) -> None:
    r, a = result["readers"], result["analysis"]
    print(f"\nreaders: {r['inputs']:,} inputs ({', '.join(f'{k} {v}' for k, v in sorted(r['by_format'].items()))}) "
          f"in {r['seconds']:.0f} s")
    print(f"  crashes: {len(r['crashes'])}")
    for c in r["crashes"][:10]:
        print(f"    {c['format']} {c['input']}: {c['error']}")
    print(f"  good records: {r['good']:,}, kept {r['kept']:,}, reported {len(r['reported'])}, "
          f"silent drops {len(r['silent'])}")
    for g in r["reported"][:10]:
        print(f"    reported, not kept: {g['where']} ({g['reason']})")
    for where in r["silent"][:10]:
        print(f"    silent drop: {where}")
    print("  worst seconds per 10 KB, by format: " + ", ".join(
        f"{fmt} {w['seconds']:.2f}" for fmt, w in sorted(r["worst_per_10kb"].items())))
    print(f"analysis: {a['texts']:,} texts in {a['seconds']:.0f} s; crashes {len(a['crashes'])}; "
          f"offset mismatches {a['offset_mismatch_count']} of {a['spans_checked']:,} spans")
    for c in a["crashes"][:10]:
        print(f"    {c['case']} ({c['chars']} chars, published {c['published']}): {c['error']}")
    for mm in a["offset_mismatches"][:10]:
        print(f"    {mm}")
    print(f"  ordinary articles: {a['ordinary_per_10kb']:.2f} s per 10 KB (median)")
    for w in a["worst"][:5]:
        print(f"  worst: {w['per_10kb']:.2f} s per 10 KB ({w['vs_ordinary']}x ordinary), "
              f"{w['seconds']:.1f} s for {w['chars']:,} chars, {w['case']}: {w['start']!r}")
    for c in a["issue_cases"]:
        print(f"  issue case {c['case']}: {c['seconds']:.1f} s for {c['chars']:,} chars "
              f"({c['per_10kb']:.2f} s per 10 KB)")


if __name__ == "__main__":
    main()
