"""Calendar names: ISO dates, month-day and day-month dates, months, years, decades,
centuries, holidays and seasons. They need at most a year, taken from the text, the
publication date and the tense of the governing verb."""

from __future__ import annotations

import datetime as dt
import re

from triangulate.analyze import timex
from triangulate.analyze.times.context import (
    MONTH_PREPS,
    Context,
    Found,
    Match,
    direction_of,
    followed_by_name,
    lower_group,
    year_anchor,
)
from triangulate.analyze.times.lexicon import (
    lexicon,
    lookups,
    month_number,
    period_mod,
    weekday_number,
)
from triangulate.analyze.times.numbers import ordinal_value, year_value
from triangulate.analyze.timex import Point


def iso_date(m: Match, ctx: Context) -> Found | None:
    try:
        day = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    if m["hh"]:
        point = Point(day, "time", hour=int(m["hh"]), minute=int(m["mm"]))
        return Found(point.value(), "time", "absolute", point=point)
    point = timex.at(day, "day")
    return Found(point.value(), "date", "absolute", point=point)


def calendar_date(m: Match, ctx: Context) -> Found | None:
    """Month-day, day-month and month-year dates, with or without a year."""
    month = month_number(m["mon"])
    if month is None:
        return None
    day_text = lower_group(m, "day")
    day = ordinal_value(day_text) if day_text else None
    if day_text and (day is None or not 1 <= day <= 31):
        return None
    if followed_by_name(ctx, m.end()) or _is_dateline(ctx, m.start(), m.end()):
        return None
    year_text = m["year"]
    mod = period_mod(lower_group(m, "mod"))
    if day is None:
        year = year_value(year_text)
        if year is None:
            return None
        point = Point(dt.date(year, month, 1), "month")
        return Found(point.value(), "date", "absolute", mod=mod, point=point)
    if day_text and day_text[0].isdigit() and m["mon"][:3].lower() == "may" \
            and not year_text and _is_modal(ctx, m.start("mon")):
        return None
    if year_text:
        try:
            when = dt.date(year_value(year_text), month, day)
        except (ValueError, TypeError):
            return None
        point = timex.at(when, "day")
        return Found(point.value(), "date", "absolute", mod=mod, point=point)
    named = _event_name_year(ctx, m, month, day)
    if named:
        try:
            point = timex.at(dt.date(named, month, day), "day")
        except ValueError:
            return None
        return Found(point.value(), "date", "absolute", mod=mod, point=point)
    context_year = ctx.context_year(month, day)
    if context_year is not None and (ctx.published is None or context_year != ctx.published.year):
        try:
            point = timex.at(dt.date(context_year, month, day), "day")
        except ValueError:
            return None
        return Found(point.value(), "date", "narrative", mod=mod, point=point)
    anchor = year_anchor(ctx)
    if anchor is None:
        return Found(None, "date", None, mod=mod)
    when = _year_from_weekday(anchor, month, day, m["wd"])
    if when is None:
        direction = direction_of(ctx, m, weak=False)
        if direction == 0 and _names_event(ctx, m):
            direction = -1
        when = timex.day_near(anchor, month, day, direction)
    if when is None:
        return None
    point = timex.at(when, "day")
    return Found(point.value(), "date", "published", mod=mod, point=point)


_DATELINE_BEFORE = re.compile(r"(?:^|\n)[ \t]*[A-Z][A-Za-z .,'\-]+,[ \t]*$")
_DATELINE_AFTER = re.compile(r"[ \t]*(?:\([^)\n]{1,30}\)|--|\u2014|/|:)")


def _is_dateline(ctx: Context, start: int, end: int) -> bool:
    """"WASHINGTON, August 11 (Xinhua) --": the wire dateline repeats the publication date
    and is not part of the story (TimeML leaves it out)."""
    line_start = ctx.text.rfind("\n", 0, start) + 1
    if start - line_start > 60:
        return False
    return bool(_DATELINE_BEFORE.search(ctx.text[max(0, line_start - 1):start])
                and _DATELINE_AFTER.match(ctx.text, end))


