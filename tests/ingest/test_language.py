"""Only clearly non-English articles are skipped; short or mixed texts count as English."""

from __future__ import annotations

import pytest

from triangulate.ingest.language import detect_language


@pytest.mark.parametrize("text", [
    "Council delays vote on harbour bridge.",
    "Hamas fired rockets at Sderot.",
    "Some 800,000 Kurds sought refuge in the mountains last month.",
    "Le président a dit non.",  # one sentence: too short to judge, so English
])
def test_one_sentence_counts_as_english(text):
    assert detect_language(text).english


def test_an_english_report_full_of_foreign_names_and_quotes_is_english():
    text = (
        "Residents of Khan Younis said the Zanna district was hit again. \"Allahu akbar,\" "
        "shouted the crowd in Bani Suheila and Abasan al-Kabira. Commander Yahya al-Masri "
        "of the Kataib al-Qassam said the fighters withdrew to al-Mawasi. Officials in "
        "Deir al-Balah, Nuseirat and al-Zawaida confirmed that the roads were closed. "
        "The ministry in Ramallah has not yet commented on the reports."
    )
    assert detect_language(text).english


@pytest.mark.parametrize(("code", "text"), [
    ("fr", "Des tirs d'artillerie ont touché mardi le dépôt de céréales situé à la sortie de "
           "la ville, a indiqué le gouverneur de la région. Deux gardiens ont été blessés, "
           "selon l'hôpital local. Les habitants affirment que les bombardements ont duré "
           "toute la nuit et que plusieurs maisons voisines ont été endommagées."),
    ("de", "Artilleriefeuer hat am Dienstag das Getreidelager am Stadtrand getroffen, teilte "
           "der Gouverneur der Region mit. Zwei Wachleute wurden nach Angaben des örtlichen "
           "Krankenhauses verletzt. Die Bewohner sagen, der Beschuss habe die ganze Nacht "
           "gedauert und mehrere Nachbarhäuser seien ebenfalls beschädigt worden."),
    ("es", "El fuego de artillería alcanzó el martes el depósito de grano a las afueras de la "
           "ciudad, según informó el gobernador de la región. Dos guardias resultaron heridos, "
           "según el hospital local. Los vecinos afirman que los bombardeos duraron toda la "
           "noche y que varias casas cercanas también sufrieron daños."),
])
def test_a_paragraph_in_another_language_is_not_english(code, text):
    language = detect_language(text)
    assert not language.english and language.code == code and language.judged
