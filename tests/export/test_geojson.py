"""The GeoJSON export: valid FeatureCollections, and the web map drawn from the same one."""

from __future__ import annotations

import json

import geojson

from triangulate import export


def valid(collection: dict) -> geojson.FeatureCollection:
    parsed = geojson.loads(json.dumps(collection))
    assert parsed.is_valid, parsed.errors()
    return parsed


def test_story_and_event_collections_validate(store):
    for unit in ("stories", "events"):
        built = export.build(store, "geojson", unit)
        parsed = valid(built.payload)
        assert parsed["type"] == "FeatureCollection" and parsed["features"]


def test_coordinates_are_longitude_then_latitude(store):
    stories = export.build(store, "geojson").payload["features"]
    kharkiv = next(f for f in stories if f["properties"]["place_name"] == "Kharkiv")
    lon, lat = kharkiv["geometry"]["coordinates"]
    assert (round(lat), round(lon)) == (50, 36)
    assert kharkiv["properties"]["deaths"] == 2 and kharkiv["properties"]["contested"] is True


def test_a_story_with_no_place_is_left_out_and_counted(store):
    built = export.build(store, "geojson")
    assert built.skipped == {"no coordinates": 1}
    assert len(built.payload["features"]) == 4


def test_the_map_points_are_the_event_collection_grouped_by_place(store):
    from triangulate.app import views
    from triangulate.app.deps import Filters

    points = views.map_points(store, Filters())
    features = export.build(store, "geojson", "events").payload["features"]
    assert sum(p.count for p in points) == len(features)
    by_place = {p.id: p for p in points}
    for f in features:
        point = by_place[f["properties"]["place"]]
        assert [point.lon, point.lat] == f["geometry"]["coordinates"]
        assert point.types[f["properties"]["type"]] >= 1
