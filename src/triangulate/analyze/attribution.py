"""Attribution: claims in reported speech and direct quotations, with their speakers.

A claim is a cue (a reporting verb, a noun like "claim", or "according to") with a speaker
and a content: "The militia claimed that twelve guards died" -> the militia asserts "that
twelve guards died". Cues come from data/attribution/cues.tsv; speaker and content come
from the dependency parse (nsubj / ccomp / xcomp / dobj of the cue), with the content
snapped to whole quotations. Content spans follow PolNeAR's conventions: a "that"
complementiser belongs to the content, quote marks around quoted content belong to it, and
the comma or full stop that ends a clause does not.

Speakers are resolved to the article's actors by offset; what cannot be resolved to a known
actor (a named person the actors stage missed, "a senior official", "witnesses") becomes a
new actor, so every claim's speaker id is in the article's actor list.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from spacy.attrs import LEMMA, LOWER, POS
from spacy.strings import get_string_id
from spacy.symbols import NOUN, VERB

from triangulate import datafiles
from triangulate.analyze import quotes as quotes_mod
from triangulate.analyze.index import OffsetIndex, mention_index
from triangulate.analyze.text import Regions, doc_quotes, doc_text
from triangulate.model import Actor, Claim, Figure, Mention, Quote, Span

# ----------------------------------------------------------------------------- lexicons


@dataclass(frozen=True)
class CueEntry:
    stance: str
    frames: frozenset[str]


@dataclass
class Lexicon:
    verbs: dict[str, CueEntry]
    nouns: dict[str, CueEntry]
    sources: dict[str, tuple[tuple[str, ...], str]]  # first word -> (phrase words, stance)
    roles: dict[str, tuple[str, bool]]  # noun -> (person|group, represents its organisation)
    anonymous: tuple[tuple[re.Pattern[str], str], ...]
    labels: frozenset[str]
    owners: dict[str, str]  # head lemma -> quantity | document (see owners.tsv)
    vague: frozenset[str]  # words left out of an unnamed speaker's id

    @functools.cached_property
    def hashes(self) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
        """String ids of verb lemmas, noun lemmas and source-phrase first words."""
        def ids(words) -> frozenset[int]:
            return frozenset(get_string_id(w.split()[0]) for w in words)

        return ids(self.verbs), ids(self.nouns), ids(self.sources)


@functools.cache
def lexicon() -> Lexicon:
    verbs: dict[str, CueEntry] = {}
    nouns: dict[str, CueEntry] = {}
    for cue, pos, stance, frames in datafiles.rows("attribution", "cues.tsv"):
        table = verbs if pos == "verb" else nouns
        table.setdefault(cue, CueEntry(stance, frozenset(frames.split(","))))
    sources = {}
    for phrase, stance in datafiles.rows("attribution", "sources.tsv"):
        words = tuple(phrase.split())
        sources[words[0]] = (words, stance)
    roles = {noun: (cls, rep == "yes")
             for noun, cls, rep in datafiles.rows("attribution", "speakers.tsv")}
    anonymous = tuple(
        # whole words, and not inside a hyphenated word ("open-source researchers")
        (re.compile(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])"), cls)
        for phrase, cls in datafiles.rows("attribution", "anonymous.tsv")
    )
    labels = frozenset(row[0] for row in datafiles.rows("attribution", "labels.tsv"))
    owners = {word: kind for word, kind in datafiles.rows("attribution", "owners.tsv")}
    vague = frozenset(row[0] for row in datafiles.rows("attribution", "vague_modifiers.tsv"))
    return Lexicon(verbs, nouns, sources, roles, anonymous, labels, owners, vague)


# ----------------------------------------------------------------------------- findings

_PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her", "them", "you"}
_FIRST_SECOND_PERSON = {"i", "we", "you", "me", "us"}
_RELATIVE = {"who", "that", "which", "whom"}
_SPEAKER_ENTITIES = {"PERSON", "ORG", "NORP", "GPE", "FAC"}
_NOT_SPEAKER_ENTITIES = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "CARDINAL", "ORDINAL"}
_SUBJECT_DEPS = {"nsubj"}
_CLAUSE_PUNCT = set(",.;:!?\u2014\u2013-()[]")
_QUOTE_CHARS = set("\"'\u201c\u201d\u2018\u2019\u00ab\u00bb`")
# Dependents of a speaker's head noun that are not part of its name: a relative clause, an
# apposition, a parenthesis ("Dana Reyes, an analyst in Geneva" -> "Dana Reyes").
_SPEAKER_CUT = {"appos", "relcl", "acl", "punct", "advcl", "parataxis"}


@dataclass
class Hit:
    """One cue with what the parse says about its speaker and content."""

    cue_start: int
    cue_end: int
    stance: str
    sent: int
    speaker_head: object | None = None  # spaCy Token
    speaker: tuple[int, int] | None = None
    content: list[tuple[int, int]] = field(default_factory=list)
    actor: str | None = None
    speaker_text: str | None = None
    clause: bool = False  # the cue takes a clause, so a quotation next to it can be content
    infinitive: bool = False  # "to confirm", "to demand": a speech act only with a speaker
    needs_speaker: bool = False  # "continue", "show": speech only from someone who speaks
    mute: bool = False  # such a cue whose subject cannot speak ("an evacuation continued")


def _unspoken(hit: Hit) -> bool:
    """An infinitive cue with no one to say it is a purpose or a possibility, not a report:
    "It took until Sunday to confirm that ...", "to mention the dead is to insult the
    rescued". A verb that is speech only from a speaker ("continue", "threaten", "show", see
    cues.tsv) with a subject that cannot speak is no report: "an evacuation continued", "a use
    of force that threatens to ...". (Dropping every cue whose subject is no known kind of
    speaker cost 2 points of PolNeAR F1: its sources are often ads, letters, polls.)"""
    return hit.actor is None and (hit.infinitive or hit.mute)


def find_attributions(
    doc, actors: list[Actor], figures: list[Figure]
) -> tuple[list[Claim], list[Quote], list[Actor]]:
    """Claims and quotes, and any speakers that are not yet in ``actors`` (returned as new)."""
    text = doc_text(doc)
    lex = lexicon()
    regions = doc_quotes(doc)
    sents = list(doc.sents)
    sent_starts = [s.start for s in sents]
    hits = _find_hits(text, doc, sent_starts, lex, regions)
    speakers = _Speakers(doc, text, actors, lex)
    # in document order, so a pronoun or a repeated description can look back at the
    # claims before it ("The group said ... . It said nine soldiers ...")
    for hit in sorted(hits, key=lambda h: h.cue_start):
        if hit.speaker_head is not None:
            speakers.resolve(hit)
    hits = [h for h in hits if not _unspoken(h)]
    anchors = [
        quotes_mod.Anchor(k, h.cue_start, h.cue_end, h.speaker[0], h.speaker[1], h.content)
        for k, h in enumerate(hits) if h.actor is not None
    ]
    sentence_spans = [(s.start_char, s.end_char) for s in sents]
    subject_hits: dict[int, Hit] = {}

    def subject_of(i: int) -> bool:
        hit = _sentence_subject(sents[i], lex)
        if hit is None:
            return False
        speakers.resolve(hit)
        if hit.actor is None:
            return False
        subject_hits[i] = hit
        return True

    assignments = quotes_mod.assign_quotes(text, regions, sentence_spans, anchors, subject_of)
    quotes = _quotes(text, hits, subject_hits, assignments)
    _extend_claims_with_continuations(text, hits, assignments)
    claims = _claims(text, _drop_nested(hits), figures)
    # every speaker found is returned, even of a cue dropped on the way: the events stage
    # finds its doers among them ("Leaders of the Azadliq coalition agreed to ...")
    return claims, quotes, speakers.new_actors


# ----------------------------------------------------------------------------- cues


def _find_hits(text: str, doc, sent_starts: list[int], lex: Lexicon,
               regions: list[tuple[int, int]]) -> list[Hit]:
    hits: list[Hit] = []
    quoted = Regions(regions)
    starts = [r[0] for r in regions]
    for i in _candidates(doc, lex):
        tok = doc[int(i)]
        si = bisect.bisect_right(sent_starts, tok.i) - 1
        if tok.lower_ in lex.sources:
            hit = _source_phrase(tok, lex, si)
        elif tok.pos_ == "VERB":
            hit = _verb_cue(tok, lex, si)
        else:
            hit = _noun_cue(tok, lex, si)
        if hit is None or quoted.find(hit.cue_start) is not None:
            # A cue inside a quotation is the quoted speaker's own wording ("I think ...");
            # the quotation is the attribution (PolNeAR annotates no claims inside quotes).
            continue
        if hit.clause and hit.speaker is not None:
            hit.content = _quote_frame(text, hit, regions, starts) or hit.content
        hit.content = _same_line(text, _snap(text, hit.content, quoted, None), hit, quoted)
        if hit.content or hit.speaker is not None:
            hits.append(hit)
    hits.extend(_colon_lines(text, doc, sent_starts, lex, quoted))
    hits.extend(_dash_signatures(text, doc, sent_starts, regions))
    return hits


# A quotation signed with a dash at the end of its line: “...” ― Ariana Huichapa
_DASH_SIGNATURE = re.compile(r"[ \t\u00a0]*[\u2015\u2014\u2013][ \t\u00a0]*"
                             r"([A-Z][\w.'\u2019-]*(?:[ \t\u00a0][A-Z][\w.'\u2019-]*){0,4})"
                             r"[ \t\u00a0.]*(?=\n|$)")


def _dash_signatures(text: str, doc, sent_starts: list[int],
                     regions: list[tuple[int, int]]) -> list[Hit]:
    hits = []
    for start, end in regions:
        m = _DASH_SIGNATURE.match(text, end)
        if m is None:
            continue
        name_start, name_end = m.span(1)
        if text[name_end - 1] == "." and name_end - text.rfind(" ", name_start, name_end) > 4:
            name_end -= 1  # the full stop after "Ariana Huichapa." but not after "Jr."
        span = doc.char_span(name_start, name_end, alignment_mode="expand")
        if span is None:
            continue
        dash = m.start() + len(m.group()) - len(m.group().lstrip(" \t\u00a0"))
        si = bisect.bisect_right(sent_starts, span.start) - 1
        hit = Hit(dash, dash + 1, "asserts", si, content=[(start, end)])
        hit.speaker_head = span.root
        hit.speaker = (name_start, name_end)
        hits.append(hit)
    return hits


# "Name: words" at the start of a line: a headline ("Zelensky: Russia will pay") or a
# transcript turn ("PENCE: Well, ..."). The name is one to four capitalised words.
_COLON_LINE = re.compile(r"^[ \t\"\u201c]*([A-Z][\w.'\u2019-]*(?: [A-Z][\w.'\u2019-]*){0,3})"
                         r"[ \t]*:[ \t]+(?=\S)", re.M)


def _names_someone(span) -> bool:
    """A whole name (an entity of a speaking kind, or a transcript's upper-case NAME), not a
    section heading ("Russia's Role: ...", "Stalled Mediation Efforts: ...")."""
    if all(t.is_upper or not t.is_alpha for t in span):
        return True
    return all(t.ent_type_ in _SPEAKER_ENTITIES or t.is_punct for t in span)


def _colon_lines(text: str, doc, sent_starts: list[int], lex: Lexicon,
                 quoted: Regions) -> list[Hit]:
    hits = []
    for m in _COLON_LINE.finditer(text):
        name_start, name_end = m.span(1)
        if m.group(1).lower() in lex.labels or any(ch.isdigit() for ch in m.group(1)):
            continue
        if quoted.find(name_start) is not None and quoted.find(name_start)[0] != name_start - 1:
            continue
        span = doc.char_span(name_start, name_end, alignment_mode="expand")
        if span is not None and len(span) > 1 and span[0].lemma_.lower() in lex.verbs:
            span = span[1:]  # "Said Ellis: ..." names Ellis
            name_start = span.start_char
        if span is None or not _names_someone(span):
            continue
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        content = _snap(text, [(m.end(), line_end)], quoted, None)
        if not content:
            continue
        colon = text.index(":", name_end)
        si = bisect.bisect_right(sent_starts, span.start) - 1
        hit = Hit(colon, colon + 1, "asserts", si, content=content)
        hit.speaker_head = span.root
        hit.speaker = (name_start, name_end)
        hits.append(hit)
    return hits


# Between a quotation and its speaker: punctuation, and capitalised words the parser left
# out of the speaker ("“...,” harbour police Chief Ana Ruiz said").
_GAP_BEFORE = re.compile(r"[ \t,\u2014\u2013-]*(?:[A-Z][\w.'\u2019-]*[ \t]+){0,3}")
_GAP_AFTER = re.compile(r"[ \t,:]*|[^\n\"\u201c\u201d]{0,60}:[ \t]*")
_SENTENCE_OPENERS = set(".!?:\n") | _QUOTE_CHARS


def _quote_frame(text: str, hit: Hit, regions: list[tuple[int, int]],
                 starts: list[int]) -> list[tuple[int, int]] | None:
    """A quotation right before ("“...,” X said") or after ("X said: “...”") the cue.

    Around quotation marks the parser often splits or joins sentences wrongly, so the
    newswire frame is read from the offsets: a quotation that opens its sentence and ends
    just before the speaker and cue is their content, and so is one that the cue introduces
    (with a colon, or a comma) when the parse found no content before it.
    """
    att_start = min(hit.cue_start, hit.speaker[0])
    att_end = max(hit.cue_end, hit.speaker[1])
    i = bisect.bisect_right(starts, att_start) - 1
    before = regions[i] if i >= 0 and regions[i][1] <= att_start else None
    if before is not None and not (_GAP_BEFORE.fullmatch(text, before[1], att_start)
                                   and _opens_sentence(text, before[0])):
        before = None
    j = bisect.bisect_left(starts, att_end)
    after = regions[j] if j < len(regions) else None
    if after is not None and not _GAP_AFTER.fullmatch(text, att_end, after[0]):
        after = None
    parse = hit.content
    in_after = after is not None and _within(parse, after)
    if before is not None and (not parse or in_after or (
            all(e <= att_start for _, e in parse) and _overlaps(parse, before))):
        if in_after and text[att_end:after[0]].strip().startswith(","):
            return [before, after]
        return [before]
    if after is not None and (not parse or in_after):
        return [after]
    return None


def _within(parts: list[tuple[int, int]], region: tuple[int, int]) -> bool:
    return bool(parts) and all(region[0] - 1 <= s and e <= region[1] + 1 for s, e in parts)


def _overlaps(parts: list[tuple[int, int]], region: tuple[int, int]) -> bool:
    return any(s < region[1] and region[0] < e for s, e in parts)


def _opens_sentence(text: str, start: int) -> bool:
    k = start - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    return k < 0 or text[k] in _SENTENCE_OPENERS


def _candidates(doc, lex: Lexicon):
    """Indices of tokens that may be cues, found on the token arrays (no Token objects)."""
    if not len(doc):
        return []
    verbs, nouns, firsts = lex.hashes
    # set lookups over plain lists beat numpy.isin at article sizes (a few thousand tokens)
    rows = doc.to_array([LOWER, LEMMA, POS]).tolist()
    return [i for i, (lower, lemma, pos) in enumerate(rows)
            if (pos == VERB and lemma in verbs) or (pos == NOUN and lemma in nouns)
            or lower in firsts]


def _verb_cue(tok, lex: Lexicon, si: int) -> Hit | None:
    if tok.dep_ in ("amod", "compound"):
        return None  # "the alleged attack", "a claimed victory"
    lemma = tok.lemma_.lower()
    key, cue_end_tok = lemma, tok
    for child in tok.children:
        if child.dep_ == "prt" and f"{lemma} {child.lower_}" in lex.verbs:
            key, cue_end_tok = f"{lemma} {child.lower_}", child
        elif child.dep_ == "prep" and child.i == tok.i + 1 and f"{lemma} {child.lower_}" in lex.verbs:
            key = f"{lemma} {child.lower_}"
    entry = lex.verbs.get(key)
    if entry is None or any(c.dep_ == "neg" for c in tok.children):
        return None  # "did not comment", "never said": nothing is claimed
    hit = Hit(tok.idx, cue_end_tok.idx + len(cue_end_tok), entry.stance, si)
    if cue_end_tok.i < tok.i:
        hit.cue_start = cue_end_tok.idx
        hit.cue_end = tok.idx + len(tok)
    hit.content = _verb_content(tok, key, entry)
    hit.clause = "clause" in entry.frames
    hit.infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
    hit.needs_speaker = "speaker" in entry.frames
    head = _verb_speaker(tok)
    if head is not None:
        hit.speaker_head = head
        hit.speaker = _speaker_span(head)
    return hit


def _verb_speaker(tok, depth: int = 0):
    """The speaker's head token: nsubj, passive agent, or the subject the cue shares."""
    passive = False
    subjects = [c for c in tok.children if c.dep_ in _SUBJECT_DEPS]
    if subjects:
        # "Airstrikes killed 34 people, the ministry said": the parser may give the cue two
        # subjects; the speaker is the one next to it, the other is the content.
        child = min(subjects, key=lambda c: abs(c.i - tok.i))
        if child.lower_ in _RELATIVE and tok.dep_ == "relcl":
            return tok.head
        return child
    for child in tok.children:
        if child.dep_ in ("nsubjpass", "auxpass"):
            passive = True
        if child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    if depth >= 3:
        return None
    head = tok.head
    if passive:
        # "... were believed to have died, citing eyewitnesses": the passive clause the
        # participle hangs on is the content; its reporter is further up
        if depth > 0 and tok.dep_ in ("advcl", "ccomp", "conj") and head is not tok \
                and head.pos_ in ("VERB", "AUX"):
            return _verb_speaker(head, depth + 1)
        return None
    if tok.dep_ == "conj" or (tok.dep_ == "advcl" and tok.tag_ == "VBG"):
        outer = _reporting_governor(tok)
        if outer is not None:
            return _verb_speaker(outer, depth + 1)
    if tok.dep_ == "xcomp" and head.pos_ == "VERB":
        # object control: "left many nations feeling that ...", "urged him to say ..."; a
        # time is no controller ("spent the weekend insisting that ...")
        obj = next((c for c in head.children if c.dep_ == "dobj"), None)
        if obj is not None and obj.ent_type_ not in _NOT_SPEAKER_ENTITIES:
            return obj
    if _infinitive(tok) and head.pos_ == "AUX":
        return None  # "to mention the dead is to insult ...": no one is mentioning
    # "..., saying that ...", "and said ...": the subject of the verb this one hangs on.
    if tok.dep_ in ("conj", "advcl", "xcomp") and head.pos_ in ("VERB", "AUX"):
        found = _verb_speaker(head, depth + 1)
        if found is not None and found.lower_ == "it" and _infinitive(tok) \
                and head.lemma_.lower() not in lexicon().verbs:
            return None  # "It took until Sunday to confirm ...": an empty subject
        return found
    if tok.dep_ == "pcomp" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
        # "began by saying ...", "stopped short of calling ..."
        return _verb_speaker(head.head, depth + 1)
    if tok.dep_ == "acl" and tok.head.pos_ == "NOUN" and tok.head.head.pos_ in ("VERB", "AUX"):
        # "Hamas issued a statement saying ...": the statement's issuer speaks.
        return _verb_speaker(tok.head.head, depth + 1)
    if depth == 0:
        return _stranded_subject(tok)
    return None


def _infinitive(tok) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


_BACKSHIFT_AUX = frozenset({"had", "would", "could", "might", "should"})


def _reporting_governor(tok):
    """The cue whose report a conjoined cue continues, when the parser hung it on that
    report's content: "X said reports were appalling, and condemned the killings", "It said
    fragments came from a Tochka-U, and called the accusations a provocation", "The Houthis
    said five fighters were killed and vowed to hit back". The content's own subject keeps
    the verb when it could say it (a name or a personal pronoun, no count, active voice, and
    not told in the back-shifted tense of reported speech while the cue is not: "said the
    RSF had carried out ... and called")."""
    first = tok.head
    while first.dep_ == "conj" and first.head is not first:
        first = first.head
    verbs = lexicon().verbs
    if first.lemma_.lower() in verbs or first.dep_ != "ccomp":
        return None
    gov = first.head
    if gov.lemma_.lower() not in verbs or gov.pos_ not in ("VERB", "AUX") or gov.i > tok.i:
        return None
    inner = next((c for c in first.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if inner is None or inner.dep_ == "nsubjpass" or not _could_speak(inner):
        return gov
    shifted = any(c.dep_ == "aux" and c.lower_ in _BACKSHIFT_AUX for c in first.children)
    own = any(c.dep_ == "aux" and c.lower_ in _BACKSHIFT_AUX for c in tok.children)
    return gov if shifted and not own else None


def _could_speak(tok) -> bool:
    """A subject that may itself be the one speaking: a personal pronoun, or a name that is
    not a count of people ("fewer than 100 Palestinians")."""
    if tok.lower_ in ("he", "she", "they"):
        return True
    if any(c.dep_ in ("nummod", "quantmod") for c in tok.children):
        return False
    return tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "ORG")


def _stranded_subject(tok):
    """ "Residents of X, most of whom ..., said ...", "Lawyers collecting evidence say ...":
    the parser made the sentence's opening noun phrase the subject of the clause inside it;
    with a cue that has no subject, it is the cue's."""
    sent = tok.sent
    if tok.dep_ != "ROOT":
        return None
    for child in tok.lefts:
        if child.dep_ not in ("ccomp", "csubj"):
            continue
        subj = next((g for g in child.children if g.dep_ in ("nsubj", "nsubjpass")
                     and g.i < child.i), None)
        if subj is None or subj.left_edge.i != sent.start or subj.pos_ not in ("NOUN", "PROPN"):
            return None
        doc = tok.doc
        last = subj.right_edge.i
        after = last + 1
        reduced = child.tag_ in ("VBG", "VBN") and not any(
            g.dep_ in ("aux", "auxpass") for g in child.children) and child.i == after
        if reduced or doc[last].text == "," or (after < len(doc) and doc[after].text == ","):
            return subj
        return None
    return None


def _verb_content(tok, key: str, entry: CueEntry) -> list[tuple[int, int]]:
    doc = tok.doc
    ranges = _verb_content_tokens(tok, key, entry)
    if tok.dep_ == "relcl":
        # "The offensive everyone has been predicting is arriving": what a cue inside a
        # relative clause reports lies inside that clause, never in the sentence around it
        lo, hi = tok.left_edge.i, tok.right_edge.i + 1
        ranges = [(max(i, lo), min(j, hi)) for i, j in ranges if i < hi and j > lo]
    return [_chars(doc, *_trim_tail(doc, i, j)) for i, j in ranges]


def _verb_content_tokens(tok, key: str, entry: CueEntry) -> list[tuple[int, int]]:
    """Token ranges [i, j) of a verb cue's content, by the frames the cue allows."""
    frames = entry.frames
    children = list(tok.children)
    if "clause" in frames:
        found = _clause_content(tok)
        if found:
            return found
    if "inf" in frames:
        for child in children:
            if child.dep_ == "xcomp" and any(g.dep_ == "aux" and g.lower_ == "to"
                                             for g in child.children):
                return [_tokens(child)]
    if "ing" in frames:
        for child in children:
            if child.dep_ in ("xcomp", "pcomp") and child.tag_ == "VBG":
                return [_tokens(child)]
    for child in children:
        if child.dep_ == "prep" and (child.lower_ in frames or key.endswith(" " + child.lower_)):
            objs = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
            if objs:
                return [_tokens(objs[0])]
    if "obj" in frames:
        found = _object_content(tok, children)
        if found:
            return found
    if "clause" in frames and tok.dep_ == "parataxis" and tok.head.pos_ in ("VERB", "AUX"):
        return _minus_tokens(_tokens(tok.head), _tokens(tok))
    return []


# A complement clause introduced by one of these is an adverbial clause the parser attached
# as a complement ("While he acknowledged ..., Ham noted ...").
_COMPLEMENT_MARKS = {"that", "whether", "if"}


def _clause_content(tok) -> list[tuple[int, int]]:
    comps = [c for c in tok.children if c.dep_ == "ccomp" and _is_complement(c)
             and not _semicolon_between(c, tok)]
    after = [c for c in comps if c.i > tok.i]
    before = [c for c in comps if c.i < tok.i]
    if after:
        return [(after[0].left_edge.i, _conjoined_cue_cut(after[-1]))]
    if before:
        parts = [(before[0].left_edge.i, before[-1].right_edge.i + 1)]
        tail = _parenthetical_tail(tok)
        return parts + [tail] if tail else parts
    for child in tok.rights:
        # "said after the vote he would not sign ...": a bare clause parsed as advcl
        if child.dep_ == "advcl" and not any(g.dep_ == "mark" for g in child.children) and any(
                g.dep_ in ("nsubj", "nsubjpass") for g in child.children):
            return [_tokens(child)]
    subjects = [c for c in tok.children if c.dep_ in _SUBJECT_DEPS and c.i < tok.i]
    if len(subjects) > 1:
        far = min(subjects, key=lambda c: c.i)
        return [_tokens(far)]
    return _stranded_that_clause(tok) or _bare_clause_after(tok)


_PATH_DEPS = {"prep", "pobj", "npadvmod", "advmod", "compound"}


def _stranded_that_clause(tok) -> list[tuple[int, int]]:
    """ "said on Tuesday at a briefing that the council may delay": the that-clause the
    parser hung on "briefing" is the cue's complement."""
    doc = tok.doc
    for k in range(tok.i + 1, min(tok.right_edge.i + 1, tok.i + 15)):
        t = doc[k]
        if t.dep_ not in ("relcl", "acl", "ccomp", "advcl") or not any(
                g.dep_ == "mark" and g.lower_ == "that" for g in t.children):
            continue
        up = t.head
        while up.i != tok.i and up.dep_ in _PATH_DEPS:
            up = up.head
        if up.i == tok.i:
            return [_tokens(t)]
    return []


def _conjoined_cue_cut(clause) -> int:
    """End of a complement clause, before a conjoined report the parser hung on it.

    "said that he had no plan to ... and predicted that the mayor will lose": "predicted" is
    the speaker's second report, not part of the first one's content.
    """
    verbs = lexicon().verbs
    end = clause.right_edge.i + 1
    for child in clause.rights:
        if child.dep_ == "conj" and child.pos_ == "VERB" and child.lemma_.lower() in verbs:
            cut = child.left_edge.i
            doc = clause.doc
            while cut > clause.i + 1 and doc[cut - 1].dep_ in ("cc", "punct"):
                cut -= 1
            return min(end, cut)
    return end


def _bare_clause_after(tok) -> list[tuple[int, int]]:
    """ "told Reuters the operation would last weeks" with the clause misparsed: a subject
    after the cue (and after the addressee) whose verb follows it starts the content."""
    doc, sent = tok.doc, tok.sent
    skip_to = tok.i + 1
    for child in tok.rights:  # the addressee ("told Reuters"), then the clause
        if child.dep_ in ("dobj", "dative") and child.left_edge.i == skip_to:
            skip_to = child.right_edge.i + 1
            break
    if skip_to >= sent.end:
        return []
    first = doc[skip_to]
    if first.dep_ in ("nsubj", "nsubjpass") and first.head.i > first.i and first.head.i < sent.end:
        end = sent.end
        return [(first.left_edge.i, end)]
    if first.dep_ in ("det", "compound", "amod", "poss", "nummod"):
        head = first.head
        if head.dep_ in ("nsubj", "nsubjpass") and head.head.i > head.i and head.head.i < sent.end:
            return [(first.i, sent.end)]
    return []


def _is_complement(clause) -> bool:
    return all(g.lower_ in _COMPLEMENT_MARKS for g in clause.children if g.dep_ == "mark")


def _parenthetical_tail(tok) -> tuple[int, int] | None:
    """ "A, X said, until B": the clause after a parenthetical cue is content too."""
    doc = tok.doc
    for child in tok.rights:
        left = child.left_edge.i
        if left > 0 and doc[left - 1].text == "," and (
            child.dep_ == "ccomp" or (child.dep_ == "advcl" and any(
                g.dep_ == "mark" for g in child.children))):
            return left, child.right_edge.i + 1
    return None


_OBJECT_TAIL_PREPS = {"of", "for", "on", "as", "over", "with"}


def _object_content(tok, children) -> list[tuple[int, int]]:
    """ "denied the reports", "accused Israel of ...", "called the conditions 'delusional'"."""
    objs = [c for c in children if c.dep_ == "dobj"]
    if not objs or objs[0].lower_ in _PRONOUNS | {"this", "that", "so", "nothing", "it"}:
        return []
    start, end = _tokens(objs[0])
    for child in children:
        if child.i > objs[0].i and child.dep_ in ("oprd", "prep", "xcomp", "ccomp", "acomp"):
            if child.dep_ == "prep" and child.lower_ not in _OBJECT_TAIL_PREPS:
                continue
            end = max(end, child.right_edge.i + 1)
    return [(start, end)]


def _tokens(tok) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


def _minus_tokens(whole: tuple[int, int], hole: tuple[int, int]) -> list[tuple[int, int]]:
    parts = [(whole[0], min(whole[1], hole[0])), (max(whole[0], hole[1]), whole[1])]
    return [p for p in parts if p[1] > p[0]]


def _chars(doc, i: int, j: int) -> tuple[int, int]:
    last = doc[j - 1]
    return doc[i].idx, last.idx + len(last)


# Non-restrictive modifiers that close a content span are the writer's, not the speaker's:
# "said he expects the chief to resign, which would force the board to ..." (PolNeAR
# leaves them out).
_TAIL_DEPS = {"relcl", "appos", "acl"}


def _trim_tail(doc, i: int, j: int) -> tuple[int, int]:
    end = j
    while end > i and doc[end - 1].is_punct and doc[end - 1].text not in _QUOTE_CHARS:
        end -= 1
    for k in range(i + 1, end):
        t = doc[k]
        if t.dep_ in _TAIL_DEPS and t.left_edge.i > i + 1 and t.right_edge.i + 1 >= end:
            comma = t.left_edge.i - 1
            if doc[comma].text == "," and (t.dep_ != "relcl" or t.left_edge.lower_ in
                                           ("who", "which", "whose", "whom")):
                return i, comma
    return i, j


def _semicolon_between(clause, cue) -> bool:
    """ "A claimed X; B admitted Y" parses A's clause as B's complement: a semicolon (or a
    heading's colon, "The Latest: Trump urges ...") says no."""
    if clause.i > cue.i:
        return False
    doc = cue.doc
    return any(t.text in (";", ":") for t in doc[clause.right_edge.i:cue.i])


def _noun_cue(tok, lex: Lexicon, si: int) -> Hit | None:
    entry = lex.nouns.get(tok.lemma_.lower())
    if entry is None:
        return None
    content = []
    for child in tok.children:
        if child.dep_ in ("acl", "ccomp") and any(
            g.dep_ == "mark" and g.lower_ == "that" for g in child.children
        ):
            content = [_subtree(child)]
            break
        if "inf" in entry.frames and child.dep_ == "acl" and any(
            g.dep_ == "aux" and g.lower_ == "to" for g in child.children
        ):
            content = [_subtree(child)]
            break
    if not content:
        return None
    hit = Hit(tok.idx, tok.idx + len(tok), entry.stance, si, content=content)
    head = None
    for child in tok.children:
        if child.dep_ == "poss":
            head = child
        elif child.dep_ == "prep" and child.lower_ in ("by", "from"):
            head = next((g for g in child.children if g.dep_ == "pobj"), head)
    if head is None:
        # "the Russian claim that ...", "a Hamas statement that ...": a name or demonym
        # modifying the cue noun is whose it is
        head = next((c for c in tok.children if c.dep_ in ("amod", "compound") and c.i < tok.i
                     and (c.pos_ == "PROPN" or c.ent_type_ in ("NORP", "GPE", "ORG"))), None)
    if head is not None:
        hit.speaker_head = head
        hit.speaker = _speaker_span(head)
    return hit


def _source_phrase(tok, lex: Lexicon, si: int) -> Hit | None:
    words, stance = lex.sources[tok.lower_]
    doc = tok.doc
    last = tok.i + len(words) - 1
    if last + 1 >= len(doc) or [t.lower_ for t in doc[tok.i:last + 1]] != list(words):
        return None
    head = None
    for t in doc[last + 1:min(len(doc), last + 12)]:
        if t.head.i <= last and t.head.i >= tok.i and t.dep_ == "pobj":
            head = t
            break
    if head is None:
        return None
    phrase_start, phrase_end = tok.i, head.right_edge.i + 1
    hit = Hit(tok.idx, doc[last].idx + len(doc[last]), stance, si)
    hit.speaker_head = head
    hit.speaker = _speaker_span(head)
    clause = _clause_of(tok)
    if clause is not None:
        hit.content = _minus(_subtree(clause), (doc[phrase_start].idx,
                                                doc[phrase_end - 1].idx + len(doc[phrase_end - 1])))
    return hit


def _clause_of(tok):
    """The verb whose clause an adverbial phrase modifies."""
    head = tok.head
    for _ in range(4):
        if head.pos_ in ("VERB", "AUX"):
            return head
        if head.head is head:
            return head
        head = head.head
    return None


def _sentence_subject(sent, lex: Lexicon) -> Hit | None:
    """The subject of a sentence, if it can be the speaker of a quotation after it."""
    for child in sent.root.children:
        if child.dep_ in _SUBJECT_DEPS and _can_speak(child, lex):
            hit = Hit(child.idx, child.idx, "other", 0)
            hit.speaker_head = child
            hit.speaker = _speaker_span(child)
            return hit
    return None


def _can_speak(tok, lex: Lexicon) -> bool:
    return (tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
            or tok.lower_ in ("he", "she", "they") or tok.lemma_.lower() in lex.roles
            or tok.lower_ in lex.roles)


# ----------------------------------------------------------------------------- spans


def _subtree(tok) -> tuple[int, int]:
    left, right = tok.left_edge, tok.right_edge
    return left.idx, right.idx + len(right)


def _minus(whole: tuple[int, int], hole: tuple[int, int]) -> list[tuple[int, int]]:
    parts = [(whole[0], min(whole[1], hole[0])), (max(whole[0], hole[1]), whole[1])]
    return [p for p in parts if p[1] > p[0]]


def _speaker_span(head) -> tuple[int, int]:
    """The speaker's noun phrase without appositions and relative clauses."""
    doc = head.doc
    left = head
    for child in head.lefts:
        if child.dep_ not in _SPEAKER_CUT and child.i < left.i:
            left = child.left_edge if child.left_edge.i < left.i else child
            break
    right = head
    for child in head.rights:
        if child.dep_ in _SPEAKER_CUT:
            break
        if child.dep_ != "case":  # "Hamas's announcement": the speaker is "Hamas"
            right = child.right_edge
    # A heading, dateline or time stamp on the line above is not part of the speaker.
    for k in range(head.i - 1, left.i - 1, -1):
        if "\n" in doc[k].whitespace_ or "\n" in doc[k].text:
            left = doc[k + 1]
            break
    while left.i < head.i and (left.is_punct or left.is_space):
        left = doc[left.i + 1]
    # a relative clause on a noun inside the phrase is the writer's aside too: "the health
    # ministry in the Hamas-run territory, which does not distinguish ..."
    for k in range(head.i + 1, right.i):
        if doc[k].text == "," and doc[k + 1].lower_ in _RELATIVE_OPENERS:
            right = doc[k - 1]
            break
    while right.i > left.i and (right.is_punct or right.is_space):
        right = doc[right.i - 1]
    return left.idx, right.idx + len(right)


_RELATIVE_OPENERS = frozenset({"which", "who", "whose", "whom", "where"})


def _snap(text: str, parts: list[tuple[int, int]], quoted,
          home: tuple[int, int] | None) -> list[tuple[int, int]]:
    """Trim clause punctuation off the content, and take in whole quotations it cuts into.

    ``home`` is the quotation the cue itself stands in (a quoted speaker's own "I think
    ..."): content there stays inside it.
    """
    out = []
    for start, end in parts:
        start, end = _strip(text, start, end)
        if end <= start:
            continue
        for edge in (start, end - 1):
            region = quoted.find(edge)
            if region is not None and region != home and _words_inside(text, region, start, end):
                start, end = min(start, region[0]), max(end, region[1])
        start, end = _strip(text, start, end, quoted)
        if end > start:
            out.append((start, end))
    return out


def _same_line(text: str, parts: list[tuple[int, int]], hit: Hit,
               quoted: Regions) -> list[tuple[int, int]]:
    """Content stays on its cue's line: a heading above ("Where Now? The Road to ...")
    is not what "negotiations continue" reports. Quotations may run over lines."""
    line_start = text.rfind("\n", 0, hit.cue_start) + 1
    line_end = text.find("\n", hit.cue_end)
    line_end = len(text) if line_end < 0 else line_end
    out = []
    for start, end in parts:
        region = quoted.find(start)
        if region is not None and region[0] == start and end <= region[1]:
            out.append((start, end))
            continue
        start, end = max(start, line_start), min(end, line_end)
        start, end = _strip(text, start, end, quoted)
        if end > start:
            out.append((start, end))
    return out


def _words_inside(text: str, region: tuple[int, int], start: int, end: int) -> bool:
    s, e = max(region[0], start), min(region[1], end)
    return any(ch.isalnum() for ch in text[s:e])


def _strip(text: str, start: int, end: int, quoted=None) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in _CLAUSE_PUNCT or (
            text[start] in _QUOTE_CHARS and (quoted is None or quoted.find(start) is None))):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _CLAUSE_PUNCT or (
            text[end - 1] in _QUOTE_CHARS and (quoted is None or quoted.find(end - 1) is None))):
        end -= 1
    return start, end


