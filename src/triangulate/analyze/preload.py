"""Imported once by the analysis workers' fork server: model and lexicons loaded up front.

``jobs.analyse_stream`` starts its worker processes from a fork server that imports this
module first, so every worker begins with the language model and the stages' lexicons and
gazetteer already in memory (shared copy-on-write with its siblings) instead of loading them
itself, and a second pool in the same program starts at once. A failure here is left to the
workers: their own ``nlp.load()`` reports it as it would without the fork server.
"""

import contextlib

# One sentence that sends every stage to its data files (actors, places, times, figures,
# attribution, events, framing), so nothing is left to load lazily on a worker's first article.
WARM_UP = ("Officials said on Monday that at least 12 soldiers were killed when rebels "
           "shelled a checkpoint near Goma, according to the army.")

with contextlib.suppress(Exception):
    from triangulate.analyze.pipeline import analyze_text

    analyze_text(WARM_UP, published="2024-01-01")
