"""The instrument lexicon: weapons, vehicles and body parts, and the side that alone fields one."""

from __future__ import annotations

import pytest

from triangulate.analyze.events.instruments import names_instrument, word_instrument
from triangulate.model import Actor, Mention


@pytest.mark.parametrize("word", ["rockets", "missile", "Merkava", "tanks", "drones", "hand"])
def test_weapons_vehicles_and_body_parts_are_instruments(word):
    assert word_instrument(word) is not None


def test_an_instrument_only_one_army_fields_names_that_army():
    assert word_instrument("merkava") == ("vehicle", "israel-military")


def test_a_party_some_mentions_name_by_its_aircraft_is_no_instrument():
    party = Actor("russia-military", "Russian Armed Forces", "military", "RUS",
                  mentions=[Mention(0, 16, "Russian aircraft")])
    weapon = Actor("merkava", "Merkava", "organisation", None)
    assert (names_instrument(party), names_instrument(weapon)) == (False, True)
