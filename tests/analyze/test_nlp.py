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


# ---- hostile text: runs, storms, floods and length cost no more than ordinary text


def test_a_storm_of_quote_marks_is_a_few_tokens_and_keeps_its_text(nlp):
    # 35,000 quote marks took two minutes: spaCy's tokenizer peeled them off one by one.
    text = 'He said "' + '"' * 35_000 + ' and left.'
    doc = nlp(text)
    assert doc.text == text and len(doc) < 35_000 // 40


def test_spacy_tokenizer_never_sees_a_run_longer_than_the_cap(nlp, monkeypatch):
    from triangulate import settings

    seen: list[str] = []
    guarded = nlp.tokenizer
    real = guarded.tokenizer
    monkeypatch.setattr(guarded, "tokenizer", lambda text: seen.append(text) or real(text))
    text = "Read http://" + "a/" * 3000 + " then stop. " + "!" * 40 + " Done."
    doc = nlp(text)
    assert doc.text == text
    longest = max((len(w) for t in seen for w in t.split()), default=0)
    assert longest <= settings.MAX_TOKEN_CHARS
    assert max(len(t) for t in doc) <= 50


def test_a_sentence_is_cut_after_the_cap_when_no_stop_comes(nlp):
    from triangulate import settings

    doc = nlp("They listed " + "names and places " * 400)
    assert max(len(s) for s in doc.sents) <= settings.MAX_SENTENCE_TOKENS


def test_repeated_paragraphs_are_parsed_once_each(nlp, monkeypatch):
    parsed: list[str] = []
    real = nlp.pipe
    monkeypatch.setattr(nlp, "pipe", lambda texts, **k: real(
        [t for t in texts if parsed.append(t) is None], **k))
    text = "\n\n".join(["x"] * 10_000 + ["The end came on Monday."])
    (doc,) = nlp_module.parse(nlp, [text])
    assert doc.text == text and parsed == ["x\n\n", "The end came on Monday."]


def test_a_long_text_is_cut_at_paragraph_ends_into_parts_that_join_back():
    text = "\n\n".join(f"Paragraph {k} says something about the river." for k in range(500))
    parts = nlp_module.split_parts(text, 2_000)
    assert "".join(parts) == text
    assert all(len(p) <= 2_000 for p in parts)
    assert all(p.endswith("\n\n") for p in parts[:-1])
