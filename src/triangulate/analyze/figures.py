"""Figures: counted outcomes (killed, injured, displaced, ...) with hedges and ranges.

For every number expression (``numbers.find_numbers``) the dependency parse says what it
counts and what happened to them:

    number -> the noun it counts ("nine soldiers") or itself ("killing 12", "15 of them")
           -> a verb the noun is the patient of ("were killed", "killed ...", "died", "fled")
           -> or an outcome word attached to it ("274 dead", "30 people wounded")
           -> or a noun that is the outcome ("12 deaths", "250 hostages")
           -> or a toll it is the value of ("the death toll climbed to 61")

A number with none of these is no figure. That one requirement is what keeps years, ages,
distances, money, durations and labels ("Route 60") out; a few lexical guards catch the
measurements a parse can still attach to an outcome ("killed over two days").

Vague counts ("dozens", "tens of thousands") are figures too, approximate, with the value at
the low bound and low/high giving the range: "killed dozens" is a toll a reader needs, and
linking treats a range as compatible with any value inside it, so "dozens" next to "30" is
no contradiction. ``find_figures(doc, vague=False)`` keeps only counts a source commits to.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from triangulate import datafiles
from triangulate.analyze.numbers import NumberSpan, find_numbers
from triangulate.analyze.text import doc_text
from triangulate.model import Figure, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM", "ADJ"})
_VERBAL = frozenset({"VERB", "AUX"})
_PARTICIPLE_TAGS = frozenset({"JJ", "VBN", "VBD"})
_COPULAS = frozenset({"be", "remain", "become", "lie", "stay", "go"})
_SET_PREPS = frozenset({"including", "among", "include"})
_RELATIVES = frozenset({"who", "whom", "that", "which"})


@dataclass(frozen=True)
class Outcome:
    what: str
    patient: str  # obj, subj or "-" (not a verb)
    needs: str  # any, person, life, captive (see outcomes.tsv)


@dataclass(frozen=True)
class _Lexicon:
    verbs: dict[str, Outcome]
    adjs: dict[str, Outcome]
    nouns: dict[str, Outcome]
    events: dict[str, Outcome]
    captive: frozenset[str]
    tolls: dict[str, str | None]
    toll_preps: frozenset[str]
    who: dict[str, str]
    nonperson: frozenset[str]
    measures_before: frozenset[str]
    measures_after: frozenset[str]
    number_words: frozenset[str]


@functools.cache
def _lexicon() -> _Lexicon:
    def rows(name: str) -> list[list[str]]:
        return datafiles.rows("figures", name)

    tables: dict[str, dict[str, Outcome]] = {
        "verb": {}, "adj": {}, "noun": {}, "event": {}, "captive": {}}
    for word, kind, what, patient, needs in rows("outcomes.tsv"):
        tables[kind][word] = Outcome(what, patient, needs)
    measures = rows("measures.tsv")
    return _Lexicon(
        verbs=tables["verb"], adjs=tables["adj"], nouns=tables["noun"], events=tables["event"],
        captive=frozenset(tables["captive"]),
        tolls={noun: (None if what == "-" else what) for noun, what in rows("tolls.tsv")},
        toll_preps=frozenset(r[0] for r in rows("toll_preps.tsv")),
        who={lemma.lower(): who for lemma, who in rows("who.tsv")},
        nonperson=frozenset(r[0] for r in rows("nonperson.tsv")),
        measures_before=frozenset(t for t, pos in measures if pos == "before"),
        measures_after=frozenset(t for t, pos in measures if pos == "after"),
        number_words=frozenset(r[0] for r in rows("number_words.tsv")),
    )


@dataclass
class _Reading:
    """What a number counts, as read from the parse."""

    what: str
    needs: str
    cue: int | None = None  # token index of the outcome word, kept inside the evidence span
    inherited: bool = False  # outcome taken from another phrase ("..., including 12 children")
    who: Token | None = None  # the counted people when the parse names them elsewhere (a toll)


def find_figures(doc: Doc, *, vague: bool = True) -> list[Figure]:
    """Every number that counts people or outcomes, with what happened and to whom."""
    lex = _lexicon()
    figures: list[Figure] = []
    for num in find_numbers(doc):
        if num.quantity.vague and not vague:
            continue
        figure = _figure(doc, num, lex, len(figures) + 1)
        if figure is not None:
            figures.append(figure)
    return figures


def _figure(doc: Doc, num: NumberSpan, lex: _Lexicon, n: int) -> Figure | None:
    if _is_measure(doc, num, lex):
        return None
    anchor = _anchor(doc, num)
    if anchor is None or _is_label(anchor):
        return None
    noun = _counted_noun(anchor, num)
    who_tok = noun if noun is not anchor and noun.pos_ in ("NOUN", "PROPN") else _partitive(anchor)
    if who_tok is not None and (_is_thing(who_tok, lex) or any(
            c.dep_ == "compound" and _is_thing(c, lex) for c in who_tok.lefts)):
        return None  # "40 homes", "24 animal deaths"
    reading = _read(doc, noun, anchor, num, lex)
    if reading is None:
        return None
    if who_tok is not None and reading.what in ("held", "captured") \
            and lex.nouns.get(who_tok.lemma_.lower(), Outcome("", "", "")).what == "hostages":
        reading.what = "hostages"  # "held 250 hostages" counts hostages, not prisoners
    if who_tok is None and reading.who is not None:
        who_tok = reading.who
    if who_tok is noun and noun is not anchor:
        who_tok = _victims(noun, lex) or who_tok
    person = who_tok is not None and _is_person(who_tok, lex)
    if reading.needs in ("person", "captive") and not person:
        return None
    return _build(doc, num, noun, who_tok, reading, lex, n)


# --------------------------------------------------------------------------- guards


def _is_measure(doc: Doc, num: NumberSpan, lex: _Lexicon) -> bool:
    """Prices, percentages, clock times, hyphenated modifiers and model names."""
    first, last = doc[num.num_start], doc[num.num_end - 1]
    if num.num_start > 0:
        prev = doc[num.num_start - 1]
        if prev.lower_ in lex.measures_before:
            return True
        # "F-16", "COVID-19": a number glued by a hyphen to the word before it is a name.
        if prev.text == "-" and num.num_start > 1 and doc[num.num_start - 2].is_alpha \
                and not prev.whitespace_ and num.start == num.num_start:
            return True
    if num.end < len(doc):
        nxt = doc[num.end]
        if nxt.lower_ in lex.measures_after:
            return True
        # "eight-minute video", "19-year-old", "a 2,000-strong force": a compound modifier.
        if nxt.text in ("-", "–") and not last.whitespace_ and num.end + 1 < len(doc) \
                and doc[num.end + 1].is_alpha and doc[num.end + 1].lower_ not in lex.number_words:
            return True
    # A bare four-digit year ("in 2014") that the parse could still hang on a verb.
    text = first.text
    return (num.num_end - num.num_start == 1 and len(text) == 4 and text.isdigit()
            and 1800 <= int(text) <= 2100 and first.ent_type_ == "DATE")


def _anchor(doc: Doc, num: NumberSpan) -> Token | None:
    """The token of the expression whose head lies outside it (how it joins the sentence)."""
    fallback = None
    for i in range(num.num_start, num.num_end):
        tok = doc[i]
        if (not num.start <= tok.head.i < num.end or tok.head.i == i) and tok.pos_ != "PUNCT":
            return tok
    for i in range(num.start, num.end):
        tok = doc[i]
        if not num.start <= tok.head.i < num.end or tok.head.i == i:
            fallback = fallback or tok
    return fallback


def _is_label(anchor: Token) -> bool:
    """A number after the noun it belongs to is a label or an age: "Route 60", "Ahmed, 19"."""
    return anchor.head.i < anchor.i and anchor.dep_ in ("nummod", "compound", "appos", "npadvmod")


def _counted_noun(anchor: Token, num: NumberSpan) -> Token:
    head = anchor.head
    if anchor.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod", "det") \
            and head.i >= num.end and head.pos_ in ("NOUN", "PROPN", "ADJ", "VERB"):
        return head
    return anchor


def _partitive(anchor: Token, nominal_only: bool = True) -> Token | None:
    """The set a bare number counts from: "15 of the protesters", "dozens of people" (and,
    with nominal_only=False, "14 of the wounded")."""
    for child in anchor.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                if obj.dep_ == "pobj" and (not nominal_only or obj.pos_ in ("NOUN", "PROPN")):
                    return obj
    return None


def _victims(noun: Token, lex: _Lexicon) -> Token | None:
    """The people an outcome noun's "of" phrase names: "148 killings of civilians" counts
    civilians (a hostage noun is its own people: "250 hostages of Hamas")."""
    outcome = lex.nouns.get(noun.lemma_.lower())
    if outcome is None or outcome.what == "hostages":
        return None
    victims = _partitive(noun)
    return victims if victims is not None and _is_person(victims, lex) else None


def _is_thing(tok: Token, lex: _Lexicon) -> bool:
    return tok.lemma_.lower() in lex.nonperson or tok.lower_ in lex.nonperson


def _is_person(tok: Token, lex: _Lexicon) -> bool:
    if _who_lexicon(tok, lex) is not None:
        return True
    return tok.ent_type_ == "NORP" or tok.tag_ == "NNPS" or (
        tok.tag_ == "NNS" and tok.text[:1].isupper() and not tok.is_sent_start)


def _who_lexicon(tok: Token, lex: _Lexicon) -> str | None:
    for child in tok.lefts:
        if child.dep_ == "compound":
            found = lex.who.get(f"{child.lemma_} {tok.lemma_}".lower())
            if found:
                return found
    return lex.who.get(tok.lemma_.lower()) or lex.who.get(tok.lower_)


# --------------------------------------------------------------------------- reading


def _read(doc: Doc, noun: Token, anchor: Token, num: NumberSpan, lex: _Lexicon,
          depth: int = 0) -> _Reading | None:
    """What happened to the people the number counts; None when it is no outcome count."""
    found = _verb_outcome(noun, lex) or _attached_outcome(noun, anchor, lex) \
        or _modifier_outcome(noun, anchor, lex) \
        or _noun_outcome(noun, anchor, lex) or _toll_outcome(noun, num, lex) \
        or _adjacent_outcome(doc, noun, num, lex)
    if found is not None or depth >= 2:
        return found
    # Conjuncts, appositions and "including ..." members share the outcome of the phrase they
    # belong to: "two soldiers and three civilians were killed", "30 people, including 12
    # children, were killed".
    head = None
    if noun.dep_ in ("conj", "appos") and noun.head.pos_ in _NOMINAL:
        head = noun.head
    elif noun.dep_ == "pobj" and noun.head.lower_ in _SET_PREPS \
            and noun.head.head.pos_ in _NOMINAL | _VERBAL:
        head = noun.head.head
        if head.pos_ in _VERBAL:
            verb = _verb_entry(head, lex)
            if verb and verb.patient == "obj":
                return _Reading(verb.what, verb.needs, head.i, inherited=True)
            return None
    elif noun.dep_ == "pobj" and num.start <= noun.head.i < num.num_start:
        return _hedge_pobj_outcome(noun, num, lex)
    if head is None:
        return None
    inner = _read(doc, head, head, num, lex, depth + 1)
    if inner is not None:
        inner.inherited = True
    return inner


def _hedge_pobj_outcome(noun: Token, num: NumberSpan, lex: _Lexicon) -> _Reading | None:
    """The parse took the number's own hedge ("between", "up to") for a preposition of a
    verb, so the counted noun is that preposition's object: the verb's object in fact
    ("killed between 12 and 15 soldiers"), or, on a reporting verb, the subject the next
    clause lacks ("said up to 40 civilians were wounded")."""
    verb = noun.head
    while num.start <= verb.i < num.num_start and verb.head.i != verb.i:
        verb = verb.head
    if verb.pos_ not in _VERBAL:
        return None
    clauses = [c for c in verb.children if c.dep_ == "ccomp" and c.i > noun.i
               and not any(x.dep_ in ("nsubj", "nsubjpass") for x in c.children)]
    for tok, patient in [(verb, "obj")] + [
            (c, "obj" if any(x.dep_ == "auxpass" for x in c.children) else "subj")
            for c in clauses]:
        out = _verb_entry(tok, lex)
        if out is not None and out.patient == patient and out.needs != "life" \
                and not any(c.dep_ == "neg" for c in tok.children):
            return _Reading(out.what, out.needs, tok.i)
    return None


def _verb_outcome(noun: Token, lex: _Lexicon) -> _Reading | None:
    """The noun as the patient of an outcome verb, or as what a verb leaves dead/injured."""
    dep, verb = noun.dep_, noun.head
    if verb.pos_ not in _VERBAL or dep not in ("dobj", "obj", "nsubjpass", "nsubj"):
        return None
    if any(c.dep_ == "neg" for c in verb.children):
        return None  # "were not arrested": the count is of what did not happen
    adj = lex.adjs.get(verb.lower_)
    if adj is not None and dep == "nsubj" and not _has_object(verb) and not any(
            c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children):
        return _Reading(adj.what, adj.needs, verb.i)  # "three wounded", "60 are missing"
    out = _verb_entry(verb, lex)
    if out is not None and _is_patient(noun, verb, out, lex):
        if out.needs == "captive" and not _is_captive(verb, noun, lex):
            return None
        return _Reading(_either_or(verb, out.what, lex), out.needs, verb.i)
    if dep in ("nsubjpass", "dobj", "obj"):
        found = _controlled_outcome(verb, lex)
        if found is not None:
            return found
    if dep == "nsubj" and verb.lemma_ in _COPULAS:
        found = _among_outcome(verb, lex)
        if found is not None:
            return found
    for child in verb.children:
        # "left 12 dead", "shot dead three men", "were taken hostage", "remain missing"
        if child.dep_ in ("oprd", "acomp", "xcomp", "attr") and child.i != noun.i \
                and not any(g.dep_ in ("nsubj", "nsubjpass") for g in child.children):
            word = child.lower_
            if dep in ("dobj", "obj", "nsubjpass") or verb.lemma_ in _COPULAS:
                adj = lex.adjs.get(word)
                if adj is not None:
                    return _Reading(adj.what, adj.needs, child.i)
                hostage = lex.nouns.get(child.lemma_.lower())
                if hostage is not None and hostage.what == "hostages" and dep == "nsubjpass":
                    return _Reading(hostage.what, hostage.needs, child.i)
    return None


def _verb_entry(verb: Token, lex: _Lexicon) -> Outcome | None:
    """A verb's outcome, phrasal verbs first ("rounded up 300" is no "round")."""
    for child in verb.children:
        if child.dep_ == "prt":
            found = lex.verbs.get(f"{verb.lemma_} {child.lower_}".lower())
            if found is not None:
                return found
    return lex.verbs.get(verb.lemma_.lower())


