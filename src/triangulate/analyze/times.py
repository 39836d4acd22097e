"""Times: temporal expressions found in the text and normalised to TIMEX3 values.

Expressions are found with the patterns in ``data/times/patterns.txt`` (regular expressions
over the raw text, filled from ``data/times/lexicon.json``), checked against the spaCy parse
(a capitalised "May" tagged as a modal is no month), and resolved in text order:

* calendar expressions ("April 6", "6 April 2024", "July 2024", "the 1990s") need at most a
  year, taken from the publication date and the tense of the governing verb;
* deictic ones ("yesterday", "last week", "on Sunday", "a year ago") count from the
  publication date, in the direction the tense gives;
* narrative ones ("the next day", "five months earlier", "That night") count from the
  *narrative reference*: the last date the text itself made explicit.

Relative expressions inside direct quotations keep value None: the speaker's "yesterday"
counts from when they spoke, which the article rarely says.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from triangulate import datafiles
from triangulate.analyze import timex
from triangulate.analyze.text import Regions, doc_quotes, doc_text
from triangulate.analyze.timex import Point
from triangulate.model import TimeExpression

# ----------------------------------------------------------------------------- data


@functools.cache
def lexicon() -> dict:
    return datafiles.load_json("times", "lexicon.json")


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
def _placeholders() -> dict[str, str]:
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
    fill = _placeholders()
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
    add(lower, list(lex["deictic_days"]) + list(_PARTS), "DEICTIC")
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
    add(cased, weekdays + [w + "s" for w in weekdays] + [a + "." for a in abbrevs], "WEEKDAY")
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
_shape_is_numeric: dict[int, bool] = {}


def _numeric_shapes(doc, shapes) -> list[int]:
    out = []
    for h in set(shapes.tolist()):
        known = _shape_is_numeric.get(h)
        if known is None:
            known = bool(_NUMERIC_SHAPE.match(doc.vocab.strings[h]))
            _shape_is_numeric[h] = known
        if known:
            out.append(h)
    return out


_YEARISH = re.compile(r"(?<!\d)(?:1[6-9]|20)\d\d(?!\d)")
_DECADISH = re.compile(r"['\u2019]?\d{1,4}0['\u2019]?s$")
_CLOCKISH = re.compile(r"\d[:.h]\d\d|\d(?:[ap]\.?m\.?)$", re.IGNORECASE)


def _classes_of(word: str, numeric: bool) -> frozenset[str] | set[str]:
    """The trigger classes of one trigger word."""
    lower, cased = _trigger_words()
    if not numeric:
        return lower.get(word.lower()) or cased.get(word) or ()
    classes = set()
    if _YEARISH.search(word):
        classes.add("YEAR")
    if _DECADISH.search(word):
        classes.add("DECADE")
    if _CLOCKISH.search(word):
        classes.add("CLOCK")
    return classes


@functools.cache
def _words() -> dict[str, object]:
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


# ----------------------------------------------------------------------------- numbers


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


# ----------------------------------------------------------------------------- the document


class _Tokens:
    """Character offsets to spaCy tokens, and the grammar questions the rules ask."""

    def __init__(self, doc):
        self.doc = doc
        self.starts = doc.to_array("IDX").tolist() if len(doc) else []

    def index_at(self, char: int) -> int:
        return max(bisect.bisect_right(self.starts, char) - 1, 0)

    def at(self, char: int):
        return self.doc[self.index_at(char)] if len(self.doc) else None

    def before(self, char: int):
        """The token ending at or before ``char``."""
        i = bisect.bisect_left(self.starts, char) - 1
        return self.doc[i] if i >= 0 else None

    def after(self, char: int):
        """The first token starting at or after ``char``."""
        i = bisect.bisect_left(self.starts, char)
        return self.doc[i] if i < len(self.doc) else None

    def span_tokens(self, start: int, end: int):
        i = self.index_at(start)
        j = bisect.bisect_left(self.starts, end)
        return self.doc[i:max(j, i + 1)]

    def tense(self, start: int, end: int, weak: bool = True) -> int:
        """-1 past, +1 future, 0 unknown: the tense of the verb the span modifies.

        Only a span that modifies the verb itself counts ("launched an attack on April 6",
        "will meet on Monday"); one inside a noun phrase ("a cutback in September", "the
        elections in November") or after a deadline preposition ("extended until Nov. 20")
        says nothing about the direction. Perfects count as past, modals, "will", "going to"
        and infinitives as future. A plain present ("meets on Monday") points forward only
        weakly: callers resolving months pass ``weak=False`` to ignore it.
        """
        if not len(self.doc):
            return 0
        tok = self.span_tokens(start, end).root
        while tok.dep_ == "conj" and tok.head is not tok:
            tok = tok.head  # "Monday and Tuesday": the second follows the first
        head = tok.head
        if head is tok or tok.dep_ in ("compound", "nmod", "amod", "poss", "appos"):
            return 0
        deadline = False
        if tok.dep_ == "pobj" and head.dep_ in ("prep", "agent"):
            deadline = head.lower_ in _DEADLINE_PREPS
            head = head.head
        if head.pos_ == "ADV" and head.head is not head:
            head = head.head  # "Back in February, he said"
        if head.pos_ not in ("VERB", "AUX"):
            return _clause_future(head)
        direction, strong = _verb_tense(head)
        if _prospective_predicate(head):
            # "was due in the region on Monday", "is planned for Thursday evening": an
            # arrangement looks ahead whatever the tense of its copula.
            return 1 if weak else 0
        if deadline:
            # "extended until Nov. 20" looks ahead from a past verb; a past perfect ("had not
            # called until Thursday"), any other past ("it took until Sunday", "has risen to
            # 50 by Friday") or a future says which way.
            auxes = {c.lower_ for c in head.children if c.dep_ in ("aux", "auxpass")}
            if "had" in auxes:
                return -1
            if auxes & {"will", "'ll", "shall"}:
                return 1
            return -1 if _settled_past(head) else 0
        return direction if (strong or weak) else 0

    def clause_verb(self, start: int, end: int):
        """The first verb above the span (None when the span hangs on no verb)."""
        if not len(self.doc):
            return None
        tok = self.span_tokens(start, end).root
        for _ in range(8):
            if tok.head is tok:
                return tok if tok.pos_ in ("VERB", "AUX") else None
            tok = tok.head
            if tok.pos_ in ("VERB", "AUX"):
                return tok
        return None


def _prospective_predicate(verb) -> bool:
    """A copula with "due", "set" or "scheduled", or a passive prospective participle: "was
    due on Monday", "is expected on Friday", "were scheduled for Thursday"."""
    prospective = _words()["prospective_verbs"]
    if verb.tag_ == "VBN" and verb.lemma_ in prospective \
            and any(c.dep_ == "auxpass" for c in verb.children):
        return True
    return verb.lemma_ == "be" and any(
        c.dep_ in ("acomp", "xcomp") and c.lower_ in prospective | _PROSPECTIVE_FORMS
        for c in verb.children)


# Participle forms of prospective verbs that the parse leaves as adjectives after a copula.
_PROSPECTIVE_FORMS = frozenset({"scheduled", "expected", "planned", "slated", "set"})


def _settled_past(verb) -> bool:
    """A verb in a past tense (simple past or perfect, no modal or infinitive) that does not
    set up an arrangement: a date it runs "until" or "by" is gone ("it took until Sunday",
    "the toll has risen to 50 by late Friday"), unlike "extended until Friday" or "expect it
    to be finished by March 3"."""
    if verb.lemma_ in _words()["arrangement_verbs"]:
        return False
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(c.tag_ == "MD" or c.lower_ == "to" for c in auxes):
        return False
    return verb.tag_ == "VBD" or any(c.tag_ == "VBD" or c.lemma_ == "have" for c in auxes)


# Objects of these name a deadline or an arrangement ("extended until Nov. 20", "set for
# Sept. 11"), whose direction the verb's tense does not give.
def _clause_future(tok) -> int:
    """+1 when the clause around a noun-attached date is explicitly future ("will triple its
    ferry runs between Malta and Tunis by June"), else 0: a past verb further up says
    little about a date buried in a noun phrase, but future marking is deliberate."""
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX"):
            direction, strong = _verb_tense(tok)
            auxes = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
            return 1 if direction > 0 and strong and auxes & {"will", "'ll", "shall"} else 0
        if tok.head is tok:
            return 0
        tok = tok.head
    return 0


_DEADLINE_PREPS = frozenset({"until", "till", "til", "through", "to", "by", "before", "after",
                             "ahead", "pending", "into", "for"})
_SPEECH_VERBS = frozenset({"say", "tell", "claim", "report", "announce", "insist", "deny",
                           "add", "note", "accuse", "warn", "write", "state", "confirm",
                           "admit", "argue", "believe", "think", "estimate", "suggest"})


def _verb_tense(verb) -> tuple[int, bool]:
    """(direction, strong) for one verb, from its own tag and its auxiliaries."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {c.lower_ for c in auxes}
    if words & {"will", "'ll", "shall", "wo", "\u2019ll"} or "going" in words:
        return 1, True
    if any(c.tag_ == "MD" for c in auxes):
        if words & {"have", "'ve"}:
            return -1, True
        if words & {"could", "can", "ca"}:
            return 0, False  # "could not be reached Tuesday": ability, mostly reported
        return 1, True
    if any(c.tag_ == "VBD" for c in auxes) or verb.tag_ == "VBD":
        return -1, True
    if verb.tag_ == "VBN":
        present_passive = any(c.dep_ == "auxpass" and c.tag_ in ("VBZ", "VBP") for c in auxes)
        # "is expected in December", "are scheduled for Monday": arrangements ahead
        if present_passive and not words & {"has", "have"}:
            return 1, True
        # A bare participle ("a summit set for April", "three killed on Monday") leans back;
        # one modifying a noun is a reduced passive relative, past unless it arranges
        # something ("the hostages seized on October 7", not "a summit set for April").
        reduced = verb.dep_ == "acl" and verb.lemma_ not in _words()["prospective_verbs"]
        return -1, bool(auxes) or reduced
    if verb.tag_ == "VB" and "to" in words:
        governor = verb.head
        if governor is not verb and governor.pos_ in ("VERB", "AUX"):
            governing = {c.lower_ for c in governor.children if c.dep_ in ("aux", "auxpass")}
            if "had" in governing:
                return -1, True  # "had been due to end Tuesday"
            if governor.lemma_ in _words()["prospective_verbs"]:
                return 1, False  # "planned to leave on Thursday"
            if governor.tag_ == "VBD" or governing & {"was", "were"}:
                return -1, False  # "was made to resign in May"
        return 1, True
    if verb.tag_ == "VBG" and any(c.tag_ in ("VBZ", "VBP") for c in auxes):
        return 1, True
    if verb.tag_ in ("VBZ", "VBP"):
        return (0, False) if verb.lemma_ in _SPEECH_VERBS else (1, False)
    return 0, False


@dataclass
class _Context:
    """What resolution needs: the document, the publication date and the narrative chain."""

    text: str
    tokens: _Tokens
    published: dt.date | None
    quotes: Regions
    ref: Point | None = None  # the last explicit date of any grain
    ref_day: Point | None = None  # the last explicit day
    period: Point | None = None  # the last quarter or half named (results stories)
    period_at: int = -1
    named_years: dict | None = None  # (month, day or None) -> year the text gave them

    def remember(self, point: Point | None, at: int) -> None:
        if point is None:
            return
        self.ref = point
        if point.grain in ("day", "time"):
            self.ref_day = point
        if point.grain in ("quarter", "half"):
            self.period, self.period_at = point, at

    def remember_year(self, point: Point) -> None:
        """A day or month dated in full: later yearless mentions of it borrow the year."""
        if self.named_years is None:
            self.named_years = {}
        if point.grain == "day":
            self.named_years[(point.day.month, point.day.day)] = point.day.year
        self.named_years[(point.day.month, None)] = point.day.year

    def context_year(self, month: int, day: int | None) -> int | None:
        """The year the text itself gave this date or month ("October 7, 2023 ... since
        October 7"). A year merely named nearby is no guide ("bonds due 1993 ... expire
        Nov. 21"), so only the same date or month counts."""
        return self.named_years.get((month, day)) if self.named_years else None

    def recent_period(self, at: int, reach: int = 400) -> Point | None:
        """The quarter or half the text named within ``reach`` characters before ``at``."""
        return self.period if self.period is not None and at - self.period_at <= reach else None

    def pub_point(self) -> Point | None:
        return timex.at(self.published, "day") if self.published else None


@dataclass
class _Found:
    """A handler's answer: the TIMEX3 reading of one match."""

    value: str | None
    type: str
    anchor: str | None
    mod: str | None = None
    point: Point | None = None  # the calendar point, when the value is one
    remember: bool = True  # may it become the narrative reference?
    deictic: bool = False  # does it count from the moment of speaking?
    end: int | None = None  # a handler may widen the span ("a week after the blast")


# ----------------------------------------------------------------------------- handlers


class _Match:
    """A regex match whose absent named groups read as None (rules sharing a handler name
    different subsets of the groups)."""

    __slots__ = ("match", "groups")

    def __init__(self, match: re.Match):
        self.match = match
        self.groups = match.groupdict()

    def __getitem__(self, name: str) -> str | None:
        return self.groups.get(name)

    def groupdict(self) -> dict[str, str | None]:
        return self.groups

    def group(self, index: int = 0) -> str:
        return self.match.group(index)

    def start(self, name: int | str = 0) -> int:
        return self.match.start(name)

    def end(self, name: int | str = 0) -> int:
        return self.match.end(name)

_HANDLERS: dict[str, Callable[[_Match, _Context], _Found | None]] = {}


def _handler(name: str):
    def register(fn):
        _HANDLERS[name] = fn
        return fn
    return register


def _g(m: _Match, name: str) -> str | None:
    value = m[name]
    return value.lower() if value else None


def _period_mod(word: str | None) -> str | None:
    if not word:
        return None
    return lexicon()["period_mods"].get(re.sub(r"\s+", " ", word.lower()))


def _month_number(text: str) -> int | None:
    return _words()["months"].get(text.lower().rstrip("."))


def _weekday_number(text: str) -> int | None:
    return _words()["weekdays"].get(text.lower().rstrip("."))


def _followed_by_name(ctx: _Context, end: int) -> bool:
    """A capitalised name word right after the span: "March 14 Alliance", "Sunday Times"."""
    nxt = ctx.tokens.after(end)
    if nxt is None or nxt.idx - end > 1 or not nxt.text[:1].isupper():
        return False
    heads = _words()["name_heads"]
    if nxt.text in heads:
        return True
    two = ctx.text[nxt.idx:nxt.idx + 40].split()
    return len(two) > 1 and " ".join(two[:2]) in heads


_SINCE = re.compile(r"\b(?:since|ago)\s*$")
_DEADLINE = re.compile(r"\b(?:until|till|by|ahead\s+of|effective|payable|due|expire|expires|"
                       r"starting|beginning|next|as\s+soon\s+as|as\s+early\s+as)\s*$")


def _direction(ctx: _Context, m: _Match, weak: bool = True) -> int:
    """Which way a bare calendar name points: -1 back, +1 ahead, 0 unknown."""
    before = ctx.text[max(0, m.start() - 14):m.start()].lower()
    if _SINCE.search(before):
        return -1
    return ctx.tokens.tense(m.start(), m.end(), weak=weak)


def _after_deadline_word(ctx: _Context, m: _Match) -> bool:
    return bool(_DEADLINE.search(ctx.text[max(0, m.start() - 14):m.start()].lower()))


def _event_name_year(ctx: _Context, m: _Match, month: int, day: int) -> int | None:
    """The year of a date that names a widely reported event ("the October 7 attacks")."""
    entry = _words()["named_dates"].get((month, day))
    if entry is None:
        return None
    year, heads = entry
    after = ctx.text[m.end():m.end() + 40].lower()
    words = re.findall(r"[a-z]+", after)[:3]
    if any(w in heads for w in words) and (ctx.published is None or ctx.published.year >= year):
        return year
    return None


@_handler("iso")
def _iso(m: _Match, ctx: _Context) -> _Found | None:
    try:
        day = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    if m["hh"]:
        point = Point(day, "time", hour=int(m["hh"]), minute=int(m["mm"]))
        return _Found(point.value(), "time", "absolute", point=point)
    point = timex.at(day, "day")
    return _Found(point.value(), "date", "absolute", point=point)


@_handler("calendar")
def _calendar(m: _Match, ctx: _Context) -> _Found | None:
    """Month-day, day-month and month-year dates, with or without a year."""
    month = _month_number(m["mon"])
    if month is None:
        return None
    day_text = _g(m, "day")
    day = ordinal_value(day_text) if day_text else None
    if day_text and (day is None or not 1 <= day <= 31):
        return None
    if _followed_by_name(ctx, m.end()) or _is_dateline(ctx, m.start(), m.end()):
        return None
    year_text = m["year"]
    mod = _period_mod(_g(m, "mod"))
    if day is None:
        year = year_value(year_text)
        if year is None:
            return None
        point = Point(dt.date(year, month, 1), "month")
        return _Found(point.value(), "date", "absolute", mod=mod, point=point)
    if day_text and day_text[0].isdigit() and m["mon"][:3].lower() == "may" \
            and not year_text and _is_modal(ctx, m.start("mon")):
        return None
    if year_text:
        try:
            when = dt.date(year_value(year_text), month, day)
        except (ValueError, TypeError):
            return None
        point = timex.at(when, "day")
        return _Found(point.value(), "date", "absolute", mod=mod, point=point)
    named = _event_name_year(ctx, m, month, day)
    if named:
        try:
            point = timex.at(dt.date(named, month, day), "day")
        except ValueError:
            return None
        return _Found(point.value(), "date", "absolute", mod=mod, point=point)
    context_year = ctx.context_year(month, day)
    if context_year is not None and (ctx.published is None or context_year != ctx.published.year):
        try:
            point = timex.at(dt.date(context_year, month, day), "day")
        except ValueError:
            return None
        return _Found(point.value(), "date", "narrative", mod=mod, point=point)
    anchor = _year_anchor(ctx)
    if anchor is None:
        return _Found(None, "date", None, mod=mod)
    when = _year_from_weekday(anchor, month, day, m["wd"])
    if when is None:
        direction = _direction(ctx, m, weak=False)
        if direction == 0 and _names_event(ctx, m):
            direction = -1
        when = timex.day_near(anchor, month, day, direction)
    if when is None:
        return None
    point = timex.at(when, "day")
    return _Found(point.value(), "date", "published", mod=mod, point=point)


_DATELINE_BEFORE = re.compile(r"(?:^|\n)[ \t]*[A-Z][A-Za-z .,'\-]+,[ \t]*$")
_DATELINE_AFTER = re.compile(r"[ \t]*(?:\([^)\n]{1,30}\)|--|\u2014|/|:)")


def _is_dateline(ctx: _Context, start: int, end: int) -> bool:
    """"WASHINGTON, August 11 (Xinhua) --": the wire dateline repeats the publication date
    and is not part of the story (TimeML leaves it out)."""
    line_start = ctx.text.rfind("\n", 0, start) + 1
    if start - line_start > 60:
        return False
    return bool(_DATELINE_BEFORE.search(ctx.text[max(0, line_start - 1):start])
                and _DATELINE_AFTER.match(ctx.text, end))


def _year_from_weekday(anchor: dt.date, month: int, day: int, weekday: str | None
                       ) -> dt.date | None:
    """"Saturday, April 25": the year near the anchor in which that day is that weekday."""
    number = _weekday_number(weekday) if weekday else None
    if number is None:
        return None
    fits = []
    for year in (anchor.year, anchor.year - 1, anchor.year + 1):
        try:
            when = dt.date(year, month, day)
        except ValueError:
            continue
        if when.weekday() == number:
            fits.append(when)
    return min(fits, key=lambda d: abs((d - anchor).days)) if fits else None


def _year_anchor(ctx: _Context) -> dt.date | None:
    """The date a yearless calendar date is placed near: publication, else the text's last
    explicit date."""
    if ctx.published:
        return ctx.published
    return ctx.ref.day if ctx.ref else None


def _names_event(ctx: _Context, m: _Match) -> bool:
    """A date used as a noun modifier names something that happened ("the July 31
    assassination")."""
    nxt = ctx.tokens.after(m.end())
    return nxt is not None and nxt.pos_ == "NOUN" and nxt.idx - m.end() <= 1


def _is_modal(ctx: _Context, char: int) -> bool:
    tok = ctx.tokens.at(char)
    return tok is not None and (tok.tag_ == "MD" or tok.pos_ in ("VERB", "AUX"))


_MONTH_PREPS = frozenset((
    "in", "of", "since", "until", "till", "by", "during", "before", "after", "from", "through",
    "to", "last", "next", "this", "early", "mid", "late", "and", "or", "between", "on",
    "throughout", "around", "end", "beginning", "start", "middle", "past", "coming", "into",
    "for", "as"))


@_handler("month")
def _month(m: _Match, ctx: _Context) -> _Found | None:
    mon_text = m["mon"]
    month = _month_number(mon_text)
    if month is None:
        return None
    tok = ctx.tokens.at(m.start("mon"))
    if tok is not None:
        if tok.tag_ == "MD" or tok.pos_ in ("VERB", "AUX"):
            return None
        if tok.ent_type_ in ("PERSON", "ORG", "FAC", "WORK_OF_ART") and tok.ent_iob_ != "O":
            ent = next((e for e in ctx.tokens.doc.ents if e.start <= tok.i < e.end), None)
            if ent is not None and len(ent) > 1 and ent.label_ != "DATE":
                return None
    if _followed_by_name(ctx, m.end()) or re.match(r"\s+\d{1,2}\b", ctx.text[m.end():m.end() + 4]):
        return None  # a day number follows: the calendar rule read (or refused) the date
    rel = _g(m, "rel")
    mod = _period_mod(_g(m, "mod"))
    if mon_text in _words()["ambiguous_months"] and not rel and not mod:
        prev = ctx.tokens.before(m.start())
        nxt = ctx.tokens.after(m.end())
        attributive = (prev is not None and prev.lower_ == "the" and nxt is not None
                       and nxt.pos_ == "NOUN")  # "the March accession"
        if not attributive and (prev is None or prev.lower_ not in _MONTH_PREPS):
            return None
    if _preceded_by_title(ctx, m.start("mon")):
        return None
    anchor = _year_anchor(ctx)
    rely = _g(m, "rely")
    if anchor is None:
        return _Found(None, "date", None, mod=mod)
    if rely:
        if ctx.published is None:
            return _Found(None, "date", None, mod=mod, deictic=True)
        year = ctx.published.year + {"last": -1, "this": 0, "next": 1}[rely]
        point = Point(dt.date(year, month, 1), "month")
        return _Found(point.value(), "date", "published", mod=mod, point=point, deictic=True)
    if rel and ctx.published is None:
        return _Found(None, "date", None, mod=mod, deictic=True)
    if rel:
        step = lexicon()["relative_words"].get(re.sub(r"\s+", " ", rel), 0)
        if step < 0:
            # "last April" said in October is this year's; "last February" said in March is
            # a year back (the month just gone would be "last month").
            point = timex.month_near(timex.add_months(anchor.replace(day=1), -2), month, -1)
        elif step > 0:
            point = timex.month_near(timex.add_months(anchor.replace(day=1), 2), month, 1)
        else:
            point = Point(dt.date(anchor.year, month, 1), "month")
        return _Found(point.value(), "date", "published", mod=mod, point=point, deictic=True)
    context_year = ctx.context_year(month, None)
    if context_year is not None and context_year != anchor.year:
        point = Point(dt.date(context_year, month, 1), "month")
        return _Found(point.value(), "date", "narrative", mod=mod, point=point)
    point = timex.month_near(anchor, month, _direction(ctx, m, weak=False))
    return _Found(point.value(), "date", "published", mod=mod, point=point)


def _preceded_by_title(ctx: _Context, char: int) -> bool:
    """"Theresa May", "Mrs. May", "General March": a capitalised word (not a sentence start, not
    a time word) right before a month name makes it a surname."""
    prev = ctx.tokens.before(char)
    if prev is None or not prev.text[:1].isupper() or prev.is_sent_start:
        return False
    if prev.lower_ in _MONTH_PREPS or _month_number(prev.text) or _weekday_number(prev.text):
        return False
    return prev.pos_ == "PROPN" or prev.text.rstrip(".") in ("Mr", "Mrs", "Ms", "Dr")


_YEAR_FRAMES = frozenset({"in", "since", "until", "till", "by", "during", "before", "after",
                          "from", "through", "of", "for", "to", "circa", "around"})


def _looks_like_count(ctx: _Context, m: _Match, start: int, end: int) -> bool:
    """A four-digit number that counts or identifies things rather than naming a year."""
    prev = ctx.tokens.before(start)
    if prev is not None and prev.lower_ in _words()["count_nouns"]:
        return True
    nxt = ctx.tokens.after(end)
    # "the 1992 protests", "fiscal 1989 sales", "in 1990": a year before a plural noun
    framed = m["fis"] or (prev is not None and (prev.lower_ in _YEAR_FRAMES or prev.tag_ in (
        "DT", "PRP$", "POS") or prev.lower_ in ("'s", "\u2019s")))
    if nxt is not None and nxt.idx - end <= 1:
        if nxt.tag_ in ("NNS", "NNPS") and not framed:
            return True
        if nxt.lower_ in ("%", "percent", "per"):
            return True
        if nxt.text[:1].isdigit() or nxt.lower_ in ("million", "billion", "thousand"):
            return True
    if re.match(r"[-\u2010\u2011][A-Za-z]", ctx.text[end:end + 2]):
        return True  # "a 2000-metre race", "a 1500-strong force"
    return prev is not None and prev.text[:1] in "$\u00a3\u20ac#"


@_handler("year")
def _year(m: _Match, ctx: _Context) -> _Found | None:
    year_text = m["year"]
    year = year_value(year_text)
    if year is None:
        return None
    if _looks_like_count(ctx, m, m.start("year"), m.end("year")):
        return None
    prev = ctx.tokens.before(m.start())
    spoken = not year_text[:1].isdigit()
    # "nineteen ninety-six" can only be a year; "two thousand" may be a count.
    two_part = spoken and not year_text.lower().startswith("two")
    if spoken and not two_part and not (m["fis"] or "year" in m.group(0).lower()[:10]) and (
            prev is None or prev.lower_ not in _MONTH_PREPS):
        return None
    if year < 1900 and not m["fis"] and (prev is None or prev.lower_ not in _MONTH_PREPS):
        return None
    nxt = ctx.tokens.after(m.end("year"))
    if prev is not None and prev.lower_ in ("a", "an") and nxt is not None \
            and nxt.pos_ == "PROPN" and not _month_number(nxt.text):
        return None  # "a 2003 Honda Accord": a model year
    if prev is not None and prev.pos_ == "PROPN" and prev.text[:1].isupper() \
            and not prev.is_sent_start and not _month_number(prev.text) \
            and prev.idx + len(prev) >= m.start() - 1:
        return None  # "Vision 2030", "Euro 2024": a name with a year in it
    later = _g(m, "later")
    mod = _period_mod(_g(m, "mod"))
    if later:
        mod = "ON_OR_AFTER" if ("later" in later or "beyond" in later or "onward" in later) \
            else "ON_OR_BEFORE"
    point = Point(dt.date(year, 1, 1), "year")
    return _Found(point.value(), "date", "absolute", mod=mod, point=point)


@_handler("decade")
def _decade(m: _Match, ctx: _Context) -> _Found | None:
    mod = _period_mod(_g(m, "mod"))
    if m["dec"]:
        value = m["dec"][:3]
    else:
        if m["dec2"]:
            tens = int(m["dec2"][0])
        else:
            prev = ctx.tokens.before(m.start())
            if prev is not None and prev.lower_ in ("his", "her", "their", "my", "your", "its"):
                return None  # "in her nineties": an age
            words = "twenties thirties forties fifties sixties seventies eighties nineties"
            tens = words.split().index(m["decw"].lower()) + 2
        century = 19
        if ctx.published and tens * 10 + 1900 > ctx.published.year:
            century = 18
        value = f"{century}{tens}"
    return _Found(value, "date", "absolute", mod=mod,
                  point=Point(dt.date(int(value) * 10, 1, 1), "decade"))


@_handler("century")
def _century(m: _Match, ctx: _Context) -> _Found | None:
    n = ordinal_value(m["n"])
    if not n or n > 21:
        return None
    mod = _period_mod(_g(m, "mod"))
    return _Found(f"{n - 1:02d}", "date", "absolute", mod=mod,
                  point=Point(dt.date(max((n - 1) * 100, 1), 1, 1), "century"))


@_handler("holiday")
def _holiday(m: _Match, ctx: _Context) -> _Found | None:
    rule = lexicon()["holidays"][re.sub(r"\s+", " ", m["name"].lower()).replace("\u2019", "'")]
    if _followed_by_name(ctx, m.end()):
        return None
    nxt = ctx.tokens.after(m.end())
    if nxt is not None and nxt.text[:1].isupper() and nxt.pos_ == "PROPN" \
            and nxt.idx - m.end() <= 1:
        return None  # "Easter Island", "Christmas Island"
    year_text = m["year"]
    anchor = _year_anchor(ctx)

    def on(year: int) -> dt.date:
        if rule.startswith("easter"):
            return timex.easter(year) + dt.timedelta(days=int(rule[6:] or 0))
        if rule.count(":") == 2:
            month, weekday, n = (int(x) for x in rule.split(":"))
            return timex.nth_weekday(year, month, weekday, n)
        month, day = (int(x) for x in rule.split("-"))
        return dt.date(year, month, day)

    if year_text:
        point = timex.at(on(int(year_text[:4])), "day")
        return _Found(point.value(), "date", "absolute", point=point)
    if anchor is None:
        return _Found(None, "date", None)
    rel = _g(m, "rel")
    direction = {"last": -1, "next": 1}.get(rel or "")
    if direction is None:
        direction = _direction(ctx, m, weak=False)
    options = [on(y) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
    past = [d for d in options if d <= anchor]
    future = [d for d in options if d >= anchor]
    if direction < 0:
        when = past[-1]
    elif direction > 0:
        when = future[0]
    else:
        when = min(past[-1], future[0], key=lambda d: abs((d - anchor).days))
    point = timex.at(when, "day")
    return _Found(point.value(), "date", "published", point=point)


_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_DAY_MODS = {"early": "START", "earlier": "START", "late": "END", "later": "END"}


def _with_part(point: Point, part: str | None) -> Point:
    return timex.at(point.day, "day", part=_PARTS.get(part or "")) if part else point


@_handler("deictic")
def _deictic(m: _Match, ctx: _Context) -> _Found | None:
    word = m["word"].lower()
    if m["word"][0].isupper() and not m["mod"] and not _sentence_initial(ctx, m.start("word")):
        return None  # "USA Today", "This Morning": a title
    prev = ctx.tokens.before(m.start())
    if word == "tomorrow" and prev is not None and prev.lower_ == "of":
        return None  # "the people of tomorrow": the future in general
    part = _g(m, "part")
    mod = _DAY_MODS.get(_g(m, "mod") or "")
    typ = "time" if part else "date"
    if word in ("this", "last"):
        offset = -1 if (word == "last" and part in ("night", "evening")) else 0
        if word == "last" and part in ("morning", "afternoon"):
            return None  # "the last morning of ..." is not deictic
    else:
        offset = lexicon()["deictic_days"][word]
        if word == "tonight":
            part = "night"
            typ = "time"
    if ctx.published is None:
        return _Found(None, typ, None, mod=mod, deictic=True)
    point = _with_part(timex.at(ctx.published + dt.timedelta(days=offset), "day"), part)
    return _Found(point.value(), typ, "published", mod=mod, point=point, deictic=True)


@_handler("weekday")
def _weekday(m: _Match, ctx: _Context) -> _Found | None:
    weekday = _weekday_number(m["wd"])
    if weekday is None:
        return None
    if _followed_by_name(ctx, m.end()):
        return None
    prev = ctx.tokens.before(m.start())
    if prev is not None and prev.text in _words()["weekday_names"] \
            and prev.idx + len(prev) >= m.start() - 1:
        return None
    rel = _g(m, "rel")
    part = _g(m, "part")
    mod = _DAY_MODS.get(_g(m, "mod") or "")
    typ = "date"
    rel = re.sub(r"\s+", " ", rel) if rel else None
    narrative = rel in ("that", "the following", "the next", "the previous", "the preceding",
                        "the prior")
    if narrative:
        base = ctx.ref_day
        if base is None:
            return _Found(None, typ, None, mod=mod)
        direction = 1 if rel in ("the following", "the next") else -1
        start = base.day + dt.timedelta(days=direction)
        if rel == "that":
            start, direction = base.day, 0
        point = _with_part(timex.at(timex.weekday_near(start, weekday, direction), "day"), part)
        return _Found(point.value(), typ, "narrative", mod=mod, point=point)
    if ctx.published is None:
        return _Found(None, typ, None, mod=mod, deictic=True)
    pub = ctx.published
    if rel:
        step = lexicon()["relative_words"].get(rel, 0)
        if step < 0:
            when = timex.weekday_near(pub - dt.timedelta(days=1), weekday, -1)
        elif step > 0:
            when = timex.weekday_near(pub + dt.timedelta(days=1), weekday, 1)
        else:
            when = timex.weekday_near(pub, weekday, _direction(ctx, m) or 1)
    else:
        direction = _possessive_direction(ctx, m)
        if direction is None:
            direction = _direction(ctx, m)
        if direction == 0:
            # News reports more than it announces; a deadline ("by Friday") looks ahead,
            # unless the clause is a settled past ("the railway station, until Friday the
            # main departure point, remained closed").
            direction = 1 if _after_deadline_word(ctx, m) and not _past_clause(ctx, m) \
                else -1
        when = timex.weekday_near(pub, weekday, direction)
    point = _with_part(timex.at(when, "day"), part)
    return _Found(point.value(), typ, "published", mod=mod, point=point, deictic=True)


def _past_clause(ctx: _Context, m: _Match) -> bool:
    verb = ctx.tokens.clause_verb(m.start(), m.end())
    return verb is not None and _settled_past(verb)


_POSSESSIVE = re.compile(r"['\u2019]s\b")


def _possessive_direction(ctx: _Context, m: _Match) -> int | None:
    """"Friday's strike": a weekday possessing an event noun names the day on or before
    publication, unless the event is marked as ahead: a prospective modifier ("Friday's
    planned vote"), a future clause around an arranged event ("will boycott Tuesday's vote";
    not "will investigate Friday's strike"), or a deadline word in a clause that is not past
    ("ahead of Friday's vote"). None when the weekday is no possessive."""
    if not _POSSESSIVE.match(ctx.text, m.end()):
        return None
    noun = ctx.tokens.after(m.end() + 2)
    day = ctx.tokens.at(m.start("wd"))
    if day is not None and day.dep_ == "poss" and day.head.i > day.i:
        noun = day.head
    if noun is None:
        return -1
    modifiers = _words()["prospective_modifiers"]
    between = ctx.tokens.span_tokens(m.end(), noun.idx + len(noun))
    if any(t.lower_ in modifiers for t in between) or any(
            c.lower_ in modifiers for c in noun.children if c.dep_ in ("amod", "compound")):
        return 1
    verb = ctx.tokens.clause_verb(noun.idx, noun.idx + len(noun))
    if verb is None:
        return -1
    if noun.lower_ in _words()["scheduled_nouns"] and _marked_future(verb):
        return 1
    direction, strong = _verb_tense(verb)
    if _after_deadline_word(ctx, m) and not (direction < 0 and strong):
        return 1
    return -1


def _marked_future(verb, depth: int = 0) -> bool:
    """The verb is explicitly future: "will", "shall", "going to", a present prospective
    ("is expected", "plans to") or the infinitive of one ("will try to block")."""
    auxes = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if auxes & {"will", "'ll", "\u2019ll", "shall", "wo"} or "going" in auxes:
        return True
    prospective = _words()["prospective_verbs"]
    past = verb.tag_ == "VBD" or auxes & {"was", "were", "had"}
    if verb.lemma_ in prospective and not past and verb.tag_ != "VB":
        return True
    governor = verb.head
    if verb.tag_ == "VB" and "to" in auxes and governor is not verb and depth < 3 \
            and governor.pos_ in ("VERB", "AUX"):
        return _marked_future(governor, depth + 1)
    return False


_NARRATIVE_REL = frozenset({"the following", "the previous", "the preceding", "the prior",
                            "the subsequent"})


@_handler("rel_unit")
def _rel_unit(m: _Match, ctx: _Context) -> _Found | None:
    rel = re.sub(r"\s+", " ", m["rel"].lower())
    unit = m["unit"].lower()
    modword = _g(m, "mod")
    mod = _period_mod(modword)
    if modword == "later" and rel == "this":
        mod = "END"
    step = lexicon()["relative_words"].get(rel, 0)
    if m["unit"][0].isupper():
        return None  # "This Week", "Next Year in Jerusalem": a title
    if rel in ("the last", "the next", "the past") and unit in ("week", "month"):
        return None  # "the last week" is usually a stretch of seven days: a duration
    narrative = rel in _NARRATIVE_REL
    if rel == "the next" and unit in ("day",):
        narrative = True
    base = _narrative_base(ctx, unit) if narrative else ctx.pub_point()
    if base is None:
        return _Found(None, "date", None, mod=mod, deictic=not narrative)
    if unit == "weekend":
        point = _weekend(base.day, step, ctx, m)
    elif unit == "quarter" and rel in ("the latest", "latest"):
        point = timex.shift(timex.at(base.day, "quarter"), -1, "quarter")
    else:
        point = timex.shift(timex.at(base.day, unit), step, unit)
    anchor = "narrative" if narrative else "published"
    return _Found(point.value(), "date", anchor, mod=mod, point=point,
                  deictic=not narrative, remember=not narrative)


def _narrative_base(ctx: _Context, unit: str) -> Point | None:
    if unit in ("day", "night", "morning", "afternoon", "evening"):
        return ctx.ref_day
    return ctx.ref


def _weekend(day: dt.date, step: int, ctx: _Context, m: _Match) -> Point:
    """The weekend ``step`` weekends from the one of ``day``'s week; for step 0 ("the
    weekend") the tense picks the one just past or the one coming."""
    current = timex.at(day, "weekend")
    if step:
        return timex.shift(current, step, "week")
    if day.weekday() >= 5:
        return current
    direction = _direction(ctx, m)
    before = ctx.text[max(0, m.start() - 12):m.start()].lower()
    if "ahead of" in before or "until" in before:
        direction = 1
    return current if direction > 0 else timex.shift(current, -1, "week")


@_handler("the_unit")
def _the_unit(m: _Match, ctx: _Context) -> _Found | None:
    """"the year", "the week", "the weekend": the current one, or for "the weekend" the one
    the tense points at."""
    unit = m["unit"].lower()
    det = m["det"].lower()
    if m["unit"][0].isupper():
        return None  # a title
    if ctx.text[m.end():m.end() + 1] in ("-", "\u2010", "\u2011"):
        return None  # "the year-ago results", "the week-long siege"
    if unit != "weekend" and det == "the":
        nxt = ctx.tokens.after(m.end())
        prev = ctx.tokens.before(m.start())
        if nxt is not None and nxt.lower_ in ("of", "before", "after", "when", "that", "in"):
            return None  # "the year of the coup", "the week before"
        if prev is not None and prev.lower_ in ("a", "per", "every", "each"):
            return None
    if ctx.published is None:
        return _Found(None, "date", None, deictic=True)
    if unit == "weekend":
        point = _weekend(ctx.published, 0, ctx, m)
    else:
        point = timex.at(ctx.published, unit)
    return _Found(point.value(), "date", "published", point=point, deictic=True)


@_handler("season")
def _season(m: _Match, ctx: _Context) -> _Found | None:
    code = lexicon()["seasons"][m["season"].lower()]
    rel = _g(m, "rel")
    rel = re.sub(r"\s+", " ", rel) if rel else None
    mod = _period_mod(_g(m, "mod")) or _period_mod(_g(m, "mod2"))
    year_text = m["year"]
    if year_text:
        year = year_value(year_text)
        if year is None:
            return None
        point = timex.season(year, code)
        return _Found(point.value(), "date", "absolute", mod=mod, point=point)
    if (not rel or rel == "the") and not mod:
        # A bare season is often generic ("harsh winters"); after a preposition of time
        # ("in the summer", "into the spring") it is this year's or the last one.
        prev = ctx.tokens.before(m.start())
        if prev is None or prev.lower_ not in ("in", "during", "by", "until", "since", "over",
                                               "through", "throughout", "into", "till",
                                               "before", "after"):
            return None
        nxt = ctx.tokens.after(m.end())
        if nxt is not None and nxt.lower_ == "of":
            return None
    if ctx.published is None:
        return _Found(None, "date", None, mod=mod, deictic=True)
    step = lexicon()["relative_words"].get(rel or "", 0)
    direction = step if step else (0 if rel == "this" else _direction(ctx, m, weak=False))
    point = timex.season_near(ctx.published, code, direction)
    return _Found(point.value(), "date", "published", mod=mod, point=point, deictic=True)


@_handler("year_end")
def _year_end(m: _Match, ctx: _Context) -> _Found | None:
    if ctx.published is None:
        return _Found(None, "date", None, deictic=True)
    word = m["word"].lower()
    grain = "month" if word.startswith("month") else "year"
    point = timex.at(ctx.published, grain)
    mod = "APPROX" if m["around"] else "END"
    return _Found(point.value(), "date", "published", mod=mod, point=point, deictic=True,
                  remember=False)


@_handler("quarter")
def _quarter(m: _Match, ctx: _Context) -> _Found | None:
    unit = (_g(m, "unit") or "quarter")
    n = int(m["q"]) if m["q"] else ordinal_value(m["ord"])
    if not n or n > (4 if unit == "quarter" else 2):
        return None
    nxt = ctx.tokens.after(m.end())
    if unit == "half" and nxt is not None and nxt.lower_ == "of" and not m["y2"]:
        return None  # "the first half of the match"
    year_text = m["y1"] or m["y2"]
    anchored = "absolute"
    if year_text:
        year = int(year_text[:4])
    else:
        anchor = _year_anchor(ctx)
        if anchor is None:
            return _Found(None, "date", None)
        shift_words = _g(m, "rely") or _g(m, "rel2")
        year = anchor.year + {"last": -1, "next": 1}.get(shift_words or "", 0)
        if m["ya"]:
            year -= 1
        anchored = "published"
    month = (n - 1) * (3 if unit == "quarter" else 6) + 1
    point = Point(dt.date(year, month, 1), unit)
    return _Found(point.value(), "date", anchored, point=point)


@_handler("quarter_rel")
def _quarter_rel(m: _Match, ctx: _Context) -> _Found | None:
    """"the quarter", "the latest quarter", "the year-ago period": financial reporting periods.

    "The quarter" in a results story is the last completed one; "that quarter" and the
    year-ago ones count from the quarter the text last named.
    """
    rel = re.sub(r"\s+", " ", (_g(m, "rel") or ""))
    det = _g(m, "det") or ""
    unit = m["unit"].lower()
    if ctx.text[m.end():m.end() + 1] in ("-", "\u2010", "\u2011"):
        return None  # "a quarter-to-quarter rise"
    if unit == "period" and not rel:
        return None
    if unit == "period" and rel in ("same", "current", "last", "past", "previous", "prior"):
        return None
    year_ago = "year-ago" in rel or "year-earlier" in rel or rel == "comparable"
    if det == "that" or year_ago or rel == "same":
        base = ctx.recent_period(m.start(), reach=len(ctx.text))
        if base is None:
            base = _last_quarter(ctx)
            if base is None:
                return _Found(None, "date", None)
        point = timex.shift(base, -1, "year") if year_ago else base
        return _Found(point.value(), "date", "narrative", point=point, remember=False)
    if ctx.published is None:
        return _Found(None, "date", None)
    current = timex.at(ctx.published, "quarter")
    if det == "this" or rel == "current":
        point = current
    elif rel in ("last", "past", "previous", "prior"):
        point = timex.shift(current, -1, "quarter")
    else:
        point = (ctx.ref if ctx.ref is not None and ctx.ref.grain == "quarter"
                 else timex.shift(current, -1, "quarter"))
    return _Found(point.value(), "date", "published", point=point)


def _last_quarter(ctx: _Context) -> Point | None:
    if ctx.published is None:
        return None
    return timex.shift(timex.at(ctx.published, "quarter"), -1, "quarter")


@_handler("year_ago")
def _year_ago(m: _Match, ctx: _Context) -> _Found | None:
    nxt = ctx.tokens.after(m.end())
    if nxt is not None and nxt.lower_ in ("quarter", "period"):
        return None
    base = ctx.recent_period(m.start())
    if base is None:
        if ctx.published is None:
            return _Found(None, "date", None)
        base = timex.at(ctx.published, "year")
    point = timex.shift(base, -1, "year")
    return _Found(point.value(), "date", "narrative", point=point, remember=False)


@_handler("that_unit")
def _that_unit(m: _Match, ctx: _Context) -> _Found | None:
    unit = m["unit"].lower()
    mod = _DAY_MODS.get(_g(m, "mod") or "")
    base = _narrative_base(ctx, unit)
    if base is None:
        return _Found(None, "time" if unit in _PARTS else "date", None, mod=mod)
    typ = "date"
    if unit in _PARTS:
        point = _with_part(timex.at(base.day, "day"), unit)
        typ = "time"
        if unit == "night" and mod is None:
            point, typ = timex.at(base.day, "day"), "date"  # "that night" is that day's date
    elif unit == "day":
        point = timex.at(base.day, "day")
    elif base.finer_than(unit) or base.grain == unit:
        point = timex.at(base.day, unit)
    else:
        return _Found(None, "date", None, mod=mod)
    return _Found(point.value(), typ, "narrative", mod=mod, point=point, remember=False)


@_handler("the_next")
def _the_next(m: _Match, ctx: _Context) -> _Found | None:
    rel = re.sub(r"\s+", " ", m["rel"].lower())
    unit = m["unit"].lower()
    step = -1 if rel in ("the previous", "the preceding", "the prior") else 1
    base = _narrative_base(ctx, unit)
    if base is None:
        return _Found(None, "date", None)
    part = unit if unit in _PARTS and unit != "night" else None
    grain_unit = "day" if unit in _PARTS or unit == "night" else unit
    if base.finer_than(grain_unit) or base.grain == grain_unit:
        point = timex.shift(timex.at(base.day, grain_unit), step, grain_unit)
        point = _with_part(point, part)
    else:
        return _Found(None, "date", None)
    return _Found(point.value(), "date", "narrative", point=point,
                  remember=grain_unit == "day")


@_handler("shift")
def _shift(m: _Match, ctx: _Context) -> _Found | None:
    """"five months earlier", "a week after the blast", "two years ago", "a year on"."""
    unit = timex_unit(m["unit"])
    if unit is None or unit == "millennium":
        return None
    num_text = m["num"].lower()
    amount = 1.0 if num_text == "the" else number_value(num_text)
    direction_word = re.sub(r"\s+", " ", m["dir"].lower())
    approx = _g(m, "approx")
    mod = lexicon()["approximators"].get(re.sub(r"\s+", " ", approx)) if approx else None
    if m["orso"] and "so" in m["orso"].lower():
        mod = "APPROX"
    end = m.end()
    if direction_word == "on" and re.match(r"\s*\w", ctx.text[end:end + 3]):
        return None  # "40 buses a day on the line"; only "a year on," counts forward
    if direction_word in ("before", "after"):
        end = _event_object_end(ctx, m.end("dir"))
        if end is None:
            # "ten months after the war began": a clause, not a date to count from; the
            # count itself is a duration.
            if num_text == "the":
                return None
            count_end = m.end("half2") if m["half2"] else m.end("unit")
            return _Found(timex.duration(amount, unit), "duration", None, mod=mod,
                          end=count_end, remember=False)
    back = direction_word in ("ago", "earlier", "before", "prior")
    from_publication = direction_word in ("ago", "from now", "hence")
    if from_publication:
        mod = lexicon()["ago_mods"].get(mod or "", mod)
        base = ctx.pub_point()
    else:
        base = _narrative_base(ctx, unit)
    if unit == "year":
        # In a results story "a year ago" is the year-ago period of the quarter reported.
        base = ctx.recent_period(m.start()) or base
    if base is not None and base.part:
        base = timex.at(base.day, "day")
    if unit in ("second", "minute", "hour"):
        # "two hours ago", "minutes later": the same day as the point counted from
        if base is None or (amount or 0) > 24 * {"hour": 1, "minute": 60, "second": 3600}[unit]:
            return _Found(None, "date", None, mod=mod, end=end)
        point = timex.at(base.day, "day")
        return _Found(point.value(), "date", "published" if from_publication else "narrative",
                      mod=mod, point=point, end=end, remember=False)
    if amount is None or amount != int(amount):
        if base is None or unit not in ("year", "decade", "century", "month", "week", "day"):
            return _Found(None, "date", None, mod=mod, end=end)
        grain = {"year": "decade", "decade": "century"}.get(unit)
        if grain is None:
            if amount is None and from_publication:
                # "several weeks ago": only the direction is known
                return _Found("PAST_REF" if back else "FUTURE_REF", "date", None, mod=mod,
                              end=end, remember=False)
            return _Found(None, "date", None, mod=mod, end=end)
        # "a few years ago": the decade is known, the year is not.
        point = timex.at(base.day, grain)
        value = point.value()
        if grain == "decade" and back:
            value = value + "X" if len(value) == 3 else value
        return _Found(value, "date", "published" if from_publication else "narrative",
                      mod=mod, end=end, remember=False)
    if base is None:
        return _Found(None, "date", None, mod=mod, end=end, deictic=from_publication)
    steps = int(amount) * (-1 if back else 1)
    if base.grain not in ("day", "time") and not base.finer_than(timex.UNIT_GRAIN[unit]) \
            and base.grain != timex.UNIT_GRAIN[unit] and unit != "year":
        # "a week after" a year the text named: the week is not known
        return _Found(None, "date", None, mod=mod, end=end)
    point = _shifted(base, steps, unit, deictic=from_publication)
    anchor = "published" if from_publication else "narrative"
    return _Found(point.value(), "date", anchor, mod=mod, point=point, end=end,
                  deictic=from_publication,
                  remember=(not from_publication and point.grain == "day"))


def _shifted(base: Point, steps: int, unit: str, deictic: bool = False) -> Point:
    """The reference moved by ``steps`` units.

    Counted from the publication date ("two years ago", "six weeks ago") the result has the
    grain of the unit. Counted along the narrative, days and weeks from a day land on a day
    ("two days later"), months on a month ("five months earlier" is a month) and years keep
    the reference's grain ("a year earlier" in a results story is the same quarter a year
    before; a year after April 6, 2023 is April 6, 2024).
    """
    grain = timex.UNIT_GRAIN[unit]
    if unit == "year" and base.grain in ("quarter", "half", "season", "month") or \
            unit == "year" and not deictic and base.grain == "day":
        return timex.shift(base, steps, "year")
    if not deictic and base.grain in ("day", "time") and unit in ("day", "night", "week",
                                                                  "fortnight"):
        return timex.at(timex.shift(base, steps, unit).day, "day")
    start = timex.at(base.day, grain) if base.finer_than(grain) else base
    return timex.shift(start, steps, unit)


def timex_unit(word: str) -> str | None:
    return lexicon()["units"].get(word.lower())


def _event_object_end(ctx: _Context, prep_end: int) -> int | None:
    """End of the event phrase after "a week after" ("... after the blast"): the preposition's
    object, when it is a short noun phrase; None when it is a clause or a date (then the
    expression is not a narrative time of its own)."""
    prep = ctx.tokens.before(prep_end)
    if prep is None:
        return None
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    if not objects:
        return None
    obj = objects[0]
    if obj.ent_type_ in ("DATE", "TIME") or obj.like_num:
        return None
    right = obj
    for t in obj.subtree:
        if t.i > right.i and t.i - obj.i <= 4 and t.dep_ not in ("relcl", "acl", "prep"):
            right = t
        elif t.i > obj.i:
            break
    return right.idx + len(right.text)


@_handler("ref")
def _ref(m: _Match, ctx: _Context) -> _Found | None:
    phrase = re.sub(r"\s+", " ", m["ref"].lower()).replace("\u2019", "'")
    value = lexicon()["reference_words"].get(phrase)
    if value is None:
        return None
    nxt = ctx.tokens.after(m.end())
    last = phrase.split()[-1]
    if last in ("future", "past", "present") and nxt is not None and nxt.idx - m.end() <= 1 \
            and (nxt.lower_ == "of" or nxt.pos_ in ("NOUN", "PROPN", "ADJ")):
        return None  # "the future of Gaza", "the present government"
    return _Found(value, "date", None, remember=False)


@_handler("clock")
def _clock(m: _Match, ctx: _Context) -> _Found | None:
    hour: int | None
    minute = 0
    if m["h"] is not None:
        hour, minute = int(m["h"]), int(m["m"] or 0)
        if not 1 <= hour <= 12:
            return None
        pm = m["ampm"].lower().startswith("p")
        hour = hour % 12 + (12 if pm else 0)
    elif m["h2"] is not None:
        hour, minute = int(m["h2"]), int(m["m2"])
        prev = ctx.tokens.before(m.start())
        if prev is not None and prev.pos_ == "PROPN" and not m["tz"]:
            return None  # "John 3:16", a score "Real 2:1"
    elif m["h3"] is not None:
        hour, minute = int(m["h3"]), int(m["m3"])
    elif m["cw"] is not None:
        if m["cw"][0].isupper() and not _sentence_initial(ctx, m.start("cw")):
            return None  # "High Noon": a title
        if ctx.text[max(0, m.start("cw") - 5):m.start("cw")].lower().endswith("high "):
            return None
        hour, minute = lexicon()["clock_words"][m["cw"].lower()]
    elif m["h4"] is not None:
        n = number_value(m["h4"])
        if n is None or not 1 <= n <= 12:
            return None
        hour, minute = int(n), int(m["m4"] or 0)
        if m["inpart"].lower() in ("afternoon", "evening") or (
                m["inpart"].lower() == "night" and hour >= 6):
            hour = hour % 12 + 12
    else:
        n = number_value(m["oc"])
        if n is None or not 1 <= n <= 12:
            return None
        hour = int(n)
    mod = "APPROX" if m["approx"] and m["approx"].split()[-1].lower() in (
        "about", "around", "approximately", "roughly") else None
    day = _day_of(m, ctx)
    if day is None:
        return _Found(None, "time", None, mod=mod)
    point = Point(day, "time", hour=hour, minute=minute)
    return _Found(point.value(), "time", "published", mod=mod, point=point)


def _sentence_initial(ctx: _Context, char: int) -> bool:
    tok = ctx.tokens.at(char)
    return tok is None or tok.is_sent_start or tok.i == 0


def _day_of(m: _Match, ctx: _Context):
    """The day a clock time falls on: the day named with it, else the text's current day,
    else the publication date."""
    dayexpr = m["dayexpr"]
    if dayexpr:
        low = dayexpr.lower()
        if low in lexicon()["deictic_days"]:
            if ctx.published is None:
                return None
            return ctx.published + dt.timedelta(days=lexicon()["deictic_days"][low])
        weekday = _weekday_number(dayexpr)
        if weekday is not None:
            if ctx.published is None:
                return None
            direction = ctx.tokens.tense(m.start(), m.end())
            if direction == 0:
                direction = 1 if _after_deadline_word(ctx, m) else -1
            return timex.weekday_near(ctx.published, weekday, direction)
        parts = dayexpr.split()
        month = _month_number(parts[0])
        day = ordinal_value(parts[-1])
        anchor = _year_anchor(ctx)
        if month and day and anchor:
            return timex.day_near(anchor, month, day,
                                  ctx.tokens.tense(m.start(), m.end(), weak=False))
        return None
    if ctx.ref_day is not None:
        return ctx.ref_day.day
    return ctx.published


@_handler("part_word")
def _part_word(m: _Match, ctx: _Context) -> _Found | None:
    word = re.sub(r"[\s-]+", "-", m["pw"].lower())
    part = lexicon()["parts_of_day"].get(word) or lexicon()["parts_of_day"].get(
        word.replace("-", " "))
    if part is None:
        return None
    prev = ctx.tokens.before(m.start())
    if word != "overnight" and not m["approx"] and (prev is None or prev.lower_ not in (
            "at", "before", "after", "until", "by", "since", "from", "till", "in")):
        return None
    if word == "overnight" and (prev is None or prev.pos_ in ("DET", "ADJ")):
        return None
    day = _day_of(m, ctx)
    if day is None:
        return _Found(None, "time", None)
    point = timex.at(day, "day", part=part)
    return _Found(point.value(), "time", "published", point=point, remember=False)


@_handler("duration")
def _duration(m: _Match, ctx: _Context) -> _Found | None:
    if m["dir"]:
        return _shift(m, ctx)
    unit = timex_unit(m["unit"])
    if unit is None:
        return None
    if m["old"]:
        return None  # "a five-year-old": an age
    if re.match(r"[-\u2010\u2011](?:ago|earlier|end|old)\b", ctx.text[m.end():m.end() + 9]):
        return None  # "a year-earlier loss": the year-ago rule reads it
    prev = ctx.tokens.before(m.start())
    if prev is not None and prev.lower_ in ("aged", "age", "ages"):
        return None
    num_text = _g(m, "num")
    nxt = ctx.tokens.after(m.end())
    nxt_close = nxt is not None and nxt.idx - m.end() <= 1
    if nxt_close and ((nxt.lower_ == "old" and unit == "year")
                      or (nxt.lower_ == "of" and unit == "quarter")):
        return None  # "three years old", "a quarter of the population"
    if num_text is None:
        # A bare plural ("for months") only counts after a preposition that makes it a span.
        if not m["rel"] and (prev is None or prev.lower_ not in (
                "for", "over", "within", "in", "after", "take", "takes", "took", "lasted",
                "spent", "spend")):
            return None
        amount = None
    else:
        if num_text in ("a", "an", "one") and unit in ("second",) and nxt_close \
                and nxt.pos_ in ("NOUN", "ADJ", "PROPN"):
            return None  # "a second attack": an ordinal
        if num_text in ("a", "an") and unit in ("second", "minute") and nxt_close \
                and nxt.lower_ in ("ago", "later", "earlier"):
            return None
        amount = number_value(num_text)
        if amount is not None and (m["half"] or m["half2"]):
            amount += 0.5
    if amount is not None and amount > 10000:
        return None
    approx = _g(m, "approx")
    mod = lexicon()["approximators"].get(re.sub(r"\s+", " ", approx)) if approx else None
    if num_text in ("a couple of", "a couple"):
        mod = mod or "APPROX"
    rel = re.sub(r"\s+", " ", _g(m, "rel") or "")
    if amount is None and num_text and rel in ("the past", "the last", "past", "last"):
        # "the last few months", "the past several quarters": TimeML's past reference
        return _Found("PAST_REF", "date", None, remember=False)
    if amount is None and num_text and rel in ("the next", "the coming", "next", "coming"):
        return _Found("FUTURE_REF", "date", None, remember=False)
    return _Found(timex.duration(amount, unit), "duration", None, mod=mod, remember=False)


@_handler("set")
def _set(m: _Match, ctx: _Context) -> _Found | None:
    gd = m.groupdict()
    if gd.get("adv"):
        adv = gd["adv"].lower()
        unit = {"daily": "day", "nightly": "day", "weekly": "week", "monthly": "month",
                "yearly": "year", "annually": "year", "hourly": "hour", "quarterly": "quarter",
                "biweekly": "fortnight", "fortnightly": "fortnight", "twice-weekly": "week",
                "twice-monthly": "month"}[adv]
        return _Found(timex.duration(1, unit), "set", None, remember=False)
    if gd.get("wds"):
        weekday = _weekday_number(gd["wds"][:-1])
        return _Found(f"XXXX-WXX-{weekday + 1}", "set", None, remember=False)
    unit_word = gd.get("unit") or ""
    weekday = _weekday_number(unit_word)
    if weekday is not None:
        return _Found(f"XXXX-WXX-{weekday + 1}", "set", None, remember=False)
    if unit_word.lower() in _PARTS:
        return _Found(f"XXXX-XX-XXT{_PARTS[unit_word.lower()]}", "set", None, remember=False)
    unit = timex_unit(unit_word)
    if unit is None:
        month = _month_number(unit_word)
        if month:
            return _Found(f"XXXX-{month:02d}", "set", None, remember=False)
        code = lexicon()["seasons"].get(unit_word.lower())
        return _Found(f"XXXX-{code}", "set", None, remember=False) if code else None
    num = gd.get("num")
    amount = number_value(num) if num else 1
    if gd.get("other"):
        amount = 2
    return _Found(timex.duration(amount, unit), "set", None, remember=False)


@_handler("set_rate")
def _set_rate(m: _Match, ctx: _Context) -> _Found | None:
    """"$5 a day", "20 people per week": a rate only right after a number or an amount."""
    unit = timex_unit(m["unit"])
    window = ctx.tokens.span_tokens(max(0, m.start() - 30), m.start())
    if unit is None or not any(t.like_num or t.is_currency for t in window[-3:]):
        return None
    return _Found(timex.duration(1, unit), "set", None, remember=False)


# ----------------------------------------------------------------------------- the stage


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
            classes = _classes_of(text[start:end], True)
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


def _candidates(doc, text: str) -> list[tuple[int, int, int, re.Match]]:
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


_PERIOD_OF = re.compile(
    r"(?:the\s+(?:beginning|start|middle|end|close|turn|dawn)\s+of\s+)$", re.IGNORECASE)


def find_times(doc, published: dt.date | None) -> list[TimeExpression]:
    """Every temporal expression, resolved against the publication date and narrative chain."""
    text = doc_text(doc)
    if not text:
        return []
    ctx = _Context(text=text, tokens=_Tokens(doc), published=published,
                   quotes=Regions(doc_quotes(doc)))
    out: list[TimeExpression] = []
    taken_until = 0
    table = rules()
    for start, neg_end, order, m in _candidates(doc, text):
        if start < taken_until:
            continue
        rule = table[order]
        found = _HANDLERS[rule.handler](_Match(m), ctx)
        if found is None:
            continue
        s = start
        e = found.end if found.end is not None else -neg_end
        mod = found.mod
        before = text[max(0, s - 30):s]
        wrap = _PERIOD_OF.search(before)
        if wrap and found.type == "date":
            s = s - len(wrap.group(0))
            mod = _period_mod(wrap.group(0).strip()) or mod
        in_quote = ctx.quotes.covers(s, e)
        value, anchor = found.value, found.anchor
        if in_quote and found.deictic or in_quote and anchor == "narrative":
            value, anchor = None, None
        elif found.remember and found.point is not None:
            ctx.remember(found.point, e)
            if anchor == "absolute" and found.point.grain in ("day", "month"):
                ctx.remember_year(found.point)
        typ = found.type if found.type != "date" or rule.type != "time" else "time"
        out.append(TimeExpression(start=s, end=e, text=text[s:e], type=typ, value=value,
                                  anchor=anchor, mod=mod, in_quote=in_quote))
        taken_until = e
    return out
