"""Exports into the formats analysts already use: ACLED- and UCDP GED-style CSV, PLOVER JSON,
GeoJSON and schema.org ClaimReview. One module per format, shared selection and figure
reading in ``common``; the CLI (`triangulate export`), the web app's downloads and the
Python API all call :func:`build`.

``build(store, "acled", unit="stories", selection=Selection(actor="Hamas"))`` returns an
``Export``: the payload (rows, records or a GeoJSON object), and what was left out and why.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from triangulate.export import acled, claimreview, geojson, plover, ucdp
from triangulate.export.common import Names, Selection, select_events, select_stories
from triangulate.store import Scope, Store

# (format, unit) -> the function that builds it from the selected items and their names,
# and the CSV columns of the CSV formats. The first unit listed is a format's default.
_BUILDERS: dict[tuple[str, str], tuple[Callable[..., Any], list[str] | None]] = {
    ("acled", "stories"): (acled.story_rows, acled.COLUMNS),
    ("acled", "events"): (acled.event_rows, acled.COLUMNS),
    ("ucdp", "stories"): (ucdp.story_rows, ucdp.COLUMNS),
    ("plover", "stories"): (plover.story_records, None),
    ("plover", "events"): (plover.event_records, None),
    ("geojson", "stories"): (geojson.story_collection, None),
    ("geojson", "events"): (geojson.event_collection, None),
    ("claimreview", "stories"): (claimreview.reviews, None),
}
UNITS: dict[str, tuple[str, ...]] = {}
for _fmt, _unit in _BUILDERS:
    UNITS[_fmt] = (*UNITS.get(_fmt, ()), _unit)
FORMATS = tuple(UNITS)


@dataclass
class Export:
    format: str
    unit: str
    payload: Any  # CSV rows (list of dicts), JSON records (list) or a GeoJSON object (dict)
    columns: list[str] | None = None  # CSV formats only
    skipped: Counter = field(default_factory=Counter)

    @property
    def count(self) -> int:
        if isinstance(self.payload, dict):
            return len(self.payload.get("features", []))
        return len(self.payload)

    def text(self) -> str:
        """The file's content: CSV, JSON Lines (PLOVER) or one JSON document."""
        if self.columns is not None:
            return csv_text(self.payload, self.columns)
        if self.format == "plover":
            return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in self.payload)
        return json.dumps(self.payload, ensure_ascii=False, indent=1) + "\n"

    def write(self, out: str | Path) -> None:
        """Write to a file, or to standard output for "-"."""
        if str(out) == "-":
            sys.stdout.write(self.text())
            return
        Path(out).write_text(self.text(), encoding="utf-8", newline="")


def csv_text(rows: list[dict[str, Any]], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in columns})
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ";".join(str(_cell(v)) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def build(store: Store, fmt: str, unit: str | None = None,
          selection: Selection | None = None, scope: Scope | None = None,
          **options: Any) -> Export:
    """The export of the stories or event mentions in ``selection`` in format ``fmt``.

    ``scope``: a store Scope already resolved (the web app's filters); the selection's dates
    still apply. ``options``: claimreview takes ``base_url``, ``author`` and ``date``.
    """
    if fmt not in UNITS:
        raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    unit = unit or UNITS[fmt][0]
    if unit not in UNITS[fmt]:
        raise ValueError(f"{fmt} is written for {' or '.join(UNITS[fmt])}, not {unit}")
    sel = selection or Selection()
    if unit == "events":
        items: list[Any] = select_events(store, sel, scope)
        names = Names.for_events(store, items)
    else:
        items = select_stories(store, sel, scope)
        names = Names.for_stories(store, items)
    builder, columns = _BUILDERS[(fmt, unit)]
    skipped: Counter = Counter()
    return Export(fmt, unit, builder(items, names, skipped, **options), columns, skipped)


__all__ = ["FORMATS", "UNITS", "Export", "Selection", "build", "csv_text"]
