"""Persuasion techniques as character spans, and the lexicons the framing stages share.

Two sources of spans. A token tagger (a logistic regression over the parser's own token
vectors, hashed word features and lexicon hits; weights in data/framing/techniques.npz,
trained by bench/train_techniques.py) finds where propaganda language is; the lexicons and
patterns in data/framing/ say which technique a span is, and alone find the two techniques
the training corpus does not annotate (conspiracy, call_to_action). Repetition is found by
counting: a content word or phrase the writer keeps coming back to.

Quoted speech is the speaker's, not the outlet's: a span inside a quotation carries the
quote's speaker (``Technique.speaker``), so outlet-level rates can leave it out.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.attrs import (
    IDX,
    IS_ALPHA,
    IS_PUNCT,
    IS_STOP,
    IS_TITLE,
    IS_UPPER,
    LEMMA,
    LENGTH,
    LOWER,
    POS,
    SENT_START,
)
from spacy.strings import get_string_id

from triangulate import datafiles
from triangulate.analyze.text import doc_quotes, doc_text
from triangulate.model import TECHNIQUES, Claim, Quote

# Universal POS tags in a fixed order: the tagger's weights depend on it.
POS_TAGS = ("ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON",
            "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X")
# The techniques the PTC annotates (model.TECHNIQUES minus our two additions), in the order
# of the label model's columns.
TAGGED = TECHNIQUES[:14]
OUTLET = None  # Technique.speaker for the outlet's own voice


# ----------------------------------------------------------------------------- lexicons


@functools.cache
def vader() -> dict[str, float]:
    """Word -> valence (-4..+4) from vaderSentiment's own lexicon file (a maintained package)."""
    import vaderSentiment

    path = Path(vaderSentiment.__file__).parent / "vader_lexicon.txt"
    out: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isascii() and any(c.isalpha() for c in parts[0]):
            try:
                out[parts[0]] = float(parts[1])
            except ValueError:
                continue
    return out


@functools.cache
def vader_ids() -> dict[int, float]:
    """The same valences keyed by spaCy's string hash, so a doc's LOWER array looks them up."""
    return {get_string_id(w): v for w, v in vader().items()}


@functools.cache
def negations() -> frozenset[int]:
    words = ("not", "no", "never", "n't", "nor", "without", "hardly", "barely", "neither",
             "nobody", "none", "nothing", "cannot")
    return frozenset(get_string_id(w) for w in words)


@dataclass(frozen=True)
class Terms:
    """Token-sequence lexicon keyed for lookups by string id.

    Single words map straight to their label; longer terms are keyed by their first two
    words (many terms share a first word: "the", "our", "we"), longest first.
    """

    single: dict[int, str]
    multi: dict[tuple[int, int], list[tuple[tuple[int, ...], str]]]
    prefixes: re.Pattern[str] | None
    prefix_technique: dict[str, str]
    first_keys: np.ndarray  # sorted string ids of every term's first word


def build_terms(rows: list[list[str]]) -> Terms:
    """A lexicon from (label, term) rows; see terms.tsv for the term syntax."""
    single: dict[int, str] = {}
    multi: dict[tuple[int, int], list[tuple[tuple[int, ...], str]]] = {}
    prefix_technique: dict[str, str] = {}
    for label, term in rows:
        if term.endswith("*"):
            prefix_technique[term[:-1]] = label
            continue
        words = tuple(get_string_id(w) for w in _split_term(term))
        if len(words) == 1:
            single.setdefault(words[0], label)
        else:
            multi.setdefault(words[:2], []).append((words, label))
    for entries in multi.values():
        entries.sort(key=lambda e: -len(e[0]))
    prefixes = None
    if prefix_technique:
        alternation = "|".join(sorted(map(re.escape, prefix_technique), key=len, reverse=True))
        prefixes = re.compile(rf"(?<![\w-])({alternation})\w*", re.IGNORECASE)
    first_keys = np.array(sorted(set(single) | {k[0] for k in multi}), dtype=np.uint64)
    return Terms(single, multi, prefixes, prefix_technique, first_keys)


@functools.cache
def terms() -> Terms:
    return build_terms(datafiles.rows("framing", "terms.tsv"))


