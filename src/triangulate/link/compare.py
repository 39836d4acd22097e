"""Within one story: figures lined up, and where the accounts contradict each other.

Figures about the same thing (what + who, normalised) form a line. Two values in a line
*conflict* when the intervals their hedges give do not overlap ("at least 100" and "120" do
not conflict; "about 300" and "close to 600" do). A conflict is

* an **update** when the same party gives both (a toll rising, or revised, over reports), or
  when an outlet's own running toll moves on from a figure it relayed, later and higher;
* **contested** otherwise: different parties (or outlets in their own voice) giving
  incompatible numbers, at the same time or not (the investigation's 600 against the city
  council's 300 is a contest, not a revision).

Contradictions are first-class records with both sides' evidence: contested figures, the
event date (day-precision dates that differ), the place (town-level places far apart and
neither inside the other), the perpetrator (voices naming actors of different parties) and
the method (modes with no family in common).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from triangulate import settings
from triangulate.analyze.scope import demonyms, victim_group
from triangulate.link.lexicon import lexicon, modes_compatible
from triangulate.link.measure import day, haversine_km
from triangulate.link.records import is_town
from triangulate.link.stories import Report, _natural, mention_interval
from triangulate.model import (
    Contradiction,
    ContradictionSide,
    EventMention,
    FigureLine,
    FigureMention,
    FigureValue,
    Mention,
)

INF = float("inf")


# --------------------------------------------------------------------------- figures


_PARTITIVE = re.compile(r"\b(?:of|among)\s+(?:the|them|those|whom|these)\b", re.I)


def figure_key(what: str | None, who: str | None, story_country: str | None,
               text: str | None = None, who_text: str | None = None) -> tuple[str, str] | None:
    """(what class, victim group) a figure is lined up by; None when it counts nothing known.

    The group is the figures' own (analyze/scope.victim_group: troops ~ soldiers). A
    nationality noun ("Palestinians", kept in ``who_text``) is everyone where the story
    happens and a subgroup elsewhere (Filipino crew on a ship off Yemen). A partitive count
    ("two of the dead", "15 of them") is a part of a total given elsewhere, never a rival to
    it: it gets a line of its own ("people (part)").
    """
    if not what:
        return None
    w = what.lower().strip()
    what_class = lexicon().what.get(w, w)
    part = " (part)" if text and _PARTITIVE.search(text) else ""
    words = " ".join((who_text or who or "").lower().split())
    if not words:
        return what_class, "people" + part
    country = demonyms().get(words)
    if country is not None:
        # The local population counted by its nationality is everyone; a foreign
        # nationality (crew of a ship, visitors) is a subgroup.
        return what_class, ("people" if country == story_country else words) + part
    return what_class, (victim_group(words) or words) + part


def bounds(v: FigureValue | FigureMention) -> tuple[float, float]:
    """The interval a hedged figure stands for."""
    value = float(v.value)
    tol = settings.LINK_FIGURE_APPROX_TOLERANCE
    shape = lexicon().hedge.get((v.hedge or "").lower().strip()) if v.hedge else None
    if shape == "min":
        return float(v.low if v.low is not None else value), INF
    if shape == "max":
        return 0.0, float(v.high if v.high is not None else value)
    if shape == "near":
        return value * (1 - tol), value
    if shape == "approx":
        return value * (1 - tol), value * (1 + tol)
    if v.low is not None or v.high is not None:
        return (float(v.low) if v.low is not None else 0.0,
                float(v.high) if v.high is not None else INF)
    if getattr(v, "approximate", False):
        return value * (1 - tol), value * (1 + tol)
    return value, value


def compatible(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


@dataclass
class _Value:
    fv: FigureValue
    party: str
    day: int | None
    bounds: tuple[float, float]


def figure_lines(reports: Sequence[Report], story_country: str | None = None) -> list[FigureLine]:
    """Every line of figures in the story, with its kind (contested, updated, agreed).

    Figures are lined up by what they count, whom (victim group) and over what span
    (scope): a cumulative count never stands against an incident's toll."""
    lines: dict[tuple[str, str, str], list[_Value]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    unnamed: list[tuple[tuple[str, str], _Value]] = []
    for r in reports:
        for m in r.mentions:
            for f in m.figures:
                if (m.article, f.figure) in seen:
                    continue
                key = figure_key(f.what, f.who, story_country,
                                 f.evidence.text if f.evidence else None, f.who_text)
                if key is None:
                    continue
                seen.add((m.article, f.figure))
                scope = f.scope or "incident"
                party = f.party or f"outlet:{m.outlet or m.article}"
                fv = FigureValue(
                    value=f.value, speaker=f.speaker, article=m.article, figure=f.figure,
                    outlet=m.outlet, published=m.published, hedge=f.hedge, low=f.low,
                    high=f.high, evidence=f.evidence, party=party, sentence=f.sentence,
                )
                value = _Value(fv, party, day(m.published), bounds(f))
                if f.who or f.who_text or key[1].endswith("(part)"):
                    lines[(*key, scope)].append(value)
                else:
                    unnamed.append(((key[0], scope), value))
    # "Four were killed" in a story whose figures count soldiers counts soldiers: a figure
    # that names no group joins the story's most reported group for the same outcome.
    for (what, scope), value in unnamed:
        groups = [k for k in lines if k[0] == what and k[2] == scope]
        best = max(groups, key=lambda k: (len(lines[k]), k[1] == "people"),
                   default=(what, "people", scope))
        lines[best].append(value)
    out = []
    for (what, who, scope), values in lines.items():
        values.sort(key=lambda v: (v.day or 0, v.fv.article, _natural(v.fv.figure)))
        out.append(_line(what, who, scope, values))
    out.sort(key=lambda line: (not line.contested, -len(line.values), line.what or "", line.who or ""))
    return out


def _line(what: str, who: str, scope: str, values: list[_Value]) -> FigureLine:
    """One line: a contest is judged between each source's current value (a value the same
    source later replaced is history, not a rival claim); a line is updated when a source
    revised its own value."""
    _, updated = _classify(values)
    old = _superseded(values)
    current = [v for k, v in enumerate(values) if k not in old]
    contested, _ = _classify(current)
    kind = "contested" if contested else ("updated" if updated else "agreed")
    shown, earlier = (current, [v for k, v in enumerate(values) if k in old]) \
        if contested else (values, [])
    return FigureLine(
        what=what, who=who, contested=bool(contested), updated=bool(updated),
        values=[v.fv for v in shown], scope=scope, kind=kind, earlier=[v.fv for v in earlier],
    )


def _superseded(values: list[_Value]) -> set[int]:
    """Indices of values a later value of the same source replaced (a ministry's 210, then
    its 274), or an outlet's running toll moved on from (later and higher)."""
    out = set()
    for a, x in enumerate(values):
        for y in values:
            if (y.day or 0, y.fv.value) <= (x.day or 0, x.fv.value):
                continue
            if (x.party == y.party and y.fv.value != x.fv.value) or _moves_on(x, y):
                out.add(a)
                break
    return out


def _same_time(x: _Value, y: _Value) -> bool:
    return x.fv.article == y.fv.article or (
        x.day is not None and y.day is not None
        and abs(y.day - x.day) <= settings.LINK_SAME_TIME_DAYS
    )


def _moves_on(x: _Value, y: _Value) -> bool:
    """y is an outlet's own running toll, later and higher than x (or x the outlet's and y
    a later, higher count it relayed): the count moved on, nobody disagrees."""
    voices = x.party.startswith("outlet:") or y.party.startswith("outlet:")
    return voices and not _same_time(x, y) and y.bounds[0] > x.bounds[1]


def _classify(values: list[_Value]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(contested pairs, update pairs) of indices into ``values`` (sorted by time)."""
    contested, updated = [], []
    for a in range(len(values)):
        for b in range(a + 1, len(values)):
            x, y = values[a], values[b]
            if compatible(x.bounds, y.bounds):
                continue
            if x.party == y.party or _moves_on(x, y):
                updated.append((a, b))
            else:
                contested.append((a, b))
    return contested, updated


def _distinct(items) -> list:
    out = []
    for x in items:
        if x not in out:
            out.append(x)
    return out


# --------------------------------------------------------------------------- contradictions


def contradictions(
    reports: Sequence[Report], lines: Sequence[FigureLine], story_id: str | None = None
) -> list[Contradiction]:
    """Every contradiction of one story: contested figure lines first, then date, place,
    perpetrator and method."""
    out: list[Contradiction] = []
    main = [r for r in reports if r.reported]
    if not main:
        # Only mentioned in passing: background clauses ("the war that began on 7
        # October...") are too thin to hold each other to account.
        return out
    for line in lines:
        c = _line_contradiction(line)
        if c:
            out.append(c)
    # Dates, places, perpetrators and methods are compared between the articles that
    # report the event, not the clauses that recall it; where, when and how are compared
    # between news accounts only (an opinion piece names places to make a point).
    news = [r for r in main if not r.opinion]
    for finder, among in ((date_contradiction, news), (place_contradiction, news),
                          (perpetrator_contradiction, main), (method_contradiction, news)):
        c = finder(among)
        if c:
            out.append(c)
    for c in out:
        c.story = story_id
    return out


def _line_contradiction(line: FigureLine) -> Contradiction | None:
    """The contested values of a line, one side per party and value."""
    if not line.contested:
        return None
    values = [
        _Value(fv, fv.party or f"outlet:{fv.outlet or fv.article}", day(fv.published),
               bounds(fv))
        for fv in line.values
    ]
    contested, _ = _classify(values)
    if not contested:
        return None
    sides, seen = [], set()
    for k in sorted({k for pair in contested for k in pair}):
        v = values[k]
        if (v.party, v.fv.value) in seen:
            continue
        seen.add((v.party, v.fv.value))
        sides.append(ContradictionSide(
            value=v.fv.value, article=v.fv.article, outlet=v.fv.outlet, speaker=v.fv.speaker,
            evidence=v.fv.evidence,
        ))
    return Contradiction(
        field=f"figures.{line.what}",
        values=_distinct(s.value for s in sides),
        articles=_distinct(s.article for s in sides),
        sides=sides,
    )


def _report_day(r: Report) -> tuple[str, EventMention] | None:
    """The day an article puts the event on: its most frequent day-precision date."""
    counts: dict[str, list[EventMention]] = defaultdict(list)
    for m in r.mentions:
        if m.negated or not m.date or len(m.date) < 10:
            continue
        if m.date_precision not in (None, "day", "time") or mention_interval(m)[0] is None:
            continue
        counts[m.date[:10]].append(m)
    if not counts:
        return None
    best = max(counts, key=lambda d: (len(counts[d]), -min(x.position for x in counts[d])))
    ms = counts[best]
    return best, next((x for x in ms if x.date_span), ms[0])


def date_contradiction(reports: Sequence[Report]) -> Contradiction | None:
    """Accounts that put the event on different days (both day-precision)."""
    sides = []
    for r in reports:
        found = _report_day(r)
        if found:
            value, m = found
            sides.append(ContradictionSide(
                value=value, article=r.article, outlet=r.outlet, speaker=m.voice,
                evidence=m.date_span or m.evidence,
            ))
    if len({s.value for s in sides}) < 2:
        return None
    sides.sort(key=lambda s: (s.value, s.article))
    return Contradiction(
        field="date", values=sorted({s.value for s in sides}),
        articles=_distinct(s.article for s in sides), sides=sides,
    )


def _report_place(r: Report) -> EventMention | None:
    towns = [m for m in r.mentions if m.lat is not None and m.lon is not None
             and is_town(m.place_kind, m.place) and not m.negated]
    if not towns:
        return None
    counts: dict[str, list[EventMention]] = defaultdict(list)
    for m in towns:
        counts[m.place].append(m)
    best = max(counts, key=lambda p: (len(counts[p]), -min(x.position for x in counts[p])))
    return counts[best][0]


def _inside(a: EventMention, b: EventMention) -> bool:
    """a is a neighbourhood or site of the town b (Zanna in Khan Younis)."""
    return (a.place_kind in settings.LINK_SUBPLACE_KINDS
            and haversine_km(a.lat, a.lon, b.lat, b.lon) <= settings.LINK_PLACE_WITHIN_KM)


def _near_any(m: EventMention, r: Report) -> bool:
    """The report also names a place at (or around) m's place for the event."""
    limit = settings.LINK_PLACE_CONTRADICTION_KM
    return any(haversine_km(m.lat, m.lon, lat, lon) <= limit for lat, lon in r.towns)


def place_contradiction(reports: Sequence[Report]) -> Contradiction | None:
    """Accounts that put the event in different towns, neither inside the other, and
    neither naming the other's town for it (an attack on a camp and the nearby city is
    told by one outlet from the camp and by another from the city)."""
    picks = [(r, m) for r in reports if (m := _report_place(r)) is not None]
    conflicting: set[int] = set()
    for a in range(len(picks)):
        for b in range(a + 1, len(picks)):
            x, y = picks[a][1], picks[b][1]
            if x.place == y.place:
                continue
            if haversine_km(x.lat, x.lon, y.lat, y.lon) <= settings.LINK_PLACE_CONTRADICTION_KM:
                continue
            if _inside(x, y) or _inside(y, x):
                continue
            if _near_any(x, picks[b][0]) or _near_any(y, picks[a][0]):
                continue
            conflicting.update((a, b))
    if not conflicting:
        return None
    sides = [
        ContradictionSide(value=picks[k][1].place_name or picks[k][1].place,
                          article=picks[k][0].article, outlet=picks[k][0].outlet,
                          speaker=picks[k][1].voice,
                          evidence=picks[k][1].place_span or picks[k][1].evidence)
        for k in sorted(conflicting)
    ]
    return Contradiction(
        field="place", values=_distinct(s.value for s in sides),
        articles=_distinct(s.article for s in sides), sides=sides,
    )


@dataclass
class _Assertion:
    voice: str  # who says it: a party, or "outlet:<name>" for the outlet's own voice
    party: str  # the actor's party asserted (or denied)
    actor: str | None
    target_party: str | None
    denies: bool
    accuses: bool  # said in a claim of stance "accuses"
    article: str
    outlet: str | None
    evidence: Mention | None


def _assertions(reports: Sequence[Report]) -> list[_Assertion]:
    """Who says who carried the event out (or denies having done it). Only actors that
    can be blamed count: dictionary actors or actors with a country, not words the stages
    could not resolve ("militants", "families")."""
    out = []
    for r in reports:
        outlet_voice = f"outlet:{r.outlet or r.article}"
        for m in r.mentions:
            if not m.actor_party or not m.actor_known:
                continue
            said = False
            for c in m.claims:
                if c.party is None:
                    continue
                if c.stance == "denies" or (m.negated and c.party == m.actor_party):
                    out.append(_Assertion(c.party, m.actor_party, m.actor, m.target_party,
                                          True, False, r.article, r.outlet,
                                          c.evidence or m.evidence))
                    said = True
                elif c.stance == "accuses" and c.party != m.actor_party:
                    out.append(_Assertion(c.party, m.actor_party, m.actor, m.target_party,
                                          False, True, r.article, r.outlet,
                                          c.evidence or m.evidence))
                    said = True
            if said or m.negated:
                continue
            out.append(_Assertion(m.voice or outlet_voice, m.actor_party, m.actor,
                                  m.target_party, False, False, r.article, r.outlet,
                                  m.evidence))
    return out


def _conflict(a: _Assertion, b: _Assertion, by_voice: dict[str, set[str]]) -> bool:
    if a.voice == b.voice or (a.denies and b.denies):
        return False
    if a.denies or b.denies:
        return a.party == b.party  # one asserts what the other denies
    if a.party == b.party or by_voice[a.voice] & by_voice[b.voice]:
        return False
    if a.target_party == b.party and b.target_party == a.party:
        return False  # an attack and the return fire
    # Blame, not narration: a side blames the other voice's own side ("Ukraine says
    # Russia did it; Russia says Ukraine did"). Two voices naming different actors are
    # otherwise telling different acts of one story (the strikes, the attacks they answer).
    return a.voice == b.party or b.voice == a.party


def perpetrator_contradiction(reports: Sequence[Report]) -> Contradiction | None:
    """Voices that blame perpetrators of different parties, or deny what another asserts.

    A voice naming both sides (an outlet narrating an attack and the return fire) is no
    contradiction; nor are two accounts whose actor and target are swapped, nor allies
    named by different voices (the US and Britain striking together).
    """
    found = _assertions(reports)
    by_voice: dict[str, set[str]] = defaultdict(set)
    for a in found:
        if not a.denies:
            by_voice[a.voice].add(a.party)
    conflicting: set[int] = set()
    for x in range(len(found)):
        for y in range(x + 1, len(found)):
            if _conflict(found[x], found[y], by_voice):
                conflicting.update((x, y))
    if not conflicting:
        return None
    sides, seen = [], set()
    for k in sorted(conflicting):
        a = found[k]
        value = f"not {a.party}" if a.denies else (a.actor or a.party)
        if (a.voice, value) in seen:
            continue
        seen.add((a.voice, value))
        sides.append(ContradictionSide(value=value, article=a.article, outlet=a.outlet,
                                       speaker=a.voice, evidence=a.evidence))
    return Contradiction(
        field="actor", values=_distinct(s.value for s in sides),
        articles=_distinct(s.article for s in sides), sides=sides,
    )


def method_contradiction(reports: Sequence[Report]) -> Contradiction | None:
    """Articles whose methods share no family (one says gunmen, another an air strike).

    Compared per article, all its voices together: a witness's "shooting everywhere" inside
    a report of shelling is a detail of a complex attack, not a second version of it.
    """
    by_article: dict[str, list[tuple[str, Report, EventMention]]] = {}
    for r in reports:
        modes = [(m.mode, r, m) for m in r.mentions if m.mode and not m.negated]
        if modes:
            by_article[r.article] = modes
    articles = list(by_article)
    conflicting: set[str] = set()
    for x in range(len(articles)):
        for y in range(x + 1, len(articles)):
            ma = {mode for mode, _, _ in by_article[articles[x]]}
            mb = {mode for mode, _, _ in by_article[articles[y]]}
            if all(not modes_compatible(p, q) for p in ma for q in mb):
                conflicting.update((articles[x], articles[y]))
    if not conflicting:
        return None
    sides = []
    for article in articles:
        if article not in conflicting:
            continue
        mode, r, m = by_article[article][0]
        sides.append(ContradictionSide(value=mode, article=r.article, outlet=r.outlet,
                                       speaker=m.voice, evidence=m.evidence))
    return Contradiction(
        field="mode", values=_distinct(s.value for s in sides),
        articles=_distinct(s.article for s in sides), sides=sides,
    )
