"""Actors: dictionary names, demonym + role phrases, NER unknowns, references."""

from __future__ import annotations

import pytest

from triangulate.analyze.actors import find_actors, is_agentive, resolve_reference


@pytest.fixture(scope="module")
def actors_of(nlp):
    def run(text: str):
        doc = nlp(text)
        return doc, {a.id: a for a in find_actors(doc)}

    return run


def mention_texts(actor) -> list[str]:
    return [m.text for m in actor.mentions]


def test_every_mention_is_exact_text(actors_of):
    doc, found = actors_of(
        "Hamas fighters ambushed Israeli soldiers near Khan Younis, the IDF said on Sunday. "
        "Prime Minister Benjamin Netanyahu said Israel would respond."
    )
    for actor in found.values():
        for m in actor.mentions:
            assert doc.text[m.start:m.end] == m.text


def test_alias_finds_dictionary_actor(actors_of):
    _, found = actors_of("The Izz ad-Din al-Qassam Brigades said the IDF had withdrawn.")
    assert mention_texts(found["hamas"]) == ["Izz ad-Din al-Qassam Brigades"]
    assert mention_texts(found["israel-military"]) == ["IDF"]


def test_demonym_and_role_noun_name_the_institution(actors_of):
    _, found = actors_of("Russian forces shelled the city, Ukrainian officials said.")
    assert mention_texts(found["russia-military"]) == ["Russian forces"]
    assert mention_texts(found["ukraine-government"]) == ["Ukrainian officials"]


def test_title_and_name_form_one_person_mention(actors_of):
    _, found = actors_of("Iraqi President Saddam Hussein met Jordan's King Abdullah II in Amman.")
    saddam = next(a for a in found.values() if a.name == "Saddam Hussein")
    assert mention_texts(saddam) == ["Iraqi President Saddam Hussein"]
    assert saddam.country == "IRQ"


def test_surname_joins_unknown_person(actors_of):
    _, found = actors_of("Shimon Boker, a farmer, was angry. Boker said the war must end.")
    boker = found["shimon-boker"]
    assert boker.known is False
    assert mention_texts(boker) == ["Shimon Boker", "Boker"]


def test_he_resolves_to_the_last_person(actors_of, nlp):
    doc = nlp("Shimon Boker lives near the border. He said the army had left.")
    found = find_actors(doc)
    start = doc.text.index("He said")
    actor = resolve_reference(doc, start, start + 2, found)
    assert actor is not None and actor.id == "shimon-boker"


def test_country_subject_is_agentive(nlp):
    doc = nlp("Israel admitted that four soldiers died in Gaza.")
    assert is_agentive(doc, 0, 6)
    start = doc.text.index("Gaza")
    assert not is_agentive(doc, start, start + 4)


def test_short_all_caps_aliases_are_case_sensitive(actors_of):
    _, found = actors_of("Let us hope it is over, the US envoy said as IS fighters fled.")
    assert mention_texts(found["usa-government"]) == ["US envoy"]
    texts = [m.text for a in found.values() for m in a.mentions]
    assert "us" not in texts and "is" not in texts
    assert "IS fighters" in mention_texts(found["isis"])


def test_demonym_people_and_police(actors_of):
    _, found = actors_of("Sudanese police fired on protesters. Palestinians fled as Israelis watched.")
    assert found["sudan-police"].country == "SDN"
    assert mention_texts(found["sudan-police"]) == ["Sudanese police"]
    assert found["palestinians"].kind == "people"
    assert "protesters" in found


def test_titles_are_stripped_from_the_name(actors_of):
    _, found = actors_of("Lt. Gen. Herzi Halevi spoke to reporters.")
    halevi = found["herzi-halevi"]
    assert halevi.name == "Herzi Halevi"
    assert mention_texts(halevi) == ["Lt. Gen. Herzi Halevi"]


def test_country_is_emitted_as_an_actor_mention(actors_of):
    _, found = actors_of("Russia denied the report.")
    assert found["russia"].kind == "state"
    assert mention_texts(found["russia"]) == ["Russia"]


def test_capital_is_the_government_only_as_an_actor(actors_of):
    _, found = actors_of("Moscow rejected the plan. Thousands marched in Kyiv.")
    assert mention_texts(found["russia-government"]) == ["Moscow"]
    assert "ukraine-government" not in found


def test_the_group_and_the_army_resolve_back(nlp):
    doc = nlp("Hamas rejected the offer. The group said the Israeli army had attacked. "
              "The army denied it.")
    found = find_actors(doc)
    group = doc.text.index("The group")
    assert resolve_reference(doc, group, group + 9, found).id == "hamas"
    army = doc.text.index("The army")
    assert resolve_reference(doc, army, army + 8, found).id == "israel-military"


def test_role_of_a_country_and_led_forces(actors_of):
    _, found = actors_of("The president of Armenia met Vietnamese-led forces.")
    assert mention_texts(found["armenia-government"]) == ["president of Armenia"]
    assert mention_texts(found["vietnam-military"]) == ["Vietnamese-led forces"]


