"""The negotiation tracker: where each party stands on each issue, across articles.

Input is the stored positions (``Store.position_records``), each with its article's outlet,
publication day and copy status. For every party × issue the tracker gives the latest
stance with its day and evidence, how many independent outlets report the party on that
issue (a syndicated copy is the outlet it copies, not a source of its own), whether sources
give opposed stances for that day, and the history of every report, stance changes marked.
Opposed stances for one party, issue and day from different sources become contradictions
of field ``position.<issue>``, with both sides' evidence.

Hypothetical positions ("could accept") are no one's stance and are left out.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from triangulate import datafiles
from triangulate.model import (
    ISSUES,
    Contradiction,
    ContradictionSide,
    NegotiationCell,
    PositionMention,
    StanceReport,
)

# Contradictions of positions belong to no story; they are stored under this key.
DISPUTES_KEY = "negotiations"


@functools.cache
def _opposed() -> frozenset[frozenset[str]]:
    return frozenset(frozenset(row) for row in datafiles.rows("positions", "opposed.tsv",
                                                              strip=True))


def opposed(a: str, b: str) -> bool:
    return frozenset((a, b)) in _opposed()


@functools.cache
def _known_names() -> dict[str, str]:
    names = {row[1]: row[2] for row in datafiles.rows("actors", "countries.tsv") if len(row) > 2}
    for entry in datafiles.jsonl("actors.jsonl"):
        if "id" in entry and "name" in entry:
            names.setdefault(entry["id"], entry["name"])
    return names


def party_names(ids: Sequence[str], stored: dict[str, str] | None = None) -> dict[str, str]:
    """Display names: the dictionary's name of a state or known actor, else the name the
    articles use, else the id."""
    stored = stored or {}
    known = _known_names()
    return {i: known.get(i) or stored.get(i) or i for i in ids}


def report(m: PositionMention) -> StanceReport:
    day = m.date[:10] if m.date else m.published
    return StanceReport(
        day=day, dated=bool(m.date), stance=m.stance, article=m.article, outlet=m.outlet,
        claimant=m.claimant, evidence=m.evidence, position=m.position,
        duplicate_of=m.duplicate_of, conditional=m.conditional, negated=m.negated,
        event=m.event)


def _key(r: StanceReport) -> tuple:
    # Within a day, originals before their copies.
    return (r.day or "", r.duplicate_of is not None, r.article,
            r.evidence.start if r.evidence else 0, r.position)


def history(mentions: Sequence[PositionMention]) -> list[StanceReport]:
    """Every report of one party's stance on one issue, in the order the stances were
    taken; ``change`` marks a report whose stance differs from the one before."""
    reports = sorted((report(m) for m in mentions if not m.hypothetical), key=_key)
    for before, r in zip(reports, reports[1:], strict=False):
        r.change = r.stance != before.stance
    return reports


def tracker(mentions: Sequence[PositionMention],
            names: dict[str, str] | None = None) -> list[NegotiationCell]:
    """The party × issue matrix, most reported parties first."""
    groups: dict[tuple[str, str], list[PositionMention]] = defaultdict(list)
    for m in mentions:
        if not m.hypothetical:
            groups[(m.party, m.issue)].append(m)
    names = names or party_names(sorted({p for p, _ in groups}))
    cells = []
    for (party, issue), found in groups.items():
        reports = history(found)
        if not reports:
            continue
        last_day = reports[-1].day
        latest = [r for r in reports if r.day == last_day]
        counts = Counter(r.stance for r in latest)
        stance = max(counts, key=lambda s: (counts[s], _last_index(latest, s)))
        shown = next(r for r in reversed(latest) if r.stance == stance)
        stances = sorted(counts)
        cells.append(NegotiationCell(
            party=party, party_name=names.get(party, party), issue=issue, stance=stance,
            day=last_day, evidence=shown.evidence, article=shown.article, outlet=shown.outlet,
            claimant=shown.claimant, sources=independent_outlets(found),
            disagree=any(opposed(a, b) for a in stances for b in stances),
            stances=stances, changes=sum(r.change for r in reports), history=reports))
    party_weight = Counter()
    for c in cells:
        party_weight[c.party] += c.sources
    cells.sort(key=lambda c: (-party_weight[c.party], c.party_name.lower(), c.issue))
    return cells


def _last_index(reports: list[StanceReport], stance: str) -> int:
    return max(k for k, r in enumerate(reports) if r.stance == stance)


def independent_outlets(mentions: Sequence[PositionMention]) -> int:
    """Distinct outlets among articles that are not copies (an article with no outlet is a
    source of its own), as stories count them."""
    return len({m.outlet or f"?{m.article}" for m in mentions if not m.duplicate_of})


def disputes(mentions: Sequence[PositionMention]) -> list[Contradiction]:
    """Opposed stances for one party, issue and day from two sources (two articles, or two
    claimants in one): "Hamas accepted" against "Hamas has not accepted". A syndicated copy
    repeats its original and is no second source."""
    groups: dict[tuple[str, str, str], list[StanceReport]] = defaultdict(list)
    for m in mentions:
        if m.hypothetical or m.duplicate_of:
            continue
        r = report(m)
        if r.day:
            groups[(m.party, m.issue, r.day)].append(r)
    out = []
    for (party, issue, _day), reports in sorted(groups.items()):
        reports.sort(key=_key)
        sides: dict[tuple[str, str | None, str], StanceReport] = {}
        for r in reports:
            sides.setdefault((r.article, r.claimant, r.stance), r)
        stances = sorted({s for _, _, s in sides})
        pairs = [(a, b) for a in sides.values() for b in sides.values()
                 if opposed(a.stance, b.stance) and (a.article, a.claimant) != (b.article, b.claimant)]
        if not pairs:
            continue
        chosen = [r for r in sides.values() if any(r is a or r is b for a, b in pairs)]
        out.append(Contradiction(
            field=f"position.{issue}",
            values=[f"{party} {s}" for s in stances if any(r.stance == s for r in chosen)],
            articles=sorted({r.article for r in chosen}),
            story=None,
            sides=[ContradictionSide(value=f"{party} {r.stance}", article=r.article,
                                     outlet=r.outlet, speaker=r.claimant, evidence=r.evidence)
                   for r in chosen]))
    return out


# --------------------------------------------------------------------------- queries


class QueryError(ValueError):
    """A filter the tracker cannot use (unknown issue, malformed date): the user's to fix."""


