"""TIMEX3 value arithmetic: calendar points of any grain, shifted and written as TIMEX3 strings.

A :class:`Point` is a period on the calendar (a day, an ISO week, a quarter, a decade, ...)
held as its first day plus its grain, so every shift is plain date arithmetic and every
value is written the one way TimeML writes it (``2024-04-06``, ``2024-W18``, ``2024-W18-WE``,
``1998-Q3``, ``1997-FA``, ``199``, ``2024-04-06TNI``, ``2024-04-06T17:00``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace

# Coarse to fine. A shift keeps the grain of the point it starts from unless told otherwise.
GRAINS = ("century", "decade", "year", "half", "quarter", "season", "month", "week",
          "weekend", "day", "time")
_RANK = {g: i for i, g in enumerate(GRAINS)}

# First month of each season in the northern-hemisphere convention TimeML uses; winter is
# labelled with the year in which it starts (December).
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


@dataclass(frozen=True)
class Point:
    """A calendar period: its first day, its grain and, for finer grains, the part of day."""

    day: dt.date
    grain: str
    part: str | None = None  # MO, AF, EV, NI: TimeML's parts of a day
    season: str | None = None  # SP, SU, FA, WI when grain == "season"
    hour: int | None = None
    minute: int | None = None

    def value(self) -> str:
        """The TIMEX3 value string."""
        d = self.day
        if self.grain == "century":
            return f"{d.year // 100:02d}"
        if self.grain == "decade":
            return f"{d.year // 10:03d}"
        if self.grain == "year":
            return f"{d.year:04d}"
        if self.grain == "half":
            return f"{d.year:04d}-H{1 if d.month <= 6 else 2}"
        if self.grain == "quarter":
            return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
        if self.grain == "season":
            return f"{d.year:04d}-{self.season}"
        if self.grain == "month":
            return f"{d.year:04d}-{d.month:02d}"
        if self.grain in ("week", "weekend"):
            year, week, _ = d.isocalendar()
            return f"{year:04d}-W{week:02d}" + ("-WE" if self.grain == "weekend" else "")
        if self.grain == "time" and self.hour is not None:
            return f"{d.isoformat()}T{self.hour:02d}:{self.minute or 0:02d}"
        return d.isoformat() + (f"T{self.part}" if self.part else "")

    def finer_than(self, grain: str) -> bool:
        return _RANK[self.grain] > _RANK[grain]


def at(day: dt.date, grain: str, part: str | None = None) -> Point:
    """The period of ``grain`` containing ``day``."""
    if grain == "century":
        return Point(dt.date(day.year // 100 * 100 or 1, 1, 1), grain)
    if grain == "decade":
        return Point(dt.date(day.year // 10 * 10 or 1, 1, 1), grain)
    if grain == "year":
        return Point(dt.date(day.year, 1, 1), grain)
    if grain == "half":
        return Point(dt.date(day.year, 1 if day.month <= 6 else 7, 1), grain)
    if grain == "quarter":
        return Point(dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1), grain)
    if grain == "season":
        code, year = season_of(day)
        return season(year, code)
    if grain == "month":
        return Point(day.replace(day=1), grain)
    if grain == "week":
        return Point(day - dt.timedelta(days=day.weekday()), grain)
    if grain == "weekend":
        return Point(day - dt.timedelta(days=day.weekday()) + dt.timedelta(days=5), grain)
    return Point(day, "day", part=part)


def season(year: int, code: str) -> Point:
    return Point(dt.date(year, SEASON_START[code], 1), "season", season=code)


def season_of(day: dt.date) -> tuple[str, int]:
    """(season code, the year it is labelled with) for a day."""
    m = day.month
    if m in (1, 2):
        return "WI", day.year - 1
    if m == 12:
        return "WI", day.year
    return ("SP", "SP", "SP", "SU", "SU", "SU", "FA", "FA", "FA")[m - 3], day.year


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar month arithmetic; the day of month is clamped (Jan 31 + 1 month = Feb 29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    year = min(max(year, 1), 9999)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def add_days(day: dt.date, days: int) -> dt.date:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return day


# Units as (days, months): a unit shifts by one or the other, never both.
UNIT_STEP = {
    "day": (1, 0), "night": (1, 0), "week": (7, 0), "fortnight": (14, 0), "weekend": (7, 0),
    "month": (0, 1), "quarter": (0, 3), "half": (0, 6), "season": (0, 12), "year": (0, 12),
    "decade": (0, 120), "century": (0, 1200),
}
# The grain a shift by this unit lands on when the reference is finer than it.
UNIT_GRAIN = {
    "day": "day", "night": "day", "week": "week", "fortnight": "week", "weekend": "weekend",
    "month": "month", "quarter": "quarter", "half": "half", "season": "season",
    "year": "year", "decade": "decade", "century": "century",
}


def shift(point: Point, amount: int, unit: str) -> Point:
    """``point`` moved by ``amount`` units, keeping its grain.

    The day keeps its place inside the period (a quarter shifted by a year is the same
    quarter of the previous year). Seasons and weekends move by whole years and weeks.
    """
    days, months = UNIT_STEP[unit]
    day = add_days(point.day, days * amount) if days else add_months(point.day, months * amount)
    if point.grain in ("day", "time", "season"):
        return replace(point, day=day)
    return at(day, point.grain)


def weekday_near(anchor: dt.date, weekday: int, direction: int) -> dt.date:
    """The ``weekday`` (Monday=0) nearest ``anchor`` in ``direction``.

    -1: the latest one on or before the anchor; +1: the earliest one on or after it; 0: the
    nearer of the two, the past one on a tie (news reports more than it announces).
    """
    back = (anchor.weekday() - weekday) % 7
    ahead = (weekday - anchor.weekday()) % 7
    if direction < 0 or (direction == 0 and back <= ahead):
        return anchor - dt.timedelta(days=back)
    return anchor + dt.timedelta(days=ahead)


# How far ahead an undirected month name may point before the past reading wins: in
# TimeBank the month named without a year lies up to ten months back but rarely more than
# four ahead of the publication date.
MAX_MONTHS_AHEAD = 4
NEAR_DAYS = 10


def month_near(anchor: dt.date, month: int, direction: int) -> Point:
    """The ``month`` nearest ``anchor`` in ``direction``: -1 the latest one not after the
    anchor's month, +1 the earliest one not before it, 0 the past one unless the coming one
    is nearer and at most MAX_MONTHS_AHEAD away."""
    back = (anchor.month - month) % 12
    ahead = (month - anchor.month) % 12
    if direction < 0 or (direction == 0 and not (ahead < back and ahead <= MAX_MONTHS_AHEAD)):
        return Point(add_months(anchor.replace(day=1), -back), "month")
    return Point(add_months(anchor.replace(day=1), ahead), "month")


def day_near(anchor: dt.date, month: int, day: int, direction: int) -> dt.date | None:
    """The date ``month``/``day`` nearest ``anchor`` in ``direction`` (the rule of
    :func:`month_near`); None if it never exists in the years tried (Feb 30)."""
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    past = [c for c in candidates if c <= anchor]
    future = [c for c in candidates if c >= anchor]
    best_past = max(past) if past else None
    best_future = min(future) if future else None
    if best_past is None or best_future is None:
        return best_past or best_future
    # A date within days of the anchor is that one, whatever the tense ("had been set to
    # lapse Oct. 9", written on Oct. 5), not the one almost a year away.
    if direction < 0 and (best_future - anchor).days <= NEAR_DAYS < (anchor - best_past).days - 300:
        return best_future
    if direction > 0 and (anchor - best_past).days <= NEAR_DAYS < (best_future - anchor).days - 300:
        return best_past
    if direction < 0:
        return best_past
    if direction > 0:
        return best_future
    back, ahead = (anchor - best_past).days, (best_future - anchor).days
    months_ahead = (best_future.year - anchor.year) * 12 + best_future.month - anchor.month
    return best_future if ahead < back and months_ahead <= MAX_MONTHS_AHEAD else best_past


def season_near(anchor: dt.date, code: str, direction: int) -> Point:
    """The season ``code`` nearest ``anchor``: -1 the latest one that has begun, +1 the next
    one that has not ended, 0 the one of the anchor's year."""
    current_code, current_year = season_of(anchor)
    if direction == 0:
        return season(anchor.year, code)
    candidates = [season(y, code) for y in (anchor.year - 2, anchor.year - 1, anchor.year,
                                              anchor.year + 1)]
    if direction < 0:
        started = [c for c in candidates
                   if c.day <= anchor and not (c.season == current_code
                                               and c.day.year == current_year)]
        return started[-1]
    upcoming = [c for c in candidates if c.day > anchor
                or (c.season == current_code and c.day.year == current_year)]
    return upcoming[0]


def easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (the anonymous Gregorian computus)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ll = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ll) // 451
    month, day = divmod(h + ll - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th ``weekday`` of a month (n = -1: the last one)."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


_DURATION = {
    "second": ("T", "S", 1), "minute": ("T", "M", 1), "hour": ("T", "H", 1),
    "day": ("", "D", 1), "night": ("", "D", 1), "week": ("", "W", 1), "fortnight": ("", "W", 2),
    "weekend": ("", "WE", 1), "month": ("", "M", 1), "quarter": ("", "M", 3),
    "half": ("", "M", 6), "season": ("", "M", 3), "year": ("", "Y", 1),
    "decade": ("", "Y", 10), "century": ("", "Y", 100), "millennium": ("", "Y", 1000),
}
# Where a fractional count goes: the next unit down and how many of it make one.
_SMALLER = {("", "Y"): ("", "M", 12), ("", "M"): ("", "D", 30), ("", "W"): ("", "D", 7),
            ("", "D"): ("T", "H", 24), ("T", "H"): ("T", "M", 60), ("T", "M"): ("T", "S", 60)}


def duration(amount: float | None, unit: str) -> str:
    """A TIMEX3 duration: ``P5M``, ``PT48H``, ``P10Y`` ("a decade"), ``PXY`` (unknown count).

    Fractions go down one unit so the value stays whole ("a year and a half" = P18M); hours
    and minutes keep both parts, as TimeML writes them ("a minute and a half" = PT1M30S).
    """
    t, letter, factor = _DURATION[unit]
    if amount is None:
        return {"decade": "PXDE", "century": "PXCE"}.get(unit, f"P{t}X{letter}")
    total = amount * factor
    whole = int(total)
    if total == whole or (t, letter) not in _SMALLER:
        return f"P{t}{int(round(total))}{letter}"
    t2, letter2, per = _SMALLER[(t, letter)]
    rest = int(round((total - whole) * per))
    if t == "T" and whole:
        return f"PT{whole}{letter}{rest}{letter2}"
    return f"P{t2}{int(round(total * per))}{letter2}"
