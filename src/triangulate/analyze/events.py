"""Events: PLOVER 2.0 events from dependency parses and the patterns in data/events/.

A trigger is a verb or noun from ``triggers.tsv`` ("shelled", "airstrike", "demanded"), or a
governing word plus an object from ``compose.tsv`` ("imposed a curfew", "launched an attack").
Roles come from the parse: the agent is the subject of an active trigger, the "by" phrase of a
passive one or the possessor/modifier of a nominal one ("Israel's attack", "an Israeli
airstrike"); the target is the object, the passive subject or a prepositional phrase ("against
Israeli soldiers"). Noun phrases become actors through the actors stage's mentions.

PLOVER codes what was *done*: a trigger inside the complement of a verbal event ("threatened to
shell", "agreed to withdraw", "demanded that Israel withdraw") is part of that event, not one of
its own; a stated future cooperative act is an AGREE and a stated future act of force a THREATEN;
"did not accept" is a REJECT. Other negated, conditional or modal events are kept and flagged.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

import numpy
from spacy.attrs import LEMMA, LOWER, POS, SENT_START
from spacy.parts_of_speech import ADJ, AUX, NOUN, PROPN, VERB
from spacy.strings import StringStore

from triangulate import datafiles
from triangulate.analyze import actors as actors_stage
from triangulate.analyze import places as places_stage
from triangulate.analyze.index import OffsetIndex, mention_index
from triangulate.analyze.text import Regions, doc_quotes, doc_text
from triangulate.model import (
    PLOVER_TYPES,
    Actor,
    Claim,
    Event,
    Figure,
    Mention,
    Place,
    Span,
    TimeExpression,
)

# Dependency labels of a verb's children that are not inside what the verb reports, demands or
# refuses: its own subject, adjuncts of time and manner, coordinated clauses.
_OUTSIDE_SCOPE = frozenset({
    "nsubj", "nsubjpass", "csubj", "agent", "advmod", "npadvmod", "advcl", "conj", "cc", "punct",
    "relcl", "parataxis", "appos", "aux", "auxpass", "neg", "mark", "det", "poss", "amod",
    "compound", "nummod", "prt",
})
_NP_CORE = frozenset({
    "compound", "amod", "nmod", "poss", "det", "nummod", "quantmod", "flat", "case", "nn",
    "predet",
})
_SUBJECTS = ("nsubj", "csubj")
_PHRASE_PREPS = frozenset({"for", "on", "to", "against", "of", "with", "from"})
_DATE_VALUE = re.compile(r"^\d{4}(?:-W\d{2}|-\d{2}(?:-\d{2})?)?")
_PERSON_ENTS = frozenset({"PERSON", "NORP", "ORG", "GPE"})
_PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
_NAME_ENTS = frozenset({"ORG", "WORK_OF_ART", "LAW", "EVENT", "FAC", "PRODUCT", "PERSON", "GPE",
                        "NORP", "LOC"})
_VERBAL_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "REQUEST", "ACCUSE",
                           "REJECT", "THREATEN"})
_CONTENT_POS = [VERB, AUX, NOUN, PROPN, ADJ]
# Fallback dateline reader, for when the places stage offers none: a capitalised place, an
# optional region or date after commas, an optional agency in brackets, then a dash, at the
# start of one of the first lines (a headline and standfirst may come first).
_DATELINE = re.compile(
    r"^[ \t]*[A-Z][\w'’.-]*(?:[ \t]+(?:[A-Z][\w'’.-]*|al|el|de|of|upon))*"
    r"(?:,[ \t]*[\w'’. -]{1,40}?){0,2}[ \t]*(?:\([^()\n]{1,60}\)[ \t]*)?(?:—|–|--)",
    re.M)
_DATELINE_DASH = re.compile(r"—|–|--| - ")
_DATELINE_LINES = 4
_VERB_POS = [VERB, AUX]


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class Sense:
    type: str | None  # None: this reading is not an event
    mode: str | None
    strength: str  # strong, weak, gov
    cues: frozenset[str]
    tests: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    triggers: dict[tuple[str, str], tuple[Sense, ...]]
    objects: dict[str, tuple[str, str | None]]
    compose: dict[tuple[str, str, str], tuple[str, str | None]]
    modes: dict[str, tuple[tuple[str, str, int], ...]]
    cues: dict
    verb_lemmas: frozenset[str]


def _dash(value: str) -> str | None:
    return None if value in ("", "-") else value


@functools.cache
def lexicon() -> Lexicon:
    """Every pattern file, read once per process (cells trimmed: the tables are edited by
    hand and a stray space must not make a new lemma)."""
    def table(name: str) -> list[list[str]]:
        return datafiles.rows("events", name, strip=True)

    triggers: dict[tuple[str, str], list[Sense]] = {}
    for lemma, pos, typ, mode, strength, cues in table("triggers.tsv"):
        words = [c for c in cues.split(",") if c and c != "-"]
        sense = Sense(
            type=_dash(typ), mode=_dash(mode), strength=strength,
            cues=frozenset(w for w in words if not w.startswith("@")),
            tests=tuple(w[1:] for w in words if w.startswith("@")),
        )
        if sense.type is not None and sense.type not in PLOVER_TYPES:
            raise ValueError(f"triggers.tsv: unknown PLOVER type {typ!r} for {lemma!r}")
        for p in pos:
            triggers.setdefault((lemma, p), []).append(sense)
    objects = {lemma: (cls, _dash(mode)) for lemma, cls, mode in table("objects.tsv")}
    compose: dict[tuple[str, str, str], tuple[str, str | None]] = {}
    for governors, pos, cls, typ, mode in table("compose.tsv"):
        for gov in governors.split(","):
            compose.setdefault((gov.strip(), pos, cls), (typ, _dash(mode)))
    modes: dict[str, list[tuple[str, str, int]]] = {}
    for lemma, typ, mode, rank in table("modes.tsv"):
        modes.setdefault(lemma, []).append((typ, mode, int(rank)))
    raw = datafiles.load_json("events", "cues.json")
    cues = {k: (frozenset(v) if isinstance(v, list) else v) for k, v in raw.items()}
    verb_lemmas = {k[0].split()[0] for k in triggers if k[1] == "V"}
    verb_lemmas |= {k[0].split()[0] for k in compose if k[1] == "V"}
    return Lexicon(
        triggers={k: tuple(v) for k, v in triggers.items()},
        objects=objects,
        compose=compose,
        modes={k: tuple(v) for k, v in modes.items()},
        cues=cues,
        verb_lemmas=frozenset(verb_lemmas),
    )


def _words(name: str):
    """One word list (or table) of cues.json."""
    return lexicon().cues[name]


# --------------------------------------------------------------------------- candidates


@dataclass(eq=False)
class _Cand:
    trigger: object  # spaCy Token shown as the trigger
    head: object  # the clause word whose subject, modality and negation apply
    type: str
    mode: str | None
    strength: str
    sent: object
    obj: object | None = None  # the composed object noun, when there is one
    actor_tok: object | None = None
    target_tok: object | None = None
    actor: str | None = None
    target: str | None = None
    negated: bool = False
    hypothetical: bool = False
    intention: bool = False
    goal: bool = False  # an aim, a condition or a topic, not something that happened
    weapon: bool = False
    scope: list = field(default_factory=list)  # tokens whose subtrees this event governs
    folded: list[_Cand] = field(default_factory=list)  # what it demands, threatens, refuses
    absorbed: list[_Cand] = field(default_factory=list)  # its purposes, topics, charges
    place: str | None = None
    place_in_phrase: bool = False
    date: str | None = None
    precision: str | None = None
    figures: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    mentions: list[int] = field(default_factory=list)  # trigger offsets of merged mentions
    dropped: bool = False


class _Article:
    """The article-level lookups every candidate needs, built once per call."""

    def __init__(self, doc, actors: list[Actor], places: list[Place],
                 times: list[TimeExpression]):
        self.doc = doc
        self.lex = lexicon()
        self.actors = actors
        self.actor_index: OffsetIndex = mention_index(actors)
        self.place_index: OffsetIndex = mention_index(places)
        self.times = sorted(
            (t for t in times if t.type in ("date", "time") and t.value
             and _DATE_VALUE.match(t.value)),
            key=lambda t: t.start,
        )
        self.resolver = getattr(actors_stage, "resolve_reference", None)
        self._actor_cache: dict[tuple[int, str], str | None] = {}
        self.text = doc_text(doc)
        self.dateline = _dateline_span(self.text)
        self._quotes: Regions | None = None

    def in_dateline(self, start: int) -> bool:
        return self.dateline is not None and self.dateline[0] <= start < self.dateline[1]

    def quoted(self, offset: int) -> bool:
        if self._quotes is None:
            self._quotes = Regions(doc_quotes(self.doc))
        return offset in self._quotes

    # ----------------------------------------------------------------- noun phrases

    def core_span(self, tok) -> tuple[int, int]:
        """Character span of a noun phrase without its clauses and prepositional phrases."""
        left = tok
        stack = [tok]
        while stack:
            t = stack.pop()
            for c in t.children:
                if c.dep_ in _NP_CORE or (c.dep_ == "punct" and c.tag_ == "HYPH"):
                    if c.i < left.i:
                        left = c
                    stack.append(c)
        right = tok
        for c in tok.rights:
            if c.dep_ in ("compound", "flat") and c.i > right.i:
                right = c
        return left.idx, right.idx + len(right.text)

    def actor_of(self, tok, role: str = "actor") -> str | None:
        """The actor a noun phrase names, through the actors stage's mentions."""
        if tok is None:
            return None
        key = (tok.i, role)
        if key not in self._actor_cache:
            self._actor_cache[key] = self._actor_of(tok, role)
        return self._actor_cache[key]

    def _actor_of(self, tok, role: str) -> str | None:
        if self.in_dateline(tok.idx):
            return None  # "LVIV, Ukraine (Wire) — An air strike ...": the parse's subject slip
        if tok.dep_ in _SUBJECTS and tok.tag_ in ("WDT", "WP") and tok.head.dep_ == "relcl":
            tok = tok.head.head
        hit = self.actor_index.at(tok.idx, tok.idx + len(tok.text))
        if hit is None:
            # "Bosnian Serbs and Croats": the first conjunct that names an actor.
            for c in tok.children:
                if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN"):
                    hit = self.actor_index.at(c.idx, c.idx + len(c.text))
                    if hit is not None:
                        break
        if hit is None and tok.lemma_ in self.lex.cues["place_nouns"] and any(
                c.dep_ == "compound" and c.pos_ == "PROPN" for c in tok.subtree
                if c.i < tok.i):
            return None  # "Al-Shifa hospital", "the Jenin refugee camp": a named place
        if hit is None:
            start, end = self.core_span(tok)
            hit = self._core_actor(start, end)
        if hit is None:
            for c in tok.children:
                if c.dep_ == "appos" or (c.dep_ == "prep" and c.lemma_ == "of" and (
                        tok.lemma_ in self.lex.cues["person_nouns"]
                        or tok.lemma_ in _words("quantity_heads") or tok.pos_ == "NUM")):
                    inner = c if c.dep_ == "appos" else _pobj(c)
                    if inner is not None:
                        hit = self.actor_index.at(*self.core_span(inner))
                        if hit is not None:
                            break
        if hit is not None:
            return hit.id
        if tok.pos_ == "PRON":
            if tok.lower_ in _words("speaker_pronouns"):
                return None  # the writer or a quoted speaker: attribution knows who, not us
            if role == "target" and tok.lower_ in ("it", "its", "they", "them", "their"):
                # A patient "it" is more often a place or a thing, "they" the victims last
                # counted, than an actor named earlier.
                return None
            reporter = _reporter(tok)
            if reporter is not None:
                found = self.actor_of(reporter, role)
                if found is not None:
                    return found
            ahead = _cataphor(tok)
            if ahead is not None:
                found = self.actor_of(ahead, role)
                if found is not None:
                    return found
        if self.resolver is not None and self._referring(tok):
            start, end = self.core_span(tok)
            try:
                found = self.resolver(self.doc, start, end, self.actors)
            except Exception:  # a stage in flux must not take the events down with it
                found = None
            if isinstance(found, Actor):
                return found.id
            if isinstance(found, str):
                return found
        return None

    def _core_actor(self, start: int, end: int):
        """The actor mentioned in a noun phrase core, skipping "anti-Syria", "pro-Iran"."""
        best = None
        for s, e, actor in self.actor_index.overlapping(start, end):
            if self._modifier_mention(s, e, end):
                continue
            key = (min(e, end) - max(s, start), e - s)
            if best is None or key > best[0]:
                best = (key, actor)
        return best[1] if best is not None else None

    def _modifier_mention(self, start: int, end: int, np_end: int) -> bool:
        """"anti-Syria", "pro-Iran", "a UN-run school", "Iran-backed militias": the name
        modifies the phrase, it is not what the phrase refers to."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return False
        doc = self.doc
        i, j = span.start, span.end
        if i >= 2 and doc[i - 1].text == "-" and doc[i - 2].lower_ in ("anti", "pro"):
            return True
        return (end < np_end and j + 1 < len(doc) and doc[j].text == "-"
                and doc[j + 1].text[:1].islower())

    def kind_of(self, actor_id: str | None) -> str | None:
        if actor_id is None:
            return None
        return next((a.kind for a in self.actors if a.id == actor_id), None)

    def _referring(self, tok) -> bool:
        if tok.pos_ == "PRON":
            return True
        dets = {c.lower_ for c in tok.children if c.dep_ in ("det", "poss")}
        return bool(dets & _words("definite_determiners")) and tok.lemma_ in self.lex.cues["generic_heads"]

    def agentive(self, tok) -> bool:
        """A noun phrase that can act or suffer: a known actor, a named group, a person noun."""
        if tok is None:
            return False
        if self.actor_of(tok):
            return True
        if tok.pos_ == "PRON":
            return tok.lower_ in _words("personal_pronouns")
        if tok.ent_type_ in _PERSON_ENTS or tok.lemma_ in self.lex.cues["person_nouns"]:
            return True
        if tok.lemma_ in _words("quantity_heads") or tok.pos_ == "NUM":
            of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            inner = _pobj(of) if of is not None else None
            if inner is not None and inner.i != tok.i:
                return self.agentive(inner)  # "hundreds of thousands of people"
        return any(c.ent_type_ in ("NORP", "GPE", "ORG") and c.dep_ in ("amod", "compound")
                   for c in tok.children)

    def animate(self, tok) -> bool:
        """Stricter than agentive: the head itself names someone ("executed prisoners", not
        "executed a plan", "hosted the Senate race" or "executed it")."""
        if tok is None:
            return False
        if tok.pos_ == "PRON":
            return tok.lower_ in _words("personal_pronouns") or tok.lower_ in ("them", "themselves")
        if tok.ent_type_ in _PERSON_ENTS or tok.lemma_ in self.lex.cues["person_nouns"]:
            return True
        if tok.lemma_ in _words("quantity_heads") or tok.pos_ == "NUM":
            of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            inner = _pobj(of) if of is not None else None
            return inner is not None and self.animate(inner)
        return self.actor_index.at(tok.idx, tok.idx + len(tok.text)) is not None

    def placelike(self, tok) -> bool:
        if tok is None:
            return False
        if self.place_index.at(tok.idx, tok.idx + len(tok.text)) is not None:
            return True
        return tok.ent_type_ in _PLACE_ENTS or tok.lemma_ in self.lex.cues["place_nouns"]


def _dateline_span(text: str) -> tuple[int, int] | None:
    """From the place of the article's dateline to its dash ("KHAN YOUNIS, Gaza Strip
    (Meridian Wire) —", "GENEVA, 9 June 2024 —"): where and when the reporter filed, which
    is not where or when the events told happened."""
    finder = getattr(places_stage, "dateline_span", None)
    if finder is not None:
        try:
            place = finder(text)
        except Exception:  # a stage in flux must not take the events down with it
            place = None
        if place is None:
            return None
        line_end = text.find("\n", place[1])
        line_end = len(text) if line_end < 0 else line_end
        dash = _DATELINE_DASH.search(text, place[1], min(line_end, place[1] + 120))
        return (place[0], dash.end()) if dash is not None else place
    head_end = 0
    for _ in range(_DATELINE_LINES):
        nl = text.find("\n", head_end)
        if nl < 0:
            head_end = len(text)
            break
        head_end = nl + 1
    m = _DATELINE.search(text, 0, head_end)
    return (m.start(), m.end()) if m is not None else None


# --------------------------------------------------------------------------- parse helpers


def _pobj(prep):
    for c in prep.children:
        if c.dep_ in ("pobj", "pcomp"):
            return c
    return None


def _reporter(pron):
    """"Iran said it would ...": the subject pronoun of a reported clause is the reporter,
    when the pronoun fits ("it" an institution, "he"/"she" a person)."""
    word = pron.lower_
    if pron.dep_ not in ("nsubj", "nsubjpass") or word not in ("it", "they", "he", "she"):
        return None
    verb = pron.head
    if verb.dep_ != "ccomp":
        return None
    subj = _child(verb.head, "nsubj")
    if subj is None or subj.pos_ == "PRON":
        return None
    person = subj.ent_type_ == "PERSON"
    if (word in ("he", "she")) != person:
        return None
    return subj


def _cataphor(pron):
    """"After its retreat from the valley, the brigade ...": a pronoun in a
    fronted adjunct points forward to the subject of the clause it is fronted to."""
    t = pron
    for _ in range(6):
        if t.head.i == t.i:
            return None
        if t.dep_ in ("prep", "advcl", "npadvmod") and t.i < t.head.i \
                and t.head.pos_ in ("VERB", "AUX"):
            subj = _child(t.head, "nsubj", "nsubjpass")
            if subj is not None and subj.i > pron.i and subj.pos_ != "PRON":
                return subj
            return None
        t = t.head
    return None


def _is_passive(verb) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) \
        or _reduced_passive(verb)


def _reduced_passive(verb) -> bool:
    """"aid workers killed at their clinic", "Five soldiers wounded in ambush": a bare past
    participle with a subject and no auxiliary is a passive whose subject is the patient."""
    return (verb.tag_ == "VBN" and verb.dep_ in ("ROOT", "conj", "ccomp")
            and not any(c.dep_ in ("aux", "auxpass", "dobj") for c in verb.children)
            and any(c.dep_ == "nsubj" for c in verb.children)
            and verb.lemma_ in _words("patient_subject_verbs"))


def _child(tok, *deps):
    for c in tok.children:
        if c.dep_ in deps:
            return c
    return None


def _object(verb):
    """The verb's object: direct object, or passive subject; a container noun ("a series of
    attacks", "a state of emergency") stands for its "of" phrase."""
    obj = _child(verb, "dobj") or (_child(verb, "nsubjpass") if _is_passive(verb) else None)
    return obj


