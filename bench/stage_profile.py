"""Where the analysis time goes: spaCy's parse and each stage, in ms per 1,000 words.

    .venv/bin/python bench/stage_profile.py                  # 300 synthetic articles
    .venv/bin/python bench/stage_profile.py --articles 100 --top 25

The articles are parsed once with ``nlp.pipe`` (timed: the bare-spaCy cost), then every
stage of ``analyze.pipeline.analyze_doc`` is timed on the parsed Docs (CPU time of this
process, so other load on the machine does not count), and the same run is profiled with
cProfile to name the functions that cost the most in each stage module. Results go to
bench/out/stage_profile.json.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import machine  # noqa: E402
import synthetic  # noqa: E402

STAGES = [("actors", "find_actors"), ("places", "find_places"), ("times", "find_times"),
          ("figures", "find_figures"), ("attribution", "find_attributions"),
          ("events", "find_events"), ("positions", "find_positions"), ("genre", "classify_genre"),
          ("framing", "find_framing")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--top", type=int, default=12, help="hot functions listed per stage")
    args = parser.parse_args()

    import importlib

    from triangulate.analyze import nlp as nlp_module
    from triangulate.analyze import pipeline

    articles = synthetic.corpus_articles(args.articles, folder=machine.OUT / "scale")
    words = sum(len(a.text.split()) for a in articles)
    nlp = nlp_module.load()
    pipeline.analyze_doc(nlp(articles[0].text), articles[0])  # one-off loading, not measured

    start = time.process_time()
    docs = list(nlp.pipe([a.text for a in articles], batch_size=16))
    parse = time.process_time() - start

    spent: Counter[str] = Counter()
    originals = []
    for module_name, function in STAGES:
        module = importlib.import_module(f"triangulate.analyze.{module_name}")
        original = getattr(module, function)
        originals.append((module, function, original))

        def timed(*a, _f=original, _name=module_name, **k):
            t = time.process_time()
            try:
                return _f(*a, **k)
            finally:
                spent[_name] += time.process_time() - t

        setattr(module, function, timed)
    try:
        # First without the profiler: its per-call overhead inflates code made of many small
        # calls (figures, numbers) several times over, so stage costs come from this pass.
        start = time.process_time()
        for doc, article in zip(docs, articles, strict=True):
            pipeline.analyze_doc(doc, article)
        total = time.process_time() - start
        timed_spent = Counter(spent)
        profile = cProfile.Profile()
        profile.enable()
        for doc, article in zip(docs, articles, strict=True):
            pipeline.analyze_doc(doc, article)
        profile.disable()
    finally:
        for module, function, original in originals:
            setattr(module, function, original)

    per_kw = 1000.0 / words * 1000.0  # seconds -> ms per 1,000 words
    rows = [["spaCy parse (nlp.pipe)", parse * per_kw, 100 * parse / (parse + total)]]
    for name, _ in STAGES:
        rows.append([name, timed_spent[name] * per_kw, 100 * timed_spent[name] / (parse + total)])
    other = total - sum(timed_spent.values())
    rows.append(["pipeline glue (Analysis built)", other * per_kw, 100 * other / (parse + total)])
    rows.append(["all stages", total * per_kw, 100 * total / (parse + total)])
    print(f"{len(articles)} articles, {words:,} words; CPU ms per 1,000 words")
    print(machine.table(rows, ["part", "ms / 1,000 words", "% of all"]))
    print(f"bare parse / whole analysis: {parse / (parse + total):.2f} (the best ours/bare "
          "throughput ratio this machine allows with these stages)")
    print("\nHot functions (cProfile, own time; the profiler inflates small-call code, so "
          "read these as a ranking, not as costs)")

    stats = pstats.Stats(profile)
    hot: dict[str, list] = {}
    for (filename, line, func), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        if "/triangulate/" not in filename:
            continue
        module_name = Path(filename).stem
        hot.setdefault(module_name, []).append((tottime, f"{module_name}.py:{line} {func}"))
    report = {}
    for module_name, items in sorted(hot.items(), key=lambda kv: -sum(t for t, _ in kv[1])):
        items.sort(reverse=True)
        report[module_name] = [{"function": f, "ms_per_1000_words": round(t * per_kw, 2)}
                               for t, f in items[:args.top]]
        print(f"\n{module_name}: {sum(t for t, _ in items) * per_kw:.1f} ms / 1,000 words "
              f"in its own code (profiled)")
        for t, f in items[:args.top]:
            print(f"  {t * per_kw:7.2f}  {f}")
    machine.write_json("stage_profile.json", {
        "machine": machine.describe(), "articles": len(articles), "words": words,
        "ms_per_1000_words": {r[0]: round(r[1], 2) for r in rows}, "hot": report})


if __name__ == "__main__":
    main()
