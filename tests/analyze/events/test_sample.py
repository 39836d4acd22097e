"""Every event of every sample article: no weapon, vehicle or body part fills a role, and the
new evidence (role readings, date spans) cites the text."""

from __future__ import annotations

from triangulate.analyze.events.instruments import names_instrument


def test_no_event_in_the_sample_corpus_has_an_instrument_as_actor_or_target(sample_analyses):
    checked = 0
    for a in sample_analyses:
        actors = {x.id: x for x in a.actors}
        for e in a.events:
            for role in (e.actor, e.target):
                if role is not None:
                    assert not names_instrument(actors[role]), (a.id, e.trigger, role)
                    checked += 1
    assert checked > 200  # the corpus's events do fill their roles


def test_readings_and_dates_cite_the_text_they_come_from(sample_analyses):
    for a in sample_analyses:
        actors = {x.id for x in a.actors}
        for e in a.events:
            for r in e.role_readings:
                assert a.text[r.evidence.start:r.evidence.end] == r.evidence.text
                assert r.actor in actors and (r.claimant is None or r.claimant in actors)
            assert (e.date is None) == (e.date_source is None), (a.id, e.id)
            if e.date_span is not None:
                assert a.text[e.date_span.start:e.date_span.end] == e.date_span.text
