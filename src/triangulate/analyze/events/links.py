"""Figures and claims an event belongs to: an outcome figure beside its trigger ("twelve guards
died in the raid"), a claim whose content reports it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from triangulate.analyze.events.candidate import Candidate
from triangulate.analyze.events.parse import under
from triangulate.model import (
    Claim,
    Figure,
)

if TYPE_CHECKING:
    from triangulate.analyze.events.article import ArticleContext


def attach_figures(cands: list[Candidate], figures: list[Figure], art: ArticleContext) -> None:
    outcomes = art.lex.cues["outcomes"]
    for fig in figures:
        best = None
        for cand in cands:
            sent = cand.sent
            if not (sent.start_char <= fig.start and fig.end <= sent.end_char):
                continue
            what = (fig.what or "").lower()
            allowed = outcomes.get(cand.type, ())
            span = art.doc.char_span(fig.start, fig.end, alignment_mode="expand")
            linked = span is not None and (under(span.root, [cand.head], 6)
                                           or under(cand.trigger, [span.root], 4))
            if what not in allowed and not linked:
                continue
            key = (0 if linked else 1, abs(fig.start - cand.trigger.idx))
            if best is None or key < best[0]:
                best = (key, cand)
        if best is not None:
            best[1].figures.append(fig.id)


def link_claims(events: list[Candidate], claims: list[Claim]) -> None:
    """A claim belongs to the event its content reports ("the militia claimed that twelve
    guards died in the raid"), or to the event whose outcome figure it gives ("the army
    conceded three deaths")."""
    for claim in claims:
        start, end = claim.content.start, claim.content.end
        for i, cand in enumerate(events, 1):
            offsets = [cand.trigger.idx, *cand.mentions]
            inside = any(start <= o < end for o in offsets)
            if inside or set(claim.figures) & set(cand.figures):
                if claim.id not in cand.claims:
                    cand.claims.append(claim.id)
                if claim.event is None:
                    claim.event = f"e{i}"