def _unwrap(noun, containers: frozenset[str]):
    if noun is not None and (noun.lemma_ in containers or noun.lemma_ in _words("quantity_heads")):
        for c in noun.children:
            if c.dep_ == "prep" and c.lemma_ == "of":
                inner = _pobj(c)
                if inner is not None:
                    return inner
    return noun


def _subject(verb, depth: int = 0):
    """The agent of a verb, following control, coordination and participles."""
    if depth > 4 or verb is None:
        return None
    if _is_passive(verb) and verb.lemma_ in _words("stative_passives"):
        return _child(verb, "nsubjpass")
    if _is_passive(verb):
        agent = _child(verb, "agent")
        return _pobj(agent) if agent is not None else None
    subj = _child(verb, *_SUBJECTS)
    if subj is not None:
        if subj.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
            return verb.head
        if subj.pos_ == "VERB":
            # "The aid agency working in Chad said ...": the parser made the participle the
            # subject; its own subject is the speaker.
            return _child(subj, "nsubj") or subj
        return subj
    head = verb.head
    if verb.dep_ == "relcl":
        return head
    if verb.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
        # "soldiers patrolling the area": the noun does it; "the deal reached": it is done;
        # "adopted a motion condemning ...": whoever adopted it.
        if verb.tag_ != "VBG":
            return None
        if head.lemma_ in _words("document_nouns") and head.dep_ in ("dobj", "nsubjpass"):
            return _subject(head.head, depth + 1)
        return head
    if verb.dep_ == "acomp":
        return _subject(head, depth + 1)
    if verb.dep_ in ("xcomp", "pcomp") or (verb.dep_ == "advcl" and verb.tag_ == "VBG"):
        governor = head.head if head.dep_ == "prep" else head
        if verb.dep_ == "pcomp" and governor.pos_ == "NOUN":
            governor = _misattached_charge(verb)
            if governor is None:
                return None
        if verb.dep_ != "advcl":
            # Object control: "urged Israel to withdraw", "accused Iran of attacking".
            controller = _child(governor, "dobj")
            if controller is None:
                on = next((c for c in governor.children
                           if c.dep_ == "prep" and c.lemma_ == "on"), None)
                controller = _pobj(on) if on is not None else None
            if controller is None and _is_passive(governor):
                # "Iran was accused of attacking ...", "Israel was urged to withdraw".
                controller = _child(governor, "nsubjpass")
            if controller is not None and controller.i != verb.i:
                return controller
        return _subject(governor, depth + 1) if governor.pos_ in ("VERB", "AUX", "ADJ") else None
    if verb.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
        if head.dep_ == "pcomp" and verb.lemma_ in _words("promise_verbs") | {"threaten", "warn"}:
            # "accusing the rebels of sabotaging the talks and vowing revenge": the parser hangs
            # the vow on the gerund; it is the accuser's.
            return _subject(head.head.head, depth + 1)
        return _subject(head, depth + 1)
    return None


