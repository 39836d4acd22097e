"""The toll tracker: cumulative counts as series over time.

A cumulative count ("30,035 Palestinians have been killed since the war began", "the
ministry's toll rose to 36,801"; analyze/scope.py) is no incident's toll: it never stands
against one in a story. It belongs to a series: one speaker's count of one outcome for one
place, by the day it was given (the Gaza health ministry's dead, day by day). A series
keeps every point with its article, speaker, words and sentence, so a reader can check each
value where it was said.

Series are keyed by (what, victim group, speaker, place). The speaker is the claim or
quote that gives the count, else the outlet's own voice (each outlet its own series, since
an outlet's running count is its own summary of others'). The place is the country of the
place named in the count's sentence ("in Gaza"), else of the event it is attached to, else
the country the article names most.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from triangulate.analyze.scope import victim_group
from triangulate.link.lexicon import lexicon
from triangulate.link.records import figure_speaker, is_town, sentence_of
from triangulate.model import Analysis, Figure, Mention, Place, TollPoint, TollSeries

_Key = tuple[str, str, str, str]


def toll_points(analysis: Analysis) -> list[tuple[_Key, TollPoint, str | None]]:
    """(series key, point, place name) of every cumulative count in the article."""
    out = []
    lex = lexicon()
    for fig in analysis.figures:
        if fig.scope != "cumulative" or not fig.what:
            continue
        what = lex.what.get(fig.what.lower(), fig.what.lower())
        who = victim_group(fig.who) or "people"
        speaker, speaker_text = figure_speaker(analysis, fig)
        voice = speaker or speaker_text
        speaker_key = speaker or (" ".join(speaker_text.lower().split()) if speaker_text
                                  else f"outlet:{analysis.outlet or analysis.id}")
        country, name = _place(analysis, fig)
        sentence = sentence_of(analysis, fig.start, fig.end)
        point = TollPoint(
            value=fig.value, article=analysis.id, figure=fig.id,
            date=(analysis.published or "")[:10] or None, outlet=analysis.outlet,
            speaker=voice, hedge=fig.hedge, low=fig.low, high=fig.high, since=fig.since,
            evidence=Mention(fig.start, fig.end, fig.text), sentence=sentence,
        )
        out.append(((what, who, speaker_key, country or (name or "").lower()), point, name))
    return out


def toll_series(points: Iterable[tuple[_Key, TollPoint, str | None]]) -> list[TollSeries]:
    """Points gathered into series, the longest (then the latest) first."""
    grouped: dict[_Key, list[TollPoint]] = defaultdict(list)
    names: dict[_Key, Counter] = defaultdict(Counter)
    for key, point, name in points:
        grouped[key].append(point)
        if name:
            names[key][name] += 1
    out = []
    for key, pts in grouped.items():
        what, who, speaker_key, place = key
        pts.sort(key=lambda p: (p.date or "", float(p.value), p.article, p.figure))
        outlet_voice = speaker_key.startswith("outlet:")
        starts = sorted(p.since for p in pts if p.since)
        out.append(TollSeries(
            id="t-" + hashlib.sha1("\x1f".join(key).encode()).hexdigest()[:12],
            what=what, who=who,
            speaker=None if outlet_voice else next(p.speaker for p in pts),
            place=place if re.fullmatch(r"[A-Z]{3}", place or "") else None,
            place_name=names[key].most_common(1)[0][0] if names[key] else None,
            since=starts[0] if starts else None,
            outlet=speaker_key.removeprefix("outlet:") if outlet_voice else None,
            points=pts,
        ))
    out.sort(key=lambda s: (-len(s.points), s.points[-1].date or "", s.id))
    return out


def _place(analysis: Analysis, fig: Figure) -> tuple[str | None, str | None]:
    """(ISO alpha-3, name) of the place a count is for."""
    iso3 = lexicon().iso3
    sentence = sentence_of(analysis, fig.start, fig.end)
    nearest: tuple[int, Place] | None = None
    for p in analysis.places:
        for m in p.mentions:
            if sentence.start <= m.start and m.end <= sentence.end and p.country:
                # A territory or country names what a running count covers ("in Gaza"); a
                # town in the sentence ranks after it.
                rank = (0 if not is_town(p.kind, p.id) else 1, abs(m.start - fig.start))
                if nearest is None or rank < nearest[0]:
                    nearest = (rank, p)
    if nearest is not None:
        p = nearest[1]
        return iso3.get(p.country, p.country), p.name
    event = next((e for e in analysis.events if e.id == fig.event), None)
    place = next((p for p in analysis.places if event and p.id == event.place), None)
    if place is not None and place.country:
        return iso3.get(place.country, place.country), place.name
    countries = Counter()
    for p in analysis.places:
        if p.country:
            countries[p.country] += len(p.mentions)
    if countries:
        code = countries.most_common(1)[0][0]
        name = next((p.name for p in analysis.places if p.country == code and not is_town(
            p.kind, p.id)), None)
        return iso3.get(code, code), name
    return None, None
