"""Look up which found item (actor, place, figure, ...) sits at a character offset."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Generic, TypeVar

T = TypeVar("T")


class OffsetIndex(Generic[T]):
    """Items keyed by (start, end) spans; answers "what overlaps / lies inside this span?"."""

    def __init__(self, spans: Iterable[tuple[int, int, T]]):
        self._spans = sorted(spans, key=lambda s: (s[0], -s[1]))
        self._starts = [s[0] for s in self._spans]
        self._max_len = max((e - s for s, e, _ in self._spans), default=0)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, T]]:
        lo = bisect.bisect_left(self._starts, start - self._max_len)
        hi = bisect.bisect_left(self._starts, end)
        return [s for s in self._spans[lo:hi] if s[1] > start and s[0] < end]

    def within(self, start: int, end: int) -> list[tuple[int, int, T]]:
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_left(self._starts, end)
        return [s for s in self._spans[lo:hi] if s[1] <= end]

    def at(self, start: int, end: int) -> T | None:
        """The item whose span overlaps [start, end) most (ties: the longer span)."""
        best, best_key = None, (0, 0)
        for s, e, item in self.overlapping(start, end):
            key = (min(e, end) - max(s, start), e - s)
            if key > best_key:
                best, best_key = item, key
        return best

    def __len__(self) -> int:
        return len(self._spans)


def mention_index(items) -> OffsetIndex:
    """Index of every mention of actors or places (anything with ``.mentions``)."""
    return OffsetIndex((m.start, m.end, item) for item in items for m in item.mentions)
