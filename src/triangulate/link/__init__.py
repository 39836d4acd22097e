"""Linking across articles: stories, corroboration, contested figures, contradictions,
timelines. See docs/linking.md for the method and its thresholds."""

from __future__ import annotations

from triangulate.link.linker import LinkResult, build_story, link
from triangulate.link.records import mentions_from_analyses, mentions_from_analysis

__all__ = ["LinkResult", "build_story", "link", "mentions_from_analyses", "mentions_from_analysis"]
