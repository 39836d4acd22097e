"""ACLED-style CSV: ACLED's columns in ACLED's order, one row per story or per event mention.

Columns follow the ACLED Codebook 2024 (the 31-column layout in force since ACLED's column
change of 20 March 2023), with our own columns after them. The column-by-column mapping and
what we cannot fill are in docs/exports.md; the type mapping is data/export/acled_types.tsv.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass

from triangulate import datafiles
from triangulate.export.common import (
    Names,
    PlaceInfo,
    Toll,
    admin1,
    country,
    dated,
    figure_kind,
    incident_toll,
    number_text,
    party,
    source_urls,
    whole,
)
from triangulate.model import Story

CODEBOOK = "ACLED Codebook 2024"

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
]
# Ours, after ACLED's: ids, the PLOVER coding, the toll's spread and who gave it.
EXTRA_COLUMNS = [
    "triangulate_story", "triangulate_article", "triangulate_event", "plover_type",
    "plover_mode", "fatalities_contested", "fatalities_kind", "fatalities_low",
    "fatalities_high", "fatalities_claimants", "outlets", "independent_outlets", "source_urls",
]
COLUMNS = ACLED_COLUMNS + EXTRA_COLUMNS

# ACLED time precision: 1 the day is known, 2 the week, 3 only the month.
_TIME_PRECISION = {"day": 1, "time": 1, "week": 2, "month": 3}
# ACLED geo precision: 1 the town (or a named spot in it), 2 a part of a region near the
# place, 3 only a larger region (a province, a country).
_GEO_PRECISION = {"city": 1, "town": 1, "camp": 1, "neighbourhood": 1, "site": 1,
                  "crossing": 1, "hospital": 1, "road": 2, "area": 2, "district": 2}


@dataclass(frozen=True)
class TypeRule:
    plover_type: str
    mode: str
    target: str
    event_type: str | None  # None: explicitly unmapped
    sub_event_type: str | None


@functools.cache
def type_rules() -> tuple[TypeRule, ...]:
    rules = []
    for typ, mode, target, event_type, sub in datafiles.rows(
            "export", "acled_types.tsv", header=True, strip=True):
        unmapped = event_type == "-"
        rules.append(TypeRule(typ, mode, target, None if unmapped else event_type,
                              None if unmapped else sub))
    return tuple(rules)


@functools.cache
def disorder_types() -> dict[tuple[str, str], str]:
    return {(event_type, sub): disorder for disorder, event_type, sub in
            datafiles.rows("export", "acled_vocabulary.tsv", header=True, strip=True)}


@functools.cache
def _inter_codes() -> dict[str, int]:
    return {key: int(code) for key, code in
            datafiles.rows("export", "acled_inter.tsv", header=True, strip=True)}


_STATE_KINDS = frozenset({"state", "government", "military", "security", "police"})


def inter(names: Names, actor_id: str | None, event_country: str | None) -> int | None:
    """ACLED's 'inter' code of an actor (data/export/acled_inter.tsv); state forces outside
    their own country are external forces (8)."""
    if not actor_id:
        return None
    codes = _inter_codes()
    if actor_id in codes:
        return codes[actor_id]
    info = names.actors.get(actor_id)
    if info is None or info.kind not in codes:
        return None
    where = country(event_country)
    if info.kind in _STATE_KINDS and info.country and where and info.country != where.iso3:
        return 8
    return codes[info.kind]


def acled_type(plover_type: str, mode: str | None,
               target_inter: int | None) -> tuple[str, str] | None:
    """(event type, sub-event type), or None when ACLED codes no such event."""
    target = "civilians" if target_inter == 7 else None
    for rule in type_rules():
        if (rule.plover_type == plover_type and rule.mode in ("*", mode)
                and rule.target in ("*", target)):
            if rule.event_type is None or rule.sub_event_type is None:
                return None
            return rule.event_type, rule.sub_event_type
    return None


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's joint code: the two inter codes, lower first; a lone actor's code times 10."""
    if inter1 is None:
        return None
    if inter2 is None:
        return inter1 * 10
    low, high = sorted((inter1, inter2))
    return low * 10 + high


def _place_columns(place: PlaceInfo | None) -> dict[str, object]:
    where = country(place.country if place else None)
    return {
        "iso": where.numeric if where else None,
        "country": where.name if where else None,
        "admin1": admin1(place),
        "location": place.name if place else None,
        "latitude": _coordinate(place.lat if place else None),
        "longitude": _coordinate(place.lon if place else None),
        "geo_precision": None if place is None or place.lat is None
        else _GEO_PRECISION.get(place.kind or "", 3),
    }


def _coordinate(value: float | None) -> float | None:
    return None if value is None else round(float(value), 5)


