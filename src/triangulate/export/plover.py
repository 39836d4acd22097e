"""PLOVER/POLECAT-style JSON records: one per story or per event mention, using only the
PLOVER 2.0 event types and modes (data/export/plover_modes.tsv).

Each record: event type, mode, context, actor and recipient (name, id, ISO alpha-3 country),
location, date with its precision, and the sources (article, outlet, URL, publication date,
evidence span). What is ours and not PLOVER's sits under "triangulate". Mapping and gaps:
docs/exports.md.
"""

from __future__ import annotations

import functools
from collections import Counter
from typing import Any

from triangulate import datafiles
from triangulate.export.common import Names, country, dated, figure_kind, incident_toll
from triangulate.model import PLOVER_TYPES, Story


@functools.cache
def modes() -> dict[str, frozenset[str]]:
    """PLOVER type -> the modes it may carry."""
    out = {}
    for row in datafiles.rows("export", "plover_modes.tsv", header=True, strip=True):
        out[row[0]] = frozenset(m for m in (row[1] if len(row) > 1 else "").split("|") if m)
    return out


@functools.cache
def _aliases() -> dict[tuple[str, str], str]:
    return {(t, ours): theirs for t, ours, theirs in
            datafiles.rows("export", "plover_aliases.tsv", header=True, strip=True)}


def plover_mode(typ: str, mode: str | None, skipped: Counter | None = None) -> str | None:
    """Our mode as a PLOVER mode of ``typ`` (aerial -> heavy-weapons); None when PLOVER has
    no such mode for the type (counted in ``skipped``)."""
    if not mode:
        return None
    mode = _aliases().get((typ, mode), mode)
    if mode in modes().get(typ, ()):
        return mode
    if skipped is not None:
        skipped[f"mode {mode!r} is no PLOVER mode of {typ}: written as null"] += 1
    return None


def _party(names: Names, actor_id: str | None) -> dict[str, Any] | None:
    if not actor_id:
        return None
    info = names.actors.get(actor_id)
    return {"name": info.name if info else actor_id, "id": actor_id,
            "country": info.country if info else None}


def _location(names: Names, place_id: str | None, fallback: dict | None = None) -> dict | None:
    place = names.places.get(place_id or "")
    if place is None:
        return fallback
    where = country(place.country)
    return {"name": place.name, "id": place.id, "country": where.iso3 if where else None,
            "lat": place.lat, "lon": place.lon, "kind": place.kind}


def _source(names: Names, article: str, evidence: dict | None) -> dict[str, Any]:
    info = names.articles.get(article, {})
    return {"article": article, "outlet": info.get("outlet"), "url": info.get("url"),
            "published": info.get("published"), "title": info.get("title"),
            "evidence": evidence}


def story_records(stories: list[Story], names: Names,
                  skipped: Counter | None = None) -> list[dict[str, Any]]:
    skipped = Counter() if skipped is None else skipped
    out = []
    for s in stories:
        if s.type not in PLOVER_TYPES:
            skipped[f"{s.type} is no PLOVER type"] += 1
            continue
        reports = s.articles or s.mentions
        published = min((a.published for a in reports if a.published), default=None)
        day, bounds, used = dated(s.date, s.date_precision, published)
        ours_mode = names.modes.get(s.id)
        toll = incident_toll(s)
        place = (None if s.place is None else
                 {"name": s.place.name, "id": s.place.id, "lat": s.place.lat, "lon": s.place.lon})
        out.append({
            "id": s.id,
            "date": day,
            "date_precision": used,
            "event_type": s.type,
            "mode": plover_mode(s.type, ours_mode, skipped),
            # PLOVER's contexts (political, military, humanitarian, ...) are not coded by
            # any stage yet: an empty list says "not coded", never "none apply".
            "context": [],
            "actor": _party(names, s.actors[0] if s.actors else None),
            "recipient": _party(names, s.targets[0] if s.targets else None),
            "location": _location(names, s.place.id if s.place else None, place),
            "sources": [_source(names, a.id, names.evidence.get((s.id, a.id)))
                        for a in reports],
            "triangulate": {
                "story": s.id, "mode": ours_mode, "date_range": bounds,
                "other_actors": s.actors[1:], "other_recipients": s.targets[1:],
                "outlets": s.outlets, "independent_outlets": s.independent_outlets,
                "deaths": None if toll is None else {
                    "best": toll.best, "low": toll.low, "high": toll.high,
                    "kind": figure_kind(toll.line)},
                "contradictions": [c.field for c in s.contradictions],
            },
        })
    return out


def event_records(rows: list[dict], names: Names,
                  skipped: Counter | None = None) -> list[dict[str, Any]]:
    skipped = Counter() if skipped is None else skipped
    out = []
    for r in rows:
        if r["type"] not in PLOVER_TYPES:
            skipped[f"{r['type']} is no PLOVER type"] += 1
            continue
        day, bounds, used = dated(r["date"], r["date_precision"], r["published"])
        out.append({
            "id": f"{r['article']}#{r['event']}",
            "date": day,
            "date_precision": used,
            "event_type": r["type"],
            "mode": plover_mode(r["type"], r["mode"], skipped),
            "context": [],
            "actor": _party(names, r["actor"]),
            "recipient": _party(names, r["target"]),
            "location": _location(names, r["place"]),
            "sources": [_source(names, r["article"], {
                "event": r["event"], "start": r["evidence_start"], "end": r["evidence_end"],
                "text": r["evidence"]})],
            "triangulate": {"story": r.get("story"), "mode": r["mode"], "date_range": bounds,
                            "trigger": r["trigger"], "deaths": r.get("deaths") or []},
        })
    return out
