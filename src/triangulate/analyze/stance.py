"""Stance of the outlet toward each actor: positive, negative or neutral, with evidence.

Read from the outlet's own words only; what a quoted or reported speaker says about an actor
is the speaker's stance, not the outlet's. Three signals per mention (weights and the
dependency labels they read are in data/framing/stance.json):

* role: what the actor does or undergoes. The doer of a harmful act is portrayed
  negatively ("militias massacred villagers"), the doer of a helpful one positively; the
  target of harm gets mild sympathy.
* words: loaded terms and labels attached to the mention (its own words, adjectives,
  appositions, what it is called with "is": "the brutal regime", "X is a terrorist group").
* tone: the GDELT-style tone of the sentences the actor is mentioned in.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np

from triangulate import datafiles
from triangulate.analyze import techniques as T
from triangulate.model import Actor, ActorStance, Mention

# Techniques whose spans, attached to a mention, say how the outlet sees the actor.
_LABELLING = frozenset({"loaded_language", "name_calling"})
_COPULA = frozenset({"be", "become", "remain", "seem"})
_PREDICATE_DEPS = frozenset({"attr", "acomp", "oprd"})


@dataclass(frozen=True)
class Settings:
    weights: dict[str, float]
    agent_deps: frozenset[str]
    patient_deps: frozenset[str]
    patient_weight: float
    modifier_deps: frozenset[str]
    positive: float
    negative: float
    evidence_per_actor: int


@functools.cache
def settings() -> Settings:
    raw = datafiles.load_json("framing", "stance.json")
    return Settings(
        weights=raw["weights"], agent_deps=frozenset(raw["agent_deps"]),
        patient_deps=frozenset(raw["patient_deps"]), patient_weight=raw["patient_weight"],
        modifier_deps=frozenset(raw["modifier_deps"]), positive=raw["positive"],
        negative=raw["negative"], evidence_per_actor=raw["evidence_per_actor"],
    )


@functools.cache
def _speech_verbs() -> frozenset[str]:
    """Reporting verbs, from the attribution stage's cue lexicon."""
    from triangulate.analyze.attribution import lexicon

    return frozenset(lexicon().verbs)


@functools.cache
def extra_valence() -> dict[str, float]:
    """Conflict verbs and nouns VADER lacks (data/framing/valence.tsv)."""
    return {w: float(v) for w, v in datafiles.rows("framing", "valence.tsv")}


def word_valence(token) -> float:
    """VADER valence of a token by its form, else its lemma, else our conflict additions."""
    lex = T.vader()
    value = lex.get(token.lower_)
    if value is None:
        value = lex.get(token.lemma_.lower())
    if value is None:
        value = extra_valence().get(token.lemma_.lower(), 0.0)
    return value


@dataclass
class _Tally:
    role: list[float] = field(default_factory=list)
    words: list[float] = field(default_factory=list)
    sentences: set[int] = field(default_factory=set)
    evidence: list[tuple[float, int, int]] = field(default_factory=list)  # (weight, start, end)


def actor_stances(doc, tokens: T.Tokens, actors: list[Actor], labels: list[T.Found],
                  hits: list[T.Hit] = ()) -> list[ActorStance]:
    """One ActorStance per actor, in the actors' order.

    ``labels`` are the technique spans found, ``hits`` the lexicon terms: loaded-language
    and name-calling ones attached to a mention are what the outlet calls the actor.
    """
    cfg = settings()
    text = tokens.text
    outlet = tokens.outlet
    spans = [(f.start, f.end) for f in labels if f.technique in _LABELLING]
    spans += [(int(tokens.start[h.first]), int(tokens.end[h.last])) for h in hits
              if h.technique in _LABELLING]
    # (start, end, first token, token after the last), found once for every mention.
    labelling = []
    if spans:
        starts = np.array([sp[0] for sp in spans])
        ends = np.array([sp[1] for sp in spans])
        firsts = np.maximum(np.searchsorted(tokens.start, starts, side="right") - 1, 0)
        afters = np.searchsorted(tokens.start, ends, side="left")
        labelling = list(zip(starts.tolist(), ends.tolist(), firsts.tolist(), afters.tolist(),
                             strict=True))
    sent_tone = _sentence_tones(tokens)
    out = []
    for actor in actors:
        tally = _Tally()
        for m in actor.mentions:
            first = max(int(np.searchsorted(tokens.start, m.start, side="right")) - 1, 0)
            after = int(np.searchsorted(tokens.start, m.end, side="left"))
            if after <= first or not outlet[first]:
                continue
            _read_mention(doc[first:after], tokens, labelling, cfg, tally)
        out.append(_stance(actor, tally, sent_tone, tokens, text, cfg))
    return out


