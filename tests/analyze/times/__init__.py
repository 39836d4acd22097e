"""Times, one test module per module of analyze/times; shared helpers here."""

from __future__ import annotations

import datetime as dt

PUB = dt.date(2024, 5, 9)  # a Thursday, ISO week 19

FIELDS = ("value", "type", "anchor", "mod", "in_quote")


def expect(times, text: str, expression: str, expected, published: dt.date | None = PUB):
    """Assert how ``expression`` in ``text`` is read. ``expected`` is None (no temporal
    expression there), a value string, or a dict of the fields that matter."""
    found = times(text, published)
    if expected is None:
        assert expression not in found, f"{expression!r} read as {found[expression]}"
        return
    assert expression in found, f"{expression!r} not found in {sorted(found)}"
    if isinstance(expected, str):
        expected = {"value": expected}
    got = {k: getattr(found[expression], k) for k in expected}
    assert got == expected
