"""Dependency-parse helpers shared by the events stage: subjects, objects, passives,
prepositional objects and the walk up a clause. They read spaCy tokens only; which actor a noun
phrase names is :mod:`.article`'s business.
"""

from __future__ import annotations

from triangulate.analyze.events.lexicon import cue_words, lexicon

# Dependency labels of a verb's children that are not inside what the verb reports, demands or
# refuses: its own subject, adjuncts of time and manner, coordinated clauses.
_OUTSIDE_SCOPE = frozenset({
    "nsubj", "nsubjpass", "csubj", "agent", "advmod", "npadvmod", "advcl", "conj", "cc", "punct",
    "relcl", "parataxis", "appos", "aux", "auxpass", "neg", "mark", "det", "poss", "amod",
    "compound", "nummod", "prt",
})
SUBJECTS = ("nsubj", "csubj")


def pobj(prep):
    for c in prep.children:
        if c.dep_ in ("pobj", "pcomp"):
            return c
    return None


def reporter_of(pron):
    """"Iran said it would ...": the subject pronoun of a reported clause is the reporter,
    when the pronoun fits ("it" an institution, "he"/"she" a person)."""
    word = pron.lower_
    if pron.dep_ not in ("nsubj", "nsubjpass") or word not in ("it", "they", "he", "she"):
        return None
    verb = pron.head
    if verb.dep_ != "ccomp":
        return None
    subj = child_of(verb.head, "nsubj")
    if subj is None or subj.pos_ == "PRON":
        return None
    person = subj.ent_type_ == "PERSON"
    if (word in ("he", "she")) != person:
        return None
    return subj


def cataphor(pron):
    """"After its retreat from the valley, the brigade ...": a pronoun in a
    fronted adjunct points forward to the subject of the clause it is fronted to."""
    t = pron
    for _ in range(6):
        if t.head.i == t.i:
            return None
        if t.dep_ in ("prep", "advcl", "npadvmod") and t.i < t.head.i \
                and t.head.pos_ in ("VERB", "AUX"):
            subj = child_of(t.head, "nsubj", "nsubjpass")
            if subj is not None and subj.i > pron.i and subj.pos_ != "PRON":
                return subj
            return None
        t = t.head
    return None


def is_passive(verb) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) \
        or _reduced_passive(verb)


def _reduced_passive(verb) -> bool:
    """"aid workers killed at their clinic", "Five soldiers wounded in ambush": a bare past
    participle with a subject and no auxiliary is a passive whose subject is the patient."""
    return (verb.tag_ == "VBN" and verb.dep_ in ("ROOT", "conj", "ccomp")
            and not any(c.dep_ in ("aux", "auxpass", "dobj") for c in verb.children)
            and any(c.dep_ == "nsubj" for c in verb.children)
            and verb.lemma_ in cue_words("patient_subject_verbs"))


def child_of(tok, *deps):
    for c in tok.children:
        if c.dep_ in deps:
            return c
    return None


def object_of(verb):
    """The verb's object: direct object, or passive subject; a container noun ("a series of
    attacks", "a state of emergency") stands for its "of" phrase."""
    obj = child_of(verb, "dobj") or (child_of(verb, "nsubjpass") if is_passive(verb) else None)
    return obj


def unwrap(noun, containers: frozenset[str]):
    if noun is not None and (noun.lemma_ in containers or noun.lemma_ in cue_words("quantity_heads")):
        for c in noun.children:
            if c.dep_ == "prep" and c.lemma_ == "of":
                inner = pobj(c)
                if inner is not None:
                    return inner
    return noun


