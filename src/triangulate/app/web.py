"""The web app's pages: server-rendered Jinja2 templates over the same views as the API.

Templates autoescape everything; the only markup built in Python (highlights, charts, the
map) escapes every value itself (highlight.py, svg.py).
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from triangulate import export
from triangulate.app import adding, highlight, svg, views
from triangulate.app.deps import (
    DATE_PATTERN,
    KIND_PATTERN,
    Filters,
    FiltersDep,
    PagingDep,
    SinceDep,
    StoreDep,
)
from triangulate.app.writer import Busy
from triangulate.export.common import CONTRADICTION_COLUMNS, contradiction_sides
from triangulate.link import negotiations
from triangulate.link.timeline import show_date
from triangulate.model import ISSUES, PLOVER_TYPES, STANCES, Story

TEMPLATES = Path(__file__).resolve().parent / "templates"

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True,
    lstrip_blocks=True, undefined=jinja2.StrictUndefined,
)
templates = Jinja2Templates(env=_env)
router = APIRouter(include_in_schema=False)


def _num(value: Any, digits: int = 0) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and (digits == 0 and value.is_integer()):
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.{digits or 1}f}"
    return str(value)


def _q(value: str) -> str:
    return quote(str(value), safe="")


def _qp(value: str) -> str:
    # Article ids are paths ("html/ledger-..."): their slashes stay readable in links.
    return quote(str(value), safe="/")


def _who(speaker: str | None) -> str:
    """A speaker as a reader says it: linking marks an outlet's own voice "outlet:Name"
    and an unnamed source "src:words"."""
    if not speaker:
        return ""
    if speaker.startswith("outlet:"):
        return f"the outlet ({speaker[7:]})"
    return speaker[4:] if speaker.startswith("src:") else speaker


_env.filters.update(num=_num, q=_q, qp=_qp, show_date=show_date, colour=svg.colour, who=_who)
_env.globals.update(TYPES=PLOVER_TYPES, LAYERS=highlight.LAYERS,
                    LAYER_LABELS=highlight.LAYER_LABELS)


def _render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)


def error_page(request: Request, status: int, detail: str) -> HTMLResponse:
    return _render(request, "error.html", status=status, code=status, detail=detail,
                   title=f"Error {status}")


def _link(path: str, params: dict[str, Any]) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "", False)}
    return path + ("?" + urlencode(clean) if clean else "")


def _pager(path: str, f: Filters, page: views.Page, **extra: Any) -> dict[str, Any]:
    base = {**f.query(), **extra, "limit": page.limit if page.limit != 50 else None}
    prev = (_link(path, {**base, "offset": max(page.offset - page.limit, 0) or None})
            if page.offset > 0 else None)
    nxt = (_link(path, {**base, "offset": page.offset + page.limit})
           if page.offset + page.limit < page.total else None)
    return {"prev": prev, "next": nxt, "first": page.offset + 1 if page.total else 0,
            "last": min(page.offset + page.limit, page.total), "total": page.total}


def _form(store, f: Filters, path: str, **extra: Any) -> dict[str, Any]:
    page = path.strip("/")
    query = {**f.query(), **{k: "true" if v is True else v for k, v in extra.items()
                             if k in ("all", "contested", "field") and v}}
    downloads = [(label, _link(f"/download/{page}.{ext}", query))
                 for ext, label in (("csv", "CSV"), ("geojson", "GeoJSON"))
                 if ext in DOWNLOADS.get(page, {})]
    return {"action": path, "f": f, "outlets": store.web_outlet_names(), "extra": extra,
            "downloads": downloads}


# ----------------------------------------------------------------------------- downloads

# page -> extension -> what is written: an export (format, unit) through export.build, the
# function `triangulate export` calls, or "rows": the page's own rows as CSV.
DOWNLOADS: dict[str, dict[str, tuple[str, str] | str]] = {
    "stories": {"csv": ("acled", "stories"), "geojson": ("geojson", "stories")},
    "timeline": {"csv": ("acled", "stories"), "geojson": ("geojson", "stories")},
    "map": {"csv": ("acled", "events"), "geojson": ("geojson", "events")},
    "contradictions": {"csv": "rows"},
    "articles": {"csv": "rows"},
    "actors": {"csv": "rows"},
    "outlets": {"csv": "rows"},
}
_MEDIA = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json"}
_EVERY_ROW = 10_000_000


@router.get("/download/{name}")
def download(
    name: str, store: StoreDep, f: FiltersDep,
    all: Annotated[bool, Query()] = False,
    contested: Annotated[bool, Query()] = False,
    field: Annotated[str | None, Query(max_length=100)] = None,
):
    """A list page's rows, every page of them, with the page's filters: stories, the
    timeline and the map as ACLED-style CSV and GeoJSON (the `triangulate export` files),
    the other lists as CSV of the rows they show."""
    page, _, ext = name.rpartition(".")
    what = DOWNLOADS.get(page, {}).get(ext)
    if what is None:
        raise HTTPException(404, f"no download {name!r}")
    if isinstance(what, tuple):
        # The timeline lists stories only mentioned in passing too; the stories page on ?all.
        result = views.download(store, f, what[0], what[1], all_stories=all or page == "timeline",
                                contested=contested and page == "stories")
        body = result.text()
    else:
        rows, columns = _page_rows(store, f, page, field)
        body = export.csv_text(rows, columns)
    return Response(body, media_type=_MEDIA[ext], headers={
        "Content-Disposition": f'attachment; filename="triangulate-{page}.{ext}"'})


def _page_rows(store, f: Filters, page: str, field: str | None) -> tuple[list[dict], list[str]]:
    if page == "contradictions":
        found = views.contradictions(store, f, _EVERY_ROW, 0, field or None).items
        return contradiction_sides(found), CONTRADICTION_COLUMNS
    if page == "articles":
        rows = views.articles(store, f, _EVERY_ROW, 0).items
    elif page == "actors":
        rows = views.actors(store, f, _EVERY_ROW, 0).items
    else:
        rows = views.outlets(store, f)
    return rows, list(rows[0]) if rows else ["id"]


# ----------------------------------------------------------------------------- overview


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, store: StoreDep):
    data = views.overview(store)
    chart = svg.timeline_chart(
        [(r.date, r.precision, r.type) for r in data["dated"]],
        lambda lo, hi, t: _link("/timeline", {"from": lo, "to": hi, "type": t}),
        height=220,
    )
    return _render(request, "overview.html", title="Overview", chart=chart, **data)


# ----------------------------------------------------------------------------- articles


@router.get("/articles", response_class=HTMLResponse)
def articles(request: Request, store: StoreDep, f: FiltersDep, p: PagingDep):
    page = views.articles(store, f, p.limit, p.offset)
    return _render(request, "articles.html", title="Articles", page=page,
                   pager=_pager("/articles", f, page), form=_form(store, f, "/articles"))


_FOCUS = re.compile(r"^(\d{1,9})-(\d{1,9})$")


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def reader(
    request: Request, article_id: str, store: StoreDep,
    focus: Annotated[str | None, Query(pattern=r"^(\d{1,9}-\d{1,9})?$")] = None,
):
    a = views.analysis(store, article_id)
    if a is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    links = views.article_links(store, article_id)
    marks = highlight.marks_of(a, links)
    span = None
    if focus and (m := _FOCUS.match(focus)):
        span = (int(m[1]), int(m[2]))
    row = store.web_article(article_id) or {}
    return _render(
        request, "reader.html", title=a.title or a.id, a=a, body=highlight.render(a.text, marks, span),
        counts=highlight.layer_counts(marks), links=links, row=row,
        copies=store.web_copies(article_id), analysed=a.genre is not None or bool(a.events),
        failure=next(iter(store.failures([article_id])), None),
    )


# ----------------------------------------------------------------------------- stories


@router.get("/stories", response_class=HTMLResponse)
def stories(
    request: Request, store: StoreDep, f: FiltersDep, p: PagingDep,
    contested: Annotated[bool, Query()] = False,
    all: Annotated[bool, Query()] = False,
):
    page = views.stories(store, f, p.limit, p.offset, contested=True if contested else None,
                         reported=None if all else True)
    return _render(request, "stories.html", title="Stories", page=page,
                   pager=_pager("/stories", f, page, contested=contested, all=all),
                   form=_form(store, f, "/stories", contested=contested, all=all))


def _figure_rows(s: Story) -> list[dict[str, Any]]:
    """The figure lines with each value marked: in an updated line, a later value that
    differs from the first one given is an update; in a contested line, a value its source
    later replaced is shown as earlier (the contest is between current values)."""
    out = []
    for line in s.figures:
        earlier = {id(v) for v in line.earlier}
        values = sorted([*line.values, *line.earlier],
                        key=lambda v: (v.published or "", v.outlet or "", v.article))
        current = [v for v in values if id(v) not in earlier]
        first = values[0].value if values else None
        rows = []
        for v in values:
            updated = line.updated and v.value != first and (v.published or "") > (values[0].published or "")
            rows.append({"v": v, "updated": updated, "earlier": id(v) in earlier,
                         "extreme": line.contested and id(v) not in earlier and v.value in (
                             max(x.value for x in current), min(x.value for x in current))})
        out.append({"line": line, "values": rows})
    return out


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(request: Request, story_id: str, store: StoreDep):
    s = views.story(store, story_id)
    if s is None:
        if moved := store.story_redirect(story_id):  # joined into another story
            return RedirectResponse(quote(moved, safe=""), status_code=301)
        raise HTTPException(404, f"no story with id {story_id!r}")
    members = store.web_story_members(story_id)
    reported = {a.id for a in s.articles}
    sources: dict[str, dict[str, Any]] = {}
    for m in members:
        src = sources.setdefault(m["article_id"], {
            "id": m["article_id"], "outlet": m["outlet"], "title": m["title"],
            "published": m["published"], "copy_of": m["duplicate_of"], "evidence": {},
            "reported": m["article_id"] in reported,
        })
        # Several events of one article often cite one sentence: show it once.
        key = (m["evidence_start"], m["evidence_end"])
        src["evidence"].setdefault(key, {"start": key[0], "end": key[1], "text": m["evidence"],
                                         "events": []})["events"].append(m)
    for src in sources.values():
        src["evidence"] = sorted(src["evidence"].values(), key=lambda e: e["start"])
    ordered = sorted(sources.values(), key=lambda r: (not r["reported"], r["published"] or "",
                                                      r["id"]))
    strip = svg.reports_strip([
        {**r, "copy": bool(r["copy_of"]), "href": f"/articles/{_qp(r['id'])}"} for r in
        sorted(ordered, key=lambda r: (r["published"] or "", r["id"]))
    ])
    return _render(request, "story.html", title=s.title or s.id, s=s, sources=ordered,
                   figures=_figure_rows(s), strip=strip)


@router.get("/contradictions", response_class=HTMLResponse)
def contradictions(
    request: Request, store: StoreDep, f: FiltersDep, p: PagingDep,
    field: Annotated[str | None, Query(max_length=100)] = None,
):
    page = views.contradictions(store, f, p.limit, p.offset, field or None)
    titles = {s.id: s for s in views._stories(store, sorted({c.story for c in page.items if c.story}))}
    return _render(request, "contradictions.html", title="Contradictions", page=page,
                   stories=titles, pager=_pager("/contradictions", f, page, field=field),
                   form=_form(store, f, "/contradictions", field=field or ""))


@router.get("/timeline", response_class=HTMLResponse)
def timeline(request: Request, store: StoreDep, f: FiltersDep, p: PagingDep):
    rows = views.timeline_rows(store, f)
    chart = svg.timeline_chart(
        [(r.date, r.precision, r.type) for r in rows],
        lambda lo, hi, t: _link("/timeline", {**f.query(), "from": lo, "to": hi, "type": t}),
    )
    page = views.Page(len(rows), p.limit, p.offset,
                      views.timeline_entries(store, f, rows[p.offset : p.offset + p.limit]))
    return _render(request, "timeline.html", title="Timeline", page=page, chart=chart,
                   pager=_pager("/timeline", f, page), form=_form(store, f, "/timeline"))


# ----------------------------------------------------------------------------- negotiations


@router.get("/negotiations", response_class=HTMLResponse)
def negotiations_page(
    request: Request, store: StoreDep,
    party: Annotated[str | None, Query(max_length=200)] = None,
    issue: Annotated[str | None, Query(max_length=50)] = None,
    start: Annotated[str | None, Query(alias="from", pattern=DATE_PATTERN)] = None,
    end: Annotated[str | None, Query(alias="to", pattern=DATE_PATTERN)] = None,
):
    try:
        cells = negotiations.matrix(store, party or None, issue or None, start or None,
                                    end or None)
    except negotiations.QueryError as exc:
        raise HTTPException(422, str(exc)) from exc
    parties = list({c.party: {"id": c.party, "name": c.party_name} for c in cells}.values())
    issues = [i for i in ISSUES if any(c.issue == i for c in cells)]
    by_cell = {(c.party, c.issue): c for c in cells}

    def href(r) -> str:
        return (f"/articles/{_qp(r.article)}?focus={r.evidence.start}-{r.evidence.end}#focus"
                if r.evidence else f"/articles/{_qp(r.article)}")

    timelines = {
        i: svg.stance_timeline(i, [(c.party_name, c.history) for c in cells if c.issue == i], href)
        for i in issues
    }
    history = None
    if party and issue:
        history = sorted((r for c in cells for r in c.history), key=lambda r: (r.day or "", r.article))
    return _render(request, "negotiations.html", title="Negotiations", parties=parties,
                   issues=issues, cells=by_cell, timelines=timelines, history=history,
                   party=party, issue=issue, start=start, end=end, ISSUE_NAMES=ISSUES,
                   STANCE_NAMES=STANCES)


# ----------------------------------------------------------------------------- toll tracker


@router.get("/tolls", response_class=HTMLResponse)
def tolls(
    request: Request, store: StoreDep, p: PagingDep,
    what: Annotated[str | None, Query(max_length=100)] = None,
    speaker: Annotated[str | None, Query(max_length=200)] = None,
    place: Annotated[str | None, Query(max_length=200)] = None,
):
    page = views.tolls(store, p.limit, p.offset, what or None, speaker or None, place or None)
    series = []
    for t in page.items:
        rows = [_toll_row(t, point) for point in t.points]
        chart = svg.toll_chart([{"date": r["date"], "value": r["value"], "hedge": r["hedge"],
                                 "label": r["label"], "href": r["href"]} for r in rows])
        series.append({"t": t, "rows": rows, "chart": chart})
    query = {"what": what, "speaker": speaker, "place": place}
    return _render(request, "tolls.html", title="Tolls", page=page, series=series,
                   query=query, pager=_pager("/tolls", Filters(), page, **query))


def _toll_row(t, point) -> dict[str, Any]:
    """One value of a series: what the chart and the table show; the dot links to the
    reader at the value's sentence."""
    focus = point.sentence or point.evidence
    who = point.speaker or f"{point.outlet or 'the outlet'} (own count)"
    value = f"{point.hedge + ' ' if point.hedge else ''}{_num(point.value)}"
    return {
        "p": point, "date": point.date, "value": point.value, "hedge": point.hedge,
        "text": value,
        "href": (f"/articles/{_qp(point.article)}?focus={focus.start}-{focus.end}#focus"
                 if focus else f"/articles/{_qp(point.article)}"),
        "label": f"{point.date}: {value} {t.what} {t.who} ({who})",
    }


