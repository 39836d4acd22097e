"""Hostile input found by fuzzing (issue 16): each reader reports what it cannot use, with
where and why, and keeps every good record around it."""

from __future__ import annotations

import gzip
import json
import os

from tests.ingest.helpers import rows
from triangulate.ingest.normalize import path_from_text, path_text

GOOD = ("Shelling damaged the water plant in Ostrava Nova overnight, the town council said. "
        "Engineers hope to restore supply within three days.")
OTHER = ("Aid trucks reached the northern villages on Thursday after the road reopened, "
         "the relief agency said.")


def _texts(store) -> list[str]:
    return [r[0] for r in rows(store, "SELECT text FROM articles ORDER BY text")]


def _skips(report) -> dict[str, str]:
    return {s.source.rsplit("/", 1)[-1]: s.reason for s in report.skipped}


# ---- file names and ids


def test_a_file_name_that_is_not_utf8_is_stored_losslessly(tmp_path, run, store):
    name = os.fsdecode(b"bad\xff.txt")  # was: DuckDB InvalidInputException
    (tmp_path / name).write_text(GOOD)
    assert run(tmp_path / name).ingested == 1
    source, article_id = rows(store, "SELECT source, id FROM articles")[0]
    assert source.endswith("bad\\xff.txt") and article_id == "bad\\xff"
    assert os.fsencode(path_from_text(source)) == os.fsencode(str(tmp_path / name))
    assert run(tmp_path / name).already_stored == 1  # the same input again changes nothing


def test_paths_written_as_text_never_collide():
    odd = os.fsdecode(b"r\xe9sum\xe9.txt")
    texts = {path_text(p) for p in ("résumé.txt", odd, "a\\xe9.txt", "a\\\\b.txt")}
    assert len(texts) == 4 and path_text("plain/name.txt") == "plain/name.txt"


# ---- JSON and JSON Lines


def test_json_lines_are_read_line_by_line_whatever_the_first_line_holds(tmp_path, run, store):
    # '[]' on the first line made the file read as one JSON array; the rest was dropped.
    path = tmp_path / "wire.jsonl"
    path.write_text("[]\n" + json.dumps({"text": GOOD}) + "\n" + json.dumps({"text": OTHER}))
    report = run(path)
    assert report.ingested == 2 and _skips(report) == {"wire.jsonl:1": "empty"}


def test_a_line_holding_an_array_of_records_gives_each_record(tmp_path, run):
    (tmp_path / "wire.jsonl").write_text(json.dumps([{"text": GOOD}, {"text": OTHER}]) + "\n")
    assert run(tmp_path / "wire.jsonl").ingested == 2


def test_deeply_nested_json_is_reported_and_the_other_lines_kept(tmp_path, run):
    # '[' * 100000 raised RecursionError out of the JSON decoder.
    (tmp_path / "deep.jsonl").write_text("[" * 100_000 + "\n" + json.dumps({"text": GOOD}) + "\n")
    (tmp_path / "deep.json").write_text("[" * 100_000)
    report = run(tmp_path / "deep.jsonl", tmp_path / "deep.json")
    assert report.ingested == 1
    assert {s.reason for s in report.skipped} == {"malformed-json"}
    assert all("nested too deeply" in s.detail for s in report.skipped)


def test_a_lone_surrogate_escape_becomes_a_replacement_character(tmp_path, run, store):
    # '\ud800' in a JSON string raised UnicodeEncodeError when the text was hashed.
    line = '{"text": "Officials said \\ud800 the water plant was damaged overnight."}'
    (tmp_path / "s.jsonl").write_text(line + "\n" + json.dumps({"text": GOOD}) + "\n")
    assert run(tmp_path / "s.jsonl").ingested == 2
    assert "Officials said \ufffd the water plant" in "".join(_texts(store))


def test_an_integer_too_long_to_read_costs_its_line_only(tmp_path, run):
    (tmp_path / "n.jsonl").write_text('{"id": 1' + "0" * 5000 + ', "text": "x"}\n'
                                      + json.dumps({"text": GOOD}) + "\n")
    report = run(tmp_path / "n.jsonl")
    assert report.ingested == 1 and _skips(report) == {"n.jsonl:1": "malformed-json"}


def test_a_nul_byte_costs_its_jsonl_line_only(tmp_path, run):
    # One NUL rejected the whole file as binary, every good line with it.
    data = (json.dumps({"text": GOOD}) + '\n{"text": "a\x00b"}\n' + json.dumps({"text": OTHER}))
    (tmp_path / "nul.jsonl").write_bytes(data.encode())
    report = run(tmp_path / "nul.jsonl")
    assert report.ingested == 2 and _skips(report) == {"nul.jsonl:2": "binary"}


def test_a_pretty_printed_array_resumes_after_a_broken_record(tmp_path, run):
    text = ('[\n  {"text": "' + GOOD + '"},\n  {"text": "broken\n  },\n  {"text": "' + OTHER
            + '"}\n]\n' + json.dumps({"text": GOOD + " Later update."}))
    (tmp_path / "dump.json").write_text(text)
    report = run(tmp_path / "dump.json")
    assert report.ingested == 3  # the broken record's two lines are reported, one each
    assert _skips(report) == {"dump.json:3#2": "malformed-json", "dump.json:4#2": "malformed-json"}


# ---- CSV


def test_a_nul_byte_costs_its_csv_line_only(tmp_path, run):
    data = f'id,text\na,"{GOOD}"\nb,bad\x00line\nc,"{OTHER}"\n'.encode()
    (tmp_path / "nul.csv").write_bytes(data)
    report = run(tmp_path / "nul.csv")
    assert report.ingested == 2 and _skips(report) == {"nul.csv:3": "binary"}