def test_named_group_before_a_role_noun(actors_of):
    _, found = actors_of("Darfur rebels attacked the town.")
    rebels = found["darfur-rebels"]
    assert rebels.kind == "armed_group" and rebels.known is False


# ----------------------------------------------------------------------------- located bodies


@pytest.mark.parametrize("text", [
    "Gaza's health ministry said 274 people were killed.",
    "Gaza\u2019s health ministry said 274 people were killed.",
    "The health ministry in Gaza said 274 people were killed.",
    "The Gaza health ministry said 274 people were killed.",
    "The Hamas-run health ministry said 274 people were killed.",
    "The health ministry in the Hamas-run territory said 274 people were killed.",
])
def test_every_wording_of_a_dictionary_ministry_is_that_ministry(actors_of, text):
    doc, found = actors_of(text)
    ministry = found["gaza-health-ministry"]
    assert (ministry.kind, ministry.country) == ("government", "PSE")
    assert all(doc.text[m.start:m.end] == m.text for m in ministry.mentions)


@pytest.mark.parametrize("text", [
    "The government media office in Gaza said 210 people were killed.",
    "The government media office in the Hamas-run territory said 210 people were killed.",
])
def test_the_media_office_in_gaza_is_one_actor(actors_of, text):
    _, found = actors_of(text)
    assert "gaza-media-office" in found


def test_a_place_without_a_dictionary_ministry_gets_one_made_up_id(actors_of):
    _, first = actors_of("Darfur's health ministry said 12 people were killed.")
    _, second = actors_of("The health ministry in Darfur said 12 people were killed.")
    assert "darfur-health-ministry" in first and "darfur-health-ministry" in second
    ministry = first["darfur-health-ministry"]
    assert (ministry.kind, ministry.country, ministry.parent) == ("government", "SDN", "sudan")


def test_a_state_named_after_its_ministry_is_its_government_as_before(actors_of):
    _, first = actors_of("Lebanon's health ministry said 12 people were killed.")
    _, second = actors_of("The health ministry in Lebanon said 12 people were killed.")
    assert "lebanon-government" in first and "lebanon-government" in second


def test_the_military_of_an_article_about_one_country_is_that_countrys(actors_of):
    _, found = actors_of(
        "Israel has withdrawn an army division from Khan Younis, the military said on Sunday. "
        "Israel says the troops will rest. Israel will decide on Rafah later.")
    assert "the military" not in [m.text for a in found.values() if a.id == "military"
                                  for m in a.mentions]
    assert "military" in mention_texts(found["israel-military"])


def test_the_ministry_refers_back_to_the_ministry_not_the_office_named_since(actors_of):
    _, found = actors_of(
        "Gaza's health ministry said 274 people were killed. The government media office "
        "in Gaza said 64 children were among them. The ministry gave no breakdown.")
    assert mention_texts(found["gaza-health-ministry"]) == ["Gaza's health ministry", "ministry"]
    assert mention_texts(found["gaza-media-office"]) == ["government media office in Gaza"]


def _resolve(nlp, text: str, phrase: str, nth: int = 0):
    doc = nlp(text)
    found = find_actors(doc)
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    actor = resolve_reference(doc, start, start + len(phrase), found)
    return actor.id if actor is not None else None


def test_a_ranked_name_tagged_as_an_organisation_is_a_person_without_the_rank(actors_of):
    _, found = actors_of("The strikes hit 60 targets, according to Lieutenant General Alexus "
                         "Grynkewich, who commands the air force.")
    person = found["alexus-grynkewich"]
    assert person.kind == "person"
    assert mention_texts(person) == ["Lieutenant General Alexus Grynkewich"]


def test_he_resolves_to_a_person_never_to_a_group(nlp):
    assert _resolve(nlp, "The Houthis said the ship was hit. He said the crew was safe.", "He") is None


def test_it_skips_names_in_the_plural(nlp):
    text = "The Yemeni government blamed the Houthis for what it called a disaster."
    assert _resolve(nlp, text, "it") == "yemen-government"


def test_the_group_skips_unnamed_fighters_for_the_named_group(nlp):
    text = ("The Qassam Brigades said its fighters hit two tanks. The group said nine soldiers "
            "were killed.")
    assert _resolve(nlp, text, "The group") == "hamas"


def test_the_ministry_is_the_body_an_earlier_mention_called_a_ministry(actors_of):
    _, found = actors_of("The Russian Defence Ministry rejected accusations by Kyiv. According to "
                         "the ministry, the missile was launched by Ukrainian units.")
    assert mention_texts(found["russia-military"]) == ["Russian Defence Ministry", "ministry"]


def test_a_headline_naming_a_body_by_role_is_the_body_its_article_names(actors_of):
    _, found = actors_of("Defence Ministry: strike carried out by Ukrainian forces\n\n"
                         "The Russian Defence Ministry on Friday rejected accusations by Kyiv.")
    assert mention_texts(found["russia-military"]) == ["Defence Ministry", "Russian Defence Ministry"]
    assert "defence-ministry" not in found


