"""Figures: counted outcomes (killed, injured, displaced, ...) with hedges and ranges."""

from __future__ import annotations

from triangulate.model import Figure


def find_figures(doc) -> list[Figure]:
    """Every number that counts people or outcomes, with what happened and to whom."""
    return []
