"""UCDP GED-style CSV: one row per story of organised violence, with best, low and high
deaths from the lined-up figures.

Column names and order follow the UCDP Georeferenced Event Dataset codebook (GED 24.1, whose
variable names have been stable since 19.1); the columns only UCDP can fill (its conflict,
dyad and actor ids, Gleditsch-Ward numbers) are present and empty, so scripts written for
GED files read ours. Mapping and gaps: docs/exports.md.
"""

from __future__ import annotations

import math
from collections import Counter

from triangulate.export.acled import inter
from triangulate.export.common import (
    Names,
    PlaceInfo,
    admin1,
    country,
    dated,
    figure_kind,
    incident_toll,
    party,
    source_urls,
)
from triangulate.model import Story

CODEBOOK = "UCDP GED codebook 24.1"

GED_COLUMNS = [
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
    "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name",
    "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b",
    "number_of_sources", "source_article", "source_office", "source_date", "source_headline",
    "source_original", "where_prec", "where_coordinates", "where_description", "adm_1",
    "adm_2", "latitude", "longitude", "geom_wkt", "priogrid_gid", "country", "country_id",
    "region", "event_clarity", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b",
    "deaths_civilians", "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
]
EXTRA_COLUMNS = ["triangulate_story", "deaths_kind", "deaths_contested", "deaths_claimants",
                 "source_articles", "source_urls"]
COLUMNS = GED_COLUMNS + EXTRA_COLUMNS

# GED date_prec: 1 the day, 2 a span of 2-6 days, 3 the week, 4 the month, 5 the year.
_DATE_PREC = {"day": 1, "undated": 2, "week": 3, "month": 4, "year": 5}
# GED where_prec: 1 the exact place, 2 within about 25 km, 3 a second-order division, 4 a
# first-order division, 5 a larger or linear area, 6 only the country, 7 waters or airspace.
_WHERE_PREC = {"city": 1, "town": 1, "camp": 1, "neighbourhood": 1, "site": 1, "crossing": 1,
               "hospital": 1, "area": 2, "road": 2, "district": 3, "governorate": 4,
               "oblast": 4, "state": 4, "province": 4, "territory": 4, "country": 6,
               "sea": 7, "strait": 7, "lake": 7}
# Victim groups whose dead are civilians (the `who` of a figure line).
_CIVILIANS = frozenset({"civilians", "children", "women", "residents", "aid workers",
                        "journalists", "patients", "refugees", "hostages"})


def type_of_violence(inter_a: int | None, inter_b: int | None) -> int | None:
    """GED's 1 state-based, 2 non-state, 3 one-sided violence, from ACLED-style inter codes
    of the two sides: civilians on the receiving end make it one-sided; a state (or
    external) force on either side state-based; two armed groups non-state."""
    if inter_b == 7:
        return 3
    if inter_a is None or inter_b is None:
        return None
    if {inter_a, inter_b} & {1, 8}:
        return 1
    return 2


def priogrid(lat: float | None, lon: float | None) -> int | None:
    """The PRIO-GRID cell (0.5 degree, numbered row by row from the south-west corner)."""
    if lat is None or lon is None:
        return None
    row = min(int(math.floor((lat + 90) * 2)), 359)
    col = min(int(math.floor((lon + 180) * 2)), 719)
    return row * 720 + col + 1


def _where(place: PlaceInfo | None, story: Story) -> dict[str, object]:
    lat = place.lat if place else (story.place.lat if story.place else None)
    lon = place.lon if place else (story.place.lon if story.place else None)
    where = country(place.country if place else None)
    return {
        "where_prec": _WHERE_PREC.get(place.kind or "", 5) if place else None,
        "where_coordinates": place.name if place else (story.place.name if story.place else None),
        "adm_1": admin1(place),
        "latitude": lat,
        "longitude": lon,
        "geom_wkt": f"POINT ({lon} {lat})" if lat is not None and lon is not None else None,
        "priogrid_gid": priogrid(lat, lon),
        "country": where.name if where else None,
    }


def story_rows(stories: list[Story], names: Names,
               skipped: Counter | None = None) -> list[dict[str, object]]:
    """One GED row per ASSAULT story (GED codes lethal organised violence only)."""
    skipped = Counter() if skipped is None else skipped
    out = []
    for s in stories:
        if s.type != "ASSAULT":
            skipped[f"UCDP codes organised violence only, not {s.type}"] += 1
            continue
        reports = s.articles or s.mentions
        published = min((a.published for a in reports if a.published), default=None)
        day, bounds, used = dated(s.date, s.date_precision, published)
        if bounds is None or day is None:
            skipped["no date and no publication date"] += 1
            continue
        place = names.places.get(s.place.id) if s.place else None
        event_country = place.country if place else None
        actor = s.actors[0] if s.actors else None
        target = s.targets[0] if s.targets else None
        side_a, side_b = names.actor_name(actor), names.actor_name(target)
        toll = incident_toll(s)
        articles = [names.articles.get(a.id, {}) for a in reports]
        row: dict[str, object] = dict.fromkeys(COLUMNS)
        row.update({
            "id": s.id,
            "relid": s.id,
            "year": int(day[:4]),
            "type_of_violence": type_of_violence(inter(names, actor, event_country),
                                                 inter(names, target, event_country)),
            "dyad_name": f"{side_a or '?'} - {side_b or '?'}" if side_a or side_b else None,
            "side_a": side_a,
            "side_b": side_b,
            "number_of_sources": len(reports),
            "source_article": ";".join(
                ",".join(x or "" for x in (a.get("outlet"), a.get("published"), a.get("title")))
                for a in articles),
            "source_office": ";".join(a.get("outlet") or "" for a in articles),
            "source_date": ";".join(a.get("published") or "" for a in articles),
            "source_headline": ";".join(a.get("title") or "" for a in articles),
            **_where(place, s),
            "date_prec": _DATE_PREC.get(used, 5),
            "date_start": bounds[0],
            "date_end": bounds[1],
            "triangulate_story": s.id,
            "source_articles": ";".join(a.id for a in reports),
            "source_urls": " ".join(source_urls(names, [a.id for a in reports])),
        })
        if toll is not None:
            group = "deaths_civilians" if toll.line.who in _CIVILIANS else "deaths_unknown"
            row.update({
                group: toll.best, "best": toll.best, "low": toll.low, "high": toll.high,
                "source_original": ";".join(
                    names.speaker_name(v.speaker) or v.outlet or party(v) for v in toll.values),
                "deaths_kind": figure_kind(toll.line),
                "deaths_contested": toll.contested,
                "deaths_claimants": ";".join(toll.claimants),
            })
        out.append(row)
    return out
