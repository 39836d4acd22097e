"""Fixtures for ingest tests: a fresh store, and a helper that ingests into it."""

from __future__ import annotations

import pytest

from triangulate.ingest.runner import IngestReport, ingest
from triangulate.store import Store


@pytest.fixture
def store(tmp_path_factory):
    # Not in tmp_path: tests ingest tmp_path as a corpus directory.
    with Store(tmp_path_factory.mktemp("db") / "ingest.duckdb") as s:
        yield s


@pytest.fixture
def run(store):
    """run(*inputs, **options) -> IngestReport, into the test's store."""

    def _run(*inputs: object, **options) -> IngestReport:
        return ingest(store, [str(i) for i in inputs], **options)

    return _run
