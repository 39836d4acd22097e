"""Numbers as news copy writes them: digits, number words, hedges, ranges and vague counts.

Two levels share one scanner. ``parse_number`` and ``parse_quantity`` read a short phrase
("1.2 million", "at least twenty-four", "between 30 and 40", "tens of thousands");
``find_numbers`` scans a parsed ``Doc`` once and returns every number expression with its
token span, for figures.py to interpret. Values of pure number words come from text2num;
everything around them (hedges, "a dozen", "1.2 million", "12k", vague counts, ranges) is
ours, from the word lists in data/figures/.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from text_to_num import text2num

from triangulate import datafiles, settings

Number = int | float

_DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_DIGITS_SUFFIX = re.compile(r"^((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)([a-z]+)$")
# A phrase tokenised the way spaCy splits numbers: hyphens, "+" and "%" apart, digits with
# their separators and glued scale suffixes ("12k") kept whole.
_PHRASE_TOKEN = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?[a-z]*|\d+(?:\.\d+)?[a-z]*|[a-z]+\.?|[^\s\w]")
_RANGE_JOINERS = frozenset({"to", "-", "–", "—", "or"})


@dataclass(frozen=True)
class Quantity:
    """A number as the text commits to it.

    ``value`` is the number to compare: the stated number, a range's low end, or a vague
    count's low bound. ``low``/``high`` are bounds the wording gives ("at least 30" -> low 30;
    "nearly 30" -> high 30; "30 to 40" -> 30..40; "dozens" -> 24..99).
    """

    value: Number
    low: Number | None = None
    high: Number | None = None
    approximate: bool = False
    hedge: str | None = None
    vague: bool = False


@dataclass(frozen=True)
class NumberSpan:
    """One number expression in a Doc, as token indices (end exclusive)."""

    start: int  # first token, hedge words included
    end: int
    num_start: int  # the number itself: "30 and 40" in "between 30 and 40 people"
    num_end: int
    quantity: Quantity


@dataclass(frozen=True)
class _Lexicon:
    words: frozenset[str]
    scales: dict[str, int]
    suffixes: dict[str, int]
    hedges_before: dict[tuple[str, ...], str]
    hedges_after: dict[tuple[str, ...], str]
    vague: dict[tuple[str, ...], tuple[int, int]]
    starts: frozenset[str]  # words that can open a number expression
    max_hedge: int
    max_vague: int
    openers: frozenset[str]  # starts that open an expression on their own (not "a")
    after_a: frozenset[str]  # words that "a"/"an"/"half a" may precede ("a dozen", "a few")
    # Edge words of the phrase tables: one set lookup rules out most positions.
    vague_first_words: frozenset[str]
    hedge_after_first_words: frozenset[str]
    hedge_last_words: frozenset[str]


def phrase_tokens(text: str) -> tuple[str, ...]:
    return tuple(_PHRASE_TOKEN.findall(text.lower()))


@functools.cache
def _lexicon() -> _Lexicon:
    def rows(name: str) -> list[list[str]]:
        return datafiles.rows("figures", name)

    words = frozenset(r[0] for r in rows("number_words.tsv"))
    scales: dict[str, int] = {}
    suffixes: dict[str, int] = {}
    for word, mult, form in rows("scales.tsv"):
        (suffixes if form == "suffix" else scales)[word] = int(mult)
    before: dict[tuple[str, ...], str] = {}
    after: dict[tuple[str, ...], str] = {}
    for phrase, bound, position in rows("hedges.tsv"):
        (after if position == "after" else before)[phrase_tokens(phrase)] = bound
    vague = {phrase_tokens(p): (int(lo), int(hi)) for p, lo, hi in rows("vague.tsv")}
    starts = words | {"a", "an", "half", "dozen"} | {k[0] for k in vague}
    after_a = set(scales) | {"dozen"} | {k[1] for k in vague if k[0] in ("a", "an")}
    return _Lexicon(
        words=words, scales=scales, suffixes=suffixes, hedges_before=before,
        hedges_after=after, vague=vague, starts=frozenset(starts),
        max_hedge=max(len(k) for k in before), max_vague=max(len(k) for k in vague),
        openers=frozenset(starts - {"a", "an", "half"}), after_a=frozenset(after_a),
        vague_first_words=frozenset(k[0] for k in vague),
        hedge_after_first_words=frozenset(k[0] for k in after),
        hedge_last_words=frozenset(k[-1] for k in before),
    )


@functools.cache
def _hashes(words: frozenset[str]) -> frozenset[int]:
    from spacy.strings import get_string_id

    return frozenset(get_string_id(w) for w in words)


def _tidy(value: Decimal) -> Number:
    return int(value) if value == value.to_integral_value() else float(value)


def _digits_value(token: str, lex: _Lexicon) -> Decimal | None:
    if _DIGITS.match(token):
        return Decimal(token.replace(",", ""))
    m = _DIGITS_SUFFIX.match(token)
    if m and m.group(2) in lex.suffixes:
        return Decimal(m.group(1).replace(",", "")) * lex.suffixes[m.group(2)]
    return None


def _words_value(tokens: Sequence[str], lex: _Lexicon) -> Decimal | None:
    """Value of number words: text2num for the pure words, our rules for a/half/dozen."""
    toks = [t for t in tokens if t != "-"]
    factor = Decimal(1)
    if toks and toks[-1] == "dozen":
        factor, toks = Decimal(12), toks[:-1]
    if toks[:2] in (["half", "a"], ["half", "an"]):
        factor, toks = factor / 2, ["one"] + toks[2:]
    elif toks and toks[0] in ("a", "an"):
        toks = ["one"] + toks[1:]
    if not toks:
        return None
    if toks == ["one"] and factor != 1:
        return factor
    try:
        return Decimal(text2num(" ".join(toks), "en")) * factor
    except ValueError:
        return None


def _core_at(low: Sequence[str], i: int, lex: _Lexicon) -> tuple[int, Decimal, bool] | None:
    """The exact number starting at token i: (end, value, ends_with_scale), or None."""
    n = len(low)
    value = _digits_value(low[i], lex)
    if value is not None:
        j = i + 1
        while j < n and low[j] in lex.scales:
            value *= lex.scales[low[j]]
            j += 1
        return j, value, j > i + 1
    j = i
    if low[j] == "half" and j + 2 < n and low[j + 1] in ("a", "an"):
        j += 2
        if low[j] not in lex.scales and low[j] != "dozen":
            return None
    elif low[j] in ("a", "an"):
        if j + 1 >= n or (low[j + 1] not in lex.scales and low[j + 1] != "dozen"):
            return None
        j += 1
    if low[j] not in lex.words and low[j] != "dozen":
        return None
    j += 1
    # A run of number words is read as one number up to MAX_NUMBER_WORDS tokens: the
    # cut-back below tries every shorter prefix, so an unbounded run ("thousand thousand
    # ...") cost the cube of its length over a scan.
    stop = min(n, i + settings.MAX_NUMBER_WORDS)
    while j < stop and low[j - 1] != "dozen":
        if low[j] in lex.words or low[j] == "dozen":
            j += 1
        elif j + 1 < stop and _joins(low, j, lex):
            j += 2
        else:
            break
    # A run text2num rejects ("nineteen eighty four") is cut back until what is left parses.
    while j > i:
        value = _words_value(low[i:j], lex)
        if value is not None:
            return j, value, low[j - 1] in lex.scales
        j -= 1
        while j > i and low[j - 1] in ("-", "and"):
            j -= 1
    return None


def _joins(low: Sequence[str], j: int, lex: _Lexicon) -> bool:
    """A hyphen inside "twenty-four" or the "and" of "two hundred and fifty"."""
    if j + 1 >= len(low) or low[j + 1] not in lex.words:
        return False
    if low[j] == "-":
        return low[j - 1] in lex.words
    return low[j] == "and" and low[j - 1] in lex.scales and low[j + 1] not in lex.scales


def _longest(table: dict[tuple[str, ...], object], firsts: frozenset[str], low: Sequence[str],
             start: int, end: int, longest: int) -> tuple[str, ...] | None:
    """The longest key of table equal to low[start:start+L] (start fixed) within [.., end)."""
    if start >= end or low[start] not in firsts:
        return None
    for size in range(min(longest, end - start), 0, -1):
        key = tuple(low[start:start + size])
        if key in table:
            return key
    return None


def _hedge_before(low: Sequence[str], i: int, lo: int, lex: _Lexicon) -> tuple[int, str] | None:
    if i <= lo or low[i - 1] not in lex.hedge_last_words:
        return None
    for size in range(min(lex.max_hedge, i - lo), 0, -1):
        key = tuple(low[i - size:i])
        if key in lex.hedges_before:
            return i - size, " ".join(key)
    return None


def _expression_at(low: Sequence[str], i: int, lo: int,
                   lex: _Lexicon) -> NumberSpan | None:
    """The number expression whose number starts at token i (hedges may start before it,
    but not before lo, the end of the previous expression)."""
    n = len(low)
    key = _longest(lex.vague, lex.vague_first_words, low, i, n, lex.max_vague)
    if key is not None:
        num_end = i + len(key)
        low_b, high_b = lex.vague[key]
        quantity = Quantity(low_b, low_b, high_b, True, " ".join(key), vague=True)
        return _hedged(low, i, num_end, num_end, quantity, lo, lex)
    if low[i] == "one" and i > 0 and low[i - 1] == "no":  # "no one" is a pronoun
        return None
    core = _core_at(low, i, lex)
    if core is None:
        return None
    j, first, scaled = core
    end = j
    second: Decimal | None = None
    joiner = low[j] if j < n else ""
    between = i > lo and low[i - 1] == "between"
    after_hedge = _longest(lex.hedges_after, lex.hedge_after_first_words, low, j, n, 2)
    if after_hedge is None and (joiner in _RANGE_JOINERS or (between and joiner == "and")) \
            and j + 1 < n and not (i > lo and low[i - 1] == "from"):
        nxt = _core_at(low, j + 1, lex)
        if nxt is not None:
            k, value2, scaled2 = nxt
            low_end = first
            # "1 to 2 million": the scale written once applies to both ends.
            if scaled2 and not scaled and low[k - 1] in lex.scales:
                low_end = first * lex.scales[low[k - 1]]
            if value2 > low_end:
                first, second, end = low_end, value2, k
    v1 = _tidy(first)
    if second is not None:
        v2 = _tidy(second)
        hedge = "between" if between and joiner == "and" else None
        quantity = Quantity(v1, v1, v2, True, hedge)
        start = i - 1 if hedge else i
        return _hedged(low, start, end, end, quantity, lo, lex, num_start=i)
    return _hedged(low, i, end, end, Quantity(v1), lo, lex)


def _hedged(low: Sequence[str], start: int, num_end: int, end: int, quantity: Quantity,
            lo: int, lex: _Lexicon, num_start: int | None = None) -> NumberSpan:
    """Attach the hedge words around a number and apply their bounds."""
    num_start = start if num_start is None else num_start
    bound, words = None, quantity.hedge
    if quantity.hedge != "between":
        found = _hedge_before(low, start, lo, lex)
        if found is not None:
            start, words = found
            bound = lex.hedges_before[tuple(words.split())]
    after = _longest(lex.hedges_after, lex.hedge_after_first_words, low, end, len(low), 2)
    if after is not None and bound is None:
        bound = lex.hedges_after[after]
        if not quantity.vague:  # a vague count keeps its own words as the hedge
            words = "".join(after) if after[0] == "-" else " ".join(after)  # "-odd", "or more"
        end += len(after)
    if bound is not None:
        quantity = _bounded(quantity, bound, words)
    return NumberSpan(start, end, num_start, num_end, quantity)


def _bounded(q: Quantity, bound: str, hedge: str | None) -> Quantity:
    low, high = q.low, q.high
    if bound == "min":
        low, high = (q.low if q.low is not None else q.value), None
    elif bound == "max":
        high = q.high if q.high is not None else q.value
        low = None if not q.vague else low
    return Quantity(q.value, low, high, True, hedge, q.vague)


def scan(low: Sequence[str], candidates: Iterable[int] | None = None) -> Iterator[NumberSpan]:
    """Every number expression in a sequence of lower-cased tokens, left to right.

    ``candidates`` (ascending token indices) limits where an expression may start; by
    default every token that starts with a digit or is a number word is tried."""
    lex = _lexicon()
    if candidates is None:
        candidates = (i for i, tok in enumerate(low) if tok[:1].isdigit() or tok in lex.starts)
    lo = 0
    for i in candidates:
        if i < lo:
            continue
        found = _expression_at(low, i, lo, lex)
        if found is not None:
            yield found
            lo = found.end


class _DocLower(Sequence[str]):
    """Lower-cased tokens of a Doc, made on demand: building a spaCy Token per word costs
    more than the whole figures stage, and only the words around numbers are read."""

    def __init__(self, doc):
        self._doc = doc
        self._cache: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._doc)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self._word(j) for j in range(*i.indices(len(self._doc)))]
        return self._word(i)

    def _word(self, i: int) -> str:
        word = self._cache.get(i)
        if word is None:
            word = self._cache[i] = self._doc[i].lower_
        return word


def find_numbers(doc) -> list[NumberSpan]:
    """Every number expression in a parsed Doc (token indices into ``doc``)."""
    from spacy.attrs import LOWER, SHAPE

    lex = _lexicon()
    if not len(doc):
        return []
    # Candidates come from array lookups (a number word, or a shape starting with a digit),
    # so no Python object is made for the tokens that cannot start a number.
    strings = doc.vocab.strings
    openers, after_a = _hashes(lex.openers), _hashes(lex.after_a)
    low = _DocLower(doc)
    candidates: set[int] = set()
    for i, (word, shape) in enumerate(doc.to_array([LOWER, SHAPE]).tolist()):
        if word in openers or _digit_shape(shape, strings):
            candidates.add(i)
        if word in after_a and i > 0 and low[i - 1] in ("a", "an"):
            # "a"/"an" open an expression only before a scale or vague word ("a dozen",
            # "half a million", "a few hundred"); trying every article costs too much.
            candidates.add(i - 2 if i > 1 and low[i - 2] == "half" else i - 1)
            candidates.add(i)
    return list(scan(low, sorted(candidates)))


_DIGIT_SHAPES: dict[int, bool] = {}


def _digit_shape(shape: int, strings) -> bool:
    """Whether a token shape ("dd,ddd", "ddx") starts with a digit; shapes are few, so the
    answer is kept per process."""
    found = _DIGIT_SHAPES.get(shape)
    if found is None:
        found = _DIGIT_SHAPES[shape] = strings[shape][:1] == "d"
    return found


def parse_quantity(text: str) -> Quantity | None:
    """A phrase that is exactly one number expression -> its Quantity, else None."""
    low = phrase_tokens(text)
    found = list(scan(low))
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(low):
        return found[0].quantity
    return None


def parse_number(text: str) -> Number | None:
    """An exact number in digits or words ("1,200", "1.2 million", "twenty-four", "a dozen")."""
    low = phrase_tokens(text)
    if not low:
        return None
    lex = _lexicon()
    core = _core_at(low, 0, lex)
    if core is None or core[0] != len(low):
        return None
    try:
        return _tidy(core[1])
    except InvalidOperation:
        return None
