"""Durations ("for three months", "the past few years") and sets ("weekly", "every
Friday", "$5 a day")."""

from __future__ import annotations

import re

from triangulate.analyze import timex
from triangulate.analyze.times.context import (
    Context,
    Found,
    Match,
    lower_group,
)
from triangulate.analyze.times.lexicon import (
    PARTS,
    lexicon,
    month_number,
    timex_unit,
    weekday_number,
)
from triangulate.analyze.times.narrative import shift
from triangulate.analyze.times.numbers import number_value


def duration(m: Match, ctx: Context) -> Found | None:
    if m["dir"]:
        return shift(m, ctx)
    unit = timex_unit(m["unit"])
    if unit is None:
        return None
    if m["old"]:
        return None  # "a five-year-old": an age
    if re.match(r"[-\u2010\u2011](?:ago|earlier|end|old)\b", ctx.text[m.end():m.end() + 9]):
        return None  # "a year-earlier loss": the year-ago rule reads it
    prev = ctx.tokens.before(m.start())
    if prev is not None and prev.lower_ in ("aged", "age", "ages"):
        return None
    num_text = lower_group(m, "num")
    nxt = ctx.tokens.after(m.end())
    nxt_close = nxt is not None and nxt.idx - m.end() <= 1
    if nxt_close and ((nxt.lower_ == "old" and unit == "year")
                      or (nxt.lower_ == "of" and unit == "quarter")):
        return None  # "three years old", "a quarter of the population"
    if num_text is None:
        # A bare plural ("for months") only counts after a preposition that makes it a span.
        if not m["rel"] and (prev is None or prev.lower_ not in (
                "for", "over", "within", "in", "after", "take", "takes", "took", "lasted",
                "spent", "spend")):
            return None
        amount = None
    else:
        if num_text in ("a", "an", "one") and unit in ("second",) and nxt_close \
                and nxt.pos_ in ("NOUN", "ADJ", "PROPN"):
            return None  # "a second attack": an ordinal
        if num_text in ("a", "an") and unit in ("second", "minute") and nxt_close \
                and nxt.lower_ in ("ago", "later", "earlier"):
            return None
        amount = number_value(num_text)
        if amount is not None and (m["half"] or m["half2"]):
            amount += 0.5
    if amount is not None and amount > 10000:
        return None
    approx = lower_group(m, "approx")
    mod = lexicon()["approximators"].get(re.sub(r"\s+", " ", approx)) if approx else None
    if num_text in ("a couple of", "a couple"):
        mod = mod or "APPROX"
    rel = re.sub(r"\s+", " ", lower_group(m, "rel") or "")
    if amount is None and num_text and rel in ("the past", "the last", "past", "last"):
        # "the last few months", "the past several quarters": TimeML's past reference
        return Found("PAST_REF", "date", None, remember=False)
    if amount is None and num_text and rel in ("the next", "the coming", "next", "coming"):
        return Found("FUTURE_REF", "date", None, remember=False)
    return Found(timex.duration(amount, unit), "duration", None, mod=mod, remember=False)


def recurring(m: Match, ctx: Context) -> Found | None:
    gd = m.groupdict()
    if gd.get("adv"):
        adv = gd["adv"].lower()
        unit = {"daily": "day", "nightly": "day", "weekly": "week", "monthly": "month",
                "yearly": "year", "annually": "year", "hourly": "hour", "quarterly": "quarter",
                "biweekly": "fortnight", "fortnightly": "fortnight", "twice-weekly": "week",
                "twice-monthly": "month"}[adv]
        return Found(timex.duration(1, unit), "set", None, remember=False)
    if gd.get("wds"):
        weekday = weekday_number(gd["wds"][:-1])
        return Found(f"XXXX-WXX-{weekday + 1}", "set", None, remember=False)
    unit_word = gd.get("unit") or ""
    weekday = weekday_number(unit_word)
    if weekday is not None:
        return Found(f"XXXX-WXX-{weekday + 1}", "set", None, remember=False)
    if unit_word.lower() in PARTS:
        return Found(f"XXXX-XX-XXT{PARTS[unit_word.lower()]}", "set", None, remember=False)
    unit = timex_unit(unit_word)
    if unit is None:
        month = month_number(unit_word)
        if month:
            return Found(f"XXXX-{month:02d}", "set", None, remember=False)
        code = lexicon()["seasons"].get(unit_word.lower())
        return Found(f"XXXX-{code}", "set", None, remember=False) if code else None
    num = gd.get("num")
    amount = number_value(num) if num else 1
    if gd.get("other"):
        amount = 2
    return Found(timex.duration(amount, unit), "set", None, remember=False)


def rate(m: Match, ctx: Context) -> Found | None:
    """"$5 a day", "20 people per week": a rate only right after a number or an amount."""
    unit = timex_unit(m["unit"])
    window = ctx.tokens.span_tokens(max(0, m.start() - 30), m.start())
    if unit is None or not any(t.like_num or t.is_currency for t in window[-3:]):
        return None
    return Found(timex.duration(1, unit), "set", None, remember=False)