def _split_term(term: str) -> list[str]:
    # spaCy splits contractions ("don't" -> do n't, "it's" -> it 's, "can't" -> ca n't);
    # lexicon phrases are written as people type them, so split them the same way.
    words = []
    for w in term.split():
        if w in _IRREGULAR:
            words.extend(_IRREGULAR[w])
            continue
        m = re.fullmatch(r"(\w+)(n't|'s|'re|'ll|'ve|'d|'m)", w)
        if m:
            words.extend([m.group(1), m.group(2)])
        else:
            # spaCy splits a hyphen between letters off as its own token.
            words.extend(p for p in re.split(r"(?<=[a-z])(-)(?=[a-z])", w) if p)
    return words


_IRREGULAR = {"can't": ["ca", "n't"], "won't": ["wo", "n't"], "cannot": ["can", "not"]}


@dataclass(frozen=True)
class Pattern:
    technique: str
    regex: re.Pattern[str]
    triggers: tuple[str, ...]


@functools.cache
def patterns() -> tuple[Pattern, ...]:
    return tuple(
        Pattern(technique, re.compile(rx), tuple(triggers.split(",")))
        for technique, rx, triggers in datafiles.rows("framing", "patterns.tsv")
    )


# ----------------------------------------------------------------------------- token table


@dataclass
class Tokens:
    """What the framing stages read from a Doc, as arrays, extracted once per article."""

    lower: np.ndarray  # uint64 string ids
    lemma: np.ndarray
    pos: np.ndarray  # index into POS_TAGS (len(POS_TAGS) - 1 for anything unknown)
    start: np.ndarray  # char offsets
    end: np.ndarray
    sent: np.ndarray  # sentence number of each token
    sent_starts: np.ndarray  # token index where each sentence starts
    alpha: np.ndarray  # bool
    punct: np.ndarray
    stop: np.ndarray
    upper: np.ndarray
    title: np.ndarray
    valence: np.ndarray  # VADER valence of the word, 0 when none
    quoted: np.ndarray  # bool: inside a direct quotation (attributed or not)
    voice: np.ndarray  # int: index into voices; 0 is the outlet's own voice
    voices: list[str]  # speaker actor ids (or UNKNOWN_SPEAKER); voices[0] = "" (the outlet)
    text: str = ""  # the article text (text.doc_text)
    hits: list[Hit] | None = None  # term_hits with the technique lexicon, once computed

    @property
    def outlet(self) -> np.ndarray:
        """True where the outlet speaks in its own voice."""
        return self.voice == 0

    def speaker_at(self, start: int) -> str | None:
        """The speaker actor id at a char offset: None for the outlet, and also for a
        quotation or claim whose speaker is no actor (the contract allows only actor ids;
        such spans still stay out of the outlet's own voice, see ``outlet``)."""
        i = int(np.searchsorted(self.start, start, side="right")) - 1
        if i < 0:
            return None
        name = self.voices[int(self.voice[i])]
        return None if name in ("", UNKNOWN_SPEAKER) else name

    def __len__(self) -> int:
        return len(self.lower)


_POS_MAX = 255
_PROPN = POS_TAGS.index("PROPN")


@functools.cache
def _pos_lookup() -> np.ndarray:
    """spaCy's universal POS id -> index into POS_TAGS (the last one for anything else)."""
    from spacy.parts_of_speech import IDS

    table = np.full(_POS_MAX + 1, len(POS_TAGS) - 1, dtype=np.int64)
    for i, tag in enumerate(POS_TAGS):
        table[IDS[tag]] = i
    return table


@functools.cache
def _vader_arrays() -> tuple[np.ndarray, np.ndarray]:
    """Sorted string ids and their valences, for a vectorised lookup of a whole doc."""
    items = sorted(vader_ids().items())
    keys = np.array([k for k, _ in items], dtype=np.uint64)
    values = np.array([v for _, v in items], dtype=np.float32)
    return keys, values


