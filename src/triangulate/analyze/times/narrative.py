"""Expressions counted along the narrative, from the last date the text made explicit:
"that night", "the next day", "five months earlier", "a week after the blast"; and
counts back from publication ("two years ago")."""

from __future__ import annotations

import re

from triangulate.analyze import timex
from triangulate.analyze.times.context import (
    Context,
    Found,
    Match,
    lower_group,
    narrative_base,
    with_part,
)
from triangulate.analyze.times.lexicon import (
    DAY_MODS,
    PARTS,
    lexicon,
    timex_unit,
)
from triangulate.analyze.times.numbers import number_value
from triangulate.analyze.timex import Point


def that_unit(m: Match, ctx: Context) -> Found | None:
    unit = m["unit"].lower()
    mod = DAY_MODS.get(lower_group(m, "mod") or "")
    base = narrative_base(ctx, unit)
    if base is None:
        return Found(None, "time" if unit in PARTS else "date", None, mod=mod)
    typ = "date"
    if unit in PARTS:
        point = with_part(timex.at(base.day, "day"), unit)
        typ = "time"
        if unit == "night" and mod is None:
            point, typ = timex.at(base.day, "day"), "date"  # "that night" is that day's date
    elif unit == "day":
        point = timex.at(base.day, "day")
    elif base.finer_than(unit) or base.grain == unit:
        point = timex.at(base.day, unit)
    else:
        return Found(None, "date", None, mod=mod)
    return Found(point.value(), typ, "narrative", mod=mod, point=point, remember=False)


def the_next(m: Match, ctx: Context) -> Found | None:
    rel = re.sub(r"\s+", " ", m["rel"].lower())
    unit = m["unit"].lower()
    step = -1 if rel in ("the previous", "the preceding", "the prior") else 1
    base = narrative_base(ctx, unit)
    if base is None:
        return Found(None, "date", None)
    part = unit if unit in PARTS and unit != "night" else None
    grain_unit = "day" if unit in PARTS or unit == "night" else unit
    if base.finer_than(grain_unit) or base.grain == grain_unit:
        point = timex.shift(timex.at(base.day, grain_unit), step, grain_unit)
        point = with_part(point, part)
    else:
        return Found(None, "date", None)
    return Found(point.value(), "date", "narrative", point=point,
                 remember=grain_unit == "day")


