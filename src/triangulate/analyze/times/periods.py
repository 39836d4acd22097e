"""Financial reporting periods: "the third quarter", "the first half of 2011", "the
year-ago period"."""

from __future__ import annotations

import datetime as dt
import re

from triangulate.analyze import timex
from triangulate.analyze.times.context import (
    Context,
    Found,
    Match,
    lower_group,
    year_anchor,
)
from triangulate.analyze.times.numbers import ordinal_value
from triangulate.analyze.timex import Point


def quarter_name(m: Match, ctx: Context) -> Found | None:
    unit = (lower_group(m, "unit") or "quarter")
    n = int(m["q"]) if m["q"] else ordinal_value(m["ord"])
    if not n or n > (4 if unit == "quarter" else 2):
        return None
    nxt = ctx.tokens.after(m.end())
    if unit == "half" and nxt is not None and nxt.lower_ == "of" and not m["y2"]:
        return None  # "the first half of the match"
    year_text = m["y1"] or m["y2"]
    anchored = "absolute"
    if year_text:
        year = int(year_text[:4])
    else:
        anchor = year_anchor(ctx)
        if anchor is None:
            return Found(None, "date", None)
        shift_words = lower_group(m, "rely") or lower_group(m, "rel2")
        year = anchor.year + {"last": -1, "next": 1}.get(shift_words or "", 0)
        if m["ya"]:
            year -= 1
        anchored = "published"
    month = (n - 1) * (3 if unit == "quarter" else 6) + 1
    point = Point(dt.date(year, month, 1), unit)
    return Found(point.value(), "date", anchored, point=point)


def quarter_rel(m: Match, ctx: Context) -> Found | None:
    """"the quarter", "the latest quarter", "the year-ago period": financial reporting periods.

    "The quarter" in a results story is the last completed one; "that quarter" and the
    year-ago ones count from the quarter the text last named.
    """
    rel = re.sub(r"\s+", " ", (lower_group(m, "rel") or ""))
    det = lower_group(m, "det") or ""
    unit = m["unit"].lower()
    if ctx.text[m.end():m.end() + 1] in ("-", "\u2010", "\u2011"):
        return None  # "a quarter-to-quarter rise"
    if unit == "period" and not rel:
        return None
    if unit == "period" and rel in ("same", "current", "last", "past", "previous", "prior"):
        return None
    year_ago = "year-ago" in rel or "year-earlier" in rel or rel == "comparable"
    if det == "that" or year_ago or rel == "same":
        base = ctx.recent_period(m.start(), reach=len(ctx.text))
        if base is None:
            base = _last_quarter(ctx)
            if base is None:
                return Found(None, "date", None)
        point = timex.shift(base, -1, "year") if year_ago else base
        return Found(point.value(), "date", "narrative", point=point, remember=False)
    if ctx.published is None:
        return Found(None, "date", None)
    current = timex.at(ctx.published, "quarter")
    if det == "this" or rel == "current":
        point = current
    elif rel in ("last", "past", "previous", "prior"):
        point = timex.shift(current, -1, "quarter")
    else:
        point = (ctx.ref if ctx.ref is not None and ctx.ref.grain == "quarter"
                 else timex.shift(current, -1, "quarter"))
    return Found(point.value(), "date", "published", point=point)


def _last_quarter(ctx: Context) -> Point | None:
    if ctx.published is None:
        return None
    return timex.shift(timex.at(ctx.published, "quarter"), -1, "quarter")


def year_ago_period(m: Match, ctx: Context) -> Found | None:
    nxt = ctx.tokens.after(m.end())
    if nxt is not None and nxt.lower_ in ("quarter", "period"):
        return None
    base = ctx.recent_period(m.start())
    if base is None:
        if ctx.published is None:
            return Found(None, "date", None)
        base = timex.at(ctx.published, "year")
    point = timex.shift(base, -1, "year")
    return Found(point.value(), "date", "narrative", point=point, remember=False)
