"""The UCDP GED-style export: best, low and high deaths from the lined-up figures."""

from __future__ import annotations

from triangulate import export
from triangulate.export import ucdp


def test_best_low_and_high_come_from_the_lined_up_figures(store):
    built = export.build(store, "ucdp")
    row = next(r for r in built.payload if r["where_coordinates"] == "Kharkiv")
    assert (row["best"], row["low"], row["high"]) == (2, 2, 11)
    assert row["deaths_civilians"] == 2 and row["deaths_unknown"] is None
    assert (row["side_a"], row["side_b"]) == ("Russian Armed Forces", "civilians")
    assert row["type_of_violence"] == 3  # civilians on the receiving end: one-sided
    assert (row["date_start"], row["date_end"], row["date_prec"]) == ("2024-03-02", "2024-03-02", 1)
    assert row["number_of_sources"] == 3
    assert row["source_office"].split(";").count("Harbor Post") == 2
    assert row["geom_wkt"].startswith("POINT (36.2")


def test_the_columns_are_geds_in_geds_order_then_ours(store):
    built = export.build(store, "ucdp")
    assert built.columns[:49] == ucdp.GED_COLUMNS
    assert built.columns[:3] == ["id", "relid", "year"]
    assert built.columns[-6:] == ucdp.EXTRA_COLUMNS


def test_only_organised_violence_is_written(store):
    built = export.build(store, "ucdp")
    assert {r["triangulate_story"][:2] for r in built.payload} == {"s-"}
    assert sum(built.skipped.values()) == 2  # the protest and the request


def test_the_priogrid_cell_counts_rows_of_half_degrees_from_the_south_west():
    assert ucdp.priogrid(-89.9, -179.9) == 1
    assert ucdp.priogrid(-89.9, 179.9) == 720
    assert ucdp.priogrid(0.25, 0.25) == 180 * 720 + 360 + 1


def test_the_type_of_violence_follows_who_fights_whom():
    assert ucdp.type_of_violence(1, 2) == 1
    assert ucdp.type_of_violence(2, 2) == 2
    assert ucdp.type_of_violence(2, 7) == 3
    assert ucdp.type_of_violence(None, 2) is None
