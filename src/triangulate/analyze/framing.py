"""Framing: document tone, persuasion techniques and stance toward actors."""

from __future__ import annotations

from triangulate.model import Actor, Claim, Framing, Quote


def find_framing(doc, actors: list[Actor], claims: list[Claim], quotes: list[Quote]) -> Framing:
    """Tone, technique spans (quoted ones credited to their speaker) and per-actor stance."""
    return Framing(tone=0.0)
