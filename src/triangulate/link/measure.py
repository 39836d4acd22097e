"""Date intervals and distances: the two measurements linking compares events by.

Dates are day numbers (``date.toordinal()``) so intervals compare with integer arithmetic.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re

from triangulate import settings

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")

EARTH_KM = 6371.0088


def day(value: str | None) -> int | None:
    """YYYY-MM-DD (anything after the day ignored) -> day number; None if not a day."""
    if not value:
        return None
    m = _DAY.match(value)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).toordinal()
    except ValueError:
        return None


def interval(value: str | None, precision: str | None = None) -> tuple[int, int] | None:
    """The days a TIMEX3 date value covers, inclusive: a month-precision date is any day of
    that month. ``precision`` only coarsens ("2024-04-06" with precision "month" is April).
    """
    if not value:
        return None
    value = value.strip()
    try:
        if (m := _DAY.match(value)) and precision in (None, "day", "time"):
            d = dt.date(int(m[1]), int(m[2]), int(m[3])).toordinal()
            return d, d
        if (m := _WEEK.match(value)) or precision == "week":
            if m is None:
                d = day(value)
                if d is None:
                    return None
                monday = d - dt.date.fromordinal(d).weekday()
                return monday, monday + 6
            monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1).toordinal()
            return monday, monday + 6
        if (m := _MONTH.match(value) or _DAY.match(value)) and precision not in ("year", "decade"):
            y, mo = int(m[1]), int(m[2])
            last = calendar.monthrange(y, mo)[1]
            return dt.date(y, mo, 1).toordinal(), dt.date(y, mo, last).toordinal()
        if m := _YEAR.match(value[:4]):
            y = int(m[1])
            return dt.date(y, 1, 1).toordinal(), dt.date(y, 12, 31).toordinal()
    except ValueError:
        return None
    return None


def event_interval(
    date: str | None, precision: str | None, published: str | None
) -> tuple[tuple[int, int] | None, bool]:
    """(days the event may have happened on, whether that comes from an explicit date).

    An undated event happened on or shortly before publication: news reports what just
    happened. With neither date nor publication date, nothing is known (None).
    """
    span = interval(date, precision)
    if span is not None:
        return span, True
    pub = day(published)
    if pub is None:
        return None, False
    return (pub - settings.LINK_UNDATED_DAYS, pub), False


def gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Days between two intervals; 0 when they overlap."""
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def iso(day_number: int | None) -> str | None:
    return dt.date.fromordinal(day_number).isoformat() if day_number is not None else None