# ----------------------------------------------------------------------------- map


@router.get("/map", response_class=HTMLResponse)
def map_page(
    request: Request, store: StoreDep, f: FiltersDep,
    at: Annotated[str | None, Query(max_length=200, description="a place id to show")] = None,
    country: Annotated[str | None, Query(pattern=r"^([A-Za-z]{2})?$")] = None,
):
    # `at` picks one place to show; `place` stays the filter every list takes.
    place = at or None
    points = views.map_points(store, f)
    selected = store.web_place(place) if place else None
    if place and selected is None:
        raise HTTPException(404, f"no place with id {place!r}")
    base = f.query()
    dots = [
        svg.Dot(p.id, p.name, p.lat, p.lon, p.count, p.types,
                _link("/map", {**base, "at": p.id}), selected=bool(place) and p.id == place)
        for p in points
    ]
    extent, min_span = None, 6.0
    if selected and selected["lat"] is not None:
        extent = (selected["lon"] - 1, selected["lat"] - 1, selected["lon"] + 1, selected["lat"] + 1)
        if not any(d.selected for d in dots):
            dots.append(svg.Dot(selected["id"], selected["name"], selected["lat"],
                                selected["lon"], 0, Counter(), "#", selected=True))
    elif country:
        # The country's events, not its outline: a war is fought in a corner of a country.
        inside = [p for p in points if p.country == country.upper()]
        if inside:
            extent = (min(p.lon for p in inside), min(p.lat for p in inside),
                      max(p.lon for p in inside), max(p.lat for p in inside))
            min_span = 2.5
        else:
            extent = svg.country_extent(country.upper())
    by_country: Counter = Counter()
    for p in points:
        if p.country:
            by_country[p.country] += p.count
    drawn = svg.world_map(dots, extent=extent, shade=set(by_country), min_span=min_span)
    events = views.events(store, Filters(), 200, 0, at=place) if place else None
    return _render(request, "map.html", title="Map", svg_map=drawn, points=points[:40],
                   selected=selected, events=events, countries=by_country.most_common(10),
                   country_names=svg.country_names(),
                   base=base, form=_form(store, f, "/map"))