def _among_outcome(verb: Token, lex: _Lexicon) -> _Reading | None:
    """ "Two children were among the dead", "nine medics were among those killed"."""
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ != "among":
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            for word in (obj, *obj.children):
                if word is obj or word.dep_ in ("acl", "amod", "relcl"):
                    out = lex.adjs.get(word.lower_) or lex.nouns.get(word.lemma_.lower())
                    if out is not None:
                        return _Reading(out.what, out.needs, word.i)
    return None


def _controlled_outcome(verb: Token, lex: _Lexicon) -> _Reading | None:
    """The outcome verb of a raising or control clause: "300 people are thought to have
    died", "2 million people had been forced to flee", "forced 2,000 families to leave"."""
    for child in verb.children:
        if child.dep_ != "xcomp":
            continue
        out = _verb_entry(child, lex)
        if out is None or out.needs in ("life", "captive"):
            continue
        passive = any(c.dep_ == "auxpass" for c in child.children)
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children) \
                or (out.patient == "obj") != passive:
            continue
        return _Reading(out.what, out.needs, child.i)
    return None


def _is_captive(verb: Token, noun: Token, lex: _Lexicon) -> bool:
    """ "held 250 hostages", "held hostage", "held in custody": people held against their
    will, not "holding her two sons" or a ship that "could hold 300 soldiers"."""
    words = [noun, *noun.children, *verb.children]
    words += [g for c in verb.children if c.dep_ == "prep" for g in c.children]
    return any(w.lemma_.lower() in lex.captive for w in words)