def test_its_institution_belongs_to_the_state_it_refers_to(actors_of):
    _, found = actors_of("Russia has denied the strike. Its defence ministry said no aircraft flew.")
    assert mention_texts(found["russia-military"]) == ["Its defence ministry"]


def test_its_troops_acting_are_the_named_military(actors_of):
    _, found = actors_of("The Israeli military said its troops had returned fire.")
    assert mention_texts(found["israel-military"]) == ["Israeli military", "its troops"]
    assert "military" not in found


def test_its_troops_acted_on_stay_generic(actors_of):
    _, found = actors_of("Israel has reinforced its forces in the north.")
    assert "israel-military" not in found


def test_fighters_from_a_named_group_are_the_group(actors_of):
    _, found = actors_of("Fighters from the Qassam Brigades ambushed a patrol.")
    assert "Fighters from the Qassam Brigades" in mention_texts(found["hamas"])
    assert "militants" not in found


def test_the_city_s_council_is_the_council_of_the_city_named_before(actors_of):
    _, found = actors_of("Shelling hit a school in Kharkiv on Monday, the city's council said.")
    assert mention_texts(found["kharkiv-city-council"]) == ["city's council"]


def test_an_alias_with_its_article_does_not_cut_a_longer_name(actors_of):
    _, found = actors_of("The UN human rights office said 148 killings were verified.")
    assert mention_texts(found["ohchr"]) == ["UN human rights office"]
    assert "un" not in found


def test_un_aliases_are_found_in_their_spelled_out_forms(actors_of):
    _, found = actors_of("Up to 400,000 people fled, according to the United Nations' migration agency.")
    assert mention_texts(found["iom"]) == ["United Nations' migration agency"]


def test_sentence_starts_are_computed_once_per_doc(nlp):
    doc = nlp("Shimon Boker lives near the border. He said the army had left. He left.")
    found = find_actors(doc)
    for start in (doc.text.index("He said"), doc.text.rindex("He")):
        resolve_reference(doc, start, start + 2, found)
    facts = doc.user_data["actors.facts"]
    assert facts.starts == [s.start_char for s in doc.sents]


# --------------------------------------------------------------------------- groups and units


def test_a_groups_mention_runs_to_where_it_is(actors_of):
    _, found = actors_of("The Albanians of southern Serbia are demanding autonomy.")
    assert mention_texts(found["albanians"]) == ["Albanians of southern Serbia"]


def test_a_groups_mention_runs_over_whom_it_belongs_to(actors_of):
    _, found = actors_of("Some 500 workers affiliated with the Serbian Workers' Union (SSS) "
                         "stopped work on Monday.")
    assert mention_texts(found["workers"]) == ["workers affiliated with the Serbian Workers' Union"]


def test_a_groups_mention_takes_in_its_nationality_and_trade(actors_of):
    _, found = actors_of("Angry Dutch dock workers blocked the harbour road on Tuesday.")
    assert mention_texts(found["workers"]) == ["Angry Dutch dock workers"]
    assert mention_texts(found["netherlands"]) == ["Dutch"]  # still the country's mention too
    _, found = actors_of("Two second-generation Chagossians spoke at the rally.")
    assert mention_texts(found["chagossians"]) == ["second-generation Chagossians"]


def test_a_groups_mention_runs_over_a_long_allegiance_and_a_party_it_comes_from(actors_of):
    _, found = actors_of("Fighters loyal to the former governor of the northern Ostravian "
                         "province of Lenka attacked the port.")
    assert mention_texts(found["militants"]) == [
        "Fighters loyal to the former governor of the northern Ostravian province of Lenka"]
    _, found = actors_of("Angry activists from the defeated Unity Party staged rallies.")
    assert [a.mentions[0].text for a in found.values() if a.id != "unity-party"][0] == (
        "Angry activists from the defeated Unity Party")


def test_a_groups_place_must_end_its_phrase(actors_of):
    _, found = actors_of("The Greek sides of the divided Mediterranean island of Cyprus met.")
    assert all("Mediterranean" not in m.text for a in found.values() for m in a.mentions)


def test_a_role_in_a_state_is_that_states_group(actors_of):
    _, found = actors_of("Seven opposition parties in Nepal have organized a general strike.")
    assert mention_texts(found["nepal-opposition"]) == ["opposition parties in Nepal"]


def test_a_role_word_that_describes_another_makes_one_group(actors_of):
    _, found = actors_of("Police dispersed Moslem fundamentalist demonstrators on Monday.")
    assert mention_texts(found["moslem-protesters"]) == ["Moslem fundamentalist demonstrators"]


def test_a_named_brigade_and_a_numbered_division_are_their_army(actors_of):
    _, found = actors_of("The Israeli army said the 98th Division had left the city. The "
                         "Golani Brigade remains.")
    assert mention_texts(found["israel-military"]) == [
        "Israeli army", "98th Division", "Golani Brigade"]
