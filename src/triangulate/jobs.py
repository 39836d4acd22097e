"""Whole jobs over a store, shared by the CLI, the web app and the scale-out runner."""

from __future__ import annotations

from collections.abc import Callable

from triangulate import settings
from triangulate.store import Store
from triangulate.util import chunks


def analyse_pending(store: Store, on_done: Callable[..., None] | None = None) -> int:
    """Analyse every stored article that has no analysis yet; returns how many.

    Results are written in batches, each in one transaction, so an interrupted run loses at
    most the batch in flight and the next run picks up exactly the articles still missing.
    """
    from triangulate.analyze.pipeline import analyze_articles

    pending = list(store.articles(unanalysed_only=True))  # ids only would do; see issue 7
    done = 0
    for batch in chunks(analyze_articles(pending), settings.WRITE_BATCH):
        store.save_analyses(batch)
        done += len(batch)
        if on_done:
            for _ in batch:
                on_done()
    return done
