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


def test_ctrl_c_stops_the_watch_at_the_next_safe_point_with_nothing_half_written(tmp_path):
    import os
    import subprocess
    import sys

    from tests.watch.feeds import FeedItem, FeedServer, rss
    from triangulate.store import Store

    item = FeedItem("a", "Varda Herald", "Customs post seized", "https://varda.example/a",
                    "2024-05-02", "Militia fighters seized the customs post at Varda on "
                    "Thursday, the interior ministry said.")
    with FeedServer() as server:
        server.publish({"/a.xml": rss("Varda Herald", [item]), "/b.xml": rss("Kessel Post", [])}, "x")
        sources = tmp_path / "sources.txt"
        sources.write_text(f"feed {server.base}/a.xml\nfeed {server.base}/b.xml\n")
        proc = subprocess.Popen(
            [sys.executable, "-m", "triangulate", "watch", str(sources), "--every", "1m",
             "--allow-private", "--db", str(tmp_path / "w.duckdb")],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env=os.environ | {"NO_COLOR": "1", "PYTHONUNBUFFERED": "1", "COLUMNS": "200"})
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "a.xml: 1 new item" in line:
                proc.send_signal(signal.SIGINT)
                break
        rest, _ = proc.communicate(timeout=120)
    output = "".join(lines) + rest
    assert proc.returncode == 0, output
    assert "stopping at the next safe point" in output and "stopped" in output
    assert "analysing" not in output  # stopped before the analysis, not after it
    with Store(tmp_path / "w.duckdb", read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM articles").fetchone() == (1,)
        assert store.con.execute("SELECT count(*) FROM watch_seen").fetchone() == (1,)
        assert store.con.execute("SELECT count(*) FROM watch_rounds WHERE finished IS NULL"
                                 ).fetchone() == (1,)  # the next round finishes it
