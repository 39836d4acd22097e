"""Named entities the dictionary lacks: persons (with titles and later surnames), organisations
and group names ("Kurds", "Yoruba leaders"); towns NER mistakes for persons are left to the
places stage; "the president of Armenia" names Armenia's government.
"""

from __future__ import annotations

from triangulate import settings
from triangulate.analyze.actors.dictionary import derived_id
from triangulate.analyze.actors.found import Candidate
from triangulate.analyze.actors.lexicon import (
    ADJ,
    CONNECTORS,
    DETERMINERS,
    INSTITUTION_KINDS,
    NAME,
    POSSESSIVE,
    Lexicon,
    longest,
    slug,
)


def _strip_span(doc, low: list[str], lex: Lexicon, start: int, end: int, person: bool):
    """Drop determiners, possessive endings and (for persons) leading titles from an entity."""
    while start < end and low[start] in DETERMINERS:
        start += 1
    while end > start and (low[end - 1] in POSSESSIVE or not doc[end - 1].text[:1].isalnum()):
        end -= 1
    if person:
        while start < end - 1 and (low[start] in lex.title_words
                                   or low[start].rstrip(".") in lex.title_words):
            start += 1
    return start, end


def ner_candidates(doc, low, lex: Lexicon, cands: list[Candidate], taken: list[bool]) -> list[Candidate]:
    out: list[Candidate] = []
    # Which candidates overlap an entity, by token, rather than testing every candidate for
    # every entity (a list of 2,400 names cost the square of it; issue 16). Entities do not
    # overlap and come in order, so a candidate the loop removes or stretches (inside the
    # current entity) is never looked up again.
    cands_at = list(cands)
    covering = _covering(cands_at)
    for ent in doc.ents:
        label = ent.label_
        if label not in ("PERSON", "ORG", "NORP"):
            continue
        start, end = _strip_span(doc, low, lex, ent.start, ent.end, label == "PERSON")
        if start >= end:
            continue
        if label == "ORG" and _titled_person(doc, low, lex, start, end):
            # sm tags "Lieutenant General Alexus Grynkewich" as an organisation
            label = "PERSON"
            start, end = _strip_span(doc, low, lex, start, end, True)
        first = doc[start].text
        if not first[:1].isupper() or any(ch.isdigit() for ch in doc[start:end].text):
            continue
        inside = [cands_at[k] for k in sorted({k for t in range(start, end)
                                               for k in covering.get(t, ())})]
        if inside and label == "PERSON" and all(
            c.end < end and c.start <= start and not _is_person(lex, c) for c in inside
        ):
            # "Iraqi President Saddam Hussein" tagged whole: the name is what follows the
            # country word and title; the title step joins them again
            start, end = _strip_span(doc, low, lex, max(c.end for c in inside), end, True)
            if start < end and doc[start].text[:1].isupper():
                out.append(Candidate(start, end, "", "person", core_end=end))
            continue
        if inside:
            cand = _ner_over_dictionary(doc, low, lex, label, start, end, inside, cands)
            if cand is not None:
                out.append(cand)
            continue
        if label == "NORP":
            cand = _norp(doc, low, lex, start, end)
            if cand is not None:
                out.append(cand)
            continue
        if _looks_like_place(doc, low, lex, start, end):
            continue
        if label == "ORG" and _role_only(low, lex, start, end):
            # "Defence Ministry: ...", "The Defence Ministry said": a body named by its role
            stop, roles = longest(lex.role_trie, low, start)
            if roles[0].kind in INSTITUTION_KINDS:
                out.append(Candidate(start, end, "", "institution", role=roles[0], core_end=end))
                continue
        if end - start > 7:
            continue
        kind = "person" if label == "PERSON" else "organisation"
        out.append(Candidate(start, end, "", kind, core_end=end))
    out += _titled_names(doc, low, lex, cands + out)
    out += _surnames(doc, low, lex, cands + out)
    return out


def _covering(cands: list[Candidate]) -> dict[int, list[int]]:
    """Token index -> the indices of the candidates that cover it."""
    index: dict[int, list[int]] = {}
    for k, c in enumerate(cands):
        for t in range(c.start, c.end):
            index.setdefault(t, []).append(k)
    return index


def _role_only(low: list[str], lex: Lexicon, start: int, end: int) -> bool:
    stop, roles = longest(lex.role_trie, low, start)
    return bool(roles) and stop == end


