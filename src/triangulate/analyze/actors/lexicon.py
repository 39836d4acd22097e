"""The actors stage's dictionary (data/actors.jsonl, data/actors/), compiled once per process
into token tries: names, demonyms and seats of government of every state; named organisations
and persons; role nouns ("soldiers", "officials") that turn a country word into one of its
institutions; public bodies; titles and referring expressions.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from triangulate import datafiles

# Form kinds, in order of preference when one phrase is several things at once ("US" is a name
# and an adjective): a name is a sure actor; a seat of government only in actor contexts.
NAME, PEOPLE, ADJ, SEAT, BLOCK = "name", "people", "adj", "seat", "block"
_FORM_RANK = {BLOCK: 0, NAME: 1, PEOPLE: 2, ADJ: 3, SEAT: 4}
ORG_KINDS = frozenset({"armed_group", "party", "military", "government", "igo", "ngo",
                        "security", "police", "organisation", "media", "group"})
GROUP_KINDS = frozenset({"people", "group", "armed_group", "media", "ngo", "party"})
INSTITUTION_KINDS = frozenset({"military", "government", "police", "security"})
DETERMINERS = frozenset({"the", "this", "that", "these", "those", "a", "an"})
POSSESSIVE = frozenset({"'s", "\u2019s", "'", "\u2019"})
CONNECTORS = frozenset({"of", "for", "and", "-"})
_SLUG = re.compile(r"[^a-z0-9]+")


def fold_apostrophes(word: str) -> str:
    """Typographic apostrophes read as straight ones: "Gaza’s" matches the alias "Gaza's"."""
    return word.replace("\u2019", "'")


def slug(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG.sub("-", ascii_text.lower()).strip("-")


@dataclass(frozen=True)
class Entry:
    """One dictionary actor."""

    id: str
    name: str
    kind: str
    country: str | None
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class Form:
    """One way of writing an actor: what it points to and how strictly its case must match."""

    actor: str
    form: str
    state: str | None  # the state whose institutions a following role noun derives
    exact: bool  # case-sensitive: short all-caps aliases ("US" is not "us")
    cap: bool  # the first letter must be a capital ("Turkey", not "turkey")
    surface: str = ""  # the alias's tokens joined by spaces, for case-sensitive matching


@dataclass(frozen=True)
class Role:
    role: str
    suffix: str | None
    kind: str
    label: str | None
    include: bool
    people: bool


@dataclass(frozen=True)
class State:
    id: str
    iso3: str
    name: str
    adjective: str | None
    people_id: str
    people_name: str


@dataclass
class Lexicon:
    entries: dict[str, Entry]
    states: dict[str, State]
    trie: dict
    role_trie: dict
    generic_trie: dict
    title_words: frozenset[str]
    title_abbreviations: frozenset[str]
    person_cues: frozenset[str]
    title_roles: dict[str, str]
    references: dict[str, tuple[tuple[str, ...], str | None]]
    place_nouns: frozenset[str]
    place_preps: frozenset[str]
    actor_verbs: frozenset[str]
    actor_preps: frozenset[str]
    agentive_possessed: frozenset[str]
    role_modifiers: frozenset[str] = frozenset()
    linked: frozenset[str] = frozenset()
    max_len: int = 0
    bodies: dict = field(default_factory=dict)  # trie: public body phrase -> canonical body
    control_words: frozenset[str] = frozenset()
    territory_nouns: frozenset[str] = frozenset()
    town_nouns: frozenset[str] = frozenset()
    alias_ids: dict[str, str] = field(default_factory=dict)  # folded alias tokens -> actor id
    reference_heads: frozenset[str] = frozenset()  # "the ministry": match earlier mentions' nouns
    possessed_heads: frozenset[str] = frozenset()  # "its ministry": a government noun owned
    compass_words: frozenset[str] = frozenset()  # "rebels in south Sudan": part of where
    unit_nouns: frozenset[str] = frozenset()  # "the 98th Division": a unit of an army


_LEAF = ""  # trie key holding the payload (tokens are never empty strings)


def _insert(trie: dict, tokens: list[str], payload) -> None:
    node = trie
    for tok in tokens:
        node = node.setdefault(tok, {})
    node.setdefault(_LEAF, []).append(payload)


def _tokenizer():
    from spacy.lang.en import English

    return English().tokenizer


@functools.cache
def lexicon() -> Lexicon:
    """Every data file of the stage, compiled once per process."""
    tok = _tokenizer()
    entries: dict[str, Entry] = {}
    states: dict[str, State] = {}
    forms: list[tuple[str, Form]] = []

    def add_form(text: str, actor: str, form: str, state: str | None) -> None:
        text = text.strip()
        if not text:
            return
        letters = [c for c in text if c.isalpha()]
        exact = bool(letters) and text.upper() == text and len(letters) <= 6
        cap = text[0].isupper()
        surface = " ".join(t.text for t in tok(text))
        forms.append((text, Form(actor, form, state, exact, cap, surface)))

    for row in datafiles.rows("actors", "countries.tsv", header=True):
        iso3, sid, name, aliases, adjectives, peoples, seats = (row + [""] * 7)[:7]
        split = [[v for v in col.split("|") if v] for col in (aliases, adjectives, peoples, seats)]
        alias_list, adj_list, people_list, seat_list = split
        people_name = people_list[0] if people_list else f"{name} people"
        people_id = slug(people_name) if people_list else f"{sid}-people"
        if people_id == sid or people_id in states:
            people_id = f"{sid}-people"
        states[sid] = State(sid, iso3, name, adj_list[0] if adj_list else None, people_id,
                            people_name)
        entries[sid] = Entry(sid, name, "state", iso3, tuple([name, *alias_list, *adj_list]))
        for text in [name, *alias_list]:
            add_form(text, sid, NAME, sid)
        for text in adj_list:
            add_form(text, sid, ADJ, sid)
        for text in people_list:
            add_form(text, people_id, PEOPLE, sid)
        for text in seat_list:
            add_form(text, f"{sid}-government", SEAT, sid)

    context = datafiles.load_json("actors", "context.json")
    prefixes = context.get("alias_prefixes", {})
    for rec in datafiles.jsonl("actors.jsonl"):
        if "id" not in rec:  # the file's opening comment record
            continue
        aliases = tuple(dict.fromkeys([rec["name"], *rec.get("aliases", [])]))
        entries[rec["id"]] = Entry(rec["id"], rec["name"], rec["kind"], rec.get("country"),
                                   aliases, rec.get("parent"), rec.get("role"))
        for text in aliases:
            add_form(text, rec["id"], NAME, None)
            for prefix, variants in prefixes.items():
                if text.startswith(prefix):
                    for variant in variants:
                        add_form(variant + text[len(prefix):], rec["id"], NAME, None)

    units = datafiles.load_json("actors", "units.json")
    for text, party in units["named"].items():
        add_form(text, party, NAME, None)  # "the Golani Brigade" is the Israeli army

    for sid, state in states.items():
        if state.people_id not in entries:
            entries[state.people_id] = Entry(state.people_id, state.people_name, "people",
                                             state.iso3, (state.people_name,), sid)

    for text in context["not_actors"]:
        add_form(text, "", BLOCK, None)

    trie: dict = {}
    max_len = 0
    alias_ids: dict[str, str] = {}
    for text, form in forms:
        tokens = [fold_apostrophes(t.lower_) for t in tok(text)]
        max_len = max(max_len, len(tokens))
        _insert(trie, tokens, form)
        if form.form == NAME and form.state is None and form.actor in entries:
            alias_ids.setdefault(" ".join(tokens), form.actor)
    for node_forms in _walk_leaves(trie):
        node_forms.sort(key=lambda f: _FORM_RANK[f.form])

    role_trie: dict = {}
    generic_trie: dict = {}
    roles = datafiles.load_json("actors", "roles.json")
    for spec in roles["roles"]:
        role = Role(spec["role"], spec.get("suffix"), spec["kind"], spec.get("label"),
                    spec.get("include", True), spec.get("people", False))
        for noun in spec["nouns"]:
            _insert(role_trie, [t.lower_ for t in tok(noun)], role)
        for noun in spec.get("generic", []):
            _insert(generic_trie, [t.lower_ for t in tok(noun)], role)

    bodies: dict = {}
    inst = datafiles.load_json("actors", "institutions.json")
    for phrase, canonical in inst["bodies"].items():
        _insert(bodies, [fold_apostrophes(t.lower_) for t in tok(phrase)], canonical)

    titles = datafiles.load_json("actors", "titles.json")
    refs = datafiles.load_json("actors", "references.json")
    references = {k: (tuple(v["kinds"]), v.get("role")) for k, v in refs["expressions"].items()}
    return Lexicon(
        entries=entries, states=states, trie=trie, role_trie=role_trie,
        generic_trie=generic_trie,
        title_words=frozenset(titles["words"]),
        title_abbreviations=frozenset(titles["abbreviations"]),
        person_cues=frozenset(titles["person_cues"]),
        title_roles=titles["roles"], references=references,
        place_nouns=frozenset(context["place_nouns"]),
        place_preps=frozenset(context["place_prepositions"]),
        actor_verbs=frozenset(context["actor_verbs"]),
        actor_preps=frozenset(context["actor_prepositions"]),
        agentive_possessed=frozenset(context["agentive_possessed"]),
        compass_words=frozenset(context.get("compass_words", [])),
        unit_nouns=frozenset(units["unit_nouns"]),
        role_modifiers=frozenset(roles.get("modifiers", [])),
        possessed_heads=frozenset(roles.get("possessed_heads", [])),
        linked=frozenset(roles.get("linked", [])),
        max_len=max_len,
        bodies=bodies,
        control_words=frozenset(inst["control_words"]),
        territory_nouns=frozenset(inst["territory_nouns"]),
        town_nouns=frozenset(inst.get("town_nouns", [])),
        alias_ids=alias_ids,
        reference_heads=frozenset(refs.get("heads", [])),
    )


def _walk_leaves(trie: dict):
    stack = [trie]
    while stack:
        node = stack.pop()
        for key, value in node.items():
            if key == _LEAF:
                yield value
            else:
                stack.append(value)


def longest(trie: dict, low: list[str], i: int, accept=None):
    """Longest phrase of ``trie`` starting at token i: (end, payloads), or (i, None)."""
    node = trie
    best: tuple[int, list] = (i, [])
    j = i
    while j < len(low):
        node = node.get(low[j])
        if node is None:
            break
        j += 1
        payload = node.get(_LEAF)
        if payload:
            ok = payload if accept is None else [p for p in payload if accept(p, i, j)]
            if ok:
                best = (j, ok)
    return best