def _either_or(verb: Token, what: str, lex: _Lexicon) -> str:
    """ "killed or wounded 50": a count that mixes outcomes is a casualty count."""
    pairs = [(verb, c) for c in verb.children if c.dep_ == "conj"]
    if verb.dep_ == "conj":
        pairs.append((verb.head, verb))
    for first, second in pairs:
        if any(c.dep_ == "cc" and c.lower_ == "or" for c in first.children):
            other = _verb_entry(second if first is verb else first, lex)
            if other is not None and other.what != what:
                return "casualties"
    return what


def _is_patient(noun: Token, verb: Token, out: Outcome, lex: _Lexicon) -> bool:
    dep = noun.dep_
    if out.needs == "life":
        if out.patient == "obj":
            return dep in ("dobj", "obj") and noun.lemma_.lower() == "life"
        return dep == "nsubj" and any(
            c.dep_ == "dobj" and c.lemma_.lower() == "life" for c in verb.children)
    if out.patient == "subj":
        return dep == "nsubj"
    if dep in ("dobj", "obj", "nsubjpass"):
        return True
    # "Two soldiers were killed and three wounded": an elided passive reads as a subject.
    return dep == "nsubj" and verb.tag_ == "VBN" and not any(
        c.dep_ in ("dobj", "obj") or (c.dep_ == "aux" and c.lemma_ == "have")
        for c in verb.children)


