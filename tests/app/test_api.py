"""The JSON API on the sample corpus: every list filters and pages, every record is the
store's record, every error has its status."""

from __future__ import annotations

import pytest

from triangulate.link.measure import interval
from triangulate.model import to_dict
from triangulate.store import Store


@pytest.fixture(scope="module")
def store(app) -> Store:
    return app.state.store.thread_view()


def page(client, path: str, **params) -> dict:
    r = client.get(path, params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"total", "limit", "offset", "items"}
    return body


def every(client, path: str, **params) -> list:
    """All items of a list, fetched page by page."""
    items, offset = [], 0
    while True:
        body = page(client, path, limit=7, offset=offset, **params)
        items += body["items"]
        offset += 7
        if offset >= body["total"]:
            assert len(items) == body["total"]
            return items


# ----------------------------------------------------------------------------- articles


def test_articles_lists_every_stored_article_newest_first(client, store):
    body = page(client, "/api/articles", limit=500)
    assert body["total"] == store.counts()["articles"]
    dates = [a["published"] for a in body["items"] if a["published"]]
    assert dates == sorted(dates, reverse=True)


def test_pages_of_a_list_add_up_to_the_whole_list(client):
    whole = page(client, "/api/articles", limit=500)["items"]
    assert [a["id"] for a in every(client, "/api/articles")] == [a["id"] for a in whole]


def test_outlet_filter_keeps_that_outlets_articles_only(client, store):
    counts = {o: n for o, n, _ in store.outlet_counts()}
    body = page(client, "/api/articles", outlet="meridian wire", limit=500)
    assert body["total"] == counts["Meridian Wire"]
    assert {a["outlet"] for a in body["items"]} == {"Meridian Wire"}


def test_date_range_filter_keeps_articles_published_in_it(client):
    items = every(client, "/api/articles", **{"from": "2024-04-01", "to": "2024-06-30"})
    assert items
    assert all("2024-04-01" <= a["published"] <= "2024-06-30" for a in items)


def test_a_date_range_includes_articles_published_on_its_first_and_last_day(client, store):
    day = next(a.published for a in store.articles() if a.published)
    items = every(client, "/api/articles", **{"from": day, "to": day})
    assert items and {a["published"] for a in items} == {day}
    assert len(items) == sum(a.published == day for a in store.articles())


def test_actor_filter_keeps_articles_naming_the_actor_or_what_rolls_up_to_it(client, store):
    ids = set(store.resolve_actors("Hamas"))
    items = every(client, "/api/articles", actor="Hamas")
    assert items
    for a in items:
        record = client.get(f"/api/articles/{a['id']}").json()
        assert ids & {x["id"] for x in record["actors"]}


def test_place_and_type_filters_keep_matching_articles(client):
    items = every(client, "/api/articles", place="Kramatorsk", type="ASSAULT")
    assert items
    for a in items:
        record = client.get(f"/api/articles/{a['id']}").json()
        assert any(p["name"].lower() == "kramatorsk" for p in record["places"])
        assert any(e["type"] == "ASSAULT" for e in record["events"])


def test_unknown_actor_matches_nothing(client):
    assert page(client, "/api/articles", actor="no such actor anywhere")["total"] == 0


