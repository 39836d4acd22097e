"""The rules that find temporal expressions: ``data/times/patterns.txt``, each pattern's
``{NAME}`` placeholders filled from the lexicon, compiled once."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from triangulate import datafiles
from triangulate.analyze.times.lexicon import (
    lexicon,
)


def _alternation(words, capitalise: bool = False) -> str:
    """Longest-first alternation (so "Sept" is tried before "Sep"), spaces as \\s+."""
    items = sorted(set(words), key=len, reverse=True)
    out = []
    for w in items:
        if capitalise:
            w = " ".join(part[:1].upper() + part[1:] for part in w.split(" "))
        out.append(re.escape(w).replace(r"\ ", r"\s+").replace("'", "['\u2019]"))
    return "(?:" + "|".join(out) + ")"


@functools.cache
def placeholders() -> dict[str, str]:
    lex = lexicon()
    nums = lex["number_words"]
    units_w = [w for w, v in nums.items() if isinstance(v, int) and 1 <= v <= 9 and len(w) > 2]
    teens_w = [w for w, v in nums.items() if isinstance(v, int) and 10 <= v <= 19]
    tens_w = [w for w, v in nums.items() if isinstance(v, int) and v in range(20, 100, 10)]
    unit_w, teen_w, ten_w = (_alternation(x) for x in (units_w, teens_w, tens_w))
    numw = (rf"(?:{ten_w}(?:[\s-]{unit_w})?|{teen_w}|{unit_w}|zero)"
            rf"(?:\s+(?:hundred|thousand))?")
    ordinals = dict(lex["ordinals"])
    ord_units = [w for w, v in ordinals.items() if v <= 9]
    ordword = (rf"(?:(?:twenty|thirty)[\s-]{_alternation(ord_units)}"
               rf"|{_alternation(ordinals)})")
    months = lex["months"]
    abbrevs = lex["month_abbreviations"]
    month_full = _alternation(months, capitalise=True)
    month_abbr = _alternation(abbrevs, capitalise=True)
    weekdays = _alternation(lex["weekdays"], capitalise=True)
    wd_abbr = _alternation(lex["weekday_abbreviations"], capitalise=True)
    vague = _alternation(lex["vague_quantities"])
    return {
        "MONTH": rf"(?-i:{month_full}|{month_abbr}\.?)",
        "MONTHNAME": rf"(?-i:{month_full}|{month_abbr}\.)",
        "WEEKDAY": rf"(?-i:{weekdays}|{wd_abbr}\.)",
        "DAYNUM": r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d,.]\d)",
        "DAYWORD": ordword,
        "ORDWORD": ordword,
        "YEAR": r"(?:1[6-9]\d\d|20\d\d)(?![\d,.]\d)",
        "SPOKENYEAR": (rf"(?:(?:nineteen|eighteen|twenty)[\s-]+(?:hundred|(?:oh|o)[\s-]+{unit_w}"
                       rf"|{ten_w}(?:[\s-]{unit_w})?|{teen_w})"
                       rf"|two\s+thousand(?:\s+and)?(?:[\s-]+(?:{teen_w}|{unit_w}))?)"),
        "NUMW": numw,
        "NUM": (rf"(?:\d{{1,3}}(?:,\d{{3}})*(?:\.\d+)?|{numw}|half\s+an?|an?|a\s+dozen"
                rf"|{vague})"),
        "UNIT": _alternation(lex["units"]),
        "SEASON": r"(?-i:spring|summer|autumn|fall|winter)",
        "REL": _alternation(lex["relative_words"]),
        "PMOD": r"(?:early|mid|late)",
        "APPROX": _alternation(lex["approximators"]),
        "CLOCKAPPROX": (r"(?:about|around|approximately|roughly"
                        r"|shortly\s+(?:before|after)|just\s+(?:before|after))"),
        "REFWORD": _alternation(lex["reference_words"]),
        "HOLIDAY": "(?-i:" + _alternation(lex["holidays"], capitalise=True) + ")",
    }


@dataclass(frozen=True)
class Rule:
    name: str
    handler: str
    type: str
    triggers: frozenset[str]
    regex: re.Pattern


@functools.cache
def rules() -> tuple[Rule, ...]:
    fill = placeholders()
    out = []
    for line in datafiles.lines("times", "patterns.txt"):
        name, handler, typ, triggers, pattern = (p.strip() for p in line.split(" | ", 4))
        pattern = re.sub(r"\{([A-Z]+)\}", lambda m: fill[m.group(1)], pattern)
        # Whole words only; a currency sign before a number makes it an amount, not a year,
        # and a digit after "2:" or "1." is the tail of a longer number ("2:02:53", "1.5").
        regex = re.compile(rf"(?<![\w$\u00a3\u20ac])(?<!\d[:.,])(?:{pattern})(?![\w])",
                           re.IGNORECASE)
        classes = frozenset(triggers.split())
        unknown = classes - TRIGGER_CLASSES
        if unknown:
            raise ValueError(f"times pattern {name}: unknown trigger classes {sorted(unknown)}")
        out.append(Rule(name, handler, typ, classes, regex))
    return tuple(out)


TRIGGER_CLASSES = frozenset({"MONTH", "WEEKDAY", "YEAR", "SPOKEN", "DECADE", "HOLIDAY",
                             "DEICTIC", "UNIT", "SEASON", "QUARTER", "REF", "CLOCK", "PART",
                             "SET"})
