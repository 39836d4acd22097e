"""Counts, ordinals and years written in digits or words ("twenty four", "sixth",
"nineteen ninety-six"), as numbers."""

from __future__ import annotations

import re

from triangulate.analyze.times.lexicon import (
    lexicon,
)


def number_value(text: str) -> float | None:
    """The number a count phrase names: "48", "twenty four", "a", "half a", "a couple of";
    None for vague counts ("several", "a few"), which TIMEX3 writes as X."""
    lex = lexicon()
    words = re.sub(r"[\s-]+", " ", text.lower()).strip()
    vague = lex["vague_quantities"]
    if words in vague:
        return vague[words]
    if words.startswith("half "):
        return 0.5
    if words == "a dozen":
        return 12.0
    digits = words.replace(",", "")
    try:
        return float(digits)
    except ValueError:
        pass
    nums = lex["number_words"]
    total = 0.0
    current = 0.0
    for w in words.split(" "):
        if w == "and":
            continue
        v = nums.get(w)
        if v is None:
            return None
        if w in ("hundred", "thousand"):
            current = (current or 1) * v
            if w == "thousand":
                total, current = total + current, 0.0
        else:
            current += v
    return total + current


def ordinal_value(text: str) -> int | None:
    """1..31 from "6", "6th", "sixth", "twenty-first"."""
    t = text.lower().strip()
    m = re.match(r"(\d+)", t)
    if m:
        return int(m.group(1))
    ordinals = lexicon()["ordinals"]
    parts = re.split(r"[\s-]+", t)
    if len(parts) == 2:
        tens = lexicon()["number_words"].get(parts[0])
        unit = ordinals.get(parts[1])
        return tens + unit if tens and unit else None
    return ordinals.get(t)


def spoken_year(text: str) -> int | None:
    """1996 from "nineteen ninety-six", 2000 from "two thousand", 1905 from "nineteen oh five".

    The first word (a hyphenated compound counts as one) names the hundreds; the rest are
    added to them.
    """
    words = [w for w in text.lower().split() if w != "and"]
    if words[:2] == ["two", "thousand"]:
        rest = [number_value(w) for w in words[2:]]
        return None if None in rest else 2000 + int(sum(rest))
    century = number_value(words[0]) if words else None
    if century is None or not 10 <= century <= 99:
        return None
    rest_words = [w for w in words[1:] if w not in ("oh", "o")]
    if rest_words == ["hundred"]:
        return int(century * 100)
    rest = [number_value(w) for w in rest_words]
    if None in rest or sum(rest) >= 100:
        return None
    return int(century * 100 + sum(rest))


def year_value(text: str) -> int | None:
    text = text.strip()
    if text[:4].isdigit():
        return int(text[:4])
    return spoken_year(text)