def token_table(doc, quotes: Sequence[Quote] = (), claims: Sequence[Claim] = ()) -> Tokens:
    """Arrays over the doc's tokens plus who speaks at each token.

    The last table is kept: the genre and framing stages read the same article in turn.
    """
    # doc.text rebuilds the string from every token, so the key avoids it: the doc's
    # identity, length and end offset, and the quotes and claims read into the table.
    n = len(doc)
    key = (id(doc), n, doc[n - 1].idx + len(doc[n - 1]) if n else 0,
           tuple((q.start, q.end, q.speaker) for q in quotes),
           tuple((c.content.start, c.content.end, c.speaker, c.speaker_text) for c in claims))
    global _LAST_TABLE
    last = _LAST_TABLE  # one read: another thread may replace it meanwhile
    if last is not None and last[0] == key:
        return last[1]
    table = _token_table(doc, quotes, claims)
    _LAST_TABLE = (key, table)
    return table


_LAST_TABLE: tuple | None = None


def _token_table(doc, quotes: Sequence[Quote], claims: Sequence[Claim]) -> Tokens:
    n = len(doc)
    if n == 0:
        arr = np.zeros((0, 11), dtype=np.uint64)
    else:
        arr = doc.to_array([LOWER, LEMMA, POS, IS_ALPHA, IS_PUNCT, IS_STOP, IS_UPPER, IS_TITLE,
                            IDX, LENGTH, SENT_START])
    starts = arr[:, 8].astype(np.int64)
    # SENT_START is 1 / -1 / 0 (unknown); a doc without sentence boundaries is one sentence.
    sent_flag = arr[:, 10].astype(np.int64) == 1
    if n:
        sent_flag[0] = True
    sent = np.cumsum(sent_flag) - 1
    pos = _pos_lookup()[np.minimum(arr[:, 2].astype(np.int64), _POS_MAX)]
    lower = arr[:, 0]
    keys, values = _vader_arrays()
    # By form, else by lemma ("helped" is not in VADER, "help" is).
    at = np.minimum(np.searchsorted(keys, lower), len(keys) - 1)
    lemma_at = np.minimum(np.searchsorted(keys, arr[:, 1]), len(keys) - 1)
    valence = np.where(keys[at] == lower, values[at],
                       np.where(keys[lemma_at] == arr[:, 1], values[lemma_at], 0.0)).astype(np.float32)
    # Names carry no sentiment, whatever they mean as words ("Gallant", "Hope", "Faith").
    valence[pos == _PROPN] = 0.0
    text = doc_text(doc)
    quoted, voice, voices = _voices(starts, long_quotations(doc), quotes, claims)
    return Tokens(
        lower=lower, lemma=arr[:, 1], pos=pos, start=starts,
        end=starts + arr[:, 9].astype(np.int64), sent=sent, sent_starts=np.flatnonzero(sent_flag),
        alpha=arr[:, 3].astype(bool), punct=arr[:, 4].astype(bool), stop=arr[:, 5].astype(bool),
        upper=arr[:, 6].astype(bool), title=arr[:, 7].astype(bool), valence=valence,
        quoted=quoted, voice=voice, voices=voices, text=text,
    )


# A quotation this short inside the outlet's sentence is a scare quote or a cited term
# ('so-called "liberation"'): the outlet's own framing, not someone else's speech.
SCARE_QUOTE_CHARS = 30


# Who speaks a quotation or a reported claim whose speaker the attribution stage could not
# name: someone other than the outlet all the same.
UNKNOWN_SPEAKER = "unknown"


