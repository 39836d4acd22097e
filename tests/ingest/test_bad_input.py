"""Bad input gets a clear reason, and nothing else in the run is lost."""

from __future__ import annotations

import json
import os

import pytest

from tests.ingest.helpers import reasons, rows
from triangulate import settings

GOOD = (
    "Shelling damaged the water plant in Ostrava Nova overnight, the town council said. "
    "Engineers hope to restore supply within three days."
)


def _only(report):
    assert len(report.skipped) == 1, report.skipped
    return report.skipped[0]


def test_a_zip_file_named_txt_is_binary(tmp_path, run):
    (tmp_path / "notes.txt").write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00")
    skipped = _only(run(tmp_path / "notes.txt"))
    assert skipped.reason == "binary" and "ZIP" in skipped.detail


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG"),
        ("chart.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        ("page.html", b"<html>\x00\x01\x02\x00\x00binary junk", "NUL"),
    ],
)
def test_binary_files_are_recognised_by_magic_number_or_nul_bytes(tmp_path, run, name, data, kind):
    (tmp_path / name).write_bytes(data)
    skipped = _only(run(tmp_path / name))
    assert skipped.reason == "binary" and kind in skipped.detail


def test_an_empty_file_is_reported_as_empty(tmp_path, run):
    (tmp_path / "blank.txt").write_bytes(b"")
    (tmp_path / "spaces.txt").write_text("   \n\n  ")
    report = run(tmp_path)
    assert reasons(report.skipped) == {"blank.txt": "empty", "spaces.txt": "empty"}


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("cp1252", "The minister’s “ceasefire” plan — drafted in Genève — was rejected."),
        ("latin-1", "Officials in Zürich said the naïve plan to reopen the café had failed."),
        ("utf-16", "Strikes hit the port on Tuesday, officials said; “dozens” were hurt."),
        ("utf-8-sig", "Strikes hit the port on Tuesday – “dozens” were hurt."),
    ],
)
def test_non_utf8_text_is_decoded_correctly(tmp_path, run, store, encoding, text):
    (tmp_path / "statement.txt").write_bytes(text.encode(encoding))
    assert run(tmp_path / "statement.txt").ingested == 1
    assert rows(store, "SELECT text FROM articles")[0][0] == text


def test_html_declaring_its_charset_is_decoded_with_it(tmp_path, run, store):
    body = "Officials in Zürich said the naïve plan to reopen the café had failed on Monday."
    page = (
        '<html><head><meta charset="iso-8859-1"><title>Plan</title></head>'
        f"<body><article><p>{body}</p></article></body></html>"
    )
    (tmp_path / "plan.html").write_bytes(page.encode("latin-1"))
    run(tmp_path / "plan.html")
    assert body in rows(store, "SELECT text FROM articles")[0][0]


def test_bytes_no_encoding_fits_are_undecodable(tmp_path, run):
    (tmp_path / "noise.txt").write_bytes(bytes(range(128, 256)) * 4)
    assert _only(run(tmp_path / "noise.txt")).reason == "undecodable"


def test_a_malformed_jsonl_line_is_reported_with_its_line_and_the_rest_is_kept(tmp_path, run):
    lines = [
        json.dumps({"id": "one", "text": GOOD}),
        '{"id": "two", "text": "cut off',
        json.dumps({"id": "three", "text": GOOD + " A later update."}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "five", "body": "no text field"}),
    ]
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(lines) + "\n")
    report = run(path)
    assert report.ingested == 2
    assert {s.source: s.reason for s in report.skipped} == {
        f"{path}:2": "malformed-json", f"{path}:4": "malformed-json", f"{path}:5": "no-text",
    }


def test_a_jsonl_line_in_another_encoding_is_still_read(tmp_path, run, store):
    good = json.dumps({"id": "a", "text": GOOD}).encode()
    latin = json.dumps({"id": "b", "text": "The café in Genève was shelled on Monday, witnesses said."},
                       ensure_ascii=False).encode("cp1252")
    (tmp_path / "mixed.jsonl").write_bytes(good + b"\n" + latin + b"\n")
    assert run(tmp_path / "mixed.jsonl").ingested == 2
    assert "café in Genève" in rows(store, "SELECT text FROM articles WHERE id = 'b'")[0][0]


def test_a_broken_json_array_keeps_the_records_before_the_break(tmp_path, run):
    (tmp_path / "dump.json").write_text(f'[{{"id": "x", "text": "{GOOD}"}}, {{"id": "y", "te')
    report = run(tmp_path / "dump.json")
    assert report.ingested == 1 and _only(report).reason == "malformed-json"


def test_html_with_no_main_text(tmp_path, run):
    page = "<html><body><nav><a href='/'>Home</a></nav><footer>Contact us</footer></body></html>"
    (tmp_path / "menu.html").write_text(page)
    assert _only(run(tmp_path / "menu.html")).reason == "no-main-text"


def test_a_file_over_the_size_limit_is_refused_with_size_and_limit(tmp_path, run, monkeypatch):
    monkeypatch.setattr(settings, "MAX_FILE_BYTES", 100)
    (tmp_path / "long.txt").write_text(GOOD * 2)
    skipped = _only(run(tmp_path / "long.txt"))
    assert skipped.reason == "too-large"
    assert f"{len(GOOD * 2):,} bytes" in skipped.detail and "100" in skipped.detail


