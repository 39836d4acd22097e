"""Counts and years in words (analyze/times/numbers.py)."""

from __future__ import annotations

import pytest

from triangulate.analyze.times import number_value, spoken_year, year_value


@pytest.mark.parametrize(("words", "year"), [
    ("nineteen hundred", 1900),
    ("nineteen oh five", 1905),
    ("nineteen o five", 1905),
    ("nineteen ninety ten", None),  # what follows the century stays below a hundred
    ("two thousand and eight", 2008),
    ("five ninety", None),  # no century: a count, not a year
    ("nineteen one hundred", None),
])
def test_spoken_years(words, year):
    assert spoken_year(words) == year


def test_a_year_value_reads_digits_and_words():
    assert year_value(" 1996 ") == 1996
    assert year_value("nineteen ninety-six") == 1996


@pytest.mark.parametrize(("words", "number"), [
    ("half an", 0.5),
    ("a dozen", 12.0),
    ("one hundred and twenty", 120.0),
    ("two thousand", 2000.0),
    ("several", None),
    ("a lot of", None),
])
def test_count_phrases(words, number):
    assert number_value(words) == number
