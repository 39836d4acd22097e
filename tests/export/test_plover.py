"""The PLOVER export: only PLOVER types and modes, every source's evidence exact."""

from __future__ import annotations

import json
from collections import Counter

from typer.testing import CliRunner

from triangulate import export
from triangulate.cli import app
from triangulate.export.plover import modes, plover_mode
from triangulate.model import PLOVER_TYPES


def records(store, unit):
    return export.build(store, "plover", unit).payload


def test_records_use_only_plover_types_and_modes(store):
    for unit in ("stories", "events"):
        for r in records(store, unit):
            assert r["event_type"] in PLOVER_TYPES
            assert r["mode"] is None or r["mode"] in modes()[r["event_type"]], r
            assert r["context"] == []


def test_an_air_strike_is_written_with_the_codebooks_remote_fire_mode(store):
    izium = next(r for r in records(store, "stories") if r["location"]["name"] == "Izium")
    assert izium["mode"] == "heavy-weapons" and izium["triangulate"]["mode"] == "aerial"


def test_a_mode_plover_lacks_for_the_type_is_null_and_counted():
    skipped = Counter()
    assert plover_mode("PROTEST", "firearms", skipped) is None
    assert sum(skipped.values()) == 1


def test_actor_and_recipient_carry_their_country_codes(store):
    kharkiv = next(r for r in records(store, "stories") if r["location"]["name"] == "Kharkiv")
    assert kharkiv["actor"] == {"name": "Russian Armed Forces", "id": "russia-military",
                                "country": "RUS"}
    assert kharkiv["location"]["country"] == "UKR"
    assert kharkiv["date"] == "2024-03-02" and kharkiv["date_precision"] == "day"


def test_every_source_cites_its_article_text_exactly(store):
    texts = dict(store.article_texts())
    for unit in ("stories", "events"):
        for r in records(store, unit):
            assert r["sources"]
            for source in r["sources"]:
                ev = source["evidence"]
                assert texts[source["article"]][ev["start"]:ev["end"]] == ev["text"]
                assert source["url"].startswith("https://")


def test_the_cli_writes_one_json_record_a_line(export_db, tmp_path):
    out = tmp_path / "events.jsonl"
    result = CliRunner().invoke(app, ["export", "plover", str(out), "--events",
                                      "--db", str(export_db)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 8 and all(json.loads(line)["sources"] for line in lines)
