"""Who did it, when the parse's subject names no party.

* The party behind an instrument: "a missile fired by Yemen's Houthis", "a missile launched
  from Houthi-held territory", "a Merkava tank" (instruments.tsv gives the side that alone
  fields it), "rocket fire from southern Gaza" (the armed group the article places there).
  A weapon, vehicle or body part is never the actor; with no party behind it the actor is
  left empty, or, when the text calls the attackers unknown ("unidentified drones"), it is an
  actor of its own: unidentified attackers.
* The group in its own account: "the Qassam Brigades said its fighters had struck three tanks"
  is the group's claim that the group did it. A role noun the actors stage left generic
  ("its fighters", "our forces") inside a claim is the claimant's own force.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from triangulate.analyze import actors as actors_stage
from triangulate.analyze.events.candidate import Candidate
from triangulate.analyze.events.instruments import instrument
from triangulate.analyze.events.lexicon import cue_words
from triangulate.analyze.events.parse import child_of, pobj

if TYPE_CHECKING:
    from triangulate.analyze.events.article import ArticleContext

UNIDENTIFIED = "unidentified-attackers"


def complete_actor(cand: Candidate, art: ArticleContext) -> None:
    """Replace an instrument by the party behind it; find the doer of a nominal attack told by
    its weapon and origin; give a group's own claim its own force."""
    tok = cand.actor_tok
    if tok is not None and cand.actor is None and instrument(tok) is not None:
        cand.actor = party_behind(tok, art)
    if cand.actor is None and cand.trigger.pos_ in ("NOUN", "PROPN") and cand.type == "ASSAULT":
        # "rocket fire from southern Gaza killed four soldiers", "a drone strike from Lebanon"
        origin = _from_phrase(cand.trigger)
        if origin is not None:
            cand.actor = _origin_party(origin, art)
    if tok is not None and (cand.actor is None or art.generic(cand.actor)):
        own = own_force(tok, art)
        if own is not None:
            cand.actor = own


def party_behind(tok, art: ArticleContext) -> str | None:
    """The party that fired, launched, drives or alone fields the instrument ``tok`` heads."""
    owner = child_of(tok, "poss")
    if owner is not None and owner.pos_ == "PRON":
        found = art.actor_of(owner)
        if found is not None:
            return found  # "its drones", resolved to what "its" refers to
    for c in tok.children:
        if c.dep_ != "acl":
            continue
        agent = child_of(c, "agent")
        inner = pobj(agent) if agent is not None else None
        if inner is not None:
            found = art.actor_of(inner)
            if found is not None:
                return found  # "a missile fired by Yemen's Houthis"
        origin = _from_phrase(c)
        if origin is not None:
            found = _origin_party(origin, art)
            if found is not None:
                return found  # "a missile launched from Houthi-held territory"
    origin = _from_phrase(tok)
    if origin is not None:
        found = _origin_party(origin, art)
        if found is not None:
            return found  # "rockets from Lebanon"
    for t in [tok, *(c for c in tok.children if c.dep_ in ("compound", "amod"))]:
        kind = instrument(t)
        if kind is not None and kind[1] is not None:
            return kind[1]  # "a Merkava tank"
    if any(c.lower_ in cue_words("unknown_attacker_modifiers") for c in tok.children
           if c.dep_ in ("amod", "compound", "advmod")):
        start, end = art.core_span(tok)
        return art.name_actor(UNIDENTIFIED, "unidentified attackers", "armed_group", None,
                              start, end)
    return None


def _from_phrase(tok):
    """The object of a "from" phrase on ``tok``, where something was fired from."""
    prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "from"), None)
    return pobj(prep) if prep is not None else None


def _origin_party(place_tok, art: ArticleContext) -> str | None:
    """Who fires from a place: the party that holds it when the text says so ("Houthi-held
    territory"), else the armed group of the place's country the article named last before
    ("... Hamas ... rocket fire from southern Gaza"). None when the text gives neither: a
    country's army is not inferred from where a rocket came from."""
    held = _controller(place_tok, art)
    if held is not None:
        return held
    place = None
    start, end = art.core_span(place_tok)
    for _s, _e, found in art.place_index.overlapping(start, end):
        place = found
    country = art.country3(place.country) if place is not None else None
    if country is None:
        return None
    best, best_end = None, -1
    for actor in art.actors:
        if actor.kind != "armed_group" or actor.country != country or art.generic(actor.id):
            continue
        for m in actor.mentions:
            if best_end < m.end <= place_tok.idx:
                best, best_end = actor.id, m.end
    return best


def _controller(tok, art: ArticleContext) -> str | None:
    """"Houthi-held territory", "the Hamas-run enclave": the actor named before the hyphen."""
    controls = actors_stage.lexicon().control_words
    for c in tok.subtree:
        if c.i >= tok.i or c.lower_ not in controls:
            continue
        doc = tok.doc
        if c.i >= 2 and doc[c.i - 1].text == "-":
            name = doc[c.i - 2]
            hit = art.actor_index.at(name.idx, name.idx + len(name.text))
            if hit is not None:
                return hit.id
    return None


def own_force(tok, art: ArticleContext) -> str | None:
    """"The group said its fighters had struck ...": a force named by a possessive pronoun inside
    a claim belongs to the claimant when the claimant is a force or a body that commands one."""
    if not any(c.dep_ == "poss" and c.lower_ in ("its", "their", "our") for c in tok.children):
        return None
    if tok.lemma_.lower() not in cue_words("force_nouns"):
        return None
    claim = art.claim_at(tok.idx)
    if claim is None or claim.speaker is None:
        return None
    speaker = art.by_id.get(claim.speaker)
    if speaker is None or art.generic(speaker.id):
        return None
    if speaker.kind in cue_words("force_kinds") or speaker.kind in (
            "party", "state", "government", "people", "group"):
        return speaker.id  # "Bosnian Serbs said their forces had completed ..."
    if speaker.kind == "person" and speaker.parent in art.by_id:
        return speaker.parent  # "Houthi spokesman Yahya Saree said their forces ..."
    return None