def test_a_document_over_the_character_limit_is_too_large(tmp_path, run, monkeypatch):
    monkeypatch.setattr(settings, "MAX_DOCUMENT_CHARS", 50)
    (tmp_path / "wire.jsonl").write_text(json.dumps({"id": "x", "text": GOOD}) + "\n")
    skipped = _only(run(tmp_path / "wire.jsonl"))
    assert skipped.reason == "too-large" and "MAX_DOCUMENT_CHARS" in skipped.detail


def test_an_overlong_jsonl_line_is_skipped_and_the_next_line_read(tmp_path, run, monkeypatch):
    monkeypatch.setattr(settings, "MAX_RECORD_BYTES", 400)
    long = json.dumps({"id": "big", "text": GOOD * 10})
    short = json.dumps({"id": "small", "text": GOOD})
    (tmp_path / "wire.jsonl").write_text(long + "\n" + short + "\n")
    report = run(tmp_path / "wire.jsonl")
    assert report.ingested == 1 and _only(report).reason == "too-large"


def test_a_missing_path_is_unreadable(tmp_path, run):
    skipped = _only(run(tmp_path / "nowhere.txt"))
    assert skipped.reason == "unreadable" and "no such file" in skipped.detail


def test_a_file_without_read_permission_is_unreadable(tmp_path, run, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text(GOOD)
    path.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make the file system refuse as it would
        real_open = type(path).open

        def refuse(self, *args, **kwargs):
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)

        monkeypatch.setattr(type(path), "open", refuse)
    skipped = _only(run(path))
    assert skipped.reason == "unreadable" and "permission denied" in skipped.detail


def test_an_unknown_extension_is_unsupported(tmp_path, run):
    (tmp_path / "script.py").write_text("print('hello')\n")
    skipped = _only(run(tmp_path / "script.py"))
    assert skipped.reason == "unsupported" and ".py" in skipped.detail


def test_csv_without_a_text_or_html_column(tmp_path, run):
    (tmp_path / "sheet.csv").write_text("id,headline\n1,Depot hit\n")
    skipped = _only(run(tmp_path / "sheet.csv"))
    assert skipped.reason == "no-text-column" and "headline" in skipped.detail


def test_a_french_article_is_skipped_as_not_english_with_its_language(tmp_path, run, store):
    french = (
        "Des tirs d'artillerie ont touché mardi le dépôt de céréales situé à la sortie de la "
        "ville, a indiqué le gouverneur de la région. Deux gardiens ont été blessés, selon "
        "l'hôpital local. Les habitants affirment que les bombardements ont duré toute la nuit "
        "et que plusieurs maisons voisines ont également été endommagées."
    )
    (tmp_path / "depot.txt").write_text(french)
    skipped = _only(run(tmp_path / "depot.txt"))
    assert skipped.reason == "not-english" and skipped.detail.startswith("fr ")
    assert rows(store, "SELECT reason, language FROM skipped") == [("not-english", "fr")]


def test_one_bad_input_does_not_stop_the_others(tmp_path, run):
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4 binary")
    (tmp_path / "c.txt").write_text(GOOD + " The council repeated its appeal on Tuesday.")
    report = run(tmp_path)
    assert report.ingested == 2 and reasons(report.skipped) == {"b.pdf": "binary"}


def test_docs_and_gold_files_in_a_directory_are_ignored_but_named_files_are_read(tmp_path, run):
    (tmp_path / "README.md").write_text("# About this corpus\n")
    (tmp_path / "notes.md").write_text("Annotation notes.\n")
    (tmp_path / "stories.gold.jsonl").write_text(json.dumps({"id": "g", "text": GOOD}) + "\n")
    (tmp_path / ".hidden.txt").write_text(GOOD)
    report = run(tmp_path)
    assert report.read == 0
    assert set(reasons(report.skipped).values()) == {"ignored"} and len(report.skipped) == 3
    assert run(tmp_path / "stories.gold.jsonl").ingested == 1


def test_the_run_summary_groups_reasons_and_fails_only_when_nothing_was_read(tmp_path):
    from typer.testing import CliRunner

    from triangulate.cli import app

    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "x.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "bad" / "y.txt").write_text("")
    db = str(tmp_path / "t.duckdb")
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "bad"), "--db", db, "-q"])
    assert result.exit_code == 1
    assert "0 ingested" in result.output and "1 binary" in result.output
    (tmp_path / "bad" / "z.txt").write_text(GOOD)
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "bad"), "--db", db, "-q"])
    assert result.exit_code == 0 and "1 ingested" in result.output


def test_a_malformed_first_jsonl_line_does_not_hide_the_others(tmp_path, run):
    lines = ['{"id": "one", "text": "cut off', json.dumps({"id": "two", "text": GOOD})]
    (tmp_path / "wire.json").write_text("\n".join(lines) + "\n")
    report = run(tmp_path / "wire.json")
    assert report.ingested == 1 and _only(report).source.endswith("wire.json:1")
