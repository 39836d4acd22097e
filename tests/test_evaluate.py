"""`triangulate evaluate`: every metric on small gold/prediction pairs written by hand, the
command line, and (beside the development checkout only) agreement with the shared scorer."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from triangulate.cli import app
from triangulate.evaluate import evaluate, evaluate_stories, haversine_km, read_records

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def at(text: str, phrase: str, nth: int = 0) -> dict:
    """{start, end, text} of the nth occurrence of phrase in text."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return {"start": start, "end": start + len(phrase), "text": phrase}


def score(gold: dict, pred: dict | None, layer: str) -> dict:
    result = evaluate([gold], [pred] if pred is not None else [])
    return result["layers"][layer]


def prf(result: dict, metric: str) -> tuple[float, float, float]:
    value = result[metric]
    return value["precision"], value["recall"], value["f1"]


# ----------------------------------------------------------------------------- times

TIME_TEXT = "On Monday, March 4, the army withdrew for two weeks."


def time_gold(**extra) -> dict:
    return {"id": "t", "text": TIME_TEXT, "times": [
        {**at(TIME_TEXT, "March 4"), "value": "2024-03-04", "alt": [], "type": "date"},
        {**at(TIME_TEXT, "two weeks"), "value": "P2W", "alt": [], "type": "duration"},
    ], **extra}


def test_a_date_is_found_by_any_overlap_and_judged_on_its_value():
    pred = {"id": "t", "text": TIME_TEXT, "times": [
        {**at(TIME_TEXT, "Monday, March 4"), "type": "date", "value": "2024-03-04"},
        {**at(TIME_TEXT, "the army"), "type": "date", "value": "2024-03"},
        {**at(TIME_TEXT, "two weeks"), "type": "duration", "value": "P2W"},
    ]}
    times = score(time_gold(), pred, "times")
    assert prf(times, "extraction")[:2] == (0.5, 1.0)  # the duration is not a date prediction
    assert times["value_accuracy"] == 1.0
    assert prf(times, "strict")[:2] == (0.5, 1.0)
    assert prf(times, "all_types_extraction")[:2] == (pytest.approx(2 / 3), 1.0)


def test_a_wrong_value_costs_strict_but_not_extraction_and_alt_values_count():
    wrong = {"id": "t", "times": [{**at(TIME_TEXT, "March 4"), "type": "date", "value": "2024-03"}]}
    times = score(time_gold(), wrong, "times")
    assert prf(times, "extraction")[:2] == (1.0, 1.0)
    assert prf(times, "strict")[:2] == (0.0, 0.0)
    assert times["value_accuracy"] == 0.0
    gold = time_gold()
    gold["times"][0]["alt"] = ["2024-03"]
    assert score(gold, wrong, "times")["value_accuracy"] == 1.0


def test_durations_are_allowed_a_date_on_one_is_correct_and_missing_them_is_free():
    pred = {"id": "t", "times": [{**at(TIME_TEXT, "for two weeks"), "type": "date", "value": "x"}]}
    times = score(time_gold(), pred, "times")
    assert prf(times, "extraction")[:2] == (1.0, 0.0)
    assert prf(times, "strict")[:2] == (1.0, 0.0)  # allowed items are not judged on value


def test_offset_gold_is_matched_one_to_one():
    split = {"id": "t", "times": [
        {**at(TIME_TEXT, "March"), "type": "date", "value": "2024-03-04"},
        {**at(TIME_TEXT, "4,"), "type": "date", "value": "2024-03-04"},
    ]}
    assert prf(score(time_gold(), split, "times"), "extraction")[:2] == (0.5, 1.0)


def test_text_only_gold_matches_by_whole_word_containment_and_repeats_are_not_penalised():
    text = "Since last week, and again last week's night, nothing moved."
    gold = {"id": "t", "text": text, "times": [
        {"text": "last week", "value": "2024-W18", "start": None, "end": None}]}
    pred = {"id": "t", "times": [
        {**at(text, "Since last week"), "type": "date", "value": "2024-W18"},
        {**at(text, "last week's night"), "type": "date", "value": "2024-W18"},
        {**at(text, "nothing"), "type": "date", "value": "2024-W18"},
    ]}
    times = score(gold, pred, "times")
    assert prf(times, "extraction")[:2] == (pytest.approx(2 / 3), 1.0)


