"""Whom it was done to: the victims, the attacked side, what a statement is about, and a
place's people when the text gives only a place."""

from __future__ import annotations

from tests.analyze.events.conftest import actor, event


def test_a_strike_on_a_place_is_aimed_at_its_people_and_keeps_the_place(read):
    a = read("Israeli jets struck a house in Rafah, in the south of the Gaza Strip, on Sunday.")
    e = event(a, "ASSAULT")
    people = actor(a, e.target)
    assert (e.actor, e.target) == ("israel-military", "people-of-rafah")
    assert (people.kind, people.country, [m.text for m in people.mentions]) == (
        "people", "PSE", ["Rafah"])
    assert next(p for p in a.places if p.id == e.place).name == "Rafah"


def test_a_curfew_in_a_country_is_aimed_at_its_people(read):
    e = event(read("Serbia lifted a night curfew in Montenegro."), "CONCEDE")
    assert (e.actor, e.target) == ("serbia", "montenegrins")


def test_where_an_attack_came_from_is_not_whom_it_hit(read):
    a = read("Rocket fire from southern Gaza killed four Israeli soldiers.")
    assert event(a, "ASSAULT").target == "israel-military"


def test_the_victims_are_the_target_even_when_no_dictionary_names_them(read):
    a = read("Gunmen opened fire on a bus near Kandahar, killing three passengers.")
    e = event(a, "ASSAULT")
    victims = actor(a, e.target)
    assert (victims.name, victims.kind, [m.text for m in victims.mentions]) == (
        "passengers", "people", ["three passengers"])


def test_a_ship_hit_is_never_the_target_its_crew_is(read):
    a = read("A missile struck a bulk carrier in the Gulf of Aden, killing three crew members.")
    assert event(a, "ASSAULT").target == "crew-members"


def test_the_side_that_alone_fields_a_vehicle_hit_is_the_attacked_side(read):
    a = read("Fighters destroyed two Merkava tanks near the border.")
    assert event(a, "ASSAULT").target == "israel-military"


def test_a_force_hit_in_its_own_account_is_that_force(read):
    a = read("The Israeli military said gunmen opened fire on troops patrolling a road.")
    assert event(a, "ASSAULT").target == "israel-military"


def test_a_threat_is_aimed_at_the_party_named_in_its_content(read):
    a = read("The Azerbaijani parliament threatened to break relations with Russia unless the "
             "Kremlin closed its radar base.")
    assert event(a, "THREATEN").target == "russia"


def test_what_one_sends_of_ones_own_is_not_the_target(read):
    a = read("Syria has offered its troops to Lebanon's new President Elias Hrawi.")
    assert event(a, "AGREE").target == "elias-hrawi"
