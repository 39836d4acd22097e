"""What the API and the pages show, built from the store and the link library.

Both the JSON API and the HTML pages call these functions, so a page and its endpoint can
never disagree; they are the same library calls the CLI makes (store queries, link.timeline).
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from triangulate import export
from triangulate.app.deps import Filters
from triangulate.export.common import Selection, in_range
from triangulate.export.geojson import MapPoint
from triangulate.export.geojson import map_points as points_of
from triangulate.link.measure import interval
from triangulate.link.timeline import TimelineEntry, timeline
from triangulate.model import Analysis, Contradiction, Story, from_dict
from triangulate.store import Store


@dataclass
class Page:
    total: int
    limit: int
    offset: int
    items: list[Any] = field(default_factory=list)


def _in_range(date: str | None, precision: str | None, f: Filters) -> bool:
    """A story is in a date range when the days its date may mean overlap the range (a
    March story is in a range starting 15 March), as the CLI's timeline decides."""
    return in_range(date, precision, f.start, f.end)


def _stories(store: Store, ids: list[str]) -> list[Story]:
    """Story records in the order of ``ids``."""
    by_id = {s.id: s for s in store.story_records(ids=ids)}
    return [by_id[i] for i in ids if i in by_id]


# ----------------------------------------------------------------------------- articles


def articles(store: Store, f: Filters, limit: int, offset: int) -> Page:
    total, rows = store.web_articles(f.scope(store), limit, offset)
    return Page(total, limit, offset, rows)


def analysis(store: Store, article_id: str) -> Analysis | None:
    """The stored analysis, or a bare record (text and metadata only) for an article not
    analysed yet; None for an unknown id."""
    found = store.analysis(article_id)
    if found is not None:
        return found
    row = store.web_article(article_id)
    if row is None:
        return None
    return Analysis(
        id=row["id"], url=row["url"], outlet=row["outlet"], title=row["title"],
        author=row["author"], published=row["published"], language=row["language"] or "en",
        text=row["text"], duplicate_of=row["duplicate_of"],
    )


@dataclass
class ArticleLinks:
    """Where an article's items lead: its events' and figures' stories."""

    event_story: dict[str, str]
    figure_story: dict[str, str]
    stories: list[Story]


def article_links(store: Store, article_id: str) -> ArticleLinks:
    event_story = store.web_article_stories(article_id)
    stories = _stories(store, sorted(set(event_story.values())))
    figure_story = {
        v.figure: s.id
        for s in stories for line in s.figures for v in line.values if v.article == article_id
    }
    return ArticleLinks(event_story, figure_story, stories)


# ----------------------------------------------------------------------------- stories


@dataclass(frozen=True)
class StoryRow:
    id: str
    date: str | None
    precision: str | None
    type: str


def story_rows(
    store: Store, f: Filters, contested: bool | None = None, reported: bool | None = True,
    order: str = "sources",
) -> list[StoryRow]:
    """The stories in scope as light rows (no records parsed), dates filtered."""
    rows = store.web_stories(f.scope(store), contested=contested, reported=reported,
                             order=order)
    return [StoryRow(*r) for r in rows if _in_range(r[1], r[2], f)]


def story_ids(
    store: Store, f: Filters, contested: bool | None = None, reported: bool | None = True,
    order: str = "sources",
) -> list[str]:
    return [r.id for r in story_rows(store, f, contested, reported, order)]


def stories(
    store: Store, f: Filters, limit: int, offset: int, contested: bool | None = None,
    reported: bool | None = True, order: str = "sources",
) -> Page:
    ids = story_ids(store, f, contested, reported, order)
    return Page(len(ids), limit, offset, _stories(store, ids[offset : offset + limit]))


def story(store: Store, story_id: str) -> Story | None:
    found = store.story_records(ids=[story_id])
    return found[0] if found else None


def contradictions(
    store: Store, f: Filters, limit: int, offset: int, field_name: str | None = None
) -> Page:
    rows = [
        record for _, date, precision, record in store.web_contradictions(f.scope(store), field_name)
        if _in_range(date, precision, f)
    ]
    items = [from_dict(Contradiction, json.loads(r)) for r in rows[offset : offset + limit]]
    return Page(len(rows), limit, offset, items)


def _chronological(row: StoryRow) -> tuple:
    # The order link.timeline gives: by the interval a date means, undated last.
    span = interval(row.date, row.precision)
    return (span is None, span[0] if span else 0, span[1] if span else 0, row.id)


def timeline_rows(store: Store, f: Filters) -> list[StoryRow]:
    """Every story in scope, oldest first; stories only mentioned in passing are included:
    they are events too. With a date range, undated stories are left out."""
    rows = story_rows(store, f, reported=None)
    if f.start or f.end:
        rows = [r for r in rows if r.date]
    return sorted(rows, key=_chronological)


def timeline_entries(store: Store, f: Filters, rows: list[StoryRow]) -> list[TimelineEntry]:
    """Timeline entries (link.timeline) of the given rows, with the actor's role when the
    filters name an actor."""
    scope = f.scope(store)
    roles = store.story_roles(scope.actor_ids) if scope.actor_ids is not None else None
    return timeline(_stories(store, [r.id for r in rows]), roles=roles)


def timeline_page(store: Store, f: Filters, limit: int, offset: int) -> Page:
    rows = timeline_rows(store, f)
    return Page(len(rows), limit, offset,
                timeline_entries(store, f, rows[offset : offset + limit]))


# ----------------------------------------------------------------------------- actors, places


def actors(store: Store, f: Filters, limit: int, offset: int, kind: str | None = None,
           name: str | None = None) -> Page:
    total, rows = store.web_actors(f.scope(store), limit, offset, kind=kind, name=name)
    return Page(total, limit, offset, rows)