# ----------------------------------------------------------------------------- places

PLACE_TEXT = "Troops left Khan Younis for Rafah, Israel said, and shelled Gaza City."
KHAN_YOUNIS = (31.3462, 34.3063)
RAFAH = (31.2969, 34.2436)


def place(name: str, lat, lon, country, *mentions: dict) -> dict:
    return {"id": f"x:{name}", "name": name, "lat": lat, "lon": lon, "country": country,
            "kind": "city", "mentions": list(mentions)}


def places_gold() -> dict:
    return {"id": "p", "text": PLACE_TEXT, "places": {
        "required": [
            {**at(PLACE_TEXT, "Khan Younis"), "lat": KHAN_YOUNIS[0], "lon": KHAN_YOUNIS[1],
             "country": "PS"},
            {**at(PLACE_TEXT, "Rafah"), "lat": RAFAH[0], "lon": RAFAH[1], "country": "PS"},
        ],
        "allowed": [{**at(PLACE_TEXT, "Israel")}],
    }}


def test_toponyms_are_judged_at_161_and_10_km_and_on_their_country():
    pred = {"id": "p", "places": [
        place("Khan Yunis", 31.34, 34.31, "PS", at(PLACE_TEXT, "Khan Younis")),
        place("Rafah", RAFAH[0] + 2.0, RAFAH[1], "EG", at(PLACE_TEXT, "Rafah")),
        place("Israel", None, None, "IL", at(PLACE_TEXT, "Israel")),
    ]}
    places = score(places_gold(), pred, "places")
    assert prf(places, "recognition")[:2] == (1.0, 1.0)  # the allowed mention costs nothing
    assert places["accuracy@161km"] == 0.5  # Rafah placed 222 km north
    assert places["accuracy@10km"] == 0.5
    assert places["country_accuracy"] == 0.5
    # the upper of the two middle errors when their count is even
    assert places["median_error_km"] == pytest.approx(haversine_km(*RAFAH, RAFAH[0] + 2, RAFAH[1]))
    assert prf(places, "end_to_end@161km")[:2] == (pytest.approx(2 / 3), 0.5)


def test_a_place_without_coordinates_is_recognised_but_not_resolved():
    pred = {"id": "p", "places": [place("Khan Younis", None, None, None,
                                        at(PLACE_TEXT, "Khan Younis"))]}
    places = score(places_gold(), pred, "places")
    assert prf(places, "recognition")[:2] == (1.0, 0.5)
    assert places["accuracy@161km"] == 0.0
    assert places["median_error_km"] is None


def test_text_gold_places_match_a_mention_that_contains_them():
    gold = {"id": "p", "places": {"required": [{"text": "Gaza", "lat": 31.5, "lon": 34.47}],
                                  "allowed": []}}
    pred = {"id": "p", "places": [place("Gaza City", 31.5, 34.46, "PS",
                                        at(PLACE_TEXT, "Gaza City"))]}
    places = score(gold, pred, "places")
    assert prf(places, "recognition")[:2] == (1.0, 1.0)
    assert places["accuracy@10km"] == 1.0


# ----------------------------------------------------------------------------- figures

FIGURE_TEXT = "Hamas said nine soldiers were killed; the Israeli army said four."


def figure_pred(*figures: dict, claims: list[dict] | None = None) -> dict:
    return {"id": "f", "text": FIGURE_TEXT,
            "actors": [{"id": "hamas", "name": "Hamas", "country": "PSE", "mentions": []},
                       {"id": "israel-military", "name": "Israel Defense Forces",
                        "country": "ISR", "aliases": ["Israeli army"], "mentions": []}],
            "figures": list(figures),
            "claims": claims if claims is not None else [
                {"id": "c1", "speaker": "hamas", "speaker_text": "Hamas", "figures": ["f1"]},
                {"id": "c2", "speaker": "israel-military", "speaker_text": "the Israeli army",
                 "figures": ["f2"]}]}


def figures_gold(speaker_of_four: list[str]) -> dict:
    return {"id": "f", "text": FIGURE_TEXT, "figures": {
        "required": [{"value": 9, "what": "killed", "speaker": ["Hamas"]},
                     {"value": 4, "what": "killed", "speaker": speaker_of_four}],
        "allowed": [{"value": 250000, "what": "population"}]}}


