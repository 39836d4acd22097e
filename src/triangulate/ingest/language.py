"""Is an article in English? py3langid, used conservatively.

Skipping an English article loses it for good, while letting a foreign one through only
costs an analysis with few findings. So an article counts as non-English only when all of
these hold: it is long enough to judge (several sentences), the detector is confident, and
English function words are (nearly) absent from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np

from triangulate import datafiles, settings

_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"[.!?。？！]+(?:\s|$)")


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1, as py3langid reports it
    probability: float
    judged: bool  # False when the text was too short or unclear to judge: "en" by default

    @property
    def english(self) -> bool:
        return self.code == "en"


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)


@cache
def _function_words() -> frozenset[str]:
    return datafiles.words("ingest", "english_function_words.txt")


def _classify(sample: str) -> tuple[str, float]:
    """py3langid's classify, with the dot product over the few non-zero features only:
    its own dense uint16 x float32 product skips BLAS and costs 4-16 ms a call."""
    ident = _identifier()
    fv = ident.instance2fv(sample)
    nonzero = np.flatnonzero(fv)
    scores = fv[nonzero].astype(np.float32) @ ident.nb_ptc[nonzero] + ident.nb_pc
    probs = ident.norm_probs(scores)
    best = int(np.argmax(probs))
    return ident.nb_classes[best], float(probs[best])


def detect_language(text: str) -> Language:
    sample = text[: settings.LANGUAGE_SAMPLE_CHARS]
    words = _WORD.findall(sample.lower())
    sentences = len(_SENTENCE_END.findall(sample)) + 1
    if len(words) < settings.LANGUAGE_MIN_WORDS or sentences < settings.LANGUAGE_MIN_SENTENCES:
        return Language("en", 0.0, judged=False)
    code, probability = _classify(sample)
    if code == "en":
        return Language("en", probability, judged=True)
    english_share = sum(w in _function_words() for w in words) / len(words)
    if (
        probability < settings.LANGUAGE_MIN_CONFIDENCE
        or english_share >= settings.LANGUAGE_ENGLISH_WORD_SHARE
    ):
        return Language("en", probability, judged=False)
    return Language(code, probability, judged=True)
