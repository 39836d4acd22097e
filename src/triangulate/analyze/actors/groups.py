"""Role nouns with no name ("troops", "militants", "the army", "its soldiers"): generic groups,
named groups of a people ("Darfur rebels"), definite references to an institution and
possessive roles, with the phrase a group's mention spans.
"""

from __future__ import annotations

import re

from triangulate.analyze.actors.dictionary import derived_id
from triangulate.analyze.actors.found import Candidate
from triangulate.analyze.actors.lexicon import NAME, Lexicon, longest, slug
from triangulate.analyze.actors.resolve import is_agentive_tokens


def generic_candidates(doc, low, lex: Lexicon, taken: list[bool], cands: list[Candidate]):
    out: list[Candidate] = []
    n = len(low)
    state_at = {c.start: c for c in cands if c.state is not None and c.form == NAME}
    i = 0
    generic_trie, role_trie = lex.generic_trie, lex.role_trie
    while i < n:
        word = low[i]
        if taken[i] or (word not in role_trie and word not in generic_trie):
            i += 1
            continue
        prefix = _group_prefix(doc, low, taken, i)
        trie = role_trie if prefix < i or _of_state(low, lex, role_trie, i, state_at) \
            else generic_trie
        if word not in trie:
            i += 1
            continue
        end, roles = longest(trie, low, i)
        if not roles or any(taken[i:end]) or not roles[0].include:
            i += 1
            continue
        head = doc[end - 1]
        if head.dep_ in ("compound", "amod", "nmod", "poss") and head.head.i >= end:
            i = end
            continue
        role = roles[0]
        noun = " ".join(low[i:end])
        c = Candidate(i, end, "", "generic", role=role, core_end=end)
        c.actor = role.suffix if role.suffix and not role.people else slug(noun)
        if prefix < i:
            # "Darfur rebels", "Shona rebels", "Muslim hackers": a named group of its own
            c.form = "norp"
            c.actor = slug(doc[prefix:end].text)
            c.start = prefix
            out.append(c)
            i = end
            continue
        stop = end
        at = end + 2 if end + 2 < n and low[end + 1] == "the" else end + 1
        if end + 1 < n and low[end] in ("in", "of", "from") and at in state_at:
            st = state_at[at]
            c.actor = derived_id(lex, st.state, role, noun)
            c.state = st.state
            stop = st.end
            c.end = stop
        c.definite = i > 0 and low[i - 1] in ("the", "these", "those")
        out.append(c)
        i = stop
    out += _definite_references(doc, low, lex, taken, cands, out)
    return out


def _of_state(low, lex: Lexicon, role_trie, i: int, state_at: dict) -> bool:
    """A role noun followed by "in/of (the) <state>" ("opposition parties in Nepal", "security
    forces of Syria") names that state's group even when the noun alone would not be an
    actor; "forces from Panama" may be forces leaving it."""
    end, roles = longest(role_trie, low, i)
    if not roles or end + 1 >= len(low) or low[end] not in ("in", "of"):
        return False
    at = end + 2 if low[end + 1] == "the" else end + 1
    return at in state_at


def _group_prefix(doc, low, taken: list[bool], i: int) -> int:
    """Start of one or two capitalised name words right before token i that no other match
    took ("Darfur", "Hutu"); i itself when there are none."""
    k = i
    while k > 0 and i - k < 2 and not taken[k - 1] and doc[k - 1].text[:1].isupper() and (
        doc[k - 1].pos_ == "PROPN" or doc[k - 1].ent_type_ == "NORP"
    ):
        k -= 1
    if k < i and doc[k].ent_type_ in ("PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL"):
        return i
    return k


FIGHTING_KINDS = frozenset({"armed_group", "party", "military", "security"})


def extend_group(doc, low, lex: Lexicon, c: Candidate, taken: list[bool],
                  groups: dict[int, Candidate] | None = None) -> None:
    """A group's mention is the whole phrase as cited: descriptive adjectives before it
    ("ethnic Kurds", "state-run Egyptian radio") and where it is ("rebels in northern Mali",
    "teachers across Kenya"). Fighters from a named armed group are that
    group, as "Hamas fighters" are ("fighters from the Qassam Brigades" -> hamas)."""
    k = c.start
    while k > 0 and c.start - k < 3 and _leading_modifier(doc[k - 1], taken[k - 1], k, c.end):
        k -= 1
    if k >= 2 and k < c.start and doc[k - 1].text == "-":
        # "second-generation Chagossians": the whole hyphenated word or none of it
        k = k - 2 if not taken[k - 2] else k + 1
    c.start = k
    n = len(low)
    j = c.end
    if j + 1 < n and low[j] in _GROUP_PREPS:
        m = j + 1
        if m < n and low[m] == "the":
            m += 1
        # "in south Serbia", "of southern Serbia", "in the occupied West Bank", "from the
        # defeated Fatah Party"
        while m < n and m - j <= 3 and doc[m].text[:1].islower() and (
                doc[m].pos_ == "ADJ" or low[m] in lex.compass_words
                or (doc[m].tag_ == "VBN" and doc[m].dep_ == "amod")):
            m += 1
        stop = m
        while stop < n and stop - m < 4 and doc[stop].pos_ == "PROPN" and doc[stop].text[:1].isupper():
            stop += 1
        last = doc[stop - 1]
        # the name must end its phrase: "of the divided Mediterranean island of Cyprus" and
        # "of the Israeli-occupied West Bank" are not "of the divided Mediterranean"
        if stop > m and last.head.i < stop:
            c.end = stop
            group = (groups or {}).get(m)
            if group is not None and group.end == stop and c.form == "generic" \
                    and c.state is None and c.role is not None \
                    and c.role.role in ("military", "militants", "rebels"):
                c.form, c.actor, c.role = NAME, group.actor, None
            return
    _extend_by_description(doc, c)