def test_a_figure_needs_its_value_and_its_claims_speaker():
    pred = figure_pred({"id": "f1", "value": 9, "what": "killed"},
                       {"id": "f2", "value": "4", "what": "dead"},
                       {"id": "f3", "value": 250000.0, "what": "population"},
                       {"id": "f4", "value": 7, "what": "killed"})
    figures = score(figures_gold(["IDF", "Israeli army"]), pred, "figures")
    assert prf(figures, "figures")[:2] == (0.75, 1.0)  # "4" == 4, speaker found by an alias
    assert figures["what_accuracy"] == 0.5  # "dead" is not "killed"
    figures = score(figures_gold(["Hamas"]), pred, "figures")
    assert prf(figures, "figures")[:2] == (0.5, 0.5)
    assert prf(figures, "value_only")[:2] == (0.75, 1.0)


def test_repeating_a_correct_figure_is_not_penalised():
    pred = figure_pred({"id": "f1", "value": 9}, {"id": "f9", "value": 9},
                       claims=[{"id": "c", "speaker": "hamas", "figures": ["f1", "f9"]}])
    gold = {"id": "f", "figures": [{"value": 9, "speaker": ["Hamas"]}]}
    assert prf(score(gold, pred, "figures"), "figures")[:2] == (1.0, 1.0)


# ----------------------------------------------------------------------------- quotes

QUOTE_TEXT = "“We will fight and fight — and fight,” Dana Reyes said. It was “total victory”."


def quote_pred(speaker: str | None) -> dict:
    return {"id": "q", "text": QUOTE_TEXT,
            "actors": [{"id": "dana-reyes", "name": "Dana Reyes", "mentions": []}],
            "quotes": [
                {"id": "q1", "speaker": speaker, "speaker_text": None,
                 **at(QUOTE_TEXT, "“We will fight and fight — and fight,”")},
                {"id": "q2", "speaker": None, "speaker_text": None,
                 **at(QUOTE_TEXT, "“total victory”")}]}


def test_a_quote_contains_the_gold_words_in_any_quote_marks_and_dashes_by_its_speaker():
    gold = {"id": "q", "quotes": {"required": [{"speaker": ["Reyes"],
                                                "contains": "fight and fight - and fight"}],
                                  "allowed": [{"contains": "'total victory'"}]}}
    quotes = score(gold, quote_pred("dana-reyes"), "quotes")
    assert prf(quotes, "quotes")[:2] == (1.0, 1.0)
    quotes = score(gold, quote_pred(None), "quotes")
    assert prf(quotes, "quotes")[:2] == (0.5, 0.0)
    assert prf(quotes, "text_only")[:2] == (1.0, 1.0)


# ----------------------------------------------------------------------------- attributions

ATTR_TEXT = ("Hamas said the ambush killed nine soldiers. The army denied it. "
             "Officials, who asked not to be named, confirmed four deaths on Sunday.")


def content(*parts: str) -> dict:
    spans = [at(ATTR_TEXT, p) for p in parts]
    first, last = spans[0], spans[-1]
    out = {"start": first["start"], "end": last["end"],
           "text": ATTR_TEXT[first["start"]:last["end"]]}
    if len(spans) > 1:
        out["spans"] = [[s["start"], s["end"]] for s in spans]
    return out


def attr_gold() -> dict:
    return {"id": "a", "text": ATTR_TEXT, "attributions": [
        {"source": at(ATTR_TEXT, "Hamas"), "cue": at(ATTR_TEXT, "said"),
         "content": content("the ambush killed nine soldiers")},
        {"source": at(ATTR_TEXT, "Officials"), "cue": at(ATTR_TEXT, "confirmed"),
         "content": content("Officials", "four deaths on Sunday")},
    ]}


def attr_pred(**claim_extra) -> dict:
    return {"id": "a", "text": ATTR_TEXT,
            "actors": [{"id": "hamas", "name": "Hamas", "mentions": [at(ATTR_TEXT, "Hamas")]}],
            "claims": [
                {"id": "c1", "speaker": "hamas", "speaker_text": "Hamas",
                 "content": content("ambush killed nine soldiers"), **claim_extra},
                {"id": "c2", "speaker": None, "speaker_text": "officials",
                 "content": content("Officials, who asked not to be named, confirmed four deaths")},
            ],
            "quotes": [{"id": "q1", "speaker": None, "speaker_text": None,
                        **at(ATTR_TEXT, "the ambush killed nine")}]}