def _titled_person(doc, low, lex: Lexicon, start: int, end: int) -> bool:
    """An entity that opens with a person's title (a rank, "Dr.", "spokesman") and goes on
    with two or more capitalised name words is a titled person whatever NER called it;
    with one name word ("General Motors") it stays what it was."""
    name, stop = _strip_span(doc, low, lex, start, end, True)
    if name == start or stop - name < 2 or stop - name > 4:
        return False
    cue = any(low[k] in lex.person_cues or low[k].rstrip(".") in lex.person_cues
              for k in range(start, name))
    return cue and all(doc[k].text[:1].isupper() and doc[k].pos_ == "PROPN"
                       for k in range(name, stop))


def _titled_names(doc, low, lex: Lexicon, cands: list[Candidate]) -> list[Candidate]:
    """Capitalised words after a capitalised title are a name even when NER misses them
    ("King Abdullah II", "Gen. Abdel Fattah al-Burhan")."""
    covered = {k for c in cands for k in range(c.start, c.end)}
    out: list[Candidate] = []
    n = len(low)
    for i in range(n - 1):
        if low[i].rstrip(".") not in lex.person_cues or not doc[i].text[:1].isupper():
            continue
        j = i + 1
        if j < n and low[j] == "." and low[i] in lex.title_abbreviations:
            j += 1
        start = j
        while j < n and j not in covered and j - start < 4 and (
            doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper()
            and low[j] not in lex.title_words or (j > start and low[j] == "-")
        ):
            j += 1
        while j > start and low[j - 1] == "-":
            j -= 1
        if j > start and all(k not in covered for k in range(start, j)):
            out.append(Candidate(start, j, "", "person", core_end=j))
            covered.update(range(start, j))
    return out


def _surnames(doc, low, lex: Lexicon, cands: list[Candidate]) -> list[Candidate]:
    """A later bare surname ("Okafor") of a person named in full, which NER often misses."""
    names: set[str] = set()
    for c in cands:
        if c.core_end - c.start >= 2 and _is_person(lex, c):
            names.add(doc[c.core_end - 1].text)
    if not names:
        return []
    for c in cands:
        # sm often tags a lone surname as ORG
        if c.form == "organisation" and c.end - c.start == 1 and doc[c.start].text in names:
            c.form = "person"
    covered = {k for c in cands for k in range(c.start, c.end)}
    lowered = {name.lower() for name in names}
    return [Candidate(k, k + 1, "", "person", core_end=k + 1)
            for k, word in enumerate(low)
            if word in lowered and k not in covered and doc[k].text in names]


def _ner_over_dictionary(doc, low, lex, label, start, end, inside, cands) -> Candidate | None:
    """An entity overlapping dictionary matches: a longer name wins over a bare country word
    or a derived phrase inside it ("Nigerian Union of Teachers"), and a full name extends a
    dictionary person matched by surname only."""
    if len(inside) != 1:
        return None
    c = inside[0]
    if c.start < start or c.end > end or (c.start == start and c.end == end):
        return None
    entry = lex.entries.get(c.actor)
    if label == "PERSON" and entry is not None and entry.kind == "person":
        full = doc[start:end].text.lower()
        if any(full == a.lower() or full in a.lower() for a in entry.aliases):
            c.start, c.end = start, end
            return None
        cands.remove(c)
        return Candidate(start, end, "", "person", core_end=end)
    if label in ("ORG", "PERSON") and c.form in (ADJ, NAME) and c.state is not None \
            and c.end < end and doc[c.end].text[:1].isupper() and label == "ORG":
        cands.remove(c)
        return Candidate(start, end, "", "organisation", core_end=end,
                     country=lex.states[c.state].iso3)
    return None


def _norp(doc, low, lex: Lexicon, start: int, end: int) -> Candidate | None:
    """A group name the dictionary lacks ("Kurds", "Yoruba leaders")."""
    stop, roles = longest(lex.role_trie, low, end)
    name = doc[start:end].text
    if roles and stop < len(low) and doc[stop - 1].dep_ in ("amod", "compound") \
            and doc[stop - 1].head.i == stop:
        # "Moslem fundamentalist demonstrators": the first role word describes the second
        later, more = longest(lex.role_trie, low, stop)
        if more:
            stop, roles = later, more
    if roles:
        role = roles[0]
        c = Candidate(start, stop if role.include else end, "", "norp", core_end=end, role=role)
        c.actor = slug(name) if role.people else f"{slug(name)}-{role.suffix or slug(' '.join(low[end:stop]))}"
        return c
    if doc[end - 1].tag_ in ("NNPS", "NNS") or (doc[end - 1].pos_ in ("PROPN", "NOUN")
                                                and low[end - 1].endswith("s")):
        return Candidate(start, end, slug(name), "norp", core_end=end)
    return None


