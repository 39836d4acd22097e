"""Negation, hypotheticals, intentions and aims, and PLOVER's reading of them: "did not
accept" is a REJECT, a stated future cooperative act an AGREE, a stated future act of force
a THREATEN.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from triangulate.analyze.events.candidate import Candidate
from triangulate.analyze.events.parse import child_of, definite, misattached_charge

if TYPE_CHECKING:
    from triangulate.analyze.events.article import ArticleContext


def assign_modality(cand: Candidate, art: ArticleContext) -> None:
    cues = art.lex.cues
    head = cand.head
    trig = cand.trigger
    if trig.pos_ in ("NOUN", "PROPN"):
        for c in trig.children:
            if c.dep_ == "det" and c.lower_ in ("no",):
                cand.negated = True
        if head.i == trig.i:
            # A nominal event is as real as the clause it sits in ("a ground offensive on the
            # port would end in a massacre").
            gov = trig.head.head if trig.dep_ == "pobj" else trig.head
            if gov.i != trig.i and gov.pos_ in ("VERB", "AUX") and trig.dep_ in (
                    "nsubj", "dobj", "pobj", "nsubjpass", "attr"):
                neg, hypo, intent = _verb_modality(gov, cues)
                if trig.dep_ == "nsubj" and definite(trig):
                    return  # "this killing could spark a war": it happened
                # What someone hopes, plans or will do to an event has not happened yet.
                cand.hypothetical = cand.hypothetical or hypo or intent
                if trig.dep_ in ("dobj", "pobj") and gov.lemma_ in cues["goal_verbs"]:
                    cand.goal = True  # "will seek new sanctions", "push for a ceasefire"
                if trig.dep_ == "pobj" and trig.head.lower_ == "for" \
                        and cand.type in ("AID", "SUPPORT"):
                    cand.goal = True  # "turned to Egypt for help": sought, not given
                if trig.dep_ == "dobj":
                    cand.negated = cand.negated or neg
            return
    neg, hypo, intent = _verb_modality(head, cues)
    cand.negated = cand.negated or neg
    cand.hypothetical = cand.hypothetical or hypo
    cand.intention = intent
    cand.goal = _goal(cand, cues)


def _goal(cand: Candidate, cues) -> bool:
    """Aims, conditions and generic statements: "efforts to halt the clashes", "unless the
    president agrees", "removing the sanctions is out of the question", "talks aimed at
    ending the war", "trying to broker a deal"."""
    head = cand.head
    if head.pos_ != "VERB":
        return False
    to = any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children)
    if head.dep_ == "acl" and to:
        # "an attempt to assassinate the governor was thwarted": attempted force is force.
        return not (head.head.lemma_ in ("attempt", "bid")
                    and cand.type in cues["material_conflict"])
    subj = child_of(head, "nsubj")
    if head.tag_ == "VB" and head.dep_ == "ROOT" and subj is None and not to:
        return True  # an imperative ("Ask them ...") tells the reader, it reports nothing
    if head.tag_ == "VBG" and head.dep_ in ("csubj", "nsubj", "csubjpass", "attr", "acomp") \
            and child_of(head, "nsubj") is None:
        return True
    t = head
    for _ in range(6):
        if t.dep_ == "advcl":
            mark = child_of(t, "mark")
            if mark is not None and (mark.lower_ in cues["condition_marks"] or (
                    mark.lower_ == "before" and t.tag_ in ("VBP", "VBZ", "VB"))):
                return True
        if t.head.i == t.i:
            break
        t = t.head
    t = head
    for _ in range(4):
        # "a readiness to send the troops to seize ...": inside an infinitival
        # modifier of a noun, nothing has happened.
        if t.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children):
            return True
        if t.dep_ not in ("xcomp", "advcl", "conj") or t.head.i == t.i:
            break
        t = t.head
    if head.dep_ == "pcomp" and head.tag_ == "VBG" and head.head.lower_ == "of" \
            and head.head.head.pos_ == "NOUN" and misattached_charge(head) is None:
        return True  # "the wisdom of pledging loyalty to the governor"
    if head.dep_ == "xcomp" and head.head.pos_ == "ADJ" \
            and head.head.lemma_ not in cues["intention_governors"]:
        return True  # "too early to discuss", "hard to verify"
    if head.dep_ in ("pcomp", "xcomp"):
        gov = head.head.head if head.head.dep_ == "prep" else head.head
        if gov.dep_ == "acl" and gov.tag_ == "VBN" and gov.lemma_ in cues["purpose_participles"]:
            return True
        if gov.lemma_ in cues["attempt_verbs"] and cand.type in cues["cooperative"]:
            return True
        if gov.lemma_ in cues["goal_governors"] and head.dep_ == "xcomp":
            return True
    return False


