"""When an event happened, and which words say so (``date_span``, ``date_source``):

1. ``clause``: the time expression of the event's own clause ("on Saturday, gunmen opened fire");
   ``sentence``: else the nearest in its sentence, never one in a clause or phrase told of another
   event ("announced hours after an ambush on Saturday": Saturday is the ambush's);
2. ``narrative``: else the date the story gives it through another dated event, a mention of the
   same event told with its date ("the March 16 strike" after "last week's strike") or an
   interval from one ("the withdrawal came a day after four soldiers were killed": the day
   before the withdrawal);
3. ``dateline``: else, for the lead only, the date of the dateline ("MOSCOW, January 12 --").

No date rather than a guess: dates are not carried over between unrelated sentences and never
default to the publication date.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from typing import TYPE_CHECKING

from triangulate import datafiles
from triangulate.analyze.events.candidate import Candidate
from triangulate.analyze.events.lexicon import cue_words
from triangulate.analyze.events.parse import ancestors, clause_verb, relative_clauses, verb_lemma

if TYPE_CHECKING:
    from triangulate.analyze.events.article import ArticleContext


DATE_VALUE = re.compile(r"^\d{4}(?:-W\d{2}|-\d{2}(?:-\d{2})?)?")
_EVENT_ANCHORED = re.compile(r"\b(?:after|before)\s+\w", re.I)
_DAY_MONTH = re.compile(r"\b(?:(?P<d1>\d{1,2})\s+(?P<m1>[A-Za-z]{3,9})\.?|(?P<m2>[A-Za-z]{3,9})\.?"
                        r"\s+(?P<d2>\d{1,2})\b)(?:,?\s+(?P<y>\d{4}))?")


def attach_date(cand: Candidate, art: ArticleContext, window_start: int) -> None:
    """The time expression of the event's own clause, else the one nearest the trigger in its
    sentence. No date rather than a guess: dates are not carried over from other sentences,
    and never default to the publication date."""
    sent = cand.sent
    pivot = cand.trigger.idx
    # "said on 25 March, nine days after the strike": a time outside the interval the event
    # is told in dates the clause the interval hangs on, not the event.
    inside = [region for _s, _e, _d, region, _h in _intervals(sent)
              if region[0] <= pivot < region[1]]
    best = None
    above: set[int] | None = None
    own_clauses: set[int] = set()
    for t in art.times[bisect.bisect_left(art.time_starts, window_start):]:
        if t.start >= sent.end_char:
            break
        if t.start <= pivot < t.end:
            continue  # "two days after an Israeli strike" dates something else by this event
        if t.anchor == "narrative" and _EVENT_ANCHORED.search(t.text):
            # "two days after an Israeli strike" counted from the story's last date, not the
            # strike's: see date_by_narrative
            continue
        if any(not region[0] <= t.start < region[1] for region in inside):
            continue
        if art.in_dateline(t.start):
            # "MOSCOW, January 12 (Agency) — Russia condemned the overnight strikes": the
            # filing date frames the lead's undated events, and only when nothing in the
            # sentence itself dates them.
            key = (2, 0, abs(t.start - pivot))
            if best is None or key < best[0]:
                best = (key, t)
            continue
        span = art.doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is not None:
            if above is None:
                above = ancestors(cand.trigger) | ancestors(cand.head)
                # "the invasion Russia launched on February 24": a clause telling the event
                own_clauses = {cand.trigger.i, cand.head.i} | {
                    c.head.i for c in relative_clauses(cand.trigger)
                    if (verb_lemma(c), "V", "event") in art.lex.compose}
            if _in_other_clause(span.root, above, own_clauses,
                                art.lex.cues["anchor_preps"]):
                continue
        verb = clause_verb(span.root) if span is not None else None
        own = verb is not None and verb.i == clause_verb(cand.head).i
        # among the clauses above the event, the nearest up its path dates it: "declared
        # mourning on Wednesday after nine soldiers were killed when militants attacked ...
        # on Tuesday": the attack is the killing's, of Tuesday, not the declaration's
        key = (0 if own else 1, _steps_up(cand.head, verb), abs(t.start - pivot))
        if best is None or key < best[0]:
            best = (key, t)
    lead = art.dateline_date
    if best is None and lead is not None and window_start <= lead[0] < sent.end_char:
        # "MOSCOW, January 12 (Agency) — Russia condemned the overnight strikes": the filing
        # date frames the lead's undated events (the times stage leaves datelines out).
        set_date(cand, lead[2])
        cand.date_span, cand.date_source = (lead[0], lead[1]), "dateline"
    if best is not None:
        rank, found = best[0][0], best[1]
        if set_date(cand, found.value):
            cand.date_span = (found.start, found.end)
            cand.date_source = ("clause", "sentence", "dateline")[rank]


def _steps_up(tok, verb) -> int:
    """How many heads up from ``tok`` ``verb`` is (99: not above it)."""
    t = tok
    for steps in range(14):
        if verb is not None and t.i == verb.i:
            return steps
        if t.head.i == t.i:
            break
        t = t.head
    return 99


def dateline_date(text: str, dateline: tuple[int, int] | None,
                  published: dt.date | None) -> tuple[int, int, str] | None:
    """(start, end, YYYY-MM-DD) of the day a dateline gives ("GENEVA, 9 June 2024 --",
    "MOSCOW, January 12 (Agency) --"), its year from the dateline or else the publication's."""
    if dateline is None:
        return None
    months = _months()
    for m in _DAY_MONTH.finditer(text, dateline[0], dateline[1]):
        month = months.get((m["m1"] or m["m2"]).lower())
        year = int(m["y"]) if m["y"] else (published.year if published else None)
        if month is None or year is None:
            continue
        try:
            day = dt.date(year, month, int(m["d1"] or m["d2"]))
        except ValueError:
            continue
        return m.start(), m.end(), day.isoformat()
    return None