def _misattached_charge(gerund):
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
    if _verb_lemma(t) not in lexicon().cues["charge_frames"]["of"] \
            or any(c.dep_ == "prep" and c.lower_ == "of" for c in t.children):
        return None
    obj = _child(t, "dobj")
    return t if obj is not None and gerund.i > obj.i else None


def _verb_lemma(verb) -> str:
    """The small model's lemmatizer slips on some verbs ("staged" -> "stag"); a lexicon word
    one "e" away is the better reading."""
    lemma = verb.lemma_.lower()
    if verb.lower_.endswith(("ed", "ing")) and lemma + "e" in lexicon().verb_lemmas:
        return lemma + "e"
    return lemma


def _verb_keys(verb) -> list[str]:
    """Lookup keys for a verb: phrasal forms first ("blow up", "call for", "set fire")."""
    lemma = _verb_lemma(verb)
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


def _context(tok, lex: Lexicon, light=None) -> set[str]:
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
            inner = _pobj(c)
            if inner is not None:
                add_np(inner)
        elif dep in ("acl", "relcl"):
            out.add(c.lemma_.lower())  # "a march in Dakar to protest ..."
            for g in c.children:
                if g.dep_ in ("agent", "prep"):
                    inner = _pobj(g)
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
        subj = _subject(verb)
        if subj is not None:
            add_np(subj)
    return out


# --------------------------------------------------------------------------- sense choice


