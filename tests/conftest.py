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