def subject_of(verb, depth: int = 0):
    """The agent of a verb, following control, coordination and participles."""
    if depth > 4 or verb is None:
        return None
    if is_passive(verb) and verb.lemma_ in cue_words("stative_passives"):
        return child_of(verb, "nsubjpass")
    if is_passive(verb):
        agent = child_of(verb, "agent")
        return pobj(agent) if agent is not None else None
    subj = child_of(verb, *SUBJECTS)
    if subj is not None:
        if subj.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
            return verb.head
        if subj.pos_ == "VERB":
            # "The aid agency working in Chad said ...": the parser made the participle the
            # subject; its own subject is the speaker.
            return child_of(subj, "nsubj") or subj
        return subj
    head = verb.head
    if verb.dep_ == "relcl":
        return head
    if verb.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
        # "soldiers patrolling the area": the noun does it; "the deal reached": it is done;
        # "adopted a motion condemning ...": whoever adopted it.
        if verb.tag_ != "VBG":
            return None
        if head.lemma_ in cue_words("document_nouns") and head.dep_ in ("dobj", "nsubjpass"):
            return subject_of(head.head, depth + 1)
        return head
    if verb.dep_ == "acomp":
        return subject_of(head, depth + 1)
    purpose = verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to"
                                            for c in verb.children)
    if verb.dep_ in ("xcomp", "pcomp") or (verb.dep_ == "advcl" and verb.tag_ == "VBG") \
            or purpose:
        # "shunned work to protest at ...": a purpose shares its clause's subject
        governor = head.head if head.dep_ == "prep" else head
        if verb.dep_ == "pcomp" and governor.pos_ == "NOUN":
            governor = misattached_charge(verb)
            if governor is None:
                return None
        if verb.dep_ != "advcl":
            # Object control: "urged Israel to withdraw", "accused Iran of attacking".
            controller = child_of(governor, "dobj")
            if controller is None:
                on = next((c for c in governor.children
                           if c.dep_ == "prep" and c.lemma_ == "on"), None)
                controller = pobj(on) if on is not None else None
            if controller is None and is_passive(governor):
                # "Iran was accused of attacking ...", "Israel was urged to withdraw".
                controller = child_of(governor, "nsubjpass")
            if controller is not None and controller.i != verb.i:
                return controller
        return subject_of(governor, depth + 1) if governor.pos_ in ("VERB", "AUX", "ADJ") else None
    if verb.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
        if head.dep_ == "pcomp" and verb.lemma_ in cue_words("promise_verbs") | {"threaten", "warn"}:
            # "accusing the rebels of sabotaging the talks and vowing revenge": the parser hangs
            # the vow on the gerund; it is the accuser's.
            return subject_of(head.head.head, depth + 1)
        if head.dep_ == "ccomp" and is_passive(head) and not is_passive(verb) \
                and child_of(verb, "dobj") is not None \
                and verb_lemma(head.head) in cue_words("reporting_verbs"):
            # "the union said 27 hostages had been killed and accused the army of ...": the
            # parser hangs the second act on the reported passive; the victims do not accuse,
            # the one reporting does
            return subject_of(head.head, depth + 1)
        return subject_of(head, depth + 1)
    return None


def misattached_charge(gerund):
    """"accused fighters of Ukraine's Azov regiment of blowing up the building": the parser
    hangs the charge on the last noun of the object; it belongs to the accusing verb."""
    if gerund.head.lower_ != "of":
        return None
    t = gerund.head.head
    for _ in range(4):
        if t.pos_ in ("VERB", "AUX"):
            break
        if t.head.i == t.i:
            return None
        t = t.head
    else:
        return None
    if verb_lemma(t) not in lexicon().cues["charge_frames"]["of"] \
            or any(c.dep_ == "prep" and c.lower_ == "of" for c in t.children):
        return None
    obj = child_of(t, "dobj")
    return t if obj is not None and gerund.i > obj.i else None


def verb_lemma(verb) -> str:
    """The small model's lemmatizer slips on some verbs ("staged" -> "stag"); a lexicon word
    one "e" away is the better reading."""
    lemma = verb.lemma_.lower()
    if verb.lower_.endswith(("ed", "ing")) and lemma + "e" in lexicon().verb_lemmas:
        return lemma + "e"
    return lemma


def in_scope(child) -> bool:
    """Is this dependent part of what its head says, demands or refuses?"""
    if child.dep_ == "prep":
        return child.lower_ not in cue_words("circumstance_preps")
    if child.dep_ == "advcl":
        # "vowed to fight" is sometimes parsed as an adverbial clause.
        return any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)
    return child.dep_ not in _OUTSIDE_SCOPE


def under(tok, roots, limit: int = 12) -> bool:
    ids = {r.i for r in roots}
    t = tok
    for _ in range(limit):
        if t.i in ids:
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def definite(tok) -> bool:
    return any(c.dep_ in ("det", "poss") and c.lower_ in cue_words("definite_determiners") for c in tok.children)


def ancestors(tok, limit: int = 14) -> set[int]:
    out = {tok.i}
    t = tok
    for _ in range(limit):
        if t.head.i == t.i:
            break
        t = t.head
        out.add(t.i)
    return out


def clause_verb(tok):
    t = tok
    for _ in range(8):
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "aux", "auxpass"):
            return t
        if t.head.i == t.i:
            return t
        t = t.head
    return t


def relative_clauses(noun) -> list:
    """Relative clauses on a noun, including two the parser often hangs elsewhere: on the
    object of its prepositional phrase ("the attack on Ashkelon, which Israel blamed on the
    group") and, right after it, on the noun its "of" phrase modifies ("the cost of the
    invasion Russia launched on February 24")."""
    out = [c for c in noun.children if c.dep_ == "relcl"]
    for c in noun.children:
        if c.dep_ == "prep":
            inner = pobj(c)
            if inner is not None:
                out += [g for g in inner.children if g.dep_ == "relcl"]
    if noun.dep_ == "pobj" and noun.head.lower_ == "of":
        out += [g for g in noun.head.head.children
                if g.dep_ == "relcl" and g.left_edge.i == noun.i + 1]
    return out