def _choose(senses: tuple[Sense, ...], tok, art: _Article, ctx: set[str],
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
    if any(c.dep_ in ("ccomp", "xcomp") or (c.dep_ == "advcl" and _in_scope(c))
           for c in tok.children):
        return True
    return any(c.dep_ == "prep" and _child(c, "pcomp") is not None for c in tok.children)


def _test_animate_obj(tok, art, light) -> bool:
    return art.animate(_object(tok)) if tok.pos_ == "VERB" else False


def _test_inanimate_obj(tok, art, light) -> bool:
    obj = _child(tok, "dobj")
    return obj is not None and not art.agentive(obj)


def _test_abstract_obj(tok, art, light) -> bool:
    """"attacked his credibility": an object that is neither someone nor somewhere."""
    obj = _child(tok, "dobj")
    return obj is not None and obj.lemma_ in art.lex.cues["abstract_objects"]


def _test_place_obj(tok, art, light) -> bool:
    return art.placelike(_object(tok)) if tok.pos_ == "VERB" else False


def _test_civil_subj(tok, art, light) -> bool:
    civil = art.lex.cues["civil_nouns"]
    verb = light if light is not None else (tok if tok.pos_ == "VERB" else None)
    subj = _subject(verb) if verb is not None else None
    if subj is not None and subj.lemma_ in civil:
        return True
    if tok.pos_ == "NOUN":
        for c in tok.children:
            if c.dep_ == "acl":
                agent = _child(c, "agent")
                inner = _pobj(agent) if agent is not None else None
                if inner is not None and inner.lemma_ in civil:
                    return True
    return False


def _test_has_actor(tok, art, light) -> bool:
    if light is not None:
        return art.agentive(_subject(light))
    return any(c.dep_ in ("poss", "compound", "amod") and art.agentive(c) for c in tok.children)


def _test_state_subj(tok, art, light) -> bool:
    verb = light if light is not None else (tok if tok.pos_ == "VERB" else None)
    subj = _subject(verb) if verb is not None else None
    return subj is not None and subj.lemma_ in _words("state_nouns")


def _test_org_obj(tok, art, light) -> bool:
    obj = _object(tok) if tok.pos_ == "VERB" else None
    return obj is not None and (obj.ent_type_ == "ORG" or obj.lemma_ in _words("organisation_nouns"))


_DURATION = re.compile(r"(?:\d+|one|two|three|four|five|six|seven|ten)-(?:hour|day|week|month)"
                       r"|open-ended|indefinite|token|sit-down|wildcat", re.I)


def _test_duration(tok, art, light) -> bool:
    """"a four-day strike", "an open-ended strike": a stoppage of work, not an air strike."""
    return any(_DURATION.fullmatch(c.text) for c in tok.children
               if c.dep_ in ("amod", "compound", "nummod", "nmod"))


_CUE_TESTS = {
    "intrans": _test_intrans,
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


def _noun_sense(noun, art: _Article, light=None) -> Sense | None:
    lex = art.lex
    ctx = None
    if noun.lemma_ in lex.cues["container_heads"]:
        for c in noun.children:
            if c.dep_ == "compound" and c.pos_ == "NOUN":
                inner = _noun_sense(c, art, light)
                if inner is not None:
                    return inner  # "launched a mediation effort", "a hunger strike campaign"
    for key in _noun_keys(noun):
        senses = lex.triggers.get((key, "N"))
        if senses:
            if ctx is None:
                ctx = _context(noun, lex, light)
            return _choose(senses, noun, art, ctx, light)
    return None


def _object_classes(noun, art: _Article, sense: Sense | None) -> list[tuple[str, str | None]]:
    """(class, mode) readings of an object noun, most specific first."""
    lex = art.lex
    out: list[tuple[str, str | None]] = []
    lemma = noun.lemma_.lower()
    for c in noun.children:
        if c.dep_ in ("amod", "compound") and f"{c.lemma_.lower()} {lemma}" in lex.objects:
            out.append(lex.objects[f"{c.lemma_.lower()} {lemma}"])
        if c.dep_ == "prep" and c.lemma_ == "of":
            inner = _pobj(c)
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
        cls = _words("type_classes").get(sense.type)
        if cls:
            out.append((cls, sense.mode))
        out.append(("event", sense.mode))
    return out


# --------------------------------------------------------------------------- detection


def _verb_candidate(verb, art: _Article, sent) -> _Cand | None:
    lex = art.lex
    containers = lex.cues["container_heads"]
    keys = _verb_keys(verb)
    obj = _unwrap(_object(verb), containers)
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
            inner = _unwrap(_pobj(prep), containers) if prep is not None else None
            if inner is not None:
                objects.append((key, inner))
    for key, noun in objects:
        if noun is None or noun.pos_ not in ("NOUN", "PROPN"):
            continue
        sense = _noun_sense(noun, art, light=verb)
        for cls, obj_mode in _object_classes(noun, art, sense):
            row = lex.compose.get((key, "V", cls))
            if row is None:
                continue
            typ, mode = row
            if typ == "=":
                if sense is None or sense.type is None:
                    continue
                return _Cand(trigger=noun, head=verb, type=sense.type, mode=sense.mode,
                             strength="strong", sent=sent, obj=None)
            mode = obj_mode if mode == "*" else mode
            return _Cand(trigger=verb, head=verb, type=typ, mode=mode, strength="strong",
                         sent=sent, obj=noun)
    ctx = None
    for key in keys:
        senses = lex.triggers.get((key, "V"))
        if not senses:
            continue
        if ctx is None:
            ctx = _context(verb, lex)
        sense = _choose(senses, verb, art, ctx)
        if sense is None:
            continue
        if sense.type is None or sense.strength == "gov":
            return None
        return _Cand(trigger=verb, head=verb, type=sense.type, mode=sense.mode,
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


def _noun_candidate(noun, art: _Article, sent) -> _Cand | None:
    lex = art.lex
    if noun.dep_ == "compound" or noun.ent_type_ in _NAME_ENTS:
        return None  # "invasion forces", "Asia-Pacific Economic Cooperation"
    nxt = noun.nbor(1) if noun.i + 1 < len(noun.doc) else None
    if nxt is not None and nxt.text == "-" and not nxt.whitespace_:
        return None  # "veto-wielding members", "strike-hit town"
    sense = _noun_sense(noun, art)
    # "the lifting of the curfew", "suspension of air links": the noun governs an "of" object.
    for c in noun.children:
        if c.dep_ == "prep" and c.lemma_ == "of":
            inner = _unwrap(_pobj(c), lex.cues["container_heads"])
            if inner is None or inner.pos_ not in ("NOUN", "PROPN"):
                continue
            inner_sense = _noun_sense(inner, art)
            for cls, obj_mode in _object_classes(inner, art, inner_sense):
                row = lex.compose.get((noun.lemma_.lower(), "N", cls))
                if row is not None and row[0] != "=":
                    mode = obj_mode if row[1] == "*" else row[1]
                    # "Norway announced a suspension of fuel sales": Norway suspends them.
                    head = noun.head if noun.dep_ == "dobj" and (
                        _verb_lemma(noun.head), "V", "event") in lex.compose else noun
                    return _Cand(trigger=noun, head=head, type=row[0], mode=mode,
                                 strength="strong", sent=sent, obj=inner)
    if sense is None or sense.type is None or sense.strength == "gov":
        return None
    return _Cand(trigger=noun, head=noun, type=sense.type, mode=sense.mode,
                 strength=sense.strength, sent=sent)


def _request_by_modal(verb, art: _Article, sent) -> _Cand | None:
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
    obligee = _subject(verb)
    if obligee is None or obligee.lower_ in ("i", "we", "you", "one", "it", "there"):
        return None
    cand = _Cand(trigger=modal, head=verb.head, type="REQUEST", mode=None, strength="strong",
                 sent=sent)
    cand.target_tok = obligee
    cand.scope = [verb]
    return cand


# --------------------------------------------------------------------------- roles


def _assign_roles(cand: _Cand, art: _Article) -> None:
    lex = art.lex
    head, trig = cand.head, cand.trigger
    preps = lex.cues["target_preps"].get(cand.type, frozenset())
    if head.pos_ in ("VERB", "AUX"):
        if cand.actor_tok is None:
            cand.actor_tok = _subject(head)
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
    if cand.obj is not None and cand.target_tok is None:
        # "expelled two Russian diplomats": the diplomats' country is the one sanctioned.
        for c in cand.obj.children:
            if c.dep_ == "prep" and c.lower_ in preps:
                inner = _pobj(c)
                if inner is not None and art.agentive(inner):
                    cand.target_tok = inner
                    break
        else:
            if art.actor_of(cand.obj):
                cand.target_tok = cand.obj
    if cand.actor_tok is None and trig.pos_ in ("NOUN", "PROPN") and head.i == trig.i \
            and trig.dep_ == "pobj" and trig.head.lower_ in ("on", "for", "during", "at") \
            and trig.head.head.pos_ == "VERB" and not _is_passive(trig.head.head):
        # "The envoy arrived in Nairobi on a visit", "negotiators return for talks".
        cand.actor_tok = _child(trig.head.head, "nsubj")
    cand.actor = art.actor_of(cand.actor_tok)
    cand.target = art.actor_of(cand.target_tok, "target")
    if cand.target is not None and cand.target == cand.actor:
        cand.target = None


def _charged(noun, art: _Article):
    """Whom an accusation or a credit lays the act at: "blamed the blast on Hamas",
    "attributed the strike to Ukrainian forces", "accused Iran of the attack", "held Israel
    responsible for the raid", "Hamas was blamed for the bombing"."""
    frames = art.lex.cues["charge_frames"]
    dep = noun.dep_
    if dep in ("dobj", "nsubjpass"):
        verb = noun.head
        lemma = _verb_lemma(verb)
        for word in ("on", "to"):
            if lemma in frames[word]:
                prep = next((c for c in verb.children
                             if c.dep_ in ("prep", "dative") and c.lower_ == word), None)
                if prep is not None:
                    return _pobj(prep)
        return None
    if dep != "pobj" or noun.head.lower_ not in ("of", "for"):
        return None
    word = noun.head.lower_
    gov = noun.head.head
    holder = None
    if gov.pos_ == "ADJ" and gov.head.i != gov.i:
        holder = _child(gov, "nsubj")  # "held Israel responsible": a small clause
        gov = gov.head
    if gov.pos_ != "VERB" or _verb_lemma(gov) not in frames[word]:
        return None
    if _is_passive(gov):
        return _child(gov, "nsubjpass")
    return _child(gov, "dobj") or holder


def _verb_target(cand: _Cand, art: _Article, preps: frozenset[str]):
    head = cand.head
    lex = art.lex
    if cand.type == "REQUEST":
        for c in head.children:
            if c.dep_ == "ccomp" and (c.lemma_ != head.lemma_):
                subj = _child(c, *_SUBJECTS, "nsubjpass")
                if subj is not None:
                    return subj
    if _is_passive(head) and cand.obj is None and head.lemma_ not in _words("stative_passives"):
        return _child(head, "nsubjpass", "nsubj")
    if head.dep_ == "acl" and head.tag_ == "VBN" and cand.obj is None:
        return head.head  # "aid workers killed at their clinic"
    found = []
    obj = _child(head, "dobj")
    if obj is not None and cand.obj is None and cand.type in lex.cues["object_is_target"] \
            and cand.trigger.i == head.i and (cand.type != "RETREAT"
                                              or cand.mode in ("release", "return")):
        # What is withdrawn ("withdrew its troops") is not whom it is withdrawn from.
        found.append(obj)
    dative = _child(head, "dative")
    if dative is not None and dative.pos_ != "ADP":
        found.append(dative)
    holders = [head] + ([obj] if obj is not None else [])
    for holder in holders:
        for c in holder.children:
            if c.dep_ in ("prep", "dative") and c.lower_ in preps:
                inner = _pobj(c)
                if inner is not None and inner.pos_ != "VERB":
                    found.append(inner)
    # "shared intelligence with Britain": someone beats something.
    return next((t for t in found if art.agentive(t)), found[0] if found else None)


def _noun_roles(noun, cand: _Cand, art: _Article, preps: frozenset[str]):
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
            inner = _pobj(c)
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
            agent = _child(c, "agent")
            inner = _pobj(agent) if agent is not None else None
            if inner is not None:
                agents.append(inner)
        elif dep == "relcl" and (_verb_lemma(c), "V", "event") in art.lex.compose:
            subj = _child(c, "nsubj")  # "the invasion Russia launched on February 24"
            if subj is not None:
                agents.append(subj)
    actor_tok = next((a for a in agents if art.actor_of(a)),
                     next((a for a in agents if art.agentive(a)), agents[0] if agents else None))
    return actor_tok, target_tok


# --------------------------------------------------------------------------- modality


def _modality(cand: _Cand, art: _Article) -> None:
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
                if trig.dep_ == "nsubj" and _definite(trig):
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


def _goal(cand: _Cand, cues) -> bool:
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
    subj = _child(head, "nsubj")
    if head.tag_ == "VB" and head.dep_ == "ROOT" and subj is None and not to:
        return True  # an imperative ("Ask them ...") tells the reader, it reports nothing
    if head.tag_ == "VBG" and head.dep_ in ("csubj", "nsubj", "csubjpass", "attr", "acomp") \
            and _child(head, "nsubj") is None:
        return True
    t = head
    for _ in range(6):
        if t.dep_ == "advcl":
            mark = _child(t, "mark")
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
            and head.head.head.pos_ == "NOUN" and _misattached_charge(head) is None:
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
        mark = _child(v, "mark")
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
        mark = _child(v, "mark")
        if v.dep_ == "advcl" and v.tag_ == "VBG" and v.head.pos_ in ("VERB", "AUX") \
                and (mark is None or mark.lower_ in ("while", "as", "by", "when")):
            v = v.head  # "it would widen its reach while deepening trade links"
            continue
        break
    # Conditionals higher up the tree make everything below them conditional.
    up = verb
    for _ in range(6):
        if up.dep_ == "advcl":
            mark = _child(up, "mark")
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


# --------------------------------------------------------------------------- modes


def _refine_mode(cand: _Cand, art: _Article) -> None:
    lex = art.lex
    words: set[str] = set()
    for tok in (cand.trigger, cand.head) + ((cand.obj,) if cand.obj is not None else ()):
        words.add(tok.lemma_.lower())
        for c in tok.children:
            if c.dep_ in ("compound", "amod", "nmod", "advmod"):
                words.add(c.lemma_.lower())
                words.update(g.lemma_.lower() for g in c.children if g.dep_ == "conj")
            elif c.dep_ in ("prep", "agent") and c.lower_ in ("with", "by", "using", "in"):
                inner = _pobj(c)
                if inner is not None:
                    words.add(inner.lemma_.lower())
                    words.update(g.lemma_.lower() for g in inner.children
                                 if g.dep_ in ("compound", "amod"))
            elif c.dep_ == "acl" and c.lemma_ in ("use", "arm"):
                inner = _child(c, "dobj") or (_pobj(_child(c, "prep")) if _child(c, "prep")
                                               else None)
                if inner is not None:
                    words.add(inner.lemma_.lower())
    for tok in (cand.actor_tok,):
        if tok is not None:
            words.add(tok.lemma_.lower())
            words.update(g.lemma_.lower() for g in tok.children
                         if g.dep_ in ("compound", "amod", "conj"))
    best: tuple[int, str] | None = None
    own = {cand.trigger.lemma_.lower(), cand.head.lemma_.lower()}
    for w in words:
        for typ, mode, rank in lex.modes.get(w, ()):
            if typ == cand.type and (best is None or rank > best[0]):
                best = (rank, mode)
                # A weapon named beside the trigger makes it literal; "gunfire" alone may not.
                cand.weapon = cand.weapon or w not in own
    # A trigger that names its own method ("assassinated", "kidnapped") keeps it, except that a
    # suicide attack is always one.
    if best is not None and (cand.mode not in _words("method_modes") or best[1] == "suicide-attack"):
        cand.mode = best[1]


# --------------------------------------------------------------------------- folding


def _scope_of(cand: _Cand) -> list:
    if cand.scope:
        return cand.scope
    tok = cand.trigger if cand.trigger.pos_ in ("NOUN", "PROPN", "VERB") else cand.head
    roots = [c for c in tok.children if _in_scope(c)]
    if tok.i != cand.head.i:
        roots += [c for c in cand.head.children if _in_scope(c) and c.i != tok.i]
    return roots


def _in_scope(child) -> bool:
    """Is this dependent part of what its head says, demands or refuses?"""
    if child.dep_ == "prep":
        return child.lower_ not in _words("circumstance_preps")
    if child.dep_ == "advcl":
        # "vowed to fight" is sometimes parsed as an adverbial clause.
        return any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)
    return child.dep_ not in _OUTSIDE_SCOPE


def _inside(tok, roots, limit: int = 12) -> bool:
    ids = {r.i for r in roots}
    t = tok
    for _ in range(limit):
        if t.i in ids:
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def _fold(cands: list[_Cand], cues) -> None:
    """Drop events that are the content of another event in their sentence."""
    governors = [c for c in cands if c.type in cues["folding_governors"]]
    for e in cands:
        if e.dropped:
            continue
        for g in governors:
            if g is e or g.dropped:
                continue
            if _inside(e.head, _scope_of(g)) or (e.head.i != e.trigger.i
                                                  and _inside(e.trigger, _scope_of(g))):
                if e.type in cues["folding_governors"] and _inside(g.head, _scope_of(e)):
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


def _absorb(e: _Cand, cands: list[_Cand], related) -> bool:
    """Drop ``e`` into the first other live candidate it is ``related(e, g)`` to."""
    for g in cands:
        if g is not e and not g.dropped and related(e, g):
            e.dropped = True
            g.absorbed.append(e)
            return True
    return False


def _part_of(e: _Cand, g: _Cand) -> bool:
    """``e`` is what ``g`` is about, the charge behind it or the damage of its riot."""
    return _topic_of(e, g) or _charge_of(e, g) or _riot_damage(e, g)


def _explains(e: _Cand, g: _Cand) -> bool:
    """Purpose clauses ("staged demonstrations to demand reforms", "opened fire to disperse
    them") and a protest's own demands belong to the act they explain."""
    return _purpose_of(e, g) or (g.type == "PROTEST" and e.type in ("REQUEST", "ACCUSE")
                                 and _inside(e.head, [g.trigger, g.head]))


def _topic_of(e: _Cand, g: _Cand) -> bool:
    """"talks on a troop pullback from the border": the pullback is what is talked about."""
    if g.type != "CONSULT":
        return False
    for tok in {g.trigger.i: g.trigger, g.head.i: g.head}.values():
        topics = [c for c in tok.children
                  if (c.dep_ == "prep" and c.lower_ in _words("topic_preps"))
                  or (c.dep_ in ("xcomp", "advcl") and _child(c, "aux") is not None)]
        if topics and (_inside(e.head, topics) or _inside(e.trigger, topics)):
            return True
    return False


def _reported_fact(e: _Cand, cues) -> bool:
    """Is this event told as having happened: a finite past verb ("bombed", "had shelled",
    "was blown up") without a modal, or a definite act of force ("responsibility for the
    attack")? Proposals and aims ("to withdraw", "that Israel withdraw") are not."""
    v = e.head
    if v.pos_ in ("NOUN", "PROPN"):
        return e.type in cues["material_conflict"] and _definite(v)
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


def _charge_of(e: _Cand, g: _Cand) -> bool:
    """"arrested for collaborating", "jailed for shelling": the charge is the reason for the
    act, not an event the article reports. An accusation's content ("accused the northern
    rebels of breaking the truce") is an act of its own, told by the accuser."""
    if g.type not in ("COERCE", "SANCTION"):
        return False
    v = e.head
    return (v.tag_ == "VBG" and v.dep_ == "pcomp" and v.head.lower_ in ("of", "for", "with")
            and v.head.head.i in (g.head.i, g.trigger.i))


def _riot_damage(e: _Cand, g: _Cand) -> bool:
    """"inmates rioted, setting fire to their cells": damage done in a riot is the riot."""
    v = e.head
    return (g.type == "PROTEST" and e.type == "ASSAULT" and e.mode in ("destroy", "primitive")
            and v.dep_ in ("advcl", "conj") and v.head.i in (g.head.i, g.trigger.i))


def _purpose_of(e: _Cand, g: _Cand) -> bool:
    v = e.head
    if v.pos_ != "VERB" or v.dep_ not in ("advcl", "xcomp", "acl"):
        return False
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
        return False
    return v.head.i in (g.head.i, g.trigger.i)


# --------------------------------------------------------------------------- resolve


def _resolve_type(cand: _Cand, cues, art: _Article | None = None) -> None:
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


def _direct(e: _Cand, g: _Cand) -> bool:
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
            mark = _child(c, "mark")
            if mark is not None and mark.lower_ in ("if", "unless"):
                return True
    return False


def _threat_mode(typ: str, mode: str | None, cues) -> str | None:
    table = cues["threaten_modes"]
    return table.get(f"{typ}/{mode}") or table.get(typ)


def _inherit_from_folded(cand: _Cand, art: _Article) -> None:
    """A demand's or threat's target is often only in its content ("demanded that Sudan
    return...", "threatened to bomb border villages")."""
    # A protest is aimed at whom its demands are ("staged rallies to demand that the
    # government resign"); other purposes say nothing of the target ("ordered a raid on the
    # port to free the captives").
    sources = cand.folded + (cand.absorbed if cand.type == "PROTEST" else [])
    if cand.target is not None or not sources:
        return
    for e in sources:
        # A demand or a refusal is aimed at whoever is to act or made the proposal ("rejected
        # French mediation"); a threat or a promise at whoever it would hit or help.
        first = (e.actor, e.target) if cand.type in ("REQUEST", "REJECT") else (e.target,)
        for who in first:
            if who is not None and who != cand.actor:
                cand.target = who
                return


def _impersonal(cand: _Cand, art: _Article) -> bool:
    """The writer's own reflections ("I accept your representation", "we are allowed to hold
    them both") and generic statements ("when you fire missiles at ships ...", "people
    blame the army"): no act of the conflict. "We" inside a quotation is the speaker's side,
    which attribution names."""
    head = cand.head
    if head.pos_ not in ("VERB", "AUX"):
        return False
    cues = art.lex.cues
    verbal = cand.type in _VERBAL_TYPES or cand.type == "CONCEDE"
    subj = _child(head, "nsubj")
    if subj is None and verbal:
        subj = _child(head, "nsubjpass")  # "we are allowed to ...": granted to the writer
    if subj is None:
        return False
    word = subj.lower_
    if subj.pos_ == "PRON" and word in cues["writer_pronouns"]:  # not "the US"
        return not art.quoted(subj.idx)
    if subj.pos_ in ("PRON", "NUM") and word in ("you", "one"):
        return True
    return verbal and word in cues["generic_subjects"] and subj.pos_ != "PROPN" and not any(
        c.dep_ in ("det", "amod", "nummod", "compound", "poss", "prep") for c in subj.children)


def _inner_permission(cand: _Cand, art: _Article) -> bool:
    """"are allowed to weep with joy": thoughts and feelings are no one's to grant."""
    cues = art.lex.cues
    trig = cand.trigger
    if cand.type != "CONCEDE" or trig.lemma_ not in cues["permission_lemmas"]:
        return False
    act = _child(trig, "xcomp", "ccomp")
    return act is not None and act.lemma_ in cues["inner_verbs"]


def _reflexive(cand: _Cand) -> bool:
    obj = _child(cand.head, "dobj") if cand.head.pos_ == "VERB" else None
    return obj is not None and obj.lower_.endswith(("self", "selves"))


def _keep(cand: _Cand, art: _Article) -> bool:
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
            and not cand.weapon:
        return False  # "under attack", "under fire": usually figurative
    if cand.type in _VERBAL_TYPES and cand.actor_tok is not None and cand.actor is None \
            and not art.agentive(cand.actor_tok):
        return False  # "the strains of the war drove the council to ...": no speaker
    if cand.obj is not None and cand.head.pos_ == "VERB" and not _is_passive(cand.head) \
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
                or _definite(trig) or any(c.dep_ in ("prep", "amod", "nummod", "acl")
                                          for c in trig.children))
    if cand.actor is not None or cand.target is not None or cand.weapon:
        return True
    if art.agentive(cand.actor_tok) or art.agentive(cand.target_tok):
        return True
    return cand.trigger.pos_ == "NOUN" and cand.place_in_phrase


def _definite(tok) -> bool:
    return any(c.dep_ in ("det", "poss") and c.lower_ in _words("definite_determiners") for c in tok.children)


# --------------------------------------------------------------------------- attachments


def _attach_place(cand: _Cand, art: _Article) -> None:
    sent = cand.sent
    hits = art.place_index.within(sent.start_char, sent.end_char)
    if not hits:
        return
    avoid: list[tuple[int, int]] = []
    for tok in (cand.actor_tok,):
        if tok is not None and cand.actor is not None:
            avoid.append(art.core_span(tok))
    # A place name inside a person's name ("Ismail Haniyeh") is the person.
    avoid.extend((s, e) for s, e, a in art.actor_index.within(sent.start_char, sent.end_char)
                 if a.kind == "person")
    pivot = cand.trigger.idx
    best = None
    roots = {}
    for start, end, _place in hits:
        span = art.doc.char_span(start, end, alignment_mode="expand")
        roots[start] = span.root if span is not None else None
    root_ids = {r.i for r in roots.values() if r is not None}
    for start, end, place in hits:
        if any(s < end and start < e for s, e in avoid) or art.in_dateline(start):
            continue
        root = roots[start]
        if root is not None and (_named_by_of(root, root_ids)
                                 or _participant(root, start, end, cand, art)):
            continue
        in_phrase = root is not None and (_inside(root, [cand.trigger], 5)
                                          or _inside(root, [cand.head], 4))
        key = (0 if in_phrase else 1, abs(start - pivot))
        if best is None or key < best[0]:
            best = (key, place, in_phrase)
    if best is not None:
        cand.place = best[1].id
        cand.place_in_phrase = best[2]


def _named_by_of(root, place_roots: set[int]) -> bool:
    """"the northern Syrian city of Aleppo", "the Adriatic port city of Split": the place
    modifying the head noun only says where the named place lies."""
    if root.dep_ not in ("compound", "amod", "nmod"):
        return False
    for c in root.head.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            inner = _pobj(c)
            if inner is not None and inner.i in place_roots:
                return True
    return False


def _participant(root, start: int, end: int, cand: _Cand, art: _Article) -> bool:
    """A country named as a party is not where the event happens: the doer of a nominal
    event ("Turkish-Qatari patrols", "patrols carried out by Turkey and Qatar along the
    coast"), or a party acting or acted on in another clause ("the pullback leaves
    Israel with fewer troops inside Gaza"). The event's own arguments stay eligible ("Russia
    invaded Ukraine")."""
    if art.actor_index.at(start, end) is None:
        return False
    t = root
    for _ in range(3):
        if t.dep_ != "conj" or t.head.i == t.i:
            break
        t = t.head  # "Turkey and Qatar"
    dep = t.dep_
    if dep == "pobj" and t.head.dep_ == "agent":
        return True
    if dep in ("amod", "compound", "poss", "nmod") and t.head.i == cand.trigger.i:
        return True
    return dep in ("nsubj", "nsubjpass", "dobj", "dative", "poss") \
        and t.head.i not in (cand.trigger.i, cand.head.i)


def _attach_date(cand: _Cand, art: _Article, window_start: int) -> None:
    """The time expression of the event's own clause, else the one nearest the trigger in its
    sentence. No date rather than a guess: dates are not carried over from other sentences,
    and never default to the publication date."""
    sent = cand.sent
    pivot = cand.trigger.idx
    best = None
    above: set[int] | None = None
    for t in art.times:
        if t.start < window_start:
            continue
        if t.start >= sent.end_char:
            break
        if t.start <= pivot < t.end:
            continue  # "two days after an Israeli strike" dates something else by this event
        if art.in_dateline(t.start):
            # "MOSCOW, January 12 (Agency) — Russia condemned the overnight strikes": the
            # filing date frames the lead's undated events, and only when nothing in the
            # sentence itself dates them.
            key = (2, abs(t.start - pivot))
            if best is None or key < best[0]:
                best = (key, t)
            continue
        span = art.doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is not None:
            if above is None:
                above = _ancestors(cand.trigger) | _ancestors(cand.head)
            if _in_other_clause(span.root, above, {cand.trigger.i, cand.head.i},
                                art.lex.cues["anchor_preps"]):
                continue
        own = span is not None and _clause_verb(span.root).i == _clause_verb(cand.head).i
        key = (0 if own else 1, abs(t.start - pivot))
        if best is None or key < best[0]:
            best = (key, t)
    if best is not None:
        _set_date(cand, best[1].value)


def _ancestors(tok, limit: int = 14) -> set[int]:
    out = {tok.i}
    t = tok
    for _ in range(limit):
        if t.head.i == t.i:
            break
        t = t.head
        out.add(t.i)
    return out


_SUBORDINATE = frozenset({"advcl", "relcl", "acl", "ccomp", "csubj", "parataxis"})


def _in_other_clause(root, above: set[int], own: set[int], anchors) -> bool:
    """Does a time expression sit in a clause or phrase told of another event, below where
    it meets the event's own path to the root? "announced hours after an ambush on
    Saturday", "since the ground offensive began in late October": the date is the ambush's
    and the offensive's. A bare anchored date ("since Friday", "before Sunday") still dates
    the clause it modifies, and a relative clause on the event noun describes the event
    itself ("the raid, which began on Saturday")."""
    prev, t = root, root
    for _ in range(14):
        if t.i in above:
            return False
        if t is not root:
            if t.dep_ in _SUBORDINATE and t.pos_ in ("VERB", "AUX") and not (
                    t.dep_ in ("relcl", "acl") and t.head.i in own):
                return True
            if t.dep_ == "prep" and t.lower_ in anchors and prev is not root:
                return True
        if t.head.i == t.i:
            return False
        prev, t = t, t.head
    return False


def _clause_verb(tok):
    t = tok
    for _ in range(8):
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "aux", "auxpass"):
            return t
        if t.head.i == t.i:
            return t
        t = t.head
    return t