def _attached_outcome(noun: Token, anchor: Token, lex: _Lexicon) -> _Reading | None:
    """An outcome word on the counted phrase: "four dead", "30 people killed in ..."."""
    if noun is not anchor:
        adj = lex.adjs.get(noun.lower_)
        if adj is not None and noun.tag_ in _PARTICIPLE_TAGS:
            return _Reading(adj.what, adj.needs, noun.i)
    for tok in (noun, anchor) if noun is not anchor else (noun,):
        for child in tok.children:
            if child.dep_ in ("amod", "acl", "oprd") and child.i > tok.i:
                adj = lex.adjs.get(child.lower_)
                if adj is not None and child.tag_ in _PARTICIPLE_TAGS \
                        and not _has_object(child):
                    return _Reading(adj.what, adj.needs, child.i)
            elif child.dep_ == "relcl":
                out = _verb_entry(child, lex)
                if out is not None and _relative_patient(child, out):
                    return _Reading(out.what, out.needs, child.i)
    return None


def _modifier_outcome(noun: Token, anchor: Token, lex: _Lexicon) -> _Reading | None:
    """A participle between number and noun, when no verb says more: "four freed hostages",
    "12 dead civilians". (A verb wins: "evacuated 30 wounded soldiers" counts evacuations.)"""
    if noun is anchor:
        return None
    for child in noun.lefts:
        if child.dep_ == "amod" and child.i > anchor.i and child.tag_ in _PARTICIPLE_TAGS:
            adj = lex.adjs.get(child.lower_)
            if adj is not None:
                return _Reading(adj.what, adj.needs, child.i)
    return None


