"""From event mentions to finished stories: reports, clusters, then each story's record."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from triangulate.link.articles import join_political
from triangulate.link.compare import _report_day, _report_place, contradictions, figure_lines
from triangulate.link.stories import (
    Report,
    build_reports,
    cluster_reports,
    mention_interval,
    story_id,
)
from triangulate.model import (
    Contradiction,
    EventMention,
    Story,
    StoryArticle,
    StoryPlace,
    TollSeries,
)


@dataclass
class LinkResult:
    stories: list[Story] = field(default_factory=list)
    # (story id, article id, event id) for every linked mention
    members: list[tuple[str, str, str]] = field(default_factory=list)
    # Contradictions of no story: parties' positions that sources disagree on (negotiations)
    disputes: list[Contradiction] = field(default_factory=list)
    # cumulative counts as series (link/tolls.py; jobs.link_all fills it)
    tolls: list[TollSeries] = field(default_factory=list)
    # an incremental link (link/incremental.py): the ids of the stored stories that
    # ``stories`` (only those rebuilt) replace
    replaced: list[str] = field(default_factory=list)

    @property
    def contradictions(self) -> list[Contradiction]:
        return [c for s in self.stories for c in s.contradictions] + self.disputes


def link(
    mentions: Sequence[EventMention], vectors: np.ndarray | None = None,
    model: str | None = None,
) -> LinkResult:
    """Cluster event mentions into stories; ``vectors[k]`` embeds ``mentions[k]``'s evidence
    with embedding ``model`` (its cosine calibration; default settings.LINK_EMBED_MODEL).

    Deterministic: the same mentions in the same order give the same stories and ids.
    """
    dim = int(vectors.shape[1]) if vectors is not None and len(vectors) else None
    reports = build_reports(mentions, vectors)
    return stories_of(reports, join_political(reports, cluster_reports(reports, dim, model)))


def stories_of(reports: Sequence[Report], clusters: list[list[int]]) -> LinkResult:
    """The LinkResult of clustered reports: a story per cluster, stories in list order."""
    result = LinkResult()
    for idx in clusters:
        # each report read once: ``reports`` may read them from disk (incremental._Shelf)
        members = [reports[k] for k in idx]
        story = build_story(members)
        result.stories.append(story)
        for r in members:
            for m in r.mentions:
                result.members.append((story.id, m.article, m.event))
    result.stories.sort(key=story_order)
    return result


def story_order(s: Story) -> tuple:
    return (-s.independent_outlets, -len(s.articles), s.date or "9999", s.id)


def _outlet(r: Report) -> str:
    # An article without an outlet is a source of its own (it cannot be matched to another).
    return r.outlet or f"?{r.article}"


def build_story(reports: Sequence[Report]) -> Story:
    """One story's record from its reports (at most one per article)."""
    reports = sorted(reports, key=lambda r: (r.order, r.article))
    mentions = [m for r in reports for m in r.mentions]
    sid = story_id(mentions)
    main = [r for r in reports if r.reported]
    passing = [r for r in reports if not r.reported]
    core = main or reports
    story_type = _top(_weighted(core, lambda r: r.type))

    date, precision = _story_date(core)
    place, country = _story_place(core)
    lines = figure_lines(reports, country)
    story = Story(
        id=sid,
        type=story_type or core[0].type,
        date=date,
        place=place,
        actors=_ranked(core, "actor"),
        targets=_ranked(core, "target"),
        outlets=len({_outlet(r) for r in reports}),
        independent_outlets=len({_outlet(r) for r in reports if not r.duplicate_of}),
        articles=[_story_article(r) for r in main],
        figures=lines,
        title=_title(core[0]),
        date_precision=precision,
        mentions=[_story_article(r) for r in passing],
        updated=any(line.updated for line in lines),
    )
    story.contradictions = contradictions(reports, lines, sid)
    return story


def _weighted(reports: Sequence[Report], key) -> Counter:
    counts: Counter = Counter()
    for r in reports:
        counts[key(r)] += r.salience
    return counts


def _top(counts: Counter):
    return max(counts, key=lambda k: (counts[k], str(k))) if counts else None


def _story_article(r: Report) -> StoryArticle:
    first = min(r.mentions, key=lambda m: m.position)
    return StoryArticle(id=r.article, outlet=r.outlet, event=first.event,
                        duplicate_of=r.duplicate_of, published=r.published)


def _story_date(core: Sequence[Report]) -> tuple[str | None, str | None]:
    """The day most accounts give (ties: the earliest); else the most precise date given."""
    days = Counter(found[0] for r in core if (found := _report_day(r)))
    if days:
        best = max(days, key=lambda d: (days[d], [-ord(c) for c in d]))
        return best, "day"
    coarse = Counter(
        (m.date, m.date_precision) for r in core for m in r.mentions
        if m.date and not m.negated and mention_interval(m)[0] is not None
    )
    if coarse:
        rank = {"week": 0, "month": 1, "year": 2}
        (value, precision), _ = min(
            coarse.items(), key=lambda kv: (rank.get(kv[0][1] or "", 3), -kv[1], kv[0][0])
        )
        return value, precision
    return None, None


def _story_place(core: Sequence[Report]) -> tuple[StoryPlace | None, str | None]:
    """The town most accounts name; else the most named coarser place. And its country."""
    towns = Counter()
    picked = {}
    for r in core:
        m = _report_place(r)
        if m is not None:
            towns[m.place] += 1
            picked.setdefault(m.place, m)
    if not towns:
        coarse = Counter(m.place for r in core for m in r.mentions if m.place and not m.negated)
        if not coarse:
            country = next((r.country for r in core if r.country), None)
            return None, country
        for r in core:
            for m in r.mentions:
                picked.setdefault(m.place, m)
        towns = coarse
    best = max(towns, key=lambda p: (towns[p], p))
    m = picked[best]
    place = StoryPlace(id=m.place, name=m.place_name or m.place, lat=m.lat, lon=m.lon)
    return place, m.place_country


def _ranked(core: Sequence[Report], role: str) -> list[str]:
    """Actor (or target) ids by how many articles name them in that role."""
    counts: Counter = Counter()
    for r in core:
        ids = {getattr(m, role) for m in r.mentions if getattr(m, role) and not m.negated}
        counts.update(ids)
    return [a for a, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _title(r: Report) -> str | None:
    first = min(r.mentions, key=lambda m: m.position)
    if first.evidence is None:
        return None
    return " ".join(first.evidence.text.split())
