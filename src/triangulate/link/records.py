"""Analysis -> EventMention: each event flattened with the facts linking compares.

Everything linking needs from an article (who the actor rolls up to, where the place is,
which figures and claims go with the event, who is speaking) is resolved here once, so the
clustering and the comparisons work on small flat records and never see a spaCy Doc.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from triangulate import settings
from triangulate.link.lexicon import lexicon
from triangulate.model import (
    Actor,
    Analysis,
    Claim,
    ClaimMention,
    Event,
    EventMention,
    Figure,
    FigureMention,
    Mention,
    Place,
)


def mentions_from_analyses(analyses: Iterable[Analysis]) -> Iterator[EventMention]:
    """Event mentions of a stream of analyses; the stream's order is the ingest order."""
    for order, analysis in enumerate(analyses):
        yield from mentions_from_analysis(analysis, order)


def mentions_from_analysis(analysis: Analysis, order: int = 0) -> list[EventMention]:
    """The article's events that happened (hypothetical ones are left out) as mentions."""
    actors = {a.id: a for a in analysis.actors}
    places = {p.id: p for p in analysis.places}
    figures = {f.id: f for f in analysis.figures}
    length = max(1, len(analysis.text))
    per_sentence: dict[tuple[int, int], int] = {}
    for e in analysis.events:
        key = (e.evidence.start, e.evidence.end)
        per_sentence[key] = per_sentence.get(key, 0) + 1
    out = []
    participants = named_participants(analysis)
    for event in analysis.events:
        if event.hypothetical:
            continue
        alone = per_sentence[(event.evidence.start, event.evidence.end)] == 1
        m = _mention(analysis, event, order, actors, places, figures, length, alone)
        m.participants = participants
        out.append(m)
    return out


def named_participants(analysis: Analysis) -> list[str]:
    """Who an article is about by name: dictionary actors, and actors with a country, of
    the kinds that take part in politics (states, governments, forces, groups, people
    named in the dictionary), most mentioned first. Unresolved words ("residents") and
    people only NER knows (a quoted shopkeeper) say nothing about which story it is."""
    kinds = settings.LINK_PARTICIPANT_KINDS
    found = [a for a in analysis.actors
             if a.kind in kinds and (a.known or (a.country and a.kind != "person"))]
    found.sort(key=lambda a: (-len(a.mentions), a.id))
    return [a.id for a in found]


def _mention(
    analysis: Analysis,
    event: Event,
    order: int,
    actors: dict[str, Actor],
    places: dict[str, Place],
    figures: dict[str, Figure],
    length: int,
    alone: bool = True,
) -> EventMention:
    ev = event.evidence
    place = places.get(event.place) if event.place else None
    claims = _event_claims(analysis, event)
    voice_claim = next((c for c in analysis.claims if _inside(ev.start, c.content)), None)
    return EventMention(
        article=analysis.id,
        event=event.id,
        order=order,
        type=event.type,
        outlet=analysis.outlet,
        published=(analysis.published or "")[:10] or None,
        duplicate_of=analysis.duplicate_of,
        mode=event.mode,
        actor=event.actor,
        target=event.target,
        actor_party=party(event.actor, actors),
        target_party=party(event.target, actors),
        actor_parent=parent(event.actor, actors),
        target_parent=parent(event.target, actors),
        place=event.place,
        place_name=place.name if place else None,
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        place_kind=place.kind if place else None,
        place_country=lexicon().iso3.get(place.country or "", place.country) if place else None,
        date=event.date,
        date_precision=event.date_precision,
        negated=event.negated,
        hypothetical=event.hypothetical,
        evidence=Mention(ev.start, ev.end, ev.text),
        position=ev.start / length,
        voice=_speaker_party(voice_claim.speaker, voice_claim.speaker_text, actors)
        if voice_claim
        else None,
        date_span=_date_span(analysis, event),
        place_span=_place_span(place, ev.start, ev.end),
        figures=_event_figures(analysis, event, figures, actors, alone),
        claims=[
            ClaimMention(
                claim=c.id,
                speaker=c.speaker or c.speaker_text,
                party=_speaker_party(c.speaker, c.speaker_text, actors),
                stance=c.stance,
                evidence=Mention(c.start, c.end, analysis.text[c.start : c.end]),
            )
            for c in claims
        ],
        actor_known=_known(event.actor, actors),
        target_known=_known(event.target, actors),
        genre=analysis.genre.label if analysis.genre else None,
        trigger=event.trigger,
    )


def _known(actor_id: str | None, actors: dict[str, Actor]) -> bool:
    actor = actors.get(actor_id) if actor_id else None
    return actor is not None and (actor.known or bool(actor.country))


def party(actor_id: str | None, actors: dict[str, Actor]) -> str | None:
    """Who an actor speaks or acts for: its country, else its top parent, else itself.

    Parties are what contests are judged by: Israel's military and Israel's government are
    one party; the UN is its own.
    """
    if not actor_id:
        return None
    seen = set()
    current = actor_id
    while current and current not in seen:
        seen.add(current)
        actor = actors.get(current)
        if actor is None:
            return current
        if actor.country:
            return actor.country
        if not actor.parent:
            return current
        current = actor.parent
    return current


def parent(actor_id: str | None, actors: dict[str, Actor]) -> str | None:
    """The actor's parent (israel-military -> israel), or the actor itself."""
    if not actor_id:
        return None
    actor = actors.get(actor_id)
    return (actor.parent if actor and actor.parent else None) or actor_id


