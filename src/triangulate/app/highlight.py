"""The article reader's highlights: analysis items as marked, escaped HTML.

Items overlap and nest (a figure inside a claim inside a quote), and HTML elements cannot
overlap, so the text is cut at every item boundary into segments; each segment is wrapped
in one element per item covering it, longest outermost. Every piece of article text and
every attribute value is escaped here, so nothing in an article can become markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup, escape

from triangulate.app.views import ArticleLinks
from triangulate.model import Analysis

LAYERS = ("actors", "places", "times", "figures", "claims", "quotes", "events", "techniques")
LAYER_LABELS = {
    "actors": "Actors", "places": "Places", "times": "Times", "figures": "Figures",
    "claims": "Claims", "quotes": "Quotes", "events": "Events",
    "techniques": "Persuasion techniques",
}
# Nesting order among items of equal length: the broad layers outside, the precise inside.
_DEPTH = {name: k for k, name in enumerate(
    ("focus", "quotes", "claims", "techniques", "events", "actors", "places", "times", "figures")
)}


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    layer: str
    title: str
    href: str | None = None


def _num(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int | float) else str(value)


def _join(*parts: str | None, sep: str = " ") -> str:
    return sep.join(p for p in parts if p)


def marks_of(a: Analysis, links: ArticleLinks | None = None) -> list[Mark]:
    """Every item of an analysis as a Mark with its normalised value and link."""
    event_story = links.event_story if links else {}
    figure_story = links.figure_story if links else {}
    place_names = {p.id: p.name for p in a.places}
    out: list[Mark] = []
    for actor in a.actors:
        title = _join(f"Actor: {actor.name}", f"({_join(actor.kind, actor.country, sep=', ')})")
        href = f"/actors/{quote(actor.id, safe='')}"
        out += [Mark(m.start, m.end, "actors", title, href) for m in actor.mentions]
    for place in a.places:
        where = (f"{place.lat:.3f}, {place.lon:.3f}" if place.lat is not None and
                 place.lon is not None else "no coordinates")
        title = _join(f"Place: {place.name}", f"({_join(place.kind, place.country, sep=', ')};",
                      f"{where})")
        href = f"/map?at={quote(place.id, safe='')}"
        out += [Mark(m.start, m.end, "places", title, href) for m in place.mentions]
    for t in a.times:
        title = _join(f"Time ({t.type}): {t.value or 'unresolved'}", t.mod and f"[{t.mod}]",
                      t.in_quote and "(in a quotation)")
        out.append(Mark(t.start, t.end, "times", title))
    for f in a.figures:
        value = (f"{_num(f.low)}–{_num(f.high)}" if f.low is not None and f.high is not None
                 else _num(f.value))
        title = _join(f"Figure: {_join(f.hedge, value)}", f.who, f.what,
                      f.approximate and "(approximate)", _scope_note(f))
        story = figure_story.get(f.id)
        href = (f"/stories/{quote(story, safe='')}#figures" if story
                else "/tolls" if f.scope == "cumulative" else None)
        out.append(Mark(f.start, f.end, "figures", title, href))
    for c in a.claims:
        title = _join(f"Claim by {c.speaker_text or c.speaker or 'an unnamed source'}:",
                      c.stance, f"(cue: {c.cue})")
        out.append(Mark(c.start, c.end, "claims", title))
    for q in a.quotes:
        title = f"Quote: {q.speaker_text or q.speaker or 'unattributed'}"
        out.append(Mark(q.start, q.end, "quotes", title))
    for e in a.events:
        span = e.trigger_span or e.evidence
        title = _join(
            f"Event {e.type}{'/' + e.mode if e.mode else ''}:",
            f"{e.actor or '?'} → {e.target or '?'}",
            e.place and f"at {place_names.get(e.place, e.place)}",
            e.date and f"on {e.date}", e.negated and "(denied/negated)",
            e.hypothetical and "(hypothetical)",
        )
        story = event_story.get(e.id)
        out.append(Mark(span.start, span.end, "events", title,
                        f"/stories/{quote(story, safe='')}" if story else None))
    if a.framing:
        for t in a.framing.techniques:
            title = _join(f"Technique: {t.technique.replace('_', ' ')}",
                          t.speaker and f"(said by {t.speaker})")
            out.append(Mark(t.start, t.end, "techniques", title))
    return out


def _open(mark: Mark, as_link: bool, first: bool) -> str:
    if mark.layer == "focus":
        return '<mark class="focus" id="focus">' if first else '<mark class="focus">'
    attrs = f' class="hl hl-{mark.layer}" title="{escape(mark.title)}"'
    if as_link:
        return f'<a{attrs} href="{escape(mark.href)}">'
    return f"<span{attrs}>"


def _close(mark: Mark, as_link: bool) -> str:
    if mark.layer == "focus":
        return "</mark>"
    return "</a>" if as_link else "</span>"


def render(text: str, marks: Iterable[Mark], focus: tuple[int, int] | None = None) -> Markup:
    """The text as HTML with every mark wrapped around the segments it covers."""
    n = len(text)
    valid = [m for m in marks if 0 <= m.start < m.end <= n]
    if focus and 0 <= focus[0] < focus[1] <= n:
        valid.append(Mark(focus[0], focus[1], "focus", ""))
    cuts = sorted({0, n, *(m.start for m in valid), *(m.end for m in valid)})
    starting: dict[int, list[Mark]] = {}
    for m in valid:
        starting.setdefault(m.start, []).append(m)
    active: list[Mark] = []
    opened: set[Mark] = set()
    parts: list[str] = []
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        active = [m for m in active if m.end > lo] + starting.get(lo, [])
        active.sort(key=lambda m: (-(m.end - m.start), _DEPTH.get(m.layer, 99), m.start))
        closers = []
        # An <a> inside an <a> is not allowed: the innermost (most precise) link wins.
        link = next((m for m in reversed(active) if m.href), None)
        for m in active:
            as_link = m is link
            parts.append(_open(m, as_link, m not in opened))
            opened.add(m)
            closers.append(_close(m, as_link))
        parts.append(str(escape(text[lo:hi])))
        parts.extend(reversed(closers))
    return Markup("".join(parts))


def layer_counts(marks: Iterable[Mark]) -> dict[str, int]:
    counts = dict.fromkeys(LAYERS, 0)
    for m in marks:
        if m.layer in counts:
            counts[m.layer] += 1
    return counts


def excerpt(text: str, start: int, end: int) -> Markup:
    """text[start:end] escaped, for evidence quotes."""
    return Markup(escape(text[max(0, start):min(len(text), end)]))


def _scope_note(f) -> str | None:
    """What span the figure counts, when it is not an incident's own toll."""
    if f.scope in (None, "incident"):
        return None
    since = f" since {f.since}" if f.since else ""
    return {"cumulative": f"(running count{since})", "period": "(count over a period)",
            "other": "(hypothetical, or a part of a toll)"}.get(f.scope, f"({f.scope})")
