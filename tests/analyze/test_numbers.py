"""Numbers as news copy writes them: digits, words, hedges, ranges, vague counts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.analyze.spelled import in_words
from triangulate.analyze.numbers import parse_number, parse_quantity, phrase_tokens, scan


@given(st.integers(min_value=0, max_value=999_999), st.booleans(), st.booleans())
def test_every_integer_written_in_words_reads_back(n, hyphen, british_and):
    assert parse_number(in_words(n, hyphen, british_and)) == n


@given(st.integers(min_value=0, max_value=10**12))
def test_digits_with_thousands_separators_read_back(n):
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n


@given(st.integers(min_value=1, max_value=999), st.sampled_from(
    [("thousand", 10**3), ("million", 10**6), ("billion", 10**9)]))
def test_decimals_with_a_scale_word_are_exact(tenths, scale):
    word, factor = scale
    value = parse_number(f"{tenths / 10:g} {word}")
    assert value == tenths * factor // 10
    assert isinstance(value, int)


@given(st.integers(min_value=1, max_value=10**7), st.sampled_from(
    ["at least", "more than", "over", "no fewer than"]))
def test_a_lower_bound_hedge_sets_low(n, hedge):
    q = parse_quantity(f"{hedge} {n:,}")
    assert (q.value, q.low, q.high, q.approximate, q.hedge) == (n, n, None, True, hedge)


@given(st.integers(min_value=1, max_value=10**7), st.sampled_from(
    ["nearly", "almost", "up to", "as many as", "fewer than"]))
def test_an_upper_bound_hedge_sets_high(n, hedge):
    q = parse_quantity(f"{hedge} {n:,}")
    assert (q.value, q.low, q.high, q.approximate, q.hedge) == (n, None, n, True, hedge)


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6),
       st.sampled_from(["between {} and {}", "{} to {}", "{}-{}", "{} or {}"]))
def test_a_range_gives_low_and_high_and_its_low_end_as_value(a, gap, pattern):
    q = parse_quantity(pattern.format(f"{a:,}", f"{a + gap:,}"))
    assert (q.value, q.low, q.high, q.approximate) == (a, a, a + gap, True)


@given(st.lists(st.sampled_from(["the", "army", "said", "in", "2014", ",", "killing", "at",
                                  "least", "nine", "-", "to", "dozens", "of", "a", "and"]),
                max_size=30))
def test_the_scanner_never_overlaps_or_leaves_the_text(tokens):
    spans = list(scan(tokens))
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.end <= b.start
    for s in spans:
        assert 0 <= s.start <= s.num_start < s.num_end <= s.end <= len(tokens)


@pytest.mark.parametrize(("text", "value"), [
    ("nine", 9),
    ("twenty-four", 24),
    ("two hundred", 200),
    ("two hundred and fifty", 250),
    ("a dozen", 12),
    ("two dozen", 24),
    ("a hundred", 100),
    ("half a million", 500_000),
    ("1,200", 1200),
    ("1.2 million", 1_200_000),
    ("12k", 12_000),
    ("2bn", 2_000_000_000),
    ("3 lakh", 300_000),
])
def test_exact_numbers(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(("text", "low", "high"), [
    ("dozens", 24, 99),
    ("scores", 40, 99),
    ("hundreds", 200, 999),
    ("thousands", 2000, 9999),
    ("tens of thousands", 20_000, 99_999),
    ("hundreds of thousands", 200_000, 999_999),
    ("several hundred", 300, 999),
])
def test_a_vague_count_is_its_low_bound_with_a_range(text, low, high):
    q = parse_quantity(text)
    assert (q.value, q.low, q.high, q.vague, q.approximate, q.hedge) == (low, low, high, True,
                                                                         True, text)


@pytest.mark.parametrize("text", ["some 30", "about 30", "around 30", "roughly 30",
                                  "an estimated 30", "30-odd", "30 or so"])
def test_an_estimate_is_approximate_without_bounds(text):
    q = parse_quantity(text)
    assert (q.value, q.low, q.high, q.approximate) == (30, None, None, True)


def test_a_scale_written_once_applies_to_both_ends_of_a_range():
    q = parse_quantity("1 to 2 million")
    assert (q.low, q.high) == (1_000_000, 2_000_000)


def test_a_pair_that_does_not_rise_is_no_range():
    assert [s.quantity.value for s in scan(phrase_tokens("5 to 2 million"))] == [5, 2_000_000]


def test_a_change_from_one_number_to_another_is_no_range():
    assert [s.quantity.value for s in scan(phrase_tokens("rose from 250 to 274"))] == [250, 274]


@pytest.mark.parametrize("text", ["no one", "nineteen eighty four", "dozen", "a", "first",
                                  "F-16", "9/11", ""])
def test_not_a_number(text):
    assert parse_number(text) is None
