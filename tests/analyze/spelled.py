"""Numbers written out in English words, for tests that read them back: a plain renderer
independent of the code under test."""

from __future__ import annotations

UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def below_thousand(n: int, hyphen: bool, british_and: bool) -> str:
    """1..999 in words ("three hundred and forty-two" with british_and)."""
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words += [UNITS[hundreds], "hundred"]
        if rest and british_and:
            words.append("and")
    if rest >= 20:
        tens, unit = divmod(rest, 10)
        if unit:
            words.append(f"{TENS[tens]}-{UNITS[unit]}" if hyphen else f"{TENS[tens]} {UNITS[unit]}")
        else:
            words.append(TENS[tens])
    elif rest:
        words.append(UNITS[rest])
    return " ".join(words)


def in_words(n: int, hyphen: bool = True, british_and: bool = False) -> str:
    if n == 0:
        return "zero"
    thousands, rest = divmod(n, 1000)
    parts = []
    if thousands:
        parts.append(below_thousand(thousands, hyphen, british_and) + " thousand")
    if rest:
        parts.append(below_thousand(rest, hyphen, british_and))
    return " ".join(parts)