_AREA_PREPS = frozenset({"in", "near", "outside", "into", "across", "throughout", "inside"})


def _looks_like_place(doc, low, lex: Lexicon, start: int, end: int) -> bool:
    """sm tags some towns as PERSON/ORG ("Khan Younis said to be ...", "Nuseirat").

    Left to the places stage: a capitalised name right after "in/near/at/from" (for longer
    names only after prepositions of area, since "from John Smith" is common), and a name the
    gazetteer knows as one of our conflict places or a large city, where a person or
    organisation of exactly that name is far rarer in conflict news than the place.
    """
    if start > 0:
        prev = low[start - 1]
        if prev in lex.place_preps if end - start == 1 else prev in _AREA_PREPS:
            return True
    return _known_place(doc[start:end].text)


def _known_place(name: str) -> bool:
    from triangulate.analyze import gazetteer

    return any(
        not e.alternate and (e.source != "city" or e.population >= settings.NER_PLACE_MIN_POPULATION)
        for e in gazetteer.lookup(gazetteer.normalize(name))
    )


def absorb_titles(doc, low, lex: Lexicon, cands: list[Candidate]) -> list[Candidate]:
    """A person's title and country belong to the mention ("Iraqi President Saddam Hussein",
    "Jordan's King Abdullah II", "Hamas leader Yahya Sinwar"); the name does not change."""
    ends = {c.end: c for c in cands}
    out: list[Candidate] = []
    drop: set[int] = set()
    for c in cands:
        if not _is_person(lex, c):
            continue
        k = c.start
        prev = None
        while k > 0 and c.start - k < 8:
            prev = ends.get(k)
            if prev is None and low[k - 1] in POSSESSIVE:
                prev = ends.get(k - 1)
            if prev is not None or doc[k].is_sent_start or not _title_word(lex, low, k - 1):
                break
            if low[k - 1] in CONNECTORS and not (
                k >= 2 and low[k - 2] not in CONNECTORS and _title_word(lex, low, k - 2)
            ):
                break  # "Secretary of State" but not "Armenia and King Hassan"
            k -= 1
        if prev is None:
            while k < c.start and low[k] in CONNECTORS:
                k += 1
        if prev is not None and prev is not c and not _is_person(lex, prev) and (
            prev.role is None or prev.role.role in ("government", "military", "rebels",
                                                    "militants", "opposition", "security")
        ):
            k = prev.start
            if prev.state is not None:
                c.country = lex.states[prev.state].iso3
            if prev.keep_core or (prev.form == NAME and prev.state is None):
                prev.end = prev.core_end
                if prev.role is not None and prev.state is not None:
                    prev.actor = prev.state
                    prev.role = None
            else:
                drop.add(id(prev))
        if k < c.start:
            c.title_start = k
    for c in cands:
        if id(c) not in drop:
            out.append(c)
    return out


def role_of_country(doc, low, lex: Lexicon, cands: list[Candidate]) -> list[Candidate]:
    """ "the president of Armenia", "the army of Niger": a role noun with "of" and a country
    names the country's institution; a person "of Morocco" takes its country. The country
    name stays a mention of its own."""
    out: list[Candidate] = []
    covered = {k for c in cands for k in range(c.start, c.end)}
    ends = {c.end: c for c in cands if _is_person(lex, c)}
    for c in cands:
        if c.form != NAME or c.state is None or c.role is not None or c.start < 2:
            continue
        if low[c.start - 1] != "of":
            continue
        person = ends.get(c.start - 1)
        if person is not None:
            person.end = c.end
            person.country = person.country or lex.states[c.state].iso3
            continue
        for b in range(c.start - 2, max(c.start - 5, -1), -1):
            if b in covered:
                break
            end, roles = longest(lex.role_trie, low, b)
            if roles and end == c.start - 1 and roles[0].include:
                role = roles[0]
                noun = " ".join(low[b:end])
                out.append(Candidate(b, c.end, derived_id(lex, c.state, role, noun), ADJ,
                                 c.state, role, core_end=c.end))
                break
    return out


def _title_word(lex: Lexicon, low: list[str], k: int) -> bool:
    word = low[k]
    if word == ".":
        return k > 0 and low[k - 1] in lex.title_abbreviations
    return word in lex.title_words or word.rstrip(".") in lex.title_words


def _is_person(lex: Lexicon, c: Candidate) -> bool:
    if c.form == "person":
        return True
    entry = lex.entries.get(c.actor)
    return entry is not None and entry.kind == "person"
