"""The normalised text and its hash ignore typography, never wording."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from triangulate.ingest.normalize import content_hash, hash_id, normalize_text, outlet_from_url

words = st.lists(
    st.text(alphabet=st.characters(categories=("Lu", "Ll", "Nd")), min_size=1, max_size=8),
    min_size=1, max_size=30,
)
gaps = st.lists(st.sampled_from([" ", "  ", "\t", "\n", "\n\n", "\u00a0", " \r\n "]),
                min_size=30, max_size=30)


@given(words, gaps)
def test_the_hash_ignores_how_words_are_spaced(ws, spaces):
    plain = " ".join(ws)
    spaced = "".join(w + s for w, s in zip(ws, spaces, strict=False)).strip()
    assert content_hash(spaced) == content_hash(plain)


@given(words, st.lists(st.booleans(), min_size=30, max_size=30))
def test_the_hash_ignores_quote_and_dash_style(ws, curly):
    straight = " ".join(f"'{w}'" if i % 3 == 0 else f'"{w}" -' for i, w in enumerate(ws))
    typographic = straight
    for flag in curly:
        typographic = (typographic.replace("'", "\u2018", 1).replace("'", "\u2019", 1)
                       .replace('"', "\u201c", 1).replace('"', "\u201d", 1)
                       .replace(" -", " \u2014", 1)) if flag else typographic
    assert content_hash(typographic) == content_hash(straight)


@given(st.text(max_size=200))
def test_normalising_twice_changes_nothing(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert not re.search(r"\s\s", once) and once == once.strip()


@given(words)
def test_changing_a_word_changes_the_hash(ws):
    text = " ".join(ws)
    assert content_hash(text + " more") != content_hash(text)


def test_case_and_invisible_characters_do_not_count():
    assert content_hash("Shelling Resumed\u200b at dawn") == content_hash("shelling resumed at dawn")


def test_ids_from_text_are_short_and_stable():
    assert hash_id("Shelling resumed at dawn.") == hash_id("Shelling  resumed at dawn.")
    assert re.fullmatch(r"a-[0-9a-f]{16}", hash_id("x"))


def test_the_outlet_of_a_url_is_its_host_without_www():
    assert outlet_from_url("https://www.courier.example/world/1") == "courier.example"
    assert outlet_from_url("http://news.courier.example:8080/x") == "news.courier.example"
    assert outlet_from_url(None) is None and outlet_from_url("not a url") is None
