"""Charts and the map, drawn on the server as inline SVG.

No JavaScript library and no tiles: the pages must work offline and behind a strict
Content-Security-Policy, and SVG drawn here needs neither. Every label that comes from the
data is escaped.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from markupsafe import Markup, escape

from triangulate.app.outlines import outlines
from triangulate.link.measure import interval
from triangulate.model import PLOVER_TYPES

# One colour per PLOVER type; the violent and coercive types in warm colours, so a chart
# of a war reads at a glance.
_PALETTE = (
    "#4e79a7", "#59a14f", "#8cd17d", "#b6992d", "#499894", "#86bcb6", "#9d7660", "#f1ce63",
    "#d37295", "#fabfd2", "#b07aa1", "#79706e", "#bab0ac", "#ff9d9a", "#f28e2b", "#e15759",
)
TYPE_COLOURS = dict(zip(PLOVER_TYPES, _PALETTE, strict=True))


def colour(event_type: str | None) -> str:
    return TYPE_COLOURS.get(event_type or "", "#888888")


def _e(value: object) -> str:
    return str(escape(str(value)))


# ----------------------------------------------------------------------------- timeline


@dataclass(frozen=True)
class _Unit:
    name: str
    key: Callable[[dt.date], tuple]
    start: Callable[[tuple], dt.date]
    label: Callable[[tuple], str]


def _next_month(d: dt.date, months: int) -> dt.date:
    m = d.month - 1 + months
    return dt.date(d.year + m // 12, m % 12 + 1, 1)


_UNITS = (
    _Unit("day", lambda d: (d.toordinal(),), lambda k: dt.date.fromordinal(k[0]),
          lambda k: dt.date.fromordinal(k[0]).isoformat()),
    _Unit("week", lambda d: (d.toordinal() - d.weekday(),), lambda k: dt.date.fromordinal(k[0]),
          lambda k: dt.date.fromordinal(k[0]).isoformat()),
    _Unit("month", lambda d: (d.year, d.month), lambda k: dt.date(k[0], k[1], 1),
          lambda k: f"{k[0]}-{k[1]:02d}"),
    _Unit("quarter", lambda d: (d.year, (d.month - 1) // 3), lambda k: dt.date(k[0], 3 * k[1] + 1, 1),
          lambda k: f"{k[0]} Q{k[1] + 1}"),
    _Unit("year", lambda d: (d.year,), lambda k: dt.date(k[0], 1, 1), lambda k: str(k[0])),
)


def _buckets(first: dt.date, last: dt.date, max_buckets: int) -> tuple[_Unit, list[tuple]]:
    """The finest unit that shows the range in at most ``max_buckets`` bars, and its keys."""
    for unit in _UNITS:
        keys: list[tuple] = []
        d = unit.start(unit.key(first))
        while d <= last and len(keys) <= max_buckets:
            keys.append(unit.key(d))
            d = _advance(unit, d)
        if len(keys) <= max_buckets:
            return unit, keys
    unit = _UNITS[-1]
    return unit, [(y,) for y in range(first.year, last.year + 1)]


def _advance(unit: _Unit, d: dt.date) -> dt.date:
    if unit.name == "day":
        return d + dt.timedelta(days=1)
    if unit.name == "week":
        return d + dt.timedelta(days=7)
    if unit.name == "month":
        return _next_month(d, 1)
    if unit.name == "quarter":
        return _next_month(d, 3)
    return dt.date(d.year + 1, 1, 1)


def _bucket_end(unit: _Unit, key: tuple) -> dt.date:
    return _advance(unit, unit.start(key)) - dt.timedelta(days=1)


def timeline_chart(
    dated: Sequence[tuple[str | None, str | None, str]],
    href: Callable[[str, str, str | None], str],
    width: int = 960, height: int = 260, max_buckets: int = 72,
) -> Markup:
    """Stacked bars of events over time by type. ``dated``: (date, precision, type);
    ``href(from, to, type)`` links a bar to the stories it counts."""
    days = []
    for date, precision, kind in dated:
        span = interval(date, precision)
        if span is not None:
            days.append((dt.date.fromordinal(span[0]), kind))
    if not days:
        return Markup('<p class="empty">No dated events to chart.</p>')
    unit, keys = _buckets(min(d for d, _ in days), max(d for d, _ in days), max_buckets)
    counts: dict[tuple, Counter] = {k: Counter() for k in keys}
    for d, kind in days:
        key = unit.key(d)
        if key in counts:
            counts[key][kind] += 1
    left, right, top, bottom = 36, 10, 10, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(sum(c.values()) for c in counts.values()) or 1
    bar_w = plot_w / len(keys)
    types = [t for t in PLOVER_TYPES if any(c[t] for c in counts.values())]
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="Events over time by type, per {unit.name}" '
           f'xmlns="http://www.w3.org/2000/svg">']
    for tick in _ticks(peak):
        y = top + plot_h - tick / peak * plot_h
        out.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
                   f'<text class="axis" x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    step = max(1, math.ceil(len(keys) / 12))
    for i, key in enumerate(keys):
        x = left + i * bar_w
        y = top + plot_h
        lo, hi = unit.start(key).isoformat(), _bucket_end(unit, key).isoformat()
        for kind in types:
            n = counts[key][kind]
            if not n:
                continue
            h = n / peak * plot_h
            y -= h
            out.append(
                f'<a href="{_e(href(lo, hi, kind))}"><rect x="{x + 0.5:.1f}" y="{y:.1f}" '
                f'width="{max(bar_w - 1, 1):.1f}" height="{h:.1f}" fill="{colour(kind)}">'
                f"<title>{_e(unit.label(key))}: {n} {_e(kind)}</title></rect></a>"
            )
        if i % step == 0:
            out.append(f'<text class="axis" x="{x + bar_w / 2:.1f}" y="{top + plot_h + 14}" '
                       f'text-anchor="middle">{_e(unit.label(key))}</text>')
    out.append(f'<line class="axisline" x1="{left}" x2="{width - right}" y1="{top + plot_h}" '
               f'y2="{top + plot_h}"/>')
    lx, ly = left, height - 22
    for kind in types:
        out.append(f'<rect x="{lx}" y="{ly}" width="10" height="10" fill="{colour(kind)}"/>'
                   f'<text class="legend" x="{lx + 14}" y="{ly + 9}">{_e(kind)}</text>')
        lx += 16 + 7.5 * len(kind) + 12
        if lx > width - 100:
            lx, ly = left, ly + 14
    out.append("</svg>")
    return Markup("".join(out))


def _ticks(peak: int) -> list[int]:
    step = max(1, 10 ** int(math.log10(peak)) if peak >= 10 else 1)
    while peak / step > 5:
        step *= 2
    return list(range(0, peak + 1, step))


def reports_strip(reports: Sequence[dict], width: int = 960) -> Markup:
    """When each report of a story came out: one row per article, a dot at its date.
    ``reports``: dicts with published, outlet, id, copy (bool), href."""
    dated = [r for r in reports if r.get("published")]
    if not dated:
        return Markup('<p class="empty">No publication dates.</p>')
    days = [dt.date.fromisoformat(r["published"]).toordinal() for r in dated]
    lo, hi = min(days) - 1, max(days) + 1
    left, right, row = 200, 50, 22
    height = 30 + row * len(dated)
    out = [f'<svg class="chart strip" viewBox="0 0 {width} {height}" role="img" '
           'aria-label="Reports by publication date" xmlns="http://www.w3.org/2000/svg">']
    span = max(hi - lo, 1)

    def x(d: int) -> float:
        return left + (d - lo) / span * (width - left - right)

    for d in range(lo, hi + 1, max(1, span // 8)):
        out.append(f'<line class="grid" x1="{x(d):.1f}" x2="{x(d):.1f}" y1="0" y2="{height - 20}"/>'
                   f'<text class="axis" x="{x(d):.1f}" y="{height - 6}" text-anchor="middle">'
                   f"{dt.date.fromordinal(d).isoformat()}</text>")
    for k, (r, d) in enumerate(zip(dated, days, strict=True)):
        y = 14 + k * row
        label = (r.get("outlet") or "(unknown outlet)") + (" (copy)" if r.get("copy") else "")
        out.append(
            f'<text class="legend" x="{left - 8}" y="{y + 4}" text-anchor="end">{_e(label)}</text>'
            f'<a href="{_e(r["href"])}"><circle cx="{x(d):.1f}" cy="{y}" r="6" '
            f'class="{"dot copy" if r.get("copy") else "dot"}"><title>{_e(r["published"])}: '
            f'{_e(r.get("title") or r["id"])}</title></circle></a>'
        )
    out.append("</svg>")
    return Markup("".join(out))


# ----------------------------------------------------------------------------- negotiations

# One colour per stance: agreement green, refusal red, demands warm, proposals and
# mediation blue, talks grey (the same in the page's badges, style.css .stance-*).
STANCE_COLOURS = {"accept": "#59a14f", "reject": "#e15759", "demand": "#f28e2b",
                  "propose": "#4e79a7", "mediate": "#b07aa1", "negotiate": "#79706e"}


def _day(value: str | None) -> dt.date | None:
    """"2025-01-15", "2025-01" or "2025" as a day (the first of a month or year)."""
    if not value:
        return None
    parts = value[:10].split("-")
    try:
        return dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1,
                       int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def stance_timeline(issue: str, rows: Sequence[tuple[str, Sequence]], href: Callable,
                    width: int = 960) -> Markup:
    """One issue of a negotiation over time: a row per party, a dot per report of its
    stance at the report's day, coloured by stance and linked (``href(report)``) to the
    sentence in the reader. ``rows``: (party name, StanceReport list)."""
    dated = [(name, r, d) for name, reports in rows for r in reports if (d := _day(r.day))]
    if not dated:
        return Markup('<p class="empty">No dated reports.</p>')
    lo = min(d for _, _, d in dated).toordinal() - 1
    hi = max(d for _, _, d in dated).toordinal() + 1
    names = list(dict.fromkeys(name for name, _ in rows))
    left, right, row = 170, 40, 24
    height = 34 + row * len(names)
    span = max(hi - lo, 1)

    def x(d: int) -> float:
        return left + (d - lo) / span * (width - left - right)

    out = [f'<svg class="chart stances" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="Stances on {_e(issue)} by day" xmlns="http://www.w3.org/2000/svg">']
    for d in range(lo, hi + 1, max(1, span // 8)):
        out.append(f'<line class="grid" x1="{x(d):.1f}" x2="{x(d):.1f}" y1="0" y2="{height - 20}"/>'
                   f'<text class="axis" x="{x(d):.1f}" y="{height - 6}" text-anchor="middle">'
                   f"{dt.date.fromordinal(d).isoformat()}</text>")
    seen: Counter = Counter()
    for k, name in enumerate(names):
        y = 14 + k * row
        out.append(f'<text class="legend" x="{left - 8}" y="{y + 4}" text-anchor="end">'
                   f"{_e(name)}</text>")
        for who, r, d in dated:
            if who != name:
                continue
            # Reports of one stance on one day side by side, not on top of each other.
            n = seen[(name, d)]
            seen[(name, d)] += 1
            cx = x(d.toordinal()) + 7 * n
            tip = (f"{r.day} {r.stance}{' (text gives no date)' if not r.dated else ''}: "
                   f"{r.outlet or '?'}, {r.claimant or 'outlet'}: {r.evidence.text if r.evidence else ''}")
            out.append(f'<a href="{_e(href(r))}"><circle cx="{cx:.1f}" cy="{y}" r="6" '
                       f'class="dot stance-{_e(r.stance)}" fill="{STANCE_COLOURS.get(r.stance, "#888")}">'
                       f"<title>{_e(tip)}</title></circle></a>")
    out.append("</svg>")
    return Markup("".join(out))


# ----------------------------------------------------------------------------- toll chart


def toll_chart(points: Sequence[dict], width: int = 960, height: int = 220) -> Markup:
    """A running count over time: one dot per value given (linked to its sentence in the
    reader), a line through each day's highest. ``points``: dicts with date (YYYY-MM-DD),
    value, label (the tooltip) and href. A hedged value ("more than 30,000") is a hollow
    dot: the count stood at least (or at most) there."""
    dated = [p for p in points if p.get("date") and p.get("value") is not None]
    if not dated:
        return Markup('<p class="empty">No dated values to chart.</p>')
    days = [dt.date.fromisoformat(p["date"][:10]).toordinal() for p in dated]
    lo, hi = min(days), max(days)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    peak = max(float(p["value"]) for p in dated) or 1.0
    left, right, top, bottom = 70, 44, 12, 34
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(d: int) -> float:
        return left + (d - lo) / (hi - lo) * plot_w

    def y(v: float) -> float:
        return top + plot_h - v / (peak * 1.05) * plot_h

    out = [f'<svg class="chart tolls" viewBox="0 0 {width} {height}" role="img" '
           'aria-label="A running count by date" xmlns="http://www.w3.org/2000/svg">']
    for tick in _value_ticks(peak):
        out.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" '
                   f'y2="{y(tick):.1f}"/><text class="axis" x="{left - 6}" y="{y(tick) + 4:.1f}" '
                   f'text-anchor="end">{tick:,.0f}</text>')
    step = max(1, (hi - lo) // 6)
    for d in range(lo, hi + 1, step):
        out.append(f'<text class="axis" x="{x(d):.1f}" y="{height - 12}" text-anchor="middle">'
                   f"{dt.date.fromordinal(d).isoformat()}</text>")
    best: dict[int, float] = {}
    for p, d in zip(dated, days, strict=True):
        best[d] = max(best.get(d, 0.0), float(p["value"]))
    line = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in sorted(best.items()))
    out.append(f'<polyline class="series" fill="none" points="{line}"/>')
    for p, d in zip(dated, days, strict=True):
        hollow = " hedged" if p.get("hedge") else ""
        out.append(f'<a href="{_e(p["href"])}"><circle class="dot{hollow}" cx="{x(d):.1f}" '
                   f'cy="{y(float(p["value"])):.1f}" r="5"><title>{_e(p["label"])}</title>'
                   "</circle></a>")
    out.append(f'<line class="axisline" x1="{left}" x2="{width - right}" y1="{top + plot_h}" '
               f'y2="{top + plot_h}"/></svg>')
    return Markup("".join(out))


def _value_ticks(peak: float) -> list[float]:
    """Four or five round ticks from 0 to the peak (1,000s, 10,000s, ...)."""
    step = 10 ** max(0, math.floor(math.log10(peak))) if peak >= 1 else 1
    while peak / step < 3 and step > 1:
        step /= 2
    while peak / step > 5:
        step *= 2
    return [k * step for k in range(int(peak // step) + 1)]


# ----------------------------------------------------------------------------- map


@cache
def _country_shapes() -> list[tuple[str | None, str | None, str, tuple[float, float, float, float], list]]:
    """(iso2, name, iso3, bbox, rings) of every outline."""
    shapes = []
    for c in outlines():
        xs = [p[0] for ring in c["rings"] for p in ring]
        ys = [p[1] for ring in c["rings"] for p in ring]
        shapes.append((c.get("iso2"), c.get("name"), c.get("iso3"),
                       (min(xs), min(ys), max(xs), max(ys)), c["rings"]))
    return shapes


def country_extent(iso2: str) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of a country's outline."""
    boxes = [s[3] for s in _country_shapes() if s[0] == iso2]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
            max(b[3] for b in boxes))


