"""Imported once by the analysis workers' fork server: model and lexicons loaded up front.

``jobs.analyse_stream`` starts its worker processes from a fork server that imports this
module first, so every worker begins with the language model and the stages' lexicons and
gazetteer already in memory (shared copy-on-write with its siblings) instead of loading them
itself, and a second pool in the same program starts at once. A failure here is left to the
workers: their own ``nlp.load()`` reports it as it would without the fork server.
"""

import contextlib

# Every stage sent to its data files, so nothing is left to load lazily on a worker's first
# article (pipeline.warm_up).
with contextlib.suppress(Exception):
    from triangulate.analyze.pipeline import warm_up

    warm_up()
