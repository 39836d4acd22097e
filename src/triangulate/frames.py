"""pandas DataFrames over a store, and of one analysed article (docs/api.md).

``triangulate.open("triangulate.duckdb")`` gives a :class:`Dataset`; each accessor returns
a DataFrame and takes the same filters: ``actor`` (a name or id, with everything that rolls
up to it), ``place`` (name or id), ``start``/``end`` (YYYY-MM-DD) and ``outlet``, except the
negotiation tracker, which takes the `negotiations` command's. The SQL is in store.py;
stories, contradictions and the tracker are built from the same records the CLI prints.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from triangulate.export.common import (
    CONTRADICTION_COLUMNS,
    contradiction_sides,
    figure_kind,
    in_range,
    incident_toll,
)
from triangulate.model import Analysis, Contradiction, from_dict, to_dict
from triangulate.store import Scope, Store

if TYPE_CHECKING:
    import pandas as pd

# Layers of one analysed article that Analysis.to_frame accepts.
ANALYSIS_LAYERS = ("actors", "places", "times", "figures", "claims", "quotes", "events",
                   "techniques", "positions")


class Dataset:
    """A store opened read-only for analysis in pandas. Use as a context manager or call
    :meth:`close`; DuckDB lets one process at a time write the file."""

    def __init__(self, path: str | Path = "triangulate.duckdb"):
        if str(path) != ":memory:" and not Path(path).exists():
            raise FileNotFoundError(f"no store at {path}: run `triangulate run` first")
        self.store = Store(path, read_only=True)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Dataset:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _scope(self, actor: str | None, place: str | None, outlet: str | None,
               start: str | None = None, end: str | None = None) -> Scope:
        return Scope(actor_ids=self.store.resolve_actors(actor) if actor else None,
                     place=place, outlet=outlet, start=start, end=end)

    # ------------------------------------------------------------------ story level

    def stories(self, actor: str | None = None, place: str | None = None,
                start: str | None = None, end: str | None = None,
                outlet: str | None = None, all: bool = False) -> pd.DataFrame:
        """One row per story (``all``: also events only mentioned in passing), with its
        incident death toll as the exports read it (best, low, high, kind)."""
        import pandas as pd

        rows = self.store.web_stories(self._scope(actor, place, outlet),
                                      reported=None if all else True)
        ids = [r[0] for r in rows if in_range(r[1], r[2], start, end)]
        by_id = {s.id: s for s in self.store.story_records(ids=ids)}
        records = []
        for story_id in ids:
            s = by_id[story_id]
            toll = incident_toll(s)
            records.append({
                "story": s.id, "type": s.type, "date": s.date,
                "date_precision": s.date_precision,
                "place": s.place.id if s.place else None,
                "place_name": s.place.name if s.place else None,
                "lat": s.place.lat if s.place else None, "lon": s.place.lon if s.place else None,
                "actors": s.actors, "targets": s.targets, "outlets": s.outlets,
                "independent_outlets": s.independent_outlets,
                "articles": [a.id for a in s.articles], "mentions": [a.id for a in s.mentions],
                "contested": any(figure_kind(line) == "contested" for line in s.figures),
                "deaths": toll.best if toll else None, "deaths_low": toll.low if toll else None,
                "deaths_high": toll.high if toll else None,
                "deaths_kind": figure_kind(toll.line) if toll else None,
                "contradictions": [c.field for c in s.contradictions], "title": s.title,
            })
        return pd.DataFrame.from_records(records, columns=_STORY_COLUMNS)

    def contradictions(self, actor: str | None = None, place: str | None = None,
                       start: str | None = None, end: str | None = None,
                       outlet: str | None = None, field: str | None = None) -> pd.DataFrame:
        """One row per side of each contradiction (story, field, value, who, evidence)."""
        import pandas as pd

        found = [from_dict(Contradiction, json.loads(record)) for _, date, precision, record
                 in self.store.web_contradictions(self._scope(actor, place, outlet), field)
                 if in_range(date, precision, start, end)]
        return pd.DataFrame.from_records(contradiction_sides(found),
                                         columns=CONTRADICTION_COLUMNS)

    # ------------------------------------------------------------------ article level

    def events(self, actor: str | None = None, place: str | None = None,
               start: str | None = None, end: str | None = None,
               outlet: str | None = None) -> pd.DataFrame:
        """Every stored event mention (denied, hypothetical and copied ones too: see the
        ``negated``, ``hypothetical`` and ``duplicate_of`` columns), with its place and
        story. Dates filter on the event's own date, else its article's publication."""
        frame = self.store.frame("events", self._scope(actor, place, outlet))
        if start or end:
            dates = frame[["date", "date_precision", "published"]].astype(object)
            dates = dates.where(dates.notna(), None)
            keep = [in_range(d or p, dp if d else "day", start, end)
                    for d, dp, p in dates.itertuples(index=False)]
            frame = frame[keep].reset_index(drop=True)
        return frame

    def figures(self, actor: str | None = None, place: str | None = None,
                start: str | None = None, end: str | None = None,
                outlet: str | None = None) -> pd.DataFrame:
        """Numbers found in articles (value, low, high, what, who, hedge, span); actor and
        place keep articles that name them; dates filter on publication."""
        return self._layer("figures", actor, place, start, end, outlet)

    def claims(self, actor: str | None = None, place: str | None = None,
               start: str | None = None, end: str | None = None,
               outlet: str | None = None) -> pd.DataFrame:
        """Attributed claims; ``actor`` keeps the claims it (or what rolls up to it) made."""
        return self._layer("claims", actor, place, start, end, outlet)

    def quotes(self, actor: str | None = None, place: str | None = None,
               start: str | None = None, end: str | None = None,
               outlet: str | None = None) -> pd.DataFrame:
        """Direct quotations; ``actor`` keeps those it said."""
        return self._layer("quotes", actor, place, start, end, outlet)

    def places(self, actor: str | None = None, place: str | None = None,
               start: str | None = None, end: str | None = None,
               outlet: str | None = None) -> pd.DataFrame:
        """Places named per article, with coordinates, country and kind."""
        return self._layer("places", actor, place, start, end, outlet)

    def positions(self, actor: str | None = None, place: str | None = None,
                  start: str | None = None, end: str | None = None,
                  outlet: str | None = None) -> pd.DataFrame:
        """Every stored negotiation position (party, issue, stance, counterpart, claimant,
        date, conditions, flags, evidence span); ``actor`` keeps the positions it (or what
        rolls up to it) takes or claims; dates filter on publication."""
        return self._layer("positions", actor, place, start, end, outlet)

    def negotiations(self, party: str | None = None, issue: str | None = None,
                     start: str | None = None, end: str | None = None,
                     history: bool = False) -> pd.DataFrame:
        """The negotiation tracker, as ``triangulate negotiations`` prints it: one row per
        party and issue (latest stance, its day, independent sources, whether sources
        disagree, the latest report's evidence). ``history``: one row per report instead,
        in the order the stances were taken, ``change`` marking a change of stance.
        ``party`` is a name or id, ``issue`` one of model.ISSUES, dates filter on the
        stance's day (its text's date, else publication); a bad filter raises ValueError."""
        import pandas as pd

        from triangulate.link.negotiations import matrix

        cells = matrix(self.store, party, issue, start, end)
        if history:
            rows = [{"party": c.party, "party_name": c.party_name, "issue": c.issue,
                     **_flat(to_dict(r))} for c in cells for r in c.history]
            return pd.DataFrame.from_records(rows, columns=_HISTORY_COLUMNS)
        rows = [{k: v for k, v in _flat(to_dict(c)).items() if k != "history"} for c in cells]
        return pd.DataFrame.from_records(rows, columns=_NEGOTIATION_COLUMNS)

    def _layer(self, layer: str, actor: str | None, place: str | None, start: str | None,
               end: str | None, outlet: str | None) -> pd.DataFrame:
        return self.store.frame(layer, self._scope(actor, place, outlet, start, end))


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    """A record's evidence span as three columns, as the layer frames give spans."""
    span = row.pop("evidence", None) or {}
    return {**row, "evidence_start": span.get("start"), "evidence_end": span.get("end"),
            "evidence": span.get("text")}


