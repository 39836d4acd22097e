"""Expressions counted from the moment of publication: "yesterday", "on Sunday",
"last week", "the weekend", "by year-end", "recently"."""

from __future__ import annotations

import datetime as dt
import re

from triangulate.analyze import timex
from triangulate.analyze.times.context import (
    Context,
    Found,
    Match,
    after_deadline_word,
    direction_of,
    followed_by_name,
    lower_group,
    narrative_base,
    sentence_initial,
    with_part,
)
from triangulate.analyze.times.grammar import marked_future, settled_past, verb_tense
from triangulate.analyze.times.lexicon import (
    DAY_MODS,
    lexicon,
    lookups,
    period_mod,
    weekday_number,
)
from triangulate.analyze.timex import Point


def deictic_day(m: Match, ctx: Context) -> Found | None:
    word = m["word"].lower()
    if m["word"][0].isupper() and not m["mod"] and not sentence_initial(ctx, m.start("word")):
        return None  # "USA Today", "This Morning": a title
    prev = ctx.tokens.before(m.start())
    if word == "tomorrow" and prev is not None and prev.lower_ == "of":
        return None  # "the people of tomorrow": the future in general
    part = lower_group(m, "part")
    mod = DAY_MODS.get(lower_group(m, "mod") or "")
    typ = "time" if part else "date"
    if word in ("this", "last"):
        offset = -1 if (word == "last" and part in ("night", "evening")) else 0
        if word == "last" and part in ("morning", "afternoon"):
            return None  # "the last morning of ..." is not deictic
    else:
        offset = lexicon()["deictic_days"][word]
        if word == "tonight":
            part = "night"
            typ = "time"
    if ctx.published is None:
        return Found(None, typ, None, mod=mod, deictic=True)
    point = with_part(timex.at(ctx.published + dt.timedelta(days=offset), "day"), part)
    return Found(point.value(), typ, "published", mod=mod, point=point, deictic=True)


def weekday_name(m: Match, ctx: Context) -> Found | None:
    weekday = weekday_number(m["wd"])
    if weekday is None:
        return None
    if followed_by_name(ctx, m.end("wd")) or followed_by_name(ctx, m.end()):
        return None  # "Sunday Times", "Saturday Night Live"
    prev = ctx.tokens.before(m.start())
    if prev is not None and prev.text in lookups()["weekday_names"] \
            and prev.idx + len(prev) >= m.start() - 1:
        return None
    rel = lower_group(m, "rel")
    part = lower_group(m, "part")
    mod = DAY_MODS.get(lower_group(m, "mod") or "")
    typ = "date"
    rel = re.sub(r"\s+", " ", rel) if rel else None
    narrative = rel in ("that", "the following", "the next", "the previous", "the preceding",
                        "the prior")
    if narrative:
        base = ctx.ref_day
        if base is None:
            return Found(None, typ, None, mod=mod)
        direction = 1 if rel in ("the following", "the next") else -1
        start = base.day + dt.timedelta(days=direction)
        if rel == "that":
            start, direction = base.day, 0
        point = with_part(timex.at(timex.weekday_near(start, weekday, direction), "day"), part)
        return Found(point.value(), typ, "narrative", mod=mod, point=point)
    if ctx.published is None:
        return Found(None, typ, None, mod=mod, deictic=True)
    pub = ctx.published
    if rel:
        step = lexicon()["relative_words"].get(rel, 0)
        if step < 0:
            when = timex.weekday_near(pub - dt.timedelta(days=1), weekday, -1)
        elif step > 0:
            when = timex.weekday_near(pub + dt.timedelta(days=1), weekday, 1)
        else:
            when = timex.weekday_near(pub, weekday, direction_of(ctx, m) or 1)
    else:
        direction = _possessive_direction(ctx, m)
        if direction is None:
            direction = direction_of(ctx, m)
        if direction == 0:
            # News reports more than it announces; a deadline ("by Friday") looks ahead,
            # unless the clause is a settled past ("the railway station, until Friday the
            # main departure point, remained closed").
            direction = 1 if after_deadline_word(ctx, m) and not _past_clause(ctx, m) \
                else -1
        when = timex.weekday_near(pub, weekday, direction)
    point = with_part(timex.at(when, "day"), part)
    return Found(point.value(), typ, "published", mod=mod, point=point, deictic=True)


def _past_clause(ctx: Context, m: Match) -> bool:
    verb = ctx.tokens.clause_verb(m.start(), m.end())
    return verb is not None and settled_past(verb)


_POSSESSIVE = re.compile(r"['\u2019]s\b")