def test_content_spans_match_one_to_one_at_half_jaccard_with_discontinuous_gold_parts():
    attributions = score(attr_gold(), attr_pred(), "attributions")
    # The quote lies inside claim c1: one attribution, not two. c2 covers the second gold
    # item's span from start to end, but that item is only its two parts (Jaccard < 0.5).
    assert attributions["counts"]["quote_claim_duplicates_merged"] == 1
    assert prf(attributions, "content@jaccard0.5")[:2] == (0.5, 0.5)
    assert prf(attributions, "content@any_overlap")[:2] == (1.0, 1.0)
    assert attributions["source_accuracy"] == 1.0  # a mention of the speaker is the source


def test_the_source_is_also_found_by_the_speaker_text():
    pred = attr_pred(speaker=None, speaker_text="HAMAS")
    assert score(attr_gold(), pred, "attributions")["source_accuracy"] == 1.0
    pred = attr_pred(speaker=None, speaker_text="the militants")
    assert score(attr_gold(), pred, "attributions")["source_accuracy"] == 0.0


# ----------------------------------------------------------------------------- events

EVENT_ACTORS = [
    {"id": "hamas", "name": "Hamas", "country": "PSE", "mentions": []},
    {"id": "israel", "name": "Israel", "country": "ISR", "mentions": []},
    {"id": "russia", "name": "Russia", "country": "RUS", "mentions": []},
    {"id": "hu-gov", "name": "Budapest", "country": "HUN", "mentions": []},
]


def event(type_: str, actor=None, target=None, date=None) -> dict:
    return {"id": f"e-{type_}-{actor}", "type": type_, "actor": actor, "target": target,
            "date": date}


def test_an_event_matches_on_type_and_on_the_roles_both_sides_give():
    gold = {"id": "e", "events": {
        "required": [{"type": "ASSAULT", "actor": ["Hamas"], "target": ["Israel"],
                      "date": "2024-04-06"}],
        "allowed": [{"type": "RETREAT"}]}}
    pred = {"id": "e", "actors": EVENT_ACTORS, "events": [
        event("ASSAULT", "hamas", None, "2024-04-06T10:00"),
        event("RETREAT", "israel"),
        event("ASSAULT", "israel", "hamas"),
    ]}
    events = score(gold, pred, "events")
    assert prf(events, "events")[:2] == (pytest.approx(2 / 3), 1.0)
    assert prf(events, "strict_roles")[:2] == (pytest.approx(1 / 3), 0.0)  # no target given
    assert events["date_accuracy"] == 1.0
    assert events["per_type"]["ASSAULT"] == {"gold": 1, "found": 1, "pred": 2, "correct": 1}
    assert events["per_type"]["RETREAT"] == {"gold": 0, "found": 0, "pred": 1, "correct": 1}


def test_country_codes_match_an_actor_by_its_country_and_names_match_whole_words():
    gold = {"id": "e", "events": {"required": [
        {"type": "AGREE", "actor": ["Hungarian"], "actor_codes": ["HUN"]},
        {"type": "THREATEN", "actor": ["US"]}], "allowed": []}}
    pred = {"id": "e", "actors": EVENT_ACTORS, "events": [
        event("AGREE", "hu-gov"), event("THREATEN", "russia")]}
    assert prf(score(gold, pred, "events"), "events")[:2] == (0.5, 0.5)  # US is not in Russia


# ----------------------------------------------------------------------------- techniques

TECH_TEXT = "x" * 100


def technique(name: str, start: int, end: int) -> dict:
    return {"technique": name, "start": start, "end": end, "text": TECH_TEXT[start:end]}


def test_technique_spans_earn_partial_credit_per_character():
    gold = {"id": "k", "text": TECH_TEXT, "techniques": [
        technique("loaded_language", 10, 20), technique("doubt", 30, 40)]}
    pred = {"id": "k", "text": TECH_TEXT, "framing": {"techniques": [
        technique("loaded_language", 15, 25), technique("Name_Calling,Labeling", 30, 40)]}}
    techniques = score(gold, pred, "techniques")
    assert prf(techniques, "span_identification")[:2] == (0.75, 0.75)  # (1/2 + 1) / 2
    # only loaded_language overlaps its own label: 1/2 of one span out of two on each side
    assert prf(techniques, "technique_aware")[:2] == (0.25, 0.25)