def _year_from_weekday(anchor: dt.date, month: int, day: int, weekday: str | None
                       ) -> dt.date | None:
    """"Saturday, April 25": the year near the anchor in which that day is that weekday."""
    number = weekday_number(weekday) if weekday else None
    if number is None:
        return None
    fits = []
    for year in (anchor.year, anchor.year - 1, anchor.year + 1):
        try:
            when = dt.date(year, month, day)
        except ValueError:
            continue
        if when.weekday() == number:
            fits.append(when)
    return min(fits, key=lambda d: abs((d - anchor).days)) if fits else None


def _event_name_year(ctx: Context, m: Match, month: int, day: int) -> int | None:
    """The year of a date that names a widely reported event ("the October 7 attacks")."""
    entry = lookups()["named_dates"].get((month, day))
    if entry is None:
        return None
    year, heads = entry
    after = ctx.text[m.end():m.end() + 40].lower()
    words = re.findall(r"[a-z]+", after)[:3]
    if any(w in heads for w in words) and (ctx.published is None or ctx.published.year >= year):
        return year
    return None


def _names_event(ctx: Context, m: Match) -> bool:
    """A date used as a noun modifier names something that happened ("the July 31
    assassination")."""
    nxt = ctx.tokens.after(m.end())
    return nxt is not None and nxt.pos_ == "NOUN" and nxt.idx - m.end() <= 1


def _is_modal(ctx: Context, char: int) -> bool:
    tok = ctx.tokens.at(char)
    return tok is not None and (tok.tag_ == "MD" or tok.pos_ in ("VERB", "AUX"))


def month_name(m: Match, ctx: Context) -> Found | None:
    mon_text = m["mon"]
    month = month_number(mon_text)
    if month is None:
        return None
    tok = ctx.tokens.at(m.start("mon"))
    if tok is not None:
        if tok.tag_ == "MD" or tok.pos_ in ("VERB", "AUX"):
            return None
        if tok.ent_type_ in ("PERSON", "ORG", "FAC", "WORK_OF_ART") and tok.ent_iob_ != "O":
            ent = next((e for e in ctx.tokens.doc.ents if e.start <= tok.i < e.end), None)
            if ent is not None and len(ent) > 1 and ent.label_ != "DATE":
                return None
    if followed_by_name(ctx, m.end()) or re.match(r"\s+\d{1,2}\b", ctx.text[m.end():m.end() + 4]):
        return None  # a day number follows: the calendar rule read (or refused) the date
    rel = lower_group(m, "rel")
    mod = period_mod(lower_group(m, "mod"))
    if mon_text in lookups()["ambiguous_months"] and not rel and not mod:
        prev = ctx.tokens.before(m.start())
        nxt = ctx.tokens.after(m.end())
        attributive = (prev is not None and prev.lower_ == "the" and nxt is not None
                       and nxt.pos_ == "NOUN")  # "the March accession"
        if not attributive and (prev is None or prev.lower_ not in MONTH_PREPS):
            return None
    if _preceded_by_title(ctx, m.start("mon")):
        return None
    anchor = year_anchor(ctx)
    rely = lower_group(m, "rely")
    if anchor is None:
        return Found(None, "date", None, mod=mod)
    if rely:
        if ctx.published is None:
            return Found(None, "date", None, mod=mod, deictic=True)
        year = ctx.published.year + {"last": -1, "this": 0, "next": 1}[rely]
        point = Point(dt.date(year, month, 1), "month")
        return Found(point.value(), "date", "published", mod=mod, point=point, deictic=True)
    if rel and ctx.published is None:
        return Found(None, "date", None, mod=mod, deictic=True)
    if rel:
        step = lexicon()["relative_words"].get(re.sub(r"\s+", " ", rel), 0)
        if step < 0:
            # "last April" said in October is this year's; "last February" said in March is
            # a year back (the month just gone would be "last month").
            point = timex.month_near(timex.add_months(anchor.replace(day=1), -2), month, -1)
        elif step > 0:
            point = timex.month_near(timex.add_months(anchor.replace(day=1), 2), month, 1)
        else:
            point = Point(dt.date(anchor.year, month, 1), "month")
        return Found(point.value(), "date", "published", mod=mod, point=point, deictic=True)
    context_year = ctx.context_year(month, None)
    if context_year is not None and context_year != anchor.year:
        point = Point(dt.date(context_year, month, 1), "month")
        return Found(point.value(), "date", "narrative", mod=mod, point=point)
    point = timex.month_near(anchor, month, direction_of(ctx, m, weak=False))
    return Found(point.value(), "date", "published", mod=mod, point=point)


