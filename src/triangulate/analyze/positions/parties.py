"""Who takes a stance: noun phrases to actors, subjects of stance words, and the side an actor
stands for (Netanyahu's rejection is Israel's)."""

from __future__ import annotations

import functools

from triangulate import datafiles
from triangulate.analyze import actors as actors_stage
from triangulate.analyze.index import OffsetIndex, mention_index
from triangulate.analyze.positions.syntax import verb_subjects
from triangulate.model import Actor, Claim, Quote

# Dependency labels of a noun's children that belong to its core ("the Egyptian and Qatari
# mediators", "Hamas negotiators"), not to what it is about.
_CORE = frozenset({"compound", "amod", "nmod", "det", "nummod", "quantmod", "flat", "nn",
                   "predet", "npadvmod", "cc", "conj", "hmod", "punct"})
_RELATIVE = frozenset({"WDT", "WP", "WP$"})
_FIRST_PERSON = frozenset({"we", "us", "our", "i", "me", "my"})
_REPORTER_PRONOUNS = frozenset({"it", "they", "he", "she"})
_POSSESSIVES = frozenset({"its", "their", "his", "her"})
_PLURAL_PRONOUNS = frozenset({"they", "them", "their"})
# Kinds whose stance is their state's: an army, a cabinet, "the Israelis".
_STATE_KINDS = frozenset({"state", "government", "military", "security", "police", "people"})
_NAME_ENTS = frozenset({"ORG", "FAC", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT"})
_NAMED_KINDS = frozenset({"person", "organisation", "igo", "ngo", "party", "armed_group", "media"})


@functools.cache
def _dictionary() -> dict[str, dict]:
    """Actor entries by id (kind, country, parent, role): parents an article never names."""
    return {e["id"]: e for e in datafiles.jsonl("actors.jsonl") if "id" in e}


@functools.cache
def _states() -> dict[str, tuple[str, str]]:
    """ISO alpha-3 -> (state actor id, name)."""
    return {row[0]: (row[1], row[2]) for row in datafiles.rows("actors", "countries.tsv")
            if len(row) >= 3}


def state_name(actor_id: str) -> str | None:
    return next((name for sid, name in _states().values() if sid == actor_id), None)


class Parties:
    """Actor lookups for one article."""

    def __init__(self, doc, actors: list[Actor], claims: list[Claim], quotes: list[Quote],
                 spokespeople: frozenset[str]):
        self.doc = doc
        self.actors = actors
        self.by_id = {a.id: a for a in actors}
        self.index: OffsetIndex = mention_index(actors)
        self.claims = sorted(claims, key=lambda c: c.content.end - c.content.start)
        self.quotes = quotes
        self.spokespeople = spokespeople
        self.resolver = getattr(actors_stage, "resolve_reference", None)
        self._sides: dict[str, str] = {}

    # ------------------------------------------------------------ who speaks

    def claim_at(self, offset: int) -> Claim | None:
        """The innermost claim whose content holds ``offset``."""
        for c in self.claims:
            if c.content.start <= offset < c.content.end:
                return c
        return None

    def speaker_at(self, offset: int) -> str | None:
        """Who says what is written at ``offset``: the speaker of the innermost claim or quote
        around it (an actor id), None for the outlet's own voice."""
        claim = self.claim_at(offset)
        if claim is not None and claim.speaker:
            return claim.speaker
        for q in self.quotes:
            if q.start <= offset < q.end and q.speaker:
                return q.speaker
        return None

    # ------------------------------------------------------------ noun phrases

    def of_np(self, tok, venues: bool = False) -> list[str]:
        """Actor ids a noun phrase names, one per conjunct ("Egypt and Qatar"). ``venues``:
        the phrase is talks, whose city modifier says where they are held (see _venue)."""
        out: list[str] = []
        for t in _conjuncts(tok):
            for a in self._one(t, venues):
                if a not in out:
                    out.append(a)
        return out

    def _venue(self, start: int, end: int, actor_id: str) -> bool:
        """"the Doha talks", "the Cairo talks": a city's name before talks says where they
        are held, not who holds them, though the actors stage reads the city as its
        government or its people. A state's own name ("the Israel-Hamas talks", "US-China
        talks") still names a side."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or any(sid == actor_id for sid, _ in _states().values()):
            return False
        actor = self.by_id.get(actor_id)
        kind = actor.kind if actor else (_dictionary().get(actor_id) or {}).get("kind")
        return kind in ("government", "people") and all(
            t.dep_ == "compound" and t.pos_ == "PROPN" and t.ent_type_ in ("GPE", "LOC")
            for t in span)

    def _one(self, tok, venues: bool = False) -> list[str]:
        if tok.tag_ in _RELATIVE and tok.head.dep_ == "relcl":
            return self._one(tok.head.head)
        if tok.pos_ == "PRON" or tok.lower_ in ("itself", "themselves"):
            return self._pronoun(tok)
        start, end = _core_span(tok)
        hit = self.index.at(tok.idx, tok.idx + len(tok.text))
        if hit is not None:
            # "Egyptian and Qatari mediators": the head's mention names one of two.
            found = [hit.id]
            for c in tok.lefts:
                if c.dep_ in ("amod", "compound") and any(g.dep_ == "conj" for g in c.children):
                    for t in _conjuncts(c):
                        other = self.index.at(t.idx, t.idx + len(t.text))
                        if other is not None and other.id not in found:
                            found.append(other.id)
            return found
        if tok.ent_type_ in _NAME_ENTS:
            return []  # "Somali Public Agenda": a name with a country in it, not the country
        named = [(s, e, a) for s, e, a in self.index.overlapping(start, end)
                 if not _modifier(self.doc, s, e)]
        found = [a.id for s, e, a in named if not (venues and self._venue(s, e, a.id))]
        if found or named:
            return list(dict.fromkeys(found))  # a venue's talks are no one's by their name
        if self.resolver is not None and any(c.dep_ == "det" and c.lower_ == "the"
                                             for c in tok.children):
            return self._resolve(start, end)
        return []

    def _pronoun(self, tok) -> list[str]:
        word = tok.lower_
        if word in ("itself", "themselves"):
            verb = tok.head
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            return self.of_np(subj) if subj is not None else []
        if word in _FIRST_PERSON:
            speaker = self.speaker_at(tok.idx)
            return [speaker] if speaker else []
        if word in _REPORTER_PRONOUNS and tok.dep_ in ("nsubj", "nsubjpass"):
            reporter = _reporter(tok)
            if reporter is not None:
                found = self.of_np(reporter)
                if found:
                    return found
        if word in _POSSESSIVES and tok.dep_ == "poss":
            # "Hamas did not budge from its demands", "forced Hamas to drop its demands":
            # a possessive points to the subject of its own clause.
            found = self._clause_subject(tok)
            if found:
                return found
        if word in _PLURAL_PRONOUNS:
            found = self._plural_antecedent(tok)
            if found:
                return found
        return self._resolve(tok.idx, tok.idx + len(tok.text))

    def _clause_subject(self, tok) -> list[str]:
        verb = tok.head
        for _ in range(4):
            if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
                break
            verb = verb.head
        if verb.pos_ not in ("VERB", "AUX"):
            return []
        for subj in verb_subjects(verb):
            if subj.pos_ != "PRON" and subj.i < tok.i:
                found = self.of_np(subj)
                owner = next((c for c in subj.children if c.dep_ == "poss"), None)
                if not found and owner is not None:
                    # "The movement's reply lists its demands": its = the movement.
                    found = self.of_np(owner)
                if found:
                    return found
        return []

    def _plural_antecedent(self, tok) -> list[str]:
        """"... took the Israelis by surprise. Within hours, they were saying ...": "they"
        agrees in number with the nearest plural name before it, in its sentence or the one
        before (the actors stage's references prefer a subject, which is often singular)."""
        sent = tok.sent
        start = self.doc[sent.start - 1].sent.start_char if sent.start > 0 else sent.start_char
        best = None
        for s, e, actor in self.index.overlapping(start, tok.idx):
            if e > tok.idx:
                continue
            span = self.doc.char_span(s, e, alignment_mode="expand")
            if span is None or span[-1].tag_ not in ("NNS", "NNPS") or span[-1].pos_ == "PRON":
                continue
            if best is None or e > best[0]:
                best = (e, actor.id)
        return [best[1]] if best else []

    def _resolve(self, start: int, end: int) -> list[str]:
        try:
            found = self.resolver(self.doc, start, end, self.actors) if self.resolver else None
        except Exception:  # a stage in flux must not take the positions down with it
            found = None
        if isinstance(found, Actor):
            return [found.id]
        return [found] if isinstance(found, str) else []

    def in_name(self, tok) -> bool:
        """Is the token inside a multi-word name of an organisation?"""
        hit = self.index.at(tok.idx, tok.idx + len(tok.text))
        return hit is not None and hit.kind == "organisation" and not hit.known

    def can_be_party(self, actor_id: str) -> bool:
        """A side in a negotiation: a dictionary actor, anyone with a country, a named person
        or organisation. Not a role with no one behind it ("relatives", "governments",
        "his organization")."""
        if actor_id in _dictionary() or any(sid == actor_id for sid, _ in _states().values()):
            return True
        actor = self.by_id.get(actor_id)
        if actor is None:
            return False
        if actor.country:
            return True
        return actor.kind in _NAMED_KINDS and any(m.text[:1].isupper() for m in actor.mentions)

    # ------------------------------------------------------------ sides

    def side(self, actor_id: str) -> str:
        """The side an actor's stance counts for: a government, army or people rolls up to its
        state, an office holder who speaks for it (spokespeople.txt) to what they lead, a
        group's wing to the group; anyone else stands for themselves."""
        found = self._sides.get(actor_id)
        if found is None:
            found = self._sides[actor_id] = self._side(actor_id)
        return found

    def _side(self, actor_id: str) -> str:
        current, seen = actor_id, set()
        while current not in seen:
            seen.add(current)
            entry = _dictionary().get(current) or {}
            actor = self.by_id.get(current)
            kind = actor.kind if actor else entry.get("kind")
            country = (actor.country if actor else None) or entry.get("country")
            parent = (actor.parent if actor else None) or entry.get("parent")
            if kind == "person":
                role = (entry.get("role") or "").lower()
                if not parent or role not in self.spokespeople:
                    return current
            elif kind in _STATE_KINDS and country in _states():
                return _states()[country][0]
            if not parent:
                return current
            current = parent
        return current

    def name(self, actor_id: str) -> str:
        actor = self.by_id.get(actor_id)
        if actor is not None:
            return actor.name
        entry = _dictionary().get(actor_id)
        return (entry or {}).get("name") or state_name(actor_id) or actor_id


# ------------------------------------------------------------------ parse helpers


def _conjuncts(tok) -> list:
    out, stack = [], [tok]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children
                     if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "PRON", "ADJ"))
    return sorted(out, key=lambda t: t.i)


def _core_span(tok) -> tuple[int, int]:
    """Character span of a noun phrase's core: its modifiers to the left, compounds either
    side, no clauses or prepositional phrases."""
    left = right = tok
    stack = [tok]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ in _CORE and not (c.dep_ == "conj" and t.i == tok.i):
                if c.i < left.i:
                    left = c
                if c.i > right.i and c.dep_ in ("compound", "flat"):
                    right = c
                if c.i < tok.i:
                    stack.append(c)
    return left.idx, right.idx + len(right.text)


def _modifier(doc, start: int, end: int) -> bool:
    """"anti-Hamas", "pro-Iran", "Iran-backed militias": the name modifies, it does not refer."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    i, j = span.start, span.end
    if i >= 2 and doc[i - 1].text == "-" and doc[i - 2].lower_ in ("anti", "pro"):
        return True
    return j + 1 < len(doc) and doc[j].text == "-" and doc[j + 1].lower_ in (
        "backed", "allied", "aligned", "supported", "funded", "linked", "affiliated")


def _reporter(pron):
    """"Hamas announced that it had accepted": the subject pronoun of a reported clause is
    the reporter when the pronoun fits ("it"/"they" an institution, "he"/"she" a person)."""
    verb = pron.head
    for _ in range(3):
        if verb.dep_ in ("ccomp", "acl") and verb.head.i != verb.i:
            break
        if verb.dep_ in ("aux", "conj", "xcomp") and verb.head.i != verb.i:
            verb = verb.head
            continue
        return None
    else:
        return None
    governor = verb.head
    subj = next((c for c in governor.children if c.dep_ == "nsubj"), None)
    if subj is None and governor.pos_ == "NOUN":  # "Hamas's announcement that it had ..."
        subj = next((c for c in governor.children if c.dep_ == "poss"), None)
    if subj is None or subj.pos_ == "PRON":
        return None
    person = subj.ent_type_ == "PERSON"
    if (pron.lower_ in ("he", "she")) != person:
        return None
    return subj
