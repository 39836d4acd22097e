"""From candidates to actors: dictionary entries, derived institutions rolled up to their state,
persons joined by surname, and the references ("the army", "its defence ministry", "the
ministry") resolved to the institution named before, or the article's dominant state's.
"""

from __future__ import annotations

from collections import Counter

from triangulate.analyze.actors.found import Candidate, Found, span_chars
from triangulate.analyze.actors.lexicon import (
    ADJ,
    INSTITUTION_KINDS,
    NAME,
    PEOPLE,
    POSSESSIVE,
    SEAT,
    Lexicon,
    Role,
    fold_apostrophes,
    slug,
)
from triangulate.analyze.actors.resolve import is_generic, names_head, nearest_actor
from triangulate.model import Actor

_GOVERNMENT = Role("government", "government", "government", "government", True, False)


def emit(doc, found: Found, cands: list[Candidate]) -> None:
    persons: list[tuple[Candidate, list[str]]] = []
    institutional: list[Candidate] = []
    for c in cands:
        if c.form == "person":
            persons.append((c, doc[c.start:c.core_end].text.split()))
            continue
        if c.form in ("reference", "possessive", "institution", "unit"):
            continue
        if _institutional_reference(c):
            institutional.append(c)
            continue
        actor = _actor_for(doc, found, c)
        if actor is None:
            continue
        start = c.start if c.title_start is None else c.title_start
        found.mention(actor, *span_chars(doc, start, c.end))
    _emit_persons(doc, found, persons)
    for c in institutional:
        _emit_institutional(doc, found, c)
    for c in cands:
        if c.form == "reference":
            _emit_reference(doc, found, c)
        elif c.form == "possessive":
            emit_possessive(doc, found, c)
    for c in cands:
        if c.form == "institution":
            _emit_institution(doc, found, c)
        elif c.form == "unit":
            _emit_unit(doc, found, c)


def _emit_unit(doc, found: Found, c: Candidate) -> None:
    """A numbered unit belongs to the army named last before it, else to the army of the
    state the article is about; with neither it names no one."""
    start, end = span_chars(doc, c.start, c.end)
    target = _antecedent(found, start, "military") or _dominant_derived(doc, found, "military")
    if target is not None:
        found.mention(target, start, end)




def emit_possessive(doc, found: Found, c: Candidate) -> None:
    """The owner is whom "its"/"their" refers to: a state owns its institutions ("Russia has
    denied ... Its defence ministry said" -> russia-military), a state's institution speaks
    for its state ("the Israeli military ... its soldiers" -> israel-military), and an armed
    group's fighters are the group ("Hamas ... its fighters" -> hamas). With no such owner the
    role noun alone is the generic actor it would have been."""
    lex = found.lex
    role = c.role
    start, end = span_chars(doc, c.start, c.end)
    word = doc[c.start].lower_
    kinds = lex.references[word][0]
    owner = nearest_actor(doc, list(found.actors.values()), start, kinds, None,
                     singular=word == "its")
    target = None
    if owner is not None and role is not None:
        state = owner.id if owner.kind == "state" else (
            owner.parent if owner.kind in INSTITUTION_KINDS and owner.parent in lex.states
            else None)
        if state is not None and state in lex.states and role.kind in INSTITUTION_KINDS:
            target = found.derived(state, role, c.name or role.label or "group")
        elif owner.kind in ("armed_group", "party") and role.kind in ("military", "armed_group"):
            target = owner
    if target is None:
        if role is None or not role.include:
            return
        k = c.end - len((c.name or "").split())
        start = doc[k].idx
        target = found.new(role.suffix if role.suffix and not role.people else slug(c.name or ""),
                           c.name or "", role.kind, None, known=True)
    found.mention(target, start, end)


