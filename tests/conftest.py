"""Shared fixtures: the spaCy model (loaded once per test session) and small helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "src" / "triangulate" / "data" / "sample"
SHARED_DIR = Path(__file__).resolve().parent.parent.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from triangulate.analyze import nlp as nlp_module

    return nlp_module.load()


@pytest.fixture(scope="session")
def parse(nlp):
    """parse("text") -> spaCy Doc, with the project's model."""
    return nlp


@pytest.fixture
def analyze():
    """analyze(text, published=None) -> Analysis, through the public API."""
    import triangulate

    return triangulate.analyze


@pytest.fixture(scope="session")
def sample_articles():
    """Every English sample-corpus article, read by the real ingest."""
    from triangulate.ingest.prepare import prepare
    from triangulate.ingest.sources import read_inputs
    from triangulate.model import Article

    return [
        item for item in (prepare(raw) for raw in read_inputs([str(SAMPLE_DIR)])
                          if not hasattr(raw, "reason"))
        if isinstance(item, Article)
    ]


@pytest.fixture(scope="session")
def sample_analyses(nlp, sample_articles):
    """Every English sample-corpus article analysed once, in this process."""
    from triangulate.analyze.pipeline import analyze_articles

    return list(analyze_articles(sample_articles))


POISON = "POISONED-FOR-THE-TEST"


@pytest.fixture
def poison(monkeypatch):
    """Make the events stage raise on any article holding POISON, as a stage's bug would
    (the technique tagger once raised on every two-token text): the way the isolation
    tests fail one article on purpose, with nothing special in the library."""
    from triangulate.analyze import events

    real = events.find_events

    def find_events(doc, *args, **kwargs):
        if POISON in doc.text:
            raise ValueError("operands could not be broadcast")
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(events, "find_events", find_events)
    return POISON
