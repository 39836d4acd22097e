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
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from triangulate import datafiles, settings
from triangulate.analyze.text import doc_text
from triangulate.model import Actor, Mention

# Form kinds, in order of preference when one phrase is several things at once ("US" is a name
# and an adjective): a name is a sure actor; a seat of government only in actor contexts.
NAME, PEOPLE, ADJ, SEAT, BLOCK = "name", "people", "adj", "seat", "block"
_FORM_RANK = {BLOCK: 0, NAME: 1, PEOPLE: 2, ADJ: 3, SEAT: 4}
_ORG_KINDS = frozenset({"armed_group", "party", "military", "government", "igo", "ngo",
                        "security", "police", "organisation", "media", "group"})
_GROUP_KINDS = frozenset({"people", "group", "armed_group", "media", "ngo", "party"})
_DETERMINERS = frozenset({"the", "this", "that", "these", "those", "a", "an"})
_POSSESSIVE = frozenset({"'s", "\u2019s", "'", "\u2019"})
_CONNECTORS = frozenset({"of", "for", "and", "-"})
_SLUG = re.compile(r"[^a-z0-9]+")


def _fold(word: str) -> str:
    """Typographic apostrophes read as straight ones: "Gaza’s" matches the alias "Gaza's"."""
    return word.replace("\u2019", "'")