@functools.cache
def _months() -> dict[str, int]:
    """Month names and abbreviations, as the times stage reads them."""
    lex = datafiles.load_json("times", "lexicon.json")
    return {**lex["months"], **lex["month_abbreviations"]}


_SUBORDINATE = frozenset({"advcl", "relcl", "acl", "ccomp", "csubj", "parataxis"})


def _in_other_clause(root, above: set[int], own: set[int], anchors) -> bool:
    """Does a time expression sit in a clause or phrase told of another event, below where
    it meets the event's own path to the root? "announced hours after an ambush on
    Saturday", "since the ground offensive began in late October": the date is the ambush's
    and the offensive's. A bare anchored date ("since Friday", "before Sunday") still dates
    the clause it modifies, and a relative clause on the event noun describes the event
    itself ("the raid, which began on Saturday")."""
    prev, t = root, root
    for _ in range(14):
        if t.i in above:
            return False
        if t is not root:
            if t.dep_ in _SUBORDINATE and t.pos_ in ("VERB", "AUX") and not (
                    t.dep_ in ("relcl", "acl") and t.head.i in own):
                return True
            if t.dep_ == "prep" and t.lower_ in anchors and prev is not root:
                return True
        if t.head.i == t.i:
            return False
        prev, t = t, t.head
    return False


def set_date(cand: Candidate, value: str) -> bool:
    match = DATE_VALUE.match(value)
    if not match:
        return False
    text = match.group(0)
    cand.date = text
    cand.precision = precision_of(text)
    return True


def precision_of(value: str) -> str | None:
    return "week" if "W" in value else {10: "day", 7: "month", 4: "year"}.get(len(value))


def finer(coarse: str, fine: str) -> bool:
    """Is day ``fine`` inside the week, month or year ``coarse`` ("2022-03-16" in "2022-W11")?"""
    if len(fine) != 10 or precision_of(coarse) in (None, "day"):
        return False
    if "W" in coarse:
        try:
            year, week, _day = dt.date.fromisoformat(fine).isocalendar()
        except ValueError:
            return False
        return coarse == f"{year}-W{week:02d}"
    return fine.startswith(coarse)


