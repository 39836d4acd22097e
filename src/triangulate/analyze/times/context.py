"""What every handler shares: the resolution context (publication date, narrative
reference), a handler's answer, and the small checks on the text around a match that
several kinds of expression make."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from triangulate.analyze import timex
from triangulate.analyze.text import Regions
from triangulate.analyze.times.grammar import Tokens
from triangulate.analyze.times.lexicon import (
    PARTS,
    lookups,
)
from triangulate.analyze.timex import Point


@dataclass
class Context:
    """What resolution needs: the document, the publication date and the narrative chain."""

    text: str
    tokens: Tokens
    published: dt.date | None
    quotes: Regions
    ref: Point | None = None  # the last explicit date of any grain
    ref_day: Point | None = None  # the last explicit day
    period: Point | None = None  # the last quarter or half named (results stories)
    period_at: int = -1
    named_years: dict | None = None  # (month, day or None) -> year the text gave them

    def remember(self, point: Point | None, at: int) -> None:
        if point is None:
            return
        self.ref = point
        if point.grain in ("day", "time"):
            self.ref_day = point
        if point.grain in ("quarter", "half"):
            self.period, self.period_at = point, at

    def remember_year(self, point: Point) -> None:
        """A day or month dated in full: later yearless mentions of it borrow the year."""
        if self.named_years is None:
            self.named_years = {}
        if point.grain == "day":
            self.named_years[(point.day.month, point.day.day)] = point.day.year
        self.named_years[(point.day.month, None)] = point.day.year

    def context_year(self, month: int, day: int | None) -> int | None:
        """The year the text itself gave this date or month ("October 7, 2023 ... since
        October 7"). A year merely named nearby is no guide ("bonds due 1993 ... expire
        Nov. 21"), so only the same date or month counts."""
        return self.named_years.get((month, day)) if self.named_years else None

    def recent_period(self, at: int, reach: int = 400) -> Point | None:
        """The quarter or half the text named within ``reach`` characters before ``at``."""
        return self.period if self.period is not None and at - self.period_at <= reach else None

    def pub_point(self) -> Point | None:
        return timex.at(self.published, "day") if self.published else None


@dataclass
class Found:
    """A handler's answer: the TIMEX3 reading of one match."""

    value: str | None
    type: str
    anchor: str | None
    mod: str | None = None
    point: Point | None = None  # the calendar point, when the value is one
    remember: bool = True  # may it become the narrative reference?
    deictic: bool = False  # does it count from the moment of speaking?
    end: int | None = None  # a handler may widen the span ("a week after the blast")


class Match:
    """A regex match whose absent named groups read as None (rules sharing a handler name
    different subsets of the groups)."""

    __slots__ = ("match", "groups")

    def __init__(self, match: re.Match):
        self.match = match
        self.groups = match.groupdict()

    def __getitem__(self, name: str) -> str | None:
        return self.groups.get(name)

    def groupdict(self) -> dict[str, str | None]:
        return self.groups

    def group(self, index: int = 0) -> str:
        return self.match.group(index)

    def start(self, name: int | str = 0) -> int:
        return self.match.start(name)

    def end(self, name: int | str = 0) -> int:
        return self.match.end(name)


def lower_group(m: Match, name: str) -> str | None:
    value = m[name]
    return value.lower() if value else None


MONTH_PREPS = frozenset((
    "in", "of", "since", "until", "till", "by", "during", "before", "after", "from", "through",
    "to", "last", "next", "this", "early", "mid", "late", "and", "or", "between", "on",
    "throughout", "around", "end", "beginning", "start", "middle", "past", "coming", "into",
    "for", "as"))


def followed_by_name(ctx: Context, end: int) -> bool:
    """A capitalised name word right after the span: "March 14 Alliance", "Sunday Times"."""
    nxt = ctx.tokens.after(end)
    if nxt is None or nxt.idx - end > 1 or not nxt.text[:1].isupper():
        return False
    heads = lookups()["name_heads"]
    if nxt.text in heads:
        return True
    two = ctx.text[nxt.idx:nxt.idx + 40].split()
    return len(two) > 1 and " ".join(two[:2]) in heads


_SINCE = re.compile(r"\b(?:since|ago)\s*$")
_DEADLINE = re.compile(r"\b(?:until|till|by|ahead\s+of|effective|payable|due|expire|expires|"
                       r"starting|beginning|next|as\s+soon\s+as|as\s+early\s+as)\s*$")


def direction_of(ctx: Context, m: Match, weak: bool = True) -> int:
    """Which way a bare calendar name points: -1 back, +1 ahead, 0 unknown."""
    before = ctx.text[max(0, m.start() - 14):m.start()].lower()
    if _SINCE.search(before):
        return -1
    return ctx.tokens.tense(m.start(), m.end(), weak=weak)


def after_deadline_word(ctx: Context, m: Match) -> bool:
    return bool(_DEADLINE.search(ctx.text[max(0, m.start() - 14):m.start()].lower()))


def year_anchor(ctx: Context) -> dt.date | None:
    """The date a yearless calendar date is placed near: publication, else the text's last
    explicit date."""
    if ctx.published:
        return ctx.published
    return ctx.ref.day if ctx.ref else None


def narrative_base(ctx: Context, unit: str) -> Point | None:
    if unit in ("day", "night", "morning", "afternoon", "evening"):
        return ctx.ref_day
    return ctx.ref


def sentence_initial(ctx: Context, char: int) -> bool:
    tok = ctx.tokens.at(char)
    return tok is None or tok.is_sent_start or tok.i == 0


def with_part(point: Point, part: str | None) -> Point:
    return timex.at(point.day, "day", part=PARTS.get(part or "")) if part else point