def _voices(starts: np.ndarray, quotations: Sequence[tuple[int, int]], quotes: Sequence[Quote],
            claims: Sequence[Claim]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Per token: inside a direct quotation?, and the index of its speaker (0 = the outlet).

    Direct quotations belong to their speaker. So does the content of a reported claim
    ("Hamas said the occupiers had committed a massacre"): its wording usually follows the
    speaker's, and an outlet relaying a party's statement should not be charged with the
    party's loaded words.
    """
    n = len(starts)
    quoted = np.zeros(n, dtype=bool)
    voice = np.zeros(n, dtype=np.int32)
    names: list[str] = [""]
    if n == 0:
        return quoted, voice, names
    index: dict[str, int] = {}

    def mark(s: int, e: int, who: str | None, direct: bool) -> None:
        lo, hi = np.searchsorted(starts, s), np.searchsorted(starts, e)
        name = who or UNKNOWN_SPEAKER
        if name not in index:
            index[name] = len(names)
            names.append(name)
        voice[lo:hi] = index[name]
        if direct:
            quoted[lo:hi] = True

    for c in claims:
        if c.speaker or c.speaker_text:
            mark(c.content.start, c.content.end, c.speaker, direct=False)
    for s, e in quotations:
        mark(s, e, None, direct=True)
    # Attributed quotes last, so their speaker wins over the bare region they sit in.
    for q in quotes:
        if q.end - q.start > SCARE_QUOTE_CHARS:
            mark(q.start, q.end, q.speaker, direct=True)
    return quoted, voice, names


def long_quotations(doc) -> list[tuple[int, int]]:
    """The article's quotations longer than a scare quote (``SCARE_QUOTE_CHARS``)."""
    return [(s, e) for s, e in doc_quotes(doc) if e - s > SCARE_QUOTE_CHARS]


# ----------------------------------------------------------------------------- lexicon hits


@dataclass
class Hit:
    technique: str
    first: int  # token index
    last: int  # token index, inclusive


def term_hits(tokens: Tokens, text: str, lex: Terms | None = None) -> list[Hit]:
    """Every lexicon term (longest match at each token) and prefix term in the text."""
    lex = lex or terms()
    n = len(tokens)
    hits: list[Hit] = []
    keys = lex.first_keys
    if len(keys) == 0:
        return hits
    candidates = np.flatnonzero(_member(tokens.lower, keys) | _member(tokens.lemma, keys))
    lower, lemma = tokens.lower.tolist(), tokens.lemma.tolist()
    single, multi = lex.single, lex.multi
    covered = -1
    for i in candidates.tolist():
        if i <= covered:
            continue
        found = _multi_at(i, lower, lemma, multi, n)
        if found is None:
            technique = single.get(lower[i]) or single.get(lemma[i])
            if technique:
                found = Hit(technique, i, i)
        if found is not None:
            hits.append(found)
            covered = found.last
    if lex.prefixes is not None and _has_prefix(text.lower(), lex):
        for m in lex.prefixes.finditer(text):
            lo = int(np.searchsorted(tokens.start, m.start(), side="right")) - 1
            hi = int(np.searchsorted(tokens.start, m.end(), side="left")) - 1
            if lo >= 0 and hi >= lo:
                hits.append(Hit(lex.prefix_technique[m.group(1).lower()], lo, hi))
    return hits


def _multi_at(i: int, lower: list[int], lemma: list[int], multi, n: int) -> Hit | None:
    if i + 1 >= n:
        return None
    for a in (lower[i], lemma[i]):
        for b in (lower[i + 1], lemma[i + 1]):
            for words, technique in multi.get((a, b), ()):
                k = len(words)
                if i + k <= n and all(
                    words[j] == lower[i + j] or words[j] == lemma[i + j] for j in range(2, k)
                ):
                    return Hit(technique, i, i + k - 1)
    return None


def _member(values: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    at = np.minimum(np.searchsorted(sorted_keys, values), len(sorted_keys) - 1)
    return sorted_keys[at] == values


def cached_term_hits(tokens: Tokens, text: str) -> list[Hit]:
    """term_hits with the technique lexicon, computed once per token table."""
    if tokens.hits is None:
        tokens.hits = term_hits(tokens, text)
    return tokens.hits


def _has_prefix(lowered: str, lex: Terms) -> bool:
    # A substring test per prefix is far cheaper than running the regex over every text.
    return any(p in lowered for p in lex.prefix_technique)


# Typographic apostrophes and quotes read as straight ones; one character for one, so
# offsets into the normalised text are offsets into the original.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def pattern_hits(text: str) -> list[tuple[str, int, int]]:
    """(technique, start, end) of every sentence pattern match."""
    plain = text.translate(_APOSTROPHES)
    lowered = plain.lower()
    if len(lowered) != len(plain):  # a few characters lower-case to two ("İ"); keep offsets
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in plain)
    out = []
    for pattern in patterns():
        windows = _windows(lowered, pattern.triggers)
        if not windows:
            continue
        rx = pattern.regex
        seen: set[tuple[int, int]] = set()
        # Patterns are written in lower case and run on the lower-cased text, and only in
        # windows around their triggers: regex scans of every whole text were the stage's
        # largest cost.
        for lo, hi in windows:
            for m in rx.finditer(lowered, lo, hi):
                s, e = m.span("span") if "span" in rx.groupindex and m.group("span") else m.span()
                while e > s and plain[e - 1].isspace():
                    e -= 1
                while e > s and plain[s].isspace():
                    s += 1
                if e > s and (s, e) not in seen:
                    seen.add((s, e))
                    out.append((pattern.technique, s, e))
    return out


# A match may start this far before its trigger and end this far after it.
_BEFORE, _AFTER = 160, 260


def _windows(lowered: str, triggers: tuple[str, ...]) -> list[tuple[int, int]]:
    spots = []
    for trigger in triggers:
        at = lowered.find(trigger)
        while at >= 0:
            spots.append(at)
            at = lowered.find(trigger, at + 1)
    if not spots:
        return []
    windows: list[list[int]] = []
    for at in sorted(spots):
        lo, hi = max(0, at - _BEFORE), min(len(lowered), at + _AFTER)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    return [(lo, hi) for lo, hi in windows]


# ----------------------------------------------------------------------------- features

HASH_BITS = 18
LEX_DIM = len(TECHNIQUES)
EXTRA_DIM = len(POS_TAGS) + 14


def features(tokens: Tokens, hits: list[Hit]) -> tuple[np.ndarray, np.ndarray]:
    """Dense features (n x d) and hashed sparse feature ids (n x k) for every token.

    Dense: part of speech, valence, case, position in the sentence, whether the sentence asks
    or exclaims, and which lexicon terms cover the token. Sparse: hashed word, lemma and
    neighbouring words, so the model learns word identity beyond the lexicons. The parser's
    token vectors (doc.tensor) were tried and added nothing on the held-out split once the
    hashed words were in; leaving them out keeps the tagger independent of the spaCy model.
    """
    n = len(tokens)
    dense = np.zeros((n, DENSE_DIM), dtype=np.float32)
    if n == 0:
        return dense, _hashed(tokens)
    dense[np.arange(n), tokens.pos] = 1.0
    col = len(POS_TAGS)
    val = tokens.valence
    dense[:, col] = np.abs(val) / 4
    dense[:, col + 1] = val / 4
    dense[:, col + 2] = tokens.upper & (tokens.end - tokens.start > 1)
    dense[:, col + 3] = tokens.stop
    dense[:, col + 4] = tokens.title
    dense[:, col + 5] = tokens.punct
    dense[:, col + 6] = tokens.quoted
    starts = tokens.sent_starts
    sent_len = np.diff(np.append(starts, n))
    length = sent_len[tokens.sent]
    dense[:, col + 7] = (np.arange(n) - starts[tokens.sent]) / np.maximum(length, 1)
    dense[:, col + 8] = np.minimum(length, 60) / 60
    question = (tokens.lower == _QUESTION).astype(np.float32)
    exclaim = (tokens.lower == _EXCLAIM).astype(np.float32)
    dense[:, col + 9] = np.add.reduceat(question, starts)[tokens.sent] > 0
    dense[:, col + 10] = np.add.reduceat(exclaim, starts)[tokens.sent] > 0
    dense[:, col + 11] = np.abs(np.add.reduceat(val, starts))[tokens.sent] / 8
    # How often the writer uses this word: PTC marks repeated words and phrases as a technique.
    counts = _lemma_counts(tokens)
    content = tokens.alpha & ~tokens.stop
    dense[:, col + 12] = np.where(content, np.log1p(counts) / 3, 0.0)
    dense[:, col + 13] = content & _seen_recently(tokens.lemma, 25)
    index = _TECHNIQUE_INDEX
    for h in hits:
        dense[h.first:h.last + 1, EXTRA_DIM + index[h.technique]] = 1.0
    return dense, _hashed(tokens)


def _lemma_counts(tokens: Tokens) -> np.ndarray:
    _, inverse, counts = np.unique(tokens.lemma, return_inverse=True, return_counts=True)
    return counts[inverse].astype(np.float32)


def _seen_recently(ids: np.ndarray, window: int) -> np.ndarray:
    """True where the same id occurred within the previous ``window`` tokens."""
    order = np.lexsort((np.arange(len(ids)), ids))
    same = ids[order][1:] == ids[order][:-1]
    near = (order[1:] - order[:-1]) <= window
    out = np.zeros(len(ids), dtype=bool)
    out[order[1:][same & near]] = True
    return out


_QUESTION = np.uint64(get_string_id("?"))
_EXCLAIM = np.uint64(get_string_id("!"))
_TECHNIQUE_INDEX = {t: k for k, t in enumerate(TECHNIQUES)}
DENSE_DIM = EXTRA_DIM + LEX_DIM


_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9),
        np.uint64(0x27D4EB2F165667C5), np.uint64(0x94D049BB133111EB), np.uint64(0xBF58476D1CE4E5B9))


