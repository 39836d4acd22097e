"""The pipeline loads the language model once per process, however many articles it reads."""

from __future__ import annotations

import itertools

import pytest
import spacy

from tests.conftest import POISON, SAMPLE_DIR
from triangulate.analyze import nlp
from triangulate.analyze.pipeline import analyze_articles
from triangulate.ingest.normalize import article_from_fields


def _sample_texts() -> list[str]:
    import json

    path = SAMPLE_DIR / "articles.jsonl"
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_many_articles_cost_one_model_load(monkeypatch):
    loads = []
    real_load = spacy.load
    monkeypatch.setattr(spacy, "load", lambda *a, **k: loads.append(a) or real_load(*a, **k))
    nlp.load.cache_clear()
    try:
        texts = itertools.islice(itertools.cycle(_sample_texts()), 60)
        articles = (article_from_fields(t, source="t", id=f"a{i}") for i, t in enumerate(texts))
        analysed = sum(1 for _ in analyze_articles(articles))
        import triangulate

        triangulate.analyze(_sample_texts()[0])
        triangulate.analyze(_sample_texts()[1])
    finally:
        nlp.load.cache_clear()
    assert analysed == 60
    assert len(loads) == 1



def test_texts_of_one_two_or_three_tokens_are_analysed(analyze):
    # The technique tagger smooths over a window wider than such texts; it once raised on
    # them, and one such article then failed every later run over the store.
    for text in ("Troops advanced", "Gaza war", "Ceasefire", ".", "Shelling resumed today"):
        record = analyze(text)
        assert record.text == text
        assert all(text[t.start:t.end] == t.text for t in record.framing.techniques)


# ---- one article's failure costs that article only (issue 16)

STRIKE = "Rebels shelled the market in Goma on Monday, killing 12 people, officials said."


def _articles(*texts: str):
    return [article_from_fields(t, source="t", id=f"a{i}") for i, t in enumerate(texts)]


def test_a_stage_that_raises_fails_that_article_and_the_others_are_analysed(poison):
    results = list(analyze_articles(_articles(STRIKE, f"{POISON} {STRIKE}", STRIKE)))
    assert [type(r).__name__ for r in results] == ["Analysis", "AnalysisFailure", "Analysis"]
    failure = results[1]
    assert failure.id == "a1" and failure.reason == "error"
    assert "ValueError: operands could not be broadcast" in failure.detail
    assert results[2].events, "the article after the failure is analysed in full"


def test_an_article_over_its_time_budget_fails_as_a_timeout(monkeypatch):
    from triangulate import settings
    from triangulate.analyze import figures

    real = figures.find_figures

    def slow(doc):
        while POISON in doc.text:
            pass
        return real(doc)

    monkeypatch.setattr(figures, "find_figures", slow)
    monkeypatch.setattr(settings, "ANALYSIS_BUDGET_SECONDS", 0.5)
    monkeypatch.setattr(settings, "ANALYSIS_BUDGET_SECONDS_PER_KB", 0.0)
    results = list(analyze_articles(_articles(f"{POISON} {STRIKE}", STRIKE)))
    assert results[0].reason == "timeout" and "time budget" in results[0].detail
    assert results[1].figures and results[1].figures[0].value == 12


def test_the_api_says_why_one_text_could_not_be_analysed(poison, analyze):
    from triangulate.analyze.pipeline import AnalysisError

    with pytest.raises(AnalysisError, match="error: ValueError"):
        analyze(f"{POISON} {STRIKE}")


def test_a_publication_date_at_the_end_of_the_calendar_anchors_nothing(analyze):
    # "next week" from 9999-12-31 overflowed Python's dates and raised OverflowError.
    record = analyze("On Monday officials said talks resume next week, a year after the "
                     "last round.", published="9999-12-31")
    assert record.published == "9999-12-31"
    assert record.times and all(t.value is None for t in record.times if t.anchor)
    assert {t.text for t in record.times} >= {"Monday", "next week"}


def test_a_text_longer_than_the_model_takes_is_analysed_in_parts(monkeypatch, analyze):
    # A 1,048,576-character text reached spaCy's max_length error; here the model's limit
    # and the part size are made small so the same path runs on a short text.
    from triangulate import settings

    model = nlp.load()
    monkeypatch.setattr(model, "max_length", 3_000)
    monkeypatch.setattr(settings, "PARSE_PART_CHARS", 2_000)
    text = "\n\n".join(STRIKE.replace("Goma", f"Goma {k}") for k in range(60))
    assert len(text) > 5_000
    record = analyze(text, published="2024-03-04")
    assert len(record.figures) == 60 and record.events
    for figure in record.figures:
        assert text[figure.start:figure.end] == figure.text
    for claim in record.claims:
        assert text[claim.content.start:claim.content.end] == claim.content.text