# ----------------------------------------------------------------------------- speakers


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


_DETERMINERS = re.compile(r"^(?:the|a|an|this|that|these|those|one|another|some)\s+", re.I)


_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})


def _pronoun(tok) -> bool:
    """A personal pronoun, not a name spelt like one ("The US rejected ...")."""
    return tok.lower_ in _PRONOUNS and tok.pos_ == "PRON"

_THING_PRONOUNS = frozenset({"it"})
_PLURAL_TAGS = frozenset({"NNS", "NNPS"})


def _compatible(pronoun: str, actor: Actor, head=None) -> bool:
    """Can this pronoun refer to this actor? "he"/"she" only to a person; "it" to a body
    that is not named in the plural ("the Houthis" are "they"); "they" to anything but a
    single person."""
    if pronoun in _PERSON_PRONOUNS:
        return actor.kind == "person"
    if pronoun in _THING_PRONOUNS:
        plural = head is not None and head.tag_ in _PLURAL_TAGS
        return actor.kind not in ("person", "people") and not plural
    return actor.kind != "person" or (head is not None and head.tag_ in _PLURAL_TAGS)


class _Speakers:
    """Resolves speaker phrases to actor ids, making new actors for speakers not yet known."""

    def __init__(self, doc, text: str, actors: list[Actor], lex: Lexicon):
        self.doc = doc
        self.text = text  # Doc.text re-joins every token on each access
        self.actors = actors
        self.lex = lex
        self.by_id = {a.id: a for a in actors}
        self.index: OffsetIndex = mention_index(actors)
        self.new_actors: list[Actor] = []
        self.new_index: dict[str, Actor] = {}
        self._mentioned: set[tuple[str, int, int]] = set()  # (actor, start, end) of new actors
        self.resolved: list[tuple[int, Actor]] = []  # (offset, actor) in document order
        self.done: list[Hit] = []  # claims resolved so far, in document order
        self.sent_starts = [s.start_char for s in doc.sents]
        from triangulate.analyze import actors as actors_mod

        self.resolve_reference = getattr(actors_mod, "resolve_reference", None)
        self.is_generic = getattr(actors_mod, "is_generic", lambda actor: False)

    def resolve(self, hit: Hit) -> None:
        head = hit.speaker_head
        start, end = hit.speaker
        hit.speaker_text = self.text[start:end]
        actor = self._lookup(head, start, end, hit)
        if actor is None and (_pronoun(head) or not self._can_be_actor(head, start, end)):
            # a subject that cannot be an actor ("the war would go on") stays unnamed; with a
            # verb that is speech only from a speaker it is no claim at all
            hit.mute = hit.needs_speaker and not _pronoun(head)
            return
        if actor is None:
            actor = self._new_actor(head, start, end)
        hit.actor = actor.id
        self.resolved.append((start, actor))
        self.done.append(hit)

    def _can_be_actor(self, head, start: int, end: int) -> bool:
        """Names, roles and unnamed sources speak; "the war would go on" has no speaker."""
        lex = self.lex
        if head.ent_type_ in _NOT_SPEAKER_ENTITIES:
            return False  # "Saturday was a triumph": a day says nothing
        return (head.pos_ == "PROPN" or head.ent_type_ in _SPEAKER_ENTITIES
                or head.lower_ in lex.roles or head.lemma_.lower() in lex.roles
                or any(p.search(self.text[start:end].lower()) for p, _ in lex.anonymous))

    def _lookup(self, head, start: int, end: int, hit: Hit | None = None) -> Actor | None:
        lower = head.lower_
        if lower in _FIRST_SECOND_PERSON and head.pos_ == "PRON":
            return None  # outside quotations "I" and "we" are the writer
        named = self._appositive(head)
        if named is not None:
            return named
        owner = self._owner(head)
        if owner is not None:
            return owner
        if _pronoun(head):
            return self._pronoun(head, start, end, hit)
        hs, he = head.idx, head.idx + len(head)
        found = self.index.at(hs, he)
        role = self.lex.roles.get(head.lemma_.lower()) or self.lex.roles.get(lower)
        definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that")
                       for c in head.children)
        # "the group", "the ministry": a role noun pointing back; "this appeal" is not one.
        # An earlier speaker so described comes first: "the city council said ... The
        # council said" is one body whatever the actors stage made of "the council".
        if definite and head.pos_ == "NOUN" and role is not None and not any(
                c.dep_ in ("amod", "compound", "poss") for c in head.children):
            same = self._same_description(head)
            if same is not None:
                return same
        if found is not None and self.is_generic(found) and hit is not None:
            # "..., police said": a bare role that speaks is the institution of that kind the
            # story just named (same or previous sentence), else the generic role it is
            found = self._named_nearby(found, head, start, end, hit) or found
        if found is not None:
            return found
        if definite and head.pos_ == "NOUN" and role is not None:
            found = self._reference(start, end, head)
            if found is not None:
                return found
        if role is not None:
            found = self._named_by_modifier(head, role)
            if found is not None:
                return found
        if role is not None and role[1]:
            found = self.index.at(start, end)
            if found is not None:
                return found
        for child in head.children:
            if child.dep_ == "appos" and child.pos_ == "PROPN":
                found = self.index.at(child.idx, child.idx + len(child))
                if found is not None:
                    return found
        return self._known_new(head, start, end)

    def _appositive(self, head) -> Actor | None:
        """A speaker described by role with the name beside it: "The defence minister, Yoav
        Gallant, said" is Gallant, not the ministry; "A second survivor, a retired engineer
        ..., Anatolii, said" is Anatolii."""
        if head.pos_ == "PROPN" or head.ent_type_ == "PERSON":
            return None
        # any name in apposition inside the phrase: "..., a retired engineer who asked to be
        # identified only by his first name, Anatolii, said"
        appositions = [t for t in head.subtree if t.dep_ == "appos" and t.i > head.i]
        for tok in appositions:
            if tok.pos_ != "PROPN":
                continue
            s, e = _name_span(tok)
            found = self.index.at(s, e)
            if found is not None and found.kind == "person":
                return found
            if found is None and tok.ent_type_ == "PERSON":
                return self._known_new(tok, s, e) or self._new_actor(tok, s, e)
        return None

    def _named_by_modifier(self, head, role: tuple[str, bool]) -> Actor | None:
        """ "Yemen's Ansar Allah movement" is Ansar Allah; "the movement's military
        spokesman" speaks for the movement the article named."""
        for c in head.children:
            if c.dep_ == "compound" and c.pos_ == "PROPN" and role[0] == "group":
                found = self.index.at(c.idx, c.idx + len(c))
                if found is not None and found.kind not in ("state", "person", "people"):
                    return found
        if role[1]:
            poss = next((c for c in head.children if c.dep_ == "poss"
                         and c.lower_ not in _PRONOUNS), None)
            if poss is not None:
                return self._by_token(poss)
        return None

    def _owner(self, head) -> Actor | None:
        """Who speaks through a quantity ("thousands of Israelis") or a document ("an army
        inquiry", "UN figures", "CENTCOM's first release", "an investigation published by
        the Associated Press"); None when the phrase names no one."""
        kind = self.lex.owners.get(head.lemma_.lower()) or self.lex.owners.get(head.lower_)
        if kind is None:
            return None
        children = list(head.children)
        if kind == "quantity":
            for c in children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                    if obj is not None:
                        return self._by_token(obj)
            return None
        for c in children:
            if c.dep_ == "poss":
                return self._by_token(c)
        for c in children:
            if c.dep_ in ("compound", "amod", "nmod", "npadvmod") and c.i < head.i:
                found = self._by_token(c, bare=True)
                if found is not None:
                    return found
        for c in children:
            grand = c
            if c.dep_ == "acl":  # "an investigation published on Wednesday by the AP"
                grand = next((g for g in c.children if g.dep_ == "agent"), None)
            elif not (c.dep_ == "prep" and c.lower_ in ("by", "from", "of")):
                continue
            obj = next((g for g in grand.children if g.dep_ == "pobj"), None) if grand else None
            if obj is not None:
                return self._by_token(obj)
        return None

    def _by_token(self, tok, bare: bool = False) -> Actor | None:
        """The actor a single noun phrase names: a mention, a reference, or (not ``bare``) a
        new speaker. ``bare``: a modifier word ("army" in "army inquiry") is only a
        reference to the article's own institution, never a new actor."""
        s, e = _speaker_span(tok) if not bare else (tok.idx, tok.idx + len(tok))
        found = self.index.at(tok.idx, tok.idx + len(tok)) or (None if bare else self.index.at(s, e))
        if found is not None:
            return found
        if _pronoun(tok):
            return self._pronoun(tok, s, e, None)
        if (tok.pos_ in ("NOUN", "PROPN") or bare) and self.resolve_reference is not None:
            found = self._reference(s, e, tok, recent=False)
            if found is not None or bare:
                return found
        if bare or not self._can_be_actor(tok, s, e):
            return None
        return self._lookup(tok, s, e)  or self._new_actor(tok, s, e)

    def _pronoun(self, head, start: int, end: int, hit: Hit | None) -> Actor | None:
        """ "It said ...", "what it described as ...": first the speaker of the claim whose
        content the pronoun stands in, then the speaker of the claim just before (same or
        previous sentence), when compatible; then the nearest compatible actor named."""
        lower = head.lower_
        if hit is not None:
            governing = next((h for h in reversed(self.done) if h.actor is not None
                              and h is not hit and _inside(hit.cue_start, h.content)), None)
            previous = next((h for h in reversed(self.done) if h.actor is not None
                             and h is not hit and h.cue_start < hit.cue_start), None)
            if previous is not None and previous.sent < hit.sent - 1:
                previous = None
            for h in (governing, previous):
                if h is None:
                    continue
                actor = self._actor(h.actor)
                if actor is not None and _compatible(lower, actor, h.speaker_head):
                    return actor
        found = self._reference(start, end, head)
        if found is not None and _compatible(lower, found):
            return found
        return None

    def _named_nearby(self, generic: Actor, head, start: int, end: int,
                      hit: Hit) -> Actor | None:
        if any(c.dep_ in ("amod", "compound", "poss", "nummod") for c in head.children):
            return None  # "military analysts", "two officials": a description of their own
        found = self._reference(start, end, head, recent=False)
        if found is None or found is generic or found.kind != generic.kind:
            return None
        sents = self.sent_starts
        here = bisect.bisect_right(sents, head.idx) - 1
        near = any(0 <= here - (bisect.bisect_right(sents, m.start) - 1) <= 1
                   for m in found.mentions if m.start < start)
        return found if near else None

    def _actor(self, actor_id: str) -> Actor | None:
        return self.by_id.get(actor_id) or self.new_index.get(actor_id)

    def _same_description(self, head) -> Actor | None:
        """ "The news agency said ... The agency acknowledged": a definite description with
        the head noun of an earlier speaker's phrase is that speaker again."""
        lemma = head.lemma_.lower()
        for h in reversed(self.done):
            prev = h.speaker_head
            if h.actor is not None and prev is not None and prev.i != head.i \
                    and prev.lemma_.lower() == lemma and prev.pos_ == "NOUN":
                return self._actor(h.actor)
        return None

    def _reference(self, start: int, end: int, head, recent: bool = True) -> Actor | None:
        if self.resolve_reference is not None:
            try:
                found = self.resolve_reference(self.doc, start, end, self.actors + self.new_actors)
            except Exception:  # another stage's helper must never sink this one
                found = None
            if isinstance(found, str):
                found = self.by_id.get(found) or self.new_index.get(found)
            if found is not None:
                return found
        return self._recent(head) if recent else None

    def _recent(self, head) -> Actor | None:
        """Fallback coreference: the latest speaker (or person named) of the right kind."""
        lower = head.lower_
        want_person = lower in _PERSON_PRONOUNS
        if lower in ("i", "we", "you"):
            return None
        limit = head.idx - 600
        # A role noun points back to a speaker it describes: "the health ministry" after
        # "the Israeli military said" is a new speaker, not the military again.
        noun = head.lemma_.lower() if head.pos_ == "NOUN" else None
        for offset, actor in reversed(self.resolved):
            if offset < limit:
                break
            if offset < head.idx and (actor.kind == "person") == want_person and (
                    noun is None or _described_as(actor, noun)):
                return actor
        if want_person:
            for ent in reversed(list(head.doc[max(0, head.sent.start - 60):head.i].ents)):
                if ent.label_ == "PERSON" and ent.start_char >= limit:
                    found = self.index.at(ent.start_char, ent.end_char)
                    if found is not None:
                        if found.kind == "person":
                            return found
                        continue  # sm tags some groups as PERSON ("Houthis")
                    return self._known_new(ent.root, ent.start_char, ent.end_char) or \
                        self._new_actor(ent.root, ent.start_char, ent.end_char)
        return None

    def _known_new(self, head, start: int, end: int) -> Actor | None:
        if head.pos_ == "PROPN":
            last = head.lower_
            for actor in self.new_actors:
                if actor.kind == "person" and actor.name.lower().split()[-1] == last:
                    self._mention(actor, start, end)
                    return actor
        return None

    def _mention(self, actor: Actor, start: int, end: int) -> None:
        """Add a mention to a new speaker once: one phrase is resolved more than once (as a
        cue's speaker, then as the subject a quotation may belong to), and a mention listed
        twice was stored as two identical rows."""
        key = (actor.id, start, end)
        if key not in self._mentioned:
            self._mentioned.add(key)
            actor.mentions.append(Mention(start, end, self.text[start:end]))

    def _new_actor(self, head, start: int, end: int) -> Actor:
        text = self.text[start:end]
        name = _DETERMINERS.sub("", text).strip() or text
        # the whole phrase, so "an official, speaking on condition of anonymity," counts
        phrase = self.text[head.left_edge.idx:head.right_edge.idx + len(head.right_edge)].lower()
        anonymous = None if head.pos_ == "PROPN" else next(
            (cls for pat, cls in self.lex.anonymous if pat.search(phrase)), None)
        role = self.lex.roles.get(head.lower_) or self.lex.roles.get(head.lemma_.lower())
        if anonymous is not None:
            kind = anonymous
        elif head.ent_type_ == "PERSON" or head.lower_ in ("he", "she"):
            kind = "person"
        elif role is not None:
            kind = role[0]
        elif head.tag_ in ("NNS", "NNPS") or head.ent_type_ in ("ORG", "NORP", "GPE"):
            kind = "group"
        else:
            kind = "person" if head.pos_ == "PROPN" else "group"
        stem = _slug(name) if head.pos_ == "PROPN" else self._stable_stem(head, start, end)
        slug = ("anonymous-" if anonymous else "") + (stem or _slug(name) or "speaker")
        if slug in self.by_id:
            return self.by_id[slug]
        actor = self.new_index.get(slug)
        if actor is None:
            actor = Actor(id=slug, name=name, kind=kind, country=None, known=False)
            self.new_index[slug] = actor
            self.new_actors.append(actor)
        self._mention(actor, start, end)
        return actor

    def _stable_stem(self, head, start: int, end: int) -> str:
        """An unnamed speaker's id from the words that say who it is, without determiners,
        quantities and evaluative words, so outlets agree: "credible local sources" and
        "local sources" are both "local-sources"; "the besieged city's council" is
        "city-council". Possessors stay ("the center's director" is not any director)."""
        words = [t for t in self.doc.char_span(start, end, alignment_mode="expand") or ()
                 if not t.is_punct]
        kept = [t.lower_ for t in words if (t.i > head.i or t.lower_ not in self.lex.vague)
                and _fold_quote(t.lower_) not in self.lex.vague and not t.like_num]
        return _slug(" ".join(kept))


