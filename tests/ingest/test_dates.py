"""Datelines and metadata dates: read when clearly there, never guessed from the body."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triangulate.ingest.dates import dateline_date, normalize_date

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
SHORT = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.",
         "Nov.", "Dec."]
dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31))


def _formats(d: dt.date) -> list[str]:
    return [
        f"{d.day} {MONTHS[d.month - 1]} {d.year}",
        f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
        f"{SHORT[d.month - 1]} {d.day}, {d.year}",
        f"{d.strftime('%A')}, {d.day} {MONTHS[d.month - 1]} {d.year}",
        d.isoformat(),
    ]


places = st.sampled_from(["GENEVA, ", "Kyiv, ", "KHAN YOUNIS, Gaza Strip, ",
                          "WASHINGTON (Reuters), ", "PORT SUDAN, Sudan (Meridian Wire) ", ""])
separators = st.sampled_from([" — ", " – ", " - ", ". ", ": ", " -- "])


@given(dates, st.integers(0, 4), places, separators)
def test_a_leading_dateline_gives_its_date(d, fmt, place, sep):
    text = f"{place}{_formats(d)[fmt]}{sep}Shelling resumed overnight, officials said."
    assert dateline_date(text) == d.isoformat()


@given(dates, st.integers(0, 4), st.sampled_from(
    ["Officials said on ", "The attack on ", "On ", "In Kyiv, on ", "Shelling resumed. "]))
def test_a_date_inside_a_sentence_is_not_a_dateline(d, fmt, lead):
    assert dateline_date(f"{lead}{_formats(d)[fmt]}, the army said.") is None


@given(dates)
def test_a_date_on_a_later_line_is_not_a_dateline(d):
    assert dateline_date(f"Shelling resumed overnight\nGENEVA, {_formats(d)[0]} — x") is None


@pytest.mark.parametrize("text", [
    "KHAN YOUNIS, Gaza Strip (Meridian Wire) — Israeli forces withdrew on Sunday.",
    "BEIRUT, Lebanon, Oct. 8 (AP) — A strike hit the suburb.",  # no year: unknown
    "LONDON, 31 February 2024 — An impossible day.",
    "",
])
def test_datelines_without_a_full_valid_date_give_nothing(text):
    assert dateline_date(text) is None


@pytest.mark.parametrize("line", [
    "GENEVA, 9 June 2024 — Crossline Relief said",
    "Kyiv, April 9, 2022. Russian forces",
    "KYIV (AP) June 9, 2024 — Officials",
])
def test_the_datelines_of_the_issue(line):
    assert dateline_date(line) in {"2024-06-09", "2022-04-09"}


@given(dates, st.sampled_from(["T08:30:00Z", "T23:59:00-05:00", " 10:00", ""]))
def test_iso_timestamps_keep_their_own_calendar_day(d, time):
    assert normalize_date(d.isoformat() + time) == d.isoformat()


@given(dates)
def test_common_metadata_forms_are_normalised(d):
    rfc = d.strftime("%a, %d %b %Y 10:00:00 GMT")
    for value in (rfc, d.strftime("%Y%m%d"), d.strftime("%Y/%m/%d"), *_formats(d)[:3]):
        assert normalize_date(value) == d.isoformat(), value


@pytest.mark.parametrize("value", [None, "", "yesterday", "2024", "May 2024", "0000-00-00",
                                   "1850-01-01", "n/a"])
def test_unreadable_or_partial_dates_give_nothing(value):
    assert normalize_date(value) is None
