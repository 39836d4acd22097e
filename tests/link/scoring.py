"""Our own small pairwise clustering score, the same definition as eval/score.py's "stories"
layer, so CI checks it without /work/shared."""

from __future__ import annotations

from collections.abc import Iterable


def pairs(ids: Iterable[str]) -> set[tuple[str, str]]:
    ids = sorted(set(ids))
    return {(a, b) for k, a in enumerate(ids) for b in ids[k + 1 :]}


def pairwise(gold: list[dict], stories: Iterable[dict], drop: frozenset[str] = frozenset()
             ) -> tuple[float, float, float]:
    """(precision, recall, F1) over pairs of articles placed in one story.

    Predicted pairs count only among articles in the gold; ``drop`` removes articles from the
    gold (those the pipeline skips by design, such as non-English ones).
    """
    universe: set[str] = set()
    gold_pairs: set[tuple[str, str]] = set()
    for g in gold:
        ids = [a for a in g["articles"] if a not in drop]
        universe |= set(ids)
        gold_pairs |= pairs(ids)
    pred_pairs: set[tuple[str, str]] = set()
    for s in stories:
        pred_pairs |= pairs(a["id"] if isinstance(a, dict) else a for a in s["articles"]
                            if (a["id"] if isinstance(a, dict) else a) in universe)
    tp = len(gold_pairs & pred_pairs)
    p = tp / len(pred_pairs) if pred_pairs else (1.0 if not gold_pairs else 0.0)
    r = tp / len(gold_pairs) if gold_pairs else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
