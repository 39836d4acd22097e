"""An event being built from one trigger: what the later steps (roles, modality, folding,
dates, merging) read and fill in, until it becomes a model ``Event``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(eq=False)
class Candidate:
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
    # How well the target is named, to keep the best when mentions merge: a party the parse
    # names (5), the side or occupant of what was hit or a named victim (4), a generic role
    # from the parse, the content of a verbal event or a group of victims no dictionary names
    # (3), a place's population (2).
    target_rank: int = 0
    negated: bool = False
    hypothetical: bool = False
    intention: bool = False
    goal: bool = False  # an aim, a condition or a topic, not something that happened
    weapon: bool = False
    scope: list = field(default_factory=list)  # tokens whose subtrees this event governs
    folded: list[Candidate] = field(default_factory=list)  # what it demands, threatens, refuses
    absorbed: list[Candidate] = field(default_factory=list)  # its purposes, topics, charges
    place: str | None = None
    place_in_phrase: bool = False
    date: str | None = None
    precision: str | None = None
    figures: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    mentions: list[int] = field(default_factory=list)  # trigger offsets of merged mentions
    readings: list = field(default_factory=list)  # accounts of the doer (readings.Reading)
    date_span: tuple[int, int] | None = None  # the time expression the date comes from
    date_source: str | None = None  # clause, sentence, narrative, dateline
    dropped: bool = False
    anaphor_only: bool = False  # "The raid came ...": kept only to join the raid told before
