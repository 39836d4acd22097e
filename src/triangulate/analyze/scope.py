"""Figure scope: which event a figure counts, over what span, and whom.

A number is only comparable with numbers that count the same thing (DESIGN.md, "What a
figure counts"). Real articles put three kinds of tolls side by side: this incident's ("four
soldiers were killed in the ambush"), a cumulative one ("more than 34,000 Palestinians have
been killed since the war began", "the ministry's toll rose to 36,801") and another event's,
told as background (the October 7 toll in an article about Rafah). This stage runs after the
events stage and gives every figure

* ``event``: the event it is the toll of: the one the events stage attached it to, else the
  event of the claim that reports it, else the only event of its sentence; None when none is
  known, or when the figure's own clause dates it far from that event (a toll from 2013
  quoted for comparison is not this week's);
* ``scope``: ``cumulative`` (a running count: "since the war began", "the war has killed",
  "the ministry's toll", "in Gaza so far"), ``period`` (a window: "in the past 24 hours",
  "this year"), ``other`` (hypothetical: "could kill thousands"; a part of a toll: "on
  Friday alone") or ``incident``;
* ``since``: the TIMEX value a cumulative count runs from, when the clause gives one;
* ``who``: the victim group (data/figures/groups.tsv: troops ~ soldiers, gunmen ~ fighters),
  with the words as written kept in ``who_text``.

Cues are read in the figure's own clause (the verb that governs it, with its arguments and
adverbial clauses, without coordinated, relative or reported clauses that do not hold the
figure), so "20 were killed in the strike, the ministry said, raising the toll since
October 7 to 34,000" gives each number its own scope. Cue words are data
(data/figures/scope.tsv). What this cannot see: a running count told with no cue at all
("The death toll rose to 36,801." after a paragraph about the war) stays an incident toll.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from triangulate import datafiles, settings
from triangulate.model import Claim, Event, Figure, Place, TimeExpression

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Dependents that open a clause of their own: cues inside them belong to that clause unless
# it holds the figure ("people killed in the strike" keeps its acl).
_OWN_CLAUSE = frozenset({"ccomp", "conj", "relcl", "acl", "parataxis", "csubj", "csubjpass"})
# Non-finite clauses that trail the clause they describe ("attacked on October 7, killing
# 1,200"): the figure takes the time and place of the clause they trail.
_TRAILING = frozenset({"advcl", "xcomp", "acl"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
# Prepositions that set a count inside a war or campaign ("killed in the war", "displaced by
# the fighting", "killed during the siege").
_SETTING_PREPS = frozenset({"in", "during", "throughout", "over", "by", "since", "of", "from"})


@dataclass(frozen=True)
class _Cues:
    words: dict[str, str]  # one-word cue lemma -> kind
    phrases: dict[tuple[str, ...], str]  # multiword cue -> kind
    groups: dict[str, str]
    demonyms: frozenset[str]


@functools.cache
def _cues() -> _Cues:
    words: dict[str, str] = {}
    phrases: dict[tuple[str, ...], str] = {}
    for cue, kind in datafiles.rows("figures", "scope.tsv", strip=True):
        parts = tuple(cue.lower().split())
        if len(parts) == 1:
            words[parts[0]] = kind
        else:
            phrases[parts] = kind
    groups = {w.lower(): g for w, g in datafiles.rows("figures", "groups.tsv", strip=True)}
    return _Cues(words, phrases, groups, frozenset(demonyms()))


@functools.cache
def demonyms() -> dict[str, str]:
    """Plural people demonyms ("palestinians") -> ISO alpha-3, from the places stage's
    country table (the project's one list of them)."""
    out: dict[str, str] = {}
    for row in datafiles.rows("places", "countries.tsv", header=True, strip=True):
        for word in (row[6].split("|") if len(row) > 6 else []):
            # Plural nouns only: "Palestinians", not the adjective "Palestinian".
            if word.endswith("s") and word[:1].isupper():
                out[word.lower()] = row[1]
    return out


def victim_group(who: str | None) -> str | None:
    """The victim group of a counted noun: "troops" -> soldiers, "Palestinian civilians" ->
    civilians, "Palestinians" -> people; unlisted words are their own group."""
    if not who:
        return None
    cues = _cues()
    key = " ".join(who.lower().split())
    if not key:
        return None
    if key in cues.groups:
        return cues.groups[key]
    if key in cues.demonyms:
        return "people"
    last = key.rsplit(" ", 1)[-1]
    if last in cues.groups:
        return cues.groups[last]
    return "people" if last in cues.demonyms else key


def interval(value: str | None, precision: str | None = None) -> tuple[int, int] | None:
    """A TIMEX value's day interval (link.measure's; imported here when called, since the
    link package imports this module for the victim groups)."""
    from triangulate.link.measure import interval as days

    return days(value, precision)


# --------------------------------------------------------------------------- entry point


def scope_figures(
    doc: Doc,
    figures: Sequence[Figure],
    events: Sequence[Event],
    claims: Sequence[Claim],
    times: Sequence[TimeExpression],
    places: Sequence[Place],
    published: dt.date | None,
) -> list[Figure]:
    """The figures with ``event``, ``scope``, ``since``, ``who`` (group) and ``who_text``."""
    out = []
    for fig in figures:
        event = _attached_event(fig, events, claims)
        scope, since, far = "incident", None, None
        span = doc.char_span(fig.start, fig.end, alignment_mode="expand")
        if span is not None:
            reading = _Reading(doc, span.root, span, times, places, published)
            scope, since = reading.scope()
            far = reading.far_date()
            first = _first_conjunct(reading.head)
            if scope == "incident" and first is not None and reading.bare():
                # "30,035 have been killed since the war began and 70,457 wounded": a
                # coordinated clause with no cue of its own shares its first conjunct's span.
                shared = _Reading(doc, first, span, times, places, published)
                if shared.scope()[0] != "incident":
                    scope, since = shared.scope()
        if scope == "incident" and far is not None:
            # The clause dates the act far from the event it was attached to: the toll of
            # another, earlier event ("... the 2013 siege, in which 40 were killed").
            event = _event_dated(events, fig, far, event)
        if scope != "other":
            event = _live(events, event)
        out.append(dataclasses.replace(
            fig, event=event, scope=scope, since=since,
            who=victim_group(fig.who), who_text=fig.who,
        ))
    return out


def _attached_event(fig: Figure, events: Sequence[Event], claims: Sequence[Claim]) -> str | None:
    for e in events:
        if fig.id in e.figures:
            return e.id
    for c in claims:
        if fig.id in c.figures and c.event:
            return c.event
    # A sentence telling one event gives it its figures; one telling two ("the war that
    # began when Hamas killed 1,200 has killed 33,000") gives none by position alone.
    inside = {e.id for e in events if not e.hypothetical
              and e.evidence.start <= fig.start and fig.end <= e.evidence.end}
    return inside.pop() if len(inside) == 1 else None


def _live(events: Sequence[Event], event_id: str | None) -> str | None:
    """An estimate the events stage read as hypothetical ("the strike may have killed close
    to 600") counts the act its sentence tells: the one live event of the same type there."""
    event = next((e for e in events if e.id == event_id), None)
    if event is None or not event.hypothetical:
        return event_id
    same = [e.id for e in events if not e.hypothetical and e.type == event.type
            and e.evidence.start == event.evidence.start]
    return same[0] if len(same) == 1 else event_id


def _event_dated(events: Sequence[Event], fig: Figure, far: tuple[int, int],
                 current: str | None) -> str | None:
    """The event of the figure's sentence dated within ``far``, else None."""
    for e in events:
        if not (e.evidence.start <= fig.start < e.evidence.end) or not e.date:
            continue
        span = interval(e.date, e.date_precision)
        if span is not None and span[0] <= far[1] and far[0] <= span[1]:
            return e.id
    current_event = next((e for e in events if e.id == current), None)
    if current_event is not None and current_event.date:
        span = interval(current_event.date, current_event.date_precision)
        if span is not None and span[0] <= far[1] and far[0] <= span[1]:
            return current
    return None


# --------------------------------------------------------------------------- reading


class _Reading:
    """One figure's clause and the cues in it."""

    def __init__(self, doc: Doc, start: Token, span, times: Sequence[TimeExpression],
                 places: Sequence[Place], published: dt.date | None) -> None:
        self.doc = doc
        self.span = span
        self.cues = _cues()
        self.published = published.toordinal() if published else None
        self.head = _clause_head(start)
        self.tokens = _clause_tokens(self.head, span)
        lo = min(t.idx for t in self.tokens)
        hi = max(t.idx + len(t) for t in self.tokens)
        starts = {t.idx for t in self.tokens}
        self.times = [t for t in times if lo <= t.start < hi and _starts_in(t, starts, doc)]
        self.territories = [
            m for p in places if p.kind in settings.LINK_COARSE_PLACE_KINDS
            or p.id.startswith(settings.LINK_COARSE_PLACE_PREFIXES)
            for m in p.mentions if lo <= m.start < hi and _starts_in(m, starts, doc)
        ]
        self.kinds = self._kinds()

    # ---- cues

    def _kinds(self) -> dict[str, list[Token]]:
        """Cue kind -> the tokens (first token of a phrase) that carry it."""
        found: dict[str, list[Token]] = {}
        toks = sorted(self.tokens, key=lambda t: t.i)
        lemmas = [t.lemma_.lower() for t in toks]
        lowers = [t.lower_ for t in toks]
        for k, t in enumerate(toks):
            for word in {lemmas[k], lowers[k]}:
                kind = self.cues.words.get(word)
                if kind:
                    found.setdefault(kind, []).append(t)
                    break
            for phrase, kind in self.cues.phrases.items():
                n = len(phrase)
                if k + n <= len(toks) and toks[k + n - 1].i == t.i + n - 1 and (
                        tuple(lowers[k:k + n]) == phrase or tuple(lemmas[k:k + n]) == phrase):
                    found.setdefault(kind, []).append(t)
        return found

    def bare(self) -> bool:
        """No cue and no time in the clause: nothing of its own says what span it counts."""
        return not self.kinds and not self.times

    def has(self, kind: str) -> bool:
        return bool(self.kinds.get(kind))

    def perfect(self) -> bool:
        """The clause's verb is in a perfect tense ("have been killed", "has killed")."""
        verb = self.head
        return any(c.dep_ in ("aux", "auxpass") and c.lemma_ == "have" for c in verb.children)

    # ---- decisions

    def scope(self) -> tuple[str, str | None]:
        if self.has("modal") and not self.perfect() \
                and any(t.head.i == self.head.i for t in self.kinds["modal"]):
            # "could kill thousands" is hypothetical; "may have killed close to 600" is an
            # estimate of what happened.
            return "other", None
        # A window the count is over ("over the past two days") says more than a "since"
        # phrase on something else in the clause ("the first departures since the siege
        # began"); a date inside the since phrase ("since the outbreak last year") is the
        # start, not a window.
        if self._window():
            return "period", None
        since = self._since()
        if since is not None:
            return since
        if self.has("part"):
            # "25 were killed in Zamzam on Friday alone": a part of a toll, no toll itself.
            return "other", None
        if self._running():
            return "cumulative", None
        return "incident", None

    def _since(self) -> tuple[str, str | None] | None:
        """A count "since" a start: cumulative from a start long enough ago (or from a war's
        start); an episode's own few days ("fled since Tuesday") stay its incident."""
        for tok in self.tokens:
            if tok.lower_ != "since" or not self._modifies_count(tok):
                continue
            scope_toks = list(tok.subtree) if tok.dep_ == "prep" else list(tok.head.subtree)
            chars = {t.idx for t in scope_toks}
            for t in self.times:
                if t.type not in ("date", "time") or not t.value or not _starts_in(
                        t, chars, self.doc):
                    continue
                span = interval(t.value)
                if span is None:
                    continue
                # Without a publication date a dated start is taken as a running count's.
                if self.published is None or \
                        self.published - span[0] >= settings.SCOPE_SINCE_MIN_DAYS:
                    return "cumulative", t.value
                return "incident", None
            kinds = {self.cues.words.get(t.lemma_.lower()) for t in scope_toks
                     if t.pos_ in ("NOUN", "PROPN", "VERB")}
            if kinds & {"war", "campaign"}:
                return "cumulative", None
            if "incident" not in kinds and any(t.pos_ in ("NOUN", "PROPN") for t in scope_toks):
                # Since a start the text names without a date and that is no single act
                # ("since the pandemic's outbreak", "since the crisis began"): a running
                # count; since an act ("fled since the attack") it is that act's episode.
                return "cumulative", None
        return None

    def _modifies_count(self, since: Token) -> bool:
        """"since" sets the start of the figure's own count: a phrase on its verb, its noun or
        its toll ("killed since October 7", "the toll since the war began"), not the clause
        the figure is told in ("pushing for aid since a strike killed seven last week") nor
        a phrase on another noun ("the first departures since the siege began")."""
        if since.dep_ == "mark":
            if since.head.i == self.head.i:
                return False
            anchor = since.head.head
        else:
            anchor = since.head
        # on the clause's verb, on the counted words, on a phrase that describes them
        # ("deaths linked to the virus since the outbreak began"), or on a toll
        return anchor.i == self.head.i or anchor in self.span or anchor.head in self.span \
            or self.cues.words.get(anchor.lemma_.lower()) == "toll"

    def _window(self) -> bool:
        """A count over a window: "in the past 24 hours", "in the first four months of the
        year", "this year" (unless a single act is named: "last month's ambush killed 12" is
        that ambush's toll)."""
        starts = {t.idx for since in self.tokens if since.lower_ == "since"
                  for t in (since.subtree if since.dep_ == "prep" else since.head.subtree)}
        for t in self.times:
            if _starts_in(t, starts, self.doc):
                continue
            words = {w.lower() for w in t.text.split()}
            if t.type == "duration" and words & _WINDOW_WORDS:
                return True
            if t.type == "date" and words & _WINDOW_WORDS and words & _UNITS \
                    and not self._singular_incident():
                return True
        return False

    def _singular_incident(self) -> bool:
        return any(t.tag_ in ("NN", "NNP") for t in self.kinds.get("incident", []))

    def _running(self) -> bool:
        """A running count: the war (or a long campaign, told in a perfect tense) is its
        subject or setting; an authority's or a territory's toll; a running total over a
        territory."""
        for t in self.kinds.get("war", []):
            if self._sets_count(t):
                return True
        antecedent = self._relative_subject()
        if antecedent is not None and self.cues.words.get(antecedent.lemma_.lower()) == "war":
            return True  # "a war that lasted three years and killed 100,000 people"
        if self.perfect() or self.has("running"):
            for t in self.kinds.get("campaign", []):
                if self._sets_count(t):
                    return True
        if self.has("incident"):
            return False
        for t in self.kinds.get("toll", []):
            if any(c.dep_ == "poss" and c.ent_type_ not in ("DATE", "TIME")
                   for c in t.children) or any(c.lower_ in _TOTALS for c in t.children):
                return True
        return bool(self.territories) and not self.times and (
            self.has("running") or self.perfect())

    def _relative_subject(self) -> Token | None:
        """The noun a relative clause's subject pronoun stands for ("a war that ... killed"):
        the clause's (or its first conjunct's) "that"/"which" subject, when the clause is a
        relative clause."""
        verb = self.head
        while verb.dep_ == "conj" and verb.head.i != verb.i:
            verb = verb.head
        if verb.dep_ != "relcl":
            return None
        subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
        if subject is None or subject.lower_ not in ("that", "which", "who"):
            return None
        return verb.head

    def _sets_count(self, tok: Token) -> bool:
        """``tok`` is the subject of the figure's clause, the object of a preposition that
        sets the count in it, or the holder of its toll ("the war's toll")."""
        while tok.dep_ == "conj" and tok.head.i != tok.i:
            tok = tok.head
        head = tok.head
        if tok.dep_ in _SUBJECTS and head.i == self.head.i:
            return True
        if tok.dep_ == "pobj" and head.lower_ in _SETTING_PREPS:
            anchor = head.head
            return anchor.i == self.head.i or anchor in self.span or (
                self.cues.words.get(anchor.lemma_.lower()) == "toll")
        if tok.dep_ in ("poss", "compound", "nmod"):
            return self.cues.words.get(head.lemma_.lower()) == "toll"
        return False

    def far_date(self) -> tuple[int, int] | None:
        """The interval of a date in the clause far before publication, if any."""
        if self.published is None:
            return None
        for t in self.times:
            if t.type != "date" or not t.value:
                continue
            span = interval(t.value)
            if span is not None and self.published - span[1] > settings.SCOPE_BACKGROUND_DAYS:
                return span
        return None


_WINDOW_WORDS = frozenset({"past", "last", "first", "previous", "recent", "preceding", "this"})
_UNITS = frozenset({"hours", "day", "days", "week", "weeks", "month", "months", "year",
                    "years", "weekend", "decade"})
_TOTALS = frozenset({"overall", "total", "cumulative", "running"})


def _clause_head(tok: Token) -> Token:
    """The verb heading the clause a token is in; a non-finite clause trailing another
    ("..., killing 1,200") is read with the clause it trails. (Tokens are compared by index:
    spaCy makes a new Token object on every ``.head``.)"""
    t = tok
    while True:
        if t.pos_ in ("VERB", "AUX") and (t.dep_ in _OWN_CLAUSE or t.dep_ in _TRAILING
                                          or t.dep_ == "ROOT" or t.head.i == t.i):
            if t.dep_ in _TRAILING and t.tag_ in ("VBG", "VBN") and t.head.i != t.i \
                    and t.head.pos_ in ("VERB", "AUX"):
                t = t.head
                continue
            return t
        if t.head.i == t.i:
            return t
        t = t.head


def _first_conjunct(head: Token) -> Token | None:
    """The first verb of a coordination the clause head belongs to (None: not coordinated)."""
    if head.dep_ != "conj":
        return None
    t = head
    while t.dep_ == "conj" and t.head.i != t.i:
        t = t.head
    return t if t.pos_ in ("VERB", "AUX") else None


def _clause_tokens(head: Token, span) -> list[Token]:
    """The clause's tokens: the head's subtree without dependent clauses of its own that
    neither hold the figure nor hang on it."""
    inside = {t.i for t in span}
    drop: set[int] = set()
    for t in head.subtree:
        if t.i == head.i or t.dep_ not in _OWN_CLAUSE or t.i in drop:
            continue
        sub = {x.i for x in t.subtree}
        if sub & inside or t.head.i in inside:
            continue
        drop |= sub
    return [t for t in head.subtree if t.i not in drop] or list(span)


def _starts_in(item, token_starts: set[int], doc: Doc) -> bool:
    """The mention's first token is one of the tokens starting at ``token_starts``."""
    span = doc.char_span(item.start, item.end, alignment_mode="expand")
    return span is not None and span[0].idx in token_starts
