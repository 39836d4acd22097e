"""Actors: who is named, from our dictionary (data/actors.jsonl) and from NER."""

from __future__ import annotations

from triangulate.model import Actor


def find_actors(doc) -> list[Actor]:
    """Every actor the article names, each with all its mentions (offsets into doc.text)."""
    return []
