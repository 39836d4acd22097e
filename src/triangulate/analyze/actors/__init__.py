"""Actors: who is named, from our dictionary (data/actors.jsonl) and from NER.

One left-to-right pass over the tokens matches dictionary names, demonyms and seats of
government through a token trie; a role noun after a country word turns it into one of its
institutions ("Israeli soldiers" -> israel-military, "Sudanese police" -> sudan-police). NER
persons, organisations and group names that the dictionary lacks become actors with
``known=False``; titles before a person's name belong to the mention but not to the name, and a
later surname ("Okafor") joins the full name ("Grace Okafor").

Also the two helpers later stages call: :func:`is_agentive` (is this mention the doer: subject,
possessor of an action, "according to X") and :func:`resolve_reference` ("he", "the group",
"the army" -> the nearest compatible actor named before).

One module per concern, in the order :func:`find_actors` runs them: ``dictionary`` (lookup),
``ner`` (names the dictionary lacks, titles), ``bodies`` (public bodies named by role and
place), ``groups`` (role nouns, references, possessives), ``rollup`` (candidates to actors);
``resolve`` holds the helpers other stages call, ``lexicon`` the compiled data files and
``found`` the mentions under construction.
"""

from __future__ import annotations

from triangulate.analyze.actors.bodies import located_bodies
from triangulate.analyze.actors.dictionary import dictionary_candidates
from triangulate.analyze.actors.found import Found
from triangulate.analyze.actors.groups import (
    FIGHTING_KINDS,
    extend_group,
    generic_candidates,
    possessive_roles,
    unit_references,
)
from triangulate.analyze.actors.lexicon import (
    GROUP_KINDS,
    NAME,
    PEOPLE,
    Entry,
    Form,
    Lexicon,
    Role,
    State,
    fold_apostrophes,
    lexicon,
)
from triangulate.analyze.actors.ner import absorb_titles, ner_candidates, role_of_country
from triangulate.analyze.actors.resolve import (
    is_agentive,
    is_agentive_tokens,
    is_generic,
    resolve_reference,
)
from triangulate.analyze.actors.rollup import emit
from triangulate.model import Actor

__all__ = ["Entry", "Form", "Lexicon", "Role", "State", "find_actors", "is_agentive",
           "is_agentive_tokens", "is_generic", "lexicon", "resolve_reference"]


def find_actors(doc) -> list[Actor]:
    """Every actor the article names, each with all its mentions (offsets into doc.text)."""
    lex = lexicon()
    n = len(doc)
    if n == 0:
        return []
    low = [fold_apostrophes(t.lower_) for t in doc]
    found = Found(doc, lex)
    taken = [False] * n

    cands = dictionary_candidates(doc, low, lex)
    for c in cands:
        for k in range(c.start, c.end):
            taken[k] = True
    persons = ner_candidates(doc, low, lex, cands, taken)
    cands = sorted(cands + persons, key=lambda c: c.start)
    cands = absorb_titles(doc, low, lex, cands)
    cands += role_of_country(doc, low, lex, cands)
    cands = located_bodies(doc, low, lex, cands)
    for c in cands:
        for k in range(c.start, c.end):
            taken[k] = True
    cands += possessive_roles(doc, low, lex, taken)
    cands += unit_references(doc, low, lex, taken)
    cands += generic_candidates(doc, low, lex, taken, cands)
    groups = {c.start: c for c in cands if c.form == NAME and c.state is None and c.role is None
              and c.actor in lex.entries and lex.entries[c.actor].kind in FIGHTING_KINDS}
    for c in cands:
        entry = lex.entries.get(c.actor)
        if c.role is not None and c.role.kind in GROUP_KINDS and c.form != "reference" or (
            c.form in (PEOPLE, "norp")
        ) or (c.form == NAME and entry is not None and entry.kind == "people"):
            extend_group(doc, low, lex, c, taken, groups)
    cands.sort(key=lambda c: (c.start, -c.end))

    emit(doc, found, cands)
    actors = [a for a in found.actors.values() if a.mentions]
    for a in actors:
        a.mentions.sort(key=lambda m: (m.start, m.end))
    actors.sort(key=lambda a: a.mentions[0].start)
    return actors
