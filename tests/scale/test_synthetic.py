"""The benchmark corpus generator is deterministic, prefix-stable and news-shaped."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def synthetic():
    spec = importlib.util.spec_from_file_location("synthetic", BENCH / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["synthetic"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(synthetic):
    return list(synthetic.articles(300))


def test_a_smaller_corpus_is_the_beginning_of_a_larger_one(synthetic, corpus):
    assert list(synthetic.articles(120)) == corpus[:120]


def test_articles_run_from_about_400_to_900_words(corpus):
    words = [len(r["text"].split()) for r in corpus]
    assert min(words) >= 400
    assert max(words) <= 1000
    assert 550 <= sum(words) / len(words) <= 750


def test_ids_and_urls_are_unique(corpus):
    assert len({r["id"] for r in corpus}) == len(corpus)
    assert len({r["url"] for r in corpus}) == len(corpus)


def test_articles_come_from_many_outlets(corpus):
    assert len({r["outlet"] for r in corpus}) > 150


def test_articles_carry_quotes_figures_and_dates(corpus):
    text = "\n".join(r["text"] for r in corpus)
    assert text.count('"') > 2 * len(corpus)
    assert sum(ch.isdigit() for ch in text) > 10 * len(corpus)
    assert all(r["published"][:2] == "20" for r in corpus)


def test_some_articles_are_syndicated_copies(corpus):
    paragraphs = {}
    copies = 0
    for r in corpus:
        lead = r["text"].split("\n\n")[0]
        copies += lead in paragraphs and paragraphs[lead] != r["outlet"]
        paragraphs.setdefault(lead, r["outlet"])
    assert 3 <= copies <= 40