# ----------------------------------------------------------------------------- actors, outlets


@router.get("/actors", response_class=HTMLResponse)
def actors(
    request: Request, store: StoreDep, f: FiltersDep, p: PagingDep,
    kind: Annotated[str | None, Query(max_length=50)] = None,
    name: Annotated[str | None, Query(max_length=200)] = None,
):
    page = views.actors(store, f, p.limit, p.offset, kind=kind or None, name=name or None)
    return _render(request, "actors.html", title="Actors", page=page,
                   pager=_pager("/actors", f, page, kind=kind, name=name),
                   form=_form(store, f, "/actors", kind=kind or "", name=name or ""))


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor(request: Request, actor_id: str, store: StoreDep):
    data = views.actor(store, actor_id)
    if data is None:
        raise HTTPException(404, f"no actor with id {actor_id!r}")
    return _render(request, "actor.html", title=data["actor"]["name"] or actor_id, **data)


@router.get("/outlets", response_class=HTMLResponse)
def outlets(request: Request, store: StoreDep, f: FiltersDep):
    rows = views.outlets(store, f)
    top_actors = [r["id"] for r in store.web_actors(f.scope(store), 8, 0, kind=None)[1]]
    stances = views.outlet_stances(store, f, top_actors)
    techniques = sorted({t for r in rows for t in r["techniques_by_kind"]})
    stance_kinds = sorted({t for r in rows for t in r["claim_stances"]})
    genres = sorted({t for r in rows for t in r["genres"]})
    types = [t for t in PLOVER_TYPES if any(t in r["event_types"] for r in rows)]
    return _render(request, "outlets.html", title="Outlets", rows=rows, stances=stances,
                   top_actors=top_actors, techniques=techniques, stance_kinds=stance_kinds,
                   genres=genres, types=types, form=_form(store, f, "/outlets"))