_EVIDENCE_COLUMNS = ["evidence_start", "evidence_end", "evidence"]
_NEGOTIATION_COLUMNS = [
    "party", "party_name", "issue", "stance", "day", "sources", "disagree", "stances",
    "changes", "article", "outlet", "claimant", *_EVIDENCE_COLUMNS,
]
_HISTORY_COLUMNS = [
    "party", "party_name", "issue", "day", "dated", "stance", "change", "conditional",
    "negated", "article", "position", "event", "outlet", "duplicate_of", "claimant",
    *_EVIDENCE_COLUMNS,
]

_STORY_COLUMNS = [
    "story", "type", "date", "date_precision", "place", "place_name", "lat", "lon", "actors",
    "targets", "outlets", "independent_outlets", "articles", "mentions", "contested", "deaths",
    "deaths_low", "deaths_high", "deaths_kind", "contradictions", "title",
]


def analysis_frame(record: Analysis, layer: str) -> pd.DataFrame:
    """One layer of an analysed article as a DataFrame, one row per item; nested records
    (a claim's content span, mentions) become dotted columns or lists, and every row
    carries the article id."""
    import pandas as pd

    if layer not in ANALYSIS_LAYERS:
        raise ValueError(f"unknown layer {layer!r}; choose from {', '.join(ANALYSIS_LAYERS)}")
    items: Any = record.framing.techniques if layer == "techniques" and record.framing else (
        [] if layer == "techniques" else getattr(record, layer))
    rows = [{"article": record.id, **to_dict(item)} for item in items]
    if not rows:
        return pd.DataFrame(columns=["article"])
    return pd.json_normalize(rows, max_level=1)
