"""schema.org ClaimReview (JSON-LD): one review per disputed or updated figure and per
contradiction about a story's date, place, perpetrator or method.

We report disagreement; we never judge truth. The textual rating
(``reviewRating.alternateName``) says only that sources disagree or that a source updated
its figure, and there is no numeric rating. The review names the claim under review (the
first claim made), who made it, where it appeared (URLs), and the competing claims with
their evidence sentences. Mapping: docs/exports.md.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any
from urllib.parse import quote

from triangulate.export.common import Names, figure_kind, number_text
from triangulate.model import Contradiction, FigureLine, FigureValue, Story

CONTEXT = "https://schema.org"
DISAGREE = "Sources disagree"
UPDATED = "Figure updated by its source"
DEFAULT_AUTHOR = "Triangulate (automated cross-check of news reports)"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def _who(names: Names, speaker: str | None, outlet: str | None) -> dict[str, Any]:
    """The claim's author: a named actor, a party (a country linking rolled speakers up
    to), an unnamed source, or the outlet's own voice."""
    info = names.actors.get(speaker or "")
    if info is not None:
        kind = "Person" if info.kind == "person" else "Organization"
        return {"@type": kind, "name": info.name, "identifier": info.id}
    if speaker and not speaker.startswith("outlet:"):
        return {"@type": "Organization", "name": names.speaker_name(speaker)}
    return {"@type": "Organization", "name": outlet or (speaker or "")[7:] or "unknown outlet"}


def _appearance(names: Names, article: str, evidence: str | None) -> dict[str, Any]:
    info = names.articles.get(article, {})
    work: dict[str, Any] = {"@type": "CreativeWork", "identifier": article}
    for key, value in (("url", info.get("url")), ("headline", info.get("title")),
                       ("datePublished", info.get("published"))):
        if value:
            work[key] = value
    if info.get("outlet"):
        work["publisher"] = {"@type": "Organization", "name": info["outlet"]}
    if evidence:
        work["text"] = " ".join(evidence.split())
    return work


def _claim(names: Names, values: list[FigureValue], label: str,
           said: str) -> tuple[dict[str, Any], str]:
    """(one Claim: a speaker's value ``said`` about ``label``, with every article it
    appeared in; "<who> says <value>" for the rating's explanation)."""
    first = min(values, key=lambda v: (v.published or "", v.article))
    appearances = [_appearance(names, v.article, v.evidence.text if v.evidence else None)
                   for v in sorted(values, key=lambda v: (v.published or "", v.article))]
    author = _who(names, first.speaker, first.outlet)
    claim: dict[str, Any] = {
        "@type": "Claim",
        "text": f"{label}: {said}",
        "author": author,
        "appearance": appearances,
        "firstAppearance": appearances[0],
    }
    if first.published:
        claim["datePublished"] = first.published
    return claim, f"{author['name']} says {said}"


def _figure_text(v: FigureValue) -> str:
    return number_text(v.value) + (f" ({v.hedge})" if v.hedge else "")


def _review(*, url: str, claim_reviewed: str, rating: str, explanation: str,
            item: dict[str, Any], competing: list[dict[str, Any]], author: str,
            date: str, about: dict[str, Any]) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim_reviewed,
        "author": {"@type": "Organization", "name": author},
        "datePublished": date,
        "reviewRating": {"@type": "Rating", "alternateName": rating,
                         "ratingExplanation": explanation},
        "itemReviewed": item,
        # The competing claims: schema.org has no property for them; `mentions` (any Thing
        # the work mentions) keeps them inside the vocabulary.
        "mentions": competing,
        "about": about,
    }


def _about(s: Story) -> dict[str, Any]:
    event: dict[str, Any] = {"@type": "Event", "name": " ".join((s.title or s.id).split()),
                             "identifier": s.id}
    if s.date:
        event["startDate"] = s.date
    if s.place:
        event["location"] = {"@type": "Place", "name": s.place.name}
    return event


def _line_label(line: FigureLine, s: Story) -> str:
    place = f" in {s.place.name}" if s.place else ""
    when = f" on {s.date}" if s.date else ""
    return f"Number of {line.who or 'people'} {line.what or 'counted'}{place}{when}"


def figure_reviews(s: Story, line: FigureLine, names: Names, *, base_url: str, author: str,
                   date: str) -> dict[str, Any] | None:
    kind = figure_kind(line)
    if kind == "agreed" or not line.values:
        return None
    by_speaker: dict[tuple[str | None, Any], list[FigureValue]] = {}
    for v in sorted(line.values, key=lambda v: (v.published or "", v.article)):
        by_speaker.setdefault((v.speaker or f"outlet:{v.outlet}", v.value), []).append(v)
    label = _line_label(line, s)
    claims, said = zip(*(_claim(names, vs, label, _figure_text(vs[0]))
                         for vs in by_speaker.values()), strict=True)
    sides = "; ".join(said)
    rating = DISAGREE if kind == "contested" else UPDATED
    anchor = quote(f"figure-{line.what}-{line.who}")
    return _review(
        url=f"{base_url}/stories/{quote(s.id)}#{anchor}", claim_reviewed=claims[0]["text"],
        rating=rating, explanation=f"{rating}: {sides}.", item=claims[0],
        competing=list(claims[1:]), author=author, date=date, about=_about(s))


def contradiction_review(s: Story, c: Contradiction, names: Names, *, base_url: str,
                         author: str, date: str) -> dict[str, Any] | None:
    if not c.sides:
        return None
    label = f"The event's {c.field}"
    claims, said = [], []
    for side in c.sides:
        value = FigureValue(value=side.value, speaker=side.speaker, article=side.article,
                            figure="", outlet=side.outlet, evidence=side.evidence,
                            published=names.articles.get(side.article, {}).get("published"))
        # An actor contradiction's values are actor ids ("russia-military") or a denial
        # ("not RUS"); names read better.
        shown = names.speaker_name(side.value) if c.field == "actor" else str(side.value)
        claim, says = _claim(names, [value], label, shown or str(side.value))
        claims.append(claim)
        said.append(says)
    sides = "; ".join(said)
    return _review(
        url=f"{base_url}/stories/{quote(s.id)}#{quote('contradiction-' + c.field)}",
        claim_reviewed=claims[0]["text"], rating=DISAGREE, explanation=f"{DISAGREE}: {sides}.",
        item=claims[0], competing=claims[1:], author=author, date=date, about=_about(s))


def reviews(stories: list[Story], names: Names, skipped: Counter | None = None, *,
            base_url: str = DEFAULT_BASE_URL, author: str = DEFAULT_AUTHOR,
            date: str | None = None) -> list[dict[str, Any]]:
    """Every ClaimReview of the stories: per contested or updated figure line, and per
    contradiction that is not about a figure (a figure contradiction is its contested
    line's disagreement, reviewed once)."""
    skipped = Counter() if skipped is None else skipped
    date = date or dt.date.today().isoformat()
    base_url = base_url.rstrip("/")
    out = []
    for s in stories:
        for line in s.figures:
            review = figure_reviews(s, line, names, base_url=base_url, author=author, date=date)
            if review is not None:
                out.append(review)
        for c in s.contradictions:
            if c.field.startswith("figures"):
                continue
            review = contradiction_review(s, c, names, base_url=base_url, author=author,
                                          date=date)
            if review is None:
                skipped["contradiction with no sides"] += 1
            else:
                out.append(review)
    return out
