"""The data-file readers: comments and blank lines never reach a stage."""

from __future__ import annotations

import pytest

from triangulate import datafiles


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setattr(datafiles, "DATA", tmp_path)
    (tmp_path / "demo").mkdir()

    def write(name: str, text: str) -> None:
        (tmp_path / "demo" / name).write_text(text, encoding="utf-8")

    return write


def test_comment_and_blank_lines_are_skipped(data):
    data("t.txt", "# what this holds\n\nfirst\n  # indented comment\nsecond \n")
    assert datafiles.lines("demo", "t.txt") == ["first", "second "]


def test_rows_keep_cells_as_written_unless_asked_to_strip(data):
    data("t.tsv", "# comment\nword\tprefix \n")
    assert datafiles.rows("demo", "t.tsv") == [["word", "prefix "]]
    assert datafiles.rows("demo", "t.tsv", strip=True) == [["word", "prefix"]]


def test_a_header_row_after_the_comments_is_skipped(data):
    data("t.tsv", "# comment\nid\tname\nus\tUnited States\n")
    assert datafiles.rows("demo", "t.tsv", header=True) == [["us", "United States"]]


def test_word_lists_are_sets_of_trimmed_lines(data):
    data("w.txt", "# words\nalpha\n beta\nalpha\n")
    assert datafiles.words("demo", "w.txt") == frozenset({"alpha", "beta"})


def test_json_lines_skip_comments(data):
    data("r.jsonl", '# records\n{"id": 1}\n\n{"id": 2}\n')
    assert datafiles.jsonl("demo", "r.jsonl") == [{"id": 1}, {"id": 2}]
    data("d.json", '{"a": [1, 2]}')
    assert datafiles.load_json("demo", "d.json") == {"a": [1, 2]}


def test_every_shipped_table_is_readable():
    for table in datafiles.DATA.rglob("*.tsv"):
        assert datafiles.rows(*table.relative_to(datafiles.DATA).parts), table
