"""The positions stage's word lists (data/positions/), read once per process."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy
from spacy.strings import StringStore

from triangulate import datafiles
from triangulate.model import ISSUES, STANCES

_PARTICLES = frozenset({"out", "down", "forward", "away", "back"})
_FRAMES = frozenset({"-", "for", "to", "on", "recipient", "dismiss", "talks", "issue", "deal",
                     "deontic", "out-of", "away-from"}) | _PARTICLES


@dataclass(frozen=True)
class Cue:
    stance: str
    frame: str


@dataclass(frozen=True)
class IssuePhrase:
    issue: str
    words: tuple[str, ...]
    needs: frozenset[str]  # one of these lemmas (or @place / @force) must be near
    context: bool  # can tell what a nearby stance on "the deal" is about


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, tuple[Cue, ...]]
    nouns: dict[str, tuple[Cue, ...]]
    adjectives: dict[str, tuple[Cue, ...]]
    modals: dict[str, tuple[Cue, ...]]
    issues: dict[str, tuple[IssuePhrase, ...]]  # by first word, longest phrase first
    issue_rank: dict[str, int]  # most specific first
    deal_nouns: frozenset[str]
    talk_nouns: frozenset[str]
    dismissive: frozenset[str]
    negation: dict[str, str | None]
    hypothetical: frozenset[str]
    conditional: tuple[tuple[str, ...], ...]
    list_heads: frozenset[str]
    bullets: frozenset[str]
    sequels: tuple[tuple[str, ...], ...]
    events: dict[str, frozenset[str]]
    spokespeople: frozenset[str]
    negators: frozenset[str]
    speech: frozenset[str]
    agent_nouns: frozenset[str]

    cue_lemmas: frozenset[str]  # every stance word, for screening a Doc
    issue_openers: frozenset[str]  # first words of the issue phrases


@functools.cache
def lexicon() -> Lexicon:
    """Every list under data/positions/, checked against the vocabularies in model.py (a typo
    in a hand-edited table must fail loudly, not silently drop a cue)."""
    by_pos: dict[str, dict[str, list[Cue]]] = {"VERB": {}, "NOUN": {}, "ADJ": {}, "AUX": {}}
    for lemma, pos, stance, frame in datafiles.rows("positions", "stances.tsv", strip=True):
        if stance not in STANCES or frame not in _FRAMES or pos not in by_pos:
            raise ValueError(f"stances.tsv: bad row {lemma!r} {pos!r} {stance!r} {frame!r}")
        by_pos[pos].setdefault(lemma, []).append(Cue(stance, frame))

    issues: dict[str, list[IssuePhrase]] = {}
    rank: dict[str, int] = {}
    for issue, phrase, needs, context in datafiles.rows("positions", "issues.tsv", strip=True):
        if issue not in ISSUES:
            raise ValueError(f"issues.tsv: unknown issue {issue!r}")
        rank.setdefault(issue, len(rank))
        words = tuple(phrase.split())
        need = frozenset() if needs == "-" else frozenset(needs.split("|"))
        issues.setdefault(words[0], []).append(IssuePhrase(issue, words, need, context == "y"))
    negation = {}
    for stance, negated in datafiles.rows("positions", "negation.tsv", strip=True):
        negation[stance] = None if negated == "-" else negated
    kinds: dict[str, list[str]] = {}
    for kind, word in datafiles.rows("positions", "conditions.tsv", strip=True):
        kinds.setdefault(kind, []).append(word)
    events = {stance: frozenset(types.split("|"))
              for stance, types in datafiles.rows("positions", "events.tsv", strip=True)}

    def freeze(table: dict[str, list[Cue]]) -> dict[str, tuple[Cue, ...]]:
        return {k: tuple(v) for k, v in table.items()}

    return Lexicon(
        cue_lemmas=frozenset(w for table in by_pos.values() for w in table),
        issue_openers=frozenset(issues),
        verbs=freeze(by_pos["VERB"]),
        nouns=freeze(by_pos["NOUN"]),
        adjectives=freeze(by_pos["ADJ"]),
        modals=freeze(by_pos["AUX"]),
        issues={k: tuple(sorted(v, key=lambda p: -len(p.words))) for k, v in issues.items()},
        issue_rank=rank,
        deal_nouns=datafiles.words("positions", "deal_nouns.txt"),
        talk_nouns=datafiles.words("positions", "talk_nouns.txt"),
        dismissive=datafiles.words("positions", "dismissive.txt"),
        negation=negation,
        hypothetical=datafiles.words("positions", "hypothetical.txt"),
        conditional=tuple(tuple(w.split()) for w in datafiles.lines("positions", "conditional.txt")),
        list_heads=frozenset(kinds.get("head", ())),
        bullets=frozenset(kinds.get("bullet", ())),
        sequels=tuple(tuple(w.split()) for w in kinds.get("sequel", ())),
        events=events,
        spokespeople=frozenset(w.strip().lower()
                               for w in datafiles.lines("positions", "spokespeople.txt")),
        negators=datafiles.words("positions", "negators.txt"),
        speech=datafiles.words("positions", "speech.txt"),
        agent_nouns=datafiles.words("positions", "agent_nouns.txt"),
    )


@functools.cache
def word_hashes(words: frozenset[str]) -> numpy.ndarray:
    """spaCy string hashes of ``words`` and their capitalised forms (a lemma array holds
    "Proposal" at the start of a headline), to screen a Doc's arrays without making a Token
    per word: that costs more than this whole stage."""
    strings = StringStore()
    forms = set(words) | {w.capitalize() for w in words}
    return numpy.array(sorted(strings.add(w) for w in forms), dtype=numpy.uint64)


class Lemmas:
    """Lowercase lemmas of a Doc's tokens, looked up only where asked."""

    def __init__(self, doc):
        self.doc = doc
        self._cache: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.doc)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self.doc)))]
        found = self._cache.get(i)
        if found is None:
            found = self._cache[i] = self.doc[i].lemma_.lower()
        return found
