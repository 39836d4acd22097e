"""Direct quotations: where they are, and which reported-speech cue gives each its speaker.

Works on character offsets only, so the rules can be read (and tested) without a parse:
the attribution stage hands in its cues (``Anchor``) and sentence/subject facts, and gets
back, for every quotation, the anchor it belongs to and where its speaker stands.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

# Opening mark -> closing marks that may end it. "\u201d" also opens: some sites use it for
# both ends. Two apostrophes (or two backticks) are the Penn-Treebank / NYT-archive style.
# Straight and typographic doubles close each other: pages often mix them (“like candy.").
_DOUBLE_OPEN = {"\u201c": "\u201d\"", "\u201d": "\u201d\"", "\u201e": "\u201c\u201d",
                "\u00ab": "\u00bb", '"': '"\u201d'}
_WORD = re.compile(r"\w+")
_SINGLE_OPEN_BEFORE = set(" \t\n([{\u2014\u2013-:\u201c\"")
# A scare quote ("a 'total victory'") is at most this many words; longer quotations are
# someone's words even when no cue is found.
SCARE_QUOTE_MAX_WORDS = 4


_MARKS = re.compile("''|``|[\"\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019]")


def quotation_regions(text: str) -> list[tuple[int, int]]:
    """(start, end) of every direct quotation, quote marks included.

    Double quotes (typographic, straight, guillemets, ``''``/\\`\\` pairs) pair within a
    paragraph; single typographic quotes count only outside double ones (inside they are a
    quotation within the quotation) and only where the closing mark cannot be an apostrophe.
    Newswire's multi-paragraph quotation (each paragraph opens with the same mark, only the
    last one closes) gives one region spanning the paragraphs; a chain that never closes
    (a stray mark at each paragraph start) gives one region per paragraph instead, each ending
    at its paragraph's end.
    """
    regions: list[tuple[int, int]] = []
    chain: list[tuple[int, int]] = []  # open pieces (start, paragraph end) waiting for a close
    marks = [(m.start(), m.group()) for m in _MARKS.finditer(text)]
    k, n, pos = 0, len(text), 0
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        first_mark = k
        while k < len(marks) and marks[k][0] < end:
            k += 1
        if first_mark == k and not chain:
            pos = end + 1
            continue
        found, open_at = _pair_marks(text, marks[first_mark:k], end)
        first = _first_visible(text, pos, end)
        if chain and first is not None:
            same = _family(text, first) == _family(text, chain[0][0])
            if same and found and found[0][0] == first:
                regions.append((chain[0][0], found[0][1]))
                found = found[1:]
                chain = []
            elif not (same and not found and open_at == first):
                regions.extend((s, _trim_end(text, s, e)) for s, e in chain)
                chain = []
        regions.extend(found)
        if open_at is not None:
            chain.append((open_at, end))
        pos = end + 1
    regions.extend((s, _trim_end(text, s, e)) for s, e in chain)
    return sorted(r for r in regions if r[1] - r[0] > 2)


def _family(text: str, i: int) -> str:
    """Which kind of quotation mark opens at i (typographic, straight, apostrophe pairs)."""
    ch = text[i]
    if ch in "'`":
        return "''"
    return '"' if ch == '"' else "\u201c"


_OPENERS = set(_DOUBLE_OPEN) | {"'", "`"}


def _first_visible(text: str, start: int, end: int) -> int | None:
    m = _VISIBLE.search(text, start, end)
    return m.start() if m else None


_VISIBLE = re.compile(r"\S")


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start + 1 and text[end - 1].isspace():
        end -= 1
    return end


def _pair_marks(text: str, marks: list[tuple[int, str]],
                end: int) -> tuple[list[tuple[int, int]], int | None]:
    """Closed quotations among one paragraph's marks, and where one is left open (or None)."""
    found: list[tuple[int, int]] = []
    open_at: int | None = None
    closers = ""
    single_at: int | None = None
    for i, mark in marks:
        if open_at is None:
            if mark in ("''", "``"):
                if _opens(text, i, 2):
                    open_at, closers = i, "''"
            elif mark == '"' and i > 0 and text[i - 1].isdigit():
                continue  # an inch mark: 6'3" tall
            elif mark in _DOUBLE_OPEN:
                open_at, closers = i, _DOUBLE_OPEN[mark]
                single_at = None
            elif mark == "\u2018" and single_at is None and _opens(text, i, 1):
                single_at = i
            elif mark == "\u2019" and single_at is not None and _closes_single(text, i, end):
                found.append((single_at, i + 1))
                single_at = None
        elif closers == "''":
            if mark == "''" and not _opens(text, i, 2):
                found.append((open_at, i + 2))
                open_at = None
        elif (mark in closers and len(mark) == 1) or (
                mark == "\u201c" and "\u201d" in closers and _closes_like(text, i, end)):
            # a typo'd closing “ ("called “Cape Breton Wins“ that") closes when it ends a word
            found.append((open_at, i + 1))
            open_at = None
    return found, open_at