def _hashed(tokens: Tokens) -> np.ndarray:
    """Hashed sparse feature ids: word, lemma, previous word, next word, bigrams around it.

    spaCy's string ids are stable 64-bit hashes, so the same word lands in the same bucket in
    every process; each feature kind is mixed with its own odd constant (uint64 arithmetic
    wraps, which is the intended modular hashing).
    """
    n = len(tokens)
    mask = np.uint64((1 << HASH_BITS) - 1)
    if n == 0:
        return np.zeros((0, 6), dtype=np.int64)
    lower = tokens.lower
    pad = np.uint64(0x5A5A5A5A)
    prev = np.concatenate([[pad], lower[:-1]]).astype(np.uint64)
    nxt = np.concatenate([lower[1:], [pad]]).astype(np.uint64)
    with np.errstate(over="ignore"):
        cols = [
            lower * _MIX[0],
            tokens.lemma * _MIX[1],
            prev * _MIX[2],
            nxt * _MIX[3],
            (prev * _MIX[4]) ^ (lower * _MIX[0]),
            (lower * _MIX[5]) ^ (nxt * _MIX[3]),
        ]
        out = np.stack([(c ^ (c >> np.uint64(29))) & mask for c in cols], axis=1)
    return out.astype(np.int64)


# ----------------------------------------------------------------------------- the tagger


