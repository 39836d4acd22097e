"""When a stance was taken: a time expression of its own clause (or of the statement that
reports it: "On May 6, Hamas announced that it had accepted"), else the date of the sentence
before when this one follows straight on from it ("Within hours, they were saying the deal
was not what they had been shown"). Never the publication date by default: an undated
position stays undated, as events do."""

from __future__ import annotations

import bisect
import re

from triangulate.model import TimeExpression

_DATE_VALUE = re.compile(r"^\d{4}(?:-W\d{2}|-\d{2}(?:-\d{2})?)?")
_NOUNS = frozenset({"NOUN", "PROPN"})
_CLIMB = 8
# A sequel sentence takes the last date of at most this many sentences before it.
_SEQUEL_REACH = 2


class Dates:
    """Dated time expressions of one article, by sentence."""

    def __init__(self, doc, times: list[TimeExpression], sequels: tuple[tuple[str, ...], ...],
                 deal_nouns: frozenset[str] = frozenset()):
        self.doc = doc
        self.deal_nouns = deal_nouns
        self.times = sorted((t for t in times if t.type in ("date", "time") and t.value
                             and _DATE_VALUE.match(t.value)), key=lambda t: t.start)
        self._starts = [t.start for t in self.times]
        self.sequels = sequels

    def _in(self, start: int, end: int) -> list[TimeExpression]:
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_left(self._starts, end)
        return self.times[lo:hi]

    def date_of(self, cue, sent) -> str | None:
        """The date of the stance whose word is ``cue`` (a token) in sentence ``sent``."""
        found = self._attached(cue, sent)
        if found is not None:
            return found
        if self._sequel(sent):
            return self._before(sent)
        return None

    def _attached(self, cue, sent) -> str | None:
        above = set()
        t = cue
        for _ in range(20):
            above.add(t.i)
            if t.head.i == t.i:
                break
            t = t.head
        best = None
        for time in self._in(sent.start_char, sent.end_char):
            span = self.doc.char_span(time.start, time.end, alignment_mode="expand")
            if span is None:
                continue
            root = span.root
            node = root
            for _ in range(_CLIMB):
                if node.i in above:
                    distance = abs(root.i - cue.i)
                    if best is None or distance < best[0]:
                        best = (distance, time.value)
                    break
                if (node.i != root.i and node.pos_ in _NOUNS and node.ent_type_ not in ("DATE", "TIME")
                        and node.lemma_.lower() not in self.deal_nouns):
                    # "the October 7 attack": the date of something else. A deal's date ("the
                    # draft agreement on Monday") is when a stance on it was taken.
                    break
                if node.head.i == node.i:
                    break
                node = node.head
        return best[1] if best else None

    def _sequel(self, sent) -> bool:
        words = [t.lower_ for t in sent[:4]]
        return any(tuple(words[:len(s)]) == s for s in self.sequels)

    def _before(self, sent) -> str | None:
        doc = self.doc
        start = sent.start
        for _ in range(_SEQUEL_REACH):
            if start == 0:
                return None
            prev = doc[start - 1].sent
            dated = [t for t in self._in(prev.start_char, prev.end_char)
                     if not t.in_quote and len(t.value) >= 10]
            if dated:
                return dated[-1].value[:10]
            start = prev.start
        return None