def _emit_institution(doc, found: Found, c: Candidate) -> None:
    """An institution named by its role alone ("Defence Ministry: ...", "The Defence
    Ministry said"): the actor an earlier mention named so, else the first later one (a
    headline names the body its article then names in full), else the article's dominant
    state's institution."""
    start, end = span_chars(doc, c.start, c.end)
    words = [fold_apostrophes(t.lower_) for t in doc[c.start:c.end]]
    kind = c.role.kind if c.role is not None else "government"
    target = _antecedent(found, start, kind, words[-1]) or _cataphor(found, end, words) \
        or _dominant_derived(doc, found, kind)
    if target is None:
        name = doc[c.start:c.end].text
        target = found.new(slug(name), name, "organisation", None)
    found.mention(target, start, end)


def _cataphor(found: Found, after: int, words: list[str]) -> Actor | None:
    """The actor of the first later mention that uses all these words."""
    best, best_start = None, None
    for actor in found.actors.values():
        if is_generic(actor) or actor.kind in ("person", "people"):
            continue
        for m in actor.mentions:
            if m.start < after or (best_start is not None and m.start >= best_start):
                continue
            text = fold_apostrophes(m.text).lower().replace("-", " ").split()
            if all(w in text for w in words):
                best, best_start = actor, m.start
    return best


def _institutional_reference(c: Candidate) -> bool:
    """ "the military", "the army", "the government": resolved once every named actor is in,
    so that an article about one country gives its institution even when no earlier mention
    names it ("Israel has withdrawn ..., the military said")."""
    return (c.form == "generic" and c.definite and c.state is None and c.role is not None
            and c.role.kind in ("military", "government", "police"))


def _emit_institutional(doc, found: Found, c: Candidate) -> None:
    start, end = span_chars(doc, c.start, c.end)
    kind = c.role.kind  # type: ignore[union-attr]
    target = _antecedent(found, start, kind) or _dominant_derived(doc, found, kind)
    if target is None:
        name = doc[c.start:c.core_end].text.lower()
        target = found.new(c.actor, name, kind, None, known=True)
    found.mention(target, start, end)


def _actor_for(doc, found: Found, c: Candidate) -> Actor | None:
    lex = found.lex
    if c.form in (NAME, ADJ, PEOPLE, SEAT):
        if c.role is not None and c.state is not None and c.actor not in lex.entries:
            noun = " ".join(t.lower_ for t in doc[c.core_end:c.end]) if c.role.include else ""
            if c.form == NAME and c.end > c.core_end and doc[c.core_end].lower_ in POSSESSIVE:
                noun = " ".join(t.lower_ for t in doc[c.core_end + 1:c.end])
            return found.derived(c.state, c.role, noun or (c.role.label or "group"))
        if c.actor in lex.entries:
            return found.get(c.actor)
        if c.form == SEAT and c.state is not None:
            return found.derived(c.state, _GOVERNMENT, "government")
        return None
    if c.form == "located":
        if c.state is not None and c.role is not None:
            return found.derived(c.state, c.role, c.name or "government")
        if c.actor in lex.entries:
            return found.get(c.actor)
        return found.new(c.actor, c.name or c.actor, "government", c.country, known=True,
                         parent=c.parent)
    if c.form == "organisation":
        name = doc[c.start:c.end].text
        return found.new(slug(name), name, "organisation", c.country)
    if c.form == "norp":
        name = doc[c.start:c.end].text
        kind = c.role.kind if c.role is not None else "people"
        return found.new(c.actor, name, kind, None)
    if c.form == "generic":
        if c.state is not None:
            noun = " ".join(t.lower_ for t in doc[c.start:c.core_end])
            return found.derived(c.state, c.role, noun)  # type: ignore[arg-type]
        if c.definite:
            target = _antecedent(found, doc[c.start].idx, c.role.kind)  # type: ignore[union-attr]
            if target is not None:
                return target
        name = doc[c.start:c.core_end].text.lower()
        return found.new(c.actor, name, c.role.kind, None, known=True)  # type: ignore[union-attr]
    return None


