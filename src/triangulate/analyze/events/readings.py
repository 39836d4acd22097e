"""According to whom: who says who did an event, and which account the event's actor takes.

Each mention of an event may carry an account of its doer (a ``Reading``):

* in the outlet's own voice ("Israeli strikes killed 20 people"): asserted by no one else;
* inside a claim (attribution stage): the claimant's account, a claim of responsibility when
  the claimant is the doer or its own side ("the group said its fighters had struck ..."), an
  accusation when it lays an act of force at another ("Kyiv said Russian forces shelled ..."),
  an assertion otherwise ("officials said NATO troops had arrived");
* in a charge ("accused Iran of attacking", "blamed the blast on Hamas", "held Israel
  responsible for the raid"): the accuser's accusation;
* in a denial ("Russia denied carrying out the strike", "Hamas denied responsibility for the
  attack"): the denier's denial, which supports no one as the doer.

The mentions of one event pool their readings; the event's actor is the best-supported doer
(the outlet's voice or the doer's own claim before accusations, more claimants before fewer,
the first told on a tie), and every reading stays on the event with its claimant, so an
accusation and its denial are both kept and neither is silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from triangulate.analyze.events.candidate import Candidate
from triangulate.analyze.events.lexicon import cue_words
from triangulate.analyze.events.parse import child_of, relative_clauses, subject_of, verb_lemma
from triangulate.model import RoleReading, Span

if TYPE_CHECKING:
    from triangulate.analyze.events.article import ArticleContext

_STATE_SIDE = frozenset({"state", "government", "military", "security", "police"})
# How much one account supports its doer (see the module docstring).
_SUPPORT = {"asserts": 3, "claims": 3, "accuses": 1, "denies": 0}


@dataclass(frozen=True)
class Reading:
    actor: str
    stance: str  # asserts, claims, accuses, denies
    claimant: str | None
    claim: str | None
    start: int  # the sentence it is told in
    end: int


def read_actor(cand: Candidate, art: ArticleContext) -> None:
    """The accounts this mention gives of the doer. A denial names no doer: a mention only
    denied ("Russia denied carrying out the strike") is left without an actor, and one both
    charged and denied ("denied responsibility for the attack, which Israel blamed on the
    group") keeps the accusation with the denial beside it."""
    start, end = _sentence(cand)
    denier = _denial(cand, art)
    if denier is not None:
        cand.readings.append(Reading(denier, "denies", denier, None, start, end))
    accuser = _charge(cand, art)
    if cand.actor is not None and accuser is not None and accuser != cand.actor:
        cand.readings.append(Reading(cand.actor, "accuses", accuser, None, start, end))
        return
    reported = _reported_claim(cand, art)
    if cand.actor is not None and reported is not None:
        # "Russia rejected Ukrainian claims that Russian aircraft bombed the theatre": Ukraine's
        # accusation, and Russia's denial of it
        claimant, rejecter = reported
        if claimant is not None and claimant != cand.actor:
            cand.readings.append(Reading(cand.actor, "accuses", claimant, None, start, end))
        if rejecter is not None:
            cand.readings.append(Reading(cand.actor, "denies", rejecter, None, start, end))
        if claimant is not None:
            return
    if denier is not None:
        cand.actor = None
        return
    if cand.actor is None:
        return
    claim = art.claim_at(cand.trigger.idx)
    if claim is not None and claim.speaker is not None and not (
            claim.cue_span is not None and claim.cue_span.start <= cand.trigger.idx
            < claim.cue_span.end):
        own = _same_side(cand.actor, claim.speaker, art)
        # A denial of an act of force ("denied that its aircraft hit the theatre"), not a
        # refusal told in a claim ("said it will not accept"), which is the act itself.
        denied = claim.stance == "denies" and cand.type in art.lex.cues["material_conflict"]
        hostile = cand.type in art.lex.cues["material_conflict"]
        stance = "denies" if denied else (
            "claims" if own else "accuses" if hostile and not art.generic(claim.speaker)
            else "asserts")
        cand.readings.append(Reading(cand.actor, stance, claim.speaker, claim.id, start, end))
        if stance == "denies":
            cand.actor = None
        return
    cand.readings.append(Reading(cand.actor, "asserts", None, None, start, end))


def choose_actor(cand: Candidate) -> None:
    """The best-supported doer among the pooled readings of one event."""
    support: dict[str, int] = {}
    claimants: dict[str, set] = {}
    order: dict[str, int] = {}
    for n, r in enumerate(cand.readings):
        order.setdefault(r.actor, n)
        if r.stance == "accuses" or (r.stance == "asserts" and r.claimant is not None):
            claimants.setdefault(r.actor, set()).add(r.claimant)  # one more party says so
        else:
            support[r.actor] = max(support.get(r.actor, 0), _SUPPORT[r.stance])
    for actor, who in claimants.items():
        support[actor] = support.get(actor, 0) + len(who)
    ranked = sorted((a for a in support if support[a] > 0),
                    key=lambda a: (-support[a], order[a]))
    if ranked:
        cand.actor = ranked[0]
    elif cand.readings:
        cand.actor = None


def role_readings(cand: Candidate, text: str) -> list[RoleReading]:
    """The event's readings for the output: none when the outlet alone names the doer."""
    if all(r.stance == "asserts" for r in cand.readings) and len(
            {r.actor for r in cand.readings}) <= 1:
        return []
    out: list[RoleReading] = []
    seen = set()
    for r in cand.readings:
        key = (r.actor, r.stance, r.claimant)
        if key in seen:
            continue
        seen.add(key)
        out.append(RoleReading(role="actor", actor=r.actor, stance=r.stance,
                               claimant=r.claimant, claim=r.claim,
                               evidence=Span(r.start, r.end, text[r.start:r.end]),
                               chosen=r.actor == cand.actor and r.stance != "denies"))
    return out


def _sentence(cand: Candidate) -> tuple[int, int]:
    sent = cand.sent
    text = sent.text
    start = sent.start_char + len(text) - len(text.lstrip())
    return start, start + len(text.strip())


def _same_side(actor: str, speaker: str, art: ArticleContext) -> bool:
    """The claimant is the doer, its member or its spokesman (a person whose party it is)."""
    if actor == speaker:
        return True
    a, s = art.by_id.get(actor), art.by_id.get(speaker)
    if a is None or s is None:
        return False
    # its member, spokesman or institution ("the Israeli military" speaking of Israel)
    return a.parent == speaker or s.parent == actor or (
        a.country is not None and a.country == s.country
        and a.kind in _STATE_SIDE and s.kind in _STATE_SIDE)


def _governing(cand: Candidate):
    """The verb an event is the complement of ("denied [carrying out the strike]", "accused
    Iran of [attacking]", "denied responsibility for [the attack]"), with the path's last
    preposition, or (None, None)."""
    t = cand.head
    prep = None
    for _ in range(4):
        if t.head.i == t.i:
            return None, None
        if t.dep_ == "prep":
            prep = t.lower_
        elif t.dep_ not in ("xcomp", "ccomp", "pcomp", "pobj", "dobj", "nsubjpass", "conj"):
            return None, None
        t = t.head
        if t.pos_ in ("VERB", "AUX") and t.i != cand.head.i:
            return t, prep
    return None, None


def _reported_claim(cand: Candidate, art: ArticleContext):
    """(claimant, rejecter) when the event is the content of a claim noun ("Ukrainian claims
    that ...", "accusations by Kyiv that ..."), the rejecter being whoever denies or rejects
    that claim ("Russia rejected Ukrainian claims ..."); None when it is not."""
    t = cand.head
    for _ in range(4):
        if t.head.i == t.i:
            return None
        if t.dep_ in ("acl", "ccomp", "relcl", "appos") and t.head.pos_ == "NOUN" \
                and t.head.lemma_.lower() in cue_words("claim_nouns"):
            noun = t.head
            break
        t = t.head
    else:
        return None
    claimant = None
    for c in noun.children:
        if c.dep_ in ("poss", "amod", "compound") and c.i < noun.i:
            claimant = claimant or art.actor_of(c)
        elif c.dep_ == "prep" and c.lower_ in ("by", "from"):
            inner = child_of(c, "pobj")
            claimant = claimant or (art.actor_of(inner) if inner is not None else None)
    rejecter = None
    verb = noun.head
    if noun.dep_ in ("dobj", "nsubjpass") and verb_lemma(verb) in cue_words("rejecting_verbs"):
        who = subject_of(verb)
        rejecter = art.actor_of(who) if who is not None else None
    return claimant, rejecter


def _denial(cand: Candidate, art: ArticleContext) -> str | None:
    verb, _prep = _governing(cand)
    if verb is None or verb_lemma(verb) not in cue_words("denial_verbs"):
        return None
    who = subject_of(verb)
    return art.actor_of(who) if who is not None else None


def _charge(cand: Candidate, art: ArticleContext) -> str | None:
    """The accuser of a charge frame: the subject of "accused/blamed/held responsible", or of
    a relative clause on the event ("the attack, which Israel blamed on the group")."""
    frames = art.lex.cues["charge_frames"]
    verb, prep = _governing(cand)
    frames_of = [(verb, prep)] + [(c, None) for c in relative_clauses(cand.trigger)]
    for verb, prep in frames_of:
        if verb is None or verb_lemma(verb) not in cue_words("accusing_verbs"):
            continue
        if prep is not None and verb_lemma(verb) not in frames.get(prep, ()):
            continue
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
            agent = child_of(verb, "agent")  # "was blamed by Kyiv for the strike"
            who = child_of(agent, "pobj") if agent is not None else None
        else:
            who = child_of(verb, "nsubj")
        if who is not None and who.tag_ not in ("WDT", "WP"):
            return art.actor_of(who)
    return None
