"""Linking fixtures: the sample corpus and small article sets through the real pipeline."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_DIR

GOLD = SAMPLE_DIR / "stories.gold.jsonl"


@dataclass
class Linked:
    db: Path
    result: object  # LinkResult of the last link
    first: object | None = None  # LinkResult after the first batch (grown-corpus fixture)


def build(db: Path, batches: list[list[str]]) -> Linked:
    """Ingest each batch of inputs in turn, analysing and linking after each one, as a
    user running `triangulate run` on a growing corpus does."""
    from triangulate.ingest.runner import ingest
    from triangulate.jobs import analyse_pending, link_all
    from triangulate.store import Store

    results = []
    with Store(db) as store:
        for inputs in batches:
            ingest(store, inputs)
            analyse_pending(store)
            results.append(link_all(store))
    return Linked(db, results[-1], results[0] if len(results) > 1 else None)


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> Linked:
    """The sample corpus, linked twice: its JSONL articles first, then the whole folder
    (the HTML and text files are new; ids are paths relative to the folder, as the gold
    has them), so story ids can be checked across a grown corpus."""
    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    return build(db, [[str(SAMPLE_DIR / "articles.jsonl")], [str(SAMPLE_DIR)]])


@pytest.fixture(scope="session")
def gold() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="session")
def link_texts(tmp_path_factory):
    """link_texts([{id, outlet, published, text}, ...]) -> Linked, through the real pipeline."""
    def run(articles: list[dict]) -> Linked:
        folder = tmp_path_factory.mktemp("texts")
        path = folder / "articles.jsonl"
        path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
        return build(folder / "t.duckdb", [[str(path)]])

    return run
