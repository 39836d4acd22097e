"""Genre: news, opinion, analysis or other, from transparent stylistic signals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triangulate.analyze import genre

WIRE = (
    "KHARKIV, Ukraine (Example Wire) \u2014 A missile struck a market in the city on Tuesday, "
    "killing at least six people, the regional governor said. Emergency services said 14 "
    "people were wounded. \"We are still searching the rubble,\" a rescuer told reporters. "
    "The defence ministry in Moscow did not comment. Police said the toll could rise."
)
COLUMN = (
    "We keep telling ourselves that this war will end on its own. It will not. How many more "
    "markets must burn before we admit it? I have watched this cruel farce for two years, and "
    "you should be as angry as I am. Our leaders must stop hiding behind empty words. We "
    "should demand that they act now, because shameful indifference is a choice."
)
APPEAL = (
    "Families in the camp need clean water today. Please donate now: your gift of 25 pounds "
    "buys a water filter. Join us and sign up to our newsletter. Support our work and share "
    "this appeal with your friends. Donate today."
)


@pytest.fixture(scope="module")
def classify(nlp):
    def run(text: str):
        import triangulate

        return triangulate.analyze(text).genre

    return run


def test_a_datelined_wire_report_with_attributions_is_news(classify):
    g = classify(WIRE)
    assert g.label == "news"
    assert g.signals["dateline"] == 1.0
    assert g.signals["said"] > 0


def test_an_argued_first_person_column_is_opinion(classify):
    g = classify(COLUMN)
    assert g.label == "opinion"
    assert g.signals["first_person"] > 0 and g.signals["prescriptive"] > 0
    assert g.signals["questions"] > 0


def test_a_donation_appeal_is_other(classify):
    assert classify(APPEAL).label == "other"


def test_the_score_is_the_probability_of_the_label(classify):
    g = classify(WIRE)
    assert 0.25 < g.score <= 1.0


def test_signals_skip_quoted_speech(nlp):
    from triangulate.analyze import techniques

    quoted = '"We must act now, and I mean now," the minister said on Monday.'
    doc = nlp(quoted)
    signals = genre.measure(doc, techniques.token_table(doc), [])
    assert signals["first_person"] == 0 and signals["prescriptive"] == 0


SIGNALS = list(genre.model().scales)


@given(st.dictionaries(st.sampled_from(SIGNALS), st.floats(0, 5, allow_nan=False)))
def test_decide_always_returns_a_label_and_a_probability(signals):
    g = genre.decide(signals)
    assert g.label in genre.LABELS
    assert 1 / len(genre.LABELS) - 1e-9 <= g.score <= 1.0


@given(st.dictionaries(st.sampled_from(SIGNALS), st.floats(0, 5, allow_nan=False)),
       st.floats(0, 1))
def test_a_dateline_never_makes_an_article_less_likely_news(signals, extra):
    def news_share(s):
        g = genre.decide(s)
        return g.score if g.label == "news" else None

    base = dict(signals, dateline=0.0)
    more = dict(signals, dateline=extra)
    before, after = news_share(base), news_share(more)
    if before is not None:
        assert after is not None and after >= before - 1e-9


@pytest.mark.slow
def test_sample_corpus_opinion_pieces_are_opinion_and_wire_reports_news(sample_analyses):
    by_id = {a.id: a.genre.label for a in sample_analyses}
    opinion = ["ps-2022-04-12-denial-script", "html/plainspoken-red-sea-deterrence",
               "html/levant-khan-younis-oped", "html/ledger-nuseirat-column",
               "lt-2025-04-20-sudan-editorial"]
    for article in opinion:
        assert by_id[article] == "opinion", article
    wire = [i for i in by_id if i.startswith("mw-")]
    assert len(wire) >= 10
    for article in wire:
        assert by_id[article] == "news", article
