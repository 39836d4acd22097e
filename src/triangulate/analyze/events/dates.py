"""When an event happened: the time expression of its own clause, else the nearest in its
sentence, never one that dates another event there; the dateline's date only for the lead's
undated events.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from triangulate.analyze.events.candidate import Candidate
from triangulate.analyze.events.parse import ancestors, clause_verb

if TYPE_CHECKING:
    from triangulate.analyze.events.article import ArticleContext


DATE_VALUE = re.compile(r"^\d{4}(?:-W\d{2}|-\d{2}(?:-\d{2})?)?")


def attach_date(cand: Candidate, art: ArticleContext, window_start: int) -> None:
    """The time expression of the event's own clause, else the one nearest the trigger in its
    sentence. No date rather than a guess: dates are not carried over from other sentences,
    and never default to the publication date."""
    sent = cand.sent
    pivot = cand.trigger.idx
    best = None
    above: set[int] | None = None
    for t in art.times:
        if t.start < window_start:
            continue
        if t.start >= sent.end_char:
            break
        if t.start <= pivot < t.end:
            continue  # "two days after an Israeli strike" dates something else by this event
        if art.in_dateline(t.start):
            # "MOSCOW, January 12 (Agency) — Russia condemned the overnight strikes": the
            # filing date frames the lead's undated events, and only when nothing in the
            # sentence itself dates them.
            key = (2, abs(t.start - pivot))
            if best is None or key < best[0]:
                best = (key, t)
            continue
        span = art.doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is not None:
            if above is None:
                above = ancestors(cand.trigger) | ancestors(cand.head)
            if _in_other_clause(span.root, above, {cand.trigger.i, cand.head.i},
                                art.lex.cues["anchor_preps"]):
                continue
        own = span is not None and clause_verb(span.root).i == clause_verb(cand.head).i
        key = (0 if own else 1, abs(t.start - pivot))
        if best is None or key < best[0]:
            best = (key, t)
    if best is not None:
        _set_date(cand, best[1].value)


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


def _set_date(cand: Candidate, value: str) -> None:
    match = DATE_VALUE.match(value)
    if not match:
        return
    text = match.group(0)
    cand.date = text
    if "W" in text:
        cand.precision = "week"
    else:
        cand.precision = {10: "day", 7: "month", 4: "year"}.get(len(text))
