"""Who did it: the party behind an instrument, unknown attackers, a group's own claim, units."""

from __future__ import annotations

from tests.analyze.events.conftest import event


def test_the_agent_of_a_passive_is_the_doer(read):
    a = read("Three medics were killed by an Israeli air strike in Khan Younis on Tuesday.")
    assert event(a, "ASSAULT").actor == "israel-military"


def test_a_weapon_fired_by_a_group_is_the_groups_act(read):
    a = read("A missile fired by Yemen's Houthis struck a bulk carrier in the Gulf of Aden.")
    assert event(a, "ASSAULT").actor == "houthis"


def test_a_weapon_launched_from_held_territory_is_the_holders_act(read):
    a = read("An anti-ship missile launched from Houthi-held territory hit a tanker on Monday.")
    assert event(a, "ASSAULT").actor == "houthis"


def test_a_vehicle_only_one_army_fields_is_that_armys(read):
    a = read("A Merkava tank fired at a car near Jenin, killing two men.")
    e = event(a, "ASSAULT")
    assert e.actor == "israel-military" and e.target != "merkava"


def test_rocket_fire_from_a_place_is_the_group_the_story_puts_there(read):
    a = read("Hamas fighters have kept up their attacks in the south. On Sunday, rocket fire "
             "from southern Gaza killed four soldiers near Kerem Shalom.")
    assert event(a, "ASSAULT", "fire").actor == "hamas"


def test_a_weapon_with_no_party_behind_it_leaves_the_actor_empty(read):
    a = read("Rockets hit the town of Sderot in southern Israel on Monday.")
    assert event(a, "ASSAULT").actor is None


def test_unidentified_attackers_are_an_actor_of_their_own(read):
    a = read("Unidentified drones struck a base used by US troops in eastern Syria on Tuesday.")
    e = event(a, "ASSAULT")
    assert (e.actor, e.target) == ("unidentified-attackers", "usa-military")
    unknown = next(x for x in a.actors if x.id == e.actor)
    assert [m.text for m in unknown.mentions] == ["Unidentified drones"]


def test_a_groups_fighters_in_its_own_claim_are_the_group(read):
    a = read("The Qassam Brigades said its fighters had struck three Merkava tanks east of "
             "Khan Younis.")
    e = event(a, "ASSAULT")
    assert (e.actor, e.target) == ("hamas", "israel-military")
    assert [(r.actor, r.stance, r.claimant, r.chosen) for r in e.role_readings] == [
        ("hamas", "claims", "hamas", True)]


def test_a_named_brigade_is_its_army(read):
    a = read("The Golani Brigade raided the Jenin refugee camp on Monday.")
    assert event(a, "ASSAULT").actor == "israel-military"


def test_a_numbered_division_is_the_army_named_before(read):
    a = read("The Israeli army said the 98th Division had stormed the town of Beit Hanoun.")
    division = next(x for x in a.actors if any(m.text == "98th Division" for m in x.mentions))
    assert division.id == "israel-military"


def test_coming_under_a_forces_fire_is_that_forces_attack_on_whoever_was_killed(read):
    a = read("Four farmers were killed and nine wounded on Friday when their village came under "
             "Eritrean fire, local officials said.")
    e = event(a, "ASSAULT")
    assert e.actor == "eritrea-military" and e.target == "farmers"


def test_coming_under_fire_from_critics_is_no_attack(read):
    a = read("The minister came under fire from critics over the budget on Friday.")
    assert [e for e in a.events if e.type == "ASSAULT"] == []


def test_an_accusation_the_parser_hangs_on_a_reported_passive_is_the_reporters(read):
    a = read("A union representing the dockers said six porters had been killed and accused "
             "the navy of firing on the quay.")
    assert event(a, "ACCUSE").actor == "union"
