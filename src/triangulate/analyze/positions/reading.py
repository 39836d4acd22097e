"""From one stance word to candidate positions: which reading of it fits (stances.tsv
frames), whose stance it is, what it is about, and how it is qualified (negated,
hypothetical, conditional)."""

from __future__ import annotations

from dataclasses import dataclass, field

from triangulate.analyze.positions.issues import IssueIndex
from triangulate.analyze.positions.lexicon import Cue, Lemmas, Lexicon
from triangulate.analyze.positions.parties import Parties
from triangulate.analyze.positions.syntax import (
    child,
    governor,
    noun_core,
    pobj,
    prep_of,
    subtree_without_clauses,
    time_free,
    verb_subjects,
)

# Children of a stance verb that are not what the stance is about: its subject, adjuncts,
# other clauses.
_OUTSIDE = frozenset({
    "nsubj", "nsubjpass", "csubj", "agent", "advmod", "npadvmod", "advcl", "conj", "cc",
    "punct", "relcl", "parataxis", "appos", "aux", "auxpass", "neg", "mark", "det", "poss",
    "prt", "expl", "intj", "dep",
})
# Prepositions of a stance verb that carry time, place or manner, not its object.
_ADJUNCT_PREPS = frozenset({"in", "at", "on", "during", "after", "before", "since", "until",
                            "despite", "amid", "through", "via", "under", "within", "by"})
_COUNTERPART_PREPS = frozenset({"with", "between"})
_AGENT_PREPS = frozenset({"by", "from"})
_PARTICLES = frozenset({"out", "down", "forward", "away", "back"})


@dataclass(eq=False)
class Cand:
    """One stance read from the text, before it becomes a Position."""

    cue: object  # spaCy Token
    stance: str
    head: object  # the clause word whose negation, modality and date apply
    sent: object  # spaCy Span
    cue_end: int  # character end of the cue words ("call for", "rule out")
    parties: list[str] = field(default_factory=list)  # actor ids as the text names them
    counterpart: str | None = None
    scope: set[int] = field(default_factory=set)  # tokens the issue is looked for in
    issues: list[str] = field(default_factory=list)
    explicit: bool = False  # the issue is named in the stance's own phrase
    needs_issue: bool = False  # the reading only holds with an explicit issue ("peace plan")
    negated: bool = False
    hypothetical: bool = False
    conditional: bool = False
    conditions: list[tuple[str, int, int]] = field(default_factory=list)  # (issue, start, end)
    list_items: list[tuple[int, int]] = field(default_factory=list)  # token ranges
    list_head: bool = False  # the cue names a list of demands ("conditions", "demands")
    object_list: bool = False  # the items are its coordinated objects: no stance beside them
    clause_items: bool = False  # the item is a condition clause ("if Israel withdraws")
    dropped: bool = False
    dispute: bool = False  # "the deal is not the one ...": its negation is the stance
    dismissal: bool = False  # "called the proposal delusional"