# ----------------------------------------------------------------------------- search


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, store: StoreDep, f: FiltersDep, p: PagingDep):
    result = views.search(store, f, p.limit, p.offset) if f.q else None
    marked = []
    if result:
        for row in result["articles"].items:
            marked.append({**row, "parts": _split_match(row.get("snippet") or "", f.q or "")})
    return _render(request, "search.html", title="Search", result=result, rows=marked,
                   pager=_pager("/search", f, result["articles"]) if result else None,
                   form=_form(store, f, "/search"))


def _split_match(snippet: str, q: str) -> list[tuple[str, bool]]:
    """The snippet cut into (text, is_match) pieces, so the template marks matches while
    escaping everything."""
    if not snippet or not q:
        return [(snippet, False)]
    pieces = re.split(f"({re.escape(q)})", snippet, flags=re.IGNORECASE)
    return [(piece, k % 2 == 1) for k, piece in enumerate(pieces) if piece]


# ----------------------------------------------------------------------------- add


@router.get("/add", response_class=HTMLResponse)
def add_form(request: Request):
    return _render(request, "add.html", title="Add articles", error=None, values={})


@router.post("/add", response_class=HTMLResponse)
async def add_submit(
    request: Request,
    text: Annotated[str, Form()] = "",
    title: Annotated[str, Form(max_length=1000)] = "",
    outlet: Annotated[str, Form(max_length=200)] = "",
    published: Annotated[str, Form(pattern=DATE_PATTERN)] = "",
    url: Annotated[str, Form(max_length=2000)] = "",
    author: Annotated[str, Form(max_length=500)] = "",
    file: Annotated[UploadFile | None, File()] = None,
):
    values = {"title": title, "outlet": outlet, "published": published, "url": url,
              "author": author}
    data = await file.read() if file is not None and file.filename else None
    add = adding.Add(text=text, meta=values, filename=file.filename if file else None, data=data)
    try:
        result = await asyncio.wrap_future(request.app.state.writer.submit(add))
    except (adding.BadInput, Busy) as exc:
        busy = isinstance(exc, Busy)
        page = _render(request, "add.html", status=503 if busy else 400, title="Add articles",
                       error=str(exc), values={**values, "text": text})
        if busy:
            page.headers["Retry-After"] = str(exc.retry_after)
        return page
    return _render(request, "added.html", title="Articles added", result=result)


