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
* ``dates``: when a stance was taken;
* ``syntax``: small parse helpers the others share.

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
    deals = word_hashes(lex.deal_nouns | lex.talk_nouns)
    issues.name_deals(doc, numpy.flatnonzero(numpy.isin(lemma_arr, deals)).tolist())
    parties = Parties(doc, actors, claims, quotes, lex.spokespeople)
    reader = Reader(doc, lex, issues, parties, lemmas)
    cands = [c for i in hits if (c := reader.read(doc[i])) is not None]
    cands += [c for i in disputes if (c := reader.dispute(doc[i])) is not None]
    if not cands:
        return []
    cands.sort(key=lambda c: c.cue.i)
    for c in cands:
        reader.qualify(c)
    _attach_lists(cands, text, lex)
    _fold(cands)
    dates = Dates(doc, times, lex.sequels, lex.deal_nouns)
    build = _Builder(doc, text, lex, issues, parties, dates, events)
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


def _attach_lists(cands: list[Cand], text: str, lex: Lexicon) -> None:
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
        condition = lists.clause_condition(c, lex)
        clause = condition or lists.refused_deal_clause(c, lex)
        if clause is not None:
            c.list_items = [clause]
            c.clause_items = condition is not None
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
                outer.clause_items = inner.clause_items
            outer.conditional = outer.conditional or inner.conditional or (
                bool(outer.list_items) and outer.stance != "demand")
            if outer.counterpart is None and demanded and inner.parties:
                outer.counterpart = inner.parties[0]
            if outer.stance == "reject" and inner.negated:
                outer.negated = False  # "refused to not ...": rare; never a double flip
            break


# --------------------------------------------------------------------------- records


@dataclass
class _Draft:
    position: Position
    parent: int | None  # index of the parent draft


class _Builder:
    def __init__(self, doc, text: str, lex: Lexicon, issues: IssueIndex, parties: Parties,
                 dates: Dates, events: list[Event]):
        self.doc = doc
        self.text = text
        self.lex = lex
        self.issues = issues
        self.parties = parties
        self.dates = dates
        self.events = events
        self.drafts: list[_Draft] = []
        self.seen: dict[tuple, int] = {}

    def add(self, c: Cand) -> None:
        stance, negated = c.stance, c.negated
        if negated:
            flipped = self.lex.negation.get(stance)
            if flipped is None:
                return
            stance = flipped
        actors = [a for a in c.parties if self.parties.can_be_party(a)]
        if not actors:
            return
        item_tokens = {i for s, e in c.list_items for i in self._tokens(s, e)}
        own = [h.issue for h in self.issues.in_tokens(c.scope - item_tokens)]
        own = list(dict.fromkeys(own))[:_MAX_ISSUES]
        # "listed its demands:" says nothing of its own beside its items, unless it names
        # what they are for ("conditions for a cease-fire"). An acceptance or refusal on
        # conditions is a stance on the deal, whatever it is.
        if not own and not (c.list_items and c.stance == "demand"):
            if self._context_allowed(c):
                own = [self.issues.context(c.cue.i, item_tokens) or "other"]
            elif c.stance in ("mediate", "negotiate") and not c.needs_issue:
                own = ["other"]  # "negotiating a loan programme": talks about something else
        if (c.needs_issue or c.clause_items) and not own:
            return  # a condition clause of a stance on nothing said is no term of a deal
        object_list = c.object_list
        claimant = self.parties.speaker_at(c.cue.idx)
        date = self.dates.date_of(c.cue, c.sent)
        evidence = self._sentence(c.sent)
        cue = Mention(c.cue.idx, c.cue_end, self.text[c.cue.idx:c.cue_end])
        conditions = self._conditions(c)
        if c.object_list:
            # "demanded reforms and his ouster": coordinated objects are demands in a
            # negotiation only when they name its issues.
            conditions = [k for k in conditions if k.issue != "other"]
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
        deals = self.lex.deal_nouns | self.lex.list_heads  # "the demands", "its terms"
        # A deal named as what the phrase is about, not as a modifier ("short-term gains").
        deal = any(t.pos_ == "NOUN" and t.dep_ not in ("compound", "amod", "nmod")
                   and t.lemma_.lower() in deals for t in (self.doc[i] for i in c.scope))
        if c.stance in ("mediate", "negotiate"):
            # "mediators", "resumed talks", "negotiated the deal"; not "negotiating a loan".
            return deal or not any(self.doc[i].lemma_.lower() not in self.lex.talk_nouns
                                   for i in _objects(c.cue))
        if c.list_head or deal:
            return True
        if c.dismissal and any(self.doc[i].pos_ == "PRON" for i in c.scope):
            return True  # "calling it a surrender": what is dismissed is the deal talked of
        if c.cue.pos_ == "NOUN" and c.cue.lemma_.lower() in deals:
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

    def _drop_vague(self) -> None:
        """"Israeli and Hamas negotiators held talks on a prisoner exchange": the talks name
        the issue, the negotiators do not; an "other" beside a named issue of the same party
        and stance in the same sentence says nothing more."""
        named = {(d.position.party, d.position.stance, d.position.evidence.start)
                 for d in self.drafts if d.position.issue != "other"}
        keep = [d for d in self.drafts if d.position.issue != "other" or (
            d.position.party, d.position.stance, d.position.evidence.start) not in named]
        if len(keep) == len(self.drafts):
            return
        index = {id(d): k for k, d in enumerate(keep)}
        old = self.drafts
        for d in keep:
            if d.parent is not None:
                d.parent = index.get(id(old[d.parent]))
        self.drafts = keep

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
        self.drafts.append(_Draft(p, parent))
        return len(self.drafts) - 1

    def finish(self) -> list[Position]:
        self._drop_vague()
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


def _objects(tok) -> list[int]:
    """The nouns a stance word takes as what it is about: its direct object, and the object
    of an "on", "over", "about" or "for" phrase (not the places, times and partners of its
    other phrases)."""
    out = []
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN"):
            out.append(c.i)
        elif c.dep_ == "prep" and c.lower_ in ("on", "over", "about", "for", "of"):
            out += [g.i for g in c.children if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN")]
    return out
