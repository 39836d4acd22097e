"""The whole analysis of one article, stage by stage.

Data flows one way: the spaCy ``Doc`` first, then each stage reads the ``Doc`` and what the
earlier stages found. A stage is a plain function of its inputs; the only shared state is the
spaCy model, loaded once per process (see ``nlp.load``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from triangulate.analyze import (
    actors,
    attribution,
    events,
    figures,
    framing,
    genre,
    nlp,
    places,
    times,
)
from triangulate.model import Analysis, Article


def analyze_doc(doc, article: Article, model: str | None = None) -> Analysis:
    """Run every stage over one parsed article."""
    published = _date(article.published)
    doc.user_data["text"] = article.text  # shared by the stages (text.doc_text)
    found_actors = actors.find_actors(doc)
    found_places = places.find_places(doc, found_actors)
    found_times = times.find_times(doc, published)
    found_figures = figures.find_figures(doc)
    claims, quotes, speakers = attribution.find_attributions(doc, found_actors, found_figures)
    found_actors = found_actors + speakers
    found_events = events.find_events(
        doc, found_actors, found_places, found_times, found_figures, claims, published
    )
    return Analysis(
        id=article.id,
        url=article.url,
        outlet=article.outlet,
        title=article.title,
        author=article.author,
        published=article.published,
        language=article.language,
        text=article.text,
        genre=genre.classify_genre(doc, claims, quotes),
        actors=found_actors,
        places=found_places,
        times=found_times,
        figures=found_figures,
        claims=claims,
        quotes=quotes,
        events=found_events,
        framing=framing.find_framing(doc, found_actors, claims, quotes),
        duplicate_of=article.duplicate_of,
        model=model,
    )


def analyze_articles(articles: Iterable[Article], batch_size: int = 16) -> Iterator[Analysis]:
    """Analyse a stream of articles with one model load, parsing in batches (``nlp.pipe``)."""
    model = nlp.load()
    name = nlp.describe(model)
    pairs = ((a.text, a) for a in articles)
    for doc, article in model.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield analyze_doc(doc, article, name)


def analyze_text(
    text: str,
    published: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    id: str | None = None,
    title: str | None = None,
    author: str | None = None,
) -> Analysis:
    """The notebook entry point behind ``triangulate.analyze``."""
    from triangulate.ingest.normalize import article_from_fields

    article = article_from_fields(
        text, id=id, url=url, outlet=outlet, title=title, author=author, published=published,
        source="<api>",
    )
    return next(analyze_articles([article]))


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
