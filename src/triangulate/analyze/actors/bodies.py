"""Public bodies named by role and place, in any of the usual wordings ("Gaza's health
ministry", "the health ministry in Gaza", "the health ministry in the Hamas-run territory",
"the city council"), each resolved to one actor.
"""

from __future__ import annotations

import functools

from triangulate.analyze.actors.found import Candidate
from triangulate.analyze.actors.lexicon import (
    DETERMINERS,
    NAME,
    POSSESSIVE,
    SEAT,
    Lexicon,
    longest,
    slug,
)


def located_bodies(doc, low: list[str], lex: Lexicon, cands: list[Candidate]) -> list[Candidate]:
    """Public bodies named by role and place, in any of the usual wordings: "Gaza's health
    ministry", "the Gaza health ministry", "the health ministry in Gaza", "the health
    ministry in the Hamas-run territory". Each wording resolves to the same actor (see
    data/actors/institutions.json); the place or ruler inside the phrase is part of the
    mention, so a match replaces the candidates it covers ("Hamas" in "Hamas-run")."""
    covered = {k for c in cands for k in range(c.start, c.end)}
    found: list[Candidate] = []
    n = len(low)
    i = 0
    while i < n:
        if low[i] in lex.town_nouns and i not in covered:
            cand = _body_of_town(doc, low, lex, i)
            if cand is not None and not any(k in covered for k in range(cand.start, cand.end)):
                found.append(cand)
                covered.update(range(cand.start, cand.end))
                i = cand.end
                continue
        if low[i] not in lex.bodies or i in covered:
            i += 1
            continue
        end, canon = longest(lex.bodies, low, i)
        if not canon or any(k in covered for k in range(i, end)):
            i += 1
            continue
        cand = _body_before(doc, low, lex, i, end, canon[0]) \
            or _body_after(doc, low, lex, i, end, canon[0])
        if cand is not None:
            found.append(cand)
            covered.update(range(cand.start, cand.end))
            i = cand.end
        else:
            i = end
    if not found:
        return cands
    spans = [(c.start, c.end) for c in found]
    kept = [c for c in cands if not any(a <= c.start and c.end <= b for a, b in spans)]
    return sorted(kept + found, key=lambda c: c.start)


def _body_of_town(doc, low, lex: Lexicon, i: int) -> Candidate | None:
    """ "the city council", "the besieged city's council": the council of the town the
    article named last before it ("... the theatre in Mariupol, the city council said" is
    Mariupol city council, the same actor as "Mariupol city council" elsewhere)."""
    n = len(low)
    k = i
    while k > 0 and (doc[k - 1].pos_ == "ADJ" or doc[k - 1].dep_ == "amod") and i - k < 3:
        k -= 1
    if k == 0 or low[k - 1] != "the":
        return None
    if i + 1 < n and low[i + 1] in POSSESSIVE:
        # "the city's council" is the city council; "the town's health office" the office
        words = [low[i], *low[i + 2:i + 6]]
        stop, canon = longest(lex.bodies, words, 0)
        end = i + 1 + stop
        if not canon:
            end, canon = longest(lex.bodies, low, i + 2)
    else:
        end, canon = longest(lex.bodies, low, i)
    if not canon:
        return None
    town = _last_town(doc, i)
    if town is None:
        return None
    start = i if i + 1 >= n or low[i + 1] not in POSSESSIVE else k
    return _resolve_body(doc, low, lex, town, (i, end), canon[0], start, end)


def _last_town(doc, before: int, reach: int = 300) -> tuple[int, int] | None:
    """Token span of the last capitalised name before token ``before`` that the gazetteer
    knows as a city or town."""
    from triangulate.analyze import gazetteer

    k = before - 1
    stop = max(0, before - reach)
    while k >= stop:
        if doc[k].pos_ == "PROPN" and doc[k].text[:1].isupper():
            end = k + 1
            while k > stop and doc[k - 1].pos_ == "PROPN" and doc[k - 1].text[:1].isupper() \
                    and end - k < 3:
                k -= 1
            name = doc[k:end].text
            if any(e.kind in ("city", "town") and not e.alternate
                   for e in gazetteer.lookup(gazetteer.normalize(name))):
                return k, end
        k -= 1
    return None


def _name_run(doc, low: list[str], start: int, end: int) -> bool:
    """Tokens [start, end) are one to three capitalised name words."""
    return 0 < end - start <= 3 and all(
        doc[k].text[:1].isupper() and doc[k].pos_ in ("PROPN", "NOUN", "ADJ")
        and low[k] not in DETERMINERS for k in range(start, end))


def _body_before(doc, low, lex: Lexicon, i: int, end: int, canon: str) -> Candidate | None:
    """ "Gaza's health ministry", "the Gaza health ministry"."""
    stop = i - 1 if i > 0 and low[i - 1] in POSSESSIVE else i
    for length in (3, 2, 1):
        start = stop - length
        if start < 0 or not _name_run(doc, low, start, stop):
            continue
        if start > 0 and doc[start - 1].text[:1].isupper() and low[start - 1] not in DETERMINERS \
                and not doc[start - 1].is_sent_start:
            continue  # the run goes on further left: not the whole place name
        cand = _resolve_body(doc, low, lex, (start, stop), (i, end), canon, start, end)
        if cand is not None:
            return cand
    return None