def _preceded_by_title(ctx: Context, char: int) -> bool:
    """"Theresa May", "Mrs. May", "General March": a capitalised word (not a sentence start, not
    a time word) right before a month name makes it a surname."""
    prev = ctx.tokens.before(char)
    if prev is None or not prev.text[:1].isupper() or prev.is_sent_start:
        return False
    if prev.lower_ in MONTH_PREPS or month_number(prev.text) or weekday_number(prev.text):
        return False
    return prev.pos_ == "PROPN" or prev.text.rstrip(".") in ("Mr", "Mrs", "Ms", "Dr")


_YEAR_FRAMES = frozenset({"in", "since", "until", "till", "by", "during", "before", "after",
                          "from", "through", "of", "for", "to", "circa", "around"})


def _looks_like_count(ctx: Context, m: Match, start: int, end: int) -> bool:
    """A four-digit number that counts or identifies things rather than naming a year."""
    prev = ctx.tokens.before(start)
    if prev is not None and prev.lower_ in lookups()["count_nouns"]:
        return True
    nxt = ctx.tokens.after(end)
    # "the 1992 protests", "fiscal 1989 sales", "in 1990": a year before a plural noun
    framed = m["fis"] or (prev is not None and (prev.lower_ in _YEAR_FRAMES or prev.tag_ in (
        "DT", "PRP$", "POS") or prev.lower_ in ("'s", "\u2019s")))
    if nxt is not None and nxt.idx - end <= 1:
        if nxt.tag_ in ("NNS", "NNPS") and not framed:
            return True
        if nxt.lower_ in ("%", "percent", "per"):
            return True
        if nxt.text[:1].isdigit() or nxt.lower_ in ("million", "billion", "thousand"):
            return True
    if re.match(r"[-\u2010\u2011][A-Za-z]", ctx.text[end:end + 2]):
        return True  # "a 2000-metre race", "a 1500-strong force"
    return prev is not None and prev.text[:1] in "$\u00a3\u20ac#"


def year_name(m: Match, ctx: Context) -> Found | None:
    year_text = m["year"]
    year = year_value(year_text)
    if year is None:
        return None
    if _looks_like_count(ctx, m, m.start("year"), m.end("year")):
        return None
    prev = ctx.tokens.before(m.start())
    spoken = not year_text[:1].isdigit()
    # "nineteen ninety-six" can only be a year; "two thousand" may be a count.
    two_part = spoken and not year_text.lower().startswith("two")
    if spoken and not two_part and not (m["fis"] or "year" in m.group(0).lower()[:10]) and (
            prev is None or prev.lower_ not in MONTH_PREPS):
        return None
    if year < 1900 and not m["fis"] and (prev is None or prev.lower_ not in MONTH_PREPS):
        return None
    nxt = ctx.tokens.after(m.end("year"))
    if prev is not None and prev.lower_ in ("a", "an") and nxt is not None \
            and nxt.pos_ == "PROPN" and not month_number(nxt.text):
        return None  # "a 2003 Honda Accord": a model year
    if prev is not None and prev.pos_ == "PROPN" and prev.text[:1].isupper() \
            and not prev.is_sent_start and not month_number(prev.text) \
            and prev.idx + len(prev) >= m.start() - 1:
        return None  # "Vision 2030", "Euro 2024": a name with a year in it
    later = lower_group(m, "later")
    mod = period_mod(lower_group(m, "mod"))
    if later:
        mod = "ON_OR_AFTER" if ("later" in later or "beyond" in later or "onward" in later) \
            else "ON_OR_BEFORE"
    point = Point(dt.date(year, 1, 1), "year")
    return Found(point.value(), "date", "absolute", mod=mod, point=point)


