"""Fixtures of the analysis tests."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.analyze.times import PUB
from triangulate.analyze.times import find_times


@pytest.fixture(scope="module")
def times(nlp):
    """times(text, published=PUB) -> {expression text: TimeExpression}."""

    def run(text: str, published: dt.date | None = PUB):
        doc = nlp(text)
        found = find_times(doc, published)
        for t in found:
            assert text[t.start:t.end] == t.text
        return {t.text: t for t in found}

    return run