@dataclass(frozen=True)
class Tagger:
    """Logistic regression weights: is this token in a technique span, and which technique."""

    dense: np.ndarray  # (DENSE_DIM,)
    sparse: np.ndarray  # (2**HASH_BITS,)
    bias: float
    mean: np.ndarray  # dense feature standardisation
    scale: np.ndarray
    label_dense: np.ndarray  # (DENSE_DIM, len(TAGGED))
    label_sparse: np.ndarray  # (2**label_bits, len(TAGGED))
    label_bias: np.ndarray  # (len(TAGGED),)
    threshold: float  # a token is in a span when its probability reaches this
    gap: int  # spans this many tokens apart or fewer are one span
    smooth: int  # >0: a token also takes the mean probability of its neighbours
    peak: float = 0.0  # a span is kept only if one of its tokens reaches this on its own


@functools.cache
def tagger() -> Tagger | None:
    """The shipped weights, or None when they are missing or were trained on other features."""
    path = datafiles.path("framing", "techniques.npz")
    if not path.exists():
        return None
    z = np.load(path, allow_pickle=False)
    if int(z["dense_dim"]) != DENSE_DIM or int(z["hash_bits"]) != HASH_BITS:
        return None
    return Tagger(
        dense=z["dense"].astype(np.float32), sparse=z["sparse"].astype(np.float32),
        bias=float(z["bias"]), mean=z["mean"], scale=z["scale"],
        label_dense=z["label_dense"], label_sparse=z["label_sparse"].astype(np.float32),
        label_bias=z["label_bias"], threshold=float(z["threshold"]), gap=int(z["gap"]),
        smooth=int(z["smooth"]), peak=float(z["peak"]) if "peak" in z else 0.0,
    )


@dataclass
class Found:
    technique: str
    start: int
    end: int
    score: float


