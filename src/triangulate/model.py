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
    who: str | None = None  # victim group: soldiers, civilians, children, fighters, people, ...
    hedge: str | None = None  # "at least", "more than", "nearly", "up to", "dozens", ...
    number: Mention | None = None  # the number itself inside the span
    # What the figure counts (analyze/scope.py; DESIGN.md "What a figure counts"): the event
    # it is the toll of (None: no event of the article), its span (incident | cumulative |
    # period | other), the TIMEX value a cumulative count runs from when the text gives it,
    # and the counted noun as written ("Palestinians", "security guards") beside `who`'s group.
    event: str | None = None
    scope: str | None = None
    since: str | None = None
    who_text: str | None = None


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
class RoleReading:
    """One account of who did an event or to whom, and whose account it is: "Israel blamed the
    attack on Hamas" (actor role, hamas, accuses, claimant israel), "Hamas denied responsibility"
    (actor role, hamas, denies, claimant hamas), "the group said its fighters struck the tanks"
    (actor role, the group, claims, claimant the group). ``chosen`` marks the reading the event's
    ``actor`` or ``target`` holds; the others are the alternatives it was chosen over."""

    role: Literal["actor", "target"]
    actor: str  # actor id this reading puts in the role
    stance: Literal["asserts", "claims", "accuses", "denies"]
    claimant: str | None  # actor id of who says so; None = the outlet's own voice
    evidence: Span
    claim: str | None = None  # the claim that carries it, when the attribution stage found one
    chosen: bool = False


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
    role_readings: list[RoleReading] = field(default_factory=list)
    date_span: Mention | None = None  # the time expression the date comes from
    date_source: str | None = None  # clause, sentence, narrative, dateline (see docs/contracts.md)


# Negotiation positions (DESIGN.md "Negotiation positions"): who demands, proposes, accepts,
# rejects, mediates or negotiates what, and who says so.

ISSUES = (
    "ceasefire", "hostages", "prisoners", "withdrawal", "return", "end_of_war", "aid",
    "territory", "statehood", "military_aid", "other",
)
STANCES = ("demand", "propose", "accept", "reject", "mediate", "negotiate")


@dataclass
class Condition:
    """One item of a condition list: a demand on its own issue, with the words that state it."""

    issue: str  # one of ISSUES
    evidence: Span


@dataclass
class Position:
    """A party's stance on one issue of a negotiation, as one article tells it."""

    id: str
    party: str  # the side whose stance it is: an actor id, rolled up (netanyahu -> israel)
    issue: str  # one of ISSUES
    stance: str  # one of STANCES
    counterpart: str | None  # actor id the stance is directed at ("urged Israel to ...")
    claimant: str | None  # actor id of who says the party took it; None = the outlet's voice
    date: str | None  # TIMEX3 value of when it was taken, from a time expression only
    conditions: list[Condition] = field(default_factory=list)
    evidence: Span = field(default_factory=lambda: Span(0, 0, ""))
    event: str | None = None  # the PLOVER event of the same act, when there is one
    actor: str | None = None  # the actor as the text names it (benjamin-netanyahu)
    cue: Mention | None = None  # the words that carry the stance ("accepted", "call for")
    negated: bool = False  # the text negates another stance ("did not accept" -> reject)
    hypothetical: bool = False  # a possibility, not a stance taken ("could accept")
    conditional: bool = False  # taken on conditions ("will not accept any deal that ...")
    condition_of: str | None = None  # the position whose condition list this demand is from


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
    positions: list[Position] = field(default_factory=list)
    duplicate_of: str | None = None
    model: str | None = None  # spaCy model name/version the analysis came from

    def to_frame(self, layer: str) -> Any:
        """One layer ("events", "claims", "figures", ...) as a pandas DataFrame, one row per
        item (triangulate.frames.analysis_frame)."""
        from triangulate.frames import analysis_frame

        return analysis_frame(self, layer)


@dataclass
class AnalysisFailure:
    """An article whose analysis raised, ran over its time budget or took its worker down.

    It is stored in place of an analysis so the rest of a run goes on, shown by ``stats``,
    the run summary and the web app, and analysed again by ``triangulate retry``.
    """

    id: str  # the article's id
    reason: str  # "error" | "timeout" | "worker-died"
    detail: str  # the exception, the budget that ran out, or the worker's exit
    seconds: float | None = None  # time spent before it failed


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
    sentence: Mention | None = None  # the sentence that gives the value


