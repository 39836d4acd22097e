"""Where an event happened: the place mention in the event's own phrase, else the nearest in
its sentence, never a place named as a party or inside a person's name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from triangulate.analyze.events.candidate import Candidate
from triangulate.analyze.events.parse import pobj, under

if TYPE_CHECKING:
    from triangulate.analyze.events.article import ArticleContext


def attach_place(cand: Candidate, art: ArticleContext) -> None:
    sent = cand.sent
    hits = art.place_index.within(sent.start_char, sent.end_char)
    if not hits:
        return
    avoid: list[tuple[int, int]] = []
    for tok in (cand.actor_tok,):
        if tok is not None and cand.actor is not None:
            avoid.append(art.core_span(tok))
    # A place name inside a person's name ("Ismail Haniyeh") is the person.
    avoid.extend((s, e) for s, e, a in art.actor_index.within(sent.start_char, sent.end_char)
                 if a.kind == "person")
    pivot = cand.trigger.idx
    best = None
    roots = {}
    for start, end, _place in hits:
        span = art.doc.char_span(start, end, alignment_mode="expand")
        roots[start] = span.root if span is not None else None
    root_ids = {r.i for r in roots.values() if r is not None}
    for start, end, place in hits:
        if any(s < end and start < e for s, e in avoid) or art.in_dateline(start):
            continue
        root = roots[start]
        if root is not None and (_named_by_of(root, root_ids)
                                 or _participant(root, start, end, cand, art)):
            continue
        in_phrase = root is not None and (under(root, [cand.trigger], 5)
                                          or under(root, [cand.head], 4))
        key = (0 if in_phrase else 1, abs(start - pivot))
        if best is None or key < best[0]:
            best = (key, place, in_phrase)
    if best is not None:
        cand.place = best[1].id
        cand.place_in_phrase = best[2]


def _named_by_of(root, place_roots: set[int]) -> bool:
    """"the northern Syrian city of Aleppo", "the Adriatic port city of Split": the place
    modifying the head noun only says where the named place lies."""
    if root.dep_ not in ("compound", "amod", "nmod"):
        return False
    for c in root.head.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            inner = pobj(c)
            if inner is not None and inner.i in place_roots:
                return True
    return False


def _participant(root, start: int, end: int, cand: Candidate, art: ArticleContext) -> bool:
    """A country named as a party is not where the event happens: the doer of a nominal
    event ("Turkish-Qatari patrols", "patrols carried out by Turkey and Qatar along the
    coast"), or a party acting or acted on in another clause ("the pullback leaves
    Israel with fewer troops inside Gaza"). The event's own arguments stay eligible ("Russia
    invaded Ukraine")."""
    if art.actor_index.at(start, end) is None:
        return False
    t = root
    for _ in range(3):
        if t.dep_ != "conj" or t.head.i == t.i:
            break
        t = t.head  # "Turkey and Qatar"
    dep = t.dep_
    if dep == "pobj" and t.head.dep_ == "agent":
        return True
    if dep in ("amod", "compound", "poss", "nmod") and t.head.i == cand.trigger.i:
        return True
    return dep in ("nsubj", "nsubjpass", "dobj", "dative", "poss") \
        and t.head.i not in (cand.trigger.i, cand.head.i)