def _antecedent(found: Found, before: int, kind: str, head: str | None = None) -> Actor | None:
    """The nearest earlier actor of this kind; with ``head``, the latest one an earlier mention
    named with that noun, whatever its kind ("the ministry" is the Russian Defence Ministry
    named two paragraphs back, a military, not the government named in between; the health
    ministry, not the media office named after it). Generic roles ("troops") never count."""
    heads = found.lex.reference_heads
    head = head if head in heads else None
    best, best_end = None, -1
    named, named_end = None, -1
    for actor in found.actors.values():
        if is_generic(actor):
            continue
        right_kind = actor.kind == kind and actor.country is not None
        head_ok = head is not None and actor.kind not in ("person", "people", "state")
        if not right_kind and not head_ok:
            continue
        in_name = head_ok and head in actor.name.lower().split()
        for m in actor.mentions:
            if m.end > before:
                continue
            if right_kind and m.end > best_end:
                best, best_end = actor, m.end
            if head_ok and m.end > named_end and (in_name or names_head(m.text, head)):
                named, named_end = actor, m.end
    return named or best


def _emit_reference(doc, found: Found, c: Candidate) -> None:
    word = doc[c.start].lower_
    kinds = found.lex.references[word][0]
    start, end = span_chars(doc, c.start, c.end)
    target = None
    for kind in kinds[:1]:
        target = _antecedent(found, start, kind, word)
    if target is None:
        target = _dominant_derived(doc, found, kinds[0])
    if target is not None:
        found.mention(target, start, end)


def _dominant_derived(doc, found: Found, kind: str) -> Actor | None:
    """With no earlier institution, "the army" of an article about one country is its army."""
    counts: Counter[str] = Counter()
    for actor in found.actors.values():
        if actor.kind == "state":
            counts[actor.id] += len(actor.mentions)
    if not counts:
        return None
    (top, count), total = counts.most_common(1)[0], sum(counts.values())
    if count < 2 or count * 2 < total:
        return None
    suffix = {"military": "military", "government": "government", "police": "police"}[kind]
    role = Role(suffix, suffix, kind, suffix, True, False)
    return found.derived(top, role, suffix)


def _emit_persons(doc, found: Found, persons: list[tuple[Candidate, list[str]]]) -> None:
    """Unknown persons: full names first, then surnames and short forms join them."""
    lex = found.lex
    known_persons = [a for a in found.actors.values() if a.kind == "person"]
    full: dict[str, Actor] = {}
    for c, words in persons:
        if len(words) >= 2:
            name = " ".join(words)
            if name not in full:
                full[name] = found.new(slug(name), name, "person", c.country,
                                       role=_title_role(doc, lex, c))
    for c, words in persons:
        name = " ".join(words)
        actor = full.get(name)
        if actor is None:
            actor = _surname_owner(words, list(full.values()) + known_persons, c, doc)
        if actor is None:
            actor = found.new(slug(name), name, "person", c.country,
                              role=_title_role(doc, lex, c))
        if actor.country is None and c.country is not None:
            actor.country = c.country
        start = c.start if c.title_start is None else c.title_start
        found.mention(actor, *span_chars(doc, start, c.end))


def _surname_owner(words: list[str], people: list[Actor], c: Candidate, doc) -> Actor | None:
    if len(words) != 1:
        return None
    token = words[0]
    best, best_dist = None, None
    for actor in people:
        parts = actor.name.split()
        if len(parts) < 2 or token not in parts[1:]:
            continue
        dist = min((abs(m.start - doc[c.start].idx) for m in actor.mentions), default=10**9)
        if best_dist is None or dist < best_dist:
            best, best_dist = actor, dist
    return best


def _title_role(doc, lex: Lexicon, c: Candidate) -> str | None:
    start = c.start if c.title_start is None else c.title_start
    for tok in doc[start:c.start]:
        role = lex.title_roles.get(tok.lower_)
        if role:
            return role
    return None
