"""GeoJSON (RFC 7946) FeatureCollections of stories and of event mentions.

The web app's map is drawn from :func:`event_collection` through :func:`map_points`, so a
downloaded collection and the map show the same points with the same properties. Items with
no coordinates have no place on a map and are left out (and counted). Mapping: docs/exports.md.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from triangulate.export.common import Names, country, figure_kind, incident_toll
from triangulate.model import Story


def _point(lat: float | None, lon: float | None) -> dict[str, Any] | None:
    if lat is None or lon is None:
        return None
    # RFC 7946: longitude first; six decimals are ~10 cm, more than any gazetteer knows.
    return {"type": "Point", "coordinates": [round(float(lon), 6), round(float(lat), 6)]}


def collection(features: list[dict[str, Any]], **members: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", **members, "features": features}


def event_features(rows: list[dict], names: Names,
                   skipped: Counter | None = None) -> list[dict[str, Any]]:
    """One Point per event mention (common.select_events rows) at a place with coordinates."""
    skipped = Counter() if skipped is None else skipped
    out = []
    for r in rows:
        geometry = _point(r["lat"], r["lon"])
        if geometry is None:
            skipped["no coordinates"] += 1
            continue
        where = country(r["place_country"])
        out.append({
            "type": "Feature",
            "id": f"{r['article']}#{r['event']}",
            "geometry": geometry,
            "properties": {
                "article": r["article"], "event": r["event"], "story": r.get("story"),
                "outlet": r["outlet"], "published": r["published"],
                "type": r["type"], "mode": r["mode"],
                "actor": r["actor"], "actor_name": names.actor_name(r["actor"]),
                "target": r["target"], "target_name": names.actor_name(r["target"]),
                "place": r["place"], "place_name": r["place_name"] or r["place"],
                "place_country": where.iso2 if where else r["place_country"],
                "place_kind": r["place_kind"],
                "date": r["date"], "date_precision": r["date_precision"],
                "trigger": r["trigger"], "evidence": r["evidence"],
                "evidence_start": r["evidence_start"], "evidence_end": r["evidence_end"],
                "deaths": r.get("deaths") or [],
            },
        })
    return out


def event_collection(rows: list[dict], names: Names,
                     skipped: Counter | None = None) -> dict[str, Any]:
    return collection(event_features(rows, names, skipped))


def story_features(stories: list[Story], names: Names,
                   skipped: Counter | None = None) -> list[dict[str, Any]]:
    """One Point per story with a located place."""
    skipped = Counter() if skipped is None else skipped
    out = []
    for s in stories:
        place = names.places.get(s.place.id) if s.place else None
        geometry = _point(s.place.lat, s.place.lon) if s.place else None
        if geometry is None:
            skipped["no coordinates"] += 1
            continue
        toll = incident_toll(s)
        assert s.place is not None
        out.append({
            "type": "Feature",
            "id": s.id,
            "geometry": geometry,
            "properties": {
                "story": s.id, "title": " ".join((s.title or "").split()) or None,
                "type": s.type, "date": s.date, "date_precision": s.date_precision,
                "place": s.place.id, "place_name": s.place.name,
                "place_country": place.country if place else None,
                "place_kind": place.kind if place else None,
                "actors": s.actors, "actor_names": [names.actor_name(a) for a in s.actors],
                "targets": s.targets, "target_names": [names.actor_name(a) for a in s.targets],
                "outlets": s.outlets, "independent_outlets": s.independent_outlets,
                "articles": [a.id for a in s.articles],
                "contested": any(figure_kind(line) == "contested" for line in s.figures),
                "deaths": None if toll is None else toll.best,
                "deaths_low": None if toll is None else toll.low,
                "deaths_high": None if toll is None else toll.high,
                "deaths_kind": None if toll is None else figure_kind(toll.line),
                "contradictions": [c.field for c in s.contradictions],
            },
        })
    return out


def story_collection(stories: list[Story], names: Names,
                     skipped: Counter | None = None) -> dict[str, Any]:
    return collection(story_features(stories, names, skipped))


@dataclass
class MapPoint:
    """A place on the web map: the event mentions at it."""

    id: str
    name: str
    lat: float
    lon: float
    country: str | None
    kind: str | None
    count: int = 0
    types: Counter = field(default_factory=Counter)


def map_points(events: dict[str, Any]) -> list[MapPoint]:
    """An event collection grouped by place, most events first: the web map's dots."""
    points: dict[str, MapPoint] = {}
    for feature in events["features"]:
        p = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"]
        point = points.get(p["place"])
        if point is None:
            point = points[p["place"]] = MapPoint(p["place"], p["place_name"], lat, lon,
                                                  p["place_country"], p["place_kind"])
        point.count += 1
        point.types[p["type"]] += 1
    return sorted(points.values(), key=lambda p: (-p.count, p.name))