def decade_name(m: Match, ctx: Context) -> Found | None:
    mod = period_mod(lower_group(m, "mod"))
    if m["dec"]:
        value = m["dec"][:3]
    else:
        if m["dec2"]:
            tens = int(m["dec2"][0])
        else:
            prev = ctx.tokens.before(m.start())
            if prev is not None and prev.lower_ in ("his", "her", "their", "my", "your", "its"):
                return None  # "in her nineties": an age
            words = "twenties thirties forties fifties sixties seventies eighties nineties"
            tens = words.split().index(m["decw"].lower()) + 2
        century = 19
        if ctx.published and tens * 10 + 1900 > ctx.published.year:
            century = 18
        value = f"{century}{tens}"
    return Found(value, "date", "absolute", mod=mod,
                 point=Point(dt.date(int(value) * 10, 1, 1), "decade"))


def century_name(m: Match, ctx: Context) -> Found | None:
    n = ordinal_value(m["n"])
    if not n or n > 21:
        return None
    mod = period_mod(lower_group(m, "mod"))
    return Found(f"{n - 1:02d}", "date", "absolute", mod=mod,
                 point=Point(dt.date(max((n - 1) * 100, 1), 1, 1), "century"))


def holiday_name(m: Match, ctx: Context) -> Found | None:
    rule = lexicon()["holidays"][re.sub(r"\s+", " ", m["name"].lower()).replace("\u2019", "'")]
    if followed_by_name(ctx, m.end()):
        return None
    nxt = ctx.tokens.after(m.end())
    if nxt is not None and nxt.text[:1].isupper() and nxt.pos_ == "PROPN" \
            and nxt.idx - m.end() <= 1:
        return None  # "Easter Island", "Christmas Island"
    year_text = m["year"]
    anchor = year_anchor(ctx)

    def on(year: int) -> dt.date:
        if rule.startswith("easter"):
            return timex.easter(year) + dt.timedelta(days=int(rule[6:] or 0))
        if rule.count(":") == 2:
            month, weekday, n = (int(x) for x in rule.split(":"))
            return timex.nth_weekday(year, month, weekday, n)
        month, day = (int(x) for x in rule.split("-"))
        return dt.date(year, month, day)

    if year_text:
        point = timex.at(on(int(year_text[:4])), "day")
        return Found(point.value(), "date", "absolute", point=point)
    if anchor is None:
        return Found(None, "date", None)
    rel = lower_group(m, "rel")
    direction = {"last": -1, "next": 1}.get(rel or "")
    if direction is None:
        direction = direction_of(ctx, m, weak=False)
    options = [on(y) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
    past = [d for d in options if d <= anchor]
    future = [d for d in options if d >= anchor]
    if direction < 0:
        when = past[-1]
    elif direction > 0:
        when = future[0]
    else:
        when = min(past[-1], future[0], key=lambda d: abs((d - anchor).days))
    point = timex.at(when, "day")
    return Found(point.value(), "date", "published", point=point)


def season_name(m: Match, ctx: Context) -> Found | None:
    code = lexicon()["seasons"][m["season"].lower()]
    rel = lower_group(m, "rel")
    rel = re.sub(r"\s+", " ", rel) if rel else None
    mod = period_mod(lower_group(m, "mod")) or period_mod(lower_group(m, "mod2"))
    year_text = m["year"]
    if year_text:
        year = year_value(year_text)
        if year is None:
            return None
        point = timex.season(year, code)
        return Found(point.value(), "date", "absolute", mod=mod, point=point)
    if (not rel or rel == "the") and not mod:
        # A bare season is often generic ("harsh winters"); after a preposition of time
        # ("in the summer", "into the spring") it is this year's or the last one.
        prev = ctx.tokens.before(m.start())
        if prev is None or prev.lower_ not in ("in", "during", "by", "until", "since", "over",
                                               "through", "throughout", "into", "till",
                                               "before", "after"):
            return None
        nxt = ctx.tokens.after(m.end())
        if nxt is not None and nxt.lower_ == "of":
            return None
    if ctx.published is None:
        return Found(None, "date", None, mod=mod, deictic=True)
    step = lexicon()["relative_words"].get(rel or "", 0)
    direction = step if step else (0 if rel == "this" else direction_of(ctx, m, weak=False))
    point = timex.season_near(ctx.published, code, direction)
    return Found(point.value(), "date", "published", mod=mod, point=point, deictic=True)
