"""Which reading of a trigger word applies: lookup keys for verbs ("call for", "set fire") and
nouns ("air strike"), the context words around a trigger, and the named tests a sense may ask
for in ``triggers.tsv`` (``@animate_obj``, ``@duration``, ...).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from triangulate.analyze.events.lexicon import Lexicon, Sense, cue_words
from triangulate.analyze.events.parse import (
    child_of,
    in_scope,
    object_of,
    pobj,
    subject_of,
    verb_lemma,
)

if TYPE_CHECKING:
    from triangulate.analyze.events.article import ArticleContext


def verb_keys(verb) -> list[str]:
    """Lookup keys for a verb: phrasal forms first ("blow up", "call for", "set fire")."""
    lemma = verb_lemma(verb)
    keys = []
    for c in verb.children:
        if c.dep_ == "prt":
            keys.append(f"{lemma} {c.lower_}")
    for c in verb.children:
        if c.dep_ == "dobj":
            keys.append(f"{lemma} {c.lemma_.lower()}")
            for p in c.children:
                if p.dep_ == "prep":
                    keys.append(f"{lemma} {c.lemma_.lower()} {p.lower_}")
        elif c.dep_ == "prep" and c.i > verb.i:
            # "called for", "called on"; a fronted "for instance" is no part of the verb.
            keys.append(f"{lemma} {c.lower_}")
    keys.append(lemma)
    return keys


def _noun_keys(noun) -> list[str]:
    lemma = noun.lemma_.lower()
    keys = [f"{c.lemma_.lower()} {lemma}" for c in noun.children
            if c.dep_ in ("compound", "amod") and c.i < noun.i]
    keys.append(lemma)
    if noun.lower_ != lemma:
        keys.append(noun.lower_)
    return keys


def context_words(tok, lex: Lexicon, light=None) -> set[str]:
    """Lemmas around a trigger that cue its sense and mode: modifiers, prepositional objects,
    subject, the "by" phrase of a participle modifying it."""
    out: set[str] = set()

    def add_np(n, deep: bool = True) -> None:
        out.add(n.lemma_.lower())
        out.add(n.lower_)
        if deep:
            for g in n.children:
                if g.dep_ in ("compound", "amod", "nmod", "nummod"):
                    out.add(g.lemma_.lower())

    for c in tok.children:
        dep = c.dep_
        if dep in ("prep", "agent"):
            out.add(c.lower_)
            inner = pobj(c)
            if inner is not None:
                add_np(inner)
        elif dep in ("acl", "relcl"):
            out.add(c.lemma_.lower())  # "a march in Dakar to protest ..."
            for g in c.children:
                if g.dep_ in ("agent", "prep"):
                    inner = pobj(g)
                    if inner is not None:
                        add_np(inner)
        elif dep in ("dobj", "nsubj", "nsubjpass", "attr", "dative", "oprd", "compound",
                     "amod", "nmod", "advmod", "prt", "npadvmod"):
            add_np(c)
    if tok.pos_ == "NOUN" and tok.head.i != tok.i and tok.dep_ in ("dobj", "nsubjpass"):
        out.add(tok.head.lemma_.lower())
    elif tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.head.i != tok.head.i:
        out.add(tok.head.head.lemma_.lower())  # "remained on alert"
    verb = light if light is not None else (tok if tok.pos_ == "VERB" else None)
    if verb is not None:
        subj = subject_of(verb)
        if subj is not None:
            add_np(subj)
    return out


def choose_sense(senses: tuple[Sense, ...], tok, art: ArticleContext, ctx: set[str],
            light=None) -> Sense | None:
    for sense in senses:
        if not sense.cues and not sense.tests:
            return sense
        if sense.cues & ctx:
            return sense
        if any(_CUE_TESTS[name](tok, art, light) for name in sense.tests):
            return sense
    return None


def _test_intrans(tok, art, light) -> bool:
    return not any(c.dep_ in ("dobj", "ccomp", "xcomp", "attr", "oprd", "dative")
                   for c in tok.children)


def _test_clause(tok, art, light) -> bool:
    if any(c.dep_ in ("ccomp", "xcomp") or (c.dep_ == "advcl" and in_scope(c))
           for c in tok.children):
        return True
    return any(c.dep_ == "prep" and child_of(c, "pcomp") is not None for c in tok.children)


def _test_animate_obj(tok, art, light) -> bool:
    return art.animate(object_of(tok)) if tok.pos_ == "VERB" else False


def _test_inanimate_obj(tok, art, light) -> bool:
    obj = child_of(tok, "dobj")
    return obj is not None and not art.agentive(obj)


def _test_abstract_obj(tok, art, light) -> bool:
    """"attacked his credibility": an object that is neither someone nor somewhere."""
    obj = child_of(tok, "dobj")
    return obj is not None and obj.lemma_ in art.lex.cues["abstract_objects"]


def _test_place_obj(tok, art, light) -> bool:
    return art.placelike(object_of(tok)) if tok.pos_ == "VERB" else False


def _test_civil_subj(tok, art, light) -> bool:
    civil = art.lex.cues["civil_nouns"]
    verb = light if light is not None else (tok if tok.pos_ == "VERB" else None)
    subj = subject_of(verb) if verb is not None else None
    if subj is not None and subj.lemma_ in civil:
        return True
    if tok.pos_ == "NOUN":
        for c in tok.children:
            if c.dep_ == "acl":
                agent = child_of(c, "agent")
                inner = pobj(agent) if agent is not None else None
                if inner is not None and inner.lemma_ in civil:
                    return True
    return False


def _test_has_actor(tok, art, light) -> bool:
    if light is not None:
        return art.agentive(subject_of(light))
    return any(c.dep_ in ("poss", "compound", "amod") and art.agentive(c) for c in tok.children)


def _test_state_subj(tok, art, light) -> bool:
    verb = light if light is not None else (tok if tok.pos_ == "VERB" else None)
    subj = subject_of(verb) if verb is not None else None
    return subj is not None and subj.lemma_ in cue_words("state_nouns")


def _test_org_obj(tok, art, light) -> bool:
    obj = object_of(tok) if tok.pos_ == "VERB" else None
    return obj is not None and (obj.ent_type_ == "ORG" or obj.lemma_ in cue_words("organisation_nouns"))


_DURATION = re.compile(r"(?:\d+|one|two|three|four|five|six|seven|ten)-(?:hour|day|week|month)"
                       r"|open-ended|indefinite|token|sit-down|wildcat", re.I)


def _test_duration(tok, art, light) -> bool:
    """"a four-day strike", "an open-ended strike": a stoppage of work, not an air strike."""
    return any(_DURATION.fullmatch(c.text) for c in tok.children
               if c.dep_ in ("amod", "compound", "nummod", "nmod"))


def _test_under(tok, art, light) -> bool:
    """"came under Israeli fire", "remained under fire": a noun someone comes or is put under
    (under_verbs) names what was done to them, whatever the weapon."""
    return tok.dep_ == "pobj" and tok.head.lower_ == "under" \
        and verb_lemma(tok.head.head) in cue_words("under_verbs")


_CUE_TESTS = {
    "intrans": _test_intrans,
    "under": _test_under,
    "clause": _test_clause,
    "animate_obj": _test_animate_obj,
    "inanimate_obj": _test_inanimate_obj,
    "place_obj": _test_place_obj,
    "civil_subj": _test_civil_subj,
    "has_actor": _test_has_actor,
    "state_subj": _test_state_subj,
    "org_obj": _test_org_obj,
    "duration": _test_duration,
    "abstract_obj": _test_abstract_obj,
}


def noun_sense(noun, art: ArticleContext, light=None) -> Sense | None:
    lex = art.lex
    ctx = None
    if noun.lemma_ in lex.cues["container_heads"]:
        for c in noun.children:
            if c.dep_ == "compound" and c.pos_ == "NOUN":
                inner = noun_sense(c, art, light)
                if inner is not None:
                    return inner  # "launched a mediation effort", "a hunger strike campaign"
    for key in _noun_keys(noun):
        senses = lex.triggers.get((key, "N"))
        if senses:
            if ctx is None:
                ctx = context_words(noun, lex, light)
            return choose_sense(senses, noun, art, ctx, light)
    return None


def object_classes(noun, art: ArticleContext, sense: Sense | None) -> list[tuple[str, str | None]]:
    """(class, mode) readings of an object noun, most specific first."""
    lex = art.lex
    out: list[tuple[str, str | None]] = []
    lemma = noun.lemma_.lower()
    for c in noun.children:
        if c.dep_ in ("amod", "compound") and f"{c.lemma_.lower()} {lemma}" in lex.objects:
            out.append(lex.objects[f"{c.lemma_.lower()} {lemma}"])
        if c.dep_ == "prep" and c.lemma_ == "of":
            inner = pobj(c)
            key = f"{lemma} of {inner.lemma_.lower()}" if inner is not None else ""
            if key in lex.objects:
                out.append(lex.objects[key])
    for key in (lemma, noun.lower_):
        if key in lex.objects:
            out.append(lex.objects[key])
    if lemma in lex.cues["container_heads"]:
        for c in noun.children:
            if c.dep_ == "compound" and c.lemma_.lower() in lex.objects:
                out.append(lex.objects[c.lemma_.lower()])
    if sense is not None and sense.type is not None:
        cls = cue_words("type_classes").get(sense.type)
        if cls:
            out.append((cls, sense.mode))
        out.append(("event", sense.mode))
    return out