def _read_mention(span, tokens: T.Tokens, labelling: list[tuple[int, int, int, int]], cfg: Settings,
                  tally: _Tally) -> None:
    root = span.root
    tally.sentences.add(int(tokens.sent[root.i]))
    described = _described(span, cfg)
    role = _role(root, cfg)
    # Participles on the mention say what was done to it ("displaced families", "the
    # wounded soldiers"): suffering is the receiving end, mild sympathy, never blame.
    for t in described:
        if t.tag_ == "VBN" and t.dep_ in ("amod", "acl") and not span.start <= t.i < span.end:
            role += cfg.patient_weight * word_valence(t) / 4
    if role:
        tally.role.append(role)
        s, e = _sentence_bounds(root)
        tally.evidence.append((abs(role), s, e))
    # Judgement is in the labels the outlet attaches, not in any valenced word nearby:
    # "starving children" is no stance against the children, "the brutal regime" is. A
    # label must cover a describing word, not just the mention's head (a long tagged span
    # that merely contains the name says nothing about it), and a name is no label
    # ("International Criminal Court").
    describing = {t.i for t in described if t.i != root.i and t.pos_ not in ("DET", "PUNCT")}
    words = 0.0
    lo, hi = min(describing, default=0), max(describing, default=-1)
    for s, e, first, last in labelling:
        if first > hi or last <= lo:
            continue
        covered = describing.intersection(range(first, last))
        if not covered or all(tokens.pos[i] == T._PROPN for i in covered):
            continue
        words += 1.0 if float(tokens.valence[first:last].sum()) > 0 else -1.0
        tally.evidence.append((2.0, s, e))
    if words:
        tally.words.append(max(-1.0, min(1.0, words)))


def _described(span, cfg: Settings) -> list:
    """The mention's tokens and what describes it: modifiers, appositions, the noun it
    names ("the terrorist group Hamas"), and what "is"/"remains" says it is."""
    root = span.root
    described = list(span)
    for child in root.children:
        if child.dep_ in cfg.modifier_deps and not (span.start <= child.i < span.end):
            described.extend(child.subtree)
    head = root.head
    if root.dep_ in ("appos", "compound") and head.i != root.i:
        described.append(head)
        for child in head.children:
            if child.dep_ in ("amod", "compound") and child.i != root.i:
                described.extend(child.subtree)
    if root.dep_ in cfg.agent_deps and head.lemma_ in _COPULA:
        for child in head.children:
            if child.dep_ in _PREDICATE_DEPS:
                described.extend(child.subtree)
    return described


def _role(root, cfg: Settings) -> float:
    """What the actor does (doer: the act's valence) or undergoes (receiver: sympathy)."""
    head = root.head
    if head.i == root.i:
        return 0.0
    if root.dep_ in cfg.agent_deps or root.dep_ == "poss":
        # Saying is not doing: "Moscow warned", "the army denied" portray no one.
        if head.lemma_ in _COPULA or head.lemma_.lower() in _speech_verbs():
            return 0.0
        return word_valence(head) / 4
    if root.dep_ in cfg.patient_deps:
        verb = head.head if head.dep_ == "prep" else head
        if verb.pos_ == "VERB" or verb.dep_ == "ROOT":
            return cfg.patient_weight * word_valence(verb) / 4
    return 0.0


def _sentence_bounds(token) -> tuple[int, int]:
    sent = token.sent
    return sent.start_char, sent.end_char


def _sentence_tones(tokens: T.Tokens) -> np.ndarray:
    """GDELT-style tone of every sentence over the outlet's own words."""
    n_sent = len(tokens.sent_starts)
    words = tokens.alpha & tokens.outlet
    pos = np.bincount(tokens.sent[words & (tokens.valence > 0)], minlength=n_sent)
    neg = np.bincount(tokens.sent[words & (tokens.valence < 0)], minlength=n_sent)
    total = np.bincount(tokens.sent[words], minlength=n_sent)
    return np.stack([pos, neg, total], axis=1)


def _stance(actor: Actor, tally: _Tally, sent_tone: np.ndarray, tokens: T.Tokens, text: str,
            cfg: Settings) -> ActorStance:
    tone = 0.0
    if tally.sentences:
        rows = sent_tone[sorted(tally.sentences)].sum(0)
        tone = 100.0 * (rows[0] - rows[1]) / rows[2] if rows[2] else 0.0
    w = cfg.weights
    raw = (w["role"] * (sum(tally.role) / len(tally.role) if tally.role else 0.0)
           + w["words"] * (sum(tally.words) / len(tally.words) if tally.words else 0.0)
           + w["tone"] * tone * (1.0 if tally.sentences else 0.0))
    score = math.tanh(raw)
    stance = "positive" if score >= cfg.positive else "negative" if score <= cfg.negative else "neutral"
    evidence = []
    seen = set()
    for _, s, e in sorted(tally.evidence, key=lambda x: (-x[0], x[1])):
        s, e = _trim(text, s, e)
        if (s, e) in seen or e <= s:
            continue
        seen.add((s, e))
        evidence.append(Mention(s, e, text[s:e]))
        if len(evidence) >= cfg.evidence_per_actor:
            break
    evidence.sort(key=lambda m: m.start)
    return ActorStance(actor=actor.id, stance=stance, score=round(score, 3), tone=round(tone, 2),
                       evidence=evidence)


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e
