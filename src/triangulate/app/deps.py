"""Request-scoped pieces shared by the API and the pages: the store and the filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.exceptions import RequestValidationError

from triangulate.model import ALERT_KINDS, PLOVER_TYPES
from triangulate.store import Scope, Store

MAX_LIMIT = 500
DATE_PATTERN = r"^(\d{4}-\d{2}-\d{2})?$"
# Empty values are allowed everywhere: an HTML form sends its blank fields as "".
TYPE_PATTERN = "^(" + "|".join(PLOVER_TYPES) + ")?$"


def get_store(request: Request) -> Iterator[Store]:
    """A view of the app's store on its own cursor, for this request's thread only."""
    view = request.app.state.store.thread_view()
    try:
        yield view
    finally:
        view.close()


StoreDep = Annotated[Store, Depends(get_store)]


@dataclass
class Filters:
    """The filters every list takes, as the user gave them (blank = not given)."""

    actor: str | None = None
    place: str | None = None
    outlet: str | None = None
    type: str | None = None
    start: str | None = None
    end: str | None = None
    q: str | None = None

    def scope(self, store: Store) -> Scope:
        """The store's Scope: the actor name resolved to ids (with everything that rolls up
        to it, as the CLI's --actor does); an unknown actor matches nothing."""
        return Scope(
            actor_ids=store.resolve_actors(self.actor) if self.actor else None,
            place=self.place, outlet=self.outlet, type=self.type, start=self.start,
            end=self.end, q=self.q,
        )

    def query(self) -> dict[str, str]:
        """The non-blank filters as query parameters (for links to the next page)."""
        names = {"start": "from", "end": "to"}
        return {names.get(k, k): v for k, v in vars(self).items() if v}


def _blank(value: str | None) -> str | None:
    value = value.strip() if value else None
    return value or None


def _date(name: str, value: str | None) -> str | None:
    value = _blank(value)
    if value is None:
        return None
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise RequestValidationError([{
            "type": "value_error", "loc": ["query", name], "input": value,
            "msg": "not a calendar date (YYYY-MM-DD)",
        }]) from None
    return value


def filters(
    actor: Annotated[str | None, Query(max_length=200, description="Actor name or id; "
                                       "includes everything that rolls up to it (Israel -> "
                                       "israel-military)")] = None,
    place: Annotated[str | None, Query(max_length=200, description="Place name or id "
                                       "(case-insensitive)")] = None,
    outlet: Annotated[str | None, Query(max_length=200, description="Outlet name "
                                        "(case-insensitive)")] = None,
    type: Annotated[str | None, Query(pattern=TYPE_PATTERN, description="PLOVER event type, "
                                      "e.g. ASSAULT")] = None,
    start: Annotated[str | None, Query(alias="from", pattern=DATE_PATTERN,
                                       description="From this date, YYYY-MM-DD (articles: "
                                       "published; stories: the event's date)")] = None,
    end: Annotated[str | None, Query(alias="to", pattern=DATE_PATTERN,
                                     description="Up to this date, YYYY-MM-DD")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Words the title or text "
                                   "contains (case-insensitive)")] = None,
) -> Filters:
    f = Filters(
        actor=_blank(actor), place=_blank(place), outlet=_blank(outlet), type=_blank(type),
        start=_date("from", start), end=_date("to", end), q=_blank(q),
    )
    if f.start and f.end and f.start > f.end:
        raise RequestValidationError([{
            "type": "value_error", "loc": ["query", "to"], "input": f.end,
            "msg": "'to' is before 'from'",
        }])
    return f


FiltersDep = Annotated[Filters, Depends(filters)]


@dataclass
class Paging:
    limit: int
    offset: int


def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip")] = 0,
) -> Paging:
    return Paging(limit, offset)


PagingDep = Annotated[Paging, Depends(paging)]


KIND_PATTERN = "^(" + "|".join(ALERT_KINDS) + ")?$"


def since(
    since: Annotated[str | None, Query(max_length=40, description="Only alerts raised since "
                                       "this date (YYYY-MM-DD), UTC time (2024-06-01T12:00) "
                                       "or span back from now (12h, 3d)")] = None,
) -> str | None:
    """The `since` parameter as an ISO UTC time (as `triangulate alerts --since` reads it)."""
    import time

    from triangulate.watch.polite import since_time

    value = _blank(since)
    if value is None:
        return None
    try:
        return since_time(value, time.time())
    except ValueError as exc:
        raise RequestValidationError([{
            "type": "value_error", "loc": ["query", "since"], "input": value, "msg": str(exc),
        }]) from None


SinceDep = Annotated[str | None, Depends(since)]
