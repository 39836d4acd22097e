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
    """The claim's author: a named actor, an unnamed source, or the outlet's own voice."""
    if speaker and not speaker.startswith(("src:", "outlet:")):
        info = names.actors.get(speaker)
        kind = "Person" if info and info.kind == "person" else "Organization"
        return {"@type": kind, "name": names.actor_name(speaker), "identifier": speaker}
    if speaker and speaker.startswith("src:"):
        return {"@type": "Organization", "name": speaker[4:]}
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


def _claim(names: Names, values: list[FigureValue], label: str) -> dict[str, Any]:
    """One Claim: a speaker's value, with every article it appeared in."""
    first = min(values, key=lambda v: (v.published or "", v.article))
    appearances = [_appearance(names, v.article, v.evidence.text if v.evidence else None)
                   for v in sorted(values, key=lambda v: (v.published or "", v.article))]
    claim: dict[str, Any] = {
        "@type": "Claim",
        "text": f"{label}: {number_text(first.value)}" + (f" ({first.hedge})" if first.hedge else ""),
        "author": _who(names, first.speaker, first.outlet),
        "appearance": appearances,
        "firstAppearance": appearances[0],
    }
    if first.published:
        claim["datePublished"] = first.published
    return claim


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
    claims = [_claim(names, vs, label) for vs in by_speaker.values()]
    sides = "; ".join(f"{c['author']['name']} says {c['text'].split(': ', 1)[1]}"
                      for c in claims)
    rating = DISAGREE if kind == "contested" else UPDATED
    anchor = quote(f"figure-{line.what}-{line.who}")
    return _review(
        url=f"{base_url}/stories/{quote(s.id)}#{anchor}", claim_reviewed=claims[0]["text"],
        rating=rating, explanation=f"{rating}: {sides}.", item=claims[0],
        competing=claims[1:], author=author, date=date, about=_about(s))


def contradiction_review(s: Story, c: Contradiction, names: Names, *, base_url: str,
                         author: str, date: str) -> dict[str, Any] | None:
    if not c.sides:
        return None
    label = f"The {c.field} of: {' '.join((s.title or s.id).split())}"
    claims = []
    for side in c.sides:
        value = FigureValue(value=side.value, speaker=side.speaker, article=side.article,
                            figure="", outlet=side.outlet, evidence=side.evidence,
                            published=names.articles.get(side.article, {}).get("published"))
        claims.append(_claim(names, [value], label))
    sides = "; ".join(f"{c2['author']['name']} says {c2['text'].split(': ', 2)[-1]}"
                      for c2 in claims)
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
