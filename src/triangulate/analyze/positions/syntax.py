"""Small dependency-parse helpers shared by the positions modules."""

from __future__ import annotations

_AGENTS = frozenset({"ORG", "GPE", "NORP", "PERSON"})


def child(tok, *deps):
    return next((c for c in tok.children if c.dep_ in deps), None)


def prep_of(tok, word: str):
    return next((c for c in tok.children if c.dep_ in ("prep", "agent") and c.lower_ == word), None)


def pobj(prep):
    return next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None) if prep is not None else None


def time_free(prep) -> bool:
    """"insisted on conditions", "agreed on a truce": an "on" that is no date ("on May 6")."""
    obj = pobj(prep)
    return prep.lower_ == "on" and obj is not None and obj.ent_type_ not in ("DATE", "TIME")


def subtree_without_clauses(tok) -> set[int]:
    """Token indices of a phrase, without relative clauses inside it."""
    out: set[int] = set()
    stack = [tok]
    while stack:
        t = stack.pop()
        out.add(t.i)
        stack.extend(c for c in t.children if c.dep_ != "relcl")
    return out


def noun_core(tok) -> set[int]:
    return {tok.i} | {t.i for c in tok.children if c.dep_ in ("compound", "amod", "nmod")
                      for t in c.subtree}


def governor(noun):
    """The clause word a stance noun is the object of ("announced its acceptance", "did not
    give its approval"), whose negation and modality are the stance's; else the noun."""
    t = noun
    for _ in range(3):
        if t.dep_ in ("dobj", "nsubjpass", "attr", "pobj", "prep") and t.head.i != t.i:
            t = t.head
            if t.pos_ in ("VERB", "AUX"):
                return t
        else:
            break
    return noun


def verb_subjects(verb, depth: int = 0) -> list:
    """The tokens naming who does what a verb says, following passives, control,
    coordination and participles."""
    if depth > 4:
        return []
    children = list(verb.children)
    agent = next((c for c in children if c.dep_ == "agent"), None)
    if agent is not None:
        obj = pobj(agent)
        return [obj] if obj is not None else []
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in children):
        return []
    subj = next((c for c in children if c.dep_ in ("nsubj", "csubj")), None)
    if subj is not None:
        if subj.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
            return [verb.head]
        if subj.pos_ == "VERB":
            return []  # a gerund subject ("agreeing to a truce would ...") names no one
        return [subj]
    head = verb.head
    if head.i == verb.i:
        return []
    if verb.dep_ == "relcl":
        return [head]
    if verb.dep_ == "acl":
        if verb.tag_ == "VBG" and head.dep_ in ("dobj", "nsubjpass") and head.head.pos_ == "VERB":
            # "passed a resolution rejecting ...": whoever passed it.
            inner = verb_subjects(head.head, depth + 1)
            if inner:
                return inner
        return [head] if verb.tag_ == "VBG" else []
    if verb.dep_ == "xcomp":
        obj = next((c for c in head.children if c.dep_ == "dobj"), None)
        if obj is not None and head.pos_ == "VERB":
            return [obj]  # object control: "urged Israel to accept"
        if head.pos_ in ("VERB", "AUX", "ADJ"):
            return verb_subjects(head, depth + 1)
        if head.pos_ in ("NOUN", "PROPN"):
            owner = next((c for c in head.children if c.dep_ == "poss"), None)
            return [owner] if owner is not None else []
        return []
    if verb.dep_ == "pcomp" or (verb.dep_ == "advcl" and verb.tag_ == "VBG"):
        governor = head.head if head.dep_ == "prep" else head
        if verb.dep_ == "pcomp" and governor.pos_ == "VERB":
            obj = next((c for c in governor.children if c.dep_ == "dobj"), None)
            if obj is not None and (obj.pos_ in ("PROPN", "PRON") or obj.ent_type_ in _AGENTS):
                return [obj]  # "accused Hamas of reneging", not "took the lead in brokering"
        if governor.pos_ in ("VERB", "AUX"):
            return verb_subjects(governor, depth + 1)
        return []
    if verb.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
        return verb_subjects(head, depth + 1)
    return []