def test_article_is_the_stored_analysis_with_its_text(client, store):
    aid = "html/ledger-khan-younis-zanna"
    record = client.get(f"/api/articles/{aid}").json()
    assert record == to_dict(store.analysis(aid))
    text = record["text"]
    for actor in record["actors"]:
        for m in actor["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]


def test_search_finds_the_words_in_title_or_text_with_a_snippet(client):
    body = page(client, "/api/search", q="railway station")
    assert body["total"] >= 1
    for a in body["items"]:
        assert "railway station" in a["snippet"].lower()


def test_search_without_words_is_a_bad_request(client):
    r = client.get("/api/search")
    assert r.status_code == 422
    assert r.json()["status"] == 422


def test_search_input_is_data_not_sql(client):
    # Quotes, LIKE wildcards and SQL in the words are searched for literally.
    for q in ("'; DROP TABLE articles; --", "%%%%", "_q_q_q_", "\\zz\\"):
        assert page(client, "/api/search", q=q)["total"] == 0
    assert page(client, "/api/articles")["total"] > 0


# ----------------------------------------------------------------------------- stories


def test_stories_are_the_stored_stories_with_reports(client, store):
    expected = [s for s in store.story_records() if s.articles]
    items = every(client, "/api/stories")
    assert {s["id"] for s in items} == {s.id for s in expected}
    first = client.get(f"/api/stories/{expected[0].id}").json()
    assert first == to_dict(expected[0])


def test_all_adds_stories_only_mentioned_in_passing(client, store):
    assert page(client, "/api/stories", all="true")["total"] == len(store.story_records())


def test_contested_stories_have_a_contested_figure(client):
    items = every(client, "/api/stories", contested="true")
    assert items
    assert all(any(line["contested"] for line in s["figures"]) for s in items)


def test_story_filters_by_type_outlet_and_date(client):
    items = every(client, "/api/stories", type="ASSAULT", outlet="Meridian Wire",
                  **{"from": "2022-01-01", "to": "2022-12-31"})
    assert items
    for s in items:
        assert s["type"] == "ASSAULT"
        assert any(a["outlet"] == "Meridian Wire" for a in s["articles"] + s["mentions"])
        span = interval(s["date"], s["date_precision"])
        assert span is not None and span[0] <= interval("2022-12-31")[1]
        assert span[1] >= interval("2022-01-01")[0]


def test_newest_first_order(client):
    items = page(client, "/api/stories", order="date", limit=500)["items"]
    dates = [s["date"][:10] for s in items if s["date"]]
    assert dates == sorted(dates, reverse=True)


def test_contradictions_list_every_stored_one_with_both_sides(client, store):
    items = every(client, "/api/contradictions")
    assert len(items) == len(store.contradiction_records())
    for c in items:
        assert len(c["values"]) >= 2
        assert c["sides"]
    figures = every(client, "/api/contradictions", field="figures")
    assert all(c["field"].startswith("figures") for c in figures)


def test_negotiations_list_each_partys_latest_stance_and_one_cells_history(client):
    cells = every(client, "/api/negotiations")
    hamas = next(c for c in cells if (c["party"], c["issue"]) == ("hamas", "ceasefire"))
    assert hamas["stance"] == "accept" and hamas["sources"] >= 3 and hamas["history"] == []
    assert hamas["evidence"]["text"] and hamas["article"]
    only = every(client, "/api/negotiations", party="Israel", issue="ceasefire")
    assert {(c["party"], c["issue"]) for c in only} == {("israel", "ceasefire")}
    reports = every(client, "/api/negotiations/history", party="Hamas", issue="ceasefire")
    assert len(reports) >= hamas["changes"] + 1
    assert [r["day"] for r in reports] == sorted(r["day"] for r in reports)
    assert {"reject", "accept"} <= {r["stance"] for r in reports if r["day"] == "2025-01-16"}
    positions = every(client, "/api/contradictions", field="position")
    assert positions and all(c["field"].startswith("position.") for c in positions)


@pytest.mark.parametrize("query", ["issue=truce", "from=16-01-2025", "party=" + "x" * 201])
def test_bad_negotiation_filters_are_422(client, query):
    assert client.get(f"/api/negotiations?{query}").status_code == 422
    assert client.get("/api/negotiations/history?party=Hamas").status_code == 422


def test_timeline_is_oldest_first_and_says_the_actors_role(client):
    entries = every(client, "/api/timeline", actor="Hamas")
    assert entries
    assert all(e["role"] in ("actor", "target", "actor+target") for e in entries)
    spans = [interval(e["date"], e["date_precision"]) for e in entries]
    starts = [s[0] for s in spans if s]
    assert starts == sorted(starts)


def test_events_filter_by_type_and_place(client):
    items = every(client, "/api/events", type="ASSAULT", at="Kramatorsk")
    assert items
    assert all(e["type"] == "ASSAULT" and e["place_name"] == "Kramatorsk" for e in items)


# ----------------------------------------------------------------------------- actors, places, outlets


def test_actors_most_named_first_and_one_actors_record(client):
    items = page(client, "/api/actors", limit=20)["items"]
    counts = [a["articles"] for a in items]
    assert counts == sorted(counts, reverse=True)
    hamas = client.get("/api/actors/hamas").json()
    assert hamas["actor"]["name"] == "Hamas"
    assert hamas["did"] or hamas["done_to"] or hamas["claimed"]
    assert all("actor" in e["role"] for e in hamas["did"])


def test_actor_kind_filter(client):
    items = every(client, "/api/actors", kind="state")
    assert items and all(a["kind"] == "state" for a in items)


def test_places_and_one_place_with_its_events(client):
    items = page(client, "/api/places", name="kramatorsk")["items"]
    assert items
    place = client.get(f"/api/places/{items[0]['id']}").json()
    assert place["place"]["name"] == items[0]["name"]
    assert place["events"]["total"] >= 1


def test_outlets_count_every_article(client, store):
    rows = every(client, "/api/outlets")
    assert sum(r["articles"] for r in rows) == store.counts()["articles"]
    only = page(client, "/api/outlets", outlet="Vostok Today")["items"]
    assert [r["outlet"] for r in only] == ["Vostok Today"]
    for r in rows:
        assert set(r) >= {"genres", "claim_stances", "techniques_by_kind", "speakers",
                          "event_types", "stories"}


# ----------------------------------------------------------------------------- errors


@pytest.mark.parametrize("path", [
    "/api/articles/no-such-article", "/api/stories/s-000000000000", "/api/actors/nobody-at-all",
    "/api/places/geonames:0",
])
def test_unknown_ids_are_404_as_json(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert r.json()["status"] == 404 and r.json()["detail"]


@pytest.mark.parametrize("query", [
    "limit=0", "limit=501", "offset=-1", "limit=ten", "from=2024-02-30", "from=yesterday",
    "to=2024-1-1", "type=MASSACRE", "from=2024-05-01&to=2024-04-01",
])
def test_bad_parameters_are_422_naming_the_parameter(client, query):
    r = client.get(f"/api/stories?{query}")
    assert r.status_code == 422
    body = r.json()
    assert body["status"] == 422
    assert body["errors"] and body["errors"][0]["loc"][0] == "query"


def test_openapi_schema_lists_every_endpoint_and_the_docs_page_renders_it(client):
    schema = client.get("/openapi.json").json()
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/stories",
                 "/api/stories/{story_id}", "/api/contradictions", "/api/timeline",
                 "/api/actors", "/api/places", "/api/outlets", "/api/search", "/api/events",
                 "/api/negotiations", "/api/negotiations/history", "/api/tolls"):
        assert path in schema["paths"], path
    params = {p["name"] for p in schema["paths"]["/api/stories"]["get"]["parameters"]}
    assert {"actor", "place", "outlet", "type", "from", "to", "limit", "offset"} <= params
    params = {p["name"] for p in schema["paths"]["/api/negotiations"]["get"]["parameters"]}
    assert {"party", "issue", "from", "to", "limit", "offset"} <= params
    cell = schema["components"]["schemas"]["NegotiationCell"]["properties"]
    assert {"party", "issue", "stance", "day", "sources", "disagree", "evidence"} <= set(cell)
    params = {p["name"] for p in schema["paths"]["/api/tolls"]["get"]["parameters"]}
    assert {"what", "speaker", "place", "limit", "offset"} <= params
    series = schema["components"]["schemas"]["TollSeries"]["properties"]
    assert {"what", "who", "speaker", "place", "since", "points"} <= set(series)
    point = schema["components"]["schemas"]["TollPoint"]["properties"]
    assert {"date", "value", "speaker", "article", "evidence", "sentence"} <= set(point)
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/contradictions" in docs.text
    assert "cdn" not in docs.text.lower()


def test_every_answer_carries_the_content_security_policy(client):
    for path in ("/api/stories", "/", "/api/nothing-here"):
        csp = client.get(path).headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp


def test_only_requests_naming_a_trusted_host_are_answered(app):
    from fastapi.testclient import TestClient

    from triangulate.app import create_app

    guarded = create_app(app.state.store, trusted_hosts=["127.0.0.1", "localhost"])
    with TestClient(guarded, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/stats").status_code == 200
        assert c.get("/api/stats", headers={"Host": "rebound.example"}).status_code == 400


def test_tolls_are_series_of_running_counts_with_evidence(client, store):
    body = page(client, "/api/tolls", place="PSE")
    assert body["total"] >= 1
    for t in body["items"]:
        assert t["place"] == "PSE" and t["points"]
        for p in t["points"]:
            text = store.analysis(p["article"]).text
            assert text[p["evidence"]["start"]:p["evidence"]["end"]] == p["evidence"]["text"]
            assert text[p["sentence"]["start"]:p["sentence"]["end"]] == p["sentence"]["text"]
