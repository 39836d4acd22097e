"""Small text facts several stages need: where quotations are, sentence lookup by offset."""

from __future__ import annotations

import bisect
import re

OPEN_CLOSE = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u201e": "\u201c"}
_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=[\"\u201c])")


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """(start, end) of every direct quotation, quote marks included.

    Typographic quotes pair by kind. Straight double quotes alternate open/close within a
    paragraph; a paragraph that ends inside a quotation and a next paragraph that reopens it
    with a quote mark is the newswire convention for a multi-paragraph quote, kept as one.
    Unclosed quotations end at the paragraph end rather than swallowing the article.
    """
    regions: list[tuple[int, int]] = []
    pos = 0
    for para_end in [m.start() for m in _PARAGRAPH.finditer(text)] + [len(text)]:
        regions.extend(_regions_in(text, pos, para_end))
        pos = para_end
    return sorted(regions)


def _regions_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    open_at: int | None = None
    closer = ""
    for i in range(start, end):
        ch = text[i]
        if open_at is None:
            if ch in OPEN_CLOSE:
                open_at, closer = i, OPEN_CLOSE[ch]
            elif ch == '"':
                open_at, closer = i, '"'
        elif ch == closer:
            found.append((open_at, i + 1))
            open_at = None
    if open_at is not None:
        stop = end
        while stop > open_at + 1 and text[stop - 1].isspace():
            stop -= 1
        if stop - open_at > 2:
            found.append((open_at, stop))
    return found


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
