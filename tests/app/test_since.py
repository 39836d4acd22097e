"""The Since… page and /api/alerts on a store no watch has run on yet (pages with alerts
are tested on three watch rounds in tests/watch/test_watch.py)."""

from __future__ import annotations


def test_the_since_page_says_how_alerts_come_when_there_are_none(client):
    page = client.get("/since")
    assert page.status_code == 200
    assert "No alerts" in page.text and "triangulate watch" in page.text
    assert '<a href="/since">Since…</a>' in client.get("/").text


def test_the_alerts_api_pages_an_empty_list_and_refuses_a_bad_since_or_kind(client):
    assert client.get("/api/alerts").json() == {"total": 0, "limit": 50, "offset": 0, "items": []}
    assert client.get("/api/alerts?since=3d&kind=toll_changed").status_code == 200
    bad = client.get("/api/alerts?since=someday")
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["query", "since"]
    assert client.get("/api/alerts?kind=rumour").status_code == 422
    assert client.get("/since?since=someday").status_code == 422


def test_the_alerts_endpoint_is_in_the_openapi_schema_with_the_alert_record(client):
    schema = client.get("/openapi.json").json()
    op = schema["paths"]["/api/alerts"]["get"]
    assert {p["name"] for p in op["parameters"]} >= {"since", "kind", "limit", "offset"}
    assert "Alert" in schema["components"]["schemas"]
    assert {"kind", "story", "old", "new", "evidence"} <= set(
        schema["components"]["schemas"]["Alert"]["properties"])
