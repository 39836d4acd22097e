"""Exact and near-duplicate copies are stored as copies of the first-seen article."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.ingest.helpers import article, counts, rows
from triangulate import settings
from triangulate.ingest import dedup
from triangulate.ingest.runner import ingest
from triangulate.store import Store


def _jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def _republished(text: str) -> str:
    """A syndicated copy: another headline, and one sentence rewritten."""
    headline, body = text.split("\n\n", 1)
    sentences = body.split(". ")
    sentences[2] = "Residents said the night had been the worst since the siege began"
    return "Town braces for more shelling as talks stall\n\n" + ". ".join(sentences)


def _duplicates(store) -> dict[str, tuple[str, float]]:
    found = rows(store, "SELECT id, duplicate_of, similarity FROM articles "
                        "WHERE duplicate_of IS NOT NULL")
    return {i: (d, s) for i, d, s in found}


def test_every_run_of_three_words_is_a_shingle_the_first_and_last_included():
    assert dedup.shingles("Shells hit the port, officials said.") == {
        "shells hit the", "hit the port", "the port officials", "port officials said"}


@hsettings(max_examples=50, deadline=None)
@given(st.integers(0, 40))
def test_n_distinct_words_give_n_minus_two_shingles(n):
    words = [f"w{k}" for k in range(n)]
    found = dedup.shingles(" ".join(words))
    assert len(found) == max(0, n - settings.SHINGLE_SIZE + 1)
    if n >= settings.SHINGLE_SIZE:
        assert " ".join(words[-settings.SHINGLE_SIZE:]) in found


def test_an_exact_copy_under_another_id_points_at_the_first(tmp_path, run, store):
    text = article(1)
    typographic = text.replace("'", "\u2019").replace(" ", "  ")  # same text, other typography
    _jsonl(tmp_path / "a.jsonl", [{"id": "wire", "text": text}, {"id": "copy", "text": typographic}])
    report = run(tmp_path / "a.jsonl")
    assert report.ingested == 2 and report.duplicates == 1
    assert _duplicates(store) == {"copy": ("wire", 1.0)}


def test_a_copy_with_a_new_headline_and_one_changed_sentence_is_a_near_duplicate(
    tmp_path, run, store
):
    text = article(2)
    _jsonl(tmp_path / "a.jsonl", [
        {"id": "wire", "text": text},
        {"id": "other", "text": article(3)},
        {"id": "tribune", "text": _republished(text)},
    ])
    report = run(tmp_path / "a.jsonl")
    assert report.near_duplicates == 1
    original, similarity = _duplicates(store)["tribune"]
    assert original == "wire" and settings.NEAR_DUPLICATE_THRESHOLD <= similarity < 1.0


def test_different_articles_on_the_same_topic_are_not_duplicates(tmp_path, run, store):
    _jsonl(tmp_path / "a.jsonl", [{"id": f"n{i}", "text": article(10 + i)} for i in range(30)])
    assert run(tmp_path / "a.jsonl").duplicates == 0


def test_near_duplicates_are_found_across_runs(tmp_path, run, store):
    text = article(4)
    _jsonl(tmp_path / "first.jsonl", [{"id": "wire", "text": text}])
    _jsonl(tmp_path / "later.jsonl", [{"id": "tribune", "text": _republished(text)}])
    run(tmp_path / "first.jsonl")
    run(tmp_path / "later.jsonl")
    assert _duplicates(store)["tribune"][0] == "wire"


def test_a_copy_of_a_copy_points_at_the_original(tmp_path, run, store):
    text = article(5)
    near = _republished(text)
    _jsonl(tmp_path / "a.jsonl", [{"id": "wire", "text": text}, {"id": "tribune", "text": near}])
    _jsonl(tmp_path / "b.jsonl", [{"id": "gazette", "text": near}])
    run(tmp_path / "a.jsonl")
    run(tmp_path / "b.jsonl")
    dups = _duplicates(store)
    assert dups["gazette"] == dups["tribune"] and dups["gazette"][0] == "wire"


def test_short_texts_are_checked_for_exact_copies_only(tmp_path, run, store):
    one = "Rebels shelled the river crossing at dawn on Monday, the army said in a statement."
    other = "Rebels shelled the river crossing at dawn on Tuesday, the army said in a statement."
    _jsonl(tmp_path / "a.jsonl", [
        {"id": "a", "text": one}, {"id": "b", "text": other}, {"id": "c", "text": one},
    ])
    run(tmp_path / "a.jsonl")
    assert _duplicates(store) == {"c": ("a", 1.0)}
    assert counts(store)["minhashes"] == 0  # too short to sign


def test_reingesting_the_same_input_changes_no_row_counts(tmp_path, run, store):
    text = article(6)
    (tmp_path / "corpus").mkdir()
    _jsonl(tmp_path / "corpus" / "a.jsonl", [
        {"id": "wire", "text": text}, {"id": "tribune", "text": _republished(text)},
        {"id": "bad", "body": "no text"},
    ])
    (tmp_path / "corpus" / "note.txt").write_text(article(7))
    (tmp_path / "corpus" / "x.pdf").write_bytes(b"%PDF-1.4")
    first = run(tmp_path / "corpus")
    before = counts(store)
    second = run(tmp_path / "corpus")
    assert counts(store) == before == {"articles": 3, "skipped": 2, "minhashes": 3}
    assert first.ingested == 3 and second.ingested == 0 and second.already_stored == 3
    assert len(second.skipped) == len(first.skipped) == 2


def test_the_same_text_from_another_input_is_already_stored_not_a_new_copy(tmp_path, run):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    text = article(8)
    (tmp_path / "a" / "note.txt").write_text(text)
    (tmp_path / "b" / "note.txt").write_text(text)
    run(tmp_path / "a")
    report = run(tmp_path / "b")  # same id "note", same text
    assert report.already_stored == 1 and report.ingested == 0


def test_two_folders_holding_one_file_name_keep_both_files_under_distinct_ids(
        tmp_path, run, store):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "note.txt").write_text(article(8))
    (tmp_path / "b" / "note.txt").write_text(article(9))
    first = run(tmp_path / "a", tmp_path / "b")
    assert first.ingested == 2 and first.skipped == []
    ids = sorted(r[0] for r in rows(store, "SELECT id FROM articles"))
    assert ids[0] == "note" and ids[1].startswith("note~") and len(ids[1]) == len("note~") + 8
    again = run(tmp_path / "b", tmp_path / "a")  # either order, any number of times
    assert again.ingested == 0 and again.already_stored == 2 and counts(store)["articles"] == 2


def test_one_record_id_for_two_different_texts_is_an_id_conflict(tmp_path, run, store):
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "note", "text": article(8)}) + "\n")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "note", "text": article(9)}) + "\n")
    run(tmp_path / "a.jsonl")
    report = run(tmp_path / "b.jsonl")
    assert [s.reason for s in report.skipped] == ["id-conflict"]
    assert "a.jsonl:1" in report.skipped[0].detail
    assert counts(store)["articles"] == 1


def test_the_index_is_rebuilt_from_stored_signatures_of_originals_only(tmp_path, store):
    text = article(11)
    _jsonl(tmp_path / "a.jsonl", [{"id": "wire", "text": text},
                                  {"id": "tribune", "text": _republished(text)}])
    ingest(store, [str(tmp_path / "a.jsonl")])
    stored = dict(store.minhash_signatures())
    originals = dict(store.minhash_signatures(originals_only=True))
    assert set(stored) == {"wire", "tribune"} and set(originals) == {"wire"}
    index = dedup.NearDuplicateIndex(lambda ids: {i: dedup.from_blob(stored[i]) for i in ids})
    index.load(originals.items())
    match = index.best_match(dedup.signature(_republished(text)))
    assert match is not None and match[0] == "wire"


def test_signatures_of_another_scheme_are_recomputed(tmp_path, store):
    text = article(12)
    _jsonl(tmp_path / "a.jsonl", [{"id": "wire", "text": text}])
    ingest(store, [str(tmp_path / "a.jsonl")])
    store.replace_signatures([("wire", np.zeros(128, dtype="<u4").tobytes())], "old-scheme")
    _jsonl(tmp_path / "b.jsonl", [{"id": "tribune", "text": _republished(text)}])
    ingest(store, [str(tmp_path / "b.jsonl")])
    assert store.minhash_scheme() == dedup.scheme_name()
    assert _duplicates(store)["tribune"][0] == "wire"


def test_stats_list_duplicates_per_outlet(tmp_path):
    from typer.testing import CliRunner

    from triangulate.cli import app

    text = article(13)
    _jsonl(tmp_path / "a.jsonl", [
        {"id": "wire", "outlet": "Wire", "text": text},
        {"id": "tribune", "outlet": "Tribune", "text": _republished(text)},
    ])
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        ingest(store, [str(tmp_path / "a.jsonl")])
    result = CliRunner().invoke(app, ["stats", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Tribune" in result.output and "wire" in result.output


# ----------------------------------------------------------------------------- the index


def _words(n: int, start: int = 0) -> str:
    return " ".join(f"word{k}" for k in range(start, start + n))


def test_a_text_of_fewer_words_than_the_minimum_has_no_signature():
    assert dedup.signature(_words(settings.NEAR_DUPLICATE_MIN_WORDS - 1)) is None
    sig = dedup.signature(_words(settings.NEAR_DUPLICATE_MIN_WORDS))
    assert sig is not None and sig.shape == (settings.MINHASH_PERMUTATIONS,)


def test_a_signature_survives_the_store_unchanged():
    sig = dedup.signature(article(21))
    assert dedup.from_blob(dedup.to_blob(sig)).tolist() == sig.tolist()
    assert len(dedup.to_blob(sig)) == 4 * settings.MINHASH_PERMUTATIONS


def test_similarity_is_the_share_of_equal_signature_slots():
    a = np.arange(8, dtype=dedup.DTYPE)
    b = a.copy()
    b[:2] = 99
    assert dedup.similarity(a, a) == 1.0
    assert dedup.similarity(a, b) == 0.75


def test_more_bands_than_the_signature_holds_is_an_error(monkeypatch):
    monkeypatch.setattr(settings, "LSH_BANDS", settings.MINHASH_PERMUTATIONS)
    try:
        dedup.band_keys(np.zeros((1, settings.MINHASH_PERMUTATIONS), dtype=dedup.DTYPE))
    except ValueError as e:
        assert "permutations" in str(e)
    else:
        raise AssertionError("no error for too many bands")


def _index(texts: dict[str, str], stored: tuple[str, ...] = (), chunk: int = 2):
    """An index of ``texts``: the ``stored`` ones loaded as from the store (in chunks), the
    others added one by one, as a run adds them."""
    sigs = {i: dedup.signature(t) for i, t in texts.items()}
    index = dedup.NearDuplicateIndex(lambda ids: {i: sigs[i] for i in ids if i in sigs})
    index.load(((i, dedup.to_blob(sigs[i])) for i in stored), chunk=chunk)
    for i in texts:
        if i not in stored:
            index.add(i, sigs[i])
    return index, sigs


def test_a_copy_is_found_among_stored_and_newly_added_originals():
    texts = {f"a{k}": article(30 + k) for k in range(5)}
    index, _ = _index(texts, stored=("a0", "a1", "a2"))
    assert len(index) == 5
    for i in texts:
        match = index.best_match(dedup.signature(texts[i]))
        assert match == (i, 1.0)
    assert index.best_match(dedup.signature(article(99))) is None


def test_of_two_equal_originals_the_first_seen_is_the_match():
    text = article(41)
    index, _ = _index({"first": text, "second": text, "other": article(42)}, stored=("first",))
    assert index.best_match(dedup.signature(text)) == ("first", 1.0)


def test_a_candidate_whose_signature_is_gone_is_passed_over():
    text = article(43)
    index = dedup.NearDuplicateIndex(lambda ids: {})
    index.add("gone", dedup.signature(text))
    assert index.candidates(dedup.signature(text)) == ["gone"]
    assert index.best_match(dedup.signature(text)) is None


def test_the_index_stays_correct_when_new_keys_are_merged_into_the_sorted_ones(monkeypatch):
    monkeypatch.setattr(dedup, "_MERGE_AT", settings.LSH_BANDS * 2)
    texts = {f"b{k}": article(50 + k) for k in range(6)}
    index, _ = _index(texts)
    for i, text in texts.items():
        assert index.best_match(dedup.signature(text)) == (i, 1.0)
