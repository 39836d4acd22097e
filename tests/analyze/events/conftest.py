"""Helpers for the events package's tests: the whole pipeline on invented sentences."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def read(nlp):
    """read(text, published) -> Analysis of one short invented article."""
    import triangulate

    def run(text: str, published: str = "2024-04-08"):
        return triangulate.analyze(text, published=published)

    return run


def event(analysis, typ: str, trigger: str | None = None):
    """The one event of this type (and trigger word) in an analysis."""
    found = [e for e in analysis.events
             if e.type == typ and (trigger is None or e.trigger == trigger)]
    assert len(found) == 1, [(e.type, e.trigger, e.actor, e.target) for e in analysis.events]
    return found[0]


def actor(analysis, actor_id: str):
    return next(a for a in analysis.actors if a.id == actor_id)
