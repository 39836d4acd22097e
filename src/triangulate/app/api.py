"""The JSON API under /api: the same views the pages show, as JSON.

Lists answer ``{"total", "limit", "offset", "items"}`` and take the shared filters (actor,
place, outlet, type, from, to, q) and paging (limit, offset). Errors answer
``{"status", "detail"}`` with a fitting code: 404 unknown id, 422 bad parameter, 413 body
too large, 400 nothing usable in an upload, 503 too many adds waiting (with Retry-After).
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, File, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from triangulate.app import adding, schemas, views
from triangulate.app.deps import (
    DATE_PATTERN,
    KIND_PATTERN,
    FiltersDep,
    PagingDep,
    SinceDep,
    StoreDep,
)
from triangulate.app.writer import Busy
from triangulate.link import negotiations
from triangulate.model import ISSUES, Analysis, Story, to_dict

router = APIRouter(prefix="/api")

_404 = {404: {"model": schemas.Problem, "description": "Unknown id"}}
_422 = {422: {"model": schemas.Problem, "description": "A parameter is malformed"}}


def _json(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(to_dict(data), status_code=status)


def _page_body(page: views.Page) -> dict[str, Any]:
    return {"total": page.total, "limit": page.limit, "offset": page.offset, "items": page.items}


def _page(page: views.Page) -> JSONResponse:
    return _json(_page_body(page))


def _missing(what: str, key: str) -> HTTPException:
    return HTTPException(404, f"no {what} with id {key!r}")


def _found(what: str, key: str, found: Any) -> JSONResponse:
    """The record looked up by id, or a 404 saying what was missing."""
    if found is None:
        raise _missing(what, key)
    return _json(found)


# Failed analyses listed by /api/stats (the count is in "counts"); all: export failed_analyses.
FAILED_LISTED = 100


@router.get("/stats", tags=["corpus"], summary="Counts of everything in the store")
def stats(store: StoreDep, request: Request) -> JSONResponse:
    # "pending" while added articles wait for the background relink to put them in stories.
    linking = "pending" if request.app.state.writer.linking_pending() else "done"
    return _json({"counts": store.counts(), "linking": linking,
                  "outlets": [{"outlet": o, "articles": n, "copies": d}
                              for o, n, d in store.outlet_counts()],
                  "failed": store.failures(limit=FAILED_LISTED)})


@router.get("/articles", tags=["articles"], summary="Articles, newest first",
            responses={200: {"model": schemas.Page[schemas.ArticleRow]}, **_422})
def list_articles(store: StoreDep, f: FiltersDep, p: PagingDep) -> JSONResponse:
    return _page(views.articles(store, f, p.limit, p.offset))


@router.get("/articles/{article_id:path}", tags=["articles"],
            summary="One article's full analysis (the `analyze --format json` contract)",
            responses={200: {"model": Analysis}, **_404})
def get_article(article_id: str, store: StoreDep) -> JSONResponse:
    return _found("article", article_id, views.analysis(store, article_id))


class ArticleIn(BaseModel):
    text: str = Field(min_length=1, description="The article's plain text")
    title: str | None = Field(None, max_length=1000)
    outlet: str | None = Field(None, max_length=200)
    published: str | None = Field(None, pattern=DATE_PATTERN, description="YYYY-MM-DD")
    url: str | None = Field(None, max_length=2000)
    author: str | None = Field(None, max_length=500)


_ADD_ERRORS = {400: {"model": schemas.Problem}, 413: {"model": schemas.Problem},
               503: {"model": schemas.Problem, "description": "Too many adds waiting: try "
                     "again after the Retry-After header's seconds"}, **_422}


WaitDep = Annotated[Literal["analysed", "linked"], Query(
    description="Answer once the articles are stored and analysed (default; the relink that "
    "puts them in stories follows in the background, `linking` says \"pending\"), or only "
    "after that relink too")]


@router.post("/articles", tags=["articles"], status_code=201,
             summary="Add one article (ingest and analyse; the relink follows)",
             responses={201: {"model": schemas.AddResult}, **_ADD_ERRORS})
async def add_article(article: ArticleIn, request: Request,
                      wait: WaitDep = "analysed") -> JSONResponse:
    meta = article.model_dump(exclude={"text"})
    return await _add(request, adding.Add(text=article.text, meta=meta), wait)


@router.post("/articles/upload", tags=["articles"], status_code=201,
             summary="Add the articles of a file: text, HTML, JSON Lines, CSV/TSV, WARC, RSS",
             responses={201: {"model": schemas.AddResult}, **_ADD_ERRORS})
async def upload_articles(file: Annotated[UploadFile, File()], request: Request,
                          wait: WaitDep = "analysed") -> JSONResponse:
    data = await file.read()
    return await _add(request, adding.Add(filename=file.filename, data=data), wait)


async def _add(request: Request, add: adding.Add, wait: str) -> JSONResponse:
    """The add queued for the app's writer; answered when it is stored and analysed, or
    with ``wait="linked"`` when the relink that takes it in has run too."""
    writer = request.app.state.writer
    try:
        result = await asyncio.wrap_future(writer.submit(add))
    except adding.BadInput as exc:
        raise HTTPException(400, str(exc)) from exc
    except Busy as exc:
        raise HTTPException(503, str(exc), headers={"Retry-After": str(exc.retry_after)}) from exc
    if wait == "linked" and result.linking == "pending":
        error = await asyncio.wrap_future(writer.linked())
        result.linking = f"failed: {error}" if error else "done"
        result.stories = request.app.state.store.counts()["stories"]
    return _json(result, status=201)


@router.get("/stories", tags=["stories"],
            summary="Stories (one per real-world event), best-sourced first",
            responses={200: {"model": schemas.StoryPage}, **_422})
def list_stories(
    store: StoreDep, f: FiltersDep, p: PagingDep,
    contested: Annotated[bool | None, Query(description="Only stories with (or without) a "
                                            "contested figure")] = None,
    all: Annotated[bool, Query(description="Also events only mentioned in passing")] = False,
    order: Annotated[str, Query(pattern="^(sources|date)$", description="sources: most "
                                "independent outlets first; date: newest first")] = "sources",
) -> JSONResponse:
    return _page(views.stories(store, f, p.limit, p.offset, contested=contested,
                               reported=None if all else True, order=order))


@router.get("/stories/{story_id}", tags=["stories"], summary="One story (the story contract)",
            responses={200: {"model": Story}, **_404})
def get_story(story_id: str, store: StoreDep) -> Response:
    found = views.story(store, story_id)
    if found is None and (moved := store.story_redirect(story_id)):
        # the story was joined into another one (incremental linking): its new address
        return RedirectResponse(quote(moved, safe=""), status_code=301)
    return _found("story", story_id, found)


@router.get("/contradictions", tags=["stories"],
            summary="Where outlets or parties disagree, both sides with evidence",
            responses={200: {"model": schemas.ContradictionPage}, **_422})
def list_contradictions(
    store: StoreDep, f: FiltersDep, p: PagingDep,
    field: Annotated[str | None, Query(max_length=100, description="figures, date, place, "
                                       "actor or mode (figures.killed for one figure)")] = None,
) -> JSONResponse:
    return _page(views.contradictions(store, f, p.limit, p.offset, field or None))


@router.get("/timeline", tags=["stories"], summary="Dated stories, oldest first",
            responses={200: {"model": schemas.TimelinePage}, **_422})
def get_timeline(store: StoreDep, f: FiltersDep, p: PagingDep) -> JSONResponse:
    return _page(views.timeline_page(store, f, p.limit, p.offset))


_ISSUE_PATTERN = "^(" + "|".join(ISSUES) + ")?$"
PartyQuery = Annotated[str | None, Query(max_length=200, description="A party by name or id: "
                                         "Hamas, Israel, 'United States', qatar")]
IssueQuery = Annotated[str | None, Query(pattern=_ISSUE_PATTERN, description="An issue: "
                                         + ", ".join(ISSUES))]
FromQuery = Annotated[str | None, Query(alias="from", pattern=DATE_PATTERN,
                                        description="From this day (YYYY-MM-DD)")]
ToQuery = Annotated[str | None, Query(alias="to", pattern=DATE_PATTERN,
                                      description="Up to this day (YYYY-MM-DD)")]


def _negotiations(store, party, issue, start, end) -> list:
    try:
        return negotiations.matrix(store, party or None, issue or None, start or None, end or None)
    except negotiations.QueryError as exc:
        raise HTTPException(422, str(exc)) from exc


@router.get("/negotiations", tags=["negotiations"],
            summary="Party x issue: each party's latest stance, its sources, disputes",
            responses={200: {"model": schemas.NegotiationPage}, **_422})
def list_negotiations(store: StoreDep, p: PagingDep, party: PartyQuery = None,
                      issue: IssueQuery = None, start: FromQuery = None,
                      end: ToQuery = None) -> JSONResponse:
    cells = _negotiations(store, party, issue, start, end)
    for c in cells:
        c.history = []  # one cell's reports: /api/negotiations/history
    return _page(views.Page(len(cells), p.limit, p.offset, cells[p.offset : p.offset + p.limit]))


@router.get("/negotiations/history", tags=["negotiations"],
            summary="Every report of one party's stance on one issue, changes marked",
            responses={200: {"model": schemas.StanceReportPage}, **_422})
def negotiation_history(store: StoreDep, p: PagingDep,
                        party: Annotated[str, Query(min_length=1, max_length=200,
                                                    description="A party by name or id")],
                        issue: Annotated[str, Query(pattern=_ISSUE_PATTERN.replace(")?$", ")$"),
                                                    description="An issue")],
                        start: FromQuery = None, end: ToQuery = None) -> JSONResponse:
    reports = sorted((r for c in _negotiations(store, party, issue, start, end) for r in c.history),
                     key=lambda r: (r.day or "", r.article))
    return _page(views.Page(len(reports), p.limit, p.offset,
                            reports[p.offset : p.offset + p.limit]))


@router.get("/events", tags=["stories"],
            summary="Event mentions (not denied, not hypothetical, not in copies)",
            responses={200: {"model": schemas.Page[schemas.EventRow]}, **_422})
def list_events(
    store: StoreDep, f: FiltersDep, p: PagingDep,
    at: Annotated[str | None, Query(max_length=200, description="Only events at this place "
                                    "(name or id)")] = None,
) -> JSONResponse:
    return _page(views.events(store, f, p.limit, p.offset, at=at or None))


@router.get("/actors", tags=["actors and places"],
            summary="Actors named in the articles in scope, most articles first",
            responses={200: {"model": schemas.Page[schemas.ActorRow]}, **_422})
def list_actors(
    store: StoreDep, f: FiltersDep, p: PagingDep,
    kind: Annotated[str | None, Query(max_length=50, description="state, military, "
                                      "armed_group, person, ...")] = None,
    name: Annotated[str | None, Query(max_length=200, description="Name or id contains")] = None,
) -> JSONResponse:
    return _page(views.actors(store, f, p.limit, p.offset, kind=kind or None, name=name or None))


@router.get("/actors/{actor_id}", tags=["actors and places"],
            summary="What an actor did, what was done to it, what it claimed",
            responses={200: {"model": schemas.ActorDetail}, **_404})
def get_actor(actor_id: str, store: StoreDep) -> JSONResponse:
    return _found("actor", actor_id, views.actor(store, actor_id))


@router.get("/places", tags=["actors and places"],
            summary="Places named in the articles in scope, most articles first",
            responses={200: {"model": schemas.Page[schemas.PlaceRow]}, **_422})
def list_places(
    store: StoreDep, f: FiltersDep, p: PagingDep,
    name: Annotated[str | None, Query(max_length=200, description="Name or id contains")] = None,
) -> JSONResponse:
    return _page(views.places(store, f, p.limit, p.offset, name=name or None))


@router.get("/places/{place_id}", tags=["actors and places"],
            summary="One place and the events reported there", responses=_404)
def get_place(place_id: str, store: StoreDep, p: PagingDep) -> JSONResponse:
    info = store.web_place(place_id)
    if info is None:
        raise _missing("place", place_id)
    events = views.events(store, views.Filters(), p.limit, p.offset, at=place_id)
    return _json({"place": info, "events": _page_body(events)})


@router.get("/outlets", tags=["outlets"],
            summary="How each outlet reports, side by side, most articles first",
            responses={200: {"model": schemas.Page[schemas.OutletRow]}, **_422})
def list_outlets(store: StoreDep, f: FiltersDep, p: PagingDep) -> JSONResponse:
    rows = views.outlets(store, f)
    return _page(views.Page(len(rows), p.limit, p.offset, rows[p.offset : p.offset + p.limit]))


@router.get("/search", tags=["articles"],
            summary="Full-text search: articles whose title or text contains q",
            responses={200: {"model": schemas.Page[schemas.ArticleRow]}, **_422})
def search(
    store: StoreDep, f: FiltersDep, p: PagingDep,
) -> JSONResponse:
    if not f.q:
        raise HTTPException(422, "q is required: the words to search for")
    return _page(views.articles(store, f, p.limit, p.offset))


@router.get("/alerts", tags=["watch"],
            summary="Alerts `triangulate watch` raised, newest first, each with its story and "
            "evidence",
            responses={200: {"model": schemas.AlertPage}, **_422})
def list_alerts(
    store: StoreDep, p: PagingDep, since: SinceDep,
    kind: Annotated[str | None, Query(pattern=KIND_PATTERN, description="new_story, "
                                      "toll_changed, contested_figure, contradiction or "
                                      "position_changed")] = None,
) -> JSONResponse:
    return _page(views.alerts(store, since, kind or None, p.limit, p.offset))


# ----------------------------------------------------------------------------- toll tracker


@router.get("/tolls", tags=["stories"],
            summary="Cumulative tolls as series over time, per speaker and place",
            responses={200: {"model": schemas.TollPage}, **_422})
def list_tolls(
    store: StoreDep, p: PagingDep,
    what: Annotated[str | None, Query(max_length=100, description="killed, injured, "
                                      "displaced, hostages, ...")] = None,
    speaker: Annotated[str | None, Query(max_length=200, description="a speaker id or words "
                                         "it contains; an outlet for its own count")] = None,
    place: Annotated[str | None, Query(max_length=200, description="ISO alpha-3 code or "
                                       "words of the place's name")] = None,
) -> JSONResponse:
    """A running count ("30,035 killed since the war began") is never a story's incident
    toll: each series is one speaker's count for one place, by date, every value with its
    article, words and sentence (``evidence``, ``sentence``: offsets into the article)."""
    return _page(views.tolls(store, p.limit, p.offset, what or None, speaker or None,
                             place or None))
