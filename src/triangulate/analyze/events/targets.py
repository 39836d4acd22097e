"""Whom it was done to, when the parse's object names no party.

* The attacked side of an instrument: "struck three Merkava tanks" is a strike on the side that
  alone fields them (instruments.tsv); a ship, a car or a body part is never the target.
* The victims: "killing three crew members", "twelve people were killed". A person noun the
  actors stage left unnamed becomes a group of its own ("crew members", "passengers").
* What a verbal event is about: "threatened to break relations with Russia", "accepted demands
  from the rebels", "denounced Serbia's suppression of the unrest": the first party named in
  its content, nearest first (conditions and relative clauses are not its content).
* The place's population, when the text gives only a place: "strikes on Rafah" are aimed at the
  people of Rafah, "a curfew in Cizre" at the people of Cizre, a curfew in a country at its
  people. The place stays the event's place.
"""

from __future__ import annotations

import bisect
from collections import deque
from typing import TYPE_CHECKING

from triangulate.analyze import actors as actors_stage
from triangulate.analyze.actors.lexicon import slug
from triangulate.analyze.events.candidate import Candidate
from triangulate.analyze.events.folding import scope_of
from triangulate.analyze.events.instruments import instrument
from triangulate.analyze.events.lexicon import cue_words
from triangulate.analyze.events.parse import child_of, pobj, under, unwrap
from triangulate.model import Place

if TYPE_CHECKING:
    from triangulate.analyze.events.article import ArticleContext

_SKIP = frozenset({"relcl", "punct", "cc", "det", "aux", "auxpass", "neg",
                   "mark", "nummod", "quantmod", "npadvmod", "tmod"})


def complete_target(cand: Candidate, art: ArticleContext) -> None:
    if cand.target is not None:
        if art.generic(cand.target) and cand.target_tok is not None:
            side = own_side(cand.target_tok, cand, art)
            if side is not None:
                cand.target, cand.target_rank = side, 4
        return
    tok = cand.target_tok
    if tok is not None:
        tok = unwrap(tok, art.lex.cues["container_heads"])  # "part of a stronghold"
    found, rank = None, 0
    if tok is not None:
        found, rank = _crew(tok, art), 4
    if found is None and tok is not None and instrument(tok) is not None:
        found, rank = _attacked_side(tok), 4
    if found is None and tok is not None and tok.lemma_.lower() in art.lex.cues["place_nouns"]:
        found, rank = _occupant(tok, art, cand), 4
    if found is None and tok is not None and tok.pos_ in ("NOUN", "PROPN", "NUM") \
            and instrument(tok) is None and cand.type in cue_words("victim_types"):
        found, rank = victims(tok, art, cand)
    if found is None and cand.type in cue_words("material_conflict"):
        found, rank = _purpose_target(cand, art), 3
    generic = None
    if found is None and cand.type in cue_words("content_target_types"):
        found, rank = _content_target(cand, art), 3
        if found is not None and art.generic(found):
            generic, found = found, None  # "offered its troops to X": someone named first
    if found is None:
        found, rank = population(cand, art), 2
    if found is None and generic is not None:
        found, rank = generic, 3
    if found is not None and found != cand.actor:
        cand.target, cand.target_rank = found, rank