def shift(m: Match, ctx: Context) -> Found | None:
    """"five months earlier", "a week after the blast", "two years ago", "a year on"."""
    unit = timex_unit(m["unit"])
    if unit is None or unit == "millennium":
        return None
    num_text = m["num"].lower()
    amount = 1.0 if num_text == "the" else number_value(num_text)
    direction_word = re.sub(r"\s+", " ", m["dir"].lower())
    approx = lower_group(m, "approx")
    mod = lexicon()["approximators"].get(re.sub(r"\s+", " ", approx)) if approx else None
    if m["orso"] and "so" in m["orso"].lower():
        mod = "APPROX"
    end = m.end()
    if direction_word == "on" and re.match(r"\s*\w", ctx.text[end:end + 3]):
        return None  # "40 buses a day on the line"; only "a year on," counts forward
    if direction_word in ("before", "after"):
        end = _event_object_end(ctx, m.end("dir"))
        if end is None:
            # "ten months after the war began": a clause, not a date to count from; the
            # count itself is a duration.
            if num_text == "the":
                return None
            count_end = m.end("half2") if m["half2"] else m.end("unit")
            return Found(timex.duration(amount, unit), "duration", None, mod=mod,
                         end=count_end, remember=False)
    back = direction_word in ("ago", "earlier", "before", "prior")
    from_publication = direction_word in ("ago", "from now", "hence")
    if from_publication:
        mod = lexicon()["ago_mods"].get(mod or "", mod)
        base = ctx.pub_point()
    else:
        base = narrative_base(ctx, unit)
    if unit == "year":
        # In a results story "a year ago" is the year-ago period of the quarter reported.
        base = ctx.recent_period(m.start()) or base
    if base is not None and base.part:
        base = timex.at(base.day, "day")
    if unit in ("second", "minute", "hour"):
        # "two hours ago", "minutes later": the same day as the point counted from
        if base is None or (amount or 0) > 24 * {"hour": 1, "minute": 60, "second": 3600}[unit]:
            return Found(None, "date", None, mod=mod, end=end)
        point = timex.at(base.day, "day")
        return Found(point.value(), "date", "published" if from_publication else "narrative",
                     mod=mod, point=point, end=end, remember=False)
    if amount is None or amount != int(amount):
        if base is None or unit not in ("year", "decade", "century", "month", "week", "day"):
            return Found(None, "date", None, mod=mod, end=end)
        grain = {"year": "decade", "decade": "century"}.get(unit)
        if grain is None:
            if amount is None and from_publication:
                # "several weeks ago": only the direction is known
                return Found("PAST_REF" if back else "FUTURE_REF", "date", None, mod=mod,
                             end=end, remember=False)
            return Found(None, "date", None, mod=mod, end=end)
        # "a few years ago": the decade is known, the year is not.
        point = timex.at(base.day, grain)
        value = point.value()
        if grain == "decade" and back:
            value = value + "X" if len(value) == 3 else value
        return Found(value, "date", "published" if from_publication else "narrative",
                     mod=mod, end=end, remember=False)
    if base is None:
        return Found(None, "date", None, mod=mod, end=end, deictic=from_publication)
    steps = int(amount) * (-1 if back else 1)
    if base.grain not in ("day", "time") and not base.finer_than(timex.UNIT_GRAIN[unit]) \
            and base.grain != timex.UNIT_GRAIN[unit] and unit != "year":
        # "a week after" a year the text named: the week is not known
        return Found(None, "date", None, mod=mod, end=end)
    point = _shifted(base, steps, unit, deictic=from_publication)
    anchor = "published" if from_publication else "narrative"
    return Found(point.value(), "date", anchor, mod=mod, point=point, end=end,
                 deictic=from_publication,
                 remember=(not from_publication and point.grain == "day"))


def _shifted(base: Point, steps: int, unit: str, deictic: bool = False) -> Point:
    """The reference moved by ``steps`` units.

    Counted from the publication date ("two years ago", "six weeks ago") the result has the
    grain of the unit. Counted along the narrative, days and weeks from a day land on a day
    ("two days later"), months on a month ("five months earlier" is a month) and years keep
    the reference's grain ("a year earlier" in a results story is the same quarter a year
    before; a year after April 6, 2023 is April 6, 2024).
    """
    grain = timex.UNIT_GRAIN[unit]
    if unit == "year" and base.grain in ("quarter", "half", "season", "month") or \
            unit == "year" and not deictic and base.grain == "day":
        return timex.shift(base, steps, "year")
    if not deictic and base.grain in ("day", "time") and unit in ("day", "night", "week",
                                                                  "fortnight"):
        return timex.at(timex.shift(base, steps, unit).day, "day")
    start = timex.at(base.day, grain) if base.finer_than(grain) else base
    return timex.shift(start, steps, unit)


def _event_object_end(ctx: Context, prep_end: int) -> int | None:
    """End of the event phrase after "a week after" ("... after the blast"): the preposition's
    object, when it is a short noun phrase; None when it is a clause or a date (then the
    expression is not a narrative time of its own)."""
    prep = ctx.tokens.before(prep_end)
    if prep is None:
        return None
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    if not objects:
        return None
    obj = objects[0]
    if obj.ent_type_ in ("DATE", "TIME") or obj.like_num:
        return None
    # At most four words after the noun, and none from a clause or phrase hanging on it:
    # "after the blast that killed twelve" ends at "blast", "after the raid," before the comma.
    cut = obj.i + 5
    for child in obj.children:
        if child.i > obj.i and (child.dep_ in ("relcl", "acl", "prep") or child.is_punct):
            cut = min(cut, child.left_edge.i)
    right = obj
    for t in obj.subtree:
        if obj.i < t.i < cut and not t.is_punct:
            right = t
    return right.idx + len(right.text)
