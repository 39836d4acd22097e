"""`triangulate watch` and `triangulate alerts` on the command line: usage errors, one
quiet round, a round where every source fails."""

from __future__ import annotations

import signal

from typer.testing import CliRunner

from tests.watch.feeds import closed_port
from triangulate.cli import app

runner = CliRunner()


def test_watch_refuses_a_missing_sources_file_a_bad_interval_and_a_too_frequent_one(tmp_path):
    db = ["--db", str(tmp_path / "w.duckdb")]
    missing = runner.invoke(app, ["watch", str(tmp_path / "none.txt"), *db])
    assert missing.exit_code == 2 and "no sources" in missing.output
    sources = tmp_path / "sources.txt"
    sources.write_text(f"folder {tmp_path}\nbogus line here\n")
    assert runner.invoke(app, ["watch", str(sources), *db, "--every", "soon"]).exit_code == 2
    often = runner.invoke(app, ["watch", str(sources), *db, "--every", "5s"])
    assert often.exit_code == 2 and "too often" in often.output


def test_one_round_over_an_empty_folder_reports_and_restores_ctrl_c(tmp_path):
    (tmp_path / "drops").mkdir()
    sources = tmp_path / "sources.txt"
    sources.write_text("drops/\nnot a source line\n")
    before = signal.getsignal(signal.SIGINT)
    result = runner.invoke(app, ["watch", str(sources), "--once", "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 0, result.output
    assert "sources.txt:2" in result.output and "folder" in result.output
    assert "Round 1" in result.output and "0 new articles" in result.output
    assert signal.getsignal(signal.SIGINT) is before
    listed = runner.invoke(app, ["alerts", "--db", str(tmp_path / "w.duckdb"), "-f", "json"])
    assert listed.exit_code == 0 and listed.output.strip() == "[]"


def test_a_round_where_every_source_fails_exits_1_for_cron(tmp_path):
    sources = tmp_path / "sources.txt"
    sources.write_text(f"http://127.0.0.1:{closed_port()}/feed.xml\n")
    result = runner.invoke(app, ["watch", str(sources), "--once", "--allow-private",
                                 "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 1 and "failed" in result.output


def test_alerts_refuses_an_unknown_kind(tmp_path):
    result = runner.invoke(app, ["alerts", "--db", str(tmp_path / "w.duckdb"), "--kind", "rumour"])
    assert result.exit_code == 2