def _set_date(cand: _Cand, value: str) -> None:
    match = _DATE_VALUE.match(value)
    if not match:
        return
    text = match.group(0)
    cand.date = text
    if "W" in text:
        cand.precision = "week"
    else:
        cand.precision = {10: "day", 7: "month", 4: "year"}.get(len(text))


def _attach_figures(cands: list[_Cand], figures: list[Figure], art: _Article) -> None:
    outcomes = art.lex.cues["outcomes"]
    for fig in figures:
        best = None
        for cand in cands:
            sent = cand.sent
            if not (sent.start_char <= fig.start and fig.end <= sent.end_char):
                continue
            what = (fig.what or "").lower()
            allowed = outcomes.get(cand.type, ())
            span = art.doc.char_span(fig.start, fig.end, alignment_mode="expand")
            linked = span is not None and (_inside(span.root, [cand.head], 6)
                                           or _inside(cand.trigger, [span.root], 4))
            if what not in allowed and not linked:
                continue
            key = (0 if linked else 1, abs(fig.start - cand.trigger.idx))
            if best is None or key < best[0]:
                best = (key, cand)
        if best is not None:
            best[1].figures.append(fig.id)


# --------------------------------------------------------------------------- merging


def _merge_into(keep: _Cand, other: _Cand) -> None:
    if _outcome(other) and other.target is not None and keep.target not in (None, other.target) \
            and keep.target_tok is not None and keep.target_tok.lemma_ in _words("place_targets"):
        keep.target, keep.target_tok = other.target, other.target_tok  # people over places
    for name in ("actor", "target", "place", "date", "precision", "mode"):
        if getattr(keep, name) is None and getattr(other, name) is not None:
            setattr(keep, name, getattr(other, name))
    if keep.actor_tok is None:
        keep.actor_tok = other.actor_tok
    if keep.target_tok is None:
        keep.target_tok = other.target_tok
    keep.figures.extend(f for f in other.figures if f not in keep.figures)
    keep.claims.extend(c for c in other.claims if c not in keep.claims)
    keep.mentions.extend([other.trigger.idx, *other.mentions])
    keep.weapon = keep.weapon or other.weapon
    other.dropped = True