def _verb_modality(verb, cues) -> tuple[bool, bool, bool]:
    negated = hypothetical = intention = False
    shares_negation = True
    v = verb
    for _ in range(4):
        auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass", "neg", "advmod")]
        for a in auxes:
            word = a.lower_
            if a.dep_ == "neg" or word == "never":
                negated = negated or shares_negation
            elif a.dep_ == "aux" and (word in cues["future_auxiliaries"] or a.lemma_ == "will"):
                intention = True
            elif a.dep_ == "aux" and word == "would":
                if _reported(v, cues):
                    intention = True
                else:
                    hypothetical = True
            elif a.dep_ == "aux" and word in cues["hypothetical_modals"]:
                hypothetical = True
        mark = child_of(v, "mark")
        if v.dep_ == "advcl" and mark is not None and mark.lower_ in cues["conditional_marks"]:
            hypothetical = True
        if v.dep_ in ("xcomp", "pcomp", "ccomp") or (v.dep_ == "acomp"):
            gov = v.head.head if v.head.dep_ == "prep" else v.head
            lemma = gov.lemma_.lower()
            if lemma in cues["intention_governors"] or (lemma == "go" and gov.tag_ == "VBG"):
                intention = True
            if lemma in cues["negating_governors"] and (
                    v.dep_ == "xcomp" or (v.dep_ == "pcomp" and v.head.lower_ == "from")):
                negated = True
            if gov.pos_ == "ADJ" and gov.lemma_ in cues["intention_governors"]:
                intention = True
            if v.dep_ == "ccomp" or gov.pos_ not in ("VERB", "AUX", "ADJ"):
                break
            v = gov
            continue
        if v.dep_ == "conj" and not any(c.dep_ in ("aux", "nsubj") for c in v.children):
            # "had not carried out any missions ..., and accused ...": a comma before the
            # coordinator closes the negated predicate; its auxiliaries still carry over.
            doc = v.doc
            if v.i >= 2 and doc[v.i - 1].dep_ == "cc" and doc[v.i - 2].text == ",":
                shares_negation = False
            v = v.head
            continue
        mark = child_of(v, "mark")
        if v.dep_ == "advcl" and v.tag_ == "VBG" and v.head.pos_ in ("VERB", "AUX") \
                and (mark is None or mark.lower_ in ("while", "as", "by", "when")):
            v = v.head  # "it would widen its reach while deepening trade links"
            continue
        break
    # Conditionals higher up the tree make everything below them conditional.
    up = verb
    for _ in range(6):
        if up.dep_ == "advcl":
            mark = child_of(up, "mark")
            if mark is not None and mark.lower_ in cues["conditional_marks"]:
                hypothetical = True
                break
        if up.head.i == up.i:
            break
        up = up.head
    return negated, hypothetical, intention


def _reported(verb, cues) -> bool:
    """Future-in-the-past: "said they would meet" reports an intention."""
    v = verb
    for _ in range(3):
        if v.dep_ == "ccomp" and v.head.lemma_ in cues["reporting_verbs"]:
            return True
        if v.dep_ in ("conj", "ccomp", "xcomp"):
            v = v.head
            continue
        break
    return False


def resolve_type(cand: Candidate, cues, art: ArticleContext | None = None) -> None:
    """PLOVER's reading of refusals and stated intentions."""
    if cand.type == "ASSAULT" and cand.trigger.lemma_ in cues["verbal_attack_lemmas"] \
            and art is not None and not cand.weapon and cand.head.i == cand.trigger.i \
            and not art.placelike(cand.target_tok):
        kind = art.kind_of(cand.actor)
        if kind in cues["verbal_actor_kinds"]:
            # "Trump attacked loopholes", "the party's attacks on the bill": words, not force.
            cand.type, cand.mode = "ACCUSE", "disapprove"
    if cand.negated and cand.type in cues["refusable"] and cand.head.pos_ == "VERB" \
            and not cand.hypothetical:
        cand.type, cand.mode, cand.negated = "REJECT", None, False
        return
    if cand.intention and cand.actor_tok is None:
        # "The vigil will be held on Sunday": announced, but nobody is committing to it.
        cand.intention, cand.hypothetical = False, True
    if cand.hypothetical and cand.type in cues["material_conflict"] and cand.head.pos_ == "VERB" \
            and _conditioned(cand.head, cues) and cand.actor_tok is not None:
        # "The EC may halt mediation if cooperation founders": a conditional threat.
        cand.intention, cand.hypothetical = True, False
    if cand.intention and not cand.negated:
        if cand.type in cues["cooperative"] and cand.type != "AGREE":
            cand.type, cand.mode = "AGREE", None
        elif cand.type in cues["material_conflict"]:
            cand.mode = _threat_mode(cand.type, cand.mode, cues)
            cand.type = "THREATEN"
    if cand.type == "AGREE" and cand.trigger.lemma_ in cues["promise_verbs"] and any(
            (e.type in cues["material_conflict"] or e.type == "THREATEN")
            and _direct(e, cand) for e in cand.folded):
        cand.type = "THREATEN"  # "vowed retaliation", "promised strikes against Israel"
    if cand.type == "THREATEN" and cand.mode is None:
        for e in cand.folded:
            mode = _threat_mode(e.type, e.mode, cues)
            if mode:
                cand.mode = mode
                break


def _direct(e: Candidate, g: Candidate) -> bool:
    """Is e the governor's own complement, not something mentioned inside it?"""
    t = e.head
    for _ in range(3):
        if t.head.i in (g.trigger.i, g.head.i):
            return True
        if t.head.i == t.i or t.dep_ not in ("xcomp", "advcl", "pobj", "prep", "dobj", "conj"):
            return False
        t = t.head
    return False


def _conditioned(verb, cues) -> bool:
    for c in verb.children:
        if c.dep_ == "advcl":
            mark = child_of(c, "mark")
            if mark is not None and mark.lower_ in ("if", "unless"):
                return True
    return False


def _threat_mode(typ: str, mode: str | None, cues) -> str | None:
    table = cues["threaten_modes"]
    return table.get(f"{typ}/{mode}") or table.get(typ)