def _has_object(tok: Token) -> bool:
    return any(c.dep_ in ("dobj", "obj") for c in tok.children)


def _relative_patient(verb: Token, out: Outcome) -> bool:
    """ "soldiers who were killed", "people who fled" (not "Libyans, some of whom were held")."""
    want = "nsubj" if out.patient == "subj" else "nsubjpass"
    return out.needs != "life" and any(
        c.dep_ == want and c.lower_ in _RELATIVES for c in verb.children)


def _noun_outcome(noun: Token, anchor: Token, lex: _Lexicon) -> _Reading | None:
    """The counted noun is the outcome ("12 deaths"), or sits in an event's "of" phrase
    ("the killing of 30 civilians")."""
    tok = noun if noun is not anchor else _partitive(anchor, nominal_only=False)
    if tok is not None:
        out = lex.nouns.get(tok.lemma_.lower()) or lex.nouns.get(tok.lower_)
        if out is None and noun is anchor:  # "14 of the wounded", "two of the dead"
            out = lex.adjs.get(tok.lower_)
        if out is not None:
            return _Reading(out.what, out.needs, tok.i if noun is anchor else None)
    if noun.dep_ == "pobj" and noun.head.lower_ == "of":
        event = noun.head.head
        out = lex.events.get(event.lemma_.lower())
        if out is not None and event.pos_ == "NOUN":
            return _Reading(out.what, out.needs, event.i)
    return None


def _toll_outcome(noun: Token, num: NumberSpan, lex: _Lexicon) -> _Reading | None:
    """The number as a toll's value: "the death toll climbed to 61", "a toll of 30". Only a
    bare number is a toll's value ("the deaths shocked 3 million viewers" is no toll)."""
    if noun.i >= num.end or noun.i < num.start:
        return None
    toll = None
    prep = noun.head
    word = prep.lower_
    # "rose from 250 to 274": the parse hangs "to 274" on "from"; the value is the "to" one.
    if word == "from" and num.start > 0 and noun.doc[num.start - 1].lower_ == "to":
        word = "to"
    if noun.dep_ == "pobj" and word in lex.toll_preps:
        if prep.head.lemma_.lower() in lex.tolls and word == "of":
            toll = prep.head
        elif prep.head.pos_ in _VERBAL:
            toll = _toll_child(prep.head, lex)
    elif noun.dep_ in ("dobj", "attr") and noun.head.pos_ in _VERBAL:
        toll = _toll_child(noun.head, lex, subjects_only=True)
    if toll is None:
        return None
    what, who = _toll_what(toll, noun, lex)
    if what is None:
        return None
    return _Reading(what, "any", toll.left_edge.i, who=who)


