"""Condition lists: what a party lays down as its terms, item by item.

Four shapes, each written about in the data README:

* a colon list, clausal or nominal: "insisted on three conditions: that the displaced
  return, that Israeli forces withdraw and that the war end"; "two demands: a full
  withdrawal and a prisoner exchange";
* a bulleted (or numbered) list on the lines after a line ending with a colon;
* coordinated objects of a demand: "demands a withdrawal, the return of the displaced and
  an end to the war";
* a condition clause: "will accept if Israel withdraws", "on condition that ...", and the
  relative clause of a refused deal: "will not accept any deal that does not end the war".

Each item is a character span; its issues come from the issue index.
"""

from __future__ import annotations

import re

from triangulate.analyze.positions.lexicon import Lexicon
from triangulate.analyze.positions.reading import Cand

_THAT_SPLIT = re.compile(r"\s*[,;]\s*(?:and\s+|or\s+)?that\s+|\s+(?:and|or)\s+that\s+", re.I)
_NOMINAL_SPLIT = re.compile(r"\s*;\s*|\s*,\s*(?:and\s+|or\s+)?")
_LAST_AND = re.compile(r"\s+(?:and|or)\s+")
_NUMBERED = re.compile(r"\(?\d{1,2}[.)]\s+")
_TRIM = " \t\n\r.,;:\"'“”‘’"
# An inline colon list starts at most this many tokens after its stance word.
_COLON_REACH = 16


def colon_list(cand: Cand, text: str, lex: Lexicon) -> list[tuple[int, int]]:
    """Items of a list introduced by a colon after the stance word, in its sentence or on the
    bulleted lines after it."""
    sent = cand.sent
    colon = next((t for t in sent if t.i > cand.cue.i and t.text == ":"
                  and t.i - cand.cue.i <= _COLON_REACH), None)
    if colon is None:
        return []
    line_end = text.find("\n", colon.idx)
    line_end = len(text) if line_end < 0 else line_end
    if not text[colon.idx + 1:line_end].strip():
        return _bullets(text, line_end, lex)
    end = sent.end_char
    doc = sent.doc
    while end < line_end and sent.end < len(doc):
        nxt = doc[sent.end].sent  # a parser that split the list mid-way: rejoin it
        if not nxt.text[:1].islower():
            break
        sent, end = nxt, nxt.end_char
    return _inline_items(text, colon.idx + 1, min(end, line_end), cand.list_head)


def _inline_items(text: str, start: int, end: int, head: bool) -> list[tuple[int, int]]:
    region = text[start:end]
    lead = len(region) - len(region.lstrip())
    body = region.lstrip()
    if body[:5].lower() == "that ":
        offset = start + lead + 5
        parts = _split(_THAT_SPLIT, text, offset, end)
    elif not head:
        return []  # "urged a principled stand: “...”": a colon before a quotation
    else:
        parts = _split(_NOMINAL_SPLIT, text, start + lead, end)
        if parts:
            last_start, last_end = parts[-1]
            tail = _split(_LAST_AND, text, last_start, last_end)
            parts = parts[:-1] + tail
    items = [span for s, e in parts if (span := _trim(text, s, e)) is not None]
    return items if len(items) >= 2 or (head and items) else []


def _split(pattern: re.Pattern, text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, pos = [], start
    for m in pattern.finditer(text, start, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    for word in ("and ", "or ", "that "):
        if text[start:start + len(word)].lower() == word:
            start += len(word)
    return (start, end) if end - start >= 3 else None


def _bullets(text: str, line_end: int, lex: Lexicon) -> list[tuple[int, int]]:
    items: list[tuple[int, int]] = []
    pos, blanks = line_end + 1, 0
    while pos < len(text):
        nl = text.find("\n", pos)
        nl = len(text) if nl < 0 else nl
        line = text[pos:nl]
        body = line.lstrip()
        if not body:
            blanks += 1
            if blanks > 1:
                break
            pos = nl + 1
            continue
        blanks = 0
        start = pos + len(line) - len(body)
        if body[0] in lex.bullets and body[1:2].isspace():
            start += 1
        elif (m := _NUMBERED.match(body)) is not None:
            start += m.end()
        else:
            break
        span = _trim(text, start, nl)
        if span is not None:
            items.append(span)
        pos = nl + 1
    return items


def object_list(cand: Cand) -> list[tuple[int, int]]:
    """"demands a withdrawal, the return of the displaced and an end to the war": each
    coordinated object of a demand is an item (two or more)."""
    if cand.stance != "demand" or cand.cue.pos_ != "VERB":
        return []
    tok = cand.cue
    if any(c.dep_ == "xcomp" for c in tok.children):
        return []  # "urged Israel and Egypt to reopen the crossing": whom, not what
    obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
    if obj is None:
        prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("for", "on")),
                    None)
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    if obj is None:
        return []
    conjuncts = [obj]
    stack = [obj]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN"):
                conjuncts.append(c)
                stack.append(c)
    doc = tok.doc
    text = doc.user_data.get("text") or doc.text
    if len(conjuncts) < 2:
        return _listed_after(obj, text)
    items = []
    for c in sorted(conjuncts, key=lambda t: t.i):
        own = [t.i for t in c.subtree if not _in_conj(t, c)]
        last = doc[max(own)]
        span = _trim(text, doc[min(own)].idx, last.idx + len(last.text))
        if span is not None:
            items.append(span)
    return items