def _slug(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG.sub("-", ascii_text.lower()).strip("-")


# --------------------------------------------------------------------------- the lexicon


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
        people_id = _slug(people_name) if people_list else f"{sid}-people"
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
        tokens = [_fold(t.lower_) for t in tok(text)]
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
        _insert(bodies, [_fold(t.lower_) for t in tok(phrase)], canonical)

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


def _longest(trie: dict, low: list[str], i: int, accept=None):
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


# --------------------------------------------------------------------------- finding


@dataclass
class _Cand:
    """A mention being built: token span, actor id and how it was found."""

    start: int
    end: int
    actor: str
    form: str
    state: str | None = None
    role: Role | None = None
    core_end: int = 0  # end of the name/demonym itself, before any role noun
    keep_core: bool = False  # when absorbed into a person's title, keep the name as a mention
    country: str | None = None
    title_start: int | None = None  # a person's mention starts at its title
    definite: bool = False  # "the militants": may refer back to a named group
    name: str | None = None  # a located body's generated name ("Darfur health ministry")
    parent: str | None = None


@dataclass
class _Found:
    """Actors of one document under construction."""

    doc: object
    lex: Lexicon
    actors: dict[str, Actor] = field(default_factory=dict)
    roles: dict[str, str | None] = field(default_factory=dict)

    def get(self, actor_id: str) -> Actor:
        actor = self.actors.get(actor_id)
        if actor is None:
            actor = self._make(actor_id)
            self.actors[actor_id] = actor
        return actor

    def _make(self, actor_id: str) -> Actor:
        entry = self.lex.entries.get(actor_id)
        if entry is not None:
            self.roles[actor_id] = entry.role
            return Actor(entry.id, entry.name, entry.kind, entry.country,
                         aliases=list(entry.aliases), parent=entry.parent, known=True)
        raise KeyError(actor_id)

    def derived(self, state_id: str, role: Role, noun: str) -> Actor:
        """The actor a country word plus a role noun names ("Russian troops")."""
        lex = self.lex
        state = lex.states[state_id]
        if role.people:
            return self.get(state.people_id)
        suffix = role.suffix or _slug(noun)
        actor_id = f"{state_id}-{suffix}"
        if actor_id in self.actors:
            return self.actors[actor_id]
        if actor_id in lex.entries:
            return self.get(actor_id)
        label = role.label or noun
        adjective = state.adjective or state.name
        actor = Actor(actor_id, f"{adjective} {label}", role.kind, state.iso3,
                      aliases=list(dict.fromkeys([f"{adjective} {label}", f"{state.name} {label}"])),
                      parent=state_id, known=True)
        self.actors[actor_id] = actor
        return actor

    def new(self, actor_id: str, name: str, kind: str, country: str | None,
            known: bool = False, parent: str | None = None, role: str | None = None) -> Actor:
        actor = self.actors.get(actor_id)
        if actor is None:
            actor = Actor(actor_id, name, kind, country, aliases=[name] if name else [],
                          parent=parent, known=known)
            self.actors[actor_id] = actor
            self.roles[actor_id] = role
        return actor

    def mention(self, actor: Actor, start_char: int, end_char: int) -> None:
        text = doc_text(self.doc)[start_char:end_char]
        if any(m.start == start_char and m.end == end_char for m in actor.mentions):
            return
        actor.mentions.append(Mention(start_char, end_char, text))


def _span_chars(doc, start: int, end: int) -> tuple[int, int]:
    last = doc[end - 1]
    return doc[start].idx, last.idx + len(last.text)


def find_actors(doc) -> list[Actor]:
    """Every actor the article names, each with all its mentions (offsets into doc.text)."""
    lex = lexicon()
    n = len(doc)
    if n == 0:
        return []
    low = [_fold(t.lower_) for t in doc]
    found = _Found(doc, lex)
    taken = [False] * n

    cands = _dictionary_candidates(doc, low, lex)
    for c in cands:
        for k in range(c.start, c.end):
            taken[k] = True
    persons = _ner_candidates(doc, low, lex, cands, taken)
    cands = sorted(cands + persons, key=lambda c: c.start)
    cands = _absorb_titles(doc, low, lex, cands)
    cands += _role_of_country(doc, low, lex, cands)
    cands = _located_bodies(doc, low, lex, cands)
    for c in cands:
        for k in range(c.start, c.end):
            taken[k] = True
    cands += _possessive_roles(doc, low, lex, taken)
    cands += _generic_candidates(doc, low, lex, taken, cands)
    groups = {c.start: c for c in cands if c.form == NAME and c.state is None and c.role is None
              and c.actor in lex.entries and lex.entries[c.actor].kind in _FIGHTING_KINDS}
    for c in cands:
        if c.role is not None and c.role.kind in _GROUP_KINDS and c.form != "reference" or (
            c.form == PEOPLE
        ):
            _extend_group(doc, low, lex, c, taken, groups)
    cands.sort(key=lambda c: (c.start, -c.end))

    _emit(doc, found, cands)
    actors = [a for a in found.actors.values() if a.mentions]
    for a in actors:
        a.mentions.sort(key=lambda m: (m.start, m.end))
    actors.sort(key=lambda a: a.mentions[0].start)
    return actors


def _case_ok(doc, form: Form, i: int, j: int) -> bool:
    if form.exact:
        # case-sensitive aliases appear exactly as written, and not inside an all-caps
        # headline where "US" or "IS" could be any word
        if " ".join(doc[k].text for k in range(i, j)) != form.surface:
            return False
        neighbours = [doc[k].text for k in (i - 1, j) if 0 <= k < len(doc)]
        words = [w for w in neighbours if w.isalpha() and len(w) > 1]
        return not words or not all(w.isupper() for w in words)
    return not form.cap or doc[i].text[:1].isupper()


def _dictionary_candidates(doc, low: list[str], lex: Lexicon) -> list[_Cand]:
    cands: list[_Cand] = []
    n = len(low)
    i = 0
    trie = lex.trie
    while i < n:
        if low[i] not in trie:
            i += 1
            continue
        end, forms = _longest(trie, low, i, lambda f, a, b: _case_ok(doc, f, a, b))
        if low[i] in _DETERMINERS and i + 1 < n:
            # "The UN human rights office": an alias with its article ("The UN") must not
            # cut a longer name starting right after the article
            later, others = _longest(trie, low, i + 1, lambda f, a, b: _case_ok(doc, f, a, b))
            if others and later > end:
                i += 1
                end, forms = later, others
        if not forms:
            i += 1
            continue
        form = _choose_form(doc, low, lex, forms, end)
        if form.form == BLOCK:
            i = end
            continue
        if form.form == ADJ and i >= 2 and low[i - 1] == "-" and low[i - 2] in ("pro", "anti"):
            i = end
            continue
        c = _Cand(i, end, form.actor, form.form, form.state, core_end=end)
        _attach_role(doc, low, lex, c)
        if c.form == SEAT and c.role is None and not _actor_context(doc, lex, i, end):
            i = end
            continue
        cands.append(c)
        i = c.end
    return cands


def _choose_form(doc, low: list[str], lex: Lexicon, forms: list[Form], end: int) -> Form:
    """ "Sudanese" is a people noun and an adjective: before a role noun or any noun it modifies
    ("Sudanese police", "Sudanese town") it is the adjective."""
    form = forms[0]
    if form.form != PEOPLE:
        return form
    adj = next((f for f in forms if f.form == ADJ), None)
    if adj is None or end >= len(low):
        return form
    if _longest(lex.role_trie, low, end)[1] or doc[end].pos_ in ("NOUN", "PROPN", "ADJ") or (
        low[end] == "-" and end + 1 < len(low) and low[end + 1] in lex.linked
    ):
        return adj
    return form


def _attach_role(doc, low: list[str], lex: Lexicon, c: _Cand) -> None:
    """Extend a country word or an organisation name over a following role noun."""
    k = c.end
    n = len(low)
    if k < n and low[k] in _POSSESSIVE and c.form in (NAME, SEAT):
        k += 1
    elif k + 1 < n and low[k] == "-" and low[k + 1] in lex.linked:
        if low[k + 1] != "led":
            return  # "Iranian-backed militias": the militias are not Iran's own
        k += 2
    skipped = k
    while k < n and k - skipped < 2 and low[k] in lex.role_modifiers:
        k += 1
    end, roles = _longest(lex.role_trie, low, k)
    if not roles and k > skipped:
        k = skipped
        end, roles = _longest(lex.role_trie, low, k)
    if not roles:
        return
    role = roles[0]
    entry = lex.entries.get(c.actor)
    if c.form == SEAT and role.role not in ("government", "military", "police", "security"):
        return
    if c.state is None and entry is not None and entry.kind == "people" and role.include and (
        role.kind not in ("people",)
    ):
        # "Hutu rebel groups", "Kurdish fighters": a group drawn from a people
        c.end = end
        c.role = role
        c.form = "norp"
        c.actor = f"{c.actor}-{role.suffix or _slug(' '.join(low[k:end]))}"
        return
    if c.state is None and entry is not None and entry.kind not in ("state",):
        # "Hamas fighters", "UN officials": members of the organisation are the organisation
        if entry.kind in _ORG_KINDS and role.role in (
            "military", "militants", "rebels", "government", "security", "police"
        ) and role.include:
            c.end = end
            c.role = role
        return
    if c.state is None or c.form == PEOPLE:
        return
    # a role noun heading a compound ("Israeli army radio") still names the institution
    c.role = role
    c.keep_core = c.form == NAME
    if role.include:
        c.end = end
    noun = " ".join(low[k:end])
    c.actor = _derived_id(lex, c.state, role, noun)


def _derived_id(lex: Lexicon, state_id: str, role: Role, noun: str) -> str:
    if role.people:
        return lex.states[state_id].people_id
    return f"{state_id}-{role.suffix or _slug(noun)}"


def _actor_context(doc, lex: Lexicon, i: int, j: int) -> bool:
    """A capital stands for its government as subject, possessor or object of an actor verb."""
    if is_agentive_tokens(doc, i, j):
        return True
    tok = doc[i:j].root
    # event coding (CAMEO/PLOVER) codes a capital that is acted upon as its state
    # ("rebels shelled Kabul"); "in Kabul" stays a place
    if tok.dep_ in ("dobj", "iobj") and tok.head.pos_ in ("VERB", "AUX"):
        return True
    return tok.dep_ == "pobj" and tok.head.lower_ in lex.actor_preps


# --------------------------------------------------------------------------- NER


def _strip_span(doc, low: list[str], lex: Lexicon, start: int, end: int, person: bool):
    """Drop determiners, possessive endings and (for persons) leading titles from an entity."""
    while start < end and low[start] in _DETERMINERS:
        start += 1
    while end > start and (low[end - 1] in _POSSESSIVE or not doc[end - 1].text[:1].isalnum()):
        end -= 1
    if person:
        while start < end - 1 and (low[start] in lex.title_words
                                   or low[start].rstrip(".") in lex.title_words):
            start += 1
    return start, end


def _ner_candidates(doc, low, lex: Lexicon, cands: list[_Cand], taken: list[bool]) -> list[_Cand]:
    out: list[_Cand] = []
    for ent in doc.ents:
        label = ent.label_
        if label not in ("PERSON", "ORG", "NORP"):
            continue
        start, end = _strip_span(doc, low, lex, ent.start, ent.end, label == "PERSON")
        if start >= end:
            continue
        if label == "ORG" and _titled_person(doc, low, lex, start, end):
            # sm tags "Lieutenant General Alexus Grynkewich" as an organisation
            label = "PERSON"
            start, end = _strip_span(doc, low, lex, start, end, True)
        first = doc[start].text
        if not first[:1].isupper() or any(ch.isdigit() for ch in doc[start:end].text):
            continue
        inside = [c for c in cands if c.start < end and c.end > start]
        if inside and label == "PERSON" and all(
            c.end < end and c.start <= start and not _is_person(lex, c) for c in inside
        ):
            # "Iraqi President Saddam Hussein" tagged whole: the name is what follows the
            # country word and title; the title step joins them again
            start, end = _strip_span(doc, low, lex, max(c.end for c in inside), end, True)
            if start < end and doc[start].text[:1].isupper():
                out.append(_Cand(start, end, "", "person", core_end=end))
            continue
        if inside:
            cand = _ner_over_dictionary(doc, low, lex, label, start, end, inside, cands)
            if cand is not None:
                out.append(cand)
            continue
        if label == "NORP":
            cand = _norp(doc, low, lex, start, end)
            if cand is not None:
                out.append(cand)
            continue
        if _looks_like_place(doc, low, lex, start, end):
            continue
        if label == "ORG" and _role_only(low, lex, start, end):
            # "Defence Ministry: ...", "The Defence Ministry said": a body named by its role
            stop, roles = _longest(lex.role_trie, low, start)
            if roles[0].kind in _INSTITUTION_KINDS:
                out.append(_Cand(start, end, "", "institution", role=roles[0], core_end=end))
                continue
        if end - start > 7:
            continue
        kind = "person" if label == "PERSON" else "organisation"
        out.append(_Cand(start, end, "", kind, core_end=end))
    out += _titled_names(doc, low, lex, cands + out)
    out += _surnames(doc, low, lex, cands + out)
    return out


def _role_only(low: list[str], lex: Lexicon, start: int, end: int) -> bool:
    stop, roles = _longest(lex.role_trie, low, start)
    return bool(roles) and stop == end


def _titled_person(doc, low, lex: Lexicon, start: int, end: int) -> bool:
    """An entity that opens with a person's title (a rank, "Dr.", "spokesman") and goes on
    with two or more capitalised name words is a titled person whatever NER called it;
    with one name word ("General Motors") it stays what it was."""
    name, stop = _strip_span(doc, low, lex, start, end, True)
    if name == start or stop - name < 2 or stop - name > 4:
        return False
    cue = any(low[k] in lex.person_cues or low[k].rstrip(".") in lex.person_cues
              for k in range(start, name))
    return cue and all(doc[k].text[:1].isupper() and doc[k].pos_ == "PROPN"
                       for k in range(name, stop))


def _titled_names(doc, low, lex: Lexicon, cands: list[_Cand]) -> list[_Cand]:
    """Capitalised words after a capitalised title are a name even when NER misses them
    ("King Abdullah II", "Gen. Abdel Fattah al-Burhan")."""
    covered = {k for c in cands for k in range(c.start, c.end)}
    out: list[_Cand] = []
    n = len(low)
    for i in range(n - 1):
        if low[i].rstrip(".") not in lex.person_cues or not doc[i].text[:1].isupper():
            continue
        j = i + 1
        if j < n and low[j] == "." and low[i] in lex.title_abbreviations:
            j += 1
        start = j
        while j < n and j not in covered and j - start < 4 and (
            doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper()
            and low[j] not in lex.title_words or (j > start and low[j] == "-")
        ):
            j += 1
        while j > start and low[j - 1] == "-":
            j -= 1
        if j > start and all(k not in covered for k in range(start, j)):
            out.append(_Cand(start, j, "", "person", core_end=j))
            covered.update(range(start, j))
    return out


def _surnames(doc, low, lex: Lexicon, cands: list[_Cand]) -> list[_Cand]:
    """A later bare surname ("Okafor") of a person named in full, which NER often misses."""
    names: set[str] = set()
    for c in cands:
        if c.core_end - c.start >= 2 and _is_person(lex, c):
            names.add(doc[c.core_end - 1].text)
    if not names:
        return []
    for c in cands:
        # sm often tags a lone surname as ORG
        if c.form == "organisation" and c.end - c.start == 1 and doc[c.start].text in names:
            c.form = "person"
    covered = {k for c in cands for k in range(c.start, c.end)}
    lowered = {name.lower() for name in names}
    return [_Cand(k, k + 1, "", "person", core_end=k + 1)
            for k, word in enumerate(low)
            if word in lowered and k not in covered and doc[k].text in names]


def _ner_over_dictionary(doc, low, lex, label, start, end, inside, cands) -> _Cand | None:
    """An entity overlapping dictionary matches: a longer name wins over a bare country word
    or a derived phrase inside it ("Nigerian Union of Teachers"), and a full name extends a
    dictionary person matched by surname only."""
    if len(inside) != 1:
        return None
    c = inside[0]
    if c.start < start or c.end > end or (c.start == start and c.end == end):
        return None
    entry = lex.entries.get(c.actor)
    if label == "PERSON" and entry is not None and entry.kind == "person":
        full = doc[start:end].text.lower()
        if any(full == a.lower() or full in a.lower() for a in entry.aliases):
            c.start, c.end = start, end
            return None
        cands.remove(c)
        return _Cand(start, end, "", "person", core_end=end)
    if label in ("ORG", "PERSON") and c.form in (ADJ, NAME) and c.state is not None \
            and c.end < end and doc[c.end].text[:1].isupper() and label == "ORG":
        cands.remove(c)
        return _Cand(start, end, "", "organisation", core_end=end,
                     country=lex.states[c.state].iso3)
    return None


def _norp(doc, low, lex: Lexicon, start: int, end: int) -> _Cand | None:
    """A group name the dictionary lacks ("Kurds", "Yoruba leaders")."""
    stop, roles = _longest(lex.role_trie, low, end)
    name = doc[start:end].text
    if roles:
        role = roles[0]
        c = _Cand(start, stop if role.include else end, "", "norp", core_end=end, role=role)
        c.actor = _slug(name) if role.people else f"{_slug(name)}-{role.suffix or _slug(' '.join(low[end:stop]))}"
        return c
    if doc[end - 1].tag_ in ("NNPS", "NNS") or (doc[end - 1].pos_ in ("PROPN", "NOUN")
                                                and low[end - 1].endswith("s")):
        return _Cand(start, end, _slug(name), "norp", core_end=end)
    return None


_AREA_PREPS = frozenset({"in", "near", "outside", "into", "across", "throughout", "inside"})


def _looks_like_place(doc, low, lex: Lexicon, start: int, end: int) -> bool:
    """sm tags some towns as PERSON/ORG ("Khan Younis said to be ...", "Nuseirat").

    Left to the places stage: a capitalised name right after "in/near/at/from" (for longer
    names only after prepositions of area, since "from John Smith" is common), and a name the
    gazetteer knows as one of our conflict places or a large city, where a person or
    organisation of exactly that name is far rarer in conflict news than the place.
    """
    if start > 0:
        prev = low[start - 1]
        if prev in lex.place_preps if end - start == 1 else prev in _AREA_PREPS:
            return True
    return _known_place(doc[start:end].text)


def _known_place(name: str) -> bool:
    from triangulate.analyze import gazetteer

    return any(
        not e.alternate and (e.source != "city" or e.population >= settings.NER_PLACE_MIN_POPULATION)
        for e in gazetteer.lookup(gazetteer.normalize(name))
    )


def _absorb_titles(doc, low, lex: Lexicon, cands: list[_Cand]) -> list[_Cand]:
    """A person's title and country belong to the mention ("Iraqi President Saddam Hussein",
    "Jordan's King Abdullah II", "Hamas leader Yahya Sinwar"); the name does not change."""
    ends = {c.end: c for c in cands}
    out: list[_Cand] = []
    drop: set[int] = set()
    for c in cands:
        if not _is_person(lex, c):
            continue
        k = c.start
        prev = None
        while k > 0 and c.start - k < 8:
            prev = ends.get(k)
            if prev is None and low[k - 1] in _POSSESSIVE:
                prev = ends.get(k - 1)
            if prev is not None or doc[k].is_sent_start or not _title_word(lex, low, k - 1):
                break
            if low[k - 1] in _CONNECTORS and not (
                k >= 2 and low[k - 2] not in _CONNECTORS and _title_word(lex, low, k - 2)
            ):
                break  # "Secretary of State" but not "Armenia and King Hassan"
            k -= 1
        if prev is None:
            while k < c.start and low[k] in _CONNECTORS:
                k += 1
        if prev is not None and prev is not c and not _is_person(lex, prev) and (
            prev.role is None or prev.role.role in ("government", "military", "rebels",
                                                    "militants", "opposition", "security")
        ):
            k = prev.start
            if prev.state is not None:
                c.country = lex.states[prev.state].iso3
            if prev.keep_core or (prev.form == NAME and prev.state is None):
                prev.end = prev.core_end
                if prev.role is not None and prev.state is not None:
                    prev.actor = prev.state
                    prev.role = None
            else:
                drop.add(id(prev))
        if k < c.start:
            c.title_start = k
    for c in cands:
        if id(c) not in drop:
            out.append(c)
    return out


def _role_of_country(doc, low, lex: Lexicon, cands: list[_Cand]) -> list[_Cand]:
    """ "the president of Armenia", "the army of Niger": a role noun with "of" and a country
    names the country's institution; a person "of Morocco" takes its country. The country
    name stays a mention of its own."""
    out: list[_Cand] = []
    covered = {k for c in cands for k in range(c.start, c.end)}
    ends = {c.end: c for c in cands if _is_person(lex, c)}
    for c in cands:
        if c.form != NAME or c.state is None or c.role is not None or c.start < 2:
            continue
        if low[c.start - 1] != "of":
            continue
        person = ends.get(c.start - 1)
        if person is not None:
            person.end = c.end
            person.country = person.country or lex.states[c.state].iso3
            continue
        for b in range(c.start - 2, max(c.start - 5, -1), -1):
            if b in covered:
                break
            end, roles = _longest(lex.role_trie, low, b)
            if roles and end == c.start - 1 and roles[0].include:
                role = roles[0]
                noun = " ".join(low[b:end])
                out.append(_Cand(b, c.end, _derived_id(lex, c.state, role, noun), ADJ,
                                 c.state, role, core_end=c.end))
                break
    return out


def _title_word(lex: Lexicon, low: list[str], k: int) -> bool:
    word = low[k]
    if word == ".":
        return k > 0 and low[k - 1] in lex.title_abbreviations
    return word in lex.title_words or word.rstrip(".") in lex.title_words


def _is_person(lex: Lexicon, c: _Cand) -> bool:
    if c.form == "person":
        return True
    entry = lex.entries.get(c.actor)
    return entry is not None and entry.kind == "person"


# --------------------------------------------------------------------------- located bodies


def _located_bodies(doc, low: list[str], lex: Lexicon, cands: list[_Cand]) -> list[_Cand]:
    """Public bodies named by role and place, in any of the usual wordings: "Gaza's health
    ministry", "the Gaza health ministry", "the health ministry in Gaza", "the health
    ministry in the Hamas-run territory". Each wording resolves to the same actor (see
    data/actors/institutions.json); the place or ruler inside the phrase is part of the
    mention, so a match replaces the candidates it covers ("Hamas" in "Hamas-run")."""
    covered = {k for c in cands for k in range(c.start, c.end)}
    found: list[_Cand] = []
    n = len(low)
    i = 0
    while i < n:
        if low[i] in lex.town_nouns and i not in covered:
            cand = _body_of_town(doc, low, lex, i)
            if cand is not None and not any(k in covered for k in range(cand.start, cand.end)):
                found.append(cand)
                covered.update(range(cand.start, cand.end))
                i = cand.end
                continue
        if low[i] not in lex.bodies or i in covered:
            i += 1
            continue
        end, canon = _longest(lex.bodies, low, i)
        if not canon or any(k in covered for k in range(i, end)):
            i += 1
            continue
        cand = _body_before(doc, low, lex, i, end, canon[0]) \
            or _body_after(doc, low, lex, i, end, canon[0])
        if cand is not None:
            found.append(cand)
            covered.update(range(cand.start, cand.end))
            i = cand.end
        else:
            i = end
    if not found:
        return cands
    spans = [(c.start, c.end) for c in found]
    kept = [c for c in cands if not any(a <= c.start and c.end <= b for a, b in spans)]
    return sorted(kept + found, key=lambda c: c.start)


def _body_of_town(doc, low, lex: Lexicon, i: int) -> _Cand | None:
    """ "the city council", "the besieged city's council": the council of the town the
    article named last before it ("... the theatre in Mariupol, the city council said" is
    Mariupol city council, the same actor as "Mariupol city council" elsewhere)."""
    n = len(low)
    k = i
    while k > 0 and (doc[k - 1].pos_ == "ADJ" or doc[k - 1].dep_ == "amod") and i - k < 3:
        k -= 1
    if k == 0 or low[k - 1] != "the":
        return None
    if i + 1 < n and low[i + 1] in _POSSESSIVE:
        # "the city's council" is the city council; "the town's health office" the office
        words = [low[i], *low[i + 2:i + 6]]
        stop, canon = _longest(lex.bodies, words, 0)
        end = i + 1 + stop
        if not canon:
            end, canon = _longest(lex.bodies, low, i + 2)
    else:
        end, canon = _longest(lex.bodies, low, i)
    if not canon:
        return None
    town = _last_town(doc, i)
    if town is None:
        return None
    start = i if i + 1 >= n or low[i + 1] not in _POSSESSIVE else k
    return _resolve_body(doc, low, lex, town, (i, end), canon[0], start, end)


def _last_town(doc, before: int, reach: int = 300) -> tuple[int, int] | None:
    """Token span of the last capitalised name before token ``before`` that the gazetteer
    knows as a city or town."""
    from triangulate.analyze import gazetteer

    k = before - 1
    stop = max(0, before - reach)
    while k >= stop:
        if doc[k].pos_ == "PROPN" and doc[k].text[:1].isupper():
            end = k + 1
            while k > stop and doc[k - 1].pos_ == "PROPN" and doc[k - 1].text[:1].isupper() \
                    and end - k < 3:
                k -= 1
            name = doc[k:end].text
            if any(e.kind in ("city", "town") and not e.alternate
                   for e in gazetteer.lookup(gazetteer.normalize(name))):
                return k, end
        k -= 1
    return None


def _name_run(doc, low: list[str], start: int, end: int) -> bool:
    """Tokens [start, end) are one to three capitalised name words."""
    return 0 < end - start <= 3 and all(
        doc[k].text[:1].isupper() and doc[k].pos_ in ("PROPN", "NOUN", "ADJ")
        and low[k] not in _DETERMINERS for k in range(start, end))


def _body_before(doc, low, lex: Lexicon, i: int, end: int, canon: str) -> _Cand | None:
    """ "Gaza's health ministry", "the Gaza health ministry"."""
    stop = i - 1 if i > 0 and low[i - 1] in _POSSESSIVE else i
    for length in (3, 2, 1):
        start = stop - length
        if start < 0 or not _name_run(doc, low, start, stop):
            continue
        if start > 0 and doc[start - 1].text[:1].isupper() and low[start - 1] not in _DETERMINERS \
                and not doc[start - 1].is_sent_start:
            continue  # the run goes on further left: not the whole place name
        cand = _resolve_body(doc, low, lex, (start, stop), (i, end), canon, start, end)
        if cand is not None:
            return cand
    return None


def _body_after(doc, low, lex: Lexicon, i: int, end: int, canon: str) -> _Cand | None:
    """ "the health ministry in Gaza", "the media office in the Hamas-run territory"."""
    n = len(low)
    if end + 1 >= n or low[end] not in ("in", "of"):
        return None
    m = end + 1
    if low[m] == "the":
        m += 1
    # "in the Hamas-run territory": the body of the territory's rulers
    if m + 3 < n and low[m + 1] == "-" and low[m + 2] in lex.control_words \
            and low[m + 3] in lex.territory_nouns:
        ruler = _dictionary_actor(low, lex, m, m + 1)
        if ruler is None:
            return None
        return _ruled_body(low, lex, ruler, m, (i, end), canon, m + 4)
    if low[end] != "in":
        return None  # "the health ministry of Gaza" is rare; "of" is kept for rulers only
    stop = m
    while stop < n and stop - m < 3 and doc[stop].text[:1].isupper() \
            and doc[stop].pos_ in ("PROPN", "NOUN", "ADJ"):
        stop += 1
    if stop == m:
        return None
    return _resolve_body(doc, low, lex, (m, stop), (i, end), canon, i, stop)


def _dictionary_actor(low: list[str], lex: Lexicon, start: int, end: int) -> str | None:
    stop, forms = _longest(lex.trie, low, start)
    if stop != end or not forms:
        return None
    form = forms[0]
    return form.actor if form.form == NAME and form.state is None else None


def _ruled_body(low: list[str], lex: Lexicon, ruler: str, at: int, body: tuple[int, int],
                canon: str, stop: int) -> _Cand:
    """The body of a territory named by who runs it ("the health ministry in the Hamas-run
    territory" is the Hamas-run health ministry): the dictionary actor with that alias
    ("Hamas-run health ministry") when there is one, else an id of its own
    ("houthis-run-health-ministry")."""
    body_words = low[body[0]:body[1]]
    actor = None
    for control in dict.fromkeys((low[at + 2], "run")):
        actor = actor or _alias_id(lex, [low[at], "-", control], body_words, canon)
    entry = lex.entries.get(ruler)
    c = _Cand(body[0], stop, actor or f"{ruler}-run-{_slug(canon)}", "located",
              core_end=body[1])
    c.country = entry.country if entry is not None else None
    c.parent = ruler
    c.name = f"{entry.name if entry is not None else ruler}-run {canon}"
    return c


def _alias_id(lex: Lexicon, place: list[str], body: list[str], canon: str) -> str | None:
    """The dictionary actor some wording of "<place> <body>" is an alias of."""
    canon_words = canon.split()
    for words in (place + body, place + canon_words, place + ["'s"] + body,
                  place + ["'s"] + canon_words, body + ["in"] + place,
                  canon_words + ["in"] + place):
        found = lex.alias_ids.get(" ".join(words))
        if found is not None:
            return found
    return None


def _resolve_body(doc, low, lex: Lexicon, place: tuple[int, int], body: tuple[int, int],
                  canon: str, start: int, end: int) -> _Cand | None:
    """One located body: a dictionary alias, a state's institution, or a place's own body
    (generated id, country from the gazetteer); None when the name is no known place."""
    place_words = low[place[0]:place[1]]
    body_words = low[body[0]:body[1]]
    actor = _alias_id(lex, place_words, body_words, canon)
    if actor is not None:
        return _Cand(start, end, actor, "located", core_end=end)
    stop, forms = _longest(lex.trie, low, place[0])
    state_form = next((f for f in forms or () if f.state is not None
                       and f.form in (NAME, SEAT)), None) if stop == place[1] else None
    if state_form is not None:
        roles = _longest(lex.role_trie, low, body[0])
        if roles[0] != body[1] or not roles[1]:
            return None
        c = _Cand(start, end, "", "located", state_form.state, roles[1][0], core_end=end)
        c.name = " ".join(body_words)
        return c
    country = _place_country(doc[place[0]:place[1]].text)
    if country is None:
        return None
    text = doc[place[0]:place[1]].text
    c = _Cand(start, end, f"{_slug(text)}-{_slug(canon)}", "located", core_end=end)
    c.country = country
    c.name = f"{text} {canon}"
    state = next((s.id for s in lex.states.values() if s.iso3 == country), None)
    c.parent = state
    return c


def _place_country(name: str) -> str | None:
    """ISO alpha-3 country of the likeliest place so named, or None when it is no place."""
    from triangulate.analyze import gazetteer

    entries = [e for e in gazetteer.lookup(gazetteer.normalize(name)) if not e.alternate]
    if not entries or not entries[0].country:
        return None
    return _alpha3().get(entries[0].country)


@functools.cache
def _alpha3() -> dict[str, str]:
    from triangulate.analyze import gazetteer

    return {a2: a3 for a3, a2 in gazetteer.curated().iso3.items()}


# --------------------------------------------------------------------------- generic groups


def _generic_candidates(doc, low, lex: Lexicon, taken: list[bool], cands: list[_Cand]):
    out: list[_Cand] = []
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
        trie = role_trie if prefix < i else generic_trie
        if word not in trie:
            i += 1
            continue
        end, roles = _longest(trie, low, i)
        if not roles or any(taken[i:end]) or not roles[0].include:
            i += 1
            continue
        head = doc[end - 1]
        if head.dep_ in ("compound", "amod", "nmod", "poss") and head.head.i >= end:
            i = end
            continue
        role = roles[0]
        noun = " ".join(low[i:end])
        c = _Cand(i, end, "", "generic", role=role, core_end=end)
        c.actor = role.suffix if role.suffix and not role.people else _slug(noun)
        if prefix < i:
            # "Darfur rebels", "Shona rebels", "Muslim hackers": a named group of its own
            c.form = "norp"
            c.actor = _slug(doc[prefix:end].text)
            c.start = prefix
            out.append(c)
            i = end
            continue
        stop = end
        at = end + 2 if end + 2 < n and low[end + 1] == "the" else end + 1
        if end + 1 < n and low[end] in ("in", "of", "from") and at in state_at:
            st = state_at[at]
            c.actor = _derived_id(lex, st.state, role, noun)
            c.state = st.state
            stop = st.end
            c.end = stop
        c.definite = i > 0 and low[i - 1] in ("the", "these", "those")
        out.append(c)
        i = stop
    out += _definite_references(doc, low, lex, taken, cands, out)
    return out


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


_FIGHTING_KINDS = frozenset({"armed_group", "party", "military", "security"})


def _extend_group(doc, low, lex: Lexicon, c: _Cand, taken: list[bool],
                  groups: dict[int, _Cand] | None = None) -> None:
    """A group's mention is the whole phrase as cited: descriptive adjectives before it
    ("ethnic Kurds", "state-run Egyptian radio") and where it is ("rebels in northern Mali",
    "teachers across Kenya"). Fighters from a named armed group are that
    group, as "Hamas fighters" are ("fighters from the Qassam Brigades" -> hamas)."""
    k = c.start
    while k > 0 and c.start - k < 2 and not taken[k - 1] and doc[k - 1].dep_ in (
        "amod", "compound"
    ) and doc[k - 1].pos_ in ("ADJ", "VERB") and doc[c.end - 1].i >= doc[k - 1].head.i >= k:
        k -= 1
    c.start = k
    n = len(low)
    j = c.end
    if j + 1 < n and low[j] in _GROUP_PREPS:
        m = j + 1
        if m < n and low[m] == "the":
            m += 1
        stop = m
        while stop < n and stop - m < 4 and doc[stop].pos_ == "PROPN" and doc[stop].text[:1].isupper():
            stop += 1
        if stop > m:
            c.end = stop
            group = (groups or {}).get(m)
            if group is not None and group.end == stop and c.form == "generic" \
                    and c.state is None and c.role is not None \
                    and c.role.role in ("military", "militants", "rebels"):
                c.form, c.actor, c.role = NAME, group.actor, None


_GOVERNMENT = Role("government", "government", "government", "government", True, False)
_GROUP_PREPS = frozenset({"in", "of", "from", "throughout", "across", "at"})


def _definite_references(doc, low, lex: Lexicon, taken, cands, generic) -> list[_Cand]:
    """ "the army", "the ministry", "the government": the institution named before."""
    out: list[_Cand] = []
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
        out.append(_Cand(i, i + 1, "", "reference", core_end=i + 1))
    return out


# --------------------------------------------------------------------------- emitting


def _emit(doc, found: _Found, cands: list[_Cand]) -> None:
    persons: list[tuple[_Cand, list[str]]] = []
    institutional: list[_Cand] = []
    for c in cands:
        if c.form == "person":
            persons.append((c, doc[c.start:c.core_end].text.split()))
            continue
        if c.form in ("reference", "possessive", "institution"):
            continue
        if _institutional_reference(c):
            institutional.append(c)
            continue
        actor = _actor_for(doc, found, c)
        if actor is None:
            continue
        start = c.start if c.title_start is None else c.title_start
        found.mention(actor, *_span_chars(doc, start, c.end))
    _emit_persons(doc, found, persons)
    for c in institutional:
        _emit_institutional(doc, found, c)
    for c in cands:
        if c.form == "reference":
            _emit_reference(doc, found, c)
        elif c.form == "possessive":
            _emit_possessive(doc, found, c)
    for c in cands:
        if c.form == "institution":
            _emit_institution(doc, found, c)


_INSTITUTION_KINDS = frozenset({"military", "government", "police", "security"})
_POSSESSIVE_PRONOUNS = frozenset({"its", "their"})


def _possessive_roles(doc, low, lex: Lexicon, taken: list[bool]) -> list[_Cand]:
    """ "Its defence ministry", "its soldiers", "their forces": an institution of the state or
    body the pronoun refers to, resolved once the named actors are in (see
    :func:`_emit_possessive`)."""
    out: list[_Cand] = []
    n = len(low)
    for i in range(n - 1):
        if low[i] not in _POSSESSIVE_PRONOUNS or taken[i + 1]:
            continue
        k = i + 1
        while k < n and k - i <= 2 and low[k] in lex.role_modifiers:
            k += 1
        end, roles = _longest(lex.role_trie, low, k)
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
        c = _Cand(i, end, "", "possessive", role=role, core_end=end)
        c.name = " ".join(low[k:end])
        out.append(c)
        for j in range(i, end):
            taken[j] = True
    return out


def _emit_possessive(doc, found: _Found, c: _Cand) -> None:
    """The owner is whom "its"/"their" refers to: a state owns its institutions ("Russia has
    denied ... Its defence ministry said" -> russia-military), a state's institution speaks
    for its state ("the Israeli military ... its soldiers" -> israel-military), and an armed
    group's fighters are the group ("Hamas ... its fighters" -> hamas). With no such owner the
    role noun alone is the generic actor it would have been."""
    lex = found.lex
    role = c.role
    start, end = _span_chars(doc, c.start, c.end)
    word = doc[c.start].lower_
    kinds = lex.references[word][0]
    owner = _nearest(doc, list(found.actors.values()), start, kinds, None,
                     singular=word == "its")
    target = None
    if owner is not None and role is not None:
        state = owner.id if owner.kind == "state" else (
            owner.parent if owner.kind in _INSTITUTION_KINDS and owner.parent in lex.states
            else None)
        if state is not None and state in lex.states and role.kind in _INSTITUTION_KINDS:
            target = found.derived(state, role, c.name or role.label or "group")
        elif owner.kind in ("armed_group", "party") and role.kind in ("military", "armed_group"):
            target = owner
    if target is None:
        if role is None or not role.include:
            return
        k = c.end - len((c.name or "").split())
        start = doc[k].idx
        target = found.new(role.suffix if role.suffix and not role.people else _slug(c.name or ""),
                           c.name or "", role.kind, None, known=True)
    found.mention(target, start, end)


def _emit_institution(doc, found: _Found, c: _Cand) -> None:
    """An institution named by its role alone ("Defence Ministry: ...", "The Defence
    Ministry said"): the actor an earlier mention named so, else the first later one (a
    headline names the body its article then names in full), else the article's dominant
    state's institution."""
    start, end = _span_chars(doc, c.start, c.end)
    words = [_fold(t.lower_) for t in doc[c.start:c.end]]
    kind = c.role.kind if c.role is not None else "government"
    target = _antecedent(found, start, kind, words[-1]) or _cataphor(found, end, words) \
        or _dominant_derived(doc, found, kind)
    if target is None:
        name = doc[c.start:c.end].text
        target = found.new(_slug(name), name, "organisation", None)
    found.mention(target, start, end)


def _cataphor(found: _Found, after: int, words: list[str]) -> Actor | None:
    """The actor of the first later mention that uses all these words."""
    best, best_start = None, None
    for actor in found.actors.values():
        if is_generic(actor) or actor.kind in ("person", "people"):
            continue
        for m in actor.mentions:
            if m.start < after or (best_start is not None and m.start >= best_start):
                continue
            text = _fold(m.text).lower().replace("-", " ").split()
            if all(w in text for w in words):
                best, best_start = actor, m.start
    return best


def _institutional_reference(c: _Cand) -> bool:
    """ "the military", "the army", "the government": resolved once every named actor is in,
    so that an article about one country gives its institution even when no earlier mention
    names it ("Israel has withdrawn ..., the military said")."""
    return (c.form == "generic" and c.definite and c.state is None and c.role is not None
            and c.role.kind in ("military", "government", "police"))


def _emit_institutional(doc, found: _Found, c: _Cand) -> None:
    start, end = _span_chars(doc, c.start, c.end)
    kind = c.role.kind  # type: ignore[union-attr]
    target = _antecedent(found, start, kind) or _dominant_derived(doc, found, kind)
    if target is None:
        name = doc[c.start:c.core_end].text.lower()
        target = found.new(c.actor, name, kind, None, known=True)
    found.mention(target, start, end)


def _actor_for(doc, found: _Found, c: _Cand) -> Actor | None:
    lex = found.lex
    if c.form in (NAME, ADJ, PEOPLE, SEAT):
        if c.role is not None and c.state is not None and c.actor not in lex.entries:
            noun = " ".join(t.lower_ for t in doc[c.core_end:c.end]) if c.role.include else ""
            if c.form == NAME and c.end > c.core_end and doc[c.core_end].lower_ in _POSSESSIVE:
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
        return found.new(_slug(name), name, "organisation", c.country)
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


def _antecedent(found: _Found, before: int, kind: str, head: str | None = None) -> Actor | None:
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
            if head_ok and m.end > named_end and (in_name or _names_head(m.text, head)):
                named, named_end = actor, m.end
    return named or best


def _emit_reference(doc, found: _Found, c: _Cand) -> None:
    word = doc[c.start].lower_
    kinds = found.lex.references[word][0]
    start, end = _span_chars(doc, c.start, c.end)
    target = None
    for kind in kinds[:1]:
        target = _antecedent(found, start, kind, word)
    if target is None:
        target = _dominant_derived(doc, found, kinds[0])
    if target is not None:
        found.mention(target, start, end)


def _dominant_derived(doc, found: _Found, kind: str) -> Actor | None:
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


def _emit_persons(doc, found: _Found, persons: list[tuple[_Cand, list[str]]]) -> None:
    """Unknown persons: full names first, then surnames and short forms join them."""
    lex = found.lex
    known_persons = [a for a in found.actors.values() if a.kind == "person"]
    full: dict[str, Actor] = {}
    for c, words in persons:
        if len(words) >= 2:
            name = " ".join(words)
            if name not in full:
                full[name] = found.new(_slug(name), name, "person", c.country,
                                       role=_title_role(doc, lex, c))
    for c, words in persons:
        name = " ".join(words)
        actor = full.get(name)
        if actor is None:
            actor = _surname_owner(words, list(full.values()) + known_persons, c, doc)
        if actor is None:
            actor = found.new(_slug(name), name, "person", c.country,
                              role=_title_role(doc, lex, c))
        if actor.country is None and c.country is not None:
            actor.country = c.country
        start = c.start if c.title_start is None else c.title_start
        found.mention(actor, *_span_chars(doc, start, c.end))


def _surname_owner(words: list[str], people: list[Actor], c: _Cand, doc) -> Actor | None:
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


def _title_role(doc, lex: Lexicon, c: _Cand) -> str | None:
    start = c.start if c.title_start is None else c.title_start
    for tok in doc[start:c.start]:
        role = lex.title_roles.get(tok.lower_)
        if role:
            return role
    return None


# --------------------------------------------------------------------------- helpers for others


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
    if dep == "poss" or (tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in _POSSESSIVE
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
    words = [_fold(t.lower_) for t in span] if span is not None else []
    while words and words[0] in _DETERMINERS:
        words = words[1:]
    key = " ".join(words)
    spec = lex.references.get(key) or (lex.references.get(words[-1]) if words else None)
    if spec is None or key not in lex.references:
        direct = _mention_at(actors, start, end)
        if direct is not None:
            return direct
    if spec is None:
        return None
    kinds, role = spec
    last = words[-1]
    head = last if last in lex.reference_heads else None
    return _nearest(doc, actors, start, kinds, role, head, singular=key in _SINGULAR_PRONOUNS)


def _mention_at(actors: list[Actor], start: int, end: int) -> Actor | None:
    best, best_overlap = None, 0
    for actor in actors:
        for m in actor.mentions:
            overlap = min(m.end, end) - max(m.start, start)
            if overlap > best_overlap:
                best, best_overlap = actor, overlap
    return best


def is_generic(actor: Actor) -> bool:
    """A role with no country or name behind it ("troops", "militants", "police"): an actor of
    its own for event coding, but never the referent of "it", "the group" or "the military"
    when a named actor of that kind is in the article."""
    return (actor.known and actor.country is None and actor.kind != "person"
            and actor.id not in lexicon().entries)


def _nearest(doc, actors: list[Actor], before: int, kinds, role: str | None,
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
            if head_ok and not vague and m.end > named_end and _names_head(m.text, head):
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


def _names_head(text: str, head: str) -> bool:
    return head in _fold(text).lower().replace("-", " ").split()


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

    @classmethod
    def of(cls, doc) -> _DocFacts:
        facts = doc.user_data.get(cls.KEY)
        if facts is None:
            facts = doc.user_data[cls.KEY] = cls(doc)
        return facts

    def sentence(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

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