def _compatible(a: _Cand, b: _Cand) -> bool:
    if a.type != b.type or a.negated != b.negated or a.hypothetical != b.hypothetical:
        return False
    if a.actor is not None and b.actor is not None and a.actor != b.actor:
        return False
    # "Palestinians killed in the raid on the camp": the victims and the place attacked are
    # both targets of one event.
    return (a.target is None or b.target is None or a.target == b.target
            or _outcome(a) or _outcome(b))


def _outcome(c: _Cand) -> bool:
    return c.trigger.lemma_ in _words("outcome_lemmas")


def _merge_sentence(cands: list[_Cand]) -> None:
    """"twelve guards died in the raid", "shellfire killed two medics": the
    outcome verb and the attack are one event."""
    live = [c for c in cands if not c.dropped]
    for i, a in enumerate(live):
        for b in live[i + 1:]:
            if a.dropped or b.dropped or not _compatible(a, b):
                continue
            if _near(a, b) or _near(b, a):
                keep, other = (a, b) if _rank(a) >= _rank(b) else (b, a)
                _merge_into(keep, other)


def _near(a: _Cand, b: _Cand) -> bool:
    t = b.trigger
    for _ in range(3):
        if t.i in (a.trigger.i, a.head.i):
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def _rank(c: _Cand) -> tuple[int, int, int]:
    return (int(c.strength == "strong"), int(not _outcome(c)), -c.trigger.i)


