"""Clock times and parts of the day: "at 3 p.m.", "14:30 GMT", "about noon", "in the
early hours"."""

from __future__ import annotations

import datetime as dt
import re

from triangulate.analyze import timex
from triangulate.analyze.times.context import (
    Context,
    Found,
    Match,
    after_deadline_word,
    sentence_initial,
    year_anchor,
)
from triangulate.analyze.times.lexicon import (
    lexicon,
    month_number,
    weekday_number,
)
from triangulate.analyze.times.numbers import number_value, ordinal_value
from triangulate.analyze.timex import Point


def clock_time(m: Match, ctx: Context) -> Found | None:
    hour: int | None
    minute = 0
    if m["h"] is not None:
        hour, minute = int(m["h"]), int(m["m"] or 0)
        if not 1 <= hour <= 12:
            return None
        pm = m["ampm"].lower().startswith("p")
        hour = hour % 12 + (12 if pm else 0)
    elif m["h2"] is not None:
        hour, minute = int(m["h2"]), int(m["m2"])
        prev = ctx.tokens.before(m.start())
        if prev is not None and prev.pos_ == "PROPN" and not m["tz"]:
            return None  # "John 3:16", a score "Real 2:1"
    elif m["h3"] is not None:
        hour, minute = int(m["h3"]), int(m["m3"])
    elif m["cw"] is not None:
        if m["cw"][0].isupper() and not sentence_initial(ctx, m.start("cw")):
            return None  # "High Noon": a title
        if ctx.text[max(0, m.start("cw") - 5):m.start("cw")].lower().endswith("high "):
            return None
        hour, minute = lexicon()["clock_words"][m["cw"].lower()]
    elif m["h4"] is not None:
        n = number_value(m["h4"])
        if n is None or not 1 <= n <= 12:
            return None
        hour, minute = int(n), int(m["m4"] or 0)
        if m["inpart"].lower() in ("afternoon", "evening") or (
                m["inpart"].lower() == "night" and hour >= 6):
            hour = hour % 12 + 12
    else:
        n = number_value(m["oc"])
        if n is None or not 1 <= n <= 12:
            return None
        hour = int(n)
    mod = "APPROX" if m["approx"] and m["approx"].split()[-1].lower() in (
        "about", "around", "approximately", "roughly") else None
    day = _day_of(m, ctx)
    if day is None:
        return Found(None, "time", None, mod=mod)
    point = Point(day, "time", hour=hour, minute=minute)
    return Found(point.value(), "time", "published", mod=mod, point=point)


def _day_of(m: Match, ctx: Context):
    """The day a clock time falls on: the day named with it, else the text's current day,
    else the publication date."""
    dayexpr = m["dayexpr"]
    if dayexpr:
        low = dayexpr.lower()
        if low in lexicon()["deictic_days"]:
            if ctx.published is None:
                return None
            return ctx.published + dt.timedelta(days=lexicon()["deictic_days"][low])
        weekday = weekday_number(dayexpr)
        if weekday is not None:
            if ctx.published is None:
                return None
            direction = ctx.tokens.tense(m.start(), m.end())
            if direction == 0:
                direction = 1 if after_deadline_word(ctx, m) else -1
            return timex.weekday_near(ctx.published, weekday, direction)
        parts = dayexpr.split()
        month = month_number(parts[0])
        day = ordinal_value(parts[-1])
        anchor = year_anchor(ctx)
        if month and day and anchor:
            return timex.day_near(anchor, month, day,
                                  ctx.tokens.tense(m.start(), m.end(), weak=False))
        return None
    if ctx.ref_day is not None:
        return ctx.ref_day.day
    return ctx.published


def part_word(m: Match, ctx: Context) -> Found | None:
    word = re.sub(r"[\s-]+", "-", m["pw"].lower())
    part = lexicon()["parts_of_day"].get(word) or lexicon()["parts_of_day"].get(
        word.replace("-", " "))
    if part is None:
        return None
    prev = ctx.tokens.before(m.start())
    if word != "overnight" and not m["approx"] and (prev is None or prev.lower_ not in (
            "at", "before", "after", "until", "by", "since", "from", "till", "in")):
        return None
    if word == "overnight" and (prev is None or prev.pos_ in ("DET", "ADJ")):
        return None
    day = _day_of(m, ctx)
    if day is None:
        return Found(None, "time", None)
    point = timex.at(day, "day", part=part)
    return Found(point.value(), "time", "published", point=point, remember=False)
