"""The command line over a store where one article's analysis fails: the run goes on,
says what failed, and `retry` runs it again."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from triangulate.cli import app

runner = CliRunner()
ARTICLES = [
    ("strike", "Rebels shelled the market in Goma on Monday, killing 12 people, officials "
               "said. The army said it would respond."),
    ("bad", "{poison} Troops entered the village of Kiwanja on Monday, residents said. Four "
            "people were killed, according to the mayor."),
    ("convoy", "An aid convoy reached Goma on Tuesday, the United Nations said, after the "
               "shelling of the market on Monday killed 12 people."),
]


@pytest.fixture
def corpus(tmp_path, poison):
    path = tmp_path / "wire.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": t.format(poison=poison),
                                        "published": "2024-03-05", "outlet": f"Wire {i}"})
                            + "\n" for i, t in ARTICLES))
    return path


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_a_run_with_a_failing_article_analyses_and_links_the_rest(corpus, tmp_path):
    db = str(tmp_path / "t.duckdb")
    result = invoke("run", str(corpus), "--db", db, "-q")
    assert result.exit_code == 0, result.output
    assert "2 articles analysed, 1 failed" in result.output
    assert "ValueError" in result.output
    stats = invoke("stats", "--db", db).output
    assert "Analyses that failed: 1" in stats and "bad" in stats
    stories = json.loads(invoke("stories", "--db", db, "--format", "json").output)
    assert stories, "the rest is linked"
    again = invoke("run", str(corpus), "--db", db, "-q").output
    assert "0 articles analysed" in again and "failed" not in again.split("\n")[1]


def test_retry_runs_the_failed_articles_again(corpus, tmp_path, monkeypatch):
    db = str(tmp_path / "t.duckdb")
    invoke("run", str(corpus), "--db", db, "-q")
    still = invoke("retry", "--db", db, "-q").output
    assert "0 articles analysed, 1 failed" in still
    assert "2" in invoke("stats", "--db", db).output.split("Analyses that failed")[1]
    monkeypatch.undo()  # the stage is mended
    mended = invoke("retry", "bad", "--db", db, "-q").output
    assert "1 articles analysed" in mended and "failed" not in mended.split("\n")[0]
    assert "Analyses that failed" not in invoke("stats", "--db", db).output
