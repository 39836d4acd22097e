"""Alerts: what changed in the linked state over a watch round.

Each round keeps a snapshot of what alerts are about, one StoryState per story: its members
(article and event), its independent outlets, the toll of each figure line and its
contradictions. After linking, the stories are compared with the snapshot of the round
before. A story is matched to its predecessor by id, else by the members they share, so the
alerts do not depend on how linking works inside (a full relink today, incremental linking
later, which may give a story a new id when two stories join).

Negotiation stances are kept beside the stories, one PositionState per party and issue (the
tracker's latest stance), and a stance that differs from the last round's is an alert.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from triangulate import settings
from triangulate.export.common import latest_by_party, number_text, party
from triangulate.model import (
    Alert,
    AlertEvidence,
    FigureValue,
    NegotiationCell,
    PositionState,
    Story,
    StoryState,
    TollSide,
    TollState,
)

# (article, event) pairs -> (start, end, text, outlet) of each event's evidence sentence
Spans = Callable[[Sequence[tuple[str, str]]], dict[tuple[str, str], tuple]]


@dataclass
class Changes:
    alerts: list[Alert] = field(default_factory=list)
    states: list[StoryState] = field(default_factory=list)  # the new snapshot
    new_stories: int = 0  # reported stories with no predecessor
    changed_stories: int = 0  # reported stories whose state differs from their predecessor's


def states_of(stories: Iterable[Story]) -> list[StoryState]:
    return [story_state(s) for s in stories]


def story_state(story: Story) -> StoryState:
    members = sorted({f"{a.id}\x1f{a.event}" for a in (*story.articles, *story.mentions)})
    return StoryState(
        id=story.id, independent_outlets=story.independent_outlets, members=members,
        tolls=[state for state, _ in tolls(story)],
        contradictions={c.field: sorted({_text(v) for v in c.values})
                        for c in story.contradictions if not c.field.startswith("figures")},
    )


def tolls(story: Story) -> list[tuple[TollState, list[FigureValue]]]:
    """The current toll of each figure line of ``story``: what toll alerts compare.

    The toll of a line is its latest value: of the values published on the latest day, the
    highest (a later article often recaps the lower first count, "up from 30"). When the
    line is contested, each party's latest value is a toll of its own.

    Main's figure lines are keyed by what and who only, so an incident's toll and a
    cumulative one told in the same words share a line. Once figure scope lands (DESIGN.md,
    "What a figure counts"; branch `stories`), lines carry ``scope`` and the key below
    takes it in; then cumulative tolls should come from the toll tracker's series (per
    speaker and place) rather than from the latest values of a story's line.
    """
    out = []
    for line in story.figures:
        # A story lines up its incident tolls: the scope is named only when it is another,
        # so a snapshot taken before lines carried scope keeps its keys.
        scope = getattr(line, "scope", None)
        key = "|".join(str(x) for x in (line.what, line.who,
                                        None if scope == "incident" else scope)
                       if x is not None)
        if line.contested:
            chosen = sorted(latest_by_party(line.values), key=party)
        else:
            chosen = [max(line.values, key=_recency)] if line.values else []
        sides = [TollSide(party(v), v.value, v.article, v.figure, v.published) for v in chosen]
        out.append((TollState(key, line.contested, sides), chosen))
    return out


def _recency(v: FigureValue) -> tuple:
    # latest_by_party's order: the latest day, and on it the larger value.
    return (v.published or "", v.value)


# ----------------------------------------------------------------------------- diff


def diff(before: dict[str, StoryState], stories: Sequence[Story], spans: Spans,
         created: str | None = None, round_no: int | None = None) -> Changes:
    """The alerts between the snapshot ``before`` and the linked ``stories`` after a round,
    with the snapshot to keep for the next one."""
    changes = Changes(states=states_of(stories))
    after = {s.id: s for s in changes.states}
    previous = _predecessors(before, after)
    for story in stories:
        if not story.articles:  # only mentioned in passing: not news of its own
            continue
        old, new = previous.get(story.id), after[story.id]
        if old is None:
            changes.new_stories += 1
        elif old != _renamed(new, old.id):
            changes.changed_stories += 1
        found = [*_arrival(story, old, spans), *_toll_changes(story, old),
                 *_contested(story, old), *_contradictions(story, old)]
        for alert in found:
            alert.story_title = story.title
            alert.story_date = story.date
            alert.created = created
            alert.round = round_no
            changes.alerts.append(alert)
    return changes


# ------------------------------------------------------------------- positions


def position_states(cells: Iterable[NegotiationCell]) -> list[PositionState]:
    """What position alerts compare: each party's latest stance per issue."""
    return [PositionState(c.party, c.issue, c.stance, c.day, c.article) for c in cells]


