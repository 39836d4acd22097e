"""The model is checked on load and a blank line always ends a sentence."""

from __future__ import annotations

import pytest

from triangulate.analyze import nlp as nlp_module


def test_a_headline_before_a_blank_line_is_its_own_sentence(nlp):
    doc = nlp("Strikes hit port city overnight\n\nThree people were killed, officials said.")
    assert [s.text.strip() for s in doc.sents] == [
        "Strikes hit port city overnight", "Three people were killed, officials said."]


def test_a_single_line_break_is_left_to_the_parser(nlp):
    doc = nlp("The convoy reached the\ncrossing at dawn.")
    assert len(list(doc.sents)) == 1


def test_a_missing_model_is_a_clear_error():
    with pytest.raises(nlp_module.ModelMissingError, match="not installed"):
        nlp_module.model_name("en_core_web_nonexistent")
