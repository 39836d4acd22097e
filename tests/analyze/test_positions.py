"""Negotiation positions: who demands, proposes, accepts, rejects, mediates or negotiates
what, who says so, and on what conditions. Every fixture is invented prose."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import SAMPLE_DIR
from triangulate.model import to_dict

PUBLISHED = "2025-01-15"  # a Wednesday


def positions(analyze, text: str):
    record = analyze(text, published=PUBLISHED)
    for p in record.positions:  # every position and condition cites its exact words
        assert record.text[p.evidence.start:p.evidence.end] == p.evidence.text
        if p.cue is not None:
            assert record.text[p.cue.start:p.cue.end] == p.cue.text
        for c in p.conditions:
            assert record.text[c.evidence.start:c.evidence.end] == c.evidence.text
    return record.positions


def facts(found) -> set[tuple[str, str, str]]:
    return {(p.party, p.stance, p.issue) for p in found}


def one(found, party: str, stance: str, issue: str):
    matches = [p for p in found if (p.party, p.stance, p.issue) == (party, stance, issue)]
    assert matches, f"no {party} {stance} {issue} in {sorted(facts(found))}"
    return matches[0]


# --------------------------------------------------------------------------- stances

STANCES = [
    ("Hamas accepted the Egyptian cease-fire proposal on Monday.",
     {("hamas", "accept", "ceasefire"), ("egypt", "propose", "ceasefire")}),
    ("Israel agreed to a six-week truce in Gaza.", {("israel", "accept", "ceasefire")}),
    ("Hamas refused to release the remaining hostages.", {("hamas", "reject", "hostages")}),
    ("Israeli officials rejected any withdrawal of troops from the Philadelphi corridor.",
     {("israel", "reject", "withdrawal")}),
    ("Netanyahu called the cease-fire terms delusional.", {("israel", "reject", "ceasefire")}),
    ("Hamas demanded a full withdrawal of Israeli forces from Gaza.",
     {("hamas", "demand", "withdrawal")}),
    ("The UN Security Council called for an immediate cease-fire.",
     {("un", "demand", "ceasefire")}),
    ("Israel insisted on keeping control of the Philadelphi corridor.",
     {("israel", "demand", "territory")}),
    ("Egypt proposed a two-week truce and the release of 40 hostages.",
     {("egypt", "propose", "ceasefire"), ("egypt", "propose", "hostages")}),
    ("The talks stalled after Hamas rejected a plan drafted by Qatari mediators to free the "
     "hostages.", {("hamas", "reject", "hostages"), ("qatar", "propose", "hostages"),
                   ("qatar", "mediate", "hostages")}),
    ("Qatar and Egypt are mediating the cease-fire talks between Israel and Hamas.",
     {("qatar", "mediate", "ceasefire"), ("egypt", "mediate", "ceasefire")}),
    ("Israel turned to Russia for help in freeing the hostages.",
     {("russia", "mediate", "hostages")}),
    ("Israeli and Hamas negotiators held indirect talks in Doha on a prisoner exchange.",
     {("israel", "negotiate", "prisoners"), ("hamas", "negotiate", "prisoners")}),
]


@pytest.mark.parametrize(("text", "expected"), STANCES, ids=[t[:40] for t, _ in STANCES])
def test_each_stance_is_read_with_its_party_and_issue(analyze, text, expected):
    assert expected <= facts(positions(analyze, text))


def test_what_a_party_is_urged_to_do_is_not_its_stance(analyze):
    found = positions(analyze, "The UN urged Israel to accept the truce.")
    demand = one(found, "un", "demand", "ceasefire")
    assert demand.counterpart == "israel"
    assert ("israel", "accept", "ceasefire") not in facts(found)


def test_a_heads_of_government_stance_is_their_states(analyze):
    found = positions(analyze, "Benjamin Netanyahu rejected the truce proposal on Tuesday.")
    p = one(found, "israel", "reject", "ceasefire")
    assert p.actor == "benjamin-netanyahu" and p.date == "2025-01-14"


def test_a_minister_who_breaks_ranks_keeps_his_own_stance(analyze):
    found = positions(analyze, "Itamar Ben-Gvir called the truce a surrender to Hamas.")
    assert facts(found) == {("itamar-ben-gvir", "reject", "ceasefire")}


def test_no_negotiation_no_positions(analyze):
    assert positions(analyze, "Shelling hit the market in the morning, killing three people, "
                              "the health ministry said.") == []


def test_the_city_talks_are_held_in_is_no_party_to_them(analyze):
    assert positions(analyze, "The Cairo talks on a truce resumed on Monday.") == []
    found = positions(analyze, "Egypt and Qatar mediated the Israel-Hamas talks on a truce.")
    assert {("israel", "negotiate", "ceasefire"), ("hamas", "negotiate", "ceasefire")} <= facts(
        found)


def test_talks_about_something_else_are_not_about_a_ceasefire(analyze):
    found = positions(analyze, "Pakistan is negotiating a loan programme with the IMF.")
    assert facts(found) == {("pakistan", "negotiate", "other")}


def test_the_deal_an_article_names_is_what_a_later_mention_of_the_deal_is_about(analyze):
    found = positions(analyze, "Mediators presented a new cease-fire agreement on Monday. "
                               "Hamas accepted the deal on Tuesday.")
    assert one(found, "hamas", "accept", "ceasefire").date == "2025-01-14"


# --------------------------------------------------------------------------- conditions


def test_a_clausal_condition_list_gives_one_demand_per_issue(analyze):
    text = ("Hamas said it would accept the truce on three conditions: that Israeli troops "
            "withdraw from Gaza, that displaced people return to their homes in the north and "
            "that the war end for good.")
    found = positions(analyze, text)
    accept = one(found, "hamas", "accept", "ceasefire")
    assert accept.conditional and accept.claimant == "hamas"
    assert [c.issue for c in accept.conditions] == ["withdrawal", "return", "end_of_war"]
    assert [c.evidence.text for c in accept.conditions] == [
        "Israeli troops withdraw from Gaza",
        "displaced people return to their homes in the north",
        "the war end for good"]
    demands = [p for p in found if p.stance == "demand"]
    assert {p.issue for p in demands} == {"withdrawal", "return", "end_of_war"}
    assert all(p.condition_of == accept.id and p.party == "hamas" for p in demands)


def test_coordinated_demands_give_one_demand_each(analyze):
    found = positions(analyze, "Hamas demands a complete withdrawal, the return of the "
                               "displaced and a permanent end to the war.")
    assert facts(found) == {("hamas", "demand", "withdrawal"), ("hamas", "demand", "return"),
                            ("hamas", "demand", "end_of_war")}
    assert {p.evidence.text for p in found} == {
        "a complete withdrawal", "the return of the displaced", "a permanent end to the war"}


def test_a_bulleted_list_of_demands_gives_one_demand_per_line(analyze):
    text = ("In its reply, Hamas listed its demands:\n"
            "- the withdrawal of Israeli forces from all of Gaza\n"
            "- the return of displaced families to the north\n"
            "- the release of Palestinian prisoners\n")
    found = positions(analyze, text)
    assert facts(found) == {("hamas", "demand", "withdrawal"), ("hamas", "demand", "return"),
                            ("hamas", "demand", "prisoners")}
    assert one(found, "hamas", "demand", "prisoners").evidence.text == \
        "the release of Palestinian prisoners"


def test_demands_listed_for_a_named_deal_hang_from_it(analyze):
    text = ("The group insisted on two conditions for a cease-fire: that Israeli forces "
            "withdraw from Gaza and that prisoners be exchanged for the hostages.")
    found = positions(analyze, "Hamas met the mediators on Monday. " + text)
    parent = one(found, "hamas", "demand", "ceasefire")
    assert [c.issue for c in parent.conditions][:1] == ["withdrawal"]
    assert one(found, "hamas", "demand", "withdrawal").condition_of == parent.id


def test_an_if_clause_is_the_condition_of_an_acceptance(analyze):
    found = positions(analyze, "Hamas will accept the truce if Israel withdraws its forces "
                               "from Gaza.")
    accept = one(found, "hamas", "accept", "ceasefire")
    assert accept.conditional and [c.issue for c in accept.conditions] == ["withdrawal"]
    assert one(found, "hamas", "demand", "withdrawal").condition_of == accept.id


@given(st.lists(st.sampled_from(["Israeli forces withdraw", "the war end", "aid flow freely",
                                 "prisoners be freed", "the crossings reopen"]),
                min_size=2, max_size=4, unique=True))
def test_a_that_list_splits_into_its_items_exactly(items):
    from triangulate.analyze.positions.conditions import _inline_items

    body = ", ".join(f"that {i}" for i in items[:-1]) + f" and that {items[-1]}."
    text = "Hamas set conditions: " + body
    spans = _inline_items(text, text.index(":") + 1, len(text), head=True)
    assert [text[s:e] for s, e in spans] == items


# --------------------------------------------------------------------------- who says so


def test_a_position_in_the_outlets_own_voice_has_no_claimant(analyze):
    p = one(positions(analyze, "Hamas accepted the truce proposal on Monday."),
            "hamas", "accept", "ceasefire")
    assert p.claimant is None and p.date == "2025-01-13"


def test_a_party_announcing_its_own_stance_is_its_claimant(analyze):
    p = one(positions(analyze, "Hamas said it had accepted the proposal for a truce."),
            "hamas", "accept", "ceasefire")
    assert p.claimant == "hamas"


def test_a_reported_acceptance_is_the_reporters_claim_and_its_dispute_its_own_rejection(analyze):
    found = positions(analyze, "Israel says the truce deal Hamas accepted is not the one it "
                               "was shown.")
    assert one(found, "hamas", "accept", "ceasefire").claimant == "israel"
    reject = one(found, "israel", "reject", "ceasefire")
    assert reject.claimant == "israel" and not reject.negated


def test_a_dispute_after_the_news_takes_the_day_of_the_news(analyze):
    found = positions(analyze, "Hamas announced on Monday that it had accepted the truce "
                               "proposal. Within hours, Israeli officials said the deal wasn’t "
                               "what they had agreed to.")
    assert one(found, "hamas", "accept", "ceasefire").date == "2025-01-13"
    assert one(found, "israel", "reject", "ceasefire").date == "2025-01-13"


# --------------------------------------------------------------------------- qualified


def test_a_negated_acceptance_is_a_rejection(analyze):
    found = positions(analyze, "Hamas did not accept the Israeli truce proposal.")
    reject = one(found, "hamas", "reject", "ceasefire")
    assert reject.negated and reject.counterpart == "israel"
    assert not one(found, "israel", "propose", "ceasefire").negated


def test_refusing_any_deal_that_does_not_end_the_war_is_a_conditional_rejection(analyze):
    found = positions(analyze, "Hamas will not accept any truce deal that does not end the "
                               "war, its leaders said.")
    reject = one(found, "hamas", "reject", "ceasefire")
    assert reject.conditional and reject.negated
    assert [c.issue for c in reject.conditions] == ["end_of_war"]
    assert one(found, "hamas", "demand", "end_of_war").condition_of == reject.id


def test_a_possible_acceptance_is_hypothetical(analyze):
    p = one(positions(analyze, "Israel could accept a longer truce, officials said."),
            "israel", "accept", "ceasefire")
    assert p.hypothetical


def test_a_stance_as_a_topic_is_no_ones(analyze):
    found = positions(analyze, "Israeli leaders argue that agreeing to a truce now would "
                               "reward Hamas.")
    assert ("hamas", "accept", "ceasefire") not in facts(found)
    assert ("israel", "accept", "ceasefire") not in facts(found)


# --------------------------------------------------------------------------- the corpus


def test_the_sample_negotiation_articles_score_their_gold(sample_analyses):
    from triangulate.evaluate import evaluate

    gold = [json.loads(line) for line in
            (SAMPLE_DIR / "positions.gold.jsonl").read_text(encoding="utf-8").splitlines()]
    by_id = {a.id: a for a in sample_analyses}
    assert {g["id"] for g in gold} <= set(by_id)
    pred = [to_dict(by_id[g["id"]]) for g in gold]
    assert all(p["text"] == g["text"] for p, g in zip(pred, gold, strict=True))
    scores = evaluate(gold, pred, {"positions"})["layers"]["positions"]
    assert scores["positions"]["f1"] >= 0.85, scores
    assert scores["party_issue"]["f1"] >= 0.85, scores
    assert scores["date_accuracy"] >= 0.75, scores
