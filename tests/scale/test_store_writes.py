"""The store's bulk paths: batched analysis writes, paged article reads, Parquet loads."""

from __future__ import annotations

import duckdb
import pytest

from triangulate.ingest.normalize import article_from_fields
from triangulate.model import Actor, Analysis, Figure, Framing, Genre, Mention, Place, Technique
from triangulate.store import LAYER_TABLES, Store

TEXTS = [
    "Rebels shelled Goma on Monday, killing 12 people, officials said.",
    "The army said it had retaken Sake after two days of fighting.",
    "Aid agencies said 300 families had fled Bunia since Friday.",
]


def _analysis(article_id: str, text: str, figure_value: object = 12) -> Analysis:
    rebels = Actor("rebels", "Rebels", "armed_group", None, [Mention(0, 6, "Rebels")])
    place = Place("geonames:1", "Goma", -1.68, 29.22, "CD", "city", [Mention(15, 19, "Goma")])
    figure = Figure("f1", 40, 42, "12", figure_value, what="killed", who="people")
    return Analysis(
        id=article_id, url=None, outlet="Test Wire", title=None, author=None,
        published="2024-04-07", language="en", text=text, genre=Genre("news", 0.7),
        actors=[rebels], places=[place], figures=[figure],
        framing=Framing(-1.0, [Technique("loaded_language", 7, 14, "shelled")]),
    )


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "t.duckdb") as s:
        s.add_articles([article_from_fields(t, source="t", id=f"a{k}", outlet="Test Wire")
                        for k, t in enumerate(TEXTS)])
        yield s


def _table(store: Store, table: str) -> list[tuple]:
    columns = "* EXCLUDE (analyzed_at)" if table == "analyses" else "*"
    return sorted(store.con.execute(f"SELECT {columns} FROM {table}").fetchall(), key=repr)


def test_analysing_an_article_again_replaces_its_layer_rows(store):
    store.save_analyses([_analysis("a0", TEXTS[0])])
    store.save_analyses([_analysis("a0", TEXTS[0]), _analysis("a1", TEXTS[1])])
    assert store.con.execute("SELECT count(*) FROM places").fetchone()[0] == 2
    assert store.con.execute("SELECT count(*) FROM mentions").fetchone()[0] == 4


def test_a_figure_value_of_another_type_is_cast_as_a_parameter_insert_would(store):
    store.save_analyses([_analysis("a0", TEXTS[0], figure_value="12")])
    assert store.con.execute("SELECT value FROM figures").fetchone()[0] == 12.0


def test_articles_are_read_page_by_page_in_ingest_order(store, monkeypatch):
    import triangulate.store as store_module

    monkeypatch.setattr(store_module, "ARTICLE_PAGE", 2)
    assert [a.id for a in store.articles()] == ["a0", "a1", "a2"]


def test_unanalysed_articles_stream_while_analyses_are_written(store, monkeypatch):
    import triangulate.store as store_module

    monkeypatch.setattr(store_module, "ARTICLE_PAGE", 1)
    seen = []
    for article in store.articles(unanalysed_only=True):
        seen.append(article.id)
        store.save_analyses([_analysis(article.id, article.text)])
    assert seen == ["a0", "a1", "a2"]
    assert list(store.articles(unanalysed_only=True)) == []


def test_the_memory_cap_holds_only_inside_bounded_cache(store):
    def limit() -> str:
        return store.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]

    before = limit()
    with store.bounded_cache("200MB"):
        assert limit() != before
    assert limit() == before


def test_an_in_memory_store_is_never_capped():
    with Store(":memory:") as memory:
        before = memory.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        with memory.bounded_cache("200MB"):
            after = memory.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        assert after == before


def test_a_batch_over_the_memory_cap_is_written_again_without_it(store, monkeypatch):
    real = Store._write_analysis_rows
    calls = []

    def once_out_of_memory(self, *args):
        calls.append(1)
        if len(calls) == 1:
            raise duckdb.OutOfMemoryException("cap reached")
        return real(self, *args)

    monkeypatch.setattr(Store, "_write_analysis_rows", once_out_of_memory)
    with store.bounded_cache("200MB"):
        store.save_analyses([_analysis("a0", TEXTS[0])])
    assert len(calls) == 2
    assert store.con.execute("SELECT count(*) FROM analyses").fetchone()[0] == 1


def test_analyses_loaded_from_parquet_equal_analyses_saved_directly(store, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from triangulate.store import ANALYSIS_COLUMNS, analysis_row

    analyses = [_analysis(f"a{k}", t) for k, t in enumerate(TEXTS)]
    rows = [analysis_row(a) for a in analyses]
    path = tmp_path / "analyses.parquet"
    pq.write_table(pa.table({c: [r[k] for r in rows] for k, c in enumerate(ANALYSIS_COLUMNS)}),
                   path)
    with Store(tmp_path / "direct.duckdb") as direct:
        direct.save_analyses(analyses)
        assert store.load_analyses_parquet(path) == 3
        for table in ("analyses", *LAYER_TABLES):
            assert _table(store, table) == _table(direct, table), table