def own_side(tok, cand: Candidate, art: ArticleContext) -> str | None:
    """Whose force a generic role hit is: "four of its soldiers" (what "its" refers to), or
    the side that tells of its own troops ("the army said gunmen opened fire on troops")."""
    if art.kind_of(art.actor_of(tok, "target")) not in cue_words("force_kinds"):
        return None
    owner = next((c for c in _counted(tok).children if c.dep_ == "poss" and c.pos_ == "PRON"),
                 None)
    if owner is None and tok.dep_ == "pobj" and tok.head.head.pos_ == "NUM":
        owner = next((c for c in tok.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
    if owner is not None:
        found = art.actor_of(owner)
        if found is not None and found != cand.actor and not art.generic(found):
            return found
    claim = art.claim_at(cand.trigger.idx)
    speaker = art.by_id.get(claim.speaker) if claim is not None and claim.speaker else None
    if speaker is None or speaker.id == cand.actor or art.generic(speaker.id):
        return None
    if speaker.kind in cue_words("force_kinds"):
        return speaker.id
    return None


def _crew(tok, art: ArticleContext) -> str | None:
    """"struck the bulk carrier True Confidence": a named vessel hit is its crew, the people on
    board (one actor per vessel, so every report of the attack names the same victims). In an
    article about one vessel, "the ship" and "three crew members" are that vessel and its
    crew."""
    start, end = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text)
    vessel = next((a for s, e, a in art.actor_index.overlapping(start, end)
                   if a.id in art.vessels), None)
    if vessel is None and len(art.vessels) == 1 and (
            ((instrument(tok) or ("", ""))[0] == "vehicle" and tok.tag_ != "NNS")
            or _counted(tok).lemma_.lower() in cue_words("crew_nouns")):
        vessel = art.by_id.get(next(iter(art.vessels)))
    if vessel is None or instrument(tok) is None and \
            _counted(tok).lemma_.lower() not in cue_words("crew_nouns") and vessel.id not in {
                a.id for _s, _e, a in art.actor_index.overlapping(start, end)}:
        return None
    name = f"crew of the {vessel.name}"
    s, e = (start, end) if instrument(tok) is None else art.vessels[vessel.id]
    return art.name_actor(slug(name), name, "people", None, s, e)


def _attacked_side(tok) -> str | None:
    """"three Merkava tanks": the side that alone fields the weapon or vehicle hit."""
    for t in [tok, *(c for c in tok.children if c.dep_ in ("compound", "amod"))]:
        kind = instrument(t)
        if kind is not None and kind[1] is not None:
            return kind[1]
    return None


def _occupant(tok, art: ArticleContext, cand: Candidate) -> str | None:
    """Who a place hit belongs to or shelters: "a base used by US troops", "positions of the
    security forces", "a camp for Congolese refugees", "a Karen guerrilla stronghold"."""
    modifiers = [c for c in tok.children if c.dep_ in ("compound", "amod") and c.i < tok.i]
    if modifiers:
        start = min(m.left_edge.idx for m in modifiers)
        last = max(modifiers, key=lambda m: m.i)
        found = [(s, e, a) for s, e, a in art.actor_index.overlapping(
            start, last.idx + len(last.text)) if not _controls(tok.doc, e)]
        named = [a for s, e, a in found if a.kind not in ("state", "people") or len(found) == 1]
        if named and named[0].id != cand.actor:
            return named[0].id
    for c in tok.children:
        inner = None
        if c.dep_ == "acl":
            agent = child_of(c, "agent")
            inner = pobj(agent) if agent is not None else None
        elif c.dep_ == "prep" and c.lower_ in ("of", "for"):
            inner = pobj(c)
        if inner is None or art.placelike(inner):
            continue
        found = art.actor_of(inner, "target")
        if found is None and c.dep_ == "prep":
            found = victims(inner, art, cand)[0]
        if found is not None and found != cand.actor:
            return found
    return None


def _controls(doc, end: int) -> bool:
    """"a UN-run school", "Hamas-held tunnels": the name says who runs the place, not who was
    in it when it was hit."""
    span = doc.char_span(end, end + 1, alignment_mode="expand")
    if span is None or len(span) == 0 or span[0].text != "-" or span[0].i + 1 >= len(doc):
        return False
    return doc[span[0].i + 1].lower_ in actors_stage.lexicon().control_words


def victims(tok, art: ArticleContext, cand: Candidate) -> tuple[str | None, int]:
    """A person noun as the patient, with its rank (see Candidate.target_rank): the actor it
    names, else the people of the event's place when it only counts people there ("twelve
    people" killed in Rafah), else a group of its own ("three crew members" -> crew members)."""
    found = art.actor_of(tok, "target")
    if found is not None:
        return (found, 3 if art.generic(found) else 4) if found != cand.actor else (None, 0)
    inner = _counted(tok)
    lemma = inner.lemma_.lower()
    if lemma not in cue_words("victim_nouns"):
        return None, 0
    if lemma in cue_words("anyone_nouns"):
        # "twelve people were killed": only a place says whose people they were
        return population(cand, art), 2
    words = [c for c in inner.children if c.dep_ in ("compound", "amod")
             and c.pos_ in ("NOUN", "ADJ") and not c.like_num and c.i < inner.i]
    if any(w.dep_ == "amod" for w in words):
        words = [w for w in words if w.dep_ == "compound"]
    head = inner.lower_ if inner.lower_.endswith("s") else inner.lemma_.lower()
    name = " ".join([*(w.lower_ for w in words), head])
    start, end = _phrase(tok, cand.sent)
    return art.name_actor(slug(name), name, "people", None, start, end), 3


def _phrase(tok, sent) -> tuple[int, int]:
    """The whole noun phrase as the text gives it ("three crew members", "refugees fleeing the
    civil war in Liberia"), within its sentence and without closing punctuation."""
    left, right = tok.left_edge, tok.right_edge
    while right.i > tok.i and (right.is_punct or right.dep_ in ("cc", "prep")):
        right = right.nbor(-1)
    start = max(left.idx, sent.start_char)
    return start, min(right.idx + len(right.text), sent.end_char)


def _counted(tok):
    """"hundreds of civilians", "dozens of people": the people the quantity counts."""
    if tok.lemma_ in cue_words("quantity_heads") or tok.pos_ == "NUM":
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        inner = pobj(of) if of is not None else None
        if inner is not None:
            return inner
    return tok


def _content_target(cand: Candidate, art: ArticleContext) -> str | None:
    """The first party named in what a verbal event says, demands, refuses or is about,
    nearest to the trigger in the parse first."""
    skip: set[int] = set()
    if cand.actor_tok is not None:
        skip.update(t.i for t in cand.actor_tok.subtree)
    roots = scope_of(cand) + _adjuncts(cand)
    queue = deque((r, 0) for r in roots)
    seen: set[int] = set()
    generic = None
    while queue:
        tok, depth = queue.popleft()
        if tok.i in seen or tok.i in skip or depth > 6:
            continue
        seen.add(tok.i)
        if tok.dep_ == "advcl" and _conditional(tok):
            continue  # "unless the Kremlin closed its base": a condition, not the content
        if tok.pos_ in ("NOUN", "PROPN") and not art.in_dateline(tok.idx) \
                and not _located(tok, art):
            found = art.actor_of(tok, "target")
            if found is not None and found != cand.actor:
                if not art.generic(found) and not _guessed(found, art):
                    return found
                generic = generic or found  # a role or an NER guess ("the Rhine"): last
        for c in tok.children:
            if c.dep_ not in _SKIP:
                queue.append((c, depth + 1))
    return generic


def _purpose_target(cand: Candidate, art: ArticleContext) -> str | None:
    """"opened fire to disperse the demonstrators": whom the act's purpose acts on."""
    for tok in {cand.trigger.i: cand.trigger, cand.head.i: cand.head}.values():
        for c in tok.children:
            if c.dep_ in ("advcl", "xcomp") and c.pos_ == "VERB" and any(
                    a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
                obj = child_of(c, "dobj")
                found = art.actor_of(obj, "target") if obj is not None else None
                if found is not None and found != cand.actor:
                    return found
    return None


def _adjuncts(cand: Candidate) -> list:
    """Phrases beside the content that still say what it is about: "denounced as a crime
    Serbia's suppression of the unrest", "blocked streets in defiance of the authorities"."""
    out = []
    for tok in {cand.trigger.i: cand.trigger, cand.head.i: cand.head}.values():
        out += [c for c in tok.children
                if c.dep_ == "prep" and c.lower_ in cue_words("aboutness_preps")]
    return out


def _located(tok, art: ArticleContext) -> bool:
    """"a curfew in Montenegro": a place where the content happens, whose people (not its state)
    the event is aimed at (see population)."""
    return (tok.dep_ == "pobj" and tok.head.lower_ in cue_words("locative_preps")
            and art.place_index.at(tok.idx, tok.idx + len(tok.text)) is not None)


def _guessed(actor_id: str, art: ArticleContext) -> bool:
    """An organisation only NER proposed, which may be a river, a bridge or a brand."""
    actor = art.by_id.get(actor_id)
    return actor is not None and not actor.known and actor.kind == "organisation"


def _conditional(tok) -> bool:
    mark = child_of(tok, "mark")
    return mark is not None and mark.lower_ in cue_words("condition_marks")


def population(cand: Candidate, art: ArticleContext) -> str | None:
    """The people of the place the event's own phrase names ("strikes on Rafah", "the station in
    Kramatorsk", "demonstrated in Serbia"); None for seas, deserts and regions of the world."""
    place = _phrase_place(cand, art)
    if place is None:
        return None
    country = art.country3(place.country)
    if country is None or place.kind in cue_words("unpeopled_place_kinds"):
        return None
    start, end = _mention_in(place, cand, art)
    if place.kind == "country":
        state = art.state_of(country)
        if state is not None:
            return art.name_actor(state.people_id, state.people_name, "people", country,
                                  start, end, parent=state.id)
    name = f"people of {place.name}"
    parent = art.state_of(country)
    return art.name_actor(slug(name), name, "people", country, start, end,
                          parent=parent.id if parent is not None else None)


def _phrase_place(cand: Candidate, art: ArticleContext) -> Place | None:
    """The place hit: in the target's phrase, else in the event's own phrase (for a nominal
    event, the phrase of the verb it is governed by: "remained on alert in the West Bank",
    or of the verb it is the subject of: "the deployment ... arrived in Bosnia"), never in the
    actor's ("inhabitants of the Golan Heights threatened ..."), except where a
    force withdraws from ("the withdrawal of forces from Panama")."""
    avoid = (-1, -1)
    if cand.actor_tok is not None:
        a = cand.actor_tok
        avoid = (a.left_edge.idx, a.right_edge.idx + len(a.right_edge.text))
    tok = cand.target_tok
    if tok is not None:
        start, end = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text)
        for s, _e, place in art.place_index.within(start, end):
            if not avoid[0] <= s < avoid[1]:
                return place  # "the drama theatre in Mariupol", "Rafah"
    sent = cand.sent
    trig = cand.trigger
    light = trig.head.head if trig.dep_ == "pobj" and trig.head.head.pos_ == "VERB" else (
        trig.head if trig.dep_ == "nsubj" and trig.head.pos_ == "VERB" else None)
    for s, e, place in sorted(art.place_index.within(sent.start_char, sent.end_char),
                              key=lambda hit: abs(hit[0] - trig.idx)):
        span = art.doc.char_span(s, e, alignment_mode="expand")
        root = span.root if span is not None else None
        if root is None or art.in_dateline(s):
            continue
        inside = under(root, [trig], 5) or under(root, [cand.head], 4) or (
            light is not None and _adjunct_of(root, light))
        if not inside or _origin(root, cand):
            continue
        if avoid[0] <= s < avoid[1] and not (cand.type == "RETREAT" and _via(root, "from", trig)):
            continue
        return place
    return None


def _adjunct_of(root, verb) -> bool:
    """A place in a prepositional phrase of ``verb`` itself ("remained ... in the West Bank")."""
    t = root
    for _ in range(4):
        if t.head.i == t.i:
            return False
        if t.dep_ == "prep":
            return t.head.i == verb.i
        t = t.head
    return False


def _via(root, word: str, stop) -> bool:
    t = root
    for _ in range(6):
        if t.i == stop.i or t.head.i == t.i:
            return False
        if t.dep_ == "prep" and t.lower_ == word:
            return True
        t = t.head
    return False


def _origin(root, cand: Candidate) -> bool:
    """"rocket fire from southern Gaza": where an attack came from is not whom it hit."""
    return cand.type in cue_words("material_conflict") and _via(root, "from", cand.trigger)


def _mention_in(place: Place, cand: Candidate, art: ArticleContext) -> tuple[int, int]:
    """The place's mention nearest the trigger in its sentence, else in the article (by
    bisection: a place named hundreds of times is not scanned for every event)."""
    sent = cand.sent
    starts, mentions = art.place_mentions(place)
    lo = bisect.bisect_left(starts, sent.start_char)
    hi = bisect.bisect_left(starts, sent.end_char)
    pivot = cand.trigger.idx
    k = bisect.bisect_left(starts, pivot)
    near = mentions[lo:hi] or mentions[max(0, k - 1):k + 1]
    m = min(near, key=lambda m: abs(m.start - pivot))
    return m.start, m.end
