"""The analysed-article record honours its contract on every sample article.

Every item of every layer carries offsets with text[start:end] equal to its cited text, every
enumerated field takes an allowed value, and every cross-reference (speaker, actor, figure,
claim, event, place) points at an item that exists in the same record.
"""

from __future__ import annotations

import json
import re

import pytest

from triangulate.model import CLAIM_STANCES, ISSUES, PLOVER_TYPES, STANCES, TECHNIQUES, to_dict

TIMEX_VALUE = re.compile(
    r"^(\d{4}(-\d{2}(-\d{2}(T[\w:.]+)?)?|-W\d{2}(-WE)?|-Q[1-4]|-(SP|SU|FA|WI|H[12]))?"
    r"|\d{1,3}X*|\d{4}-\d{2}-\d{2}T(MO|AF|EV|NI|DT)|PRESENT_REF|PAST_REF|FUTURE_REF"
    r"|P(\d+(\.\d+)?[YMWDX]|T\d+(\.\d+)?[HMS]|X+[YMWDHS]|T?X+[HMS]?)+|P[\dX]+[YMWDHS].*"
    r"|XXXX(-[\dX]{2}){0,2}(-W\d{2})?.*|T\d{2}(:\d{2})?|T(MO|AF|EV|NI))$"
)


def _check_span(text: str, start: int, end: int, cited: str, where: str) -> None:
    assert isinstance(start, int) and isinstance(end, int), where
    assert 0 <= start < end <= len(text), f"{where}: bad offsets {start}:{end}"
    assert text[start:end] == cited, f"{where}: {text[start:end]!r} != {cited!r}"


def test_the_sample_corpus_is_analysed(sample_analyses):
    assert len(sample_analyses) >= 24
    assert len({a.outlet for a in sample_analyses}) >= 6


def test_records_are_json_with_the_contract_fields(sample_analyses):
    required = ["id", "url", "outlet", "title", "author", "published", "language", "text",
                "genre", "actors", "places", "times", "figures", "claims", "quotes", "events",
                "framing"]
    for analysis in sample_analyses:
        record = json.loads(json.dumps(to_dict(analysis)))
        assert list(record)[: len(required)] == required
        assert record["genre"]["label"] in {"news", "opinion", "analysis", "other"}
        assert 0.0 <= record["genre"]["score"] <= 1.0
        assert -100.0 <= record["framing"]["tone"] <= 100.0


@pytest.mark.parametrize("layer", ["actors", "places"])
def test_every_mention_cites_its_text(sample_analyses, layer):
    for a in sample_analyses:
        ids = [item.id for item in getattr(a, layer)]
        assert len(ids) == len(set(ids)), f"{a.id}: duplicate {layer} ids"
        for item in getattr(a, layer):
            assert item.mentions, f"{a.id}: {layer} {item.id} has no mention"
            for m in item.mentions:
                _check_span(a.text, m.start, m.end, m.text, f"{a.id} {layer} {item.id}")


def test_actors_have_kind_and_country_codes(sample_analyses):
    for a in sample_analyses:
        for actor in a.actors:
            assert actor.name and actor.kind, actor
            assert actor.country is None or re.fullmatch(r"[A-Z]{3}", actor.country), actor


def test_places_have_coordinates_and_country_codes(sample_analyses):
    for a in sample_analyses:
        for place in a.places:
            if place.lat is not None:
                assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180, place
            assert place.country is None or re.fullmatch(r"[A-Z]{2}", place.country), place


def test_times_cite_their_text_and_use_timex_values(sample_analyses):
    for a in sample_analyses:
        for t in a.times:
            _check_span(a.text, t.start, t.end, t.text, f"{a.id} time")
            assert t.type in {"date", "time", "duration", "set"}
            if t.value is not None:
                assert TIMEX_VALUE.match(t.value), f"{a.id}: {t.text!r} -> {t.value!r}"


def test_figures_cite_their_text_and_carry_a_value(sample_analyses):
    for a in sample_analyses:
        for f in a.figures:
            _check_span(a.text, f.start, f.end, f.text, f"{a.id} figure {f.id}")
            assert isinstance(f.value, int | float)
            if f.low is not None and f.high is not None:
                assert f.low <= f.high
            if f.number is not None:
                _check_span(a.text, f.number.start, f.number.end, f.number.text, f"{a.id} {f.id}")
                assert f.start <= f.number.start and f.number.end <= f.end


