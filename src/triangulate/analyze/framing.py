"""Framing: document tone, persuasion techniques and stance toward actors.

Everything here is measured in the outlet's own voice where it matters: a technique span
inside a quotation or a reported claim is kept but credited to its speaker
(``Technique.speaker``), and the tone and ``words`` count only the outlet's own words, so an
outlet that quotes a party's invective is not scored as using it.
"""

from __future__ import annotations

import functools

import numpy as np

from triangulate.analyze import stance
from triangulate.analyze import techniques as T
from triangulate.model import Actor, Claim, Framing, Quote, Technique

# A valenced word within this many tokens after a negation counts with the opposite sign
# ("not a success"), VADER's own rule.
NEGATION_REACH = 3


def find_framing(doc, actors: list[Actor], claims: list[Claim], quotes: list[Quote]) -> Framing:
    """Tone, technique spans (quoted ones credited to their speaker) and per-actor stance."""
    tokens = T.token_table(doc, quotes, claims)
    text = tokens.text
    hits = T.cached_term_hits(tokens, text)
    found = T.find_techniques(tokens, hits, text)
    techniques = [
        Technique(technique=f.technique, start=f.start, end=f.end, text=text[f.start:f.end],
                  speaker=tokens.speaker_at(f.start), score=round(f.score, 3))
        for f in found
    ]
    tone, words = document_tone(tokens)
    stances = stance.actor_stances(doc, tokens, actors, found, hits)
    return Framing(tone=tone, techniques=techniques, actor_stance=stances, words=words)


def document_tone(tokens: T.Tokens, mask: np.ndarray | None = None) -> tuple[float, int]:
    """GDELT-style tone (positive minus negative word share, x100) and the word count.

    Words are alphabetic tokens in the outlet's own voice (or under ``mask``); polarity is
    VADER's lexicon, a negation just before a word flipping it.
    """
    words = tokens.alpha & (tokens.outlet if mask is None else mask)
    n = int(words.sum())
    if n == 0:
        return 0.0, 0
    sign = np.sign(tokens.valence) * np.where(_negated(tokens), -1, 1)
    pos = int(((sign > 0) & words).sum())
    neg = int(((sign < 0) & words).sum())
    return round(100.0 * (pos - neg) / n, 2), n


def _negated(tokens: T.Tokens) -> np.ndarray:
    neg = T._member(tokens.lower, _negation_keys()).astype(np.int32)
    if not neg.any():
        return np.zeros(len(neg), dtype=bool)
    # Negation anywhere in the previous NEGATION_REACH tokens of the same sentence.
    window = np.convolve(neg, np.ones(NEGATION_REACH, dtype=np.int32))[: len(neg)]
    before = np.concatenate([[0], window[:-1]])
    reach_start = np.maximum(np.arange(len(neg)) - NEGATION_REACH, 0)
    same_sentence = tokens.sent[reach_start] == tokens.sent
    return (before > 0) & same_sentence


@functools.cache
def _negation_keys() -> np.ndarray:
    return np.array(sorted(T.negations()), dtype=np.uint64)
