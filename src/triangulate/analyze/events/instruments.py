"""Weapons, vehicles and body parts (data/events/instruments.tsv): they never act and are never
acted on. "A Merkava tank fired", "rockets hit the town", "the missile struck the ship": the
doer is whoever fired or drives them, the target whoever was on board or hit.
"""

from __future__ import annotations

import re

from triangulate.analyze.events.lexicon import lexicon
from triangulate.model import Actor

_WORD = re.compile(r"[\w-]+")


def instrument(tok) -> tuple[str, str | None] | None:
    """(class, party) of a token heading a weapon, vehicle or body part, else None."""
    table = lexicon().instruments
    return table.get(tok.lemma_.lower()) or table.get(tok.lower_)


def word_instrument(word: str) -> tuple[str, str | None] | None:
    """The same for a bare word, plural or not ("rockets", "Merkava")."""
    table = lexicon().instruments
    word = word.lower()
    found = table.get(word)
    if found is None and word.endswith("s"):
        found = table.get(word[:-1]) or (table.get(word[:-2]) if word.endswith("es") else None)
    return found


def names_instrument(actor: Actor) -> bool:
    """Is this actor itself a weapon, vehicle or body part ("Merkava", "Typhoon jets")? Judged
    on the last word of its name, the head of an English noun phrase. An actor some mentions
    name by its instruments ("Russian aircraft" for the Russian armed forces) is the party
    behind them, and no instrument."""
    words = _WORD.findall(actor.name or actor.id)
    return bool(words) and word_instrument(words[-1]) is not None
