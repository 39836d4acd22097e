"""Every record type Triangulate reads or writes, and their JSON form.

All offsets are Python ``str`` indices into the article text: ``text[start:end]`` is exactly
the evidence cited. JSON in and out goes through :func:`to_dict` and :func:`from_dict`, so the
field order here is the order of the output contract in docs/contracts.md.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

# --------------------------------------------------------------------------- ingest


@dataclass
class RawDocument:
    """One input document before analysis: text or HTML plus whatever metadata came with it."""

    source: str  # where it came from: "path", "path:line", "path#record", a URL
    text: str | None = None
    html: str | None = None
    id: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None  # YYYY-MM-DD


@dataclass
class Skipped:
    """An input that could not be used, and why (never silently dropped)."""

    source: str
    reason: str  # short machine-friendly key: "empty", "binary", "not-english", ...
    detail: str = ""


@dataclass
class Article:
    """A cleaned, identified article ready for analysis."""

    id: str
    text: str
    source: str
    content_hash: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None
    language: str = "en"
    duplicate_of: str | None = None  # first-seen article this one copies (exact or near)
    similarity: float | None = None  # estimated Jaccard similarity to duplicate_of


# --------------------------------------------------------------------------- analysis


@dataclass
class Mention:
    start: int
    end: int
    text: str


@dataclass
class Span:
    start: int
    end: int
    text: str
    spans: list[list[int]] | None = None  # discontinuous parts, when there are several


@dataclass
class Genre:
    label: Literal["news", "opinion", "analysis", "other"]
    score: float
    signals: dict[str, float] = field(default_factory=dict)


@dataclass
class Actor:
    id: str  # dictionary id ("hamas") or a slug for actors found only by NER
    name: str
    kind: str  # state, government, military, security, armed_group, party, igo, ngo, person, ...
    country: str | None  # ISO 3166-1 alpha-3
    mentions: list[Mention] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    parent: str | None = None  # e.g. "israel-military" -> "israel"
    known: bool = True  # False when it came from NER only, not from the dictionary


@dataclass
class Place:
    id: str  # "geonames:281133", "alias:zanna", "country:PS"
    name: str
    lat: float | None
    lon: float | None
    country: str | None  # ISO 3166-1 alpha-2
    kind: str  # country, region, city, town, camp, neighbourhood, crossing, area, ...
    mentions: list[Mention] = field(default_factory=list)
    population: int | None = None


@dataclass
class TimeExpression:
    start: int
    end: int
    text: str
    type: Literal["date", "time", "duration", "set"]
    value: str | None  # TIMEX3 value; None when it cannot be resolved
    anchor: str | None = None  # "published", "narrative", "absolute", None (unresolved)
    mod: str | None = None  # TIMEX3 mod: APPROX, BEFORE, AFTER, START, END, ...
    in_quote: bool = False


@dataclass
class Figure:
    id: str
    start: int
    end: int
    text: str
    value: float | int
    low: float | int | None = None
    high: float | int | None = None
    approximate: bool = False
    what: str | None = None  # killed, dead, injured, displaced, fled, held, hostages, arrested, ...
    who: str | None = None  # soldiers, civilians, children, fighters, people, ...
    hedge: str | None = None  # "at least", "more than", "nearly", "up to", "dozens", ...
    number: Mention | None = None  # the number itself inside the span


@dataclass
class Claim:
    id: str
    speaker: str | None  # actor id
    speaker_text: str | None
    cue: str
    stance: Literal[
        "asserts", "admits", "denies", "estimates", "warns", "accuses", "promises", "other"
    ]
    start: int
    end: int
    content: Span
    figures: list[str] = field(default_factory=list)
    event: str | None = None
    speaker_span: Mention | None = None
    cue_span: Mention | None = None


@dataclass
class Quote:
    id: str
    speaker: str | None
    speaker_text: str | None
    cue: str | None
    start: int
    end: int
    text: str
    speaker_span: Mention | None = None
    speaker_position: Literal["before", "after", "previous", "next", "none"] = "none"


@dataclass
class Event:
    id: str
    type: str  # one of PLOVER_TYPES
    mode: str | None
    actor: str | None
    target: str | None
    place: str | None
    date: str | None
    date_precision: str | None  # day, week, month, year, None
    negated: bool
    hypothetical: bool
    trigger: str
    evidence: Span
    figures: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    trigger_span: Mention | None = None


PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)

CLAIM_STANCES = ("asserts", "admits", "denies", "estimates", "warns", "accuses", "promises", "other")

TECHNIQUES = (
    "loaded_language", "name_calling", "repetition", "exaggeration", "doubt", "appeal_to_fear",
    "flag_waving", "causal_oversimplification", "slogans", "appeal_to_authority",
    "black_and_white", "thought_terminating_cliche", "whataboutism", "bandwagon",
    "conspiracy", "call_to_action",
)


@dataclass
class Technique:
    technique: str  # one of TECHNIQUES
    start: int
    end: int
    text: str
    speaker: str | None = None  # actor id when the span is inside a quotation; None = the outlet
    score: float | None = None


@dataclass
class ActorStance:
    actor: str
    stance: Literal["positive", "negative", "neutral"]
    score: float
    tone: float
    evidence: list[Mention] = field(default_factory=list)


@dataclass
class Framing:
    tone: float  # GDELT-style: positive minus negative word share, -100..+100
    techniques: list[Technique] = field(default_factory=list)
    actor_stance: list[ActorStance] = field(default_factory=list)
    words: int = 0


@dataclass
class Analysis:
    """One analysed article: the output contract of ``triangulate analyze``."""

    id: str
    url: str | None
    outlet: str | None
    title: str | None
    author: str | None
    published: str | None
    language: str
    text: str
    genre: Genre | None = None
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    framing: Framing | None = None
    duplicate_of: str | None = None
    model: str | None = None  # spaCy model name/version the analysis came from

    def to_frame(self, layer: str) -> Any:
        """One layer ("events", "claims", "figures", ...) as a pandas DataFrame, one row per
        item (triangulate.frames.analysis_frame)."""
        from triangulate.frames import analysis_frame

        return analysis_frame(self, layer)


# --------------------------------------------------------------------------- linking


@dataclass
class StoryArticle:
    id: str
    outlet: str | None
    event: str  # event id within that article
    duplicate_of: str | None = None
    published: str | None = None


@dataclass
class FigureValue:
    value: float | int
    speaker: str | None
    article: str
    figure: str
    outlet: str | None = None
    published: str | None = None
    hedge: str | None = None
    low: float | int | None = None
    high: float | int | None = None
    evidence: Mention | None = None
    party: str | None = None  # who the speaker speaks for ("ISR", "un"); "outlet:X" = X's voice


@dataclass
class FigureLine:
    what: str | None
    who: str | None
    contested: bool
    updated: bool = False
    values: list[FigureValue] = field(default_factory=list)


@dataclass
class ContradictionSide:
    value: Any
    article: str
    outlet: str | None
    speaker: str | None
    evidence: Mention | None


@dataclass
class Contradiction:
    field: str  # "figures.killed", "date", "place", "actor", "mode"
    values: list[Any]
    articles: list[str]
    story: str | None = None
    sides: list[ContradictionSide] = field(default_factory=list)


@dataclass
class StoryPlace:
    id: str
    name: str
    lat: float | None = None
    lon: float | None = None


@dataclass
class Story:
    id: str
    type: str
    date: str | None
    place: StoryPlace | None
    actors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    outlets: int = 0
    independent_outlets: int = 0
    articles: list[StoryArticle] = field(default_factory=list)
    figures: list[FigureLine] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)
    title: str | None = None  # a short human label: the evidence sentence of its first report
    date_precision: str | None = None
    # Articles that mention the event only in passing (a clause in a story about something
    # else): they corroborate it and count as outlets, but are not among its reports.
    mentions: list[StoryArticle] = field(default_factory=list)
    updated: bool = False  # some figure line is a rising (or revised) toll


@dataclass
class FigureMention:
    """One figure attached to an event mention, with who gave it (the linking input)."""

    figure: str  # figure id within its article
    value: float | int
    what: str | None = None
    who: str | None = None
    low: float | int | None = None
    high: float | int | None = None
    hedge: str | None = None
    approximate: bool = False
    speaker: str | None = None  # actor id, else the speaker's own words; None = the outlet
    party: str | None = None  # the speaker rolled up (country, parent); None = the outlet
    evidence: Mention | None = None


@dataclass
class ClaimMention:
    """A claim linked to an event mention: who asserts, accuses or denies it."""

    claim: str
    speaker: str | None
    party: str | None
    stance: str
    evidence: Mention | None = None


@dataclass
class EventMention:
    """One event of one analysed article, flattened with what linking needs to know.

    ``order`` is the article's ingest order (stable story ids derive from it). Actor and
    place facts are copied from the article's actors and places so linking never needs the
    whole analysis; ``vector`` is filled from the embedding cache.
    """

    article: str
    event: str
    order: int
    type: str
    outlet: str | None = None
    published: str | None = None  # YYYY-MM-DD
    duplicate_of: str | None = None
    mode: str | None = None
    actor: str | None = None
    target: str | None = None
    actor_party: str | None = None  # country (ISO alpha-3) or top parent of the actor
    target_party: str | None = None
    actor_parent: str | None = None
    target_parent: str | None = None
    place: str | None = None
    place_name: str | None = None
    lat: float | None = None
    lon: float | None = None
    place_kind: str | None = None
    place_country: str | None = None  # ISO alpha-3
    date: str | None = None
    date_precision: str | None = None
    negated: bool = False
    hypothetical: bool = False
    evidence: Mention | None = None
    position: float = 0.0  # evidence start / article length: 0 is the lead
    voice: str | None = None  # party of the claim the event is reported in; None = outlet
    date_span: Mention | None = None  # the time expression that dates it, when found
    place_span: Mention | None = None
    figures: list[FigureMention] = field(default_factory=list)
    claims: list[ClaimMention] = field(default_factory=list)
    # The actor (target) is a dictionary actor or has a country: a party one can blame.
    # Words the stages could not resolve ("militants", "families") are not.
    actor_known: bool = False
    target_known: bool = False
    genre: str | None = None  # the article's genre label (news, opinion, analysis, other)


# --------------------------------------------------------------------------- watch

# What `triangulate watch` alerts on (docs/watch.md). position_changed is reserved for the
# negotiation layer: nothing raises it until that layer is on main.
ALERT_KINDS = ("new_story", "toll_changed", "contested_figure", "contradiction",
               "position_changed")


@dataclass
class AlertEvidence:
    """Where an alert's new value is said: ``text`` is the article's text[start:end]."""

    article: str
    outlet: str | None
    start: int
    end: int
    text: str
    value: Any = None  # the value this span gives, when the alert is about values
    speaker: str | None = None


@dataclass
class Alert:
    """A change a watch round found between the linked state before and after it."""

    id: str  # stable: the same change found again (a re-run round) is the same alert
    kind: str  # one of ALERT_KINDS
    story: str | None
    subject: str  # what changed: "independent outlets", "killed people", "place"
    old: Any  # the value before the round (None: there was none)
    new: Any
    summary: str  # one line for people
    evidence: list[AlertEvidence] = field(default_factory=list)
    story_title: str | None = None
    story_date: str | None = None
    created: str | None = None  # ISO 8601 UTC, when the round stored it
    round: int | None = None


@dataclass
class TollSide:
    """The latest value of a figure line, for one party (or for the whole line)."""

    party: str | None
    value: float | int
    article: str
    figure: str
    published: str | None = None


@dataclass
class TollState:
    key: str  # what | who (| scope, once figures carry it)
    contested: bool
    sides: list[TollSide] = field(default_factory=list)


@dataclass
class StoryState:
    """What alerts compare of one story, kept from one watch round to the next."""

    id: str
    independent_outlets: int
    members: list[str] = field(default_factory=list)  # article id, \x1f, event id
    tolls: list[TollState] = field(default_factory=list)
    # field -> the values its contradiction sets against each other (as text, sorted)
    contradictions: dict[str, list[str]] = field(default_factory=dict)


# --------------------------------------------------------------------------- JSON


_SCALARS = (str, int, float, bool, type(None))
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def to_dict(obj: Any) -> Any:
    """Dataclass (or list/dict of them) -> plain JSON-ready data, keeping field order."""
    # Called for every value of every record written (~1,000 per article): scalars first,
    # and each dataclass's field names looked up once.
    if isinstance(obj, _SCALARS):
        return obj
    cls = type(obj)
    names = _FIELD_NAMES.get(cls)
    if names is None and dataclasses.is_dataclass(cls):
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    if names is not None:
        return {name: to_dict(getattr(obj, name)) for name in names}
    if isinstance(obj, list | tuple):
        return [to_dict(v) for v in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    return obj


T = typing.TypeVar("T")

_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _convert(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            if arg is type(None):
                continue
            if dataclasses.is_dataclass(arg) and isinstance(value, dict):
                return from_dict(arg, value)
            if typing.get_origin(arg) is list and isinstance(value, list):
                return _convert(arg, value)
        return value
    if origin is list:
        (item_tp,) = typing.get_args(tp) or (Any,)
        return [_convert(item_tp, v) for v in value]
    if dataclasses.is_dataclass(tp) and isinstance(value, dict):
        return from_dict(tp, value)
    return value


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Plain data -> dataclass; unknown keys are ignored so older readers accept newer output."""
    hints = _hints(cls)
    kwargs = {
        f.name: _convert(hints[f.name], data[f.name])
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        if f.name in data
    }
    return cls(**kwargs)
