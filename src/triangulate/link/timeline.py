"""Timelines: stories in date order, for the corpus, one actor or one place.

A story's date carries its precision: a month-precision story sorts at the start of its
month and prints as "2022-03 (month)", so readers see how much the date says. Undated
stories come last.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from triangulate.link.measure import interval
from triangulate.model import Story


@dataclass
class TimelineEntry:
    date: str | None
    date_precision: str | None
    story: str
    type: str
    title: str | None
    place: str | None
    actors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    outlets: int = 0
    independent_outlets: int = 0
    contested: bool = False
    role: str | None = None  # for an actor's timeline: "actor", "target" or "actor+target"


def timeline(
    stories: Iterable[Story],
    start: str | None = None,
    end: str | None = None,
    roles: Mapping[str, set[str]] | None = None,
    only: set[str] | None = None,
) -> list[TimelineEntry]:
    """Dated stories between ``start`` and ``end`` (YYYY-MM-DD, inclusive), oldest first.

    A story is kept when its date interval overlaps the range (a March story is in a
    range from 15 March). ``roles`` (story id -> roles) keeps only those stories and says
    what part the actor played; ``only`` keeps a set of story ids.
    """
    lo = interval(start)[0] if start and interval(start) else None
    hi = interval(end)[1] if end and interval(end) else None
    out = []
    for s in stories:
        if roles is not None and s.id not in roles:
            continue
        if only is not None and s.id not in only:
            continue
        span = interval(s.date, s.date_precision)
        if (lo is not None or hi is not None) and span is None:
            continue
        if span is not None and ((lo is not None and span[1] < lo) or (hi is not None and span[0] > hi)):
            continue
        out.append(TimelineEntry(
            date=s.date, date_precision=s.date_precision, story=s.id, type=s.type,
            title=s.title, place=s.place.name if s.place else None, actors=s.actors,
            targets=s.targets, outlets=s.outlets, independent_outlets=s.independent_outlets,
            contested=any(f.contested for f in s.figures),
            role="+".join(sorted(roles[s.id])) if roles is not None else None,
        ))
    out.sort(key=_sort_key)
    return out


def _sort_key(e: TimelineEntry) -> tuple:
    span = interval(e.date, e.date_precision)
    return (span is None, span[0] if span else 0, span[1] if span else 0, e.story)


def show_date(date: str | None, precision: str | None) -> str:
    """"2024-04-06", "2022-03 (month)", "undated"."""
    if not date:
        return "undated"
    if precision in (None, "day", "time"):
        return date[:10]
    return f"{date} ({precision})"
