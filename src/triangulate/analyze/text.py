"""Small text facts several stages need: the article text, where quotations are."""

from __future__ import annotations

import bisect
import re

# Opening mark -> closing marks that may end it. "\u201d" also opens: some sites use it for
# both ends. Two apostrophes (or two backticks) are the Penn-Treebank / NYT-archive style.
# Straight and typographic doubles close each other: pages often mix them (“like candy.").
_DOUBLE_OPEN = {"\u201c": "\u201d\"", "\u201d": "\u201d\"", "\u201e": "\u201c\u201d",
                "\u00ab": "\u00bb", '"': '"\u201d'}
_SINGLE_OPEN_BEFORE = set(" \t\n([{\u2014\u2013-:\u201c\"")


_MARKS = re.compile("''|``|[\"\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019]")


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """(start, end) of every direct quotation, quote marks included.

    Double quotes (typographic, straight, guillemets, ``''``/\\`\\` pairs) pair within a
    paragraph; single typographic quotes count only outside double ones (inside they are a
    quotation within the quotation) and only where the closing mark cannot be an apostrophe.
    Newswire's multi-paragraph quotation (each paragraph opens with the same mark, only the
    last one closes) gives one region spanning the paragraphs; a chain that never closes
    (a stray mark at each paragraph start) gives one region per paragraph instead, each ending
    at its paragraph's end.
    """
    regions: list[tuple[int, int]] = []
    chain: list[tuple[int, int]] = []  # open pieces (start, paragraph end) waiting for a close
    marks = [(m.start(), m.group()) for m in _MARKS.finditer(text)]
    k, n, pos = 0, len(text), 0
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        first_mark = k
        while k < len(marks) and marks[k][0] < end:
            k += 1
        if first_mark == k and not chain:
            pos = end + 1
            continue
        found, open_at = _pair_marks(text, marks[first_mark:k], end)
        first = _first_visible(text, pos, end)
        if chain and first is not None:
            same = _family(text, first) == _family(text, chain[0][0])
            if same and found and found[0][0] == first:
                regions.append((chain[0][0], found[0][1]))
                found = found[1:]
                chain = []
            elif not (same and not found and open_at == first):
                regions.extend((s, _trim_end(text, s, e)) for s, e in chain)
                chain = []
        regions.extend(found)
        if open_at is not None:
            chain.append((open_at, end))
        pos = end + 1
    regions.extend((s, _trim_end(text, s, e)) for s, e in chain)
    return sorted(r for r in regions if r[1] - r[0] > 2)


def _family(text: str, i: int) -> str:
    """Which kind of quotation mark opens at i (typographic, straight, apostrophe pairs)."""
    ch = text[i]
    if ch in "'`":
        return "''"
    return '"' if ch == '"' else "\u201c"


_OPENERS = set(_DOUBLE_OPEN) | {"'", "`"}


def _first_visible(text: str, start: int, end: int) -> int | None:
    m = _VISIBLE.search(text, start, end)
    return m.start() if m else None


_VISIBLE = re.compile(r"\S")


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start + 1 and text[end - 1].isspace():
        end -= 1
    return end


def _pair_marks(text: str, marks: list[tuple[int, str]],
                end: int) -> tuple[list[tuple[int, int]], int | None]:
    """Closed quotations among one paragraph's marks, and where one is left open (or None)."""
    found: list[tuple[int, int]] = []
    open_at: int | None = None
    closers = ""
    single_at: int | None = None
    for i, mark in marks:
        if open_at is None:
            if mark in ("''", "``"):
                if _opens(text, i, 2):
                    open_at, closers = i, "''"
            elif mark == '"' and i > 0 and text[i - 1].isdigit():
                continue  # an inch mark: 6'3" tall
            elif mark in _DOUBLE_OPEN:
                open_at, closers = i, _DOUBLE_OPEN[mark]
                single_at = None
            elif mark == "\u2018" and single_at is None and _opens(text, i, 1):
                single_at = i
            elif mark == "\u2019" and single_at is not None and _closes_single(text, i, end):
                found.append((single_at, i + 1))
                single_at = None
        elif closers == "''":
            if mark == "''" and not _opens(text, i, 2):
                found.append((open_at, i + 2))
                open_at = None
        elif (mark in closers and len(mark) == 1) or (
                mark == "\u201c" and "\u201d" in closers and _closes_like(text, i, end)):
            # a typo'd closing “ ("called “Cape Breton Wins“ that") closes when it ends a word
            found.append((open_at, i + 1))
            open_at = None
    return found, open_at


def _closes_like(text: str, i: int, end: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < end else " "
    return not before.isspace() and not after.isalnum()


def _opens(text: str, i: int, width: int) -> bool:
    """A mark opens when it follows a space or opening punctuation and precedes a non-space."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + width] if i + width < len(text) else " "
    return (before in _SINGLE_OPEN_BEFORE) and not after.isspace()


def _closes_single(text: str, i: int, end: int) -> bool:
    # "’" inside a word is an apostrophe (it’s); after "s" and before a space it is a plural
    # possessive as often as a closing mark, so only a preceding non-"s" closes reliably.
    after = text[i + 1] if i + 1 < end else " "
    if after.isalnum():
        return False
    before = text[i - 1] if i > 0 else " "
    return not before.isspace() and before.lower() != "s"



class Regions:
    """Fast "is this offset inside one of these regions?" over sorted, disjoint regions."""

    def __init__(self, regions: list[tuple[int, int]]):
        self.regions = sorted(regions)
        self._starts = [s for s, _ in self.regions]

    def find(self, offset: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and self.regions[i][0] <= offset < self.regions[i][1]:
            return self.regions[i]
        return None

    def __contains__(self, offset: int) -> bool:
        return self.find(offset) is not None

    def covers(self, start: int, end: int) -> bool:
        region = self.find(start)
        return region is not None and end <= region[1]


def doc_text(doc) -> str:
    """The article text of a parsed Doc, built once.

    ``Doc.text`` joins every token on each access; the pipeline stores the text in
    ``doc.user_data`` so the stages share one copy.
    """
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


def doc_quotes(doc) -> list[tuple[int, int]]:
    """quoted_regions of the article, found once per Doc and shared by the stages."""
    regions = doc.user_data.get("quotes")
    if regions is None:
        regions = doc.user_data["quotes"] = quoted_regions(doc_text(doc))
    return regions
