"""The grammar questions resolution asks of the spaCy parse: which token a character offset
falls in, and which way (past or future) the verb a date modifies points."""

from __future__ import annotations

import bisect

from triangulate.analyze.times.lexicon import (
    lookups,
)


class Tokens:
    """Character offsets to spaCy tokens, and the grammar questions the rules ask."""

    def __init__(self, doc):
        self.doc = doc
        self.starts = doc.to_array("IDX").tolist() if len(doc) else []

    def index_at(self, char: int) -> int:
        return max(bisect.bisect_right(self.starts, char) - 1, 0)

    def at(self, char: int):
        return self.doc[self.index_at(char)] if len(self.doc) else None

    def before(self, char: int):
        """The token ending at or before ``char``."""
        i = bisect.bisect_left(self.starts, char) - 1
        return self.doc[i] if i >= 0 else None

    def after(self, char: int):
        """The first token starting at or after ``char``."""
        i = bisect.bisect_left(self.starts, char)
        return self.doc[i] if i < len(self.doc) else None

    def span_tokens(self, start: int, end: int):
        i = self.index_at(start)
        j = bisect.bisect_left(self.starts, end)
        return self.doc[i:max(j, i + 1)]

    def tense(self, start: int, end: int, weak: bool = True) -> int:
        """-1 past, +1 future, 0 unknown: the tense of the verb the span modifies.

        Only a span that modifies the verb itself counts ("launched an attack on April 6",
        "will meet on Monday"); one inside a noun phrase ("a cutback in September", "the
        elections in November") or after a deadline preposition ("extended until Nov. 20")
        says nothing about the direction. Perfects count as past, modals, "will", "going to"
        and infinitives as future. A plain present ("meets on Monday") points forward only
        weakly: callers resolving months pass ``weak=False`` to ignore it.
        """
        if not len(self.doc):
            return 0
        tok = self.span_tokens(start, end).root
        while tok.dep_ == "conj" and tok.head is not tok:
            tok = tok.head  # "Monday and Tuesday": the second follows the first
        head = tok.head
        if head is tok or tok.dep_ in ("compound", "nmod", "amod", "poss", "appos"):
            return 0
        deadline = False
        if tok.dep_ == "pobj" and head.dep_ in ("prep", "agent"):
            deadline = head.lower_ in _DEADLINE_PREPS
            head = head.head
        if head.pos_ == "ADV" and head.head is not head:
            head = head.head  # "Back in February, he said"
        if head.pos_ not in ("VERB", "AUX"):
            return _clause_future(head)
        direction, strong = verb_tense(head)
        if _prospective_predicate(head):
            # "was due in the region on Monday", "is planned for Thursday evening": an
            # arrangement looks ahead whatever the tense of its copula.
            return 1 if weak else 0
        if deadline:
            # "extended until Nov. 20" looks ahead from a past verb; a past perfect ("had not
            # called until Thursday"), any other past ("it took until Sunday", "has risen to
            # 50 by Friday") or a future says which way.
            auxes = {c.lower_ for c in head.children if c.dep_ in ("aux", "auxpass")}
            if "had" in auxes:
                return -1
            if auxes & {"will", "'ll", "shall"}:
                return 1
            return -1 if settled_past(head) else 0
        return direction if (strong or weak) else 0

    def clause_verb(self, start: int, end: int):
        """The first verb above the span (None when the span hangs on no verb)."""
        if not len(self.doc):
            return None
        tok = self.span_tokens(start, end).root
        for _ in range(8):
            if tok.head is tok:
                return tok if tok.pos_ in ("VERB", "AUX") else None
            tok = tok.head
            if tok.pos_ in ("VERB", "AUX"):
                return tok
        return None


def _prospective_predicate(verb) -> bool:
    """A copula with "due", "set" or "scheduled", or a passive prospective participle: "was
    due on Monday", "is expected on Friday", "were scheduled for Thursday"."""
    prospective = lookups()["prospective_verbs"]
    if verb.tag_ == "VBN" and verb.lemma_ in prospective \
            and any(c.dep_ == "auxpass" for c in verb.children):
        return True
    return verb.lemma_ == "be" and any(
        c.dep_ in ("acomp", "xcomp") and c.lower_ in prospective | _PROSPECTIVE_FORMS
        for c in verb.children)


# Participle forms of prospective verbs that the parse leaves as adjectives after a copula.
_PROSPECTIVE_FORMS = frozenset({"scheduled", "expected", "planned", "slated", "set"})


