"""The times stage: candidates from every rule, resolved in text order by their handlers,
leftmost-longest first, the narrative reference following the text."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from triangulate.analyze.text import Regions, doc_quotes, doc_text
from triangulate.analyze.times import clock, dates, deictic, durations, narrative, periods
from triangulate.analyze.times.context import Context, Found, Match
from triangulate.analyze.times.grammar import Tokens
from triangulate.analyze.times.lexicon import period_mod
from triangulate.analyze.times.patterns import rules
from triangulate.analyze.times.triggers import candidates
from triangulate.model import TimeExpression

# Each rule in data/times/patterns.txt names the function that reads its matches here.
HANDLERS: dict[str, Callable[[Match, Context], Found | None]] = {
    "iso": dates.iso_date,
    "calendar": dates.calendar_date,
    "month": dates.month_name,
    "year": dates.year_name,
    "decade": dates.decade_name,
    "century": dates.century_name,
    "holiday": dates.holiday_name,
    "season": dates.season_name,
    "deictic": deictic.deictic_day,
    "weekday": deictic.weekday_name,
    "rel_unit": deictic.rel_unit,
    "the_unit": deictic.the_unit,
    "year_end": deictic.year_end,
    "ref": deictic.reference,
    "that_unit": narrative.that_unit,
    "the_next": narrative.the_next,
    "shift": narrative.shift,
    "quarter": periods.quarter_name,
    "quarter_rel": periods.quarter_rel,
    "year_ago": periods.year_ago_period,
    "clock": clock.clock_time,
    "part_word": clock.part_word,
    "duration": durations.duration,
    "set": durations.recurring,
    "set_rate": durations.rate,
}


_PERIOD_OF = re.compile(
    r"(?:the\s+(?:beginning|start|middle|end|close|turn|dawn)\s+of\s+)$", re.IGNORECASE)


def find_times(doc, published: dt.date | None) -> list[TimeExpression]:
    """Every temporal expression, resolved against the publication date and narrative chain."""
    text = doc_text(doc)
    if not text:
        return []
    ctx = Context(text=text, tokens=Tokens(doc), published=published,
                  quotes=Regions(doc_quotes(doc)))
    out: list[TimeExpression] = []
    taken_until = 0
    table = rules()
    for start, neg_end, order, m in candidates(doc, text):
        if start < taken_until:
            continue
        rule = table[order]
        found = HANDLERS[rule.handler](Match(m), ctx)
        if found is None:
            continue
        s = start
        e = found.end if found.end is not None else -neg_end
        mod = found.mod
        before = text[max(0, s - 30):s]
        wrap = _PERIOD_OF.search(before)
        if wrap and found.type == "date":
            s = s - len(wrap.group(0))
            mod = period_mod(wrap.group(0).strip()) or mod
        in_quote = ctx.quotes.covers(s, e)
        value, anchor = found.value, found.anchor
        if in_quote and found.deictic or in_quote and anchor == "narrative":
            value, anchor = None, None
        elif found.remember and found.point is not None:
            ctx.remember(found.point, e)
            if anchor == "absolute" and found.point.grain in ("day", "month"):
                ctx.remember_year(found.point)
        typ = found.type if found.type != "date" or rule.type != "time" else "time"
        out.append(TimeExpression(start=s, end=e, text=text[s:e], type=typ, value=value,
                                  anchor=anchor, mod=mod, in_quote=in_quote))
        taken_until = e
    return out
