"""Actor coverage: share of gold actor/target/speaker name lists found among a document's actors.

    python bench/actor_coverage.py plover-gsr seeds [--misses 40] [--strict]

Runs only the spaCy model and the actors stage over a gold file (names as in score_dev.py).
A gold name list counts as covered when one of its names equals, or is contained as whole
words in, an actor's id, name, country, alias or mention text (the scorer's name-list rule);
--strict looks at names and mention texts only. Also prints ms per 1,000 words of the stage.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from score_dev import gold_path  # noqa: E402


def norm(s: str) -> str:
    return " ".join(s.replace("\u2019", "'").split()).casefold()


def contains(small: str, big: str) -> bool:
    return small == big or re.search(r"(?<!\w)" + re.escape(small) + r"(?!\w)", big) is not None


def gold_lists(rec: dict) -> list[list[str]]:
    out: list[list[str]] = []
    events = rec.get("events") or {}
    for item in (events.get("required") or []) if isinstance(events, dict) else events:
        for role in ("actor", "target"):
            if item.get(role):
                out.append(item[role])
    for layer in ("quotes", "figures"):
        value = rec.get(layer) or []
        items = value.get("required", []) if isinstance(value, dict) else value
        out += [it["speaker"] for it in items if it.get("speaker")]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("names", nargs="+")
    parser.add_argument("--misses", type=int, default=0)
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()
    from triangulate.analyze import nlp
    from triangulate.analyze.actors import find_actors, lexicon

    model = nlp.load()
    lexicon()
    for name in args.names:
        recs = [json.loads(line) for line in gold_path(name).open(encoding="utf-8")]
        found = total = words = 0
        seconds = 0.0
        misses = []
        for rec, doc in zip(recs, model.pipe(r["text"] for r in recs), strict=True):
            t0 = time.perf_counter()
            actors = find_actors(doc)
            seconds += time.perf_counter() - t0
            words += sum(1 for t in doc if not t.is_punct and not t.is_space)
            cands = []
            for a in actors:
                cands += [a.name] + [m.text for m in a.mentions]
                if not args.strict:
                    cands += [a.id, a.country or ""] + list(a.aliases)
            cands = [norm(c) for c in cands if c]
            for names in gold_lists(rec):
                total += 1
                if any(contains(norm(g), c) for g in names for c in cands):
                    found += 1
                else:
                    misses.append((rec["id"], names, sorted({a.name for a in actors})[:8]))
        print(f"{name}: coverage {found}/{total} = {found / max(total, 1):.3f}; "
              f"{1000 * seconds / max(words, 1) * 1000:.2f} ms/1000 words")
        for miss in misses[: args.misses]:
            print("  MISS", *miss)


if __name__ == "__main__":
    main()