def _anaphoric(cand: _Cand) -> bool:
    return (cand.trigger.pos_ == "NOUN" and cand.head.i == cand.trigger.i
            and _definite(cand.trigger) and cand.date is None)


# --------------------------------------------------------------------------- main


def find_events(
    doc,
    actors: list[Actor],
    places: list[Place],
    times: list[TimeExpression],
    figures: list[Figure],
    claims: list[Claim],
) -> list[Event]:
    """PLOVER events with actor, target, place and date, linked to figures and claims.

    Sets ``claim.event`` on each claim whose content holds an event (the first one).
    """
    art = _Article(doc, actors, places, times)
    cues = art.lex.cues
    found: list[_Cand] = []
    for sent, window_start, hits in _sentences_with_hits(doc, art):
        cands = _sentence_candidates(sent, art, hits)
        if not cands:
            continue
        for cand in cands:
            _assign_roles(cand, art)
            _modality(cand, art)
            _refine_mode(cand, art)
        _fold(cands, cues)
        for cand in cands:
            if cand.dropped:
                continue
            _resolve_type(cand, cues, art)
            _inherit_from_folded(cand, art)
            _attach_place(cand, art)
            _attach_date(cand, art, window_start)
        _merge_sentence(cands)
        for cand in cands:
            if not cand.dropped and not _keep(cand, art):
                cand.dropped = True
        live = [c for c in cands if not c.dropped]
        _attach_figures(live, [f for f in figures
                               if sent.start_char <= f.start < sent.end_char], art)
        found.extend(live)
    events = _dedupe(found, art)
    _link_claims(events, claims)
    return [_to_event(i, cand) for i, cand in enumerate(events, 1)]


