"""List pages offer their rows as CSV and GeoJSON, written by the export functions the CLI
uses, with the page's filters."""

from __future__ import annotations

import csv
import io
import json

import geojson

from triangulate import export
from triangulate.export import acled
from triangulate.export.common import CONTRADICTION_COLUMNS, Selection


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_stories_page_links_its_downloads(client):
    page = client.get("/stories?actor=Hamas").text
    assert 'href="/download/stories.csv?actor=Hamas"' in page
    assert 'href="/download/stories.geojson?actor=Hamas"' in page


def test_the_stories_csv_is_the_acled_export_of_the_same_stories(client, app):
    response = client.get("/download/stories.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    expected = export.build(app.state.store.thread_view(), "acled").text()
    assert response.text == expected
    assert response.text.splitlines()[0].split(",") == acled.COLUMNS


def test_the_map_geojson_validates_and_holds_the_pages_filtered_events(client, app):
    response = client.get("/download/map.geojson?place=Kharkiv")
    assert response.headers["content-type"] == "application/geo+json"
    parsed = geojson.loads(response.text)
    assert parsed.is_valid and parsed["features"]
    assert {f["properties"]["place_name"] for f in parsed["features"]} == {"Kharkiv"}
    every = export.build(app.state.store.thread_view(), "geojson", "events",
                         selection=Selection()).payload
    assert len(parsed["features"]) < len(every["features"])


def test_the_map_page_shows_the_places_of_the_event_geojson(client):
    features = json.loads(client.get("/download/map.geojson").text)["features"]
    busiest = max({f["properties"]["place"] for f in features},
                  key=lambda p: sum(f["properties"]["place"] == p for f in features))
    name = next(f["properties"]["place_name"] for f in features
                if f["properties"]["place"] == busiest)
    assert name in client.get("/map").text


def test_other_lists_download_their_rows_as_csv(client):
    sides = rows(client.get("/download/contradictions.csv").text)
    assert sides and list(sides[0]) == CONTRADICTION_COLUMNS
    articles = rows(client.get("/download/articles.csv?outlet=Meridian Wire").text)
    assert articles and {a["outlet"] for a in articles} == {"Meridian Wire"}
    assert rows(client.get("/download/actors.csv").text)[0]["id"]
    assert rows(client.get("/download/outlets.csv").text)


def test_an_unknown_download_is_a_404(client):
    assert client.get("/download/outlets.geojson").status_code == 404
    assert client.get("/download/secrets.csv").status_code == 404