def position_changes(before: dict[tuple[str, str], PositionState],
                     cells: Sequence[NegotiationCell], stories: Sequence[Story],
                     created: str | None = None, round_no: int | None = None
                     ) -> tuple[list[Alert], list[PositionState]]:
    """A position_changed alert for each party whose latest stance on an issue (as the
    negotiation tracker shows it) differs from the last round's, with the new snapshot.

    A party first seen on an issue raises nothing: it took no new stance, the watch only
    began to hear of it (as a toll first seen is no toll change). The alert belongs to the
    story of the new stance's event, else of its article, else to none (a statement that
    reports no event)."""
    story_of = _stories_of(stories)
    out = []
    for c in cells:
        old = before.get((c.party, c.issue))
        if old is None or old.stance == c.stance:
            continue
        shown = next((r for r in reversed(c.history)
                      if r.article == c.article and r.stance == c.stance), None)
        event = shown.event if shown else None
        story = (story_of.get((c.article, event)) if event else None) or story_of.get(
            (c.article, None))
        who = f", according to {c.claimant}" if c.claimant else ""
        disputed = f"; sources disagree: {' vs '.join(c.stances)}" if c.disagree else ""
        summary = (f"{c.party_name} on {c.issue}: {old.stance} ({old.day or 'undated'}) → "
                   f"{c.stance} ({c.outlet or c.article}, {c.day or 'undated'}{who}){disputed}")
        span = c.evidence
        evidence = [AlertEvidence(article=c.article, outlet=c.outlet,
                                  start=span.start if span else 0, end=span.end if span else 0,
                                  text=span.text if span else "", value=c.stance,
                                  speaker=c.claimant)]
        # The new stance's day and article are part of the change: a party going back to a
        # stance it held rounds ago is a new alert, not the old one again.
        key = json.dumps(["position_changed", c.party, c.issue, old.stance, c.stance, c.day,
                          c.article], ensure_ascii=False)
        out.append(Alert(
            id=f"al-{hashlib.sha1(key.encode()).hexdigest()[:16]}", kind="position_changed",
            story=story.id if story else None, subject=f"{c.party_name} on {c.issue}",
            old=old.stance, new=c.stance, summary=summary, evidence=evidence,
            story_title=story.title if story else None, story_date=story.date if story else None,
            created=created, round=round_no, party=c.party, issue=c.issue))
    return out, position_states(cells)


def _stories_of(stories: Sequence[Story]) -> dict[tuple[str, str | None], Story]:
    """(article, event) -> the story that event is in, and (article, None) -> the story
    the article reports (not one it only mentions in passing)."""
    found: dict[tuple[str, str | None], Story] = {}
    for story in stories:
        for a in story.articles:
            found.setdefault((a.id, a.event), story)
            found.setdefault((a.id, None), story)
        for a in story.mentions:
            found.setdefault((a.id, a.event), story)
    return found


def _renamed(state: StoryState, story_id: str) -> StoryState:
    return StoryState(story_id, state.independent_outlets, state.members, state.tolls,
                      state.contradictions)


def _predecessors(before: dict[str, StoryState], after: dict[str, StoryState]
                  ) -> dict[str, StoryState]:
    """Each story's state before the round: same id, else the story it shares most members
    with (a story linking gave a new id, or one that split off)."""
    owner = {m: s.id for s in before.values() for m in s.members}
    found = {}
    for sid, state in after.items():
        if sid in before:
            found[sid] = before[sid]
            continue
        shared = Counter(owner[m] for m in state.members if m in owner)
        if shared:
            best = max(shared, key=lambda k: (shared[k], k))
            found[sid] = before[best]
    return found


def _alert(kind: str, story: Story, subject: str, old: Any, new: Any, summary: str,
           evidence: list[AlertEvidence]) -> Alert:
    key = json.dumps([kind, story.id, subject, old, new], ensure_ascii=False, default=str)
    digest = hashlib.sha1(key.encode()).hexdigest()[:16]
    return Alert(id=f"al-{digest}", kind=kind, story=story.id, subject=subject, old=old,
                 new=new, summary=summary, evidence=evidence)


def _where(story: Story) -> str:
    bits = [story.type.lower()]
    if story.place:
        bits.append(f"at {story.place.name}")
    if story.date:
        bits.append(f"on {story.date}")
    return " ".join(bits)


