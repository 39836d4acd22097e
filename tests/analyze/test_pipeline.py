"""The pipeline loads the language model once per process, however many articles it reads."""

from __future__ import annotations

import itertools

import spacy

from tests.conftest import SAMPLE_DIR
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