def actor(store: Store, actor_id: str) -> dict[str, Any] | None:
    """An actor's record: what it did, what was done to it, what it claimed, and how each
    outlet covered it. Its ids roll up as the CLI's `actor` command rolls them up."""
    info = store.web_actor(actor_id)
    if info is None:
        return None
    ids = sorted({actor_id, *store.resolve_actors(actor_id)})
    roles = store.story_roles(ids)
    entries = timeline(store.story_records(ids=list(roles)), roles=roles)
    claims = [
        {"article": a, "outlet": o, "published": p, "speaker": sp, "stance": st,
         "content": c, "start": s, "end": e}
        for a, o, p, sp, st, c, s, e in store.claims_by(ids)
    ]
    return {
        "actor": info, "ids": ids,
        "did": [e for e in entries if "actor" in (e.role or "")],
        "done_to": [e for e in entries if "target" in (e.role or "")],
        "claimed": claims,
        "outlets": store.web_actor_outlets(ids),
    }


def places(store: Store, f: Filters, limit: int, offset: int, name: str | None = None) -> Page:
    total, rows = store.web_places(f.scope(store), limit, offset, name=name)
    return Page(total, limit, offset, rows)


def events(store: Store, f: Filters, limit: int, offset: int, at: str | None = None) -> Page:
    total, rows = store.web_events(f.scope(store), limit, offset, at=at)
    return Page(total, limit, offset, rows)


def download(store: Store, f: Filters, fmt: str, unit: str = "stories",
             all_stories: bool = False, contested: bool = False) -> export.Export:
    """The export (export.build, as `triangulate export` writes it) of a list page's rows:
    the filters' dates are matched on the stories' and events' own dates."""
    scope = dataclasses.replace(f.scope(store), start=None, end=None)
    selection = Selection(start=f.start, end=f.end, all=all_stories,
                          contested=True if contested else None)
    return export.build(store, fmt, unit, selection=selection, scope=scope)


def map_points(store: Store, f: Filters) -> list[MapPoint]:
    """Event mentions grouped by the place they happened at, most events first: the GeoJSON
    event export (what /download/map.geojson serves), grouped."""
    return points_of(download(store, f, "geojson", "events").payload)


# ----------------------------------------------------------------------------- outlets


BREAKDOWNS = {"genre": "genres", "technique": "techniques_by_kind", "stance": "claim_stances",
              "speaker": "speakers", "event_type": "event_types"}


def outlets(store: Store, f: Filters) -> list[dict[str, Any]]:
    """One row per outlet with how it reports: genre mix, claim stances, techniques, who it
    quotes most, event types. Copies count as articles of the outlet that ran them."""
    scope = f.scope(store)
    rows = store.web_outlets(scope)
    by_outlet: dict[str | None, dict[str, Any]] = {r["outlet"]: r for r in rows}
    for r in rows:
        for key in BREAKDOWNS.values():
            r[key] = {}
    for kind, key in BREAKDOWNS.items():
        for outlet, value, n in store.web_outlet_breakdown(scope, kind):
            if outlet in by_outlet:
                by_outlet[outlet][key][value] = n
    for r in rows:
        r["speakers"] = dict(list(r["speakers"].items())[:8])
    return rows


def outlet_stances(store: Store, f: Filters, actor_ids: list[str]) -> dict[str | None, dict]:
    """outlet -> actor -> (mean stance score, articles), from the framing stage."""
    table: dict[str | None, dict] = defaultdict(dict)
    for outlet, actor_id, score, n in store.web_outlet_stances(f.scope(store), actor_ids):
        table[outlet][actor_id] = (score, n)
    return table


# ----------------------------------------------------------------------------- overview


def most_contested(stories_: list[Story], limit: int = 8) -> list[dict[str, Any]]:
    """Contested figure lines, widest disagreement first (highest over lowest value)."""
    out = []
    for s in stories_:
        for line in s.figures:
            if not line.contested:
                continue
            values = [v.value for v in line.values if isinstance(v.value, int | float)]
            positive = [v for v in values if v > 0]
            if not positive:
                continue
            spread = max(positive) / min(positive)
            # The same value given by several outlets is one side of the dispute.
            shown = list(dict.fromkeys((v.hedge, v.value) for v in line.values))
            out.append({"story": s, "line": line, "low": min(values), "high": max(values),
                        "spread": spread, "values": shown})
    out.sort(key=lambda r: (-r["spread"], -len(r["line"].values), r["story"].id))
    return out[:limit]


def overview(store: Store) -> dict[str, Any]:
    empty = Filters()
    latest = _stories(store, story_ids(store, empty, order="date")[:8])
    # The best-sourced contested stories: enough to rank disputes, never the whole store.
    contested = _stories(store, story_ids(store, empty, contested=True)[:300])
    return {
        "counts": store.counts(),
        "latest": latest,
        "contested": most_contested(contested),
        "outlets": store.outlet_counts(),
        "dated": timeline_rows(store, empty),
    }


def search(store: Store, f: Filters, limit: int, offset: int) -> dict[str, Any]:
    """Articles whose title or text contains ``f.q``, and stories whose title does."""
    found = articles(store, f, limit, offset)
    ids = story_ids(store, f, reported=None)
    return {"articles": found, "stories": _stories(store, ids[:20]), "story_total": len(ids)}


# ----------------------------------------------------------------------------- alerts (watch/)


def alerts(store: Store, since: str | None, kind: str | None, limit: int, offset: int) -> Page:
    """Alerts `triangulate watch` raised, newest first."""
    total, items = store.alert_records(since=since, kind=kind, limit=limit, offset=offset)
    return Page(total, limit, offset, items)