# ----------------------------------------------------------------------------- since (watch/)


def _vs(value: Any) -> str:
    """An alert's old or new value: a list of values set against each other, or one."""
    if isinstance(value, list):
        return " vs ".join(_num(v) for v in value)
    return _num(value)


_env.filters.update(vs=_vs)


@router.get("/since", response_class=HTMLResponse)
def since_page(
    request: Request, store: StoreDep, p: PagingDep, since: SinceDep,
    kind: Annotated[str | None, Query(pattern=KIND_PATTERN)] = None,
):
    from triangulate.model import ALERT_KINDS
    from triangulate.watch.digest import KIND_LABELS

    page = views.alerts(store, since, kind or None, p.limit, p.offset)
    given = request.query_params.get("since") or ""
    return _render(request, "since.html", title="Since…", page=page, since=given,
                   kind=kind or "", kinds=ALERT_KINDS, labels=KIND_LABELS,
                   pager=_pager("/since", Filters(), page, since=given, kind=kind))


# ----------------------------------------------------------------------------- API docs


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request):
    """The OpenAPI schema as a page: the stock Swagger page needs a CDN."""
    schema = request.app.openapi()
    endpoints = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                {"name": p["name"], "in": p["in"], "required": p.get("required", False),
                 "type": _schema_type(p.get("schema", {})), "description": p.get("description")
                 or p.get("schema", {}).get("description", "")}
                for p in op.get("parameters", [])
            ]
            body = op.get("requestBody", {}).get("content", {})
            endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary"),
                              "tags": op.get("tags", []), "params": params,
                              "body": sorted(body), "responses": sorted(op.get("responses", {}))})
    grouped: dict[str, list] = defaultdict(list)
    for e in endpoints:
        grouped[(e["tags"] or ["other"])[0]].append(e)
    return _render(request, "docs.html", title="API", groups=dict(grouped),
                   info=schema.get("info", {}))


def _schema_type(schema: dict) -> str:
    if "anyOf" in schema:
        return " | ".join(_schema_type(s) for s in schema["anyOf"] if s.get("type") != "null")
    kind = schema.get("type", "")
    pattern = schema.get("pattern")
    if pattern and (m := re.fullmatch(r"\^\(([\w|]+)\)\??\$", pattern)):
        kind += ": one of " + ", ".join(m[1].split("|"))
    elif pattern:
        kind += f" ({pattern})"
    for bound, sign in (("minimum", ">="), ("maximum", "<=")):
        if bound in schema:
            kind += f" {sign}{schema[bound]}"
    if "default" in schema and schema["default"] is not None:
        kind += f", default {schema['default']}"
    return kind
