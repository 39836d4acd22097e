"""Who did it to whom: the agent and patient of a candidate from the parse (subject, "by"
phrase, possessor, object, prepositional target), the party an accusation lays the act at,
and a demand's or threat's target taken from its content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from triangulate.analyze.events.agents import complete_actor
from triangulate.analyze.events.candidate import Candidate
from triangulate.analyze.events.lexicon import cue_words
from triangulate.analyze.events.parse import (
    SUBJECTS,
    child_of,
    is_passive,
    pobj,
    relative_clauses,
    subject_of,
    verb_lemma,
)

if TYPE_CHECKING:
    from triangulate.analyze.events.article import ArticleContext


def assign_roles(cand: Candidate, art: ArticleContext) -> None:
    lex = art.lex
    head, trig = cand.head, cand.trigger
    preps = lex.cues["target_preps"].get(cand.type, frozenset())
    if head.pos_ in ("VERB", "AUX"):
        if cand.actor_tok is None:
            cand.actor_tok = subject_of(head)
        if cand.target_tok is None:
            cand.target_tok = _verb_target(cand, art, preps)
    nominal = trig if trig.pos_ in ("NOUN", "PROPN") else None
    if nominal is not None:
        noun = nominal
        actor_tok, target_tok = _noun_roles(noun, cand, art, preps)
        if cand.actor_tok is None or not art.agentive(cand.actor_tok):
            cand.actor_tok = actor_tok or cand.actor_tok
        if target_tok is not None and (cand.target_tok is None
                                       or not art.agentive(cand.target_tok)):
            cand.target_tok = target_tok
        if cand.actor_tok is None or not art.agentive(cand.actor_tok):
            cand.actor_tok = _charged(noun, art) or cand.actor_tok
    if cand.obj is not None and cand.actor_tok is None \
            and cand.obj.lemma_.lower() in cue_words("force_nouns") \
            and art.actor_of(cand.obj) and not art.generic(art.actor_of(cand.obj)):
        # "the deployment of NATO troops", "sent Russian troops": whose troops they are acts
        cand.actor_tok = cand.obj
    if cand.obj is not None and cand.target_tok is None and cand.actor_tok is not cand.obj:
        # "expelled two Russian diplomats": the diplomats' country is the one sanctioned.
        for c in cand.obj.children:
            if c.dep_ == "prep" and c.lower_ in preps:
                inner = pobj(c)
                if inner is not None and art.agentive(inner):
                    cand.target_tok = inner
                    break
        else:
            if art.actor_of(cand.obj) and not _own(cand.obj):
                cand.target_tok = cand.obj
    if trig.pos_ in ("NOUN", "PROPN") and trig.dep_ == "pobj" and trig.head.lower_ == "under" \
            and verb_lemma(trig.head.head) in cue_words("under_verbs"):
        # "was put under investigation", "placed him under arrest", "came under attack": the
        # one put or coming under it is the target.
        verb = trig.head.head
        patient = child_of(verb, "dobj", "nsubjpass") or child_of(verb, "nsubj")
        if patient is not None and patient.i != trig.i:
            cand.target_tok = patient
            if cand.actor_tok is patient:
                cand.actor_tok = None
    if cand.actor_tok is None and trig.pos_ in ("NOUN", "PROPN") and head.i == trig.i:
        # "The envoy arrived in Nairobi on a visit", "negotiators return for talks", "forces
        # rescued four hostages in an operation backed by heavy air strikes".
        cand.actor_tok = _means_of(trig)
    cand.actor = art.actor_of(cand.actor_tok)
    cand.target = art.actor_of(cand.target_tok, "target")
    complete_actor(cand, art)
    if cand.target is not None and cand.target == cand.actor:
        cand.target = None
    if cand.target is not None:
        cand.target_rank = 3 if art.generic(cand.target) else 5


def _means_of(noun):
    """The subject of the act a nominal event is the occasion or means of: "on a visit", "in
    an operation backed by air strikes", "with artillery fire" (the clause's own subject; a
    passive clause's subject suffered it)."""
    t = noun
    for _ in range(6):
        if t.dep_ == "pobj" and t.head.lower_ in cue_words("means_preps") \
                and t.head.head.pos_ == "VERB":
            verb = t.head.head
            if is_passive(verb):
                return None
            # the subject nearest the verb: a dateline before it is parsed as one too
            subjects = [c for c in verb.children if c.dep_ == "nsubj"]
            return subjects[-1] if subjects else None
        if t.dep_ in ("pobj", "agent", "acl", "prep", "conj") and t.head.i != t.i:
            t = t.head
            continue
        return None
    return None


def _own(noun) -> bool:
    """"its troops", "their fighters": the doer's own people or things."""
    return any(c.dep_ == "poss" and c.pos_ == "PRON" and c.lower_ in ("its", "their", "our")
               for c in noun.children)