def _speaker_party(speaker: str | None, text: str | None, actors: dict[str, Actor]) -> str | None:
    if speaker:
        actor = actors.get(speaker)
        if actor is not None and actor.kind in settings.LINK_GENERIC_SPEAKER_KINDS \
                and not actor.country and not actor.parent:
            # "the army said" with no army named: the one country the article's actors
            # belong to, when there is only one ("Soldiers freed 104 ..., the army said" in
            # an article about Mali); with several (Israel and Gaza) it stays unresolved.
            countries = {a.country for a in actors.values() if a.country}
            if len(countries) == 1:
                return countries.pop()
        return party(speaker, actors)
    if text:
        # An unresolved speaker ("credible local sources") is a party of its own words.
        return "src:" + " ".join(text.lower().split())
    return None


def _inside(offset: int, span) -> bool:
    return span.start <= offset < span.end


def _event_claims(analysis: Analysis, event: Event) -> list[Claim]:
    """Claims that report this event: linked either way, or whose content holds its trigger."""
    ids = set(event.claims)
    anchor = event.trigger_span.start if event.trigger_span else event.evidence.start
    return [
        c for c in analysis.claims
        if c.id in ids or c.event == event.id
        or (c.content.start <= anchor < c.content.end)
    ]


def _event_figures(
    analysis: Analysis,
    event: Event,
    figures: dict[str, Figure],
    actors: dict[str, Actor],
    alone: bool = True,
) -> list[FigureMention]:
    """The incident tolls of this event.

    The scope stage says which event each figure counts and over what span
    (analyze/scope.py): only this event's incident tolls are lined up in its story, never a
    cumulative or period count, nor another event's toll told beside it. Analyses stored
    before that stage existed carry no scope; for them: the figures the events stage
    linked, those of claims linked to the event and, when it is its sentence's only event,
    the figures in that sentence."""
    if any(f.scope is not None for f in analysis.figures):
        ids = [f.id for f in analysis.figures if f.event == event.id and f.scope == "incident"]
    else:
        ids = list(event.figures)
        linked = set(event.claims)
        for c in analysis.claims:
            if c.id in linked or c.event == event.id:
                ids.extend(c.figures)
        ev = event.evidence
        if alone:
            ids.extend(f.id for f in analysis.figures if ev.start <= f.start and f.end <= ev.end)
    out, seen = [], set()
    for fid in ids:
        fig = figures.get(fid)
        if fig is None or fid in seen:
            continue
        seen.add(fid)
        speaker, speaker_text = figure_speaker(analysis, fig)
        out.append(FigureMention(
            figure=fig.id,
            value=fig.value,
            what=fig.what,
            who=fig.who,
            low=fig.low,
            high=fig.high,
            hedge=fig.hedge,
            approximate=fig.approximate,
            speaker=speaker or speaker_text,
            party=_speaker_party(speaker, speaker_text, actors),
            evidence=Mention(fig.start, fig.end, fig.text),
            scope=fig.scope,
            who_text=fig.who_text,
            sentence=sentence_of(analysis, fig.start, fig.end),
        ))
    return out


def figure_speaker(analysis: Analysis, fig: Figure) -> tuple[str | None, str | None]:
    """The claim (or quote) whose content holds the figure; (None, None) = the outlet's voice."""
    # The innermost claim speaks: "X said that Y reported 30 killed" is Y's figure.
    holding = [
        c for c in analysis.claims
        if fig.id in c.figures or (c.content.start <= fig.start and fig.end <= c.content.end)
    ]
    best = min(holding, key=lambda c: c.content.end - c.content.start, default=None)
    if best is not None:
        return best.speaker, best.speaker_text
    for q in analysis.quotes:
        if q.start <= fig.start and fig.end <= q.end:
            return q.speaker, q.speaker_text
    return None, None


def _date_span(analysis: Analysis, event: Event) -> Mention | None:
    """The time expression inside the evidence that carries the event's date."""
    if not event.date:
        return None
    ev = event.evidence
    for t in analysis.times:
        if ev.start <= t.start and t.end <= ev.end and t.value and (
            t.value[:10] == event.date[:10] or event.date.startswith(t.value)
        ):
            return Mention(t.start, t.end, t.text)
    return None


def _place_span(place: Place | None, start: int, end: int) -> Mention | None:
    if place is None:
        return None
    inside = [m for m in place.mentions if start <= m.start and m.end <= end]
    return inside[0] if inside else (place.mentions[0] if place.mentions else None)


def is_town(kind: str | None, place_id: str | None = None) -> bool:
    """A place precise enough to say where an event happened (not a country or region)."""
    if place_id and place_id.startswith(settings.LINK_COARSE_PLACE_PREFIXES):
        return False
    return bool(kind) and kind not in settings.LINK_COARSE_PLACE_KINDS


def sentence_of(analysis: Analysis, start: int, end: int) -> Mention:
    """The sentence holding text[start:end]: an event's evidence sentence when one holds
    it (the parser's sentence), else the span between sentence-ending punctuation."""
    for e in analysis.events:
        ev = e.evidence
        if ev.start <= start and end <= ev.end:
            return Mention(ev.start, ev.end, analysis.text[ev.start:ev.end])
    text = analysis.text
    left = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        left = m.end()
    m = _SENTENCE_END.search(text, end)
    right = m.start() + 1 if m else len(text)
    return Mention(left, right, text[left:right])


_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+")
