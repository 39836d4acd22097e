"""Events: PLOVER 2.0 events from dependency parses and data/events.json patterns."""

from __future__ import annotations

from triangulate.model import Actor, Claim, Event, Figure, Place, TimeExpression


def find_events(
    doc,
    actors: list[Actor],
    places: list[Place],
    times: list[TimeExpression],
    figures: list[Figure],
    claims: list[Claim],
) -> list[Event]:
    """PLOVER events with actor, target, place and date, linked to figures and claims."""
    return []
