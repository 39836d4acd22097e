"""Genre: news, opinion, analysis or other, from stylistic signals.

A transparent linear model: each signal is a rate measured mostly in the outlet's own voice
(quotations and reported claims are other people's words), each label scores its bias plus
weighted signals, and a softmax turns the scores into the reported probability. Weights,
scales and what each signal means are in data/framing/genre.json; the words the signals
count are in data/framing/genre_words.tsv. The signals are returned in ``Genre.signals`` so
a reader can see why an article got its label.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

import numpy as np
from spacy.attrs import TAG
from spacy.strings import get_string_id

from triangulate import datafiles
from triangulate.analyze import techniques as T
from triangulate.model import Claim, Genre, Quote

LABELS = ("news", "opinion", "analysis", "other")
_FIRST = ("i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves")
_FIRST_SINGULAR = ("i", "me", "my", "mine", "myself")
_SECOND = ("you", "your", "yours", "yourself", "yourselves")
_PRESENT_TAGS = ("VBP", "VBZ")
_PAST_TAGS = ("VBD",)
# Evaluation lives in adjectives and adverbs; strong VADER valence marks an evaluative one.
_EVALUATIVE_POS = frozenset(T.POS_TAGS.index(p) for p in ("ADJ", "ADV"))
_EVALUATIVE_VALENCE = 1.5
_LOADED = frozenset({"loaded_language", "name_calling", "exaggeration"})

# A dateline: an upper-case place (and optional country or date), an optional agency in
# brackets, then a dash: "KHAN YOUNIS, Gaza Strip (Reuters) -", "PORT ASHBY —".
_DATELINE = re.compile(
    r"\A\s*(?:[^\n]{0,200}\n+\s*)?"  # an optional headline line before it
    r"[A-Z][A-Z.'\u2019 -]{2,40}(?:,\s*[A-Z][\w.'\u2019 -]{1,40}){0,2}"
    r"(?:\s*\([^()\n]{2,40}\))?\s*[-\u2013\u2014]{1,2}\s"
)
# A softer one: a title-case place and a date before a dash ("London, 8 March 2024 -"),
# also how statements and blog posts open.
_DATED_OPENING = re.compile(
    r"\A\s*[A-Z][\w.'\u2019 -]{2,40},\s*(?:\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]+\.?\s+\d{1,2})"
    r"[\w, ]{0,12}\s*[-\u2013\u2014]{1,2}\s"
)


@dataclass(frozen=True)
class Model:
    scales: dict[str, float]
    bias: dict[str, float]
    weights: dict[str, dict[str, float]]


@functools.cache
def model() -> Model:
    raw = datafiles.load_json("framing", "genre.json")
    scales = {name: spec["scale"] for name, spec in raw["signals"].items()}
    bias = {label: raw["labels"][label]["bias"] for label in LABELS}
    weights = {label: raw["labels"][label]["weights"] for label in LABELS}
    return Model(scales, bias, weights)


@functools.cache
def words() -> T.Terms:
    return T.build_terms(datafiles.rows("framing", "genre_words.tsv"))


@functools.cache
def _ids(words_: tuple[str, ...]) -> np.ndarray:
    return np.array(sorted(get_string_id(w) for w in words_), dtype=np.uint64)


@functools.cache
def _tag_ids(tags: tuple[str, ...]) -> np.ndarray:
    return np.array(sorted(get_string_id(t) for t in tags), dtype=np.uint64)


def classify_genre(doc, claims: list[Claim], quotes: list[Quote]) -> Genre:
    """The article's genre with a score and the signals it rests on."""
    tokens = T.token_table(doc, quotes, claims)
    signals = measure(doc, tokens, claims)
    return decide(signals)


def decide(signals: dict[str, float]) -> Genre:
    """Label and probability from measured signals (raw rates, as in Genre.signals)."""
    m = model()
    squashed = {k: min(1.0, max(0.0, v / m.scales[k])) for k, v in signals.items() if k in m.scales}
    scores = {
        label: m.bias[label] + sum(w * squashed.get(k, 0.0) for k, w in m.weights[label].items())
        for label in LABELS
    }
    top = max(scores.values())
    exp = {label: math.exp(s - top) for label, s in scores.items()}
    total = sum(exp.values())
    label = max(LABELS, key=lambda lab: scores[lab])
    return Genre(label=label, score=round(exp[label] / total, 3),
                 signals={k: round(v, 4) for k, v in signals.items()})


