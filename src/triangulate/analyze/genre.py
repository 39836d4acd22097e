"""Genre: news, opinion, analysis or other, from stylistic signals."""

from __future__ import annotations

from triangulate.model import Claim, Genre, Quote


def classify_genre(doc, claims: list[Claim], quotes: list[Quote]) -> Genre:
    """The article's genre with a score and the signals it rests on."""
    return Genre(label="news", score=0.0)