class Reader:
    """Reads the stance words of one article; holds the per-article lookups."""

    def __init__(self, doc, lex: Lexicon, issues: IssueIndex, parties: Parties, lemmas: Lemmas):
        self.doc = doc
        self.lex = lex
        self.issues = issues
        self.parties = parties
        self.lemmas = lemmas

    # ------------------------------------------------------------------ entry

    def read(self, tok) -> Cand | None:
        lemma = self.lemmas[tok.i]
        if tok.is_title and not tok.is_sent_start and self.parties.in_name(tok):
            return None  # "the NEXT Alliance Initiative", "U.S. Mediation Efforts": a name
        if tok.pos_ == "AUX" or tok.dep_ == "aux":
            cues = self.lex.modals.get(lemma)
            return self._deontic(tok, cues[0]) if cues else None
        if tok.pos_ == "VERB":
            cues = self.lex.verbs.get(lemma)
            return self._verb(tok, cues) if cues else None
        if tok.pos_ in ("NOUN", "PROPN"):
            cues = self.lex.nouns.get(lemma)
            return self._noun(tok, cues) if cues else None
        if tok.pos_ == "ADJ":
            cues = self.lex.adjectives.get(lemma)
            return self._adjective(tok, cues) if cues else None
        return None

    # ------------------------------------------------------------------ verbs

    def _verb(self, tok, cues: tuple[Cue, ...]) -> Cand | None:
        prt = next((c for c in tok.children if c.dep_ == "prt" and c.lower_ in _PARTICLES), None)
        for cue in cues:
            particle, _, after = cue.frame.partition("-")
            if (particle in _PARTICLES) != (prt is not None):
                continue
            if prt is not None and particle != prt.lower_:
                continue
            if after and not self._deal_after(tok, after):
                continue
            cand = self._verb_frame(tok, cue, prt)
            if cand is not None:
                return cand
        return None

    def _verb_frame(self, tok, cue: Cue, prt) -> Cand | None:
        frame = cue.frame.partition("-")[0]
        end = (prt.idx + len(prt.text)) if prt is not None else tok.idx + len(tok.text)
        prep = None
        if frame in ("for", "to", "on"):
            prep = prep_of(tok, frame)
            clause = next((c for c in tok.children if c.dep_ in ("ccomp", "xcomp")), None)
            if prep is None and not (frame == "on" and clause is not None and _mandative(clause)):
                return None
            if prep is not None:
                end = max(end, prep.idx + len(prep.text))
        if frame == "recipient":
            return self._recipient(tok, cue)
        if frame == "dismiss" and not self._dismissive(tok):
            return None
        if frame in ("talks", "deal"):
            obj = child(tok, "dobj")
            nouns = self.lex.talk_nouns if frame == "talks" else (self.lex.talk_nouns
                                                                   | self.lex.deal_nouns)
            if obj is None or self.lemmas[obj.i] not in nouns:
                return None
        cand = Cand(tok, cue.stance, tok, tok.sent, end, needs_issue=frame == "issue",
                    dismissal=frame == "dismiss")
        cand.scope = self._verb_scope(tok)
        subjects = verb_subjects(tok)
        for s in subjects:
            cand.parties += [a for a in self._agents(s) if a not in cand.parties]
        cand.counterpart = self._verb_counterpart(tok, cand.parties)
        if frame == "talks":
            cand.stance = "mediate"
        return cand

    def _deal_after(self, tok, word: str) -> bool:
        """"pulled out of the talks", "walked away from the deal": the preposition's object
        is a deal or talks."""
        obj = pobj(prep_of(tok, word))
        return obj is not None and (self.lemmas[obj.i] in self.lex.deal_nouns
                                    or self.lemmas[obj.i] in self.lex.talk_nouns)

    def _recipient(self, tok, cue: Cue) -> Cand | None:
        """"Israel turned to Russia for help": Russia is asked to mediate."""
        to, for_ = prep_of(tok, "to"), prep_of(tok, "for")
        target = pobj(to) if to is not None else None
        if target is None or for_ is None:
            return None
        parties = self.parties.of_np(target)
        if not parties:
            return None
        cand = Cand(tok, cue.stance, tok, tok.sent, tok.idx + len(tok.text))
        cand.parties = parties
        subject_tokens = verb_subjects(tok)
        cand.scope = {t.i for t in tok.subtree} - {t.i for t in target.subtree} - {
            t.i for s in subject_tokens for t in s.subtree}
        subjects = [a for s in subject_tokens for a in self._agents(s)]
        cand.counterpart = subjects[0] if subjects else None
        return cand

    def _dismissive(self, tok) -> bool:
        words = self.lex.dismissive
        return any(
            any(self.lemmas[t.i] in words or t.lower_ in words for t in c.subtree)
            for c in tok.children
            if c.dep_ in ("oprd", "xcomp", "acomp", "ccomp", "advcl")
            or (c.dep_ == "prep" and c.lower_ == "as"))

    def _verb_scope(self, tok) -> set[int]:
        """Tokens that say what a stance verb is about: its objects and complements (minus
        relative clauses, which describe, and adjunct phrases of time and place). A passive
        or participle verb ("the proposal drafted by Egypt", "the deal Hamas accepted") is
        about the noun it modifies."""
        out: set[int] = set()
        for c in tok.children:
            if c.dep_ in _OUTSIDE:
                if c.dep_ == "nsubjpass":
                    out |= subtree_without_clauses(c)
                continue
            if c.dep_ == "prep" and c.lower_ in _ADJUNCT_PREPS and not time_free(c):
                continue
            out |= subtree_without_clauses(c)
        if tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("NOUN", "PROPN"):
            out |= noun_core(tok.head)
        return out

    def _verb_counterpart(self, tok, parties: list[str]) -> str | None:
        for c in tok.children:
            found: list[str] = []
            if c.dep_ == "prep" and c.lower_ in _COUNTERPART_PREPS:
                obj = pobj(c)
                found = self.parties.of_np(obj) if obj is not None else []
            elif c.dep_ in ("dobj", "dative"):
                owner = child(c, "poss")
                found = self.parties.of_np(owner) if owner is not None else self.parties.of_np(c)
            for a in found:
                if a not in parties:
                    return a
        return None

    # ------------------------------------------------------------------ nouns

    def _noun(self, tok, cues: tuple[Cue, ...]) -> Cand | None:
        lemma = self.lemmas[tok.i]
        if lemma in self.lex.talk_nouns and tok.tag_ not in ("NNS", "NNPS") and lemma != "negotiation":
            return None  # "tough talk", "a negotiation": the plural names talks
        if self._other_compound(tok):
            return None
        for cue in cues:
            end = tok.idx + len(tok.text)
            if cue.frame in ("for", "to"):
                prep = prep_of(tok, cue.frame)
                if prep is None:
                    continue
                end = prep.idx + len(prep.text)
            elif cue.frame not in ("-", "issue"):
                continue
            head = governor(tok)
            if head is not tok and self._is_cue(head):
                head = tok  # "did not accept the Israeli proposal": Israel still proposed
            cand = Cand(tok, cue.stance, head, tok.sent, end, needs_issue=cue.frame == "issue")
            cand.list_head = lemma in self.lex.list_heads
            own, counterpart = self._noun_parties(tok)
            cand.parties = own
            cand.counterpart = next((a for a in counterpart if a not in own), None)
            cand.scope = self._noun_scope(tok)
            return cand
        return None

    def _other_compound(self, tok) -> bool:
        """"energy demands", "market conditions", "loan talks": a noun modifier that names
        neither a party nor an issue nor a deal makes another sense of the word."""
        for c in tok.children:
            if c.dep_ != "compound" or c.pos_ not in ("NOUN", "PROPN") or c.i > tok.i:
                continue
            lemma = self.lemmas[c.i]
            if lemma in self.lex.deal_nouns or lemma in self.lex.talk_nouns:
                continue
            if self.issues.in_tokens({t.i for t in c.subtree}) or self.parties.of_np(c):
                continue
            if any(self.issues.within(t.i, t.i + 1) for t in c.subtree):
                continue
            if any(h.start <= c.i < h.end for h in self.issues.within(max(0, c.i - 3), c.i + 1)):
                continue
            return True
        return False

    def _noun_parties(self, tok) -> tuple[list[str], list[str]]:
        """Who a stance noun belongs to: its owner ("Hamas's acceptance", "its demands"), the
        party its modifiers name ("the Egyptian proposal", "Qatari mediators"), a "by" or
        "from" phrase, else whoever does something with it ("Hamas set conditions", "X and Y
        resumed talks", "Qatar is the main mediator", "positioned itself as a mediator").
        The second list: who it is with ("talks with Israel")."""
        owners: list[str] = []
        counterpart: list[str] = []
        for c in tok.children:
            if c.dep_ == "poss":
                owners += self.parties.of_np(c)
            elif c.dep_ == "prep" and c.lower_ in _AGENT_PREPS | {"between"}:
                obj = pobj(c)
                if obj is not None:
                    owners += self.parties.of_np(obj)
            elif c.dep_ == "prep" and c.lower_ == "with":
                obj = pobj(c)
                if obj is not None:
                    counterpart += self.parties.of_np(obj)
            elif c.dep_ == "acl" and any(g.dep_ == "agent" for g in c.children):
                agent = pobj(next(g for g in c.children if g.dep_ == "agent"))
                if agent is not None:
                    owners += self.parties.of_np(agent)
        if not owners and tok.i >= 2 and self.doc[tok.i - 1].tag_ == "POS":
            # "Israel's reluctance to agree": the owner as written, when a heading run into
            # the sentence has thrown the parse.
            owners = self.parties.of_np(self.doc[tok.i - 2])
        if not owners:
            owners = self.parties.of_np(tok, venues=self.lemmas[tok.i] in self.lex.talk_nouns)
        if not owners:
            owners = self._noun_user(tok)
        return list(dict.fromkeys(owners)), counterpart

    def _noun_user(self, tok) -> list[str]:
        head = tok.head
        if tok.dep_ == "appos" and head.pos_ in ("NOUN", "PROPN"):
            return self.parties.of_np(head)
        if tok.dep_ == "pobj" and head.lower_ == "as":
            verb = head.head
            if verb.pos_ in ("VERB", "AUX"):
                obj = child(verb, "dobj")
                if obj is not None:
                    return self._agents(obj)
                if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
                    return self.parties.of_np(verb.head)
                return [a for s in verb_subjects(verb) for a in self._agents(s)]
            return []
        if tok.dep_ in ("dobj", "attr", "nsubjpass", "xcomp", "oprd") and head.pos_ in ("VERB", "AUX"):
            if self._is_cue(head):
                return []  # "Israel rejected the proposal": the proposal is not Israel's
            if tok.dep_ != "attr" and self.lemmas[tok.i] in self.lex.agent_nouns:
                return []  # "Hamas told the mediators": they are told, not the tellers
            return [a for s in verb_subjects(head) for a in self._agents(s)]
        if tok.dep_ == "dobj" and head.pos_ == "VERB":
            return []
        return []

    def _noun_scope(self, tok) -> set[int]:
        out: set[int] = set()
        for c in tok.children:
            if c.dep_ in ("poss", "relcl", "appos", "det", "punct", "cc", "conj"):
                continue
            if c.dep_ == "prep" and c.lower_ in _AGENT_PREPS | _COUNTERPART_PREPS:
                continue
            if c.dep_ == "prep" and c.lower_ in _ADJUNCT_PREPS and not time_free(c):
                continue  # "talks in Cairo", "the proposal at the summit"
            if c.dep_ == "acl" and any(g.dep_ == "agent" for g in c.children):
                continue
            out |= subtree_without_clauses(c)
        return out

    # ------------------------------------------------------------------ others

    def _adjective(self, tok, cues: tuple[Cue, ...]) -> Cand | None:
        """"X is opposed to the deal", "warm to the proposal"."""
        if tok.dep_ != "acomp":
            return None
        for cue in cues:
            prep = prep_of(tok, cue.frame) if cue.frame in ("for", "to") else None
            if cue.frame in ("for", "to") and prep is None:
                continue
            verb = tok.head
            cand = Cand(tok, cue.stance, verb, tok.sent,
                        (prep.idx + len(prep.text)) if prep is not None else tok.idx + len(tok.text))
            cand.parties = [a for s in verb_subjects(verb) for a in self._agents(s)]
            cand.scope = set().union(*(subtree_without_clauses(c) for c in tok.children
                                       if c.dep_ == "prep"))
            return cand
        return None

    def _deontic(self, tok, cue: Cue) -> Cand | None:
        """"For Israel, the corridor must remain under its control", "Israel must withdraw,
        Hamas said": what must happen is a demand of whoever says so, or of the party a
        fronted "for" phrase names. The outlet's own "must" is no party's demand."""
        verb = tok.head
        if verb.pos_ not in ("VERB", "AUX"):
            return None
        parties: list[str] = []
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ == "for" and c.i < tok.i and c.i == c.sent.start:
                obj = pobj(c)
                parties = self.parties.of_np(obj) if obj is not None else []
        if not parties:
            speaker = self.parties.speaker_at(tok.idx)
            parties = [speaker] if speaker else []
        if not parties:
            return None
        cand = Cand(tok, cue.stance, verb, tok.sent, tok.idx + len(tok.text), needs_issue=True)
        cand.parties = parties
        scope: set[int] = set()
        for c in verb.children:
            if c.dep_ in ("prep",) and c.lower_ == "for" and c.i < tok.i:
                continue
            if c.dep_ in ("aux", "neg", "punct", "mark", "advmod", "cc", "conj"):
                continue
            scope |= subtree_without_clauses(c)
        cand.scope = scope
        subj = [a for s in verb_subjects(verb) for a in self._agents(s)]
        cand.counterpart = next((a for a in subj if a not in parties), None)
        return cand

    def dispute(self, tok) -> Cand | None:
        """"Israel says the deal Hamas accepted is not the one it was shown", "the deal
        wasn't what they had been led to believe": to deny that a deal is what it was said
        to be is to reject it. The party is who says so."""
        if self.lemmas[tok.i] != "be" or not any(
                c.dep_ == "neg" or c.lower_ in self.lex.negators for c in tok.children):
            return None
        subj = child(tok, "nsubj")
        if subj is None or self.lemmas[subj.i] not in self.lex.deal_nouns:
            return None
        if not any(c.dep_ in ("attr", "acomp", "ccomp", "dobj") for c in tok.children):
            return None
        parties: list[str] = []
        speaker = self.parties.speaker_at(tok.idx)
        if speaker:
            parties = [speaker]
        elif tok.dep_ == "ccomp":
            parties = [a for s in verb_subjects(tok.head) for a in self._agents(s)]
        if not parties:
            return None
        cand = Cand(tok, "reject", tok, tok.sent, tok.idx + len(tok.text), dispute=True)
        cand.parties = parties
        cand.scope = noun_core(subj) | {
            t.i for c in subj.children if c.dep_ in ("compound", "amod", "prep") for t in c.subtree}
        return cand

    # ------------------------------------------------------------------ shared

    def _is_cue(self, tok) -> bool:
        lemma = self.lemmas[tok.i]
        return lemma in self.lex.verbs or lemma in self.lex.nouns

    def _agents(self, tok) -> list[str]:
        """Actors a subject names; "Netanyahu's military secretary" acts for Netanyahu."""
        found = self.parties.of_np(tok)
        if found:
            return found
        if self.lemmas[tok.i] in self.lex.agent_nouns:
            owner = child(tok, "poss")
            if owner is not None:
                return self.parties.of_np(owner)
        return []

    def qualify(self, cand: Cand) -> None:
        """Negation, modality and conditions around the stance word."""
        lex = self.lex
        head = cand.head
        # The parse makes a curly "n’t" punctuation: negators count whatever their label.
        words = [head] + [c for c in head.children if c.dep_ in ("aux", "neg", "advmod", "det")
                          or c.lower_ in lex.negators]
        if head.dep_ == "conj" and head.head.pos_ in ("VERB", "AUX"):
            # "would not only shift ... but also offer": the first verb's auxiliaries.
            words += [c for c in head.head.children if c.dep_ in ("aux", "neg")]
        if cand.cue is not head:
            words += [c for c in cand.cue.children if c.dep_ in ("neg", "det", "aux")]
        # "did not accept", "no longer demands", "failed to approve", "no deal was accepted"
        negated = any(w.lower_ in lex.negators or self.lemmas[w.i] in lex.negators
                      for w in words if w is not head)
        gov = head
        for _ in range(3):
            if gov.dep_ not in ("xcomp", "ccomp") or gov.head.i == gov.i:
                break
            gov = gov.head
            if self.lemmas[gov.i] in lex.negators:
                negated = True
            if self.lemmas[gov.i] in lex.hypothetical:
                cand.hypothetical = True
            if self.lemmas[gov.i] in lex.speech:
                break
        cand.negated = negated and not cand.dispute
        reported = self.parties.claim_at(cand.cue.idx) is not None
        for w in words:
            lemma = self.lemmas[w.i]
            if w.dep_ == "aux" and lemma in lex.hypothetical:
                # "said it would accept" is a reported "will accept", not a possibility.
                if not (reported and lemma == "would"):
                    cand.hypothetical = True
            elif w is head and lemma in lex.hypothetical and head is not cand.cue:
                cand.hypothetical = True
        if any(t.dep_ == "csubj" for t in _ancestors(cand.cue)):
            # "agreeing to a truce would signal weakness": a stance as a topic, no one's.
            cand.dropped = True
        for t in _ancestors(head, 6):
            # "would quit if the cabinet approved the deal", "until Hamas had accepted":
            # a stance inside a condition or a time yet to come.
            mark = next((c for c in t.children if c.dep_ == "mark"), None)
            if (mark is not None and t.dep_ == "advcl" and mark.lower_ in lex.hypothetical):
                cand.hypothetical = True
            if self.lemmas[t.i] in lex.speech:
                break


def _ancestors(tok, limit: int = 12) -> list:
    out = [tok]
    while tok.head.i != tok.i and len(out) < limit:
        tok = tok.head
        out.append(tok)
    return out


def _mandative(clause) -> bool:
    """"insisted that Israel withdraw", "insists the corridor must stay": a that-clause that
    demands (a bare subjunctive verb or a must/should), not one that asserts ("insists it is
    committed to peace")."""
    auxes = [c for c in clause.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in ("must", "should", "shall") for a in auxes):
        return True
    if clause.dep_ == "xcomp":
        return True
    finite = [t for t in [clause, *auxes] if t.tag_ in ("VBD", "VBZ", "VBP", "MD")]
    return not finite and (clause.tag_ == "VB" or any(a.tag_ == "VB" for a in auxes))