def _fold_quote(word: str) -> str:
    return word.replace("\u2019", "'")


def _name_span(tok) -> tuple[int, int]:
    """A name token with the compound name words before it ("Yoav" + "Gallant")."""
    left = tok
    for c in tok.lefts:
        if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < left.i:
            left = c
    return left.idx, tok.idx + len(tok)


# ----------------------------------------------------------------------------- output


def _quotes(text: str, hits: list[Hit], subject_hits: dict[int, Hit],
            assignments) -> list[Quote]:
    out: list[Quote] = []
    for a in assignments:
        source = hits[a.anchor] if a.anchor is not None else subject_hits.get(a.subject)
        start, end = a.region
        quote = Quote(id="", speaker=None, speaker_text=None, cue=None, start=start, end=end,
                      text=text[start:end], speaker_position=a.position)
        if source is not None and source.actor is not None:
            quote.speaker = source.actor
            quote.speaker_text = source.speaker_text
            if a.anchor is not None:
                quote.cue = text[source.cue_start:source.cue_end]
            s, e = source.speaker
            quote.speaker_span = Mention(s, e, text[s:e])
        out.append(quote)
    for i, q in enumerate(out, 1):
        q.id = f"q{i}"
    return out


def _extend_claims_with_continuations(text: str, hits: list[Hit], assignments) -> None:
    """Quotations that go on after "“...,” he said." are more of the same claim's content.

    Only within the paragraph: a quotation opening the next paragraph keeps its speaker (as a
    Quote) but is not folded into the claim (PolNeAR joins across paragraphs 1 time in 20).
    """
    for a in assignments:
        if a.anchor is None or a.position not in ("previous", "before"):
            continue
        hit = hits[a.anchor]
        if not hit.content or hit.content[-1][1] > a.region[0]:
            continue
        last = text[hit.content[-1][1] - 1]
        same_paragraph = "\n" not in text[hit.content[-1][1]:a.region[0]]
        if last in _QUOTE_CHARS and same_paragraph and max(hit.cue_end, hit.speaker[1]) <= a.region[0]:
            hit.content.append(a.region)


