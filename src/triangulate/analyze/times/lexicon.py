"""The times vocabulary (``data/times/lexicon.json``) and the lookups built from it once."""

from __future__ import annotations

import functools
import re

from triangulate import datafiles


@functools.cache
def lexicon() -> dict:
    return datafiles.load_json("times", "lexicon.json")


@functools.cache
def lookups() -> dict[str, object]:
    """Lexicon lookups in the shapes the handlers want."""
    lex = lexicon()
    months = {**lex["months"], **lex["month_abbreviations"]}
    weekdays = {**lex["weekdays"], **lex["weekday_abbreviations"]}
    named = {}
    for entry in lex["named_dates"]["entries"]:
        month, day = (int(x) for x in entry["date"].split("-"))
        named[(month, day)] = (entry["year"], frozenset(entry["heads"]))
    return {
        "months": months,
        "weekdays": weekdays,
        "ambiguous_months": frozenset(lex["ambiguous_months"]),
        "name_heads": frozenset(lex["date_name_heads"]["words"]),
        "weekday_names": frozenset(lex["name_words_before_weekday"]["words"]),
        "count_nouns": frozenset(lex["count_nouns_before_number"]["words"]),
        "named_dates": named,
        "prospective_verbs": frozenset(lex["prospective_verbs"]["words"]),
        "prospective_modifiers": frozenset(lex["prospective_modifiers"]["words"]),
        "arrangement_verbs": frozenset(lex["arrangement_verbs"]["words"]),
        "scheduled_nouns": frozenset(lex["scheduled_nouns"]["words"]),
    }


def month_number(text: str) -> int | None:
    return lookups()["months"].get(text.lower().rstrip("."))


def weekday_number(text: str) -> int | None:
    return lookups()["weekdays"].get(text.lower().rstrip("."))


def period_mod(word: str | None) -> str | None:
    if not word:
        return None
    return lexicon()["period_mods"].get(re.sub(r"\s+", " ", word.lower()))


def timex_unit(word: str) -> str | None:
    return lexicon()["units"].get(word.lower())


# TIMEX3 codes of the parts of the day, and the day modifiers that give a START or END mod.
PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
DAY_MODS = {"early": "START", "earlier": "START", "late": "END", "later": "END"}