def test_ptc_label_names_and_overlapping_spans_are_normalised():
    gold = {"id": "k", "techniques": [technique("name_calling", 10, 20)]}
    pred = {"id": "k", "framing": {"techniques": [
        technique("Name_Calling,Labeling", 10, 15), technique("name calling", 12, 20)]}}
    assert prf(score(gold, pred, "techniques"), "technique_aware")[:2] == (1.0, 1.0)


# ----------------------------------------------------------------------------- genre


def test_genre_is_right_when_the_label_is_one_of_the_gold_labels():
    gold = [{"id": "g1", "genre": ["analysis", "opinion"]}, {"id": "g2", "genre": "news"}]
    pred = [{"id": "g1", "genre": {"label": "Opinion", "score": 0.7}}]
    assert evaluate(gold, pred)["layers"]["genre"]["accuracy"] == 0.5  # g2 has no prediction


# ----------------------------------------------------------------------------- conventions


def test_an_empty_gold_list_means_none_and_an_absent_or_null_layer_is_not_scored():
    gold = {"id": "t", "text": TIME_TEXT, "times": [], "places": None}
    pred = {"id": "t", "times": [{**at(TIME_TEXT, "March 4"), "type": "date", "value": "x"}]}
    result = evaluate([gold], [pred])
    assert set(result["layers"]) == {"times"}
    assert prf(result["layers"]["times"], "extraction") == (0.0, 0.0, 0.0)
    assert prf(evaluate([gold], [{"id": "t"}])["layers"]["times"], "extraction") == (1, 1, 1)


def test_counts_are_summed_over_documents_before_dividing():
    gold = [time_gold(), {**time_gold(), "id": "t2"}]
    pred = [{"id": "t", "times": [{**at(TIME_TEXT, "March 4"), "type": "date", "value": "x"}]}]
    times = evaluate(gold, pred)["layers"]["times"]
    assert times["docs"] == 2
    assert prf(times, "extraction")[:2] == (1.0, 0.5)


def test_malformed_predictions_are_counted_and_never_crash():
    text = TIME_TEXT
    gold = [time_gold(), {**time_gold(), "id": "t2"}, {**time_gold(), "id": "t3"}]
    pred = [
        {"id": "t", "times": [
            42,  # not an item: dropped
            {"start": "4", "end": 11, "type": "date", "value": "2024-03-04"},  # wrong
            {**at(text, "March 4"), "type": "date", "value": "2024-03-04"},
            {"start": 0, "end": 10_000, "text": "x", "type": "date"},  # past the text: wrong
        ]},
        {"id": "t2", "times": "March 4"},  # not a list: nothing predicted
        {"text": "no id"},
        "not a record",
        {"id": "t3", "times": [{"start": 3, "end": 9, "text": "Monday", "type": "date",
                                "value": 20240304}]},
    ]
    result = evaluate(gold, pred)
    assert result["documents"]["malformed_records"] == 2
    times = result["layers"]["times"]
    assert times["counts"]["malformed_items"] == 5
    assert times["counts"]["extraction.predicted"] == 4
    assert prf(times, "extraction")[:2] == (0.25, pytest.approx(1 / 3))


def test_predictions_join_the_gold_on_id_and_the_first_of_duplicates_counts():
    gold = [time_gold()]
    good = {"id": "t", "times": [{**at(TIME_TEXT, "March 4"), "type": "date", "value": "x"}]}
    result = evaluate(gold, [good, {"id": "t"}, {"id": "elsewhere"}])
    assert result["documents"]["duplicate_ids"] == 1
    assert result["documents"]["not_in_gold"] == 1
    assert prf(result["layers"]["times"], "extraction")[:2] == (1.0, 1.0)