def _drop_nested(hits: list[Hit]) -> list[Hit]:
    """Leave out a claim reported inside another by the same voice.

    "Rubio told a crowd that he knows voters are angry" is one claim of Rubio's; "he knows"
    is how he put it, not a second claim (PolNeAR annotates the outer one only). A claim
    of another voice inside ("the army said Hamas claimed ...") is kept: it is Hamas's
    figure. (Dropping those too would gain 0.3 points of PolNeAR F1.)
    """
    boxes = [(min(s for s, _ in h.content), max(e for _, e in h.content), h)
             for h in hits if h.content]
    outers = _containing([h.cue_start for h in hits], boxes)
    out = []
    for h, found in zip(hits, outers, strict=True):
        at = h.cue_start
        outer = next((boxes[k][2] for k in found if boxes[k][2] is not h
                      and _inside(at, boxes[k][2].content)
                      and _overlap(h.content, boxes[k][2].content) * 2 > _length(h.content)),
                     None)
        if outer is not None and (h.actor is None or h.actor == outer.actor):
            continue
        out.append(h)
    return out


def _containing(points: list[int], boxes: list[tuple[int, int, Hit]]) -> list[list[int]]:
    """For each point, the indices (ascending) of the boxes [start, end) holding it, by one
    sweep over both sorted: testing every box for every cue cost the square of the number
    of cues (a storm of quoted speech)."""
    import heapq

    by_start = sorted(range(len(boxes)), key=lambda k: boxes[k][0])
    found: list[list[int]] = [[] for _ in points]
    active: list[tuple[int, int]] = []  # (end, box)
    b = 0
    for q in sorted(range(len(points)), key=points.__getitem__):
        at = points[q]
        while b < len(by_start) and boxes[by_start[b]][0] <= at:
            heapq.heappush(active, (boxes[by_start[b]][1], by_start[b]))
            b += 1
        while active and active[0][0] <= at:
            heapq.heappop(active)
        found[q] = sorted(k for end, k in active if end > at)
    return found