def test_a_quote_left_open_cannot_swallow_the_rows_after_it(tmp_path, run, store):
    data = f'id,text\na,"{GOOD}"\nb,"never closed\nc,"{OTHER}"\nd,"{GOOD} Again."\n'
    (tmp_path / "open.csv").write_text(data)
    report = run(tmp_path / "open.csv")
    assert sorted(r[0] for r in rows(store, "SELECT id FROM articles")) == ["a", "c", "d"]
    assert _skips(report) == {"open.csv:3": "malformed-csv"}


# ---- HTML


def test_an_svg_page_with_a_foreign_object_is_read(tmp_path, run):
    # lxml's cleaning raised AssertionError through htmldate on such a page.
    page = f"<svg><foreignObject><html><body><p>{GOOD}</p></body></html></foreignObject></svg>"
    (tmp_path / "figure.html").write_text(page)
    assert run(tmp_path / "figure.html").ingested == 1


def test_an_html_fragment_in_a_record_is_read_as_the_article(tmp_path, run):
    (tmp_path / "p.jsonl").write_text(json.dumps({"html": f"<p>{GOOD} {OTHER}</p>"}) + "\n")
    assert run(tmp_path / "p.jsonl").ingested == 1


def test_an_article_under_a_pile_of_unclosed_divs_is_kept(tmp_path, run, store):
    # libxml2 drops everything nested below 256 levels: the article was lost.
    page = (f"<html><body>{'<div>' * 3000}<article><p>{GOOD}</p><p>{OTHER}</p></article>"
            "</body></html>")
    (tmp_path / "deep.html").write_text(page)
    assert run(tmp_path / "deep.html").ingested == 1
    assert "Ostrava Nova" in _texts(store)[0]


# ---- WARC


def _record(uri: str, body: str) -> bytes:
    http = (f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
            f"{len(body.encode())}\r\n\r\n{body}").encode()
    return (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\n"
            f"Content-Length: {len(http)}\r\n\r\n").encode() + http + b"\r\n\r\n"


def _page(text: str) -> str:
    return f"<html><body><article><p>{text}</p></article></body></html>"


def test_a_truncated_warc_header_is_reported_and_the_next_record_read(tmp_path, run):
    # warcio raised AttributeError on it, and the whole crawl stopped.
    data = (b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 10"
            + _record("http://a.example/1", _page(GOOD)))
    (tmp_path / "cut.warc").write_bytes(data)
    report = run(tmp_path / "cut.warc")
    assert report.ingested == 1 and [s.reason for s in report.skipped] == ["malformed-warc"]


def test_a_record_whose_length_runs_into_the_next_loses_nothing_after_it(tmp_path, run):
    data = (b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nshort"
            + _record("http://a.example/1", _page(GOOD)) + _record("http://a.example/2",
                                                                    _page(OTHER)))
    (tmp_path / "long.warc").write_bytes(data)
    report = run(tmp_path / "long.warc")
    assert report.ingested == 2 and [s.reason for s in report.skipped] == ["malformed-warc"]


def test_a_gzip_member_cut_short_loses_nothing_after_it(tmp_path, run):
    cut = gzip.compress(_record("http://a.example/0", _page("x " * 500)))[:80]
    data = (gzip.compress(_record("http://a.example/1", _page(GOOD))) + cut
            + gzip.compress(_record("http://a.example/2", _page(OTHER))))
    (tmp_path / "cut.warc.gz").write_bytes(data)
    report = run(tmp_path / "cut.warc.gz")
    assert report.ingested == 2 and {s.reason for s in report.skipped} == {"malformed-warc"}


def test_gzip_members_after_a_plain_record_are_read_as_gzip(tmp_path, run, store):
    # Found by bench/fuzz.py: warcio tells plain from gzip once, at its first record, so
    # after a broken member the reader resynced to a plain record, and the members after it
    # were read as plain bytes and lost without a word.
    third = "The ferry resumed its crossings on Sunday, the port authority said."
    image = (b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 300\r\n\r\n"
             + b"\x00" * 300)
    plain = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://a.example/img\r\n"
             + f"Content-Length: {len(image)}\r\n\r\n".encode() + image + b"\r\n\r\n")
    data = (gzip.compress(_record("http://a.example/1", _page(GOOD)))
            + gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n"
                            b"\r\nshort") + plain
            + gzip.compress(_record("http://a.example/2", _page(OTHER)))
            + gzip.compress(_record("http://a.example/3", _page(third))))
    (tmp_path / "mixed.warc.gz").write_bytes(data)
    report = run(tmp_path / "mixed.warc.gz")
    assert report.ingested == 3, report.skipped
    assert _texts(store) == sorted([GOOD, OTHER, third])
    # The cut member only: the gzip member after the plain record is read, not first
    # misread as plain bytes (some such bytes parse as a record and hide what follows).
    assert [s.source.rsplit("@")[0] for s in report.skipped] == [str(tmp_path / "mixed.warc.gz")]


def test_a_plain_record_after_gzip_members_is_read(tmp_path, run):
    data = (gzip.compress(_record("http://a.example/1", _page(GOOD)))
            + _record("http://a.example/2", _page(OTHER)))
    (tmp_path / "mixed.warc.gz").write_bytes(data)
    report = run(tmp_path / "mixed.warc.gz")
    assert report.ingested == 2 and report.skipped == []
