"""Fuzzing the analysis: hostile text never raises, and every cited span of every layer
is exactly ``text[start:end]``.

The same generators run at scale, with their cost, in bench/fuzz.py (docs/performance.md)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import fuzz

PIECES = st.sampled_from([
    " ", "\n", "\n\n", '"', "\u201c", "\u201d", "'", "\u2019", "\u00ab", "\u00bb", ",", ".",
    ";", ":", "-", "\u2014", "(", ")", "said", "according to", "officials", "Hamas", "Israel",
    "killed", "thousand", "hundred", "dozens", "at least", "12", "1,000", "9999", "Monday",
    "next week", "last year", "January 32", "in Gaza", "Goma", "the army", "he", "she",
    "\u200b", "\u202e", "a\u0301", "\U0001f4a5", "\ud800", "\ufeff", "\x00", "\t",
])
HOSTILE = st.one_of(
    st.lists(PIECES, max_size=120).map(" ".join),
    st.lists(PIECES, max_size=60).map("".join),
    st.text(max_size=400),
)


def _check(analysis) -> None:
    assert fuzz.offset_mismatches(analysis) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=HOSTILE, published=st.sampled_from([None, "2024-03-01", "9999-12-31",
                                                "0001-01-01", "not a date"]))
def test_hostile_text_is_analysed_and_every_span_is_exact(text, published):
    import triangulate

    _check(triangulate.analyze(text, published=published))


@pytest.mark.parametrize("name,text,published", fuzz.issue_texts(big=False),
                         ids=lambda v: v if isinstance(v, str) and len(v) < 20 else "")
def test_the_texts_issue_16_found_are_analysed(name, text, published, analyze):
    _check(analyze(text, published=published))


def test_generated_storms_runs_and_soups_are_analysed(analyze):
    m = fuzz.Maker(7, scale=0.2)
    for _, text, published in fuzz.analysis_texts(m, 12):
        _check(analyze(text, published=published))
