"""Article analysis: one article at a time, a pure function of (text, metadata).

``triangulate.analyze`` is both this package and the notebook API: the DESIGN's layout names
the package ``analyze/`` and the API ``triangulate.analyze(text, ...)``, and importing any stage
binds the package to that attribute. So the package itself is callable.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from triangulate.model import Analysis


class _AnalyzePackage(types.ModuleType):
    def __call__(
        self,
        text: str,
        published: str | None = None,
        url: str | None = None,
        outlet: str | None = None,
        *,
        id: str | None = None,
        title: str | None = None,
        author: str | None = None,
    ) -> Analysis:
        """Analyse one article: the same record ``triangulate analyze`` prints (docs/api.md)."""
        from triangulate.analyze.pipeline import analyze_text

        return analyze_text(
            text, published=published, url=url, outlet=outlet, id=id, title=title, author=author
        )


sys.modules[__name__].__class__ = _AnalyzePackage
