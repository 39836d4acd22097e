"""The ACLED export: ACLED's columns in ACLED's order, types mapped through the data file."""

from __future__ import annotations

import csv

from typer.testing import CliRunner

from triangulate import export
from triangulate.cli import app
from triangulate.export import acled
from triangulate.export.plover import modes
from triangulate.model import PLOVER_TYPES

# ACLED Codebook 2024: the 31 columns, in order.
ACLED_CODEBOOK_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
]


def test_the_file_has_acleds_columns_in_acleds_order_then_ours(export_db, tmp_path):
    out = tmp_path / "acled.csv"
    result = CliRunner().invoke(app, ["export", "acled", str(out), "--db", str(export_db)])
    assert result.exit_code == 0, result.output
    with out.open(newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header[:31] == ACLED_CODEBOOK_COLUMNS
    assert header[31:] == acled.EXTRA_COLUMNS and "triangulate_story" in header[31:]


def test_every_plover_type_is_mapped_or_explicitly_unmapped():
    rules = acled.type_rules()
    for typ in PLOVER_TYPES:
        fallback = [r for r in rules if r.plover_type == typ and r.mode == "*" and r.target == "*"]
        assert len(fallback) == 1, typ
        # Nothing after the type's catch-all row could ever apply.
        last = max(i for i, r in enumerate(rules) if r.plover_type == typ)
        assert rules[last] is fallback[0], typ
    assert {r.plover_type for r in rules} == set(PLOVER_TYPES)


def test_the_mapping_writes_only_acled_pairs_and_reads_only_plover_modes():
    vocabulary = acled.disorder_types()
    for rule in acled.type_rules():
        if rule.event_type is not None:
            assert (rule.event_type, rule.sub_event_type) in vocabulary, rule
        assert rule.mode == "*" or rule.mode in modes()[rule.plover_type] or rule.mode == "aerial"


def test_a_civilian_target_makes_an_assault_violence_against_civilians():
    assert acled.acled_type("ASSAULT", "firearms", 7) == ("Violence against civilians", "Attack")
    assert acled.acled_type("ASSAULT", "firearms", 1) == ("Battles", "Armed clash")
    # Remote violence stays remote whoever it hits.
    assert acled.acled_type("ASSAULT", "aerial", 7)[1] == "Air/drone strike"
    assert acled.acled_type("REQUEST", None, None) is None


def test_the_interaction_code_puts_the_lower_inter_code_first():
    assert acled.interaction(8, 7) == 78
    assert acled.interaction(2, 1) == 12
    assert acled.interaction(1, None) == 10


def test_a_shelling_story_reads_as_acled_codes_it(store):
    built = export.build(store, "acled")
    row = next(r for r in built.payload if r["location"] == "Kharkiv")
    assert (row["event_type"], row["sub_event_type"]) == (
        "Explosions/Remote violence", "Shelling/artillery/missile attack")
    assert row["disorder_type"] == "Political violence"
    assert (row["iso"], row["country"], row["event_date"], row["time_precision"]) == (
        804, "Ukraine", "2024-03-02", 1)
    # Russian forces in Ukraine are external forces (8); their civilian targets 7.
    assert (row["inter1"], row["inter2"], row["interaction"]) == (8, 7, 78)
    assert row["civilian_targeting"] == "Civilian targeting"
    assert (row["fatalities"], row["fatalities_low"], row["fatalities_high"]) == (2, 2, 11)
    assert row["fatalities_contested"] is True
    assert row["source"] == "Harbor Post; Northline Daily"
    assert row["event_id_cnty"].startswith("UKR-s-")


def test_an_event_acled_does_not_code_is_left_out_and_reported(store):
    built = export.build(store, "acled")
    assert not any(r["plover_type"] == "REQUEST" for r in built.payload)
    assert built.skipped == {"ACLED codes no REQUEST events": 1}


def test_with_events_there_is_one_row_per_event_mention(store):
    built = export.build(store, "acled", "events")
    rows = {r["triangulate_article"]: r for r in built.payload}
    assert len(built.payload) == 7  # eight mentions, the request left out
    assert rows["nd-kharkiv-market"]["fatalities"] == 2
    assert rows["hp-kharkiv-toll"]["fatalities"] == 11
    assert rows["nd-lviv-protest"]["event_type"] == "Protests"