_DAY = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def check_filters(issue: str | None, start: str | None, end: str | None) -> None:
    if issue is not None and issue not in ISSUES:
        raise QueryError(f"unknown issue {issue!r}; choose from {', '.join(ISSUES)}")
    for name, value in (("--from", start), ("--to", end)):
        if value is not None and not _DAY.match(value):
            raise QueryError(f"{name} {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")


def resolve_parties(store, name: str) -> list[str]:
    """Party ids a user's name means: the side of that id or name ("hamas", "Israel",
    "United States" -> usa); else whatever the store rolls up to it (a person by name).
    Positions are stored by side already, so "Israel" is not also Ben-Gvir: he speaks for
    himself."""
    key = name.strip().lower()
    slug = "-".join(key.split())
    known = _known_names()
    exact = {i for i, n in known.items() if i == slug or n.lower() == key}
    return sorted(exact) if exact else sorted({slug, *store.resolve_actors(name)})


def matrix(store, party: str | None = None, issue: str | None = None,
           start: str | None = None, end: str | None = None) -> list[NegotiationCell]:
    """The tracker over a store's positions, filtered (raises QueryError on a bad filter)."""
    check_filters(issue, start, end)
    parties = resolve_parties(store, party) if party else None
    mentions = store.position_records(parties=parties, issue=issue, start=start, end=end)
    ids = sorted({m.party for m in mentions})
    return tracker(mentions, party_names(ids, store.actor_names(ids)))