def measure(doc, tokens: T.Tokens, claims: list[Claim]) -> dict[str, float]:
    """Every signal of genre.json as a raw rate (before scaling)."""
    n = len(tokens)
    text = tokens.text
    n_sent = max(1, len(tokens.sent_starts))
    own = tokens.outlet & ~tokens.quoted
    own_words = max(1, int((own & tokens.alpha).sum()))
    # Sentences mostly in the outlet's own voice, the denominator of its per-sentence rates.
    if n:
        own_share = np.bincount(tokens.sent, weights=own.astype(float), minlength=n_sent)
        size = np.bincount(tokens.sent, minlength=n_sent)
        own_sentences = max(1, int((own_share >= size / 2).sum()))
    else:
        own_sentences = 1
    hits = T.term_hits(tokens, text, words())
    by_signal: dict[str, int] = {}
    for h in hits:
        # "May" the month is no hedge, "Will" no prediction: names are never signal words.
        if own[h.first] and tokens.pos[h.first] != T._PROPN:
            by_signal[h.technique] = by_signal.get(h.technique, 0) + 1
    tags = doc.to_array([TAG]).astype(np.uint64) if n else np.zeros(0, dtype=np.uint64)
    present = int((T._member(tags, _tag_ids(_PRESENT_TAGS)) & own).sum())
    past_mask = T._member(tags, _tag_ids(_PAST_TAGS))
    past = int((past_mask & own).sum())
    said_lemmas = _said_lemmas()
    said = int((past_mask & T._member(tokens.lemma, said_lemmas)).sum()) if len(said_lemmas) else 0
    question = int(((tokens.lower == T._QUESTION) & own).sum())
    evaluative = int((np.isin(tokens.pos, list(_EVALUATIVE_POS))
                      & (np.abs(tokens.valence) >= _EVALUATIVE_VALENCE) & own).sum())
    quoted_chars = sum(e - s for s, e in T.long_quotations(doc))
    loaded = sum(1 for h in T.cached_term_hits(tokens, text)
                 if h.technique in _LOADED and own[h.first])
    dateline = 1.0 if _DATELINE.match(text[:300]) else 0.5 if _DATED_OPENING.match(text[:120]) else 0.0
    return {
        "first_person": _count(tokens, own, _FIRST) / own_sentences,
        "first_singular": _count(tokens, own, _FIRST_SINGULAR) / own_sentences,
        "second_person": _count(tokens, own, _SECOND) / own_sentences,
        "evaluative": evaluative / own_words,
        "loaded": loaded / own_words,
        "moral": by_signal.get("moral", 0) / own_words,
        "prescriptive": by_signal.get("prescriptive", 0) / own_sentences,
        "hedging": by_signal.get("hedging", 0) / own_sentences,
        "explanatory": by_signal.get("explanatory", 0) / own_sentences,
        "contrastive": by_signal.get("contrastive", 0) / own_sentences,
        "questions": question / own_sentences,
        "attribution": len(claims) / n_sent,
        "quotation": quoted_chars / max(1, len(text)),
        "said": said / n_sent,
        "dateline": dateline,
        "present_tense": present / max(1, present + past),
        "call_to_action": by_signal.get("call_to_action", 0) / own_sentences,
    }


def _count(tokens: T.Tokens, own: np.ndarray, words_: tuple[str, ...]) -> int:
    return int((T._member(tokens.lower, _ids(words_)) & own).sum())


@functools.cache
def _said_lemmas() -> np.ndarray:
    rows = datafiles.rows("framing", "genre_words.tsv")
    lemmas = [term for signal, term in rows if signal == "said"]
    return np.array(sorted(get_string_id(w) for w in lemmas), dtype=np.uint64)
