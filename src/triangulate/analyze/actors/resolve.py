"""The helpers later stages call: :func:`is_agentive` (is this mention the doer: subject,
agent of a passive, possessor of an action, "according to X") and :func:`resolve_reference`
("he", "the group", "the army" -> the nearest compatible actor named before).
"""

from __future__ import annotations

import bisect

from triangulate.analyze.actors.lexicon import DETERMINERS, POSSESSIVE, fold_apostrophes, lexicon
from triangulate.model import Actor


def is_agentive_tokens(doc, start: int, end: int) -> bool:
    """Token-span version of :func:`is_agentive`."""
    lex = lexicon()
    tok = doc[start:end].root
    while tok.dep_ in ("conj", "compound", "appos") and tok.head is not tok:
        tok = tok.head
    dep = tok.dep_
    if dep in ("nsubj", "csubj"):
        return True
    if dep == "pobj":
        prep = tok.head
        if prep.lower_ == "by" and prep.dep_ == "agent":
            return True
        return prep.lower_ == "to" and prep.i > 0 and doc[prep.i - 1].lower_ == "according"
    if dep == "poss" or (tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in POSSESSIVE
                         and doc[tok.i + 1].dep_ == "case"):
        head = tok.head
        if head.lower_ in lex.place_nouns:
            return False
        return head.pos_ in ("NOUN", "PROPN") or head.lower_ in lex.agentive_possessed
    return False