def _inside(offset: int, parts: list[tuple[int, int]]) -> bool:
    return any(s <= offset < e for s, e in parts)


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _length(parts: list[tuple[int, int]]) -> int:
    return sum(e - s for s, e in parts)


def _claims(text: str, hits: list[Hit], figures: list[Figure]) -> list[Claim]:
    fig_index = OffsetIndex((f.start, f.end, f) for f in figures)
    claims: list[Claim] = []
    for hit in hits:
        if not hit.content:
            continue
        parts = sorted(hit.content)
        c_start, c_end = parts[0][0], parts[-1][1]
        content = Span(c_start, c_end, text[c_start:c_end],
                       [list(p) for p in parts] if len(parts) > 1 else None)
        edges = [c_start, c_end, hit.cue_start, hit.cue_end]
        if hit.speaker is not None:
            edges += list(hit.speaker)
        figs = [f.id for s, e in parts for _, _, f in fig_index.within(s, e)]
        claim = Claim(
            id="", speaker=hit.actor, speaker_text=hit.speaker_text,
            cue=text[hit.cue_start:hit.cue_end], stance=hit.stance,
            start=min(edges), end=max(edges), content=content, figures=figs,
            speaker_span=Mention(hit.speaker[0], hit.speaker[1],
                                 text[hit.speaker[0]:hit.speaker[1]]) if hit.speaker else None,
            cue_span=Mention(hit.cue_start, hit.cue_end, text[hit.cue_start:hit.cue_end]),
        )
        claims.append(claim)
    _innermost_figures(claims)
    claims.sort(key=lambda c: (c.content.start, c.content.end))
    for i, c in enumerate(claims, 1):
        c.id = f"c{i}"
    return claims


def _innermost_figures(claims: list[Claim]) -> None:
    """A figure inside nested claims ("the army said Hamas claimed nine died") is the inner
    speaker's number, so only the innermost claim lists it."""
    owner: dict[str, Claim] = {}
    for claim in claims:
        for fid in claim.figures:
            best = owner.get(fid)
            if best is None or _claim_length(claim) < _claim_length(best):
                owner[fid] = claim
    for claim in claims:
        claim.figures = [fid for fid in claim.figures if owner[fid] is claim]


def _claim_length(claim: Claim) -> int:
    parts = claim.content.spans or [[claim.content.start, claim.content.end]]
    return sum(e - s for s, e in parts)


def _described_as(actor: Actor, noun: str) -> bool:
    """The actor's id, name or an alias uses the noun ("ministry" for the Gaza Health
    Ministry; "army" for an actor known as "the Israeli army")."""
    words = [actor.id.replace("-", " "), actor.name, *actor.aliases]
    return any(re.search(rf"\b{re.escape(noun)}", w.lower()) for w in words)