def decode(model: Tagger, tokens: Tokens, dense: np.ndarray, sparse: np.ndarray,
           hits: list[Hit], text: str) -> list[Found]:
    """Token probabilities -> spans; each span takes the technique its tokens vote for."""
    n = len(tokens)
    if n == 0:
        return []
    x = (dense - model.mean) / model.scale
    prob = 1.0 / (1.0 + np.exp(-(x @ model.dense + model.sparse[sparse].sum(1) + model.bias)))
    raw = prob
    if model.smooth:
        width = 2 * model.smooth + 1
        # The centred window of a full convolution: mode="same" returns max(n, width)
        # values, so a text shorter than the window ("Troops advanced") would not broadcast.
        smoothed = np.convolve(prob, np.ones(width) / width, mode="full")
        prob = np.maximum(prob, smoothed[model.smooth:model.smooth + n])
    # Punctuation never starts or ends a span: PTC spans are words.
    on = np.flatnonzero((prob >= model.threshold) & ~tokens.punct)
    if len(on) == 0:
        return []
    breaks = np.flatnonzero(np.diff(on) > model.gap + 1)
    firsts = np.concatenate([[on[0]], on[breaks + 1]])
    lasts = np.concatenate([on[breaks], [on[-1]]])
    label_mask = model.label_sparse.shape[0] - 1
    rows = np.concatenate([np.arange(a, b + 1) for a, b in zip(firsts, lasts, strict=True)])
    logits = (x[rows] @ model.label_dense + model.label_bias
              + model.label_sparse[sparse[rows] & label_mask].sum(1))
    logits -= logits.max(1, keepdims=True)
    votes = np.exp(logits)
    votes /= votes.sum(1, keepdims=True)
    out = []
    at = 0
    content = ~tokens.stop & tokens.alpha
    for first, last in zip(firsts.tolist(), lasts.tolist(), strict=True):
        k = last - first + 1
        technique = TAGGED[int(votes[at:at + k].sum(0).argmax())]
        at += k
        # Hysteresis: a span grows over tokens above the threshold but must peak above
        # model.peak somewhere, and must hold a content word ("and", "a" alone are noise).
        if raw[first:last + 1].max() < model.peak or not content[first:last + 1].any():
            continue
        out.append(Found(technique, int(tokens.start[first]), int(tokens.end[last]),
                         float(prob[first:last + 1].mean())))
    return out


# ----------------------------------------------------------------------------- all spans

# Techniques the training corpus does not annotate: only the lexicons and patterns find them.
RULE_ONLY = frozenset({"conspiracy", "call_to_action"})


def find_techniques(tokens: Tokens, hits: list[Hit], text: str,
                    model: Tagger | None | bool = True) -> list[Found]:
    """Every technique span of one text, sorted by start (speakers not yet assigned)."""
    if model is True:
        model = tagger()
    found: list[Found] = []
    if model:
        dense, sparse = features(tokens, hits)
        found = decode(model, tokens, dense, sparse, hits, text)
    else:
        found = [Found(h.technique, int(tokens.start[h.first]), int(tokens.end[h.last]), 0.5)
                 for h in hits if h.technique not in RULE_ONLY]
    for h in hits:
        if h.technique in RULE_ONLY:
            found.append(Found(h.technique, int(tokens.start[h.first]), int(tokens.end[h.last]),
                               0.5))
    for technique, start, end in pattern_hits(text):
        found.append(Found(technique, start, end, 0.5))
    found.extend(repetitions(tokens))
    found.sort(key=lambda f: (f.start, -f.end))
    return found


# Function words repeat by grammar ("had had", "that that") and names by coincidence
# ("Boutros Boutros-Ghali"), never for emphasis.
_NOT_REPEATED = frozenset(POS_TAGS.index(p) for p in (
    "DET", "ADP", "PRON", "AUX", "CCONJ", "SCONJ", "PART", "PUNCT", "NUM", "SYM", "X", "PROPN"))


def repetitions(tokens: Tokens) -> list[Found]:
    """A word said again at once for emphasis: "never, never", "lies and lies and lies".

    Counting how often a phrase recurs across an article was tried and is useless here
    (precision 0.02 on the PTC validation split: news repeats its topic words); the tagger
    reads word counts as features instead, and this rule keeps only the unmistakable case.
    """
    out: list[Found] = []
    lemma = tokens.lemma.tolist()
    pos = tokens.pos.tolist()
    alpha = tokens.alpha.tolist()
    n = len(lemma)
    i = 0
    while i < n:
        end = i
        if alpha[i] and pos[i] not in _NOT_REPEATED:
            j = i + 1
            while True:
                k = j + 1 if j < n and (tokens.punct[j] or pos[j] == _CCONJ) else j
                if k < n and lemma[k] == lemma[i] and k - end <= 2:
                    end = k
                    j = k + 1
                else:
                    break
        if end > i:
            out.append(Found("repetition", int(tokens.start[i]), int(tokens.end[end]), 0.5))
            i = end + 1
        else:
            i += 1
    return out


_CCONJ = POS_TAGS.index("CCONJ")