def _listed_after(obj, text: str) -> list[tuple[int, int]]:
    """The same list where the parser lost it ("demands a withdrawal, the return of the
    displaced and an end to the war" read with "the return" as an apposition): the object,
    a comma, then noun phrases to the end of the sentence, the last after "and"."""
    doc = obj.doc
    sent = obj.sent
    first_end = max(t.i for t in obj.subtree if t.i < sent.end) + 1
    if first_end >= sent.end or doc[first_end].text != ",":
        return []
    tail = [t for t in doc[first_end:sent.end] if not t.is_punct or t.text == ","]
    if any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in tail) or not any(
            t.lower_ in ("and", "or") for t in tail):
        return []
    end = sent.end_char
    while end > obj.idx and text[end - 1] in " \n.;:":
        end -= 1
    parts = _split(_NOMINAL_SPLIT, text, doc[obj.left_edge.i].idx, end)
    last_start, last_end = parts[-1]
    parts = parts[:-1] + _split(_LAST_AND, text, last_start, last_end)
    items = [span for a, b in parts if (span := _trim(text, a, b)) is not None]
    return items if len(items) >= 2 else []


def _in_conj(t, root) -> bool:
    """Is ``t`` inside a conjunct (or its cc) hanging from ``root``, rather than ``root``'s
    own phrase?"""
    while t.i != root.i:
        if t.dep_ in ("conj", "cc") and t.head.i == root.i:
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def clause_condition(cand: Cand, lex: Lexicon) -> tuple[int, int] | None:
    """The condition clause of a stance: "will accept if Israel withdraws", "agreed on
    condition that ...", "provided that ...", "as long as ...". Character span."""
    tok = cand.head
    sent = cand.sent
    doc = sent.doc
    firsts = {words[0] for words in lex.conditional}
    for k in range(tok.i + 1, sent.end):
        if doc[k].lower_ not in firsts:
            continue
        for words in lex.conditional:
            n = len(words)
            if tuple(t.lower_ for t in doc[k:k + n]) != words:
                continue
            first = k + n
            if first < sent.end and sent.doc[first].lower_ == "that":
                first += 1
            if first >= sent.end:
                return None
            if not _attached(sent.doc[k], tok):
                continue
            root = sent.doc[first]
            while root.head.i != root.i and first <= root.head.i < sent.end:
                root = root.head
            end_tok = max(t.i for t in root.subtree)
            start_char, end_char = sent.doc[first].idx, sent.doc[end_tok].idx + len(sent.doc[end_tok].text)
            text = sent.doc.user_data.get("text") or sent.doc.text
            return _trim(text, start_char, end_char)
    return None


def _attached(word, head) -> bool:
    """Does the condition hang from the stance's own clause ("will accept if ...", "agreed
    on condition that ...") rather than from another verb of the sentence ("... and said it
    would quit if ...")?"""
    clause = word.head  # the verb a mark opens, or the stance verb an "on" hangs from
    return clause.i == head.i or clause.head.i == head.i


def refused_deal_clause(cand: Cand, lex: Lexicon) -> tuple[int, int] | None:
    """"will not accept any deal that does not end the war": the relative clause of the
    refused deal says on what terms it would be accepted."""
    refused = cand.stance == "reject" or (cand.stance == "accept" and cand.negated)
    if not refused or cand.cue.pos_ != "VERB":
        return None
    obj = next((c for c in cand.cue.children if c.dep_ in ("dobj", "nsubjpass")), None)
    if obj is None or obj.lemma_.lower() not in lex.deal_nouns:
        return None
    rel = next((c for c in obj.children if c.dep_ == "relcl"), None)
    if rel is None:
        return None
    tokens = [t for t in rel.subtree if t.tag_ not in ("WDT", "WP")]
    if not tokens:
        return None
    doc = obj.doc
    text = doc.user_data.get("text") or doc.text
    return _trim(text, tokens[0].idx, tokens[-1].idx + len(tokens[-1].text))
