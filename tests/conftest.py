"""Shared fixtures: the spaCy model (loaded once per test session) and small helpers."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

import pytest

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "src" / "triangulate" / "data" / "sample"
SHARED_DIR = Path(__file__).resolve().parent.parent.parent / "shared"


def in_ci() -> bool:
    """CI=true (or 1, yes), as .ci/run sets it and most CI services do."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def unavailable(reason: str) -> NoReturn:
    """A test whose tool is not installed: skipped with the reason on a user's machine, but
    a failure under CI, where every test must run (a skip there would pass unnoticed)."""
    if in_ci():
        pytest.fail(f"{reason} [CI={os.environ['CI']}: a test that cannot run fails in CI]",
                    pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def pytest_sessionstart(session):
    """Under mutation testing (bench/mutation.py) each mutant's tests run in a process forked
    from one that already ran them on the unmutated code: the mutated module's functools
    caches are emptied first, or a value cached there would hide the mutant."""
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    module = sys.modules.get(mutant.rsplit(".", 1)[0]) if "__mutmut_" in mutant else None
    for value in vars(module).values() if module else ():
        if hasattr(value, "cache_clear") and getattr(value, "__module__", "") == module.__name__:
            value.cache_clear()


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
