"""The linking tables (data/link/): a sentence that opens on another act."""

from __future__ import annotations

import pytest

from triangulate.link.lexicon import tells_another_act


@pytest.mark.parametrize("sentence", [
    "In a separate attack on Sunday, shelling killed 30 people in the next town.",
    "Another drone strike hit the port an hour later.",
    "In an unrelated bombing, five people died at a bus stop.",
    "An earlier attack on the town killed 30 in May.",
])
def test_a_sentence_opening_on_a_separate_or_another_act_tells_another_act(sentence):
    assert tells_another_act(sentence)


@pytest.mark.parametrize("sentence", [
    "A drone strike on a market killed 12 people on Monday.",
    # an apposition to the main act, not an opening
    "The strike, the second attack on the market this month, killed 12.",
    # "another" counts people, not an act
    "Another 12 people were killed in the attack, officials said.",
    "Officials said the toll would rise after another day of searching the rubble of the "
    "attack.",
    "",
    None,
])
def test_the_main_act_told_again_is_no_other_act(sentence):
    assert not tells_another_act(sentence)
