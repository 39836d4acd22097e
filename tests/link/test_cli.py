"""The linking commands on the linked sample corpus: readable tables and record formats."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from triangulate.cli import app
from triangulate.link.measure import interval

runner = CliRunner()


def invoke(sample, *args: str) -> str:
    result = runner.invoke(app, [*args, "--db", str(sample.db)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_stories_jsonl_is_the_story_contract(sample):
    lines = [json.loads(x) for x in invoke(sample, "stories", "--format", "jsonl").splitlines()]
    assert lines
    for story in lines:
        for key in ("id", "type", "date", "place", "actors", "targets", "outlets",
                    "independent_outlets", "articles", "figures", "contradictions"):
            assert key in story
        assert story["articles"], "stories without a report are listed only with --all"
        for a in story["articles"]:
            assert {"id", "outlet", "event", "duplicate_of"} <= set(a)
        for line in story["figures"]:
            assert {"what", "who", "contested", "values"} <= set(line)
            for v in line["values"]:
                assert {"value", "speaker", "article", "figure"} <= set(v)


def test_stories_all_adds_events_only_mentioned_in_passing(sample):
    some = invoke(sample, "stories", "--format", "jsonl").splitlines()
    every = invoke(sample, "stories", "--format", "jsonl", "--all").splitlines()
    assert len(every) > len(some)


@pytest.mark.parametrize("command", [["stories"], ["contradictions"], ["timeline"],
                                     ["timeline", "--actor", "Hamas"], ["actor", "Hamas"],
                                     ["timeline", "--from", "2024-01-01", "--to", "2024-12-31"]])
def test_tables_print(sample, command):
    assert invoke(sample, *command).strip()


def test_contradictions_csv_has_one_row_per_side_with_its_evidence(sample):
    rows = list(csv.DictReader(io.StringIO(invoke(sample, "contradictions", "--format", "csv"))))
    assert rows
    assert {"story", "field", "value", "article", "evidence", "start", "end"} <= set(rows[0])
    assert all(r["evidence"] for r in rows)


def test_contradictions_field_filter(sample):
    records = json.loads(invoke(sample, "contradictions", "--format", "json", "--field", "date"))
    assert records and all(r["field"] == "date" for r in records)


def test_timeline_is_in_date_order_within_the_range(sample):
    rows = [json.loads(x) for x in invoke(sample, "timeline", "--from", "2022-01-01", "--to",
                                          "2022-12-31", "--format", "jsonl").splitlines()]
    assert rows
    starts = [interval(r["date"], r["date_precision"])[0] for r in rows]
    assert starts == sorted(starts)
    assert all(r["date"].startswith("2022") for r in rows)


def test_actor_timeline_rolls_up_to_the_country(sample):
    rows = [json.loads(x) for x in invoke(sample, "timeline", "--actor", "Israel",
                                          "--format", "jsonl").splitlines()]
    assert rows and all(r["role"] for r in rows)


def test_actor_says_what_it_did_what_was_done_to_it_and_what_it_claimed(sample):
    data = json.loads(invoke(sample, "actor", "Hamas", "--format", "json"))
    assert "hamas" in data["ids"]
    assert data["did"] or data["done_to"]
    assert data["claimed"]


def test_an_unknown_actor_is_an_error(sample):
    result = runner.invoke(app, ["actor", "Nobody At All", "--db", str(sample.db)])
    assert result.exit_code == 1


def test_tolls_lists_each_running_count_with_its_dates_values_and_speakers(sample):
    series = json.loads(invoke(sample, "tolls", "--format", "json"))
    gaza = [t for t in series if t["place"] == "PSE" and t["what"] == "killed"
            and t["speaker"] == "gaza-health-ministry"]
    assert gaza, [(t["what"], t["speaker"], t["place"]) for t in series]
    dates = [p["date"] for p in gaza[0]["points"]]
    assert dates == sorted(dates) and len(set(dates)) >= 2
    table = invoke(sample, "tolls", "--what", "killed")
    assert "toll series" in table and "gaza-health" in table  # narrow terminal: wrapped
    rows = list(csv.DictReader(io.StringIO(invoke(sample, "tolls", "--format", "csv",
                                                  "--place", "PSE"))))
    assert rows and all(r["evidence"] and r["evidence"] in r["sentence"] for r in rows)
    assert not json.loads(invoke(sample, "tolls", "--format", "json", "--what", "no-such"))
