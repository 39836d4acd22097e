"""Which candidates are events the article reports: weak triggers need an agent, a victim or
a weapon; goals, generic statements, the writer's own reflections and figurative uses ("under
fire") are dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from triangulate.analyze.events.candidate import Candidate
from triangulate.analyze.events.parse import child_of, definite, is_passive

if TYPE_CHECKING:
    from triangulate.analyze.events.article import ArticleContext


_VERBAL_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "REQUEST", "ACCUSE",
                           "REJECT", "THREATEN"})


def _impersonal(cand: Candidate, art: ArticleContext) -> bool:
    """The writer's own reflections ("I accept your representation", "we are allowed to hold
    them both") and generic statements ("when you fire missiles at ships ...", "people
    blame the army"): no act of the conflict. "We" inside a quotation is the speaker's side,
    which attribution names."""
    head = cand.head
    if head.pos_ not in ("VERB", "AUX"):
        return False
    cues = art.lex.cues
    verbal = cand.type in _VERBAL_TYPES or cand.type == "CONCEDE"
    subj = child_of(head, "nsubj")
    if subj is None and verbal:
        subj = child_of(head, "nsubjpass")  # "we are allowed to ...": granted to the writer
    if subj is None:
        return False
    word = subj.lower_
    if subj.pos_ == "PRON" and word in cues["writer_pronouns"]:  # not "the US"
        return not art.quoted(subj.idx)
    if subj.pos_ in ("PRON", "NUM") and word in ("you", "one"):
        return True
    return verbal and word in cues["generic_subjects"] and subj.pos_ != "PROPN" and not any(
        c.dep_ in ("det", "amod", "nummod", "compound", "poss", "prep") for c in subj.children)


def _inner_permission(cand: Candidate, art: ArticleContext) -> bool:
    """"are allowed to weep with joy": thoughts and feelings are no one's to grant."""
    cues = art.lex.cues
    trig = cand.trigger
    if cand.type != "CONCEDE" or trig.lemma_ not in cues["permission_lemmas"]:
        return False
    act = child_of(trig, "xcomp", "ccomp")
    return act is not None and act.lemma_ in cues["inner_verbs"]


def _reflexive(cand: Candidate) -> bool:
    obj = child_of(cand.head, "dobj") if cand.head.pos_ == "VERB" else None
    return obj is not None and obj.lower_.endswith(("self", "selves"))


def _by_force(cand: Candidate, art: ArticleContext) -> bool:
    actor = art.by_id.get(cand.actor) if cand.actor is not None else None
    return actor is not None and actor.kind in art.lex.cues["force_kinds"]


def worth_keeping(cand: Candidate, art: ArticleContext) -> bool:
    """Weak triggers need something that makes them literal: an agent, a victim, a weapon.
    A nominal goal ("to win the sailors' release") is no event unless someone does it."""
    trig = cand.trigger
    if cand.strength == "content" or cand.goal:
        return False
    if _impersonal(cand, art) or _inner_permission(cand, art):
        return False
    if cand.type == "ASSAULT" and _reflexive(cand):
        if cand.mode != "explosives":
            return False  # "shot itself in the foot"
        cand.mode = "suicide-attack"  # "blew themselves up"
    if cand.hypothetical and trig.pos_ != "VERB" and cand.actor is None:
        return False
    if trig.pos_ == "NOUN" and trig.dep_ == "pobj" and trig.head.lower_ == "under" \
            and trig.lemma_ in ("attack", "fire", "pressure", "threat", "siege") \
            and not cand.weapon and not _by_force(cand, art):
        # "under attack", "under fire": usually figurative ("came under fire from critics"),
        # unless an armed force is the one firing ("came under Israeli fire")
        return False
    if cand.type in _VERBAL_TYPES and cand.actor_tok is not None and cand.actor is None \
            and not art.agentive(cand.actor_tok):
        return False  # "the strains of the war drove the council to ...": no speaker
    if cand.obj is not None and cand.head.pos_ == "VERB" and not is_passive(cand.head) \
            and cand.actor is None and not art.agentive(cand.actor_tok):
        return False  # "pressure can open a road": no one opens anything
    if cand.strength == "strong":
        if cand.head.pos_ == "VERB" or trig.pos_ == "VERB":
            # An agentless, patientless verb form ("accepting the proposal is ...", "a petition
            # delivered to ...") is a generic statement or a modifier, not a reported act.
            return (cand.actor_tok is not None or cand.target_tok is not None
                    or cand.obj is not None)
        # A bare event noun is often generic ("the noise of shelling", "a treaty that provides
        # for penalties"); anything that pins it to one happening will do.
        return (cand.actor is not None or cand.target is not None or cand.weapon
                or cand.place is not None or cand.date is not None
                or art.agentive(cand.actor_tok) or art.agentive(cand.target_tok)
                or definite(trig) or any(c.dep_ in ("prep", "amod", "nummod", "acl")
                                          for c in trig.children))
    # A weak trigger is literal with a doer, a weapon or a named victim; a place's people (a
    # target read off a place only) says no more than the place itself does.
    if cand.actor is not None or cand.target_rank > 2 or cand.weapon:
        return True
    if art.agentive(cand.actor_tok) or art.agentive(cand.target_tok):
        return True
    return cand.trigger.pos_ == "NOUN" and cand.place_in_phrase
