"""Finding event candidates: sentences holding a possible trigger (screened on the parse
arrays), then verbal, nominal and composed triggers ("launched an attack") and reported
obligations ("Sudan must return the helicopter") in each.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

import numpy
from spacy.attrs import LEMMA, LOWER, POS, SENT_START
from spacy.parts_of_speech import ADJ, AUX, NOUN, PROPN, VERB

from triangulate.analyze.events.candidate import Candidate
from triangulate.analyze.events.lexicon import word_hashes
from triangulate.analyze.events.parse import (
    object_of,
    pobj,
    subject_of,
    unwrap,
    verb_lemma,
)
from triangulate.analyze.events.senses import (
    choose_sense,
    context_words,
    noun_sense,
    object_classes,
    verb_keys,
)

if TYPE_CHECKING:
    from triangulate.analyze.events.article import ArticleContext


_PHRASE_PREPS = frozenset({"for", "on", "to", "against", "of", "with", "from"})
_NAME_ENTS = frozenset({"ORG", "WORK_OF_ART", "LAW", "EVENT", "FAC", "PRODUCT", "PERSON", "GPE",
                        "NORP", "LOC"})
_CONTENT_POS = [VERB, AUX, NOUN, PROPN, ADJ]
_VERB_POS = [VERB, AUX]


def _verb_candidate(verb, art: ArticleContext, sent) -> Candidate | None:
    lex = art.lex
    containers = lex.cues["container_heads"]
    keys = verb_keys(verb)
    obj = unwrap(object_of(verb), containers)
    particles = {c.lower_ for c in verb.children if c.dep_ == "prt"}
    objects = []
    for key in keys:
        parts = key.split()
        if len(parts) == 1 or (len(parts) == 2 and parts[1] in particles):
            objects.append((key, obj))
        elif parts[-1] in _PHRASE_PREPS:
            # "call for a ceasefire", "claim responsibility for the attack": the object is
            # the prepositional object of the phrase.
            prep = _find_prep(verb, parts[-1], via=parts[1] if len(parts) == 3 else None)
            inner = unwrap(pobj(prep), containers) if prep is not None else None
            if inner is not None:
                objects.append((key, inner))
    for key, noun in objects:
        if noun is None or noun.pos_ not in ("NOUN", "PROPN"):
            continue
        sense = noun_sense(noun, art, light=verb)
        for cls, obj_mode in object_classes(noun, art, sense):
            row = lex.compose.get((key, "V", cls))
            if row is None:
                continue
            typ, mode = row
            if typ == "=":
                if sense is None or sense.type is None:
                    continue
                return Candidate(trigger=noun, head=verb, type=sense.type, mode=sense.mode,
                             strength="strong", sent=sent, obj=None)
            mode = obj_mode if mode == "*" else mode
            return Candidate(trigger=verb, head=verb, type=typ, mode=mode, strength="strong",
                         sent=sent, obj=noun)
    ctx = None
    for key in keys:
        senses = lex.triggers.get((key, "V"))
        if not senses:
            continue
        if ctx is None:
            ctx = context_words(verb, lex)
        sense = choose_sense(senses, verb, art, ctx)
        if sense is None:
            continue
        if sense.type is None or sense.strength == "gov":
            return None
        return Candidate(trigger=verb, head=verb, type=sense.type, mode=sense.mode,
                     strength=sense.strength, sent=sent)
    return None


def _find_prep(verb, word: str, via: str | None):
    holders = [verb]
    if via is not None:
        holders = [c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() == via]
    for holder in holders:
        for c in holder.children:
            if c.dep_ == "prep" and c.lower_ == word:
                return c
    return None


def _noun_candidate(noun, art: ArticleContext, sent) -> Candidate | None:
    lex = art.lex
    if noun.dep_ == "compound" or noun.ent_type_ in _NAME_ENTS:
        return None  # "invasion forces", "Asia-Pacific Economic Cooperation"
    nxt = noun.nbor(1) if noun.i + 1 < len(noun.doc) else None
    if nxt is not None and nxt.text == "-" and not nxt.whitespace_:
        return None  # "veto-wielding members", "strike-hit town"
    sense = noun_sense(noun, art)
    # "the lifting of the curfew", "suspension of air links": the noun governs an "of" object.
    for c in noun.children:
        if c.dep_ == "prep" and c.lemma_ == "of":
            inner = unwrap(pobj(c), lex.cues["container_heads"])
            if inner is None or inner.pos_ not in ("NOUN", "PROPN"):
                continue
            inner_sense = noun_sense(inner, art)
            for cls, obj_mode in object_classes(inner, art, inner_sense):
                row = lex.compose.get((noun.lemma_.lower(), "N", cls))
                if row is not None and row[0] != "=":
                    mode = obj_mode if row[1] == "*" else row[1]
                    # "Norway announced a suspension of fuel sales": Norway suspends them.
                    head = noun.head if noun.dep_ == "dobj" and (
                        verb_lemma(noun.head), "V", "event") in lex.compose else noun
                    return Candidate(trigger=noun, head=head, type=row[0], mode=mode,
                                 strength="strong", sent=sent, obj=inner)
    if sense is None or sense.type is None or sense.strength == "gov":
        return None
    return Candidate(trigger=noun, head=noun, type=sense.type, mode=sense.mode,
                 strength=sense.strength, sent=sent)


def _request_by_modal(verb, art: ArticleContext, sent) -> Candidate | None:
    """"Russia said Sudan must return the helicopter": a reported obligation is a demand."""
    cues = art.lex.cues
    if verb.dep_ not in ("ccomp", "acl") or (
            verb.head.lemma_ not in cues["request_reporting_verbs"]
            and verb.head.lemma_ not in cues["request_nouns"]):
        return None
    modal = next((c for c in verb.children
                  if c.dep_ == "aux" and c.lower_ in cues["request_modals"]), None)
    if modal is None or any(c.dep_ == "aux" and c.lower_ == "have" for c in verb.children):
        return None  # "should have gone" judges the past, it asks for nothing
    obligee = subject_of(verb)
    if obligee is None or obligee.lower_ in ("i", "we", "you", "one", "it", "there"):
        return None
    cand = Candidate(trigger=modal, head=verb.head, type="REQUEST", mode=None, strength="strong",
                 sent=sent)
    cand.target_tok = obligee
    cand.scope = [verb]
    return cand


def sentences_with_hits(doc, art: ArticleContext):
    """(sentence, start of its date window, candidate token indices) for each sentence that
    holds a possible trigger."""
    if len(doc) == 0:
        return
    arr = doc.to_array([LEMMA, LOWER, POS, SENT_START])
    words, modals = word_hashes()
    lemma, lower, pos, sent_start = (arr[:, i] for i in range(4))
    content = numpy.isin(pos, _CONTENT_POS)
    hit = content & (numpy.isin(lemma, words) | numpy.isin(lower, words))
    starts = numpy.flatnonzero(sent_start == 1).tolist()
    if not starts:
        starts = [s.start for s in doc.sents]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    bounds = list(zip(starts, starts[1:] + [len(doc)], strict=True))
    found = set(numpy.flatnonzero(hit).tolist())
    for i in numpy.flatnonzero(numpy.isin(lower, modals)).tolist():
        found.add(doc[i].head.i)  # the verb of "Sudan must return ..."
    hits = sorted(found)
    verbal = numpy.isin(pos, _VERB_POS)
    window_start = 0
    for s, e in bounds:
        sent = doc[s:e]
        # A verbless fragment before the sentence ("After the March 3, 2021" cut off by the
        # sentence splitter) still belongs to it.
        start = window_start if window_start < sent.start_char else sent.start_char
        window_start = sent.end_char if verbal[s:e].any() else sent.start_char
        in_sent = hits[bisect.bisect_left(hits, s):bisect.bisect_left(hits, e)]
        if in_sent:
            yield sent, start, in_sent


def sentence_candidates(sent, art: ArticleContext, hits: list[int]) -> list[Candidate]:
    if any(t.text == "?" for t in sent[-3:]):
        return []  # questions assert nothing
    doc = sent.doc
    tokens = [doc[i] for i in hits]
    cands: list[Candidate] = []
    used: dict[int, Candidate] = {}  # noun -> the event it was composed into
    for tok in tokens:
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ in ("ccomp", "acl"):
            cand = _request_by_modal(tok, art, sent)
            if cand is not None:
                cands.append(cand)
        if (tok.pos_ == "VERB" or (tok.pos_ == "ADJ" and tok.dep_ == "acomp")) \
                and tok.dep_ != "amod" and tok.ent_type_ not in _NAME_ENTS:
            cand = _verb_candidate(tok, art, sent)
            if cand is not None:
                cands.append(cand)
                for noun in (cand.trigger, cand.obj):
                    if noun is not None and noun.pos_ in ("NOUN", "PROPN"):
                        used[noun.i] = cand
    for tok in tokens:
        if tok.pos_ in ("NOUN", "PROPN") and tok.i not in used:
            cand = _noun_candidate(tok, art, sent)
            if cand is not None:
                cands.append(cand)
                if cand.obj is not None:
                    used[cand.obj.i] = cand
    return [c for c in cands if used.get(c.trigger.i, c) is c]