def date_by_narrative(events: list[Candidate], art: ArticleContext) -> None:
    """"The withdrawal came a day after four soldiers were killed in an ambush", "the council
    said on 25 March, nine days after the strike": an event dated by its interval from a
    dated event or a dated clause. The interval's words are its evidence; it dates an event
    that has no date of its own, or only a week or month that holds the day."""
    doc = art.doc
    for sent in doc.sents:
        for start, end, days, region, hang in _intervals(sent):
            base = _anchor_date(hang, events, art)
            if base is None:
                continue
            day = (dt.date.fromisoformat(base) + dt.timedelta(days=days)).isoformat()
            for other in events:
                if not any(region[0] <= o < region[1]
                           for o in [other.trigger.idx, *other.mentions]):
                    continue
                if other.date is None or other.date_source == "dateline" or finer(
                        other.date, day):
                    set_date(other, day)
                    other.date_span = (start, end)
                    other.date_source = "narrative"


def _anchor_date(hang, events: list[Candidate], art: ArticleContext) -> str | None:
    """The day of the clause an interval hangs on: a day-dated event told in it ("the
    withdrawal came a day after ..."), else a day in the clause itself ("said on 25 March,
    nine days after ...")."""
    verb = clause_verb(hang)
    doc = art.doc
    for anchor in events:
        if anchor.precision != "day":
            continue
        for offset in [anchor.trigger.idx, *anchor.mentions]:
            span = doc.char_span(offset, offset + 1, alignment_mode="expand")
            if span is not None and len(span) and clause_verb(span.root).i == verb.i:
                return anchor.date
    # The clause itself, then the clause it hangs from: the parser often attaches the
    # interval to the reported clause ("said on 25 March, nine days after the strike, that
    # 300 people had died").
    clauses = [verb.i]
    if verb.dep_ in ("advcl", "ccomp") and verb.head.i != verb.i:
        clauses.append(clause_verb(verb.head).i)
    for clause in clauses:
        for t in art.times[bisect.bisect_left(art.time_starts, verb.sent.start_char):]:
            if t.start >= verb.sent.end_char:
                break
            if len(t.value or "") != 10 or _EVENT_ANCHORED.search(t.text):
                continue
            span = doc.char_span(t.start, t.end, alignment_mode="expand")
            if span is not None and len(span) and clause_verb(span.root).i == clause:
                return t.value
    return None


def _intervals(sent):
    """(start, end, days, (region start, region end), hang) of each "<n days> after/before
    <event>" in a sentence: the words that give the interval, the days from the anchor to the
    other event (negative: it was earlier), where the other event is told and the token the
    interval modifies."""
    units = cue_words("interval_units")
    numbers = cue_words("number_words")
    doc = sent.doc
    for tok in sent:
        if tok.lower_ not in ("after", "before") or tok.i < 1:
            continue
        unit = doc[tok.i - 1]
        days = units.get(unit.lemma_.lower())
        if days is None:
            continue
        k = unit.i - 1
        count = 1
        if k >= sent.start and (doc[k].like_num or doc[k].lower_ in numbers):
            count = numbers.get(doc[k].lower_) or _int(doc[k].text)
        elif k >= sent.start and doc[k].lower_ == "the":
            count = 1  # "the day after"
        else:
            k += 1
        if count is None:
            continue
        sign = -1 if tok.lower_ == "after" else 1
        # "a day after the strike" (a preposition) or "a day after soldiers were killed" (a
        # subordinate clause, "after" its marker): the other event is told in what follows,
        # and the interval hangs on the clause above.
        told = tok.head if tok.dep_ == "mark" else tok
        hang = told.head
        region = (tok.idx, told.right_edge.idx + len(told.right_edge.text))
        yield doc[k].idx, tok.idx + len(tok.text), sign * count * days, region, hang


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None
