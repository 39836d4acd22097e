"""Fuzzing the readers: junk of every kind around good records, in every format. Nothing
raises, every good record is kept, and nothing is dropped without a word.

The same generators run at scale in bench/fuzz.py (docs/performance.md)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import fuzz

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@pytest.fixture(scope="module")
def pages():
    served: dict = {}
    server, base = fuzz.serve_pages(served)
    yield served, base
    server.shutdown()


@pytest.mark.slow
def test_a_generated_corpus_of_every_format_keeps_every_good_record(tmp_path, pages):
    from triangulate.ingest.runner import ingest
    from triangulate.store import Store

    served, base = pages
    corpus = fuzz.make_corpus(tmp_path / "corpus", 36, seed=16, base_url=base, scale=0.3)
    fuzz.issue_inputs(tmp_path / "issue", corpus, big=False)
    served.update(corpus.pages)
    with Store(tmp_path / "fuzz.duckdb") as store:
        report = ingest(store, corpus.inputs, url_files=corpus.url_files, allow_private=True)
        texts = [t for _, t in store.article_texts()]
    found = fuzz.account(corpus, iter(texts), [(s.source, s.reason) for s in report.skipped])
    assert not found.silent, [g.where for g in found.silent]
    assert not found.reported, found.reported
    assert len(found.kept) == len(corpus.good) > 60
    assert set(corpus.formats.values()) == set(fuzz.FORMATS)


_LINE = st.one_of(
    st.text(max_size=300),
    st.builds(json.dumps, st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                                       lambda inner: st.lists(inner) | st.dictionaries(
                                           st.text(max_size=8), inner), max_leaves=20)),
    st.sampled_from(["[]", "{}", "[" * 3000, '{"text": "\\ud800"}', "\x00", "\ufeff"]),
)


@FUZZ
@given(junk=st.lists(_LINE, max_size=8), where=st.lists(st.integers(0, 8), min_size=1,
                                                        max_size=3))
def test_jsonl_junk_lines_never_hide_a_good_line(tmp_path, junk, where):
    m = fuzz.Maker(len(junk))
    lines = [line.replace("\n", " ").replace("\r", " ") for line in junk]
    markers = []
    for k in sorted(set(where), reverse=True):
        markers.append(m.marker())
        lines.insert(min(k, len(lines)), json.dumps({"text": m.good_text(markers[-1])}))
    path = tmp_path / "wire.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    kept, _ = fuzz.read_all([str(path)])
    text = " ".join(a.text for a in kept)
    assert all(marker in text for marker in markers)


@FUZZ
@given(data=st.binary(max_size=3000),
       suffix=st.sampled_from([".txt", ".html", ".json", ".jsonl", ".csv", ".tsv", ".warc",
                               ".warc.gz", ".rss", ".xml", ""]))
def test_any_bytes_in_any_format_are_read_or_reported(tmp_path, data, suffix):
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    kept, skipped = fuzz.read_all([str(path)])
    for item in skipped:
        assert item.reason and item.source.startswith(str(path))


@FUZZ
@given(rows=st.lists(st.lists(st.text(max_size=40), min_size=0, max_size=4), max_size=8))
def test_csv_junk_rows_never_hide_a_good_row(tmp_path, rows):
    m = fuzz.Maker(len(rows))
    marker = m.marker()
    body = ["id,text"] + [",".join(r) for r in rows]
    body.insert(1 + len(body) // 2, f'good,"{m.good_text(marker)}"')
    path = tmp_path / "t.csv"
    path.write_bytes("\n".join(body).encode("utf-8", "surrogatepass"))
    kept, _ = fuzz.read_all([str(path)])
    assert any(marker in a.text for a in kept)
