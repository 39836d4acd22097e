"""Triangulate: conflict news articles -> a cross-checked, evidence-linked record."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from triangulate.model import Analysis


def analyze(
    text: str,
    published: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    *,
    id: str | None = None,
    title: str | None = None,
    author: str | None = None,
) -> Analysis:
    """Analyse one article: the same record ``triangulate analyze`` prints (see docs/api.md)."""
    from triangulate.analyze.pipeline import analyze_text

    return analyze_text(
        text, published=published, url=url, outlet=outlet, id=id, title=title, author=author
    )


__all__ = ["analyze", "__version__"]
