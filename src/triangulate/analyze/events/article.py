"""The article-level lookups every event candidate needs, built once per call: the actors'
and places' mention indexes, dated time expressions, quotations and the dateline; and which
actor a noun phrase names (``ArticleContext.actor_of``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re

from triangulate.analyze import actors as actors_stage
from triangulate.analyze import places as places_stage
from triangulate.analyze.events.dates import DATE_VALUE, dateline_date
from triangulate.analyze.events.instruments import instrument, names_instrument
from triangulate.analyze.events.lexicon import cue_words, lexicon
from triangulate.analyze.events.parse import SUBJECTS, cataphor, pobj, reporter_of
from triangulate.analyze.index import OffsetIndex, mention_index
from triangulate.analyze.text import Regions, doc_quotes, doc_text
from triangulate.model import Actor, Claim, Mention, Place, TimeExpression

_NP_CORE = frozenset({
    "compound", "amod", "nmod", "poss", "det", "nummod", "quantmod", "flat", "case", "nn",
    "predet",
})
_PERSON_ENTS = frozenset({"PERSON", "NORP", "ORG", "GPE"})
_PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
# Fallback dateline reader, for when the places stage offers none: a capitalised place, an
# optional region or date after commas, an optional agency in brackets, then a dash, at the
# start of one of the first lines (a headline and standfirst may come first).
_DATELINE = re.compile(
    r"^[ \t]*[A-Z][\w'’.-]*(?:[ \t]+(?:[A-Z][\w'’.-]*|al|el|de|of|upon))*"
    r"(?:,[ \t]*[\w'’. -]{1,40}?){0,2}[ \t]*(?:\([^()\n]{1,60}\)[ \t]*)?(?:—|–|--)",
    re.M)
_DATELINE_DASH = re.compile(r"—|–|--| - ")
_DATELINE_LINES = 4


class ArticleContext:
    """The article-level lookups every candidate needs, built once per call."""

    def __init__(self, doc, actors: list[Actor], places: list[Place],
                 times: list[TimeExpression], claims: list[Claim] | None = None,
                 published: dt.date | None = None):
        self.doc = doc
        self.lex = lexicon()
        self.actors = actors
        self.by_id = {a.id: a for a in actors}
        self.made: list[Actor] = []  # actors this stage names that no earlier stage did
        self.actor_index: OffsetIndex = mention_index(actors)
        self.place_index: OffsetIndex = mention_index(places)
        self.places = {p.id: p for p in places}
        self.claims = sorted(claims or [], key=lambda c: c.content.start)
        self.times = sorted(
            (t for t in times if t.type in ("date", "time") and t.value
             and DATE_VALUE.match(t.value)),
            key=lambda t: t.start,
        )
        # Starts of the sorted claims and times, so a lookup by offset bisects rather than
        # walks from the article's start for every event (issue 16: the square of the events).
        self.claim_starts = [c.content.start for c in self.claims]
        self._longest_claim = max((c.content.end - c.content.start for c in self.claims),
                                  default=0)
        self.time_starts = [t.start for t in self.times]
        self._named: set[tuple[str, int, int]] = set()
        self._place_mentions: dict[str, tuple[list[int], list[Mention]]] = {}
        self.resolver = getattr(actors_stage, "resolve_reference", None)
        self._actor_cache: dict[tuple[int, str], str | None] = {}
        self.text = doc_text(doc)
        self.dateline = _dateline_span(self.text)
        self.dateline_date = dateline_date(self.text, self.dateline, published)
        self.vessels = _vessels(doc, actors)
        self._quotes: Regions | None = None

    def in_dateline(self, start: int) -> bool:
        return self.dateline is not None and self.dateline[0] <= start < self.dateline[1]

    def quoted(self, offset: int) -> bool:
        if self._quotes is None:
            self._quotes = Regions(doc_quotes(self.doc))
        return offset in self._quotes

    # ----------------------------------------------------------------- noun phrases

    def core_span(self, tok) -> tuple[int, int]:
        """Character span of a noun phrase without its clauses and prepositional phrases."""
        left = tok
        stack = [tok]
        while stack:
            t = stack.pop()
            for c in t.children:
                if c.dep_ in _NP_CORE or (c.dep_ == "punct" and c.tag_ == "HYPH"):
                    if c.i < left.i:
                        left = c
                    stack.append(c)
        right = tok
        for c in tok.rights:
            if c.dep_ in ("compound", "flat") and c.i > right.i:
                right = c
        return left.idx, right.idx + len(right.text)

    def actor_of(self, tok, role: str = "actor") -> str | None:
        """The actor a noun phrase names, through the actors stage's mentions."""
        if tok is None:
            return None
        key = (tok.i, role)
        if key not in self._actor_cache:
            self._actor_cache[key] = self._actor_of(tok, role)
        return self._actor_cache[key]

    def _actor_of(self, tok, role: str) -> str | None:
        if self.in_dateline(tok.idx):
            return None  # "LVIV, Ukraine (Wire) — An air strike ...": the parse's subject slip
        if tok.dep_ in SUBJECTS and tok.tag_ in ("WDT", "WP") and tok.head.dep_ == "relcl":
            tok = tok.head.head
        hit = self.actor_index.at(tok.idx, tok.idx + len(tok.text))
        if hit is None:
            # "Bosnian Serbs and Croats": the first conjunct that names an actor.
            for c in tok.children:
                if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN"):
                    hit = self.actor_index.at(c.idx, c.idx + len(c.text))
                    if hit is not None:
                        break
        if hit is None and tok.lemma_ in self.lex.cues["place_nouns"] and any(
                c.dep_ == "compound" and c.pos_ == "PROPN" for c in tok.subtree
                if c.i < tok.i):
            return None  # "Al-Shifa hospital", "the Jenin refugee camp": a named place
        if hit is None:
            start, end = self.core_span(tok)
            hit = self._core_actor(start, end)
        if hit is None:
            for c in tok.children:
                if c.dep_ == "appos" or (c.dep_ == "prep" and c.lemma_ == "of" and (
                        tok.lemma_ in self.lex.cues["person_nouns"]
                        or tok.lemma_ in cue_words("quantity_heads") or tok.pos_ == "NUM")) or (
                        # "doctors from two American aid groups": members of the group
                        c.dep_ == "prep" and c.lower_ == "from"
                        and tok.lemma_ in self.lex.cues["person_nouns"]):
                    inner = c if c.dep_ == "appos" else pobj(c)
                    if inner is not None:
                        hit = self.actor_index.at(*self.core_span(inner))
                        if hit is not None:
                            break
        if hit is not None and (hit.id in self.vessels or instrument(tok) is not None and (
                not hit.known or names_instrument(hit))):
            # "three Merkava tanks", "the bulk carrier True Confidence", "Typhoon jets": a name
            # NER took for an organisation is the weapon or vessel itself, no party.
            return None
        if hit is not None:
            return hit.id
        if tok.pos_ == "PRON":
            if tok.lower_ in cue_words("speaker_pronouns"):
                return None  # the writer or a quoted speaker: attribution knows who, not us
            if role == "target" and tok.lower_ in ("it", "its", "they", "them", "their"):
                # A patient "it" is more often a place or a thing, "they" the victims last
                # counted, than an actor named earlier.
                return None
            reporter = reporter_of(tok)
            if reporter is not None:
                found = self.actor_of(reporter, role)
                if found is not None:
                    return found
            ahead = cataphor(tok)
            if ahead is not None:
                found = self.actor_of(ahead, role)
                if found is not None:
                    return found
        if self.resolver is not None and self._referring(tok):
            start, end = self.core_span(tok)
            try:
                found = self.resolver(self.doc, start, end, self.actors)
            except Exception:  # a stage in flux must not take the events down with it
                found = None
            if isinstance(found, Actor):
                return found.id
            if isinstance(found, str):
                return found
        return None

    def _core_actor(self, start: int, end: int):
        """The actor mentioned in a noun phrase core, skipping "anti-Syria", "pro-Iran"."""
        best = None
        for s, e, actor in self.actor_index.overlapping(start, end):
            if self._modifier_mention(s, e, end):
                continue
            key = (min(e, end) - max(s, start), e - s)
            if best is None or key > best[0]:
                best = (key, actor)
        return best[1] if best is not None else None

    def _modifier_mention(self, start: int, end: int, np_end: int) -> bool:
        """"anti-Syria", "pro-Iran", "a UN-run school", "Iran-backed militias": the name
        modifies the phrase, it is not what the phrase refers to."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return False
        doc = self.doc
        i, j = span.start, span.end
        if i >= 2 and doc[i - 1].text == "-" and doc[i - 2].lower_ in ("anti", "pro"):
            return True
        return (end < np_end and j + 1 < len(doc) and doc[j].text == "-"
                and doc[j + 1].text[:1].islower())

    def kind_of(self, actor_id: str | None) -> str | None:
        if actor_id is None:
            return None
        actor = self.by_id.get(actor_id)
        return actor.kind if actor is not None else None

    def generic(self, actor_id: str | None) -> bool:
        """A role with no party behind it ("troops", "gunmen"): see actors.is_generic."""
        actor = self.by_id.get(actor_id) if actor_id else None
        return actor is not None and actors_stage.is_generic(actor)

    def country3(self, iso2: str | None) -> str | None:
        """ISO alpha-3 of a place's alpha-2 country code."""
        return _alpha3().get(iso2) if iso2 else None

    def state_of(self, iso3: str):
        """The state actor entry (actors lexicon) of an alpha-3 code."""
        return _states_by_iso3().get(iso3)

    def claim_at(self, offset: int) -> Claim | None:
        """The innermost claim whose content holds this offset."""
        best = None
        k = bisect.bisect_right(self.claim_starts, offset) - 1
        # Backwards from the last claim starting at or before the offset, as far as the
        # longest claim reaches; "<=" keeps the first of equally short claims, as a forward
        # walk would.
        while k >= 0 and self.claim_starts[k] >= offset - self._longest_claim:
            claim = self.claims[k]
            if offset < claim.content.end and (
                    best is None or claim.content.end - claim.content.start
                    <= best.content.end - best.content.start):
                best = claim
            k -= 1
        return best

    def place_mentions(self, place: Place) -> tuple[list[int], list[Mention]]:
        """A place's mentions in text order, with their starts (for bisecting)."""
        found = self._place_mentions.get(place.id)
        if found is None:
            ordered = sorted(place.mentions, key=lambda m: m.start)
            found = self._place_mentions[place.id] = ([m.start for m in ordered], ordered)
        return found

    def name_actor(self, actor_id: str, name: str, kind: str, country: str | None,
                   start: int, end: int, parent: str | None = None) -> str:
        """An actor an event role names that no earlier stage did (a place's population, a
        group of victims, unknown attackers), cited by the words that name it here. An actor
        the article already has keeps its own mentions."""
        actor = self.by_id.get(actor_id)
        if actor is None:
            actor = Actor(actor_id, name, kind, country, aliases=[name], parent=parent)
            self.by_id[actor_id] = actor
            self.made.append(actor)
        if actor in self.made and (actor_id, start, end) not in self._named:
            # A set and an ordered insert, not a scan and a sort per event: "the people of
            # Gaza" hit by hundreds of events cost the square of them (issue 16).
            self._named.add((actor_id, start, end))
            bisect.insort(actor.mentions, Mention(start, end, self.text[start:end]),
                          key=lambda m: (m.start, m.end))
        return actor_id

    def _referring(self, tok) -> bool:
        if tok.pos_ == "PRON":
            return True
        dets = {c.lower_ for c in tok.children if c.dep_ in ("det", "poss")}
        return bool(dets & cue_words("definite_determiners")) and tok.lemma_ in self.lex.cues["generic_heads"]

    def agentive(self, tok) -> bool:
        """A noun phrase that can act or suffer: a known actor, a named group, a person noun."""
        if tok is None:
            return False
        if self.actor_of(tok):
            return True
        if tok.pos_ == "PRON":
            return tok.lower_ in cue_words("personal_pronouns")
        if tok.ent_type_ in _PERSON_ENTS or tok.lemma_ in self.lex.cues["person_nouns"]:
            return True
        if tok.lemma_ in cue_words("quantity_heads") or tok.pos_ == "NUM":
            of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            inner = pobj(of) if of is not None else None
            if inner is not None and inner.i != tok.i:
                return self.agentive(inner)  # "hundreds of thousands of people"
        return any(c.ent_type_ in ("NORP", "GPE", "ORG") and c.dep_ in ("amod", "compound")
                   for c in tok.children)

    def animate(self, tok) -> bool:
        """Stricter than agentive: the head itself names someone ("executed prisoners", not
        "executed a plan", "hosted the Senate race" or "executed it")."""
        if tok is None:
            return False
        if tok.pos_ == "PRON":
            return tok.lower_ in cue_words("personal_pronouns") or tok.lower_ in ("them", "themselves")
        if tok.ent_type_ in _PERSON_ENTS or tok.lemma_ in self.lex.cues["person_nouns"]:
            return True
        if tok.lemma_ in cue_words("quantity_heads") or tok.pos_ == "NUM":
            of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            inner = pobj(of) if of is not None else None
            return inner is not None and self.animate(inner)
        return self.actor_index.at(tok.idx, tok.idx + len(tok.text)) is not None

    def placelike(self, tok) -> bool:
        if tok is None:
            return False
        if self.place_index.at(tok.idx, tok.idx + len(tok.text)) is not None:
            return True
        return tok.ent_type_ in _PLACE_ENTS or tok.lemma_ in self.lex.cues["place_nouns"]