def test_claims_and_quotes_point_at_known_speakers_and_figures(sample_analyses):
    for a in sample_analyses:
        actor_ids = {x.id for x in a.actors}
        figure_ids = {f.id for f in a.figures}
        event_ids = {e.id for e in a.events}
        for c in a.claims:
            _check_span(a.text, c.content.start, c.content.end, c.content.text, f"{a.id} {c.id}")
            assert c.start <= c.content.start and c.content.end <= c.end
            assert c.stance in CLAIM_STANCES
            assert c.speaker is None or c.speaker in actor_ids, f"{a.id} {c.id}: {c.speaker}"
            assert set(c.figures) <= figure_ids
            assert c.event is None or c.event in event_ids
            if c.speaker_span:
                _check_span(a.text, c.speaker_span.start, c.speaker_span.end,
                            c.speaker_span.text, f"{a.id} {c.id} speaker")
        for q in a.quotes:
            _check_span(a.text, q.start, q.end, q.text, f"{a.id} {q.id}")
            assert q.speaker is None or q.speaker in actor_ids, f"{a.id} {q.id}: {q.speaker}"


def test_events_use_plover_and_point_at_known_items(sample_analyses):
    for a in sample_analyses:
        actor_ids = {x.id for x in a.actors}
        place_ids = {p.id for p in a.places}
        figure_ids = {f.id for f in a.figures}
        claim_ids = {c.id for c in a.claims}
        for e in a.events:
            assert e.type in PLOVER_TYPES
            _check_span(a.text, e.evidence.start, e.evidence.end, e.evidence.text,
                        f"{a.id} {e.id}")
            assert e.actor is None or e.actor in actor_ids
            assert e.target is None or e.target in actor_ids
            assert e.place is None or e.place in place_ids
            assert set(e.figures) <= figure_ids and set(e.claims) <= claim_ids
            assert e.date is None or TIMEX_VALUE.match(e.date)
            assert e.date_precision in {None, "day", "week", "month", "quarter", "season",
                                        "year", "decade", "century"}
            if e.trigger_span:
                _check_span(a.text, e.trigger_span.start, e.trigger_span.end,
                            e.trigger_span.text, f"{a.id} {e.id} trigger")


def test_framing_techniques_cite_their_text(sample_analyses):
    for a in sample_analyses:
        actor_ids = {x.id for x in a.actors}
        for t in a.framing.techniques:
            assert t.technique in TECHNIQUES
            _check_span(a.text, t.start, t.end, t.text, f"{a.id} technique")
            assert t.speaker is None or t.speaker in actor_ids
        for s in a.framing.actor_stance:
            assert s.actor in actor_ids and s.stance in {"positive", "negative", "neutral"}
            for m in s.evidence:
                _check_span(a.text, m.start, m.end, m.text, f"{a.id} stance {s.actor}")


def test_positions_cite_their_text_and_point_at_known_items(sample_analyses):
    found = 0
    for a in sample_analyses:
        actor_ids = {x.id for x in a.actors}
        event_ids = {e.id for e in a.events}
        ids = [p.id for p in a.positions]
        assert len(ids) == len(set(ids)), f"{a.id}: duplicate position ids"
        for p in a.positions:
            found += 1
            assert p.issue in ISSUES and p.stance in STANCES, p
            _check_span(a.text, p.evidence.start, p.evidence.end, p.evidence.text,
                        f"{a.id} position {p.id}")
            if p.cue is not None:
                _check_span(a.text, p.cue.start, p.cue.end, p.cue.text, f"{a.id} {p.id} cue")
            for c in p.conditions:
                assert c.issue in ISSUES
                _check_span(a.text, c.evidence.start, c.evidence.end, c.evidence.text,
                            f"{a.id} {p.id} condition")
            assert p.actor is None or p.actor in actor_ids, f"{a.id} {p.id}: {p.actor}"
            assert p.claimant is None or p.claimant in actor_ids, f"{a.id} {p.id}: {p.claimant}"
            assert p.event is None or p.event in event_ids
            assert p.condition_of is None or p.condition_of in ids
            assert p.date is None or TIMEX_VALUE.match(p.date)
    assert found, "the sample corpus states negotiation positions"


def test_analysis_is_deterministic(sample_analyses):
    import triangulate

    first = sample_analyses[0]
    again = triangulate.analyze(first.text, published=first.published, outlet=first.outlet,
                                url=first.url, id=first.id, title=first.title,
                                author=first.author)
    assert to_dict(again) | {"model": None} == to_dict(first) | {"model": None}