def test_read_records_accepts_json_lines_arrays_and_one_object(tmp_path):
    lines = tmp_path / "p.jsonl"
    lines.write_text('{"id": "a", "text": "x\u2028y"}\nnot json\n\n{"id": "b"}\n', encoding="utf-8")
    assert read_records(lines) == ([{"id": "a", "text": "x\u2028y"}, {"id": "b"}], 1)
    array = tmp_path / "p.json"
    array.write_text(json.dumps([{"id": "a"}], indent=2), encoding="utf-8")
    assert read_records(array) == ([{"id": "a"}], 0)
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"id": "a", "times": []}, indent=2), encoding="utf-8")
    assert read_records(one) == ([{"id": "a", "times": []}], 0)


# ----------------------------------------------------------------------------- stories


def test_story_pairs_are_counted_among_annotated_articles_only():
    clusters = [
        {"id": "E1", "articles": ["a1", "a2", {"id": "a3"}],
         "contested_figures": [{"what": "killed", "values": [4, 9]}]},
        {"id": "E2", "articles": ["a4"]},  # a singleton only adds a4 to the universe
    ]
    stories = [
        {"id": "s1", "articles": [{"id": "a1"}, {"id": "a2"}, {"id": "x9"}],
         "figures": [{"what": "killed", "contested": True,
                      "values": [{"value": 9, "speaker": "hamas"}, {"value": 4.0}]}]},
        {"id": "s2", "articles": [{"id": "a3"}, {"id": "a4"}]},
    ]
    result = evaluate_stories(clusters, stories)
    assert result["pairwise"]["precision"] == 0.5
    assert result["pairwise"]["recall"] == pytest.approx(1 / 3)
    assert result["contested_figure_recall"] == 1.0
    assert result["contested_figure_precision"] == 1.0
    clusters[0]["contested_figures"][0]["values"] = [4, 14]
    result = evaluate_stories(clusters, stories)
    assert result["contested_figure_recall"] == 0.0
    assert result["contested_figure_precision"] == 0.0


def test_a_contest_that_lumps_in_a_war_toll_is_a_wrong_contest():
    clusters = [{"id": "E1", "articles": ["a1", "a2"],
                 "contested_figures": [{"what": "killed", "values": [4, 9]}]}]
    honest = {"what": "killed", "contested": True, "values": [{"value": 9}, {"value": 4}]}
    lumped = {"what": "killed", "contested": True,
              "values": [{"value": 9}, {"value": 4}, {"value": 34000}]}
    agreed = {"what": "killed", "contested": False, "values": [{"value": 4}, {"value": 4}]}
    unflagged = {"what": "injured", "values": [{"value": 10}, {"value": 12}]}  # two values
    stories = [{"id": "s1", "articles": ["a1"], "figures": [honest, lumped, agreed]},
               {"id": "s2", "articles": ["a2"], "figures": [unflagged]},
               {"id": "s3", "articles": ["zz"], "figures": [lumped]}]  # near no gold: unjudged
    result = evaluate_stories(clusters, stories)
    assert result["contested_figure_recall"] == 1.0
    assert result["contested_figure_precision"] == pytest.approx(1 / 3)
    assert result["counts"]["contested.predicted"] == 3
    assert evaluate_stories(clusters, [])["contested_figure_precision"] is None


# ----------------------------------------------------------------------------- positions


def position(party, issue, stance, date=None, claimant=None) -> dict:
    return {"party": party, "issue": issue, "stance": stance, "date": date, "claimant": claimant}


def positions_pred(*positions: dict) -> dict:
    return {"id": "d", "actors": [
        {"id": "hamas", "name": "Hamas", "country": None, "mentions": []},
        {"id": "israel", "name": "Israel", "country": "ISR", "mentions": []},
        {"id": "qatar", "name": "Qatar", "country": "QAT", "mentions": []}],
        "positions": list(positions)}


def test_a_position_needs_party_issue_and_stance_and_party_issue_forgives_the_stance():
    gold = {"required": [
        {"party": ["Hamas"], "issue": "ceasefire", "stance": "accept", "date": "2024-05-06",
         "claimant": ["Hamas"]},
        {"party": ["Israel"], "issue": "territory", "stance": "demand"}],
        "allowed": [{"party": ["Qatar"], "issue": "ceasefire", "stance": "mediate"}]}
    pred = positions_pred(
        position("hamas", "ceasefire", "accept", "2024-05-06", "israel"),
        position("hamas", " Ceasefire", "accept", "2024-05-06"),  # the label is normalised
        position("israel", "territory", "reject"),  # right party and issue, wrong stance
        position("qatar", "ceasefire", "mediate"))  # allowed: free
    result = evaluate([{"id": "d", "positions": gold}], [pred])["layers"]["positions"]
    assert prf(result, "positions") == (0.75, 0.5, pytest.approx(0.6))
    assert prf(result, "party_issue") == (1.0, 1.0, 1.0)
    assert result["date_accuracy"] == 1.0
    assert result["claimant_accuracy"] == 0.0  # neither matched prediction names Hamas
    pred["positions"].append(position("qatar", "ceasefire", "demand"))
    result = evaluate([{"id": "d", "positions": gold}], [pred])["layers"]["positions"]
    assert result["positions"]["precision"] == 0.6


