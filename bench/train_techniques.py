"""Train the persuasion-technique tagger shipped in src/triangulate/data/framing/techniques.npz.

    .venv/bin/python bench/train_techniques.py            # train, evaluate, write the weights
    .venv/bin/python bench/train_techniques.py --heldout-gold bench/out/ptc-heldout.jsonl

Training data: ../shared/eval/dev/ptc-train.jsonl (PTC v2, SemEval-2020 Task 11; research use
only, never copied into the repository: only the weights learnt from it are shipped).

Split, by document: sha1(id) mod 5 == 0 is the HELD-OUT split, never trained or tuned on;
== 1 is the validation split the decoding threshold is tuned on; the rest is training. The
final weights are refitted on training + validation with the tuned settings.

The model is two logistic regressions over the features of triangulate.analyze.techniques
(part of speech, valence, case, sentence shape, lexicon hits, hashed words): one says
whether a token lies inside a technique span, the other (softmax over the 14 PTC
techniques, fitted on span tokens only) which technique it is. Plain numpy, seeded: the
same data gives the same weights.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
PTC = ROOT.parent / "shared" / "eval" / "dev" / "ptc-train.jsonl"
OUT = ROOT / "bench" / "out"
WEIGHTS = ROOT / "src" / "triangulate" / "data" / "framing" / "techniques.npz"
sys.path.insert(0, str(ROOT / "src"))

from triangulate.analyze import techniques as T  # noqa: E402

LABEL_BITS = 16  # hashed buckets of the label model (2**16 x 14 weights, stored as float16)
SEED = 13


def fold(doc_id: str) -> int:
    return int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest(), 16) % 5


def parse(records: list[dict]) -> list:
    """spaCy docs of every record, cached in bench/out (parsing is the slow part)."""
    from spacy.tokens import DocBin

    from triangulate.analyze import nlp

    model = nlp.load()
    cache = OUT / f"ptc-train.{nlp.describe(model)}.spacy"
    if cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(model.vocab))
        if len(docs) == len(records) and all(d.text == r["text"] for d, r in zip(docs, records, strict=True)):
            return docs
    docs = list(model.pipe((r["text"] for r in records), batch_size=16))
    OUT.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs).to_disk(cache)
    return docs


def doc_arrays(doc, spans: list[dict]):
    tokens = T.token_table(doc, [])
    hits = T.term_hits(tokens, doc.text)
    dense, sparse = T.features(tokens, hits)
    inside = np.zeros(len(tokens), dtype=np.float64)
    label = np.full(len(tokens), -1, dtype=np.int64)
    index = {t: k for k, t in enumerate(T.TAGGED)}
    # Longer spans first, so a short span nested in a long one gives its tokens its label.
    for sp in sorted(spans, key=lambda s: s["start"] - s["end"]):
        covered = (tokens.start < sp["end"]) & (tokens.end > sp["start"])
        inside[covered] = 1.0
        if sp["technique"] in index:
            label[covered] = index[sp["technique"]]
    return tokens, dense, sparse, inside, label


# ----------------------------------------------------------------------------- training


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def train_inside(dense, sparse, y, epochs=3, batch=512, lr=0.01, l2=1e-4, l2_sparse=1e-6):
    """Binary logistic regression: Adam on the dense weights, AdaGrad on the hashed ones."""
    rng = np.random.default_rng(SEED)
    mean, scale = dense.mean(0), dense.std(0) + 1e-3
    x = (dense - mean) / scale
    n, d = x.shape
    w = np.zeros(d)
    ws = np.zeros(1 << T.HASH_BITS)
    b = float(np.log(y.mean() / (1 - y.mean())))
    m1, m2 = np.zeros(d), np.zeros(d)
    g2 = np.full(len(ws), 1e-8)
    step = 0
    for _ in range(epochs):
        order = rng.permutation(n)
        for k in range(0, n, batch):
            idx = order[k:k + batch]
            sb = sparse[idx]
            g = _sigmoid(x[idx] @ w + ws[sb].sum(1) + b) - y[idx]
            gd = x[idx].T @ g / len(idx) + l2 * w
            step += 1
            m1 = 0.9 * m1 + 0.1 * gd
            m2 = 0.999 * m2 + 0.001 * gd * gd
            w -= lr * (m1 / (1 - 0.9 ** step)) / (np.sqrt(m2 / (1 - 0.999 ** step)) + 1e-8)
            b -= lr * float(g.mean())
            gs = np.zeros(len(ws))
            np.add.at(gs, sb.ravel(), np.repeat(g, sb.shape[1]) / len(idx) * 10)
            touched = np.unique(sb)
            gs[touched] += l2_sparse * ws[touched]
            g2[touched] += gs[touched] ** 2
            ws[touched] -= lr * 5 * gs[touched] / np.sqrt(g2[touched])
    return {"dense": w, "sparse": ws, "bias": b, "mean": mean, "scale": scale}


def train_labels(dense, sparse, label, mean, scale, epochs=5, batch=256, lr=0.01, l2=1e-4):
    """Softmax regression over the techniques, on the tokens that are inside a span."""
    rng = np.random.default_rng(SEED)
    x = (dense - mean) / scale
    sparse = sparse & ((1 << LABEL_BITS) - 1)
    k = len(T.TAGGED)
    n, d = x.shape
    w = np.zeros((d, k))
    b = np.zeros(k)
    ws = np.zeros((1 << LABEL_BITS, k))
    m1, m2 = np.zeros_like(w), np.zeros_like(w)
    g2 = np.full(len(ws), 1e-8)
    onehot = np.eye(k)[label]
    step = 0
    for _ in range(epochs):
        order = rng.permutation(n)
        for s in range(0, n, batch):
            idx = order[s:s + batch]
            sb = sparse[idx]
            g = _softmax(x[idx] @ w + b + ws[sb].sum(1)) - onehot[idx]
            gw = x[idx].T @ g / len(idx) + l2 * w
            step += 1
            m1 = 0.9 * m1 + 0.1 * gw
            m2 = 0.999 * m2 + 0.001 * gw * gw
            w -= lr * (m1 / (1 - 0.9 ** step)) / (np.sqrt(m2 / (1 - 0.999 ** step)) + 1e-8)
            b -= lr * g.mean(0)
            gs = np.zeros((len(ws), k))
            np.add.at(gs, sb.ravel(), np.repeat(g, sb.shape[1], axis=0) / len(idx) * 10)
            touched = np.unique(sb)
            g2[touched] += (gs[touched] ** 2).sum(1)
            ws[touched] -= lr * 5 * gs[touched] / np.sqrt(g2[touched])[:, None]
    return {"label_dense": w, "label_bias": b, "label_sparse": ws}


# ----------------------------------------------------------------------------- scoring


def _merge(spans):
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out


def _partial(a, b_merged) -> float:
    total = 0.0
    for s, e in a:
        total += sum(max(0, min(e, be) - max(s, bs)) for bs, be in b_merged) / (e - s)
    return total


def span_scores(pairs) -> dict[str, float]:
    """SemEval-2020 span identification and technique-aware P/R/F1 (as ../shared/eval/score.py)."""
    si = [0.0, 0, 0.0, 0]
    tc = [0.0, 0, 0.0, 0]
    for gold, pred in pairs:
        g, p = _merge([s for s, _ in gold]), _merge([s for s, _ in pred])
        si[0] += _partial(p, g)
        si[1] += len(p)
        si[2] += _partial(g, p)
        si[3] += len(g)
        for lab in {t for _, t in gold} | {t for _, t in pred}:
            gl = _merge([s for s, t in gold if t == lab])
            pl = _merge([s for s, t in pred if t == lab])
            tc[0] += _partial(pl, gl)
            tc[1] += len(pl)
            tc[2] += _partial(gl, pl)
            tc[3] += len(gl)

    def prf(c):
        p = c[0] / c[1] if c[1] else 0.0
        r = c[2] / c[3] if c[3] else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    (p, r, f), (tp, tr, tf) = prf(si), prf(tc)
    return {"si_p": p, "si_r": r, "si_f1": f, "tc_p": tp, "tc_r": tr, "tc_f1": tf}


def predict_spans(model: T.Tagger, tokens, dense, sparse, hits):
    return [((t.start, t.end), t.technique)
            for t in T.decode(model, tokens, dense, sparse, hits, "")]


# ----------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--heldout-gold", type=Path, help="also write the held-out documents as a gold file here")
    parser.add_argument("--no-write", action="store_true", help="evaluate only; keep the shipped weights")
    args = parser.parse_args()
    records = [json.loads(line) for line in PTC.open(encoding="utf-8")]
    folds = [fold(r["id"]) for r in records]
    heldout = [r["id"] for r, f in zip(records, folds, strict=True) if f == 0]
    print(f"{len(records)} documents: {len(heldout)} held out, "
          f"{folds.count(1)} validation, {len(records) - len(heldout) - folds.count(1)} training")
    if args.heldout_gold:
        args.heldout_gold.parent.mkdir(parents=True, exist_ok=True)
        with args.heldout_gold.open("w", encoding="utf-8") as fh:
            for r, f in zip(records, folds, strict=True):
                if f == 0:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    started = time.perf_counter()
    docs = parse(records)
    print(f"parsed in {time.perf_counter() - started:.0f}s")
    arrays = [doc_arrays(d, r["techniques"]) for d, r in zip(docs, records, strict=True)]

    def stack(which: set[int]):
        rows = [a for a, f in zip(arrays, folds, strict=True) if f in which]
        return (np.vstack([a[1] for a in rows]), np.vstack([a[2] for a in rows]),
                np.concatenate([a[3] for a in rows]), np.concatenate([a[4] for a in rows]))

    def fit(which: set[int]) -> dict:
        dense, sparse, inside, label = stack(which)
        model = train_inside(dense, sparse, inside)
        span = label >= 0
        model.update(train_labels(dense[span], sparse[span], label[span], model["mean"],
                                  model["scale"]))
        return model

    def evaluate(model: dict, which: set[int], settings: dict) -> dict[str, float]:
        tagger = _tagger(model, settings)
        pairs = []
        for (tokens, dense, sparse, _, _), r, f in zip(arrays, records, folds, strict=True):
            if f in which:
                hits = T.term_hits(tokens, r["text"])
                gold = [((s["start"], s["end"]), s["technique"]) for s in r["techniques"]]
                pairs.append((gold, predict_spans(tagger, tokens, dense, sparse, hits)))
        return span_scores(pairs)

    started = time.perf_counter()
    model = fit({2, 3, 4})
    print(f"trained on the training split in {time.perf_counter() - started:.0f}s")
    # Decoding settings by span F1 on the validation split; within 0.01 of the best F1 the
    # more precise setting wins (fewer stray spans in plain news copy).
    tried = []
    for threshold in (0.15, 0.175, 0.2, 0.225, 0.25):
        for peak in (0.0, 0.25, 0.3, 0.35, 0.4):
            for gap in (1, 2):
                for smooth in (0, 1):
                    settings = {"threshold": threshold, "gap": gap, "smooth": smooth,
                                "peak": peak}
                    tried.append((evaluate(model, {1}, settings), settings))
    top = max(s["si_f1"] for s, _ in tried)
    best = max((x for x in tried if x[0]["si_f1"] >= top - 0.01), key=lambda x: x[0]["si_p"])[1]
    print("validation, tuned:", best, _fmt(evaluate(model, {1}, best)))
    final = fit({1, 2, 3, 4})
    scores = evaluate(final, {0}, best)
    print("HELD-OUT (never trained or tuned on):", _fmt(scores))
    print("training split fit:", _fmt(evaluate(final, {2, 3, 4}, best)))
    if not args.no_write:
        _save(final, best)
        print(f"wrote {WEIGHTS.relative_to(ROOT)} ({WEIGHTS.stat().st_size / 1e6:.1f} MB)")


def _fmt(s: dict[str, float]) -> str:
    return (f"span P {s['si_p']:.3f} R {s['si_r']:.3f} F1 {s['si_f1']:.3f} | "
            f"technique-aware P {s['tc_p']:.3f} R {s['tc_r']:.3f} F1 {s['tc_f1']:.3f}")


def _tagger(model: dict, settings: dict) -> T.Tagger:
    return T.Tagger(
        dense=model["dense"].astype(np.float32), sparse=model["sparse"].astype(np.float32),
        bias=float(model["bias"]), mean=model["mean"].astype(np.float32),
        scale=model["scale"].astype(np.float32),
        label_dense=model["label_dense"].astype(np.float32),
        label_sparse=model["label_sparse"].astype(np.float32),
        label_bias=model["label_bias"].astype(np.float32), threshold=settings["threshold"],
        gap=settings["gap"], smooth=settings["smooth"], peak=settings["peak"],
    )


def _save(model: dict, settings: dict) -> None:
    np.savez_compressed(
        WEIGHTS,
        dense=model["dense"].astype(np.float32), sparse=model["sparse"].astype(np.float16),
        bias=np.float32(model["bias"]), mean=model["mean"].astype(np.float32),
        scale=model["scale"].astype(np.float32),
        label_dense=model["label_dense"].astype(np.float32),
        label_sparse=model["label_sparse"].astype(np.float16),
        label_bias=model["label_bias"].astype(np.float32),
        threshold=np.float32(settings["threshold"]), gap=np.int64(settings["gap"]),
        smooth=np.int64(settings["smooth"]), peak=np.float32(settings["peak"]),
        hash_bits=np.int64(T.HASH_BITS),
        dense_dim=np.int64(T.DENSE_DIM), labels=np.array(T.TAGGED),
    )


if __name__ == "__main__":
    main()
