"""Attribution: claims in reported speech and direct quotations, with their speakers."""

from __future__ import annotations

from triangulate.model import Actor, Claim, Figure, Quote


def find_attributions(
    doc, actors: list[Actor], figures: list[Figure]
) -> tuple[list[Claim], list[Quote], list[Actor]]:
    """Claims and quotes, and any speakers that are not yet in ``actors`` (returned as new)."""
    return [], [], []
