"""The ClaimReview export: schema.org JSON-LD that states disagreement, never a verdict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyld import jsonld

from triangulate import export
from triangulate.export import claimreview

CONTEXT = json.loads((Path(__file__).parent / "data" / "schemaorg-context.jsonld").read_text())
SCHEMA = "http://schema.org/"


def local_loader(url, options=None):
    """Serves the schema.org context from the test data; any other URL is refused, so the
    expansion never reaches the network."""
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}
    raise jsonld.JsonLdError(f"offline test: no document for {url}", "loading document failed")


@pytest.fixture
def reviews(store):
    return export.build(store, "claimreview", base_url="https://checks.example",
                        author="Example Desk", date="2024-03-08").payload


def test_there_is_one_review_per_disputed_or_updated_figure(reviews):
    ratings = sorted(r["reviewRating"]["alternateName"] for r in reviews)
    assert ratings == [claimreview.UPDATED, claimreview.DISAGREE]


def test_every_review_has_every_required_property(reviews):
    for r in reviews:
        assert r["@context"] == "https://schema.org" and r["@type"] == "ClaimReview"
        assert r["claimReviewed"] and r["url"].startswith("https://checks.example/stories/")
        assert r["author"] == {"@type": "Organization", "name": "Example Desk"}
        assert r["datePublished"] == "2024-03-08"
        item = r["itemReviewed"]
        assert item["@type"] == "Claim" and item["author"]["name"]
        assert all(a["url"].startswith("https://") for a in item["appearance"])


def test_the_rating_states_disagreement_and_never_a_verdict(reviews):
    for r in reviews:
        rating = r["reviewRating"]
        assert rating["alternateName"] in (claimreview.DISAGREE, claimreview.UPDATED)
        assert not {"ratingValue", "bestRating", "worstRating"} & set(rating)


def test_the_disputed_toll_names_each_side_with_its_evidence(reviews, store):
    disputed = next(r for r in reviews if r["reviewRating"]["alternateName"] == claimreview.DISAGREE)
    claims = [disputed["itemReviewed"], *disputed["mentions"]]
    authors = {c["author"]["name"] for c in claims}
    assert authors == {"Ukrainian government", "Russian government"}
    texts = dict(store.article_texts())
    for c in claims:
        for a in c["appearance"]:
            assert a["text"] in texts[a["identifier"]]


def _properties(node) -> set[str]:
    out: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if not key.startswith("@"):
                out.add(key)
            out |= _properties(value)
    elif isinstance(node, list):
        for item in node:
            out |= _properties(item)
    return out


def test_reviews_expand_as_json_ld_with_no_term_dropped(reviews):
    for r in reviews:
        expanded = jsonld.expand(r, {"documentLoader": local_loader})
        iris = _properties(expanded)
        assert all(iri.startswith(SCHEMA) for iri in iris)
        assert {SCHEMA + p for p in _properties(r)} == iris
        assert expanded[0]["@type"] == [SCHEMA + "ClaimReview"]


def test_a_contradiction_about_the_place_is_one_review_naming_each_side():
    from triangulate.export.common import Names
    from triangulate.model import Contradiction, ContradictionSide, Mention, Story, StoryPlace

    sides = [ContradictionSide("Deir al-Balah", "a1", "Harbor Post", None,
                               Mention(0, 13, "Deir al-Balah")),
             ContradictionSide("Nuseirat", "a2", "Northline Daily", "PSE",
                               Mention(20, 28, "Nuseirat"))]
    figure_side = ContradictionSide(9, "a1", "Harbor Post", "hamas", None)
    story = Story(id="s1", type="ASSAULT", date="2024-06-08",
                  place=StoryPlace("alias:nuseirat", "Nuseirat", 31.4, 34.4),
                  contradictions=[Contradiction("place", ["Deir al-Balah", "Nuseirat"],
                                                ["a1", "a2"], "s1", sides),
                                  Contradiction("figures.killed", [9], ["a1"], "s1",
                                                [figure_side])])
    names = Names(actors={}, places={}, articles={
        "a1": {"url": "https://harbor.example/a1", "outlet": "Harbor Post",
               "published": "2024-06-08", "title": "Raid"},
        "a2": {"url": "https://northline.example/a2", "outlet": "Northline Daily",
               "published": "2024-06-09", "title": "Raid"}})
    (review,) = claimreview.reviews([story], names, date="2024-06-10")
    assert review["claimReviewed"] == "The event's place: Deir al-Balah"
    assert review["reviewRating"]["ratingExplanation"] == (
        "Sources disagree: Harbor Post says Deir al-Balah; Palestine says Nuseirat.")
    assert review["mentions"][0]["appearance"][0]["url"] == "https://northline.example/a2"
    assert review["url"].endswith("/stories/s1#contradiction-place")
    expanded = jsonld.expand(review, {"documentLoader": local_loader})
    assert {SCHEMA + p for p in _properties(review)} == _properties(expanded)
