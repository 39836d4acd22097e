"""The PLOVER mode of an event from the weapon and method words around its trigger
("rocket" -> heavy-weapons, "drone" -> aerial, "suicide" -> suicide-attack).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from triangulate.analyze.events.candidate import Candidate
from triangulate.analyze.events.lexicon import cue_words
from triangulate.analyze.events.parse import child_of, pobj

if TYPE_CHECKING:
    from triangulate.analyze.events.article import ArticleContext


def refine_mode(cand: Candidate, art: ArticleContext) -> None:
    lex = art.lex
    words: set[str] = set()
    for tok in (cand.trigger, cand.head) + ((cand.obj,) if cand.obj is not None else ()):
        words.add(tok.lemma_.lower())
        for c in tok.children:
            if c.dep_ in ("compound", "amod", "nmod", "advmod"):
                words.add(c.lemma_.lower())
                words.update(g.lemma_.lower() for g in c.children if g.dep_ == "conj")
            elif c.dep_ in ("prep", "agent") and c.lower_ in ("with", "by", "using", "in"):
                inner = pobj(c)
                if inner is not None:
                    words.add(inner.lemma_.lower())
                    words.update(g.lemma_.lower() for g in inner.children
                                 if g.dep_ in ("compound", "amod"))
            elif c.dep_ == "acl" and c.lemma_ in ("use", "arm"):
                inner = child_of(c, "dobj") or (pobj(child_of(c, "prep")) if child_of(c, "prep")
                                               else None)
                if inner is not None:
                    words.add(inner.lemma_.lower())
    for tok in (cand.actor_tok,):
        if tok is not None:
            words.add(tok.lemma_.lower())
            words.update(g.lemma_.lower() for g in tok.children
                         if g.dep_ in ("compound", "amod", "conj"))
    best: tuple[int, str] | None = None
    own = {cand.trigger.lemma_.lower(), cand.head.lemma_.lower()}
    for w in words:
        for typ, mode, rank in lex.modes.get(w, ()):
            if typ == cand.type and (best is None or rank > best[0]):
                best = (rank, mode)
                # A weapon named beside the trigger makes it literal; "gunfire" alone may not.
                cand.weapon = cand.weapon or w not in own
    # A trigger that names its own method ("assassinated", "kidnapped") keeps it, except that a
    # suicide attack is always one.
    if best is not None and (cand.mode not in cue_words("method_modes") or best[1] == "suicide-attack"):
        cand.mode = best[1]
