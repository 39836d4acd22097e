"""Triangulate: conflict news articles -> a cross-checked, evidence-linked record.

``triangulate.analyze(text, published=None, url=None, outlet=None)`` analyses one article
(see docs/api.md).
"""

from __future__ import annotations

from triangulate import analyze

__version__ = "0.1.0"

__all__ = ["analyze", "__version__"]