def _leading_modifier(tok, taken: bool, start: int, end: int) -> bool:
    """Whether ``tok``, right before a group phrase [start, end), describes the group and so
    belongs to its mention: "ethnic Kurds", "paper workers", and a demonym that is also the
    country's own mention ("Irish nationalist guerrillas", "French paper workers": the gold of
    real sets names the whole phrase, and the nationality says whose group it is)."""
    if tok.dep_ not in ("amod", "compound") or not start <= tok.head.i < end:
        return False
    if taken:
        # a name taken by the dictionary: only a demonym or people's adjective ("Druze")
        return tok.pos_ == "ADJ" or (tok.ent_type_ == "NORP" and tok.pos_ == "PROPN")
    return tok.pos_ in ("ADJ", "VERB") or (tok.pos_ == "NOUN" and tok.dep_ == "compound")


def _extend_by_description(doc, c: Candidate, most: int = 16) -> None:
    """"workers affiliated with the Serbian Workers' Union", "a newspaper based in east
    Beirut", "militants loyal to the group's leader": a participle or adjective after the
    group that says whose or where it is, up to a name, belongs to the phrase as cited."""
    if c.end >= len(doc):
        return
    tok = doc[c.end]
    head = doc[c.end - 1]
    if tok.head.i != head.i or not (
            (tok.dep_ == "acl" and tok.tag_ in ("VBN", "VBG"))
            or (tok.dep_ == "amod" and tok.pos_ == "ADJ")):
        return
    right = tok.right_edge
    opening = next((t.i for t in doc[c.end:right.i + 1] if t.text == "("), None)
    if opening is not None:
        right = doc[opening - 1]  # "(SSS)": an abbreviation, not part of where
    if right.i - c.end >= most or not any(t.pos_ == "PROPN" for t in doc[c.end:right.i + 1]):
        return
    while right.i > tok.i and (right.is_punct or right.dep_ == "cc"):
        right = right.nbor(-1)
    c.end = right.i + 1


_GROUP_PREPS = frozenset({"in", "of", "from", "throughout", "across", "at"})


def _definite_references(doc, low, lex: Lexicon, taken, cands, generic) -> list[Candidate]:
    """ "the army", "the ministry", "the government": the institution named before."""
    out: list[Candidate] = []
    used = {k for c in generic for k in range(c.start, c.end)}
    for i in range(1, len(low)):
        if taken[i] or i in used or low[i - 1] not in ("the",):
            continue
        word = low[i]
        spec = lex.references.get(word)
        if spec is None or spec[0][0] not in ("military", "government", "police"):
            continue
        if i + 1 < len(low) and doc[i + 1].pos_ in ("NOUN", "PROPN") and doc[i].dep_ == "compound":
            continue
        out.append(Candidate(i, i + 1, "", "reference", core_end=i + 1))
    return out


_POSSESSIVE_PRONOUNS = frozenset({"its", "their"})


def possessive_roles(doc, low, lex: Lexicon, taken: list[bool]) -> list[Candidate]:
    """ "Its defence ministry", "its soldiers", "their forces": an institution of the state or
    body the pronoun refers to, resolved once the named actors are in (see
    :func:`emit_possessive`)."""
    out: list[Candidate] = []
    n = len(low)
    for i in range(n - 1):
        if low[i] not in _POSSESSIVE_PRONOUNS or taken[i + 1]:
            continue
        k = i + 1
        while k < n and k - i <= 2 and low[k] in lex.role_modifiers:
            k += 1
        end, roles = longest(lex.role_trie, low, k)
        if not roles or any(taken[k:end]):
            continue
        role = roles[0]
        if low[end - 1] not in lex.possessed_heads and not (
            (role.kind in ("military", "police", "security")
             or role.role in ("militants", "rebels")) and is_agentive_tokens(doc, i, end)
        ):
            # forces that act ("its troops returned fire") are the owner's; forces acted on
            # or sent ("strengthened its forces", "four of its soldiers were killed") stay the
            # generic role they were: event coding must not make an actor its own target
            continue
        c = Candidate(i, end, "", "possessive", role=role, core_end=end)
        c.name = " ".join(low[k:end])
        out.append(c)
        for j in range(i, end):
            taken[j] = True
    return out


_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")


def unit_references(doc, low, lex: Lexicon, taken: list[bool]) -> list[Candidate]:
    """"the 98th Division", "the 36th Brigade": a numbered unit of an army whose army the
    phrase does not name; resolved to the army named last (see rollup)."""
    out: list[Candidate] = []
    for i in range(1, len(low)):
        if taken[i] or low[i] not in lex.unit_nouns or taken[i - 1]:
            continue
        k = i - 1
        if not (doc[k].ent_type_ == "ORDINAL" or _ORDINAL.fullmatch(doc[k].text)):
            continue
        out.append(Candidate(k, i + 1, "", "unit", core_end=i + 1))
        for j in range(k, i + 1):
            taken[j] = True
    return out
