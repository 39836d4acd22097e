"""The negotiation tracker over the sample corpus's negotiation articles: its table and
history match their gold positions, copies are no sources, and a disputed stance is a
contradiction with both sides' evidence. Small invented records check each rule alone."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from tests.conftest import SAMPLE_DIR
from triangulate.link import negotiations as neg
from triangulate.model import Mention, PositionMention
from triangulate.store import Store

GOLD = SAMPLE_DIR / "positions.gold.jsonl"
ARTICLES = SAMPLE_DIR / "negotiations.jsonl"
# The gold names its parties; the tracker keys them by id.
PARTY_IDS = {"Hamas": "hamas", "Israel": "israel", "Qatar": "qatar", "Egypt": "egypt",
             "United States": "usa", "Itamar Ben-Gvir": "itamar-ben-gvir",
             "Bezalel Smotrich": "bezalel-smotrich"}


@pytest.fixture(scope="module")
def articles() -> dict[str, dict]:
    return {a["id"]: a for a in map(json.loads, ARTICLES.read_text().splitlines())}


@pytest.fixture(scope="module")
def stored(sample, articles):
    """The tracker and the stored positions, over the negotiation articles only."""
    with Store(sample.db, read_only=True) as store:
        mentions = [m for m in store.position_records() if m.article in articles]
        contradictions = store.contradiction_records("position")
    return neg.tracker(mentions), mentions, contradictions


@pytest.fixture(scope="module")
def gold_tracker(articles, stored):
    """The tracker the gold positions give: each required item is a report on its own date,
    else on its article's publication day. An allowed item counts where the system reports
    it in that article, as the scorer lets it (allowed facts cost nothing either way)."""
    copies = {"lt-2025-01-16-gaza-truce-agreed": "mw-2025-01-15-gaza-truce-agreed"}
    found = {(m.article, m.party, m.issue, m.stance) for m in stored[1] if not m.hypothetical}
    mentions = []
    for doc in map(json.loads, GOLD.read_text().splitlines()):
        items = doc["positions"]["required"] + [
            g for g in doc["positions"]["allowed"]
            if (doc["id"], PARTY_IDS[g["party"][0]], g["issue"], g["stance"]) in found]
        for k, g in enumerate(items):
            mentions.append(PositionMention(
                article=doc["id"], position=f"g{k}", party=PARTY_IDS[g["party"][0]],
                issue=g["issue"], stance=g["stance"], date=g["date"],
                published=doc["published"], outlet=articles[doc["id"]]["outlet"],
                duplicate_of=copies.get(doc["id"]), evidence=Mention(0, 1, "x")))
    return neg.tracker(mentions)


def cell(cells, party: str, issue: str):
    found = [c for c in cells if (c.party, c.issue) == (party, issue)]
    assert found, f"no {party} x {issue} among {sorted((c.party, c.issue) for c in cells)}"
    return found[0]


def days(history) -> list[tuple[str, frozenset[str]]]:
    by_day: dict[str, set[str]] = defaultdict(set)
    for r in history:
        by_day[r.day].add(r.stance)
    return [(d, frozenset(s)) for d, s in sorted(by_day.items())]


def test_every_gold_cell_shows_the_gold_latest_stance_and_day(stored, gold_tracker):
    cells = stored[0]
    for g in gold_tracker:
        c = cell(cells, g.party, g.issue)
        assert (c.day, set(c.stances)) == (g.day, set(g.stances)), (g.party, g.issue)
        assert c.disagree == g.disagree, (g.party, g.issue)


def test_the_hamas_ceasefire_history_follows_the_gold_day_by_day(stored, gold_tracker):
    mine = cell(stored[0], "hamas", "ceasefire")
    assert days(mine.history) == days(cell(gold_tracker, "hamas", "ceasefire").history)
    assert days(mine.history)[-2:] == [("2025-01-16", {"accept", "reject"}),
                                       ("2025-01-17", {"accept"})]
    assert mine.stance == "accept" and mine.changes >= 2
    # the history says who claims what: Israel claims the reneging, Hamas its commitment
    disputed = [r for r in mine.history if r.day == "2025-01-16"]
    assert {r.claimant for r in disputed if r.stance == "reject"} <= {
        "israel", "israel-government", "prime-minister-benjamin-netanyahu-office"}
    assert any(r.stance == "accept" and r.claimant == "izzat-al-rishq" for r in disputed)
    assert all(r.evidence.text in r.evidence.text for r in disputed)


def test_israel_ends_on_the_security_cabinets_approval(stored):
    c = cell(stored[0], "israel", "ceasefire")
    assert (c.stance, c.day, c.article) == ("accept", "2025-01-17",
                                            "lo-2025-01-17-mediators-deal-on-track")
    assert "security cabinet voted to approve" in c.evidence.text
    assert ("2025-01-16", "reject") in {(r.day, r.stance) for r in c.history}


def test_a_syndicated_copy_is_no_independent_source(stored):
    c = cell(stored[0], "hamas", "ceasefire")
    outlets = {r.outlet for r in c.history}
    assert "The Lakeshore Tribune" in outlets
    assert c.sources == len(outlets) - 1 == 3


def test_the_disputed_acceptance_is_a_position_contradiction(stored):
    (con,) = [c for c in stored[2] if c.field == "position.ceasefire"]
    assert set(con.values) == {"hamas accept", "hamas reject"}
    assert con.articles == ["ledger-2025-01-16-gaza-deal-dispute"]
    sides = {(s.value, s.speaker) for s in con.sides}
    assert ("hamas accept", "izzat-al-rishq") in sides
    assert all(s.evidence and s.evidence.text for s in con.sides)


# --------------------------------------------------------------------------- rules alone


def report(article: str, stance: str, day: str, outlet: str, claimant=None, copy_of=None,
           hypothetical=False) -> PositionMention:
    return PositionMention(article=article, position="n1", party="hamas", issue="ceasefire",
                           stance=stance, claimant=claimant, published=day, outlet=outlet,
                           duplicate_of=copy_of, hypothetical=hypothetical,
                           evidence=Mention(0, 6, "Hamas."))


def test_opposed_stances_of_one_day_from_two_outlets_are_disputed():
    cells = neg.tracker([report("a", "accept", "2025-01-15", "Wire"),
                         report("b", "reject", "2025-01-15", "Daily")])
    assert cells[0].disagree and cells[0].stances == ["accept", "reject"]
    (con,) = neg.disputes([report("a", "accept", "2025-01-15", "Wire"),
                           report("b", "reject", "2025-01-15", "Daily")])
    assert con.field == "position.ceasefire" and con.articles == ["a", "b"]


def test_a_change_of_stance_over_days_is_history_not_a_dispute():
    mentions = [report("a", "reject", "2025-01-14", "Wire"),
                report("b", "accept", "2025-01-15", "Daily")]
    (c,) = neg.tracker(mentions)
    assert (c.stance, c.day, c.disagree, c.changes) == ("accept", "2025-01-15", False, 1)
    assert [r.change for r in c.history] == [False, True]
    assert neg.disputes(mentions) == []


def test_a_copy_disagreeing_with_nobody_else_makes_no_dispute():
    mentions = [report("a", "accept", "2025-01-15", "Wire"),
                report("b", "reject", "2025-01-15", "Tribune", copy_of="a")]
    assert neg.disputes(mentions) == []


def test_negotiating_while_rejecting_is_no_dispute_and_a_possibility_no_stance():
    mentions = [report("a", "negotiate", "2025-01-15", "Wire"),
                report("b", "reject", "2025-01-15", "Daily"),
                report("c", "accept", "2025-01-15", "Post", hypothetical=True)]
    (c,) = neg.tracker(mentions)
    assert not c.disagree and c.stances == ["negotiate", "reject"]
    assert neg.disputes(mentions) == []


@pytest.mark.parametrize(("issue", "start", "end"), [("truce", None, None),
                                                     (None, "15 January", None)])
def test_a_bad_filter_is_a_clear_error(issue, start, end):
    with pytest.raises(neg.QueryError):
        neg.check_filters(issue, start, end)