def _arrival(story: Story, old: StoryState | None, spans: Spans) -> list[Alert]:
    """A story now told by enough independent outlets that was not before."""
    need = settings.WATCH_NEW_STORY_OUTLETS
    if story.independent_outlets < need or (old is not None and old.independent_outlets >= need):
        return []
    firsts: dict[str, tuple[str, str]] = {}
    for a in (*story.articles, *story.mentions):
        if not a.duplicate_of:
            firsts.setdefault(a.outlet or f"?{a.id}", (a.id, a.event))
    found = spans(list(firsts.values()))
    evidence = [AlertEvidence(article=a, outlet=hit[3], start=hit[0], end=hit[1], text=hit[2])
                for a, e in firsts.values() if (hit := found.get((a, e))) is not None]
    outlets = ", ".join(sorted(o for o in firsts if not o.startswith("?")))
    return [_alert(
        "new_story", story, "independent outlets", old.independent_outlets if old else None,
        story.independent_outlets,
        f"{_where(story)}: told by {story.independent_outlets} independent outlets"
        + (f" ({outlets})" if outlets else ""), evidence)]


def _toll_changes(story: Story, old: StoryState | None) -> list[Alert]:
    """A toll whose latest value differs from the last round's."""
    if old is None:
        return []
    before = {t.key: t for t in old.tolls}
    out = []
    for state, values in tolls(story):
        prior = before.get(state.key)
        if prior is None:
            continue
        for side, value in zip(state.sides, values, strict=True):
            was = next((s for s in prior.sides if s.party == side.party), None)
            if was is None and not state.contested and not prior.contested and prior.sides:
                was = prior.sides[0]  # one toll for the line, given by another voice now
            if was is None or was.value == side.value:
                continue
            who = f" ({_who(side.party)})" if state.contested else ""
            subject = state.key.replace("|", " ") + who
            out.append(_alert(
                "toll_changed", story, subject, was.value, side.value,
                f"{_where(story)}: {subject} {number_text(was.value)} → {number_text(side.value)}"
                f" ({_who(side.party)}, {value.outlet or value.article}"
                f"{', ' + value.published if value.published else ''})",
                [_figure_evidence(value)]))
    return out


def _contested(story: Story, old: StoryState | None) -> list[Alert]:
    """A figure line that became contested, or a contested one a new party joined with a
    value of its own."""
    before = {t.key: t for t in old.tolls} if old else {}
    out = []
    for state, values in tolls(story):
        if not state.contested:
            continue
        prior = before.get(state.key)
        if prior is not None and prior.contested:
            known = {s.party for s in prior.sides}
            old_values = {s.value for s in prior.sides}
            joined = [s for s in state.sides if s.party not in known and s.value not in old_values]
            if not joined:
                continue
        subject = state.key.replace("|", " ")
        was = sorted({s.value for s in prior.sides}) if prior else None
        now = sorted({s.value for s in state.sides})
        told = " vs ".join(f"{number_text(s.value)} ({_who(s.party)})" for s in state.sides)
        out.append(_alert("contested_figure", story, subject, was, now,
                          f"{_where(story)}: {subject} contested: {told}",
                          [_figure_evidence(v) for v in values]))
    return out


def _contradictions(story: Story, old: StoryState | None) -> list[Alert]:
    """A contradiction (date, place, actor, mode) that is new or sets new values against
    each other. Figure contradictions are the contested figures above."""
    out = []
    for c in story.contradictions:
        if c.field.startswith("figures"):
            continue
        values = sorted({_text(v) for v in c.values})
        was = old.contradictions.get(c.field) if old else None
        if was == values:
            continue
        evidence = [
            AlertEvidence(article=s.article, outlet=s.outlet, start=s.evidence.start,
                          end=s.evidence.end, text=s.evidence.text, value=s.value,
                          speaker=s.speaker)
            for s in c.sides if s.evidence is not None
        ]
        out.append(_alert("contradiction", story, c.field, was, values,
                          f"{_where(story)}: {c.field} told as " + " vs ".join(values)
                          + (f" (was {' vs '.join(was)})" if was else ""), evidence))
    return out


def _figure_evidence(v: FigureValue) -> AlertEvidence:
    span = v.evidence
    return AlertEvidence(article=v.article, outlet=v.outlet, start=span.start if span else 0,
                         end=span.end if span else 0, text=span.text if span else "",
                         value=v.value, speaker=v.speaker)


def _who(party: str | None) -> str:
    if not party:
        return "unattributed"
    return f"the outlet {party[7:]}" if party.startswith("outlet:") else party


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def utc_now(seconds: float) -> str:
    """Epoch seconds as the ISO 8601 UTC time alerts are stamped with."""
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