@dataclass(frozen=True)
class Projection:
    """Equirectangular, squeezed by the cosine of the middle latitude so a region's shape
    stays true at the map's centre."""

    west: float
    north: float
    scale: float  # pixels per degree of latitude
    squeeze: float  # cos(middle latitude)

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.west) * self.scale * self.squeeze, (self.north - lat) * self.scale


def fit(extent: tuple[float, float, float, float], width: int, height: int,
        min_span: float = 6.0) -> Projection:
    """A projection showing ``extent`` (west, south, east, north) whole, centred."""
    west, south, east, north = extent
    cx, cy = (west + east) / 2, (south + north) / 2
    half_w = max(east - west, min_span) / 2 * 1.15
    half_h = max(north - south, min_span) / 2 * 1.15
    squeeze = max(math.cos(math.radians(max(min(cy, 80), -80))), 0.2)
    scale = min(width / (2 * half_w * squeeze), height / (2 * half_h))
    return Projection(west=cx - width / (2 * scale * squeeze), north=cy + height / (2 * scale),
                      scale=scale, squeeze=squeeze)


@dataclass
class Dot:
    id: str
    name: str
    lat: float
    lon: float
    count: int
    types: Counter
    href: str
    selected: bool = False


def world_map(
    dots: Sequence[Dot], extent: tuple[float, float, float, float] | None = None,
    shade: set[str] | frozenset[str] = frozenset(), width: int = 960, height: int = 540,
    labels: int = 14, min_span: float = 6.0,
) -> Markup:
    """Countries (those in ``shade``, ISO alpha-2, tinted) and one dot per place sized by its
    events and coloured by its most frequent event type."""
    if extent is None:
        if dots:
            extent = (min(d.lon for d in dots), min(d.lat for d in dots),
                      max(d.lon for d in dots), max(d.lat for d in dots))
        else:
            extent = (-170.0, -58.0, 180.0, 80.0)
    proj = fit(extent, width, height, min_span)
    west, east = proj.west, proj.west + width / (proj.scale * proj.squeeze)
    south, north = proj.north - height / proj.scale, proj.north
    out = [f'<svg class="map" viewBox="0 0 {width} {height}" role="img" '
           'aria-label="Map of events" xmlns="http://www.w3.org/2000/svg">',
           f'<rect class="sea" x="0" y="0" width="{width}" height="{height}"/>']
    for iso2, name, _, box, rings in _country_shapes():
        if box[2] < west or box[0] > east or box[3] < south or box[1] > north:
            continue
        d = "".join(
            "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in (proj.xy(lon, lat) for lon, lat in ring)) + "Z"
            for ring in rings
        )
        cls = "land shaded" if iso2 in shade else "land"
        out.append(f'<path class="{cls}" d="{d}"><title>{_e(name)}</title></path>')
    step = _graticule_step(east - west)
    lon = math.ceil(west / step) * step
    while lon <= east:
        x, _ = proj.xy(lon, 0)
        out.append(f'<line class="graticule" x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{height}"/>')
        lon += step
    lat = math.ceil(south / step) * step
    while lat <= north:
        _, y = proj.xy(0, lat)
        out.append(f'<line class="graticule" x1="0" x2="{width}" y1="{y:.1f}" y2="{y:.1f}"/>')
        lat += step
    biggest = max((d.count for d in dots), default=1)
    ordered = sorted(dots, key=lambda d: (not d.selected, -d.count))
    placed: list[tuple[float, float, float, float]] = []
    for rank, d in enumerate(ordered):
        x, y = proj.xy(d.lon, d.lat)
        if not (-20 <= x <= width + 20 and -20 <= y <= height + 20):
            continue
        r = 4 + 14 * math.sqrt(d.count / biggest)
        top_type = d.types.most_common(1)[0][0] if d.types else None
        kinds = ", ".join(f"{k} {n}" for k, n in d.types.most_common())
        cls = "dot selected" if d.selected else "dot"
        out.append(
            f'<a href="{_e(d.href)}"><circle class="{cls}" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" '
            f'fill="{colour(top_type)}"><title>{_e(d.name)}: {d.count} event'
            f'{"s" if d.count != 1 else ""} ({_e(kinds)})</title></circle></a>'
        )
        if rank < labels or d.selected:
            # Biggest places first; a label that would overlap one already placed is left
            # out (its dot keeps the name as a tooltip).
            box = (x + r + 3, y - 8, x + r + 3 + 7 * len(d.name), y + 6)
            if d.selected or not any(_overlap(box, b) for b in placed):
                placed.append(box)
                out.append(f'<text class="maplabel" x="{box[0]:.1f}" y="{y + 4:.1f}">'
                           f"{_e(d.name)}</text>")
    out.append("</svg>")
    return Markup("".join(out))


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def country_names() -> dict[str, str]:
    """ISO alpha-2 -> country name, from the outlines."""
    return {s[0]: s[1] for s in _country_shapes() if s[0] and s[1]}


def _graticule_step(span: float) -> float:
    for step in (1, 2, 5, 10, 20, 30):
        if span / step <= 12:
            return step
    return 30
