"""According to whom: accusations, claims of responsibility and denials, each kept with its
claimant, and the event's actor the best-supported of them."""

from __future__ import annotations

from tests.analyze.events.conftest import event


def readings(e):
    return [(r.role, r.actor, r.stance, r.claimant, r.chosen) for r in e.role_readings]


def test_the_accused_is_the_actor_and_the_accusation_its_accusers(read):
    e = event(read("Russia accused Ukraine of shelling the nuclear plant in Enerhodar."),
              "ASSAULT")
    assert e.actor == "ukraine"
    assert readings(e) == [("actor", "ukraine", "accuses", "russia", True)]


def test_a_blame_in_a_relative_clause_is_an_accusation(read):
    a = read("Hamas denied responsibility for the rocket attack on Ashkelon, which Israel "
             "blamed on the group.")
    e = event(a, "ASSAULT")
    assert e.actor == "hamas"
    assert readings(e) == [("actor", "hamas", "denies", "hamas", False),
                           ("actor", "hamas", "accuses", "israel", True)]


def test_a_denial_alone_names_no_doer_but_is_kept(read):
    e = event(read("Russia denied carrying out the strike on the railway station."), "ASSAULT")
    assert e.actor is None
    assert readings(e) == [("actor", "russia", "denies", "russia", False)]


def test_an_accusation_and_a_denial_of_one_strike_stay_side_by_side(read):
    a = read("Russia's defence ministry denied carrying out the strike on the station in "
             "Kramatorsk. Ukraine's president accused Russia of the strike.")
    e = event(a, "ASSAULT")
    assert e.actor == "russia"
    assert readings(e) == [("actor", "russia-military", "denies", "russia-military", False),
                           ("actor", "russia", "accuses", "ukraine-government", True)]


def test_the_outlets_own_voice_needs_no_reading(read):
    assert event(read("Israeli troops raided the camp on Monday."), "ASSAULT").role_readings == []


def test_every_reading_cites_its_sentence(read):
    text = "Russia accused Ukraine of shelling the nuclear plant in Enerhodar."
    for r in event(read(text), "ASSAULT").role_readings:
        assert text[r.evidence.start:r.evidence.end] == r.evidence.text == text
