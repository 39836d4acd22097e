"""Mentions under construction: a candidate token span with the actor it names and how it was
found, and the document's actors as they are made (dictionary actors, derived institutions
such as ``israel-military``, new NER actors).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from triangulate.analyze.actors.lexicon import Lexicon, Role, slug
from triangulate.analyze.text import doc_text
from triangulate.model import Actor, Mention


@dataclass
class Candidate:
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
class Found:
    """Actors of one document under construction."""

    doc: object
    lex: Lexicon
    actors: dict[str, Actor] = field(default_factory=dict)
    roles: dict[str, str | None] = field(default_factory=dict)
    # (actor object, start, end) of every mention added: a lookup, not a scan of the actor's
    # mentions, so an actor named thousands of times costs linear time (issue 16).
    _spans: set[tuple[int, int, int]] = field(default_factory=set)

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
        suffix = role.suffix or slug(noun)
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
        key = (id(actor), start_char, end_char)
        if key in self._spans:
            return
        self._spans.add(key)
        actor.mentions.append(Mention(start_char, end_char, doc_text(self.doc)[start_char:end_char]))


def span_chars(doc, start: int, end: int) -> tuple[int, int]:
    last = doc[end - 1]
    return doc[start].idx, last.idx + len(last.text)