def _closes_like(text: str, i: int, end: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < end else " "
    return not before.isspace() and not after.isalnum()


def _opens(text: str, i: int, width: int) -> bool:
    """A mark opens when it follows a space or opening punctuation and precedes a non-space."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + width] if i + width < len(text) else " "
    return (before in _SINGLE_OPEN_BEFORE) and not after.isspace()


def _closes_single(text: str, i: int, end: int) -> bool:
    # "’" inside a word is an apostrophe (it’s); after "s" and before a space it is a plural
    # possessive as often as a closing mark, so only a preceding non-"s" closes reliably.
    after = text[i + 1] if i + 1 < end else " "
    if after.isalnum():
        return False
    before = text[i - 1] if i > 0 else " "
    return not before.isspace() and before.lower() != "s"


def word_count(text: str, start: int, end: int) -> int:
    return len(_WORD.findall(text, start, end))


# --------------------------------------------------------------------------- attribution


@dataclass
class Anchor:
    """A reported-speech cue with a resolved speaker, as the quote rules need it."""

    key: int  # the caller's index for this cue
    cue_start: int
    cue_end: int
    speaker_start: int
    speaker_end: int
    content: list[tuple[int, int]] = field(default_factory=list)

    @property
    def start(self) -> int:
        return min(self.cue_start, self.speaker_start)

    @property
    def end(self) -> int:
        return max(self.cue_end, self.speaker_end)


@dataclass
class Assignment:
    region: tuple[int, int]
    anchor: int | None  # Anchor.key, or None
    position: str  # before | after | previous | next | none
    subject: int | None = None  # sentence index whose subject speaks (previous-sentence rule)
    continues: int | None = None  # index of the earlier region this one continues


class _Layout:
    """Sentence and paragraph lookup by offset."""

    def __init__(self, text: str, sentences: list[tuple[int, int]]):
        self.text = text
        self.sentences = sentences
        self._starts = [s for s, _ in sentences]

    def sentence(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def para_start(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1

    def gap(self, start: int, end: int) -> str:
        return self.text[start:end] if start < end else ""


# What may stand between a quotation and its cue: punctuation, and capitalised words the
# parse left out of the speaker ("“...,” Tulsa police Chief Chuck Jordan said").
_LINK_BEFORE = re.compile(r"^[\s,:;\u2014\u2013-]*(?:[A-Z][\w.'\u2019-]*\s+){0,3}$")


def assign_quotes(
    text: str,
    regions: list[tuple[int, int]],
    sentences: list[tuple[int, int]],
    anchors: list[Anchor],
    subject_of: Callable[[int], bool],
) -> list[Assignment]:
    """The speaker anchor of each quotation (scare quotes without a cue are left out).

    ``subject_of(i)`` says whether sentence i's subject can be the speaker of a quotation
    that opens the next sentence ("Netanyahu was defiant. “We will ...”").
    """
    layout = _Layout(text, sentences)
    by_sentence: dict[int, list[Anchor]] = {}
    for a in anchors:
        for i in {layout.sentence(a.cue_start), layout.sentence(a.speaker_start)}:
            by_sentence.setdefault(i, []).append(a)
    out: list[Assignment] = []
    for region in regions:
        opens = _opens_sentence(region, layout)
        speech = _is_speech(text, region, opens)
        found = _inside_content(region, anchors) or _same_sentence(
            region, layout, by_sentence, adjacent_only=not speech)
        if found is None and speech and opens:
            found = _continuation(region, layout, out) or _previous_subject(
                region, layout, subject_of)
        if found is None:
            if speech:
                out.append(Assignment(region, None, "none"))
            continue
        out.append(found)
    return out


def _is_speech(text: str, region: tuple[int, int], opens: bool) -> bool:
    """Long enough, or a sentence of its own ("“Never.”"), to be someone's words."""
    if word_count(text, *region) > SCARE_QUOTE_MAX_WORDS:
        return True
    inner = text[region[0]:region[1]].rstrip("\"'\u201d\u2019\u00bb` ")
    return opens and inner[-1:] in (".", "!", "?", ",")


def _inside_content(region: tuple[int, int], anchors: list[Anchor]) -> Assignment | None:
    """The quotation is (mostly) the content of a claim: it is that claim's speaker's."""
    rs, re_ = region
    for a in anchors:
        covered = sum(max(0, min(e, re_) - max(s, rs)) for s, e in a.content)
        if covered * 2 >= re_ - rs and covered > 0:
            position = "before" if a.speaker_start < rs else "after"
            return Assignment(region, a.key, position)
    return None


def _same_sentence(region: tuple[int, int], layout: _Layout,
                   by_sentence: dict[int, list[Anchor]],
                   adjacent_only: bool = False) -> Assignment | None:
    """A cue just before ("X said: “...”") or after ("“...,” X said") the quotation.

    With ``adjacent_only`` (scare-quote length) only a cue separated from the quotation by
    punctuation counts: “Never,” he said.
    """
    rs, re_ = region
    first, last = layout.sentence(rs), layout.sentence(max(rs, re_ - 1))
    candidates: list[tuple[int, Anchor, str]] = []
    for i in range(first - 1, last + 2):
        for a in by_sentence.get(i, ()):
            if rs <= a.cue_start < re_:
                continue  # a cue inside the quotation is the quoted speaker's own words
            if a.start >= re_:
                between = layout.gap(re_, a.start)
                if i > last and not _LINK_BEFORE.match(between):
                    continue
                if "\n" in between:
                    continue
                candidates.append((a.start - re_, a, "after"))
            elif a.end <= rs:
                between = layout.gap(a.end, rs)
                if i < first and not between.rstrip().endswith(":"):
                    continue
                if "\n" in between.strip(" \t") and not between.rstrip().endswith(":"):
                    continue
                candidates.append((rs - a.end, a, "before"))
    if adjacent_only:
        candidates = [c for c in candidates if not c[1].content and _LINK_BEFORE.match(
            layout.gap(re_, c[1].start) if c[2] == "after" else layout.gap(c[1].end, rs))]
    if not candidates:
        return None
    # A cue with no content of its own ("he said.") is the one a quotation hangs on.
    candidates.sort(key=lambda c: (bool(c[1].content), c[0]))
    _, anchor, position = candidates[0]
    return Assignment(region, anchor.key, position)


def _opens_sentence(region: tuple[int, int], layout: _Layout) -> bool:
    rs = region[0]
    i = layout.sentence(rs)
    s_start = layout.sentences[i][0] if layout.sentences else 0
    return not layout.gap(max(s_start, layout.para_start(rs)), rs).strip()


def _continuation(region: tuple[int, int], layout: _Layout,
                  done: list[Assignment]) -> Assignment | None:
    """A quotation opening a sentence right after an attributed one goes on in the same voice."""
    for k in range(len(done) - 1, -1, -1):
        prev = done[k]
        if prev.anchor is None and prev.subject is None:
            return None
        between = layout.gap(prev.region[1], region[0])
        if between.count("\n") > 2 or len(between) > 200:
            return None
        return Assignment(region, prev.anchor, "previous", prev.subject, continues=k)
    return None


def _previous_subject(region: tuple[int, int], layout: _Layout,
                      subject_of: Callable[[int], bool]) -> Assignment | None:
    i = layout.sentence(region[0])
    if i == 0:
        return None
    prev_start = layout.sentences[i - 1][0]
    if "\n\n" in layout.gap(prev_start, region[0]).strip():
        return None
    if subject_of(i - 1):
        return Assignment(region, None, "previous", subject=i - 1)
    return None
