"""Triangulate: conflict news articles -> a cross-checked, evidence-linked record.

``triangulate.analyze(text, published=None, url=None, outlet=None)`` analyses one article;
``triangulate.open("triangulate.duckdb")`` gives a store's layers as pandas DataFrames
(see docs/api.md).
"""

from __future__ import annotations

from triangulate import analyze

__version__ = "0.1.0"

__all__ = ["analyze", "open", "__version__"]


def open(path: str = "triangulate.duckdb"):  # noqa: A001 - the API's name, as in pandas' read_*
    """A store's stories, events, figures, claims, quotes, places and contradictions as
    pandas DataFrames: a :class:`triangulate.frames.Dataset` (read-only)."""
    from triangulate.frames import Dataset

    return Dataset(path)
