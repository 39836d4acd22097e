"""Negotiation positions: who demands, proposes, accepts, rejects, mediates or negotiates
what, and who says so (DESIGN.md "Negotiation positions").

A stance word from ``data/positions/stances.tsv`` ("accepted", "insisted on", "called for",
"mediators", "the proposal drafted by ...") gives a candidate; the parse says whose stance it
is (subject, owner, "by" phrase; a pronoun through the actors stage's references), what it is
about (issue words in its own phrase, else the issue the context is about when the stance is
on "the deal"), and how it is qualified. One module per concern:

* ``lexicon``: the data files;
* ``issues``: where the text names an issue, and the context issue;
* ``parties``: noun phrases to actors, and the side an actor stands for;
* ``reading``: one stance word to a candidate (frames, subjects, scope, negation, modality);
* ``conditions``: condition lists (colon, bulleted, coordinated objects, condition clauses);
* ``dates``: when a stance was taken.

Reported positions belong to their claimant: a stance inside a claim's content is what the
claim's speaker says ("Israel says the deal Hamas accepted is not the one it was shown" is
Hamas's acceptance as Israel tells it, and Israel's own rejection).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
from spacy.attrs import HEAD, LEMMA, LOWER, SENT_START
from spacy.strings import StringStore

from triangulate.analyze.positions import conditions as lists
from triangulate.analyze.positions.dates import Dates
from triangulate.analyze.positions.issues import IssueIndex, specific
from triangulate.analyze.positions.lexicon import Lemmas, Lexicon, lexicon, word_hashes
from triangulate.analyze.positions.parties import Parties
from triangulate.analyze.positions.reading import Cand, Reader
from triangulate.analyze.text import doc_text
from triangulate.model import (
    Actor,
    Claim,
    Condition,
    Event,
    Mention,
    Place,
    Position,
    Quote,
    Span,
    TimeExpression,
)

# A stance names at most this many issues of its own ("a deal on a truce, the hostages and
# aid"); more is a sentence listing the whole war.
_MAX_ISSUES = 3
_MILITARY = frozenset({"military", "security"})
_BE = StringStore().add("be")

__all__ = ["find_positions", "lexicon"]


def find_positions(
    doc,
    actors: list[Actor],
    places: list[Place],
    times: list[TimeExpression],
    claims: list[Claim],
    quotes: list[Quote],
    events: list[Event],
) -> list[Position]:
    """Every negotiation position the article states, in text order."""
    lex = lexicon()
    if len(doc) == 0:
        return []
    arr = doc.to_array([LEMMA, LOWER, HEAD, SENT_START])
    lemma_arr, lower_arr = arr[:, 0], arr[:, 1]
    hits = numpy.flatnonzero(numpy.isin(lemma_arr, word_hashes(lex.cue_lemmas))).tolist()
    # "the deal wasn't what they were shown": a negation whose head is a form of "be".
    heads = numpy.arange(len(doc)) + arr[:, 2].astype(numpy.int64)
    negs = numpy.flatnonzero(numpy.isin(lower_arr, word_hashes(lex.negators)))
    disputes = sorted({int(heads[i]) for i in negs if lemma_arr[heads[i]] == _BE})
    if not hits and not disputes:
        return []
    text = doc_text(doc)
    lemmas = Lemmas(doc)
    sent_starts = numpy.flatnonzero(arr[:, 3] == 1).tolist() or [0]
    if sent_starts[0] != 0:
        sent_starts.insert(0, 0)
    openers = word_hashes(lex.issue_openers)
    issue_starts = numpy.flatnonzero(numpy.isin(lemma_arr, openers)
                                     | numpy.isin(lower_arr, openers)).tolist()
    issues = IssueIndex(doc, lex, lemmas, issue_starts, _tokens_of(doc, places), _tokens_of(
        doc, [a for a in actors if a.kind in _MILITARY]), sent_starts)
    parties = Parties(doc, actors, claims, quotes, lex.spokespeople)
    reader = Reader(doc, lex, issues, parties, lemmas)
    cands = [c for i in hits if (c := reader.read(doc[i])) is not None]
    cands += [c for i in disputes if (c := reader.dispute(doc[i])) is not None]
    if not cands:
        return []
    cands.sort(key=lambda c: c.cue.i)
    for c in cands:
        reader.qualify(c)
    _attach_lists(cands, text, lex, lemmas)
    _fold(cands)
    build = _Builder(doc, text, lex, issues, parties, Dates(doc, times, lex.sequels), events,
                     actors)
    for c in cands:
        if not c.dropped:
            build.add(c)
    return build.finish()


def _tokens_of(doc, items) -> set[int]:
    out: set[int] = set()
    for item in items:
        for m in item.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                out.update(range(span.start, span.end))
    return out


# --------------------------------------------------------------------------- lists


def _attach_lists(cands: list[Cand], text: str, lex: Lexicon, lemmas: Lemmas) -> None:
    """Give each condition list to the stance word it belongs to: a colon list to the
    nearest stance word before the colon, coordinated objects to their demand, a condition
    clause to its stance. A list's words leave the stance's own scope (the items are its
    conditions, not its issue)."""
    taken: set[int] = set()
    for c in sorted(cands, key=lambda c: -c.cue.i):
        if c.stance in ("demand", "accept", "reject") or c.list_head:
            items = lists.colon_list(c, text, lex)
            if items and items[0][0] not in taken:
                taken.add(items[0][0])
                c.list_items = items
                colon_at = next(t.i for t in c.sent if t.i > c.cue.i and t.text == ":")
                c.scope = {i for i in c.scope if i < colon_at}
                if c.stance != "demand":
                    c.conditional = True
                continue
        items = lists.object_list(c)
        if items:
            c.list_items = items
            c.object_list = True
            continue
        clause = lists.clause_condition(c, lex, lemmas) or lists.refused_deal_clause(c)
        if clause is not None:
            c.list_items = [clause]
            c.conditional = True
            c.scope = {i for i in c.scope
                       if not clause[0] <= c.cue.doc[i].idx < clause[1]}


# --------------------------------------------------------------------------- folding


def _fold(cands: list[Cand]) -> None:
    """A stance word inside another's phrase is part of it when it is the same party's (or
    no one's): "refused to accept" is one refusal, "insisted on several conditions" one
    demand. What is demanded is no stance taken ("urged Israel to accept": Israel has not).
    A stance of another party stays ("accepted the proposal drafted by Egypt")."""
    for inner in cands:
        for outer in cands:
            if outer is inner or outer.dropped or inner.cue.i not in outer.scope:
                continue
            demanded = outer.stance == "demand" and inner.cue.pos_ in ("VERB", "AUX")
            same = not inner.parties or set(inner.parties) <= set(outer.parties)
            if not (demanded or same):
                continue
            inner.dropped = True
            outer.scope |= inner.scope
            if not outer.list_items and inner.list_items:
                outer.list_items = inner.list_items
                outer.object_list = inner.object_list
            outer.conditional = outer.conditional or inner.conditional
            if outer.counterpart is None and demanded and inner.parties:
                outer.counterpart = inner.parties[0]
            if outer.stance == "reject" and inner.negated:
                outer.negated = False  # "refused to not ...": rare; never a double flip
            break


# --------------------------------------------------------------------------- records


@dataclass
class _Draft:
    position: Position
    key: tuple
    parent: int | None  # index of the parent draft


class _Builder:
    def __init__(self, doc, text: str, lex: Lexicon, issues: IssueIndex, parties: Parties,
                 dates: Dates, events: list[Event], actors: list[Actor]):
        self.doc = doc
        self.text = text
        self.lex = lex
        self.issues = issues
        self.parties = parties
        self.dates = dates
        self.events = events
        self.generic = {a.id for a in actors if _generic(a)}
        self.drafts: list[_Draft] = []
        self.seen: dict[tuple, int] = {}

    def add(self, c: Cand) -> None:
        stance, negated = c.stance, c.negated
        if negated:
            flipped = self.lex.negation.get(stance)
            if flipped is None:
                return
            stance = flipped
        actors = [a for a in c.parties if a not in self.generic]
        if not actors:
            return
        item_tokens = {i for s, e in c.list_items for i in self._tokens(s, e)}
        own = [h.issue for h in self.issues.in_tokens(c.scope - item_tokens)]
        own = list(dict.fromkeys(own))[:_MAX_ISSUES]
        if not own and self._context_allowed(c):
            found = self.issues.context(c.cue.i)
            own = [found or "other"]
        if c.needs_issue and not own:
            return
        object_list = c.object_list
        claimant = self.parties.speaker_at(c.cue.idx)
        date = self.dates.date_of(c.cue, c.sent)
        evidence = self._sentence(c.sent)
        cue = Mention(c.cue.idx, c.cue_end, self.text[c.cue.idx:c.cue_end])
        conditions = self._conditions(c)
        counterpart = self.parties.side(c.counterpart) if c.counterpart else None
        for actor in actors:
            side = self.parties.side(actor)
            event = self._event(c, stance, side)
            parents = []
            if not object_list:
                for issue in own:
                    p = Position(
                        id="", party=side, issue=issue, stance=stance,
                        counterpart=counterpart if counterpart != side else None,
                        claimant=claimant, date=date or (event.date if event else None),
                        conditions=list(conditions), evidence=evidence,
                        event=event.id if event else None, actor=actor, cue=cue,
                        negated=negated, hypothetical=c.hypothetical,
                        conditional=c.conditional and stance != "demand")
                    parents.append(self._put(p, None))
            parent = parents[0] if parents else None
            for cond in conditions:
                child = Position(
                    id="", party=side, issue=cond.issue, stance="demand",
                    counterpart=counterpart if counterpart != side else None,
                    claimant=claimant, date=date, evidence=cond.evidence, actor=actor,
                    cue=cue, hypothetical=c.hypothetical)
                self._put(child, parent)

    def _context_allowed(self, c: Cand) -> bool:
        """A stance that names no issue of its own is about the context's when it is on a
        deal ("accepted the proposal"), is talks or mediation, is a list of demands, or has
        no object at all ("Hamas has accepted")."""
        if c.needs_issue:
            return False
        if c.stance in ("mediate", "negotiate") or c.list_head:
            return True
        if c.cue.pos_ == "NOUN" and c.cue.lemma_.lower() in self.lex.deal_nouns:
            return True
        if any(self.doc[i].lemma_.lower() in self.lex.deal_nouns for i in c.scope):
            return True
        return not c.scope and c.cue.pos_ == "VERB"

    def _conditions(self, c: Cand) -> list[Condition]:
        out = []
        for s, e in c.list_items:
            found = [h.issue for h in self.issues.in_tokens(self._tokens(s, e))]
            for issue in specific(found, self.lex.issue_rank) or ["other"]:
                out.append(Condition(issue=issue, evidence=Span(s, e, self.text[s:e])))
        return out

    def _tokens(self, start: int, end: int) -> set[int]:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return set(range(span.start, span.end)) if span is not None else set()

    def _sentence(self, sent) -> Span:
        s, e = sent.start_char, sent.end_char
        while s < e and self.text[s].isspace():
            s += 1
        while e > s and self.text[e - 1].isspace():
            e -= 1
        return Span(s, e, self.text[s:e])

    def _event(self, c: Cand, stance: str, side: str) -> Event | None:
        types = self.lex.events.get(stance, frozenset())
        best = None
        for e in self.events:
            if e.type not in types:
                continue
            ev = e.evidence
            if ev.end <= c.sent.start_char or ev.start >= c.sent.end_char:
                continue
            trig = e.trigger_span
            on_cue = trig is not None and trig.start < c.cue_end and trig.end > c.cue.idx
            same_party = e.actor is not None and self.parties.side(e.actor) == side
            if on_cue or same_party:
                rank = (on_cue, same_party)
                if best is None or rank > best[0]:
                    best = (rank, e)
        return best[1] if best else None

    def _put(self, p: Position, parent: int | None) -> int:
        key = (p.party, p.issue, p.stance, p.claimant, p.negated, p.hypothetical,
               p.evidence.start, p.evidence.end)
        if key in self.seen:
            k = self.seen[key]
            old = self.drafts[k].position
            old.conditions += [c for c in p.conditions if c not in old.conditions]
            old.conditional = old.conditional or p.conditional
            old.date = old.date or p.date
            old.counterpart = old.counterpart or p.counterpart
            return k
        self.seen[key] = len(self.drafts)
        self.drafts.append(_Draft(p, key, parent))
        return len(self.drafts) - 1

    def finish(self) -> list[Position]:
        order = sorted(range(len(self.drafts)), key=lambda k: (
            self.drafts[k].position.evidence.start, self.drafts[k].position.cue.start
            if self.drafts[k].position.cue else 0, k))
        ids = {k: f"n{n + 1}" for n, k in enumerate(order)}
        out = []
        for k in order:
            d = self.drafts[k]
            d.position.id = ids[k]
            if d.parent is not None:
                d.position.condition_of = ids[d.parent]
            out.append(d.position)
        return out


def _generic(actor: Actor) -> bool:
    """A role with no country or name ("troops", "militants", "mediators"): no party."""
    return actor.known and actor.country is None and actor.kind in (
        "military", "armed_group", "police", "people", "group", "security")