def _row(names: Names, *, typ: str, mode: str | None, actor: str | None, target: str | None,
         place_id: str | None, date: str | None, precision: str | None,
         published: str | None, outlets: list[str], notes: str | None,
         skipped: Counter) -> dict[str, object] | None:
    place = names.places.get(place_id or "")
    event_country = place.country if place else None
    inter1, inter2 = inter(names, actor, event_country), inter(names, target, event_country)
    mapped = acled_type(typ, mode, inter2)
    if mapped is None:
        skipped[f"ACLED codes no {typ} events"] += 1
        return None
    event_date, _, used = dated(date, precision, published)
    if event_date is None:
        skipped["no date and no publication date"] += 1
        return None
    where = country(event_country)
    row: dict[str, object] = dict.fromkeys(COLUMNS)
    row.update({
        "event_date": event_date,
        "year": int(event_date[:4]),
        "time_precision": _TIME_PRECISION.get(used, 3),
        "disorder_type": disorder_types().get(mapped),
        "event_type": mapped[0],
        "sub_event_type": mapped[1],
        "actor1": names.actor_name(actor),
        "inter1": inter1,
        "actor2": names.actor_name(target),
        "inter2": inter2,
        "interaction": interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if inter2 == 7 else None,
        **_place_columns(place),
        "source": "; ".join(dict.fromkeys(o for o in outlets if o)) or None,
        "notes": notes,
        "plover_type": typ,
        "plover_mode": mode,
    })
    # ACLED's ids are a country code and a number; ours carry our story or event id.
    row["event_id_cnty"] = where.iso3 if where else "XXX"
    return row


def _toll_columns(toll: Toll | None, names: Names) -> dict[str, object]:
    if toll is None:
        return {"fatalities": 0}
    return {
        "fatalities": toll.best,
        "fatalities_contested": toll.contested,
        "fatalities_kind": figure_kind(toll.line),
        "fatalities_low": toll.low,
        "fatalities_high": toll.high,
        "fatalities_claimants": "; ".join(
            f"{names.speaker_name(v.speaker) or v.outlet or party(v)}: {number_text(v.value)}"
            for v in toll.values),
    }


def story_rows(stories: list[Story], names: Names,
               skipped: Counter | None = None) -> list[dict[str, object]]:
    """One ACLED row per story: its main actor and target, its place, its date, its
    outlets and its incident toll (common.Toll: ACLED's most conservative figure)."""
    skipped = Counter() if skipped is None else skipped
    out = []
    for s in stories:
        reports = s.articles or s.mentions
        published = min((a.published for a in reports if a.published), default=None)
        row = _row(names, typ=s.type, mode=names.modes.get(s.id), actor=s.actors[0] if s.actors else None,
                   target=s.targets[0] if s.targets else None,
                   place_id=s.place.id if s.place else None, date=s.date,
                   precision=s.date_precision, published=published,
                   outlets=[a.outlet or "" for a in reports], notes=_story_notes(s, names),
                   skipped=skipped)
        if row is None:
            continue
        if s.place and s.place.id not in names.places:  # a place the tables no longer hold
            row.update({"location": s.place.name, "latitude": s.place.lat,
                        "longitude": s.place.lon})
        toll = incident_toll(s)
        row.update(_toll_columns(toll, names))
        row["assoc_actor_1"] = "; ".join(n for a in s.actors[1:] if (n := names.actor_name(a)))
        row["assoc_actor_2"] = "; ".join(n for a in s.targets[1:] if (n := names.actor_name(a)))
        row["event_id_cnty"] = f"{row['event_id_cnty']}-{s.id}"
        row.update({
            "triangulate_story": s.id,
            "outlets": s.outlets,
            "independent_outlets": s.independent_outlets,
            "source_urls": " ".join(source_urls(names, [a.id for a in reports])),
        })
        out.append(row)
    return out


def _story_notes(s: Story, names: Names) -> str | None:
    parts = [" ".join(s.title.split())] if s.title else []
    for line in s.figures:
        kind = figure_kind(line)
        if kind == "agreed":
            continue
        values = "; ".join(dict.fromkeys(
            f"{number_text(v.value)} ({names.speaker_name(v.speaker) or v.outlet or '?'})"
            for v in line.values))
        parts.append(f"[{kind}: {line.what or ''} {line.who or ''}: {values}]".replace("  ", " "))
    return " ".join(parts) or None


def event_rows(rows: list[dict], names: Names,
               skipped: Counter | None = None) -> list[dict[str, object]]:
    """One ACLED row per event mention (common.select_events rows); fatalities from the
    death figures the events stage attached to that mention (rows carry them as
    ``deaths``). Contests are a story matter: event rows leave fatalities_contested empty."""
    skipped = Counter() if skipped is None else skipped
    out = []
    for r in rows:
        row = _row(names, typ=r["type"], mode=r["mode"], actor=r["actor"], target=r["target"],
                   place_id=r["place"], date=r["date"], precision=r["date_precision"],
                   published=r["published"], outlets=[r["outlet"] or ""],
                   notes=" ".join((r["evidence"] or "").split()) or None, skipped=skipped)
        if row is None:
            continue
        # One mention's death figures count different groups ("seven civilians and two
        # soldiers") or restate one toll; as for stories, the largest stands, never a sum.
        deaths = [whole(d) for d in r.get("deaths") or []]
        row.update({
            "event_id_cnty": f"{row['event_id_cnty']}-{r['article']}#{r['event']}",
            "fatalities": max(deaths) if deaths else 0,
            "fatalities_low": min(deaths) if deaths else None,
            "fatalities_high": max(deaths) if deaths else None,
            "triangulate_story": r.get("story"),
            "triangulate_article": r["article"],
            "triangulate_event": r["event"],
            "outlets": 1,
            "source_urls": " ".join(source_urls(names, [r["article"]])),
        })
        out.append(row)
    return out
