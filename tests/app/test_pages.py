"""The web pages on the sample corpus: each shows real data, escapes what articles say, and
needs nothing from another host."""

from __future__ import annotations

import html
import re

import pytest

from tests.app.conftest import HOSTILE

PAGES = ("/", "/articles", "/stories", "/stories?contested=true", "/contradictions",
         "/timeline", "/map", "/map?country=UA", "/actors", "/actors/hamas", "/outlets",
         "/search?q=Kramatorsk", "/add", "/docs", "/articles/html/ledger-khan-younis-zanna",
         "/since")


def get(client, path: str) -> str:
    r = client.get(path)
    assert r.status_code == 200, (path, r.text[:500])
    assert r.headers["content-type"].startswith("text/html")
    return r.text


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_only_from_this_server(client, path):
    text = get(client, path)
    # No inline script, no inline style: the CSP forbids both, so none may be needed.
    assert not re.search(r"<script(?![^>]*\bsrc=\"/static/)", text)
    assert " style=" not in text
    # Nothing that loads from elsewhere (links the user may follow are not loads).
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", text)


def test_overview_shows_counts_latest_stories_contested_figures_and_outlets(client, app):
    store = app.state.store
    text = get(client, "/")
    assert f">{store.counts()['articles']}<" in text
    assert "Meridian Wire" in text and "Most contested figures" in text
    assert 'href="/stories/s-' in text
    assert "<svg class=\"chart\"" in text


def test_story_page_shows_sources_side_by_side_figures_and_report_timeline(client, app):
    story = next(s for s in app.state.store.story_records()
                 if any(line.contested for line in s.figures) and len(s.articles) >= 2)
    text = get(client, f"/stories/{story.id}")
    assert text.count('class="source') >= len(story.articles)
    assert 'id="figures"' in text and "contested" in text
    for a in story.articles:
        assert html.escape(a.id) in text
    assert 'class="chart strip"' in text
    assert "?focus=" in text  # evidence sentences open the reader at the sentence


def test_reader_marks_every_layer_with_its_value_and_link(client):
    text = get(client, "/articles/html/ledger-khan-younis-zanna")
    for layer in ("actors", "places", "times", "figures", "claims", "events"):
        assert f'class="hl hl-{layer}"' in text, layer
        assert f'id="layer-{layer}"' in text
    assert re.search(r'<a class="hl hl-places" title="Place: [^"]+" href="/map\?at=', text)
    assert re.search(r'<a class="hl hl-actors" title="Actor: [^"]+" href="/actors/', text)
    assert '<script src="/static/reader.js" defer></script>' in text


def test_reader_focus_marks_the_evidence_sentence(client):
    text = get(client, "/articles/html/ledger-khan-younis-zanna?focus=0-30")
    assert '<mark class="focus" id="focus">' in text


def test_map_draws_country_outlines_and_event_places(client):
    text = get(client, "/map")
    assert text.count('<path class="land') > 100
    assert '<circle class="dot"' in text
    zoomed = get(client, "/map?country=UA")
    assert "Kramatorsk" in zoomed


def test_lists_page_and_filter(client):
    text = get(client, "/articles?outlet=Meridian+Wire&limit=5")
    assert 'rel="next"' in text and "1–5 of" in text
    assert "Vostok Today" not in text.split("<table", 1)[1]


@pytest.mark.parametrize("path", [
    "/", "/articles", "/articles/hostile-markup", "/search?q=Kharkiv", "/outlets", "/actors",
    "/timeline", "/stories?all=true",
])
def test_article_markup_is_shown_as_text_never_run(client, path):
    text = get(client, path)
    for raw in ("<script>window.__xss", "<img src=x", "onerror=\"window", "<b>Outlet</b>",
                'href="javascript:'):
        assert raw not in text, (path, raw)
    if path in ("/articles/hostile-markup", "/articles"):
        assert html.escape(HOSTILE["title"], quote=False) in text.replace("&#34;", '"')


def test_hostile_text_is_escaped_inside_highlights(client):
    text = get(client, "/articles/hostile-markup")
    assert "&lt;script&gt;window.__xss = &#34;body&#34;&lt;/script&gt;" in text
    assert 'class="text" id="reader">' in text


def test_search_marks_the_words_and_escapes_them(client):
    text = get(client, "/search?q=%3Cscript%3E")
    assert "<script>" not in text.split("<main>", 1)[1]
    assert "<mark>&lt;script&gt;</mark>" in text


def test_unknown_pages_and_ids_are_html_errors(client):
    for path, status in (("/stories/s-000000000000", 404), ("/articles/nope", 404),
                         ("/actors/nobody-at-all", 404), ("/nothing", 404),
                         ("/stories?from=2024-02-30", 422), ("/map?at=geonames:0", 404)):
        r = client.get(path)
        assert r.status_code == status, path
        assert r.headers["content-type"].startswith("text/html")
        assert f"<h1>{status}</h1>" in r.text


def test_a_place_picked_on_the_map_is_shown_without_filtering_the_map(client):
    place = client.get("/api/places", params={"name": "kramatorsk"}).json()["items"][0]
    text = get(client, f"/map?at={place['id']}")
    assert "Map of events: Kramatorsk" in text
    assert 'name="place" value=""' in text
    assert '<circle class="dot selected"' in text
    assert text.count('<circle class="dot') > 2
