"""Tiny helpers with no better home."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most ``size`` items, streaming."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


SURROGATE = re.compile("[\ud800-\udfff]")


def valid_text(text: str) -> str:
    """``text`` with lone surrogates (a JSON "\\ud800" escape; no character) replaced by
    U+FFFD, one for one, so offsets into the text stay valid and it can be encoded as UTF-8
    (hashing, the store)."""
    return SURROGATE.sub("\ufffd", text) if SURROGATE.search(text) else text
