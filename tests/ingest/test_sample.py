"""The bundled sample corpus ingests cleanly, and twice gives the same counts."""

from __future__ import annotations

from pathlib import Path

from tests.ingest.helpers import counts, rows

SAMPLE = Path(__file__).resolve().parents[2] / "src" / "triangulate" / "data" / "sample"


def test_the_sample_corpus_ingests_cleanly_and_idempotently(run, store):
    first = run(SAMPLE)
    reasons = {Path(s.source.split(":")[0]).name: s.reason for s in first.skipped}
    assert reasons == {
        "README.md": "ignored", "annotations.md": "ignored", "stories.gold.jsonl": "ignored",
        "positions.gold.jsonl": "ignored", "events.gold.jsonl": "ignored",
        "articles.jsonl": "not-english",
    }
    before = counts(store)
    second = run(SAMPLE)
    assert counts(store) == before
    assert second.ingested == 0 and second.already_stored == first.ingested
    # The syndicated near-copies are found, and point at the wire originals.
    assert rows(store, "SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL "
                       "ORDER BY id") == [
        ("lt-2024-03-01-gaza-aid-convoy", "mw-2024-02-29-gaza-aid-convoy"),
        ("lt-2024-04-08-zanna-ambush", "mw-2024-04-07-zanna-ambush"),
        ("lt-2025-01-16-gaza-truce-agreed", "mw-2025-01-15-gaza-truce-agreed"),
    ]
    # Ids follow the gold file's convention: paths relative to the corpus directory.
    ids = {r[0] for r in rows(store, "SELECT id FROM articles")}
    assert {"html/ledger-khan-younis-zanna", "text/crossline-nuseirat-statement"} <= ids
    # Plain-text statements get their date from the dateline.
    dated = rows(store, "SELECT count(*) FROM articles WHERE id LIKE 'text/%' AND published IS NULL")
    assert dated == [(0,)]
