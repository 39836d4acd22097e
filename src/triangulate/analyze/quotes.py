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

_WORD = re.compile(r"\w+")
# A scare quote ("a 'total victory'") is at most this many words; longer quotations are
# someone's words even when no cue is found.
SCARE_QUOTE_MAX_WORDS = 4

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
# parse left out of the speaker ("“...,” harbour police Chief Ana Ruiz said").
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
    content_at = _content_index(anchors)
    out: list[Assignment] = []
    for region in regions:
        opens = _opens_sentence(region, layout)
        speech = _is_speech(text, region, opens)
        found = _inside_content(region, anchors, content_at) or _same_sentence(
            region, layout, by_sentence, adjacent_only=not speech)
        if found is None and speech and opens and _closes_sentence(region, layout):
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


# Claim contents are looked up by stretches of this many characters: a quotation is tested
# against the claims near it only, not against every claim of the article (400 quoted
# statements cost the square of their count; issue 16).
_STRETCH = 256


def _content_index(anchors: list[Anchor]) -> dict[int, list[int]]:
    """Stretch of the text -> the indices of the anchors whose content reaches into it."""
    index: dict[int, list[int]] = {}
    for k, a in enumerate(anchors):
        for s, e in a.content:
            for stretch in range(s // _STRETCH, (max(e, s + 1) - 1) // _STRETCH + 1):
                index.setdefault(stretch, []).append(k)
    return index


def _inside_content(region: tuple[int, int], anchors: list[Anchor],
                    content_at: dict[int, list[int]]) -> Assignment | None:
    """The quotation is (mostly) the content of a claim: it is that claim's speaker's."""
    rs, re_ = region
    near = sorted({k for stretch in range(rs // _STRETCH, (max(re_, rs + 1) - 1) // _STRETCH + 1)
                   for k in content_at.get(stretch, ())})
    for a in (anchors[k] for k in near):
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


_TRAILING = re.compile(r"[\s.,;:!?\"'\u201d\u2019\u00bb)\]]*")


def _closes_sentence(region: tuple[int, int], layout: _Layout) -> bool:
    """The quotation is a sentence of its own, not a phrase the writer's sentence goes on
    about (“"Only Ukraine has this missile" is simply not true.” cites a line, it does not
    give anyone's words): a speaker carried over from the sentence before fits only the
    former."""
    i = layout.sentence(max(region[0], region[1] - 1))
    s_end = layout.sentences[i][1] if layout.sentences else len(layout.text)
    para_end = layout.text.find("\n", region[1])
    stop = min(s_end, para_end) if para_end >= 0 else s_end
    return region[1] >= stop or _TRAILING.fullmatch(layout.text, region[1], stop) is not None


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