def test_positions_without_an_issue_are_malformed():
    gold = {"id": "d", "positions": []}
    pred = positions_pred({"party": "hamas", "stance": "accept"}, "not a position")
    result = evaluate([gold], [pred])["layers"]["positions"]
    assert result["counts"]["malformed_items"] == 2
    assert result["positions"]["precision"] == 0.0


# ----------------------------------------------------------------------------- command line

runner = CliRunner()


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_cli_json_output_is_what_evaluate_returns(tmp_path):
    pred = {"id": "t", "times": [{**at(TIME_TEXT, "March 4"), "type": "date", "value": "x"}]}
    gold_file = write_jsonl(tmp_path / "gold.jsonl", [time_gold()])
    pred_file = write_jsonl(tmp_path / "pred.jsonl", [pred])
    result = runner.invoke(app, ["evaluate", "--gold", str(gold_file), "--pred", str(pred_file),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["layers"] == evaluate([time_gold()], [pred])["layers"]
    table = runner.invoke(app, ["evaluate", "--gold", str(gold_file), "--pred", str(pred_file)])
    assert table.exit_code == 0 and "extraction" in table.stdout


def test_cli_scores_stories(tmp_path):
    gold = write_jsonl(tmp_path / "sg.jsonl", [{"id": "E1", "articles": ["a", "b"]}])
    pred = write_jsonl(tmp_path / "sp.jsonl", [{"id": "s", "articles": [{"id": "a"}, {"id": "b"}]}])
    result = runner.invoke(app, ["evaluate", "--stories-gold", str(gold), "--stories-pred",
                                 str(pred), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["stories"]["pairwise"]["f1"] == 1.0


@pytest.mark.parametrize("args", [
    ["--gold", "GOLD"],  # neither --pred nor --analyze
    ["--gold", "GOLD", "--pred", "GOLD", "--analyze"],
    ["--gold", "GOLD", "--pred", "GOLD", "--layers", "times,colours"],
    ["--gold", "GOLD", "--pred", "missing.jsonl"],
    ["--stories-gold", "GOLD"],
])
def test_cli_usage_errors_exit_2(tmp_path, args):
    gold_file = write_jsonl(tmp_path / "gold.jsonl", [time_gold()])
    args = [str(gold_file) if a == "GOLD" else str(tmp_path / a) if a.endswith(".jsonl") else a
            for a in args]
    assert runner.invoke(app, ["evaluate", *args]).exit_code == 2


def test_cli_analyze_scores_our_own_analysis_of_the_gold_texts(tmp_path, nlp):
    text = "Israeli troops withdrew from Khan Younis on Sunday, April 7, 2024."
    gold = {"id": "own", "text": text, "published": "2024-04-08", "times": [
        {**at(text, "April 7, 2024"), "value": "2024-04-07", "alt": [], "type": "date"}]}
    gold_file = write_jsonl(tmp_path / "gold.jsonl", [gold])
    saved = tmp_path / "pred.jsonl"
    result = runner.invoke(app, ["evaluate", "--gold", str(gold_file), "--analyze",
                                 "--save-pred", str(saved), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["documents"]["without_prediction"] == 0
    assert report["layers"]["times"]["extraction"]["recall"] == 1.0
    assert read_records(saved)[0][0]["id"] == "own"


# ----------------------------------------------------------------------------- shared scorer

AGREEMENT_SETS = {  # gold file -> how many of its first documents to analyse
    "gold/seeds.jsonl": None,
    "eval/dev/polnear-dev.jsonl": 30,
    "eval/dev/geo-gwn.jsonl": 30,
}


@pytest.fixture(scope="module")
def shared_predictions(tmp_path_factory, nlp):
    """Gold excerpts and the pipeline's predictions on them, written where score.py reads."""
    if not (SHARED / "eval" / "score.py").exists():
        pytest.skip(f"{SHARED} is not here: agreement with the shared scorer is checked only "
                    "beside the development checkout")
    from triangulate.evaluate import analyze_gold

    folder = tmp_path_factory.mktemp("agreement")
    pairs = []
    for name, limit in AGREEMENT_SETS.items():
        gold = read_records(SHARED / name)[0][:limit]
        stem = Path(name).stem
        pairs.append((write_jsonl(folder / f"{stem}.gold.jsonl", gold),
                      write_jsonl(folder / f"{stem}.pred.jsonl", list(analyze_gold(gold)))))
    return pairs


def flatten(block: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in block.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[prefix + key] = value
    return flat


STORY_CASES = [  # (gold clusters, predicted stories): each case exercises a scoring rule
    ([{"id": "E1", "articles": ["a", "b", "c"],
       "contested_figures": [{"what": "killed", "values": [4, 9]},
                             {"what": "injured", "values": [{"value": 10}, 12]}]},
      {"id": "E2", "articles": ["d"], "contested": [{"values": [3, 5]}]}],
     [{"articles": [{"id": "a"}, {"id": "b"}, "d"],
       "figures": [{"what": "killed", "contested": True, "values": [{"value": 9}, {"value": 4}]},
                   {"what": "killed", "contested": True, "values": [9, 4, 34000]},
                   {"what": "Injured", "values": [{"value": 10}, {"value": 12}]},
                   {"what": None, "values": [3, 5]},
                   "junk"]},
      {"articles": [{"id": "c"}, {"id": "x"}], "figures": [{"what": "killed", "values": [4]}]},
      "not a story"]),
    ([{"id": "E1", "articles": ["a", "b"]}], [{"articles": [{"id": "q"}]}]),
]


@pytest.mark.parametrize("case", range(len(STORY_CASES)))
def test_story_numbers_equal_the_shared_scorer(case, tmp_path):
    if not (SHARED / "eval" / "score.py").exists():
        pytest.skip(f"{SHARED} is not here: agreement with the shared scorer is checked only "
                    "beside the development checkout")
    clusters, stories = STORY_CASES[case]
    gold_file = write_jsonl(tmp_path / "sg.jsonl", clusters)
    pred_file = write_jsonl(tmp_path / "sp.jsonl", stories)
    out = tmp_path / "ref.json"
    subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "--stories-gold",
                    str(gold_file), "--stories-pred", str(pred_file), "--json", str(out)],
                   check=True, capture_output=True)
    reference = json.loads(out.read_text(encoding="utf-8"))["layers"]["stories"]
    ours = evaluate_stories(read_records(gold_file)[0], read_records(pred_file)[0])
    for key in ("contested_figure_recall", "contested_figure_precision"):
        assert ours[key] == reference[key], key
    assert ours["pairwise"] == pytest.approx(reference["pairwise"])


@pytest.mark.parametrize("index", range(len(AGREEMENT_SETS)),
                         ids=[Path(n).stem for n in AGREEMENT_SETS])
def test_numbers_equal_the_shared_scorer(shared_predictions, index, tmp_path):
    gold_file, pred_file = shared_predictions[index]
    out = tmp_path / "ref.json"
    subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(gold_file),
                    "--pred", str(pred_file), "--json", str(out)], check=True,
                   capture_output=True)
    reference = json.loads(out.read_text(encoding="utf-8"))["layers"]
    ours = evaluate(read_records(gold_file)[0], read_records(pred_file)[0])["layers"]
    assert set(ours) == set(reference)
    for layer, block in reference.items():
        theirs = flatten({k: v for k, v in block.items() if k not in ("counts", "final")})
        mine = flatten({k: v for k, v in ours[layer].items() if k != "counts"})
        for key, value in theirs.items():
            assert key in mine, f"{layer}: {key} missing"
            if value is None or mine[key] is None:
                assert value == mine[key], f"{layer} {key}: {mine[key]} != {value}"
            else:
                assert math.isclose(mine[key], value, rel_tol=0, abs_tol=1e-9), (
                    f"{layer} {key}: ours {mine[key]}, shared scorer {value}")