@dataclass
class FigureLine:
    what: str | None
    who: str | None
    contested: bool  # true only when kind is "contested"
    updated: bool = False  # some source revised its own value (also when contested)
    values: list[FigureValue] = field(default_factory=list)
    # What the line counts and how its sources relate (DESIGN.md, "What a figure counts"):
    # scope of the figures lined up (a story lines up its event's incident tolls); kind:
    # contested (different sources give incompatible values), updated (a source's value
    # changes over time: 104, then 190, then 339), agreed (every value compatible). In a
    # contested line `values` holds each source's current value and `earlier` the values a
    # later one of the same source replaced (the contest is between current claims).
    scope: str | None = "incident"
    kind: str | None = None  # None: read from the flags (a line made by hand, an old record)
    earlier: list[FigureValue] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.kind is None:
            self.kind = "contested" if self.contested else (
                "updated" if self.updated else "agreed")


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
    scope: str | None = None  # the figure's scope (analyze/scope.py); None: not known
    who_text: str | None = None  # the counted noun as written ("Palestinians")
    sentence: Mention | None = None  # the sentence that gives it


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
    trigger: str | None = None  # the event's trigger word ("ambush", "freed")
    # The article's named participants (dictionary actors and actors with a country, of the
    # kinds in settings.LINK_PARTICIPANT_KINDS): the same for every mention of an article,
    # what political stories are linked on at article level (link/articles.py).
    participants: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- negotiations


@dataclass
class PositionMention:
    """One stored position with its article's facts: what the negotiation tracker reads."""

    article: str
    position: str  # position id within its article
    party: str
    issue: str
    stance: str
    counterpart: str | None = None
    claimant: str | None = None
    date: str | None = None  # when the text says it was taken
    published: str | None = None  # YYYY-MM-DD
    outlet: str | None = None
    duplicate_of: str | None = None
    title: str | None = None
    actor: str | None = None
    negated: bool = False
    hypothetical: bool = False
    conditional: bool = False
    condition_of: str | None = None
    evidence: Mention | None = None
    event: str | None = None


@dataclass
class StanceReport:
    """One report of a party's stance on an issue: a line of the tracker's history."""

    day: str | None  # the stance's date, else its article's publication day
    dated: bool  # the day comes from the text, not from the publication date
    stance: str
    article: str
    outlet: str | None
    claimant: str | None  # who says so; None = the outlet's own voice
    evidence: Mention | None  # the sentence (or list item) that states it
    position: str
    duplicate_of: str | None = None  # a syndicated copy of this article
    conditional: bool = False
    negated: bool = False
    change: bool = False  # its stance differs from the report before it
    event: str | None = None  # the PLOVER event of its article that it is linked to


@dataclass
class NegotiationCell:
    """Where one party stands on one issue: the latest stance, who reports it, whether the
    sources agree, and every report before it."""

    party: str
    party_name: str
    issue: str
    stance: str  # the stance most reported on the latest day
    day: str | None
    evidence: Mention | None
    article: str
    outlet: str | None
    claimant: str | None
    sources: int = 0  # independent outlets reporting the party on this issue
    disagree: bool = False  # opposed stances reported for the latest day
    stances: list[str] = field(default_factory=list)  # every stance of the latest day
    changes: int = 0  # reports whose stance differs from the one before
    history: list[StanceReport] = field(default_factory=list)


# --------------------------------------------------------------------------- watch

# What `triangulate watch` alerts on (docs/watch.md).
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
    # position_changed: the party (id) and issue whose stance changed
    party: str | None = None
    issue: str | None = None


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


@dataclass
class PositionState:
    """A party's latest stance on one issue as the negotiation tracker shows it, kept from
    one watch round to the next (position_changed alerts compare it)."""

    party: str
    issue: str
    stance: str
    day: str | None
    article: str


# --------------------------------------------------------------------------- toll tracker


@dataclass
class TollPoint:
    """One cumulative count as one article gives it (link/tolls.py)."""

    value: float | int
    article: str
    figure: str  # figure id within its article
    date: str | None  # the day the count stood at (its article's publication day)
    outlet: str | None = None
    speaker: str | None = None  # actor id, else the speaker's own words; None = the outlet
    hedge: str | None = None
    low: float | int | None = None
    high: float | int | None = None
    since: str | None = None  # the start the text gives ("since October 7")
    evidence: Mention | None = None  # the figure's words
    sentence: Mention | None = None  # the sentence that gives it


@dataclass
class TollSeries:
    """A running count over time: one speaker's count of one outcome for one place (the
    Gaza health ministry's dead by date), never lined up against an incident's toll."""

    id: str
    what: str  # killed, injured, displaced, hostages, ... (linking's classes)
    who: str  # victim group
    speaker: str | None  # actor id or the speaker's words; None = outlets' own voice
    place: str | None  # ISO alpha-3 of the place counted ("PSE"), when known
    place_name: str | None = None
    since: str | None = None  # the earliest start a point gives
    outlet: str | None = None  # for an outlet's own running count: whose
    points: list[TollPoint] = field(default_factory=list)  # by date, then value


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
