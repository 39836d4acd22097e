"""The whole analysis of one article, stage by stage.

Data flows one way: the spaCy ``Doc`` first, then each stage reads the ``Doc`` and what the
earlier stages found. A stage is a plain function of its inputs; the only shared state is the
spaCy model, loaded once per process (see ``nlp.load``).
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Iterable, Iterator

from triangulate.analyze import (
    actors,
    attribution,
    budget,
    events,
    figures,
    framing,
    genre,
    nlp,
    places,
    positions,
    scope,
    times,
)
from triangulate.model import Analysis, AnalysisFailure, Article
from triangulate.util import chunks


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
    found_figures = scope.scope_figures(
        doc, found_figures, found_events, claims, found_times, found_places, published
    )
    found_positions = positions.find_positions(
        doc, found_actors, found_places, found_times, claims, quotes, found_events
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
        positions=found_positions,
        duplicate_of=article.duplicate_of,
        model=model,
    )


def add_positions(analyses: list[Analysis]) -> None:
    """Fill in the positions of analyses made before that stage existed, from their text
    and their stored layers (the one stage an older record lacks)."""
    model = nlp.load()
    for doc, analysis in zip(nlp.parse(model, [a.text for a in analyses]), analyses,
                             strict=True):
        doc.user_data["text"] = analysis.text
        analysis.positions = positions.find_positions(
            doc, analysis.actors, analysis.places, analysis.times, analysis.claims,
            analysis.quotes, analysis.events)


def analyze_articles(
    articles: Iterable[Article], batch_size: int = 16, time_limit: bool = True
) -> Iterator[Analysis | AnalysisFailure]:
    """Analyse a stream of articles with one model load, parsing in batches (``nlp.pipe``).

    One result per article, in input order: its Analysis, or an AnalysisFailure when its
    analysis raised or (with ``time_limit``) ran over its budget (``budget.seconds_for``).
    A failure costs that article only; the stream goes on.
    """
    model = nlp.load()
    name = nlp.describe(model)
    if time_limit:
        warm_up()
    for batch in chunks(articles, batch_size):
        for article, doc in zip(batch, _parse_batch(model, batch, batch_size), strict=True):
            if isinstance(doc, AnalysisFailure):
                yield doc
            else:
                yield _analyse_guarded(doc, article, name, time_limit)


# One sentence that sends every stage to its data files (actors, places, times, figures,
# attribution, events, framing).
WARM_UP = ("Officials said on Monday that at least 12 soldiers were killed when rebels "
           "shelled a checkpoint near Goma, according to the army.")


@functools.cache
def warm_up() -> None:
    """Load what the stages load on first use (lexicons, the gazetteer, built into its cache
    on a machine's first run), once per process and outside any article's time budget, so
    the first article of a run is not charged for it."""
    analyze_text(WARM_UP, published="2024-01-01")


def _parse_batch(model, batch: list[Article], batch_size: int) -> list:
    """The batch's Docs; when spaCy fails on the batch, each article is parsed alone so
    only the one it fails on is lost (as an AnalysisFailure)."""
    try:
        return list(nlp.parse(model, [a.text for a in batch], batch_size))
    except Exception:  # whatever spaCy raises, one article must not sink the batch
        pass
    docs: list = []
    for article in batch:
        started = time.perf_counter()
        try:
            docs.extend(nlp.parse(model, [article.text], 1))
        except Exception as exc:
            docs.append(_failure(article, exc, started, stage="parse"))
    return docs


def _analyse_guarded(doc, article: Article, model: str,
                     time_limit: bool) -> Analysis | AnalysisFailure:
    started = time.perf_counter()
    seconds = budget.seconds_for(len(article.text)) if time_limit else None
    try:
        with budget.time_limit(seconds):
            return analyze_doc(doc, article, model)
    except budget.OverBudget:
        return AnalysisFailure(article.id, "timeout", f"over the time budget of {seconds:.0f} s "
                               "(settings.ANALYSIS_BUDGET_SECONDS, _PER_KB)",
                               round(time.perf_counter() - started, 3))
    except Exception as exc:  # any stage's bug costs this article only
        return _failure(article, exc, started)


def _failure(article: Article, exc: BaseException, started: float,
             stage: str | None = None) -> AnalysisFailure:
    """An error as the failure's detail: the exception and where in our code it came from."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "triangulate" in f.filename]
    where = f" at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else ""
    message = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ""
    detail = f"{type(exc).__name__}{': ' + message if message else ''}{where}"
    if stage:
        detail = f"{stage}: {detail}"
    return AnalysisFailure(article.id, "error", detail, round(time.perf_counter() - started, 3))


class AnalysisError(RuntimeError):
    """The one article given to ``triangulate.analyze`` could not be analysed."""

    def __init__(self, failure: AnalysisFailure):
        super().__init__(f"{failure.reason}: {failure.detail}")
        self.failure = failure


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
    # No time limit: the caller waits for this one article, and can interrupt it.
    result = next(analyze_articles([article], time_limit=False))
    if isinstance(result, AnalysisFailure):
        raise AnalysisError(result)
    return result


# Publication dates the times stage may count from: relative dates step days, weeks and
# years away from the anchor, and Python's dates end at year 9999 ("next week" from
# 9999-12-31 overflowed). A date outside is no real publication date: no anchor.
_ANCHOR_YEARS = (1000, 8999)


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        date = dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
    return date if _ANCHOR_YEARS[0] <= date.year <= _ANCHOR_YEARS[1] else None