def _toll_child(verb: Token, lex: _Lexicon, subjects_only: bool = False) -> Token | None:
    deps = ("nsubj", "nsubjpass") if subjects_only else ("nsubj", "nsubjpass", "dobj")
    for child in verb.children:
        # An outcome noun reports a running count too: "deaths reached 1,000".
        if child.dep_ in deps and (child.lemma_.lower() in lex.tolls
                                   or child.lemma_.lower() in lex.nouns):
            return child
    return None


def _toll_what(toll: Token, value: Token,
               lex: _Lexicon) -> tuple[str | None, Token | None]:
    """(what, who token) a toll counts: "death toll", "the number of Palestinians killed"."""
    counted = None
    for child in toll.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            counted = next((o for o in child.children
                            if o.dep_ == "pobj" and o.i != value.i), None)
    who = counted if counted is not None and counted.pos_ in ("NOUN", "PROPN") else None
    # The participle may hang on the toll noun or on the counted noun, depending on the parse.
    mods = [toll] if toll.lemma_.lower() in lex.nouns else []
    mods += list(toll.children) + (list(counted.children) + [counted] if counted else [])
    for mod in mods:
        if mod is toll or mod.dep_ in ("compound", "amod", "nmod", "acl", "relcl", "pobj"):
            word = mod.lemma_.lower()
            out = lex.nouns.get(word) or lex.events.get(word) or lex.adjs.get(mod.lower_)
            if out is None and mod.dep_ in ("acl", "relcl"):
                out = lex.verbs.get(word)
                if out is not None and out.needs == "life":
                    out = None  # "the number of patients brought to clinics"
            if out is not None:
                return out.what, (None if who is mod else who)
    return lex.tolls.get(toll.lemma_.lower()), who


def _adjacent_outcome(doc: Doc, noun: Token, num: NumberSpan,
                      lex: _Lexicon) -> _Reading | None:
    """A fallback for parses that miss "Nine killed in ...": an outcome word right after."""
    i = max(noun.i, num.end - 1) + 1
    if i >= len(doc):
        return None
    tok = doc[i]
    adj = lex.adjs.get(tok.lower_)
    if adj is None or tok.tag_ not in _PARTICIPLE_TAGS or _has_object(tok):
        return None
    return _Reading(adj.what, adj.needs, i)


# --------------------------------------------------------------------------- output


def _build(doc: Doc, num: NumberSpan, noun: Token, who_tok: Token | None, reading: _Reading,
           lex: _Lexicon, n: int) -> Figure:
    ends = [num.start, num.end - 1]
    if who_tok is not None:
        ends.append(who_tok.i)
    if noun.i != num.end - 1 and noun.i >= num.start:
        ends.append(noun.i)
    # An inherited outcome word is kept only when it closes the phrase ("two soldiers and
    # three civilians were killed"); before the number or after other conjuncts it belongs
    # to another figure's span ("killed 30 people, including 12 children").
    # A first conjunct leaves the shared verb to the last one, which ends the phrase.
    last = max(ends)
    shared = any(c.dep_ == "conj" and last < c.i < (reading.cue or 0) for c in noun.children)
    if reading.cue is not None and not shared and not (
            reading.inherited and not 0 < reading.cue - last <= 3):
        ends.append(reading.cue)
    start_tok, end_tok = doc[min(ends)], doc[max(ends)]
    start, end = start_tok.idx, end_tok.idx + len(end_tok.text)
    number = doc[num.num_start:num.num_end]
    q = num.quantity
    return Figure(
        id=f"f{n}",
        start=start,
        end=end,
        text=doc_text(doc)[start:end],
        value=q.value,
        low=q.low,
        high=q.high,
        approximate=q.approximate,
        what=reading.what,
        who=_who(who_tok, lex),
        hedge=q.hedge,
        number=Mention(number.start_char, number.end_char, number.text),
    )


def _who(tok: Token, lex: _Lexicon) -> str | None:
    if tok is None:
        return None
    outcome = lex.nouns.get(tok.lemma_.lower())
    if (outcome is not None and outcome.what != "hostages") or tok.lemma_.lower() == "life":
        return None  # "12 deaths", "40 lives": the noun is the outcome, not the people
    found = _who_lexicon(tok, lex)
    if found is not None:
        return found
    if tok.ent_type_ == "NORP" or tok.tag_ == "NNPS":
        return tok.text
    if tok.pos_ == "PROPN":
        return None  # a place or name the parse took for the counted noun ("4 slain Oakland")
    return tok.lower_
