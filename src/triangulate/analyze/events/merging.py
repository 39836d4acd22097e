"""One event per happening: an outcome verb and its attack in one sentence ("shellfire killed
two medics") are merged, and so are later definite mentions ("the attack") and repeats.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from triangulate.analyze.events.candidate import Candidate
from triangulate.analyze.events.dates import finer
from triangulate.analyze.events.lexicon import cue_words
from triangulate.analyze.events.parse import definite

if TYPE_CHECKING:
    from triangulate.analyze.events.article import ArticleContext


def _merge_into(keep: Candidate, other: Candidate) -> None:
    if other.target is not None and other.target_rank > keep.target_rank \
            and other.target != keep.actor:
        # "an Israeli strike on a house ... killed three medics": the medics, named, over the
        # people of the place
        keep.target, keep.target_rank = other.target, other.target_rank
    if keep.date is not None and other.date is not None and finer(keep.date, other.date):
        # "last week's strike" and "the March 16 strike": the day the story gives it
        keep.date, keep.precision = other.date, other.precision
        keep.date_span, keep.date_source = other.date_span, "narrative"
    if keep.target is None and other.target is not None:
        keep.target_rank = other.target_rank
    for name in ("actor", "target", "place", "date", "precision", "mode", "date_span",
                 "date_source"):
        if getattr(keep, name) is None and getattr(other, name) is not None:
            setattr(keep, name, getattr(other, name))
    if keep.actor_tok is None:
        keep.actor_tok = other.actor_tok
    if keep.target_tok is None:
        keep.target_tok = other.target_tok
    keep.figures.extend(f for f in other.figures if f not in keep.figures)
    keep.claims.extend(c for c in other.claims if c not in keep.claims)
    keep.mentions.extend([other.trigger.idx, *other.mentions])
    keep.readings.extend(other.readings)
    keep.weapon = keep.weapon or other.weapon
    other.dropped = True


def _compatible(a: Candidate, b: Candidate) -> bool:
    if a.type != b.type or a.negated != b.negated or a.hypothetical != b.hypothetical:
        return False
    if a.actor is not None and b.actor is not None and a.actor != b.actor:
        return False
    # "Palestinians killed in the raid on the camp": the victims and the place attacked are
    # both targets of one event.
    return (a.target is None or b.target is None or a.target == b.target
            or _outcome(a) or _outcome(b))


def _outcome(c: Candidate) -> bool:
    return c.trigger.lemma_ in cue_words("outcome_lemmas")


def merge_sentence(cands: list[Candidate]) -> None:
    """"twelve guards died in the raid", "shellfire killed two medics": the
    outcome verb and the attack are one event."""
    live = [c for c in cands if not c.dropped]
    for i, a in enumerate(live):
        for b in live[i + 1:]:
            if a.dropped or b.dropped or not _compatible(a, b):
                continue
            if _near(a, b) or _near(b, a):
                keep, other = (a, b) if _rank(a) >= _rank(b) else (b, a)
                _merge_into(keep, other)


def _near(a: Candidate, b: Candidate) -> bool:
    t = b.trigger
    # "were killed when their village came under shelling": coming under the attack is one
    # step further from the outcome than the attack itself; "were killed and 760 wounded
    # when ...": conjoined outcomes are one step
    reach = 4 if t.dep_ == "pobj" and t.head.lower_ == "under" else 3
    while reach > 0:
        if t.i in (a.trigger.i, a.head.i):
            return True
        if t.head.i == t.i:
            return False
        if t.dep_ != "conj":
            reach -= 1
        t = t.head
    return False


def _rank(c: Candidate) -> tuple[int, int, int]:
    return (int(c.strength == "strong"), int(not _outcome(c)), -c.trigger.i)


def anaphoric(cand: Candidate) -> bool:
    """"the attack", "the March 16 strike": a definite event noun of its own clause."""
    return (cand.trigger.pos_ == "NOUN" and cand.head.i == cand.trigger.i
            and definite(cand.trigger))


def _same_act(anaphor: Candidate, k: Candidate) -> bool:
    return anaphor.trigger.lemma_ == k.trigger.lemma_ or (
        k.mode is not None and k.mode == anaphor.mode)


def _refers_to(anaphor: Candidate, k: Candidate) -> bool:
    """Can "the <noun>" point back to ``k``? A general event noun ("the attack") to an event told
    shortly before; the same word or the same act ("the withdrawal" after "withdrew") to one
    told anywhere before."""
    distance = anaphor.sent.start - k.sent.end
    if _same_act(anaphor, k):
        return distance <= 400
    return anaphor.trigger.lemma_ in cue_words("generic_event_nouns") and distance <= (
        400 if anaphor.anaphor_only else 80)


def _same_day(a: str | None, b: str | None) -> bool:
    """Dates that can name one happening: either unknown, equal, or one inside the other."""
    return a is None or b is None or a == b or finer(a, b) or finer(b, a)


def dedupe(cands: list[Candidate], art: ArticleContext) -> list[Candidate]:
    """One event per happening: later definite mentions ("the attack") and repeats with the
    same type, actor, target and date join the first mention."""
    kept: list[Candidate] = []
    by_key: dict[tuple, Candidate] = {}
    for cand in cands:
        if anaphoric(cand) and (cand.date is None or cand.anaphor_only):
            # "The Israeli strike ..." after a dated strike by Israel is that strike too, and
            # so is "accused Russia of the strike" after a strike no one was named for; an
            # anaphor naming another doer is another event.
            near = [k for k in reversed(kept)
                    if k.type == cand.type and not k.negated and not k.hypothetical
                    and _refers_to(cand, k)
                    and (cand.actor is None or k.actor in (None, cand.actor))
                    and _same_day(k.date, cand.date)
                    # a mention kept only to point back brings its day to a dated event
                    # only ("the March 16 strike" after "last week's strike")
                    and not (cand.anaphor_only and cand.date and k.date is None)]
            # "the attack" points back to the last event told with its doer, not to a
            # background event mentioned since ("... since it was annexed"). A mention kept
            # only to point back ("The raid came two days after ...") points to the same act,
            # else to the story's own event: the first of its type, told in the lead.
            antecedent = next((k for k in near if k.actor is not None),
                              near[0] if near else None)
            if cand.anaphor_only and near:
                antecedent = next((k for k in near if _same_act(cand, k)), near[-1])
            if antecedent is not None and not cand.negated and not cand.hypothetical:
                _merge_into(antecedent, cand)
                continue
        if cand.anaphor_only:
            continue  # nothing told before for it to point back to
        key = (cand.type, cand.actor, cand.target, cand.date, cand.negated, cand.hypothetical)
        if cand.actor is None and cand.target is None and cand.date is None:
            key = key + (cand.trigger.lemma_, cand.place)
        if key in by_key:
            _merge_into(by_key[key], cand)
            continue
        by_key[key] = cand
        kept.append(cand)
    return kept
