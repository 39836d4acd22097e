"""Framing: tone, persuasion technique spans, who they belong to, and stance toward actors."""

from __future__ import annotations

import pytest

from triangulate.analyze import framing, techniques
from triangulate.model import TECHNIQUES


@pytest.fixture(scope="module")
def run():
    import triangulate

    cache: dict[str, object] = {}

    def analyse(text: str):
        if text not in cache:
            cache[text] = triangulate.analyze(text)
        return cache[text]

    return analyse


def _spans(a, technique: str | None = None):
    return [t for t in a.framing.techniques if technique is None or t.technique == technique]


def _stance(a, actor: str):
    return next(s for s in a.framing.actor_stance if s.actor == actor)


# ----------------------------------------------------------------------------- techniques


def test_a_labelling_apposition_is_loaded_language_in_the_outlets_voice(run):
    a = run("Russia, a brutal dictatorship, shelled the city again.")
    found = [t for t in _spans(a) if "brutal" in t.text]
    assert found and found[0].speaker is None


def test_loaded_language_inside_a_quotation_is_credited_to_its_speaker(run):
    a = run('"Hamas are murderous savages," Israeli Defence Minister Avi Carmel said on Monday.')
    (quote,) = a.quotes
    inside = [t for t in _spans(a) if quote.start <= t.start < quote.end]
    assert inside, "the quoted invective is found"
    assert all(t.speaker == quote.speaker == "avi-carmel" for t in inside)


def test_quoted_words_count_for_neither_the_outlets_tone_nor_its_word_count(run):
    a = run('"Hamas are murderous savages," Israeli Defence Minister Avi Carmel said on Monday.')
    assert a.framing.tone == 0.0
    outlet_words = "Israeli Defence Minister Avi Carmel said on Monday"
    assert a.framing.words == outlet_words.count(" ") + 1


def test_a_reported_claim_is_its_speakers_too(run):
    a = run("Hamas said the Zionist occupiers had committed a barbaric massacre in the camp.")
    assert all(t.speaker == "hamas" for t in _spans(a) if t.start > 10)


def test_staged_provocation_talk_is_conspiracy(run):
    a = run("The strike was a false flag staged by Western intelligence to blame Moscow.")
    assert any("false flag" in t.text for t in _spans(a, "conspiracy"))


def test_the_writer_telling_readers_what_to_do_is_a_call_to_action(run):
    a = run("We must act before it is too late. Sign the petition and call your senator today.")
    texts = " | ".join(t.text for t in _spans(a, "call_to_action"))
    assert "We must" in texts and "call your senator" in texts


def test_what_about_questions_are_whataboutism(run):
    a = run("They condemn this raid. But what about the bombing of the hospital last year?")
    assert _spans(a, "whataboutism")


def test_a_word_said_again_for_emphasis_is_repetition(run):
    a = run("The commander promised they would fight and fight and fight until the end.")
    assert [t.text for t in _spans(a, "repetition")] == ["fight and fight and fight"]


def test_plain_wire_copy_has_few_technique_spans(run):
    a = run("The ministry said 12 people were killed and 30 wounded in the strike on Tuesday. "
            "The army said it was reviewing the incident.")
    own = [t for t in _spans(a) if t.speaker is None]
    assert len(own) <= 1


def test_every_span_is_exact_evidence_with_a_known_label(run):
    a = run("Russia, a brutal dictatorship, shelled the city again. What about the bombing "
            "of the port? We must stop them before it is too late.")
    assert _spans(a)
    for t in _spans(a):
        assert a.text[t.start:t.end] == t.text
        assert t.technique in TECHNIQUES


def test_lexicon_terms_match_inflections_hyphenation_and_contractions(nlp):
    doc = nlp("These so-called experts are demonizing terrorists. We can't let it happen.")
    table = techniques.token_table(doc)
    hits = {(h.technique, doc[h.first:h.last + 1].text) for h in techniques.term_hits(table, doc.text)}
    assert ("doubt", "so-called") in hits
    assert ("loaded_language", "demonizing") in hits
    assert ("name_calling", "terrorists") in hits
    assert ("call_to_action", "can't let") not in hits  # "we can't let" is the term
    assert ("call_to_action", "We can't let") in hits


def test_the_tagger_weights_ship_with_the_package():
    assert techniques.tagger() is not None


# ----------------------------------------------------------------------------- tone


def test_tone_is_positive_for_good_news_and_negative_for_bad(run):
    good = run("The ceasefire held and aid reached the grateful families, who welcomed the relief.")
    bad = run("The attack killed dozens and destroyed the hospital, leaving terrified survivors.")
    assert good.framing.tone > 0 > bad.framing.tone


def test_a_negated_word_counts_with_the_opposite_sign(nlp):
    plain = techniques.token_table(nlp("The talks were a success."))
    negated = techniques.token_table(nlp("The talks were not a success."))
    assert framing.document_tone(plain)[0] > 0 > framing.document_tone(negated)[0]


def test_names_carry_no_sentiment(nlp):
    table = techniques.token_table(nlp("Defence Minister Yoav Gallant visited Hope Street."))
    assert framing.document_tone(table)[0] == 0.0


# ----------------------------------------------------------------------------- stance


def test_the_doer_of_a_massacre_is_portrayed_negatively(run):
    a = run("Hamas fighters massacred dozens of civilians in the village on Saturday.")
    hamas = _stance(a, "hamas")
    assert hamas.stance == "negative"
    assert any("massacred" in e.text for e in hamas.evidence)


def test_rescuers_are_portrayed_positively(run):
    a = run("Aid workers rescued dozens of children from the rubble on Sunday.")
    assert _stance(a, "aid-workers").stance == "positive"


def test_a_label_attached_to_an_actor_is_evidence_of_negative_stance(run):
    a = run("Russia, a brutal dictatorship, shelled the city again.")
    russia = _stance(a, "russia")
    assert russia.stance == "negative"
    assert any(e.text == "a brutal dictatorship" for e in russia.evidence)


def test_suffering_is_not_a_negative_portrayal_of_the_victims(run):
    a = run("Displaced Palestinians sheltered in tents as starving children queued for bread.")
    assert _stance(a, "palestinians").stance != "negative"
    assert _stance(a, "children").stance != "negative"


def test_a_name_is_not_a_label(run):
    a = run("The International Criminal Court said it would open an inquiry.")
    assert all(s.stance == "neutral" for s in a.framing.actor_stance)


def test_what_a_quoted_speaker_calls_an_actor_is_not_the_outlets_stance(run):
    a = run('"Hamas are murderous savages," Israeli Defence Minister Avi Carmel said on Monday.')
    assert _stance(a, "hamas").stance == "neutral"


def test_stance_evidence_is_exact_text(run):
    a = run("Hamas fighters massacred dozens of civilians in the village on Saturday.")
    for s in a.framing.actor_stance:
        assert -1.0 <= s.score <= 1.0
        for e in s.evidence:
            assert a.text[e.start:e.end] == e.text


def test_an_empty_text_has_neutral_framing(nlp):
    result = framing.find_framing(nlp(""), [], [], [])
    assert result.tone == 0.0 and result.techniques == [] and result.words == 0