def _possessive_direction(ctx: Context, m: Match) -> int | None:
    """"Friday's strike": a weekday possessing an event noun names the day on or before
    publication, unless the event is marked as ahead: a prospective modifier ("Friday's
    planned vote"), a future clause around an arranged event ("will boycott Tuesday's vote";
    not "will investigate Friday's strike"), or a deadline word in a clause that is not past
    ("ahead of Friday's vote"). None when the weekday is no possessive."""
    if not _POSSESSIVE.match(ctx.text, m.end()):
        return None
    noun = ctx.tokens.after(m.end() + 2)
    day = ctx.tokens.at(m.start("wd"))
    if day is not None and day.dep_ == "poss" and day.head.i > day.i:
        noun = day.head
    if noun is None:
        return -1
    modifiers = lookups()["prospective_modifiers"]
    between = ctx.tokens.span_tokens(m.end(), noun.idx + len(noun))
    if any(t.lower_ in modifiers for t in between) or any(
            c.lower_ in modifiers for c in noun.children if c.dep_ in ("amod", "compound")):
        return 1
    verb = ctx.tokens.clause_verb(noun.idx, noun.idx + len(noun))
    if verb is None:
        return -1
    if noun.lower_ in lookups()["scheduled_nouns"] and marked_future(verb):
        return 1
    direction, strong = verb_tense(verb)
    if after_deadline_word(ctx, m) and not (direction < 0 and strong):
        return 1
    return -1


_NARRATIVE_REL = frozenset({"the following", "the previous", "the preceding", "the prior",
                            "the subsequent"})


def rel_unit(m: Match, ctx: Context) -> Found | None:
    rel = re.sub(r"\s+", " ", m["rel"].lower())
    unit = m["unit"].lower()
    modword = lower_group(m, "mod")
    mod = period_mod(modword)
    if modword == "later" and rel == "this":
        mod = "END"
    step = lexicon()["relative_words"].get(rel, 0)
    if m["unit"][0].isupper():
        return None  # "This Week", "Next Year in Jerusalem": a title
    if rel in ("the last", "the next", "the past") and unit in ("week", "month"):
        return None  # "the last week" is usually a stretch of seven days: a duration
    narrative = rel in _NARRATIVE_REL
    if rel == "the next" and unit in ("day",):
        narrative = True
    base = narrative_base(ctx, unit) if narrative else ctx.pub_point()
    if base is None:
        return Found(None, "date", None, mod=mod, deictic=not narrative)
    if unit == "weekend":
        point = _weekend(base.day, step, ctx, m)
    elif unit == "quarter" and rel in ("the latest", "latest"):
        point = timex.shift(timex.at(base.day, "quarter"), -1, "quarter")
    else:
        point = timex.shift(timex.at(base.day, unit), step, unit)
    anchor = "narrative" if narrative else "published"
    return Found(point.value(), "date", anchor, mod=mod, point=point,
                 deictic=not narrative, remember=not narrative)


def _weekend(day: dt.date, step: int, ctx: Context, m: Match) -> Point:
    """The weekend ``step`` weekends from the one of ``day``'s week; for step 0 ("the
    weekend") the tense picks the one just past or the one coming."""
    current = timex.at(day, "weekend")
    if step:
        return timex.shift(current, step, "week")
    if day.weekday() >= 5:
        return current
    direction = direction_of(ctx, m)
    before = ctx.text[max(0, m.start() - 12):m.start()].lower()
    if "ahead of" in before or "until" in before:
        direction = 1
    return current if direction > 0 else timex.shift(current, -1, "week")


def the_unit(m: Match, ctx: Context) -> Found | None:
    """"the year", "the week", "the weekend": the current one, or for "the weekend" the one
    the tense points at."""
    unit = m["unit"].lower()
    det = m["det"].lower()
    if m["unit"][0].isupper():
        return None  # a title
    if ctx.text[m.end():m.end() + 1] in ("-", "\u2010", "\u2011"):
        return None  # "the year-ago results", "the week-long siege"
    if unit != "weekend" and det == "the":
        nxt = ctx.tokens.after(m.end())
        prev = ctx.tokens.before(m.start())
        if nxt is not None and nxt.lower_ in ("of", "before", "after", "when", "that", "in"):
            return None  # "the year of the coup", "the week before"
        if prev is not None and prev.lower_ in ("a", "per", "every", "each"):
            return None
    if ctx.published is None:
        return Found(None, "date", None, deictic=True)
    if unit == "weekend":
        point = _weekend(ctx.published, 0, ctx, m)
    else:
        point = timex.at(ctx.published, unit)
    return Found(point.value(), "date", "published", point=point, deictic=True)


def year_end(m: Match, ctx: Context) -> Found | None:
    if ctx.published is None:
        return Found(None, "date", None, deictic=True)
    word = m["word"].lower()
    grain = "month" if word.startswith("month") else "year"
    point = timex.at(ctx.published, grain)
    mod = "APPROX" if m["around"] else "END"
    return Found(point.value(), "date", "published", mod=mod, point=point, deictic=True,
                 remember=False)


def reference(m: Match, ctx: Context) -> Found | None:
    phrase = re.sub(r"\s+", " ", m["ref"].lower()).replace("\u2019", "'")
    value = lexicon()["reference_words"].get(phrase)
    if value is None:
        return None
    nxt = ctx.tokens.after(m.end())
    last = phrase.split()[-1]
    if last in ("future", "past", "present") and nxt is not None and nxt.idx - m.end() <= 1 \
            and (nxt.lower_ == "of" or nxt.pos_ in ("NOUN", "PROPN", "ADJ")):
        return None  # "the future of Gaza", "the present government"
    return Found(value, "date", None, remember=False)
