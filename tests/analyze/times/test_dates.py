"""Calendar names (analyze/times/dates.py): ISO dates, month-day dates, months, years,
centuries and holidays, and the words around them that make them something else."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.analyze.times import expect

CASES = [
    # ISO dates
    pytest.param("The order took effect on 2024-04-06.", "2024-04-06",
                 {"value": "2024-04-06", "type": "date", "anchor": "absolute"},
                 id="an ISO date is that day"),
    pytest.param("The log shows an entry at 2024-04-06T15:30.", "2024-04-06T15:30",
                 {"value": "2024-04-06T15:30", "type": "time", "anchor": "absolute"},
                 id="an ISO date with a clock time is that minute"),
    # month-day dates
    pytest.param("The town fell on April 6, 2023, after a long siege.", "April 6, 2023",
                 {"value": "2023-04-06", "type": "date", "anchor": "absolute"},
                 id="a date with its year is a date"),
    pytest.param("Survivors of the October 7 attacks testified.", "October 7",
                 {"value": "2023-10-07", "type": "date", "anchor": "absolute"},
                 id="a yearless date naming widely reported attacks is their date"),
    pytest.param("Rockets were fired on April 6.", "April 6",
                 {"value": "2024-04-06", "type": "date", "anchor": "published"},
                 id="a yearless date takes its year from publication"),
    pytest.param("The talks ended on April 6 (local time).", "April 6", "2024-04-06",
                 id="a date followed by a bracket inside a sentence is no dateline"),
    pytest.param("WASHINGTON, April 6 (Wire) -- Talks resumed after a pause.", "April 6", None,
                 id="a wire dateline is not part of the story"),
    pytest.param("Talks resume\n\nA first line of the report that runs well past sixty "
                 "characters before it ends.\nWASHINGTON, April 6 (Wire) -- Talks resumed.",
                 "April 6", None, id="a dateline is found on its own line, not the first"),
    pytest.param("On Sunday, April 25, the talks collapsed.", "Sunday, April 25", "2024-04-25",
                 id="a weekday that fits no nearby year does not stop the date"),
    pytest.param("It was shelled on October 7, 2023 and again on October 12, 2023. Since "
                 "October 7, aid has stopped. The next day, the border closed.",
                 "The next day", "2023-10-08",
                 id="a date repeated with the text's year is a day the text goes on from"),
    pytest.param("On 2024-04-06 the siege began. The next day the town fell.", "The next day",
                 "2024-04-07", id="an ISO date is a day the text goes on from"),
    pytest.param("The town fell on October 7, 2023. Since October 7, no aid has entered.",
                 "October 7", {"value": "2023-10-07", "type": "date", "anchor": "narrative"},
                 id="a yearless date repeats the year the text gave it"),
    # months
    pytest.param("The dam burst in March last year.", "March last year", "2023-03",
                 id="a month of last year"),
    pytest.param("The talks collapsed last April.", "last April", "2023-04",
                 id="last April said in May is the April of the year before"),
    pytest.param("The talks collapsed last April. A month later, they resumed.",
                 "A month later", "2023-05", id="last April is a month the text goes on from"),
    pytest.param("Members of the April 6 Movement protested.", "April", None,
                 id="a month in a date that names a movement is no month"),
    pytest.param("The ceasefire of July 2022 was short. It broke down in July.", "July",
                 {"value": "2022-07", "anchor": "narrative"},
                 id="a bare month repeats the year the text gave it"),
    pytest.param("Elections were held in March.", "March", "2024-03",
                 id="a month that is also a word is a month after a preposition of time"),
    pytest.param("Prime Minister Theresa May spoke in London.", "May", None,
                 id="a month name in a person's name is no month"),
    pytest.param("Crowds gathered outside the August Wilson Theatre.", "August", None,
                 id="a month name in the name of a building is no month"),
    pytest.param("Fighting intensified in the summer.", "the summer", "2023-SU",
                 id="the summer after a preposition of time, in the past, is last summer"),
    pytest.param("Fighting paused in summer 2023.", "summer 2023", "2023-SU",
                 id="a season with its year"),
    pytest.param("The village has been empty since the winter.", "the winter", "2023-WI",
                 id="since the winter is the last winter"),
    # years, centuries
    pytest.param("Veterans of the 1992 protests marched again.", "1992", "1992",
                 id="a year before a plural noun after a determiner is a year"),
    pytest.param("He drove a 2003 Toyota Corolla.", "2003", None,
                 id="a model year before a make is no date"),
    pytest.param("Veterans recalled the eighties.", "the eighties", "198",
                 id="the eighties is a decade"),
    pytest.param("Historians studied the 1990s.", "the 1990s", "199", id="the 1990s"),
    pytest.param("Talks will run into the mid-'90s.", "the mid-'90s",
                 {"value": "199", "mod": "MID"},
                 id="the mid-'90s is the middle of the 1990s"),
    pytest.param("She is in her nineties.", "nineties", None, id="her nineties is an age"),
    pytest.param("The fort dates from the 30th century.", "the 30th century", None,
                 id="a century after the 21st is no date"),
    pytest.param("The bridge opened in 1995 or later.", "1995 or later",
                 {"value": "1995", "mod": "ON_OR_AFTER"}, id="a year or later"),
    pytest.param("Fighting stopped for the Christmas Day truce.", "Christmas Day", "2023-12-25",
                 id="a holiday naming an event is the nearest one"),
    pytest.param("The talks resume next Christmas.", "next Christmas", "2024-12-25",
                 id="next Christmas is the coming one"),
    pytest.param("The elections in February were postponed.", "February", "2024-02",
                 id="a month inside a noun phrase of a past clause is the nearest one"),
    pytest.param("Bread prices rose 2000% during the siege.", "2000", None,
                 id="a percentage is no year"),
    pytest.param("The 1900 census counted them.", "1900", "1900",
                 id="1900 is a year without a preposition"),
    pytest.param("The militia held the town in nineteen ninety-six.", "nineteen ninety-six",
                 "1996", id="a year in words"),
    pytest.param("The shrine dates from the early 20th century.", "the early 20th century",
                 {"value": "19", "mod": "START"}, id="the early part of a century"),
    # holidays
    pytest.param("The truce held over Christmas 2023.", "Christmas 2023",
                 {"value": "2023-12-25", "type": "date", "anchor": "absolute"},
                 id="a holiday with its year"),
    pytest.param("The truce began on Christmas 2023. The next day, shelling resumed.",
                 "The next day", "2023-12-26", id="a dated holiday is a day the text goes on from"),
    pytest.param("Flights to Christmas Island resumed.", "Christmas", None,
                 id="a holiday name in a place name is no holiday"),
]


@pytest.mark.parametrize(("text", "expression", "expected"), CASES)
def test_calendar_names(times, text, expression, expected):
    expect(times, text, expression, expected)


@pytest.mark.parametrize(("text", "expression"), [
    ("The offensive began in March.", "March"),
    ("The truce was agreed on Christmas Day.", "Christmas Day"),
    ("The dam burst in March last year.", "March last year"),
])
def test_without_a_publication_date_or_an_earlier_date_a_yearless_name_has_no_value(
        times, text, expression):
    expect(times, text, expression, {"value": None, "type": "date"}, published=None)


@pytest.mark.parametrize(("published", "value"), [
    (dt.date(2024, 5, 9), "2024-03-31"),  # Easter 2024 is nearer than Easter 2025
    (dt.date(2024, 12, 20), "2024-12-25"),  # a coming Christmas five days away
])
def test_a_holiday_with_no_tense_is_the_nearest_one(times, published, value):
    text = ("The Easter ceasefire collapsed within hours." if value.endswith("03-31")
            else "The Christmas truce collapsed within hours.")
    expect(times, text, text.split()[1], value, published)


def test_a_yearless_date_names_the_attacks_of_its_year_only_with_their_word(times):
    # "October 7" fixes 2023 only when it names the attacks; a meeting on October 7 is
    # the next one.
    expect(times, "The council will meet on October 7 to vote.", "October 7",
           "2026-10-07", published=dt.date(2026, 3, 1))
    expect(times, "Survivors of the October 7 attacks testified.", "October 7",
           {"value": "2023-10-07", "type": "date"}, published=dt.date(2026, 3, 1))


def test_last_april_said_in_june_is_this_years(times):
    expect(times, "The talks collapsed last April.", "last April", "2024-04",
           published=dt.date(2024, 6, 15))


def test_without_publication_a_yearless_date_is_placed_near_the_last_date(times):
    expect(times, "The town fell on April 6, 2023. Talks will resume on May 2.", "May 2",
           "2023-05-02", published=None)
