"""The events stage's patterns (data/events/), read once per process.

``triggers.tsv`` gives the senses of each trigger word, ``objects.tsv`` and ``compose.tsv`` the
events a governing word makes with an object ("imposed a curfew"), ``modes.tsv`` the weapon and
method words, ``instruments.tsv`` the weapons, vehicles and body parts that never fill a role, ``cues.json``
every other word list (modality, role prepositions, person nouns).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy
from spacy.strings import StringStore

from triangulate import datafiles
from triangulate.model import PLOVER_TYPES


@dataclass(frozen=True)
class Sense:
    type: str | None  # None: this reading is not an event
    mode: str | None
    strength: str  # strong, weak, gov
    cues: frozenset[str]
    tests: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    triggers: dict[tuple[str, str], tuple[Sense, ...]]
    objects: dict[str, tuple[str, str | None]]
    compose: dict[tuple[str, str, str], tuple[str, str | None]]
    modes: dict[str, tuple[tuple[str, str, int], ...]]
    cues: dict
    verb_lemmas: frozenset[str]
    instruments: dict[str, tuple[str, str | None]]  # lemma -> (class, party or None)


def _dash(value: str) -> str | None:
    return None if value in ("", "-") else value


@functools.cache
def lexicon() -> Lexicon:
    """Every pattern file, read once per process (cells trimmed: the tables are edited by
    hand and a stray space must not make a new lemma)."""
    def table(name: str) -> list[list[str]]:
        return datafiles.rows("events", name, strip=True)

    triggers: dict[tuple[str, str], list[Sense]] = {}
    for lemma, pos, typ, mode, strength, cues in table("triggers.tsv"):
        words = [c for c in cues.split(",") if c and c != "-"]
        sense = Sense(
            type=_dash(typ), mode=_dash(mode), strength=strength,
            cues=frozenset(w for w in words if not w.startswith("@")),
            tests=tuple(w[1:] for w in words if w.startswith("@")),
        )
        if sense.type is not None and sense.type not in PLOVER_TYPES:
            raise ValueError(f"triggers.tsv: unknown PLOVER type {typ!r} for {lemma!r}")
        for p in pos:
            triggers.setdefault((lemma, p), []).append(sense)
    objects = {lemma: (cls, _dash(mode)) for lemma, cls, mode in table("objects.tsv")}
    compose: dict[tuple[str, str, str], tuple[str, str | None]] = {}
    for governors, pos, cls, typ, mode in table("compose.tsv"):
        for gov in governors.split(","):
            compose.setdefault((gov.strip(), pos, cls), (typ, _dash(mode)))
    modes: dict[str, list[tuple[str, str, int]]] = {}
    for lemma, typ, mode, rank in table("modes.tsv"):
        modes.setdefault(lemma, []).append((typ, mode, int(rank)))
    raw = datafiles.load_json("events", "cues.json")
    cues = {k: (frozenset(v) if isinstance(v, list) else v) for k, v in raw.items()}
    verb_lemmas = {k[0].split()[0] for k in triggers if k[1] == "V"}
    verb_lemmas |= {k[0].split()[0] for k in compose if k[1] == "V"}
    return Lexicon(
        triggers={k: tuple(v) for k, v in triggers.items()},
        objects=objects,
        compose=compose,
        modes={k: tuple(v) for k, v in modes.items()},
        cues=cues,
        verb_lemmas=frozenset(verb_lemmas),
        instruments={lemma: (cls, _dash(party))
                     for lemma, cls, party in table("instruments.tsv")},
    )


def cue_words(name: str):
    """One word list (or table) of cues.json."""
    return lexicon().cues[name]


@functools.cache
def word_hashes() -> tuple[numpy.ndarray, numpy.ndarray]:
    """Hashes of every word that can head a trigger or a composed event, and of the modals of
    reported demands: tokens are screened on the parse arrays, so only the few that may
    matter become spaCy Token objects (creating one per token costs more than the stage)."""
    lex = lexicon()
    words: set[str] = set()
    for key, pos in lex.triggers:
        parts = key.split()
        words.add(parts[0] if pos == "V" else parts[-1])
    words.update(gov.split()[0] for gov, _, _ in lex.compose)
    # The small model's lemmatizer drops a final "e" now and then ("staged" -> "stag").
    words.update(w[:-1] for w in list(words) if w.endswith("e"))
    strings = StringStore()
    return (numpy.array(sorted(strings.add(w) for w in words), dtype=numpy.uint64),
            numpy.array(sorted(strings.add(w) for w in lex.cues["request_modals"]),
                        dtype=numpy.uint64))
