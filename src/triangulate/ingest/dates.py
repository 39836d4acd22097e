"""Publication dates: metadata dates in any common form -> YYYY-MM-DD, and datelines.

Two jobs, kept strict on purpose: a wrong publication date is worse than none, because the
times stage resolves "on Sunday" and "last week" from it.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from functools import cache

from triangulate import datafiles

# Publication dates outside this range are typos or epoch artefacts (1970-01-01), not news.
MIN_YEAR, MAX_YEAR = 1900, 2100


@cache
def _calendar() -> tuple[dict[str, int], tuple[str, ...]]:
    data = datafiles.load_json("ingest", "calendar.json")
    return data["months"], tuple(data["weekdays"])


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    months, weekdays = _calendar()
    # Longest first so "sept" wins over "sep" and "june" over "jun".
    month = "|".join(sorted(months, key=len, reverse=True))
    weekday = "|".join(sorted(weekdays, key=len, reverse=True))
    # "9 June 2024", "9th of June, 2024", "June 9, 2024", "Sept. 9th 2024", "2024-06-09",
    # optionally after a weekday ("Monday, 9 June 2024"). Case-blind: "9 JUNE 2024".
    date = (
        rf"(?i:(?:(?:{weekday})\.?,?\s+)?"
        rf"(?:(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{month})\.?,?\s+(?P<y1>\d{{4}})"
        rf"|(?P<m2>{month})\.?\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})"
        r"|(?P<iso>\d{4}-\d{2}-\d{2})))"
    )
    whole = re.compile(rf"^\s*{date}\s*$")
    # A dateline: an optional place ("GENEVA", "KHAN YOUNIS, Gaza Strip", "Kyiv") and an
    # optional agency in parentheses, then the date, then what ends a dateline (a dash, a
    # full stop, a colon) or the end of the line. The place holds only capitalised words
    # and ends with a comma or the agency, so a sentence ("On June 9, 2024, troops ...",
    # "Officials said on 9 June 2024 that ...") never reads as a dateline.
    place = r"(?:[A-Z][\w'’.-]*(?:,?\s+[A-Z][\w'’.-]*){0,5})"
    agency = r"(?:\([^()\n]{1,40}\))"
    dateline = re.compile(
        rf"^\s*(?:{place}\s*(?:{agency}\s*)?,\s*|{place}\s*{agency}\s*,?\s*|{agency}\s*,?\s*)?"
        rf"{date}\s*{agency}?\s*(?:[—–:.]|-{{1,2}}\s|$)"
    )
    return whole, dateline


def _from_match(m: re.Match[str]) -> str | None:
    if m["iso"]:
        return _valid(*map(int, m["iso"].split("-")))
    months, _ = _calendar()
    name, day, year = (m["m1"], m["d1"], m["y1"]) if m["m1"] else (m["m2"], m["d2"], m["y2"])
    return _valid(int(year), months[name.lower()], int(day))


def _valid(year: int, month: int, day: int) -> str | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def dateline_date(text: str) -> str | None:
    """The date of a leading dateline ("GENEVA, 9 June 2024 —"), else None.

    Only the first line is looked at, and only a date at its very start (after a place and
    an agency at most): a date further into the body is an event date, not the
    publication date.
    """
    first = text.lstrip()[:200].split("\n", 1)[0]
    m = _patterns()[1].match(first)
    return _from_match(m) if m else None


_ISO = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s_])")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:$|T)")


def normalize_date(value: object) -> str | None:
    """A metadata date in any common form as YYYY-MM-DD, or None when it cannot be read.

    The date is taken as written (a timestamp's own local date), never shifted to UTC:
    "2024-06-09T23:30:00-05:00" was published on 9 June where it was published.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if m := _ISO.match(text) or _COMPACT.match(text):
        return _valid(int(m[1]), int(m[2]), int(m[3]))
    if m := _patterns()[0].match(text):
        return _from_match(m)
    try:
        parsed = email.utils.parsedate(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed and parsed[0]:
        return _valid(parsed[0], parsed[1], parsed[2])
    return _dateparser(text)


@cache
def _dateparser_settings() -> dict[str, object]:
    # A metadata field holds one date: demand all three parts, never fill in today's.
    return {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past"}


def _dateparser(text: str) -> str | None:
    # Last resort for the long tail ("Tuesday 9th of June, 2024, 10:30 GMT", "06/09/2024":
    # month first, as dateparser reads ambiguous numeric dates); imported late because it
    # costs half a second to load.
    if len(text) > 80 or not re.search(r"\d", text):
        return None
    import dateparser

    parsed = dateparser.parse(text, languages=["en"], settings=_dateparser_settings())
    return _valid(parsed.year, parsed.month, parsed.day) if parsed else None
