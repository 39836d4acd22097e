"""Outlet profiles: how each outlet tells the conflict, and how outlets differ on one story.

Per outlet: its genre mix, mean tone, persuasion techniques per 1,000 of its own words,
whose voices it carries (quotes and claims grouped by the speaker's party: country, else the
body the speaker belongs to) and its stance toward the main actors. Everything is read from
the store's per-article layers; the SQL lives in store.py.

Techniques and tone count the outlet's own voice only: spans inside quotations and reported
claims are their speakers' (they are listed as ``quoted_techniques``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from triangulate.model import Story


@dataclass
class Voice:
    party: str  # ISO alpha-3 country, a parent body ("un"), an actor id, or "unidentified"
    quotes: int = 0
    claims: int = 0
    share: float = 0.0  # of the outlet's quotes + claims


@dataclass
class StanceSummary:
    actor: str
    name: str | None
    articles: int
    score: float  # mean stance score, -1..1
    stance: str  # the sign of the mean: positive, negative or neutral
    positive: int = 0
    negative: int = 0
    neutral: int = 0


@dataclass
class OutletProfile:
    outlet: str
    articles: int
    analysed: int
    words: int  # the outlet's own words (outside quotations and reported claims)
    tone: float | None  # mean GDELT-style tone of its articles
    genres: dict[str, int] = field(default_factory=dict)
    techniques: dict[str, int] = field(default_factory=dict)  # in its own voice
    quoted_techniques: int = 0  # spans inside the speech it reports
    techniques_per_1000_words: float = 0.0
    voices: list[Voice] = field(default_factory=list)
    stance: list[StanceSummary] = field(default_factory=list)


@dataclass
class StoryComparison:
    story: str
    title: str | None
    type: str | None
    date: str | None
    place: str | None
    actors: list[str]
    outlets: list[OutletProfile]


# Mean stance scores beyond these read as positive / negative (as per-article stance does).
POSITIVE, NEGATIVE = 0.25, -0.25


def profiles(store, articles: list[str] | None = None, main_actors: int = 5,
             actors: list[str] | None = None) -> list[OutletProfile]:
    """One profile per outlet, most articles first; optionally over some articles only.

    Stance is reported toward ``actors`` when given, else toward the ``main_actors`` actors
    mentioned in the most articles.
    """
    rows = store.framing_outlet_articles(articles)
    out: dict[str, OutletProfile] = {
        outlet: OutletProfile(outlet=outlet, articles=n, analysed=analysed, words=int(words or 0),
                              tone=round(tone, 2) if tone is not None else None)
        for outlet, n, analysed, words, tone in rows
    }
    for outlet, genre, n in store.framing_outlet_genres(articles):
        if outlet in out:
            out[outlet].genres[genre] = n
    for outlet, technique, own, quoted in store.framing_outlet_techniques(articles):
        if outlet in out:
            if own:
                out[outlet].techniques[technique] = own
            out[outlet].quoted_techniques += quoted
    for p in out.values():
        if p.words:
            p.techniques_per_1000_words = round(1000 * sum(p.techniques.values()) / p.words, 2)
    for outlet, party, quotes, claims in store.framing_outlet_voices(articles):
        if outlet in out:
            out[outlet].voices.append(Voice(party, int(quotes), int(claims)))
    for p in out.values():
        total = sum(v.quotes + v.claims for v in p.voices)
        for v in p.voices:
            v.share = round((v.quotes + v.claims) / total, 3) if total else 0.0
    wanted = actors if actors is not None else [
        a for a, *_ in store.framing_main_actors(main_actors, articles)]
    order = {a: k for k, a in enumerate(wanted)}
    for outlet, actor, name, n, score, pos, neg, neu in store.framing_outlet_stances(articles):
        if outlet in out and actor in order:
            out[outlet].stance.append(StanceSummary(
                actor=actor, name=name, articles=n, score=round(score, 3),
                stance=_sign(score), positive=pos, negative=neg, neutral=neu))
    for p in out.values():
        p.stance.sort(key=lambda s: order[s.actor])
    return list(out.values())


def compare_story(store, story_id: str, main_actors: int = 5) -> StoryComparison | None:
    """Side by side, the outlets that told one story; None when the story is unknown."""
    found = store.story_records(ids=[story_id])
    if not found:
        return None
    story: Story = found[0]
    ids = sorted({a.id for a in story.articles} | {a.id for a in story.mentions})
    actors = list(dict.fromkeys([*story.actors, *story.targets]))
    if len(actors) < main_actors:
        extra = [a for a, *_ in store.framing_main_actors(main_actors, ids) if a not in actors]
        actors += extra[: main_actors - len(actors)]
    return StoryComparison(
        story=story.id, title=story.title, type=story.type, date=story.date,
        place=story.place.name if story.place else None, actors=actors,
        outlets=profiles(store, ids, actors=actors),
    )


def _sign(score: float) -> str:
    if score >= POSITIVE:
        return "positive"
    if score <= NEGATIVE:
        return "negative"
    return "neutral"


def top_voices(profile: OutletProfile, k: int = 3) -> list[Voice]:
    return sorted(profile.voices, key=lambda v: (-(v.quotes + v.claims), v.party))[:k]


def as_row(profile: OutletProfile) -> dict[str, Any]:
    """A flat summary of a profile (one line of CSV)."""
    return {
        "outlet": profile.outlet, "articles": profile.articles, "words": profile.words,
        "tone": profile.tone, "genres": profile.genres,
        "techniques_per_1000_words": profile.techniques_per_1000_words,
        "techniques": profile.techniques,
        "voices": {v.party: v.share for v in top_voices(profile, 5)},
        "stance": {s.actor: s.score for s in profile.stance},
    }
