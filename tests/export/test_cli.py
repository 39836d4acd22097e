"""`triangulate export`: the first argument chooses an analyst format or a table."""

from __future__ import annotations

from typer.testing import CliRunner

from triangulate.cli import app


def run(*args):
    return CliRunner().invoke(app, ["export", *map(str, args)])


def test_a_table_is_still_written_whole_as_csv(export_db, tmp_path):
    out = tmp_path / "events.csv"
    result = run("events", out, "-f", "csv", "--db", export_db)
    assert result.exit_code == 0, result.output
    assert out.read_text().splitlines()[0].startswith("article_id,event_id,type")
    assert len(out.read_text().splitlines()) == 9


def test_filters_are_refused_for_a_table_and_format_for_an_analyst_format(export_db, tmp_path):
    assert run("events", tmp_path / "x", "--actor", "Hamas", "--db", export_db).exit_code == 2
    assert run("acled", tmp_path / "x", "-f", "csv", "--db", export_db).exit_code == 2
    assert run("ucdp", tmp_path / "x", "--events", "--db", export_db).exit_code == 2
    assert run("acled", tmp_path / "x", "--from", "March", "--db", export_db).exit_code == 2
    assert run("nonsense", tmp_path / "x", "--db", export_db).exit_code == 2


def test_a_dash_writes_to_standard_output_and_filters_apply(export_db):
    result = run("geojson", "-", "--place", "Izium", "--db", export_db)
    assert result.exit_code == 0, result.output
    assert '"FeatureCollection"' in result.stdout and "Kharkiv" not in result.stdout


def test_what_was_left_out_is_reported(export_db, tmp_path):
    result = run("acled", tmp_path / "a.csv", "--db", export_db)
    assert "1 left out: ACLED codes no REQUEST events" in result.output
