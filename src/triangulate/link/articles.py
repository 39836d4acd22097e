"""Political stories linked article to article.

Talks, summits, decisions and sanctions are told in speech acts that the events stage reads
many ways: one outlet's lead says the two sides "signed a declaration" (SUPPORT), another's
that they "did not agree to a ceasefire" (REJECT), a third's that governments "welcomed the
declaration" (AID). Report-level linking (stories.py) compares reports of one type family,
so each such article ends up a story of its own. Here, articles whose lead tells a political
act are compared as wholes, on what a reader would go by: the dates they were published,
the named participants they share (the army, the RSF, their commanders, the mediators), the
countries they place it in, and how alike their sentences are. Joined articles' lead
reports go into one story, and each article is one of its reports.

Joining is complete-link over the political articles of two stories (every pair of them
must pass), so "talks in Jeddah" and "talks in Jeddah about something else a day later"
do not chain through a third article that shares participants with both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from triangulate import settings
from triangulate.link.lexicon import lexicon
from triangulate.link.measure import day
from triangulate.link.stories import Report


@dataclass
class _Article:
    report: int  # index of the article's lead report
    day: int | None  # publication day
    participants: frozenset[str]
    countries: frozenset[str]
    vector: np.ndarray | None


def join_political(reports: Sequence[Report], clusters: list[list[int]],
                   articles: list[_Article] | None = None) -> list[list[int]]:
    """The clusters with the stories of political articles that tell one act joined.

    Marks each joined article's lead report as reported (the article is about that act).
    ``articles``: the political articles among ``reports`` when known already (the
    incremental linker keeps each one's, worked out from all of its article's reports)."""
    if articles is None:
        articles = _political_articles(reports)
    if len(articles) < 2:
        return clusters
    owner = {k: c for c, members in enumerate(clusters) for k in members}
    groups = {c: set(members) for c, members in enumerate(clusters)}
    political: dict[int, list[_Article]] = defaultdict(list)
    for a in articles:
        political[owner[a.report]].append(a)
    for x, y in _candidates(articles):
        a, b = articles[x], articles[y]
        ca, cb = owner[a.report], owner[b.report]
        if ca == cb or not _joinable(reports, groups[ca], groups[cb]):
            continue
        if not all(_same_act(p, q) for p in political[ca] for q in political[cb]):
            continue
        groups[ca] |= groups.pop(cb)
        political[ca].extend(political.pop(cb))
        for k in groups[ca]:
            owner[k] = ca
        for p in political[ca]:
            reports[p.report].reported = True
    return [sorted(g) for _, g in sorted(groups.items(), key=lambda kv: min(kv[1]))]


def _political_articles(reports: Sequence[Report]) -> list[_Article]:
    lex = lexicon()
    by_article: dict[str, list[int]] = defaultdict(list)
    for k, r in enumerate(reports):
        by_article[r.article].append(k)
    out = []
    for idx in by_article.values():
        lead = min(idx, key=lambda k: (min(m.position for m in reports[k].mentions), k))
        r = reports[lead]
        # The first act the article tells (its lead, or the first the events stage found:
        # "signed a declaration" may be read as no event at all) is a political one.
        if r.family not in lex.political or r.opinion:
            continue
        participants = frozenset(r.mentions[0].participants)
        if len(participants) < settings.LINK_ARTICLE_MIN_SHARED:
            continue
        vecs = [reports[k].vector for k in idx if reports[k].vector is not None]
        vector = None
        if vecs:
            mean = np.mean(np.stack(vecs), axis=0)
            norm = float(np.linalg.norm(mean))
            vector = mean / norm if norm > 0 else None
        out.append(_Article(
            report=lead, day=day(r.published), participants=participants,
            countries=frozenset(c for k in idx for c in reports[k].countries), vector=vector,
        ))
    return out


def _candidates(articles: list[_Article]) -> list[tuple[int, int]]:
    """Pairs sharing a participant, best first (most shared, then closest sentences).

    An inverted index on participants keeps this near-linear: a pair is only looked at
    when it shares one. A participant in very many articles (a country in every story of a
    busy week) adds pairs that the other tests then reject."""
    index: dict[str, list[int]] = defaultdict(list)
    for k, a in enumerate(articles):
        for p in a.participants:
            index[p].append(k)
    seen: set[tuple[int, int]] = set()
    for members in index.values():
        for i, x in enumerate(members):
            for y in members[i + 1:]:
                seen.add((x, y))
    scored = []
    for x, y in seen:
        a, b = articles[x], articles[y]
        if _same_act(a, b):
            scored.append((-len(a.participants & b.participants), -_cosine(a, b), x, y))
    return [(x, y) for *_, x, y in sorted(scored)]


def _same_act(a: _Article, b: _Article) -> bool:
    if a.day is None or b.day is None or abs(a.day - b.day) > settings.LINK_ARTICLE_DAYS:
        return False
    shared = a.participants & b.participants
    overlap = len(shared) / max(1, min(len(a.participants), len(b.participants)))
    if len(shared) < settings.LINK_ARTICLE_MIN_SHARED or overlap < settings.LINK_ARTICLE_MIN_OVERLAP:
        return False
    if a.countries and b.countries and not a.countries & b.countries:
        return False
    if a.vector is None or b.vector is None:
        return True
    # Nearly the same cast of named participants needs less alike sentences: short
    # articles told in different words ("signed a pledge", "welcomed the declaration").
    strong = (overlap >= settings.LINK_ARTICLE_STRONG_OVERLAP
              and len(shared) >= settings.LINK_ARTICLE_STRONG_SHARED)
    return _cosine(a, b) >= (settings.LINK_ARTICLE_STRONG_MIN_COSINE if strong
                             else settings.LINK_ARTICLE_MIN_COSINE)


def _cosine(a: _Article, b: _Article) -> float:
    if a.vector is None or b.vector is None:
        return 0.0
    return float(a.vector @ b.vector)


def _joinable(reports: Sequence[Report], a: set[int], b: set[int]) -> bool:
    """Never two reports of one article in a story."""
    return not {reports[k].article for k in a} & {reports[k].article for k in b}