def settled_past(verb) -> bool:
    """A verb in a past tense (simple past or perfect, no modal or infinitive) that does not
    set up an arrangement: a date it runs "until" or "by" is gone ("it took until Sunday",
    "the toll has risen to 50 by late Friday"), unlike "extended until Friday" or "expect it
    to be finished by March 3"."""
    if verb.lemma_ in lookups()["arrangement_verbs"]:
        return False
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(c.tag_ == "MD" or c.lower_ == "to" for c in auxes):
        return False
    return verb.tag_ == "VBD" or any(c.tag_ == "VBD" or c.lemma_ == "have" for c in auxes)


# Objects of these name a deadline or an arrangement ("extended until Nov. 20", "set for
# Sept. 11"), whose direction the verb's tense does not give.
_DEADLINE_PREPS = frozenset({"until", "till", "til", "through", "to", "by", "before", "after",
                             "ahead", "pending", "into", "for"})
_SPEECH_VERBS = frozenset({"say", "tell", "claim", "report", "announce", "insist", "deny",
                           "add", "note", "accuse", "warn", "write", "state", "confirm",
                           "admit", "argue", "believe", "think", "estimate", "suggest"})


def _clause_future(tok) -> int:
    """+1 when the clause around a noun-attached date is explicitly future ("will triple its
    ferry runs between Malta and Tunis by June"), else 0: a past verb further up says
    little about a date buried in a noun phrase, but future marking is deliberate."""
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX"):
            direction, strong = verb_tense(tok)
            auxes = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
            return 1 if direction > 0 and strong and auxes & {"will", "'ll", "shall"} else 0
        if tok.head is tok:
            return 0
        tok = tok.head
    return 0


def verb_tense(verb) -> tuple[int, bool]:
    """(direction, strong) for one verb, from its own tag and its auxiliaries."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {c.lower_ for c in auxes}
    if words & {"will", "'ll", "shall", "wo", "\u2019ll"} or "going" in words:
        return 1, True
    if any(c.tag_ == "MD" for c in auxes):
        if words & {"have", "'ve"}:
            return -1, True
        if words & {"could", "can", "ca"}:
            return 0, False  # "could not be reached Tuesday": ability, mostly reported
        return 1, True
    if any(c.tag_ == "VBD" for c in auxes) or verb.tag_ == "VBD":
        return -1, True
    if verb.tag_ == "VBN":
        present_passive = any(c.dep_ == "auxpass" and c.tag_ in ("VBZ", "VBP") for c in auxes)
        # "is expected in December", "are scheduled for Monday": arrangements ahead
        if present_passive and not words & {"has", "have"}:
            return 1, True
        # A bare participle ("a summit set for April", "three killed on Monday") leans back;
        # one modifying a noun is a reduced passive relative, past unless it arranges
        # something ("the hostages seized on October 7", not "a summit set for April").
        reduced = verb.dep_ == "acl" and verb.lemma_ not in lookups()["prospective_verbs"]
        return -1, bool(auxes) or reduced
    if verb.tag_ == "VB" and "to" in words:
        governor = verb.head
        if governor is not verb and governor.pos_ in ("VERB", "AUX"):
            governing = {c.lower_ for c in governor.children if c.dep_ in ("aux", "auxpass")}
            if "had" in governing:
                return -1, True  # "had been due to end Tuesday"
            if governor.lemma_ in lookups()["prospective_verbs"]:
                return 1, False  # "planned to leave on Thursday"
            if governor.tag_ == "VBD" or governing & {"was", "were"}:
                return -1, False  # "was made to resign in May"
        return 1, True
    if verb.tag_ == "VBG" and any(c.tag_ in ("VBZ", "VBP") for c in auxes):
        return 1, True
    if verb.tag_ in ("VBZ", "VBP"):
        return (0, False) if verb.lemma_ in _SPEECH_VERBS else (1, False)
    return 0, False


def marked_future(verb, depth: int = 0) -> bool:
    """The verb is explicitly future: "will", "shall", "going to", a present prospective
    ("is expected", "plans to") or the infinitive of one ("will try to block")."""
    auxes = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if auxes & {"will", "'ll", "\u2019ll", "shall", "wo"} or "going" in auxes:
        return True
    prospective = lookups()["prospective_verbs"]
    past = verb.tag_ == "VBD" or auxes & {"was", "were", "had"}
    if verb.lemma_ in prospective and not past and verb.tag_ != "VB":
        return True
    governor = verb.head
    if verb.tag_ == "VB" and "to" in auxes and governor is not verb and depth < 3 \
            and governor.pos_ in ("VERB", "AUX"):
        return marked_future(governor, depth + 1)
    return False