def is_agentive(doc, start: int, end: int) -> bool:
    """Is the mention at character offsets [start, end) the doer of what is said?

    True for the subject of a verb ("Israel admitted", "Russia denied"), the agent of a
    passive ("was shelled by Russia"), "according to X" and a possessor that is not a
    geographic part ("Israel's attack", not "Israel's north"). The places stage uses it to tell
    a country acting from a country as a place.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    return is_agentive_tokens(doc, span.start, span.end)


_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "it", "its", "they", "them", "their",
                       "we", "our"})
_SINGULAR_PRONOUNS = frozenset({"it", "its"})
_PLURAL_TAGS = frozenset({"NNS", "NNPS"})


def resolve_reference(doc, start: int, end: int, actors: list[Actor]) -> Actor | None:
    """The actor a referring expression at character offsets [start, end) points back to.

    "he"/"she" -> the nearest person named before (the subject of the closest sentence that
    names one, when there are several); "it"/"they" -> a state, group, force or government
    ("it" never to a name in the plural: "the Houthis" are "they"); "the group" /
    "the organisation" -> an armed group, party, NGO or IGO; "the army" / "the military" ->
    a military; "the ministry" / "the government" -> a government; "the president",
    "the spokesman" -> a person, preferring one whose title matches. A description whose head
    noun an earlier mention used ("the ministry" after "the Russian Defence Ministry",
    "the council" after "Mariupol city council") is that actor, whatever its kind. Generic
    role actors ("troops", "militants" with no country) are a last resort: they name no one
    in particular. A phrase that is itself a mention of an actor resolves to that actor.
    None when nothing compatible comes before.
    """
    lex = lexicon()
    span = doc.char_span(start, end, alignment_mode="expand")
    words = [fold_apostrophes(t.lower_) for t in span] if span is not None else []
    while words and words[0] in DETERMINERS:
        words = words[1:]
    key = " ".join(words)
    spec = lex.references.get(key) or (lex.references.get(words[-1]) if words else None)
    if spec is None or key not in lex.references:
        direct = _DocFacts.of(doc).mention_at(actors, start, end)
        if direct is not None:
            return direct
    if spec is None:
        return None
    kinds, role = spec
    last = words[-1]
    head = last if last in lex.reference_heads else None
    return nearest_actor(doc, actors, start, kinds, role, head, singular=key in _SINGULAR_PRONOUNS)


def is_generic(actor: Actor) -> bool:
    """A role with no country or name behind it ("troops", "militants", "police"): an actor of
    its own for event coding, but never the referent of "it", "the group" or "the military"
    when a named actor of that kind is in the article."""
    return (actor.known and actor.country is None and actor.kind != "person"
            and actor.id not in lexicon().entries)


def nearest_actor(doc, actors: list[Actor], before: int, kinds, role: str | None,
             head: str | None = None, singular: bool = False) -> Actor | None:
    """Nearest preceding compatible actor, by sentence; within the closest sentence that has
    candidates, a subject beats a non-subject and a matching title beats others. With
    ``head``, the latest actor an earlier mention named with that noun wins outright."""
    rank = {k: i for i, k in enumerate(kinds)}
    facts = _DocFacts.of(doc)
    here = facts.sentence(before)
    roles = _roles_of(actors)
    best_key, best = None, None
    generic_key, generic = None, None
    named, named_end = None, -1
    for actor in actors:
        in_kind = actor.kind in rank
        head_ok = head is not None and actor.kind not in ("person", "people", "state")
        if not in_kind and not head_ok:
            continue
        vague = is_generic(actor)
        for m in actor.mentions:
            if m.end > before:
                continue
            if head_ok and not vague and m.end > named_end and names_head(m.text, head):
                named, named_end = actor, m.end
            if not in_kind or (singular and facts.plural(doc, m.end)):
                continue
            sent = facts.sentence(m.start)
            subject = facts.agentive(doc, m.start, m.end)
            role_ok = role is not None and role in (roles.get(actor.id) or "")
            key = (sent, role_ok, subject, -rank[actor.kind] if sent != here else 0, m.end)
            if vague:
                if generic_key is None or key > generic_key:
                    generic_key, generic = key, actor
            elif best_key is None or key > best_key:
                best_key, best = key, actor
    return named or best or generic


def names_head(text: str, head: str) -> bool:
    return head in fold_apostrophes(text).lower().replace("-", " ").split()


def _roles_of(actors: list[Actor]) -> dict[str, str]:
    lex = lexicon()
    out: dict[str, str] = {}
    for actor in actors:
        entry = lex.entries.get(actor.id)
        if entry is not None and entry.role:
            out[actor.id] = entry.role
    return out


class _DocFacts:
    """Per-Doc facts reference resolution asks for again and again (sentence starts, which
    mentions are subjects, which end on a plural noun), computed once and kept in
    ``doc.user_data``: the attribution and events stages resolve many references per
    article, and walking ``doc.sents`` or re-parsing a span each time dominated their cost."""

    KEY = "actors.facts"

    def __init__(self, doc):
        self.starts = [s.start_char for s in doc.sents]
        self._agentive: dict[tuple[int, int], bool] = {}
        self._plural: dict[int, bool] = {}
        self._mentions_key: tuple | None = None
        self._mentions: list[tuple[int, int, int, int]] = []
        self._mention_starts: list[int] = []
        self._longest = 0

    @classmethod
    def of(cls, doc) -> _DocFacts:
        facts = doc.user_data.get(cls.KEY)
        if facts is None:
            facts = doc.user_data[cls.KEY] = cls(doc)
        return facts

    def sentence(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def mention_at(self, actors: list[Actor], start: int, end: int) -> Actor | None:
        """The actor with the mention that overlaps [start, end) the most (the first in
        actor, then mention order on a tie), or None. Through an index of the mentions by
        start, built again only when the actors or their mentions change: the attribution
        stage asks once per claim, and a scan of every mention each time cost the square of
        an article's mentions (issue 16)."""
        key = (tuple(map(id, actors)), sum(len(a.mentions) for a in actors))
        if self._mentions_key != key:
            self._mentions_key = key
            self._mentions = sorted((m.start, m.end, i, j) for i, a in enumerate(actors)
                                    for j, m in enumerate(a.mentions))
            self._mention_starts = [m[0] for m in self._mentions]
            self._longest = max((m[1] - m[0] for m in self._mentions), default=0)
        best, best_key = None, None
        k = bisect.bisect_left(self._mention_starts, end) - 1
        while k >= 0 and self._mentions[k][0] > start - self._longest - 1:
            m_start, m_end, i, j = self._mentions[k]
            overlap = min(m_end, end) - max(m_start, start)
            # As the scan in actor then mention order: the largest overlap, the first found.
            if overlap > 0 and (best_key is None or (-overlap, i, j) < best_key):
                best, best_key = actors[i], (-overlap, i, j)
            k -= 1
        return best

    def agentive(self, doc, start: int, end: int) -> bool:
        key = (start, end)
        found = self._agentive.get(key)
        if found is None:
            found = self._agentive[key] = is_agentive(doc, start, end)
        return found

    def plural(self, doc, end: int) -> bool:
        """Does the mention ending at ``end`` end on a plural noun ("the Houthis")?"""
        found = self._plural.get(end)
        if found is None:
            span = doc.char_span(max(0, end - 1), end, alignment_mode="expand") if end else None
            found = self._plural[end] = bool(span) and span[-1].tag_ in _PLURAL_TAGS
        return found


def _sentence_starts(doc) -> list[int]:
    return _DocFacts.of(doc).starts
