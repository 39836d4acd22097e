"""Times: temporal expressions found in the text and normalised to TIMEX3 values."""

from __future__ import annotations

import datetime as dt

from triangulate.model import TimeExpression


def find_times(doc, published: dt.date | None) -> list[TimeExpression]:
    """Every temporal expression, resolved against the publication date and narrative chain."""
    return []