@functools.cache
def _word_hashes() -> tuple[numpy.ndarray, numpy.ndarray]:
    """Hashes of every word that can head a trigger or a composed event, and of the modals of
    reported demands: tokens are screened on the parse arrays, so only the few that may
    matter become spaCy Token objects (creating one per token costs more than the stage)."""
    lex = lexicon()
    words: set[str] = set()
    for key, pos in lex.triggers:
        parts = key.split()
        words.add(parts[0] if pos == "V" else parts[-1])
    words.update(gov.split()[0] for gov, _, _ in lex.compose)
    # The small model's lemmatizer drops a final "e" now and then ("staged" -> "stag").
    words.update(w[:-1] for w in list(words) if w.endswith("e"))
    strings = StringStore()
    return (numpy.array(sorted(strings.add(w) for w in words), dtype=numpy.uint64),
            numpy.array(sorted(strings.add(w) for w in lex.cues["request_modals"]),
                        dtype=numpy.uint64))


def _sentences_with_hits(doc, art: _Article):
    """(sentence, start of its date window, candidate token indices) for each sentence that
    holds a possible trigger."""
    if len(doc) == 0:
        return
    arr = doc.to_array([LEMMA, LOWER, POS, SENT_START])
    words, modals = _word_hashes()
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


def _sentence_candidates(sent, art: _Article, hits: list[int]) -> list[_Cand]:
    if any(t.text == "?" for t in sent[-3:]):
        return []  # questions assert nothing
    doc = sent.doc
    tokens = [doc[i] for i in hits]
    cands: list[_Cand] = []
    used: dict[int, _Cand] = {}  # noun -> the event it was composed into
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


def _dedupe(cands: list[_Cand], art: _Article) -> list[_Cand]:
    """One event per happening: later definite mentions ("the attack") and repeats with the
    same type, actor, target and date join the first mention."""
    kept: list[_Cand] = []
    by_key: dict[tuple, _Cand] = {}
    for cand in cands:
        if _anaphoric(cand):
            lemma = cand.trigger.lemma_
            # "The Israeli strike ..." after a dated strike by Israel is that strike too; an
            # anaphor naming another doer is another event.
            near = [k for k in reversed(kept)
                    if k.type == cand.type and not k.negated and not k.hypothetical
                    and (lemma in _words("generic_event_nouns") or lemma == k.trigger.lemma_)
                    and cand.sent.start - k.sent.end <= 80
                    and (cand.actor is None or k.actor == cand.actor)]
            # "the attack" points back to the last event told with its doer, not to a
            # background event mentioned since ("... since it was annexed").
            antecedent = next((k for k in near if k.actor is not None),
                              near[0] if near else None)
            if antecedent is not None and not cand.negated and not cand.hypothetical:
                _merge_into(antecedent, cand)
                continue
        key = (cand.type, cand.actor, cand.target, cand.date, cand.negated, cand.hypothetical)
        if cand.actor is None and cand.target is None and cand.date is None:
            key = key + (cand.trigger.lemma_, cand.place)
        if key in by_key:
            _merge_into(by_key[key], cand)
            continue
        by_key[key] = cand
        kept.append(cand)
    return kept


def _link_claims(events: list[_Cand], claims: list[Claim]) -> None:
    """A claim belongs to the event its content reports ("the militia claimed that twelve
    guards died in the raid"), or to the event whose outcome figure it gives ("the army
    conceded three deaths")."""
    for claim in claims:
        start, end = claim.content.start, claim.content.end
        for i, cand in enumerate(events, 1):
            offsets = [cand.trigger.idx, *cand.mentions]
            inside = any(start <= o < end for o in offsets)
            if inside or set(claim.figures) & set(cand.figures):
                if claim.id not in cand.claims:
                    cand.claims.append(claim.id)
                if claim.event is None:
                    claim.event = f"e{i}"


def _to_event(n: int, cand: _Cand) -> Event:
    sent = cand.sent
    # Span.text is doc.text[start_char:end_char]; Doc.text itself joins every token, which
    # costs more than this whole stage, so offsets are worked out from the sentence alone.
    text = sent.text
    stripped = text.lstrip()
    start = sent.start_char + len(text) - len(stripped)
    evidence = stripped.rstrip()
    end = start + len(evidence)
    trig = cand.trigger
    t_start, t_end = trig.idx, trig.idx + len(trig.text)
    return Event(
        id=f"e{n}",
        type=cand.type,
        mode=cand.mode,
        actor=cand.actor,
        target=cand.target,
        place=cand.place,
        date=cand.date,
        date_precision=cand.precision,
        negated=cand.negated,
        hypothetical=cand.hypothetical,
        trigger=trig.text,
        evidence=Span(start=start, end=end, text=evidence),
        figures=list(cand.figures),
        claims=list(cand.claims),
        trigger_span=Mention(start=t_start, end=t_end, text=trig.text),
    )
