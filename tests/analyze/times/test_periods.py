"""Financial reporting periods (analyze/times/periods.py). Published 9 May 2024, in the
second quarter."""

from __future__ import annotations

import pytest

from tests.analyze.times import expect

FILLER = " The board also discussed staffing, pensions and the new offices." * 8

CASES = [
    pytest.param("Profit rose 4% in the latest quarter.", "the latest quarter", "2024-Q1",
                 id="the latest quarter is the last one completed"),
    pytest.param("Profit rose 5% in the quarter.", "the quarter", "2024-Q1",
                 id="the quarter in a results story is the last one completed"),
    pytest.param("Revenue rose in the third quarter of 2023. In the quarter, costs fell.",
                 "the quarter", "2023-Q3", id="the quarter after a quarter named is that one"),
    pytest.param("The match was decided in the third half.", "the third half", None,
                 id="a year has no third half"),
    pytest.param("He scored in the first half of the match.", "the first half", None,
                 id="the first half of a match is no date"),
    pytest.param("Sales this quarter are expected to rise.", "this quarter", "2024-Q2",
                 id="this quarter is the current one"),
    pytest.param("Profit in the year-ago quarter was lower.", "the year-ago quarter",
                 {"value": "2023-Q1", "anchor": "narrative"},
                 id="the year-ago quarter, none named, is a year before the last one"),
    pytest.param("Revenue rose in the third quarter of 2023. On October 5 the board met. "
                 "Sales that quarter beat forecasts.", "that quarter", "2023-Q3",
                 id="that quarter is the one the text named, even after a day"),
    pytest.param("Revenue rose in the third quarter of 2023. On October 5 the board met. "
                 "Costs in the same quarter rose.", "the same quarter",
                 {"value": "2023-Q3", "anchor": "narrative"},
                 id="the same quarter is the one the text named, even after a day"),
    pytest.param("Profit in the year-ago second quarter was lower.",
                 "the year-ago second quarter", "2023-Q2",
                 id="the year-ago second quarter is last year's"),
    pytest.param("Revenue rose in the third quarter of 2023, up from the year-ago quarter. "
                 "Sales that quarter beat forecasts.", "that quarter", "2023-Q3",
                 id="a year-ago quarter in passing does not become that quarter"),
    pytest.param("On April 2 the board met. Profit rose in the latest quarter.",
                 "the latest quarter", "2024-Q1",
                 id="the latest quarter after a day is still the last one completed"),
    pytest.param("Compared with the last period, sales rose.", "the last period", None,
                 id="the last period is no date"),
    pytest.param("Revenue rose in the third quarter of 2023." + FILLER
                 + " Sales that quarter beat forecasts.", "that quarter", "2023-Q3",
                 id="that quarter reaches back to a quarter named long before"),
    pytest.param("Revenue rose in the second quarter of 2023. On August 2 the board met. "
                 "A year earlier, revenue had fallen.", "A year earlier", "2022-Q2",
                 id="a year earlier in a results story is the year-ago quarter"),
    pytest.param("Profit fell in the third quarter of 2023 from a year earlier.",
                 "a year earlier", "2022-Q3", id="a year before a quarter is that quarter"),
]


@pytest.mark.parametrize(("text", "expression", "expected"), CASES)
def test_reporting_periods(times, text, expression, expected):
    expect(times, text, expression, expected)


@pytest.mark.parametrize(("text", "expression"), [
    ("Profit in the year-ago quarter was lower.", "the year-ago quarter"),
    ("Sales rose in the latest quarter.", "the latest quarter"),
    ("Profit rose 5% in the quarter.", "the quarter"),
])
def test_without_publication_or_a_named_quarter_a_relative_quarter_has_no_value(
        times, text, expression):
    expect(times, text, expression, {"value": None, "type": "date", "anchor": None},
           published=None)