def _vessels(doc, actors: list[Actor]) -> dict[str, tuple[int, int]]:
    """Names NER took for organisations that the article gives to a vehicle ("the bulk
    carrier True Confidence", "the ship Rubymar"): actor id -> the mention naming it."""
    out: dict[str, tuple[int, int]] = {}
    for actor in actors:
        if actor.known or actor.kind != "organisation":
            continue
        for m in actor.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            near = [span.root.head, *(c for c in span.root.children if c.dep_ in
                                      ("compound", "appos"))]
            if span.start > 0:
                near.append(doc[span.start - 1])
            if any(t.i not in range(span.start, span.end) and (instrument(t) or ("", ""))[0]
                   == "vehicle" for t in near):
                out[actor.id] = (m.start, m.end)
                break
    return out


@functools.cache
def _alpha3() -> dict[str, str]:
    from triangulate.analyze import gazetteer

    return {a2: a3 for a3, a2 in gazetteer.curated().iso3.items()}


@functools.cache
def _states_by_iso3() -> dict:
    return {s.iso3: s for s in actors_stage.lexicon().states.values()}


def _dateline_span(text: str) -> tuple[int, int] | None:
    """From the place of the article's dateline to its dash ("KHAN YOUNIS, Gaza Strip
    (Meridian Wire) —", "GENEVA, 9 June 2024 —"): where and when the reporter filed, which
    is not where or when the events told happened."""
    finder = getattr(places_stage, "dateline_span", None)
    if finder is not None:
        try:
            place = finder(text)
        except Exception:  # a stage in flux must not take the events down with it
            place = None
        if place is None:
            return None
        line_end = text.find("\n", place[1])
        line_end = len(text) if line_end < 0 else line_end
        dash = _DATELINE_DASH.search(text, place[1], min(line_end, place[1] + 120))
        return (place[0], dash.end()) if dash is not None else place
    head_end = 0
    for _ in range(_DATELINE_LINES):
        nl = text.find("\n", head_end)
        if nl < 0:
            head_end = len(text)
            break
        head_end = nl + 1
    m = _DATELINE.search(text, 0, head_end)
    return (m.start(), m.end()) if m is not None else None