def _charged(noun, art: ArticleContext):
    """Whom an accusation or a credit lays the act at: "blamed the blast on Hamas",
    "attributed the strike to Ukrainian forces", "accused Iran of the attack", "held Israel
    responsible for the raid", "Hamas was blamed for the bombing"."""
    frames = art.lex.cues["charge_frames"]
    dep = noun.dep_
    for c in relative_clauses(noun):
        # "the attack, which Israel blamed on the group"
        if verb_lemma(c) in (*frames["on"], *frames["to"]) and any(
                g.dep_ in ("dobj", "nsubjpass") and g.tag_ in ("WDT", "WP") for g in c.children):
            prep = next((g for g in c.children
                         if g.dep_ in ("prep", "dative") and g.lower_ in ("on", "to")), None)
            if prep is not None and pobj(prep) is not None:
                return pobj(prep)
    if dep in ("dobj", "nsubjpass"):
        verb = noun.head
        lemma = verb_lemma(verb)
        for word in ("on", "to"):
            if lemma in frames[word]:
                prep = next((c for c in verb.children
                             if c.dep_ in ("prep", "dative") and c.lower_ == word), None)
                if prep is not None:
                    return pobj(prep)
        return None
    if dep != "pobj" or noun.head.lower_ not in ("of", "for"):
        return None
    word = noun.head.lower_
    gov = noun.head.head
    holder = None
    if gov.pos_ == "ADJ" and gov.head.i != gov.i:
        holder = child_of(gov, "nsubj")  # "held Israel responsible": a small clause
        gov = gov.head
    if gov.pos_ != "VERB" or verb_lemma(gov) not in frames[word]:
        return None
    if is_passive(gov):
        return child_of(gov, "nsubjpass")
    return child_of(gov, "dobj") or holder


def _verb_target(cand: Candidate, art: ArticleContext, preps: frozenset[str]):
    head = cand.head
    lex = art.lex
    if cand.type == "REQUEST":
        for c in head.children:
            if c.dep_ == "ccomp" and (c.lemma_ != head.lemma_):
                subj = child_of(c, *SUBJECTS, "nsubjpass")
                if subj is not None:
                    return subj
    if is_passive(head) and cand.obj is None and head.lemma_ not in cue_words("stative_passives"):
        return child_of(head, "nsubjpass", "nsubj")
    if head.dep_ == "acl" and head.tag_ == "VBN" and cand.obj is None:
        return head.head  # "aid workers killed at their clinic"
    found = []
    obj = child_of(head, "dobj")
    if obj is not None and cand.obj is None and cand.type in lex.cues["object_is_target"] \
            and cand.trigger.i == head.i and (cand.type != "RETREAT"
                                              or cand.mode in ("release", "return")) \
            and not _own(obj):
        # What is withdrawn ("withdrew its troops") is not whom it is withdrawn from, and
        # what one offers, sends or mobilises of one's own ("offered its troops") is no target.
        found.append(obj)
    dative = child_of(head, "dative")
    if dative is not None and dative.pos_ != "ADP":
        found.append(dative)
    holders = [head] + ([obj] if obj is not None else [])
    for holder in holders:
        for c in holder.children:
            if c.dep_ in ("prep", "dative") and c.lower_ in preps:
                inner = pobj(c)
                if inner is not None and inner.pos_ != "VERB" \
                        and inner.ent_type_ not in ("DATE", "TIME"):  # not "on Wednesday"
                    found.append(inner)
    # "shared intelligence with Britain": someone beats something.
    return next((t for t in found if art.agentive(t)), found[0] if found else None)


def _noun_roles(noun, cand: Candidate, art: ArticleContext, preps: frozenset[str]):
    """Agent and patient of a nominal trigger: "Russia's attack on the port", "a Russian
    airstrike", "the withdrawal of Chadian forces", "raids by the militia on two villages"."""
    agents = []
    target_tok = None
    of_target = "of" in preps or cand.mode in ("release", "return")
    for c in noun.children:
        dep = c.dep_
        if dep == "poss" and c.ent_type_ not in ("DATE", "TIME") or dep in ("compound", "amod", "nmod") and c.i < noun.i and art.actor_of(c):  # not "Saturday's raid"
            agents.append(c)
        elif dep in ("prep", "agent"):
            inner = pobj(c)
            if inner is None or inner.pos_ == "VERB":
                continue
            word = c.lower_
            if word == "by":
                agents.insert(0, inner)
            elif word == "of":
                if cand.obj is not None and inner.i == cand.obj.i:
                    continue
                if of_target:
                    target_tok = target_tok or inner
                else:
                    agents.append(inner)
            elif word == "between" or (
                    word == "from" and art.actor_of(inner) and not art.placelike(inner)):
                agents.append(inner)
            elif word in preps and target_tok is None:
                target_tok = inner
        elif dep == "acl":
            agent = child_of(c, "agent")
            inner = pobj(agent) if agent is not None else None
            if inner is not None:
                agents.append(inner)
    for c in relative_clauses(noun):
        if (verb_lemma(c), "V", "event") in art.lex.compose:
            subj = child_of(c, "nsubj")  # "the invasion Russia launched on February 24"
            if subj is not None:
                agents.append(subj)
    actor_tok = next((a for a in agents if art.actor_of(a)),
                     next((a for a in agents if art.agentive(a)), agents[0] if agents else None))
    return actor_tok, target_tok


def inherit_from_folded(cand: Candidate, art: ArticleContext) -> None:
    """A demand's or threat's target is often only in its content ("demanded that Sudan
    return...", "threatened to bomb border villages")."""
    # A protest is aimed at whom its demands are ("staged rallies to demand that the
    # government resign"); other purposes say nothing of the target ("ordered a raid on the
    # port to free the captives").
    sources = cand.folded + (cand.absorbed if cand.type == "PROTEST" else [])
    # "opened fire to disperse the demonstrators": whom a purpose acts on, the act hit.
    sources += [e for e in cand.absorbed if cand.type != "PROTEST" and e.target is not None
                and e.head.dep_ in ("advcl", "xcomp") and e.head.head.i in (cand.head.i,
                                                                          cand.trigger.i)]
    if cand.target is not None or not sources:
        return
    for e in sources:
        # A demand or a refusal is aimed at whoever is to act or made the proposal ("rejected
        # French mediation"); a threat or a promise at whoever it would hit or help.
        first = (e.actor, e.target) if cand.type in ("REQUEST", "REJECT") else (e.target,)
        for who in first:
            if who is not None and who != cand.actor:
                cand.target, cand.target_rank = who, 3
                return
