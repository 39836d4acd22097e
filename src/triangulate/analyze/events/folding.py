"""Events inside other events: what a demand, threat, refusal or agreement governs is part
of it ("threatened to shell", "agreed to withdraw"), and so are a talk's topic, an arrest's
charge, a riot's damage and an act's purpose.
"""

from __future__ import annotations

from triangulate.analyze.events.candidate import Candidate
from triangulate.analyze.events.lexicon import cue_words
from triangulate.analyze.events.parse import child_of, definite, in_scope, under


def scope_of(cand: Candidate) -> list:
    if cand.scope:
        return cand.scope
    tok = cand.trigger if cand.trigger.pos_ in ("NOUN", "PROPN", "VERB") else cand.head
    roots = [c for c in tok.children if in_scope(c)]
    if tok.i != cand.head.i:
        roots += [c for c in cand.head.children if in_scope(c) and c.i != tok.i]
    return roots


def fold(cands: list[Candidate], cues) -> None:
    """Drop events that are the content of another event in their sentence."""
    governors = [c for c in cands if c.type in cues["folding_governors"]]
    for e in cands:
        if e.dropped:
            continue
        for g in governors:
            if g is e or g.dropped:
                continue
            if under(e.head, scope_of(g)) or (e.head.i != e.trigger.i
                                                  and under(e.trigger, scope_of(g))):
                if e.type in cues["folding_governors"] and under(g.head, scope_of(e)):
                    continue
                if g.type in cues["fact_governors"] and _reported_fact(e, cues):
                    # "rejected claims that Russian aircraft bombed the theatre": the
                    # bombing is told (by Ukraine) as having happened; the refusal is
                    # about the claim, not a proposal to bomb.
                    continue
                e.dropped = True
                g.folded.append(e)
                break
        if e.dropped or _absorb(e, cands, _part_of):
            continue
        _absorb(e, cands, _explains)


def _absorb(e: Candidate, cands: list[Candidate], related) -> bool:
    """Drop ``e`` into the first other live candidate it is ``related(e, g)`` to."""
    for g in cands:
        if g is not e and not g.dropped and related(e, g):
            e.dropped = True
            g.absorbed.append(e)
            return True
    return False


def _part_of(e: Candidate, g: Candidate) -> bool:
    """``e`` is what ``g`` is about, the charge behind it or the damage of its riot."""
    return _topic_of(e, g) or _charge_of(e, g) or _riot_damage(e, g)


def _explains(e: Candidate, g: Candidate) -> bool:
    """Purpose clauses ("staged demonstrations to demand reforms", "opened fire to disperse
    them") and a protest's own demands belong to the act they explain."""
    return _purpose_of(e, g) or (g.type == "PROTEST" and e.type in ("REQUEST", "ACCUSE")
                                 and under(e.head, [g.trigger, g.head]))


def _topic_of(e: Candidate, g: Candidate) -> bool:
    """"talks on a troop pullback from the border": the pullback is what is talked about."""
    if g.type != "CONSULT":
        return False
    for tok in {g.trigger.i: g.trigger, g.head.i: g.head}.values():
        topics = [c for c in tok.children
                  if (c.dep_ == "prep" and c.lower_ in cue_words("topic_preps"))
                  or (c.dep_ in ("xcomp", "advcl") and child_of(c, "aux") is not None)]
        if topics and (under(e.head, topics) or under(e.trigger, topics)):
            return True
    return False


def _reported_fact(e: Candidate, cues) -> bool:
    """Is this event told as having happened: a finite past verb ("bombed", "had shelled",
    "was blown up") without a modal, or a definite act of force ("responsibility for the
    attack")? Proposals and aims ("to withdraw", "that Israel withdraw") are not."""
    v = e.head
    if v.pos_ in ("NOUN", "PROPN"):
        return e.type in cues["material_conflict"] and definite(v)
    if v.pos_ not in ("VERB", "AUX"):
        return False
    auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ == "to" or a.tag_ == "MD" for a in auxes):
        return False
    if v.tag_ == "VBD":
        return True
    if v.tag_ == "VBN":
        return any(a.lemma_ in ("have", "be") and a.tag_ in ("VBD", "VBZ", "VBP", "VBN")
                   for a in auxes)
    return False


def _charge_of(e: Candidate, g: Candidate) -> bool:
    """"arrested for collaborating", "jailed for shelling": the charge is the reason for the
    act, not an event the article reports. An accusation's content ("accused the northern
    rebels of breaking the truce") is an act of its own, told by the accuser."""
    if g.type not in ("COERCE", "SANCTION"):
        return False
    v = e.head
    return (v.tag_ == "VBG" and v.dep_ == "pcomp" and v.head.lower_ in ("of", "for", "with")
            and v.head.head.i in (g.head.i, g.trigger.i))


def _riot_damage(e: Candidate, g: Candidate) -> bool:
    """"inmates rioted, setting fire to their cells": damage done in a riot is the riot."""
    v = e.head
    return (g.type == "PROTEST" and e.type == "ASSAULT" and e.mode in ("destroy", "primitive")
            and v.dep_ in ("advcl", "conj") and v.head.i in (g.head.i, g.trigger.i))


def _purpose_of(e: Candidate, g: Candidate) -> bool:
    v = e.head
    if v.pos_ != "VERB" or v.dep_ not in ("advcl", "xcomp", "acl"):
        return False
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
        return False
    return v.head.i in (g.head.i, g.trigger.i)