def _body_after(doc, low, lex: Lexicon, i: int, end: int, canon: str) -> Candidate | None:
    """ "the health ministry in Gaza", "the media office in the Hamas-run territory"."""
    n = len(low)
    if end + 1 >= n or low[end] not in ("in", "of"):
        return None
    m = end + 1
    if low[m] == "the":
        m += 1
    # "in the Hamas-run territory": the body of the territory's rulers
    if m + 3 < n and low[m + 1] == "-" and low[m + 2] in lex.control_words \
            and low[m + 3] in lex.territory_nouns:
        ruler = _dictionary_actor(low, lex, m, m + 1)
        if ruler is None:
            return None
        return _ruled_body(low, lex, ruler, m, (i, end), canon, m + 4)
    if low[end] != "in":
        return None  # "the health ministry of Gaza" is rare; "of" is kept for rulers only
    stop = m
    while stop < n and stop - m < 3 and doc[stop].text[:1].isupper() \
            and doc[stop].pos_ in ("PROPN", "NOUN", "ADJ"):
        stop += 1
    if stop == m:
        return None
    return _resolve_body(doc, low, lex, (m, stop), (i, end), canon, i, stop)


def _dictionary_actor(low: list[str], lex: Lexicon, start: int, end: int) -> str | None:
    stop, forms = longest(lex.trie, low, start)
    if stop != end or not forms:
        return None
    form = forms[0]
    return form.actor if form.form == NAME and form.state is None else None


def _ruled_body(low: list[str], lex: Lexicon, ruler: str, at: int, body: tuple[int, int],
                canon: str, stop: int) -> Candidate:
    """The body of a territory named by who runs it ("the health ministry in the Hamas-run
    territory" is the Hamas-run health ministry): the dictionary actor with that alias
    ("Hamas-run health ministry") when there is one, else an id of its own
    ("houthis-run-health-ministry")."""
    body_words = low[body[0]:body[1]]
    actor = None
    for control in dict.fromkeys((low[at + 2], "run")):
        actor = actor or _alias_id(lex, [low[at], "-", control], body_words, canon)
    entry = lex.entries.get(ruler)
    c = Candidate(body[0], stop, actor or f"{ruler}-run-{slug(canon)}", "located",
              core_end=body[1])
    c.country = entry.country if entry is not None else None
    c.parent = ruler
    c.name = f"{entry.name if entry is not None else ruler}-run {canon}"
    return c


def _alias_id(lex: Lexicon, place: list[str], body: list[str], canon: str) -> str | None:
    """The dictionary actor some wording of "<place> <body>" is an alias of."""
    canon_words = canon.split()
    for words in (place + body, place + canon_words, place + ["'s"] + body,
                  place + ["'s"] + canon_words, body + ["in"] + place,
                  canon_words + ["in"] + place):
        found = lex.alias_ids.get(" ".join(words))
        if found is not None:
            return found
    return None


def _resolve_body(doc, low, lex: Lexicon, place: tuple[int, int], body: tuple[int, int],
                  canon: str, start: int, end: int) -> Candidate | None:
    """One located body: a dictionary alias, a state's institution, or a place's own body
    (generated id, country from the gazetteer); None when the name is no known place."""
    place_words = low[place[0]:place[1]]
    body_words = low[body[0]:body[1]]
    actor = _alias_id(lex, place_words, body_words, canon)
    if actor is not None:
        return Candidate(start, end, actor, "located", core_end=end)
    stop, forms = longest(lex.trie, low, place[0])
    state_form = next((f for f in forms or () if f.state is not None
                       and f.form in (NAME, SEAT)), None) if stop == place[1] else None
    if state_form is not None:
        roles = longest(lex.role_trie, low, body[0])
        if roles[0] != body[1] or not roles[1]:
            return None
        c = Candidate(start, end, "", "located", state_form.state, roles[1][0], core_end=end)
        c.name = " ".join(body_words)
        return c
    country = _place_country(doc[place[0]:place[1]].text)
    if country is None:
        return None
    text = doc[place[0]:place[1]].text
    c = Candidate(start, end, f"{slug(text)}-{slug(canon)}", "located", core_end=end)
    c.country = country
    c.name = f"{text} {canon}"
    state = next((s.id for s in lex.states.values() if s.iso3 == country), None)
    c.parent = state
    return c


def _place_country(name: str) -> str | None:
    """ISO alpha-3 country of the likeliest place so named, or None when it is no place."""
    from triangulate.analyze import gazetteer

    entries = [e for e in gazetteer.lookup(gazetteer.normalize(name)) if not e.alternate]
    if not entries or not entries[0].country:
        return None
    return _alpha3().get(entries[0].country)


@functools.cache
def _alpha3() -> dict[str, str]:
    from triangulate.analyze import gazetteer

    return {a2: a3 for a3, a2 in gazetteer.curated().iso3.items()}
