"""Shapes of the JSON API's answers, for the OpenAPI schema.

Handlers return plain JSON built from the library's records (model.py, link.timeline); these
models document that JSON. They are declared as documented responses rather than response
models, so a field a stage adds later reaches clients without a schema change breaking the
answer.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from triangulate.link.timeline import TimelineEntry
from triangulate.model import Alert, Contradiction, NegotiationCell, StanceReport, Story, TollSeries

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: ``total`` items match the filters, ``items`` holds at most
    ``limit`` of them starting at ``offset``."""

    total: int
    limit: int
    offset: int
    items: list[T]


class Problem(BaseModel):
    """Every error: the HTTP status and what went wrong (validation errors list each bad
    parameter in ``errors``)."""

    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None


class ArticleRow(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    published: str | None = Field(description="YYYY-MM-DD")
    author: str | None
    url: str | None
    words: int | None
    duplicate_of: str | None = Field(description="the original, when this is a copy")
    genre: str | None
    tone: float | None
    events: int
    snippet: str | None = Field(None, description="text around the first match of q")


class ActorRow(BaseModel):
    id: str
    name: str | None
    kind: str | None
    country: str | None = Field(description="ISO 3166-1 alpha-3")
    known: bool | None
    articles: int
    mentions: int | None


class ActorDetail(BaseModel):
    actor: dict[str, Any]
    ids: list[str] = Field(description="the actor and everything that rolls up to it")
    did: list[TimelineEntry]
    done_to: list[TimelineEntry]
    claimed: list[dict[str, Any]]
    outlets: list[dict[str, Any]]


class PlaceRow(BaseModel):
    id: str
    name: str | None
    lat: float | None
    lon: float | None
    country: str | None = Field(description="ISO 3166-1 alpha-2")
    kind: str | None
    articles: int
    mentions: int | None
    events: int


class EventRow(BaseModel):
    article: str
    event: str
    story: str | None
    outlet: str | None
    published: str | None
    type: str
    mode: str | None
    actor: str | None
    target: str | None
    place: str | None
    place_name: str | None
    lat: float | None
    lon: float | None
    date: str | None
    date_precision: str | None
    trigger: str | None
    evidence_start: int
    evidence_end: int
    evidence: str


class OutletRow(BaseModel):
    outlet: str | None
    articles: int
    copies: int
    words: int | None
    tone: float | None
    events: int
    claims: int
    quotes: int
    figures: int
    techniques: int
    stories: int
    first: str | None
    last: str | None
    genres: dict[str, int]
    techniques_by_kind: dict[str, int]
    claim_stances: dict[str, int]
    speakers: dict[str, int] = Field(description="most frequent claim speakers")
    event_types: dict[str, int]


class AddResult(BaseModel):
    ingested: int
    already_stored: int
    duplicates: int
    analysed: int
    articles: list[str]
    skipped: list[dict[str, str]]
    stories: int = Field(description="Stories in the store when answered (before this add's "
                         "relink while `linking` is \"pending\")")
    linking: str = Field(description="\"pending\": the relink that puts these articles in "
                         "stories runs after this answer; \"done\"; or \"failed: why\" (the "
                         "next add's relink takes them in)")
    failed: list[dict[str, str]] = Field(
        default_factory=list, description="Articles stored whose analysis failed (id, reason, "
        "detail); `triangulate retry` analyses them again")


StoryPage = Page[Story]
ContradictionPage = Page[Contradiction]
TimelinePage = Page[TimelineEntry]
AlertPage = Page[Alert]
NegotiationPage = Page[NegotiationCell]
StanceReportPage = Page[StanceReport]
TollPage = Page[TollSeries]
