"""Where in a document each rule is worth trying: the stretches of text around the trigger
words of its classes, found from spaCy's token table in one vectorised pass, and the
candidate matches of every rule inside them."""

from __future__ import annotations

import functools
import re

from triangulate.analyze.times.lexicon import (
    PARTS,
    lexicon,
)
from triangulate.analyze.times.patterns import rules


@functools.cache
def _trigger_words() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Token text -> trigger classes: (lower-cased words, words that must keep their case)."""
    lex = lexicon()
    lower: dict[str, set[str]] = {}
    cased: dict[str, set[str]] = {}

    def add(table: dict[str, set[str]], words, cls: str) -> None:
        for w in words:
            table.setdefault(w, set()).add(cls)

    add(lower, lex["units"], "UNIT")
    add(lower, list(lex["deictic_days"]) + list(PARTS), "DEICTIC")
    add(lower, lex["seasons"], "SEASON")
    add(lower, ("quarter", "quarters", "half", "period", "q1", "q2", "q3", "q4"), "QUARTER")
    add(lower, {phrase.split()[-1] for phrase in lex["reference_words"]}, "REF")
    add(lower, ("twenties", "thirties", "forties", "fifties", "sixties", "seventies",
                "eighties", "nineties", "century", "centuries"), "DECADE")
    add(lower, {name.split()[0].removesuffix("'s") for name in lex["holidays"]}, "HOLIDAY")
    add(lower, ("daily", "weekly", "monthly", "yearly", "annually", "nightly", "hourly",
                "quarterly", "biweekly", "fortnightly", "every", "each", "once", "twice",
                "thrice", "times", "per"), "SET")
    add(lower, ("nineteen", "eighteen", "thousand"), "SPOKEN")
    add(lower, {part for w in lex["parts_of_day"] for part in re.split(r"[\s-]+", w)}, "PART")
    add(lower, list(lex["clock_words"]) + ["a.m.", "p.m.", "am", "pm", "a.m", "p.m", "o'clock",
                                           "gmt", "utc"], "CLOCK")
    months = [w.capitalize() for w in list(lex["months"]) + list(lex["month_abbreviations"])]
    add(cased, months + [m + "." for m in months], "MONTH")
    weekdays = [w.capitalize() for w in lex["weekdays"]]
    abbrevs = [w.capitalize() for w in lex["weekday_abbreviations"]]
    # The tokenizer splits "Fri." into "Fri" and ".": the bare abbreviation is the trigger.
    add(cased, weekdays + [w + "s" for w in weekdays] + abbrevs + [a + "." for a in abbrevs],
        "WEEKDAY")
    return ({k: frozenset(v) for k, v in lower.items()},
            {k: frozenset(v) for k, v in cased.items()})


@functools.cache
def _trigger_hashes() -> tuple[dict[int, frozenset[str]], dict[int, frozenset[str]], object, object]:
    """Trigger words as spaCy string hashes, so a document's token table (one numpy call)
    finds them without building a Python object per token."""
    import numpy as np
    from spacy.strings import hash_string

    lower, cased = _trigger_words()
    lower_h = {hash_string(w): c for w, c in lower.items()}
    cased_h = {hash_string(w): c for w, c in cased.items()}
    return (lower_h, cased_h, np.array(sorted(lower_h), dtype="uint64"),
            np.array(sorted(cased_h), dtype="uint64"))


# Token shapes ("dddd", "dd:dd", "'ddx") that may hold a year, a decade or a clock time.
_NUMERIC_SHAPE = re.compile(r"^(?:x+-)?['\u2019]?d[dx:.]*$")  # "mid-1990s" is one token


@functools.cache
def _is_numeric_shape(shape: str) -> bool:
    return bool(_NUMERIC_SHAPE.match(shape))


def _numeric_shapes(doc, shapes) -> list[int]:
    return [h for h in set(shapes.tolist()) if _is_numeric_shape(doc.vocab.strings[h])]


_YEARISH = re.compile(r"(?<!\d)(?:1[6-9]|20)\d\d(?!\d)")
_DECADISH = re.compile(r"['\u2019]?\d{1,4}0['\u2019]?s$")
_CLOCKISH = re.compile(r"\d[:.h]\d\d|\d(?:[ap]\.?m\.?)$", re.IGNORECASE)


def _numeric_classes(word: str) -> set[str]:
    """The trigger classes of a numeric token: a year, a decade, a clock time."""
    classes = set()
    if _YEARISH.search(word):
        classes.add("YEAR")
    if _DECADISH.search(word):
        classes.add("DECADE")
    if _CLOCKISH.search(word):
        classes.add("CLOCK")
    return classes


# How far around a trigger token a rule's match may reach: the longest expressions
# ("the year-earlier second quarter of 2011", "about five months earlier") stay well inside.
_REACH_BACK = 40
_REACH_AHEAD = 45


def _windows(doc, text: str) -> dict[str, list[tuple[int, int]]]:
    """Per trigger class, the merged stretches of text around its words."""
    import numpy as np
    from spacy.attrs import IDX, LENGTH, LOWER, ORTH, SHAPE

    if not len(doc):
        return {}
    lower_h, cased_h, lower_keys, cased_keys = _trigger_hashes()
    table = doc.to_array([LOWER, ORTH, SHAPE, IDX, LENGTH])
    numeric = np.isin(table[:, 2], _numeric_shapes(doc, table[:, 2]))
    hits = np.isin(table[:, 0], lower_keys) | np.isin(table[:, 1], cased_keys) | numeric
    spans: dict[str, list[tuple[int, int]]] = {}
    for i in np.flatnonzero(hits).tolist():
        low, orth, _, start, length = table[i].tolist()
        end = start + length
        if numeric[i]:
            classes = _numeric_classes(text[start:end])
        else:
            classes = lower_h.get(low) or cased_h.get(orth) or ()
        for cls in classes:
            spans.setdefault(cls, []).append((start, end))
    return {cls: _merge(found, text) for cls, found in spans.items()}


def _merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    n = len(text)
    for start, end in spans:
        lo = max(0, start - _REACH_BACK)
        hi = min(n, end + _REACH_AHEAD)
        # End on whitespace: a regex cannot see past its end position, so a window that
        # ended inside a word would let "(?!\w)" accept half a word.
        while hi < n and not text[hi].isspace():
            hi += 1
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def candidates(doc, text: str) -> list[tuple[int, int, int, re.Match]]:
    windows = _windows(doc, text)
    found = []
    seen: set[tuple[int, int, int]] = set()
    for order, rule in enumerate(rules()):
        stretches = [w for cls in rule.triggers for w in windows.get(cls, ())]
        if len(rule.triggers) > 1:
            stretches = _merge_plain(stretches)
        for lo, hi in stretches:
            for m in rule.regex.finditer(text, lo, hi):
                key = (m.start(), m.end(), order)
                if m.end() > m.start() and key not in seen:
                    seen.add(key)
                    found.append((m.start(), -m.end(), order, m))
    found.sort(key=lambda c: (c[0], c[1], c[2]))
    return found


def _merge_plain(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged
