"""Where the article names an issue of the negotiation (issues.tsv), and which issue a stance
without one is about (the context)."""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass

from triangulate.analyze.positions.lexicon import Lexicon

# "needs" words are looked for this many tokens either side of the phrase: a clause, roughly.
_NEED_WINDOW = 10
# A stance on "the deal" takes the last issue named at most this many sentences before it.
_CONTEXT_SENTENCES = 4
# The article's most named issue stands for the deal it discusses when named this often.
_MAIN_MENTIONS = 2


@dataclass(frozen=True)
class IssueHit:
    start: int  # token index of the first word
    end: int  # token index after the last word
    issue: str
    context: bool  # may tell what a nearby stance on "the deal" is about


class IssueIndex:
    """Every issue phrase of one Doc, in token order."""

    def __init__(self, doc, lex: Lexicon, lemmas, starts: list[int], place_tokens: set[int],
                 force_tokens: set[int], sent_starts: list[int]):
        """``starts``: token indices whose lemma (or lower form) can open an issue phrase."""
        self.lex = lex
        self.hits: list[IssueHit] = []
        self.sent_starts = sent_starts
        after = 0
        for i in starts:
            if i < after:
                continue
            hit = self._match(doc, lemmas, i, place_tokens, force_tokens)
            if hit is not None:
                self.hits.append(hit)
                after = hit.end
        self._starts = [h.start for h in self.hits]
        self._telling = [h for h in self.hits if h.context]
        self._telling_starts = [h.start for h in self._telling]
        # Counted once per sentence: "the return of displaced families" names one issue.
        counts = Counter(issue for _, issue in {
            (bisect.bisect_right(sent_starts, h.start), h.issue) for h in self._telling})
        first = {}
        for h in self._telling:
            first.setdefault(h.issue, h.start)
        # Ties go to the issue the article names first: its lead says what the talks are about.
        top = max(counts, key=lambda k: (counts[k], -first[k])) if counts else None
        # One mention far away ("jailed" in a story about a loan) says nothing of the talks.
        self.main = top if top is not None and counts[top] >= _MAIN_MENTIONS else None
        self.deal: str | None = None

    def name_deals(self, doc, deal_tokens: list[int]) -> None:
        """What the article calls its deal: the issue that modifies its deal and talks nouns
        most ("the cease-fire agreement", "hostage talks", "a proposal for a truce"). Where
        it says, "the deal" and "the mediators" of the article are about that, however
        often a paragraph lists the terms (the withdrawal, the prisoners)."""
        counts: Counter = Counter()
        first: dict[str, int] = {}
        for i in deal_tokens:
            tok = doc[i]
            if tok.pos_ not in ("NOUN", "PROPN"):
                continue
            near = {t.i for c in tok.children if c.i < tok.i and c.dep_ in ("compound", "amod", "nmod")
                    for t in c.subtree}
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("for", "on", "over"):
                    near |= {t.i for t in c.subtree}
            for hit in self.in_tokens(near):
                counts[hit.issue] += 1
                first.setdefault(hit.issue, i)
        if counts:
            self.deal = max(counts, key=lambda k: (counts[k], -first[k]))

    def _match(self, doc, lemmas, i, place_tokens, force_tokens) -> IssueHit | None:
        phrases = self.lex.issues.get(lemmas[i]) or self.lex.issues.get(doc[i].lower_)
        if not phrases:
            return None
        for phrase in phrases:  # longest first
            end = _phrase_end(doc, lemmas, i, phrase.words)
            if end is None:
                continue
            if phrase.needs and not _needs_met(lemmas, i, end, phrase.needs, place_tokens,
                                               force_tokens):
                continue
            return IssueHit(i, end, phrase.issue, phrase.context)
        return None

    def within(self, start: int, end: int) -> list[IssueHit]:
        """Hits inside tokens [start, end)."""
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_left(self._starts, end)
        return [h for h in self.hits[lo:hi] if h.end <= end]

    def in_tokens(self, tokens: set[int]) -> list[IssueHit]:
        """Hits whose first word is one of ``tokens`` (a phrase's subtree, say)."""
        if not tokens:
            return []
        found = self.within(min(tokens), max(tokens) + 1)
        return [h for h in found if h.start in tokens]

    def context(self, at: int, skip: set[int] | frozenset[int] = frozenset()) -> str | None:
        """The issue a stance at token ``at`` without one of its own is about: "the deal",
        "the talks" and "the mediators" of an article are those of the deal it names (see
        ``name_deals``), else of the issue it names most; without either, the last telling
        issue named shortly before it, else the first after it in the same sentence. Hits starting on ``skip`` tokens (the stance's own condition
        list) do not count."""
        if self.deal is not None or self.main is not None:
            return self.deal or self.main
        hits = [h for h in self._telling if h.start not in skip] if skip else self._telling
        starts = [h.start for h in hits] if skip else self._telling_starts
        k = bisect.bisect_left(starts, at) - 1
        here = bisect.bisect_right(self.sent_starts, at) - 1
        if k >= 0:
            hit = hits[k]
            if here - (bisect.bisect_right(self.sent_starts, hit.start) - 1) <= _CONTEXT_SENTENCES:
                return hit.issue
        if k + 1 < len(hits):
            nxt = hits[k + 1]
            if bisect.bisect_right(self.sent_starts, nxt.start) - 1 == here:
                return nxt.issue
        return None


def _phrase_end(doc, lemmas, i: int, words: tuple[str, ...]) -> int | None:
    """Token index after ``words`` read from token i, hyphens skipped ("cease-fire")."""
    j, n = i, len(doc)
    for w in words:
        while j < n and j > i and doc[j].text == "-":
            j += 1
        if j >= n or (lemmas[j] != w and doc[j].lower_ != w):
            return None
        j += 1
    return j


def _needs_met(lemmas, start, end, needs, place_tokens, force_tokens) -> bool:
    lo, hi = max(0, start - _NEED_WINDOW), min(len(lemmas), end + _NEED_WINDOW)
    window = range(lo, hi)
    if any(k in place_tokens for k in window if not start <= k < end) and "@place" in needs:
        return True
    if any(k in force_tokens for k in window if not start <= k < end) and "@force" in needs:
        return True
    for k in range(lo, hi):
        if start <= k < end:
            continue
        if lemmas[k] in needs:
            return True
    return False


def specific(issues: list[str], rank: dict[str, int]) -> list[str]:
    """Distinct issues, most specific first, without ceasefire when another is there (a
    demand "that any cease-fire lead to an end to the war" is about ending the war)."""
    out = sorted(dict.fromkeys(issues), key=lambda i: rank.get(i, 99))
    if len(out) > 1 and "ceasefire" in out:
        out.remove("ceasefire")
    return out
