"""Events: PLOVER 2.0 events from dependency parses and the patterns in data/events/.

A trigger is a verb or noun from ``triggers.tsv`` ("shelled", "airstrike", "demanded"), or a
governing word plus an object from ``compose.tsv`` ("imposed a curfew", "launched an attack").
Roles come from the parse: the agent is the subject of an active trigger, the "by" phrase of a
passive one or the possessor/modifier of a nominal one ("Israel's attack", "an Israeli
airstrike"); the target is the object, the passive subject or a prepositional phrase ("against
Israeli soldiers"). Noun phrases become actors through the actors stage's mentions.

PLOVER codes what was *done*: a trigger inside the complement of a verbal event ("threatened to
shell", "agreed to withdraw", "demanded that Israel withdraw") is part of that event, not one of
its own; a stated future cooperative act is an AGREE and a stated future act of force a THREATEN;
"did not accept" is a REJECT. Other negated, conditional or modal events are kept and flagged.

Roles go further than the parse (``agents``, ``targets``): the party behind a weapon or a unit,
the victims, the attacked side, a place's people; never a weapon, vehicle or body part
(``instruments``). Who says who did it is kept (``readings``): accusations, claims of
responsibility and denials, each with its claimant, the actor being the best-supported.

One module per step, in the order :func:`find_events` runs them: ``triggers`` (candidates, with
``senses`` choosing a trigger's reading), ``roles`` (with ``agents``), ``modality``, ``modes``,
``readings``, ``folding``, ``location``, ``targets``, ``dates``, ``merging``, ``keeping`` and
``links`` (figures and claims). ``article`` holds the article-level lookups they share,
``parse`` the dependency helpers, ``lexicon`` the patterns of data/events/.
"""

from __future__ import annotations

import datetime as dt

from triangulate.analyze.events.article import ArticleContext
from triangulate.analyze.events.candidate import Candidate
from triangulate.analyze.events.dates import attach_date, date_by_narrative
from triangulate.analyze.events.folding import fold
from triangulate.analyze.events.keeping import worth_keeping
from triangulate.analyze.events.lexicon import Lexicon, Sense, lexicon
from triangulate.analyze.events.links import attach_figures, link_claims
from triangulate.analyze.events.location import attach_place
from triangulate.analyze.events.merging import anaphoric, dedupe, merge_sentence
from triangulate.analyze.events.modality import assign_modality, resolve_type
from triangulate.analyze.events.modes import refine_mode
from triangulate.analyze.events.readings import choose_actor, read_actor, role_readings
from triangulate.analyze.events.roles import assign_roles, inherit_from_folded
from triangulate.analyze.events.targets import complete_target
from triangulate.analyze.events.triggers import sentence_candidates, sentences_with_hits
from triangulate.model import Actor, Claim, Event, Figure, Mention, Place, Span, TimeExpression

__all__ = ["Lexicon", "Sense", "find_events", "lexicon"]


def find_events(
    doc,
    actors: list[Actor],
    places: list[Place],
    times: list[TimeExpression],
    figures: list[Figure],
    claims: list[Claim],
    published: dt.date | None = None,
) -> list[Event]:
    """PLOVER events with actor, target, place and date, linked to figures and claims.

    ``published`` gives the year of a dateline that names only a day ("MOSCOW, January 12").
    Sets ``claim.event`` on each claim whose content holds an event (the first one), and adds
    to ``actors`` the actors event roles name that no earlier stage did (a place's population,
    a group of victims, unidentified attackers), so every role points at an actor of the
    article.
    """
    art = ArticleContext(doc, actors, places, times, claims, published)
    cues = art.lex.cues
    found: list[Candidate] = []
    for sent, window_start, hits in sentences_with_hits(doc, art):
        cands = sentence_candidates(sent, art, hits)
        if not cands:
            continue
        for cand in cands:
            assign_roles(cand, art)
            assign_modality(cand, art)
            refine_mode(cand, art)
            read_actor(cand, art)
        fold(cands, cues)
        for cand in cands:
            if cand.dropped:
                continue
            resolve_type(cand, cues, art)
            inherit_from_folded(cand, art)
            attach_place(cand, art)
            complete_target(cand, art)
            attach_date(cand, art, window_start)
        merge_sentence(cands)
        for cand in cands:
            if not cand.dropped and not worth_keeping(cand, art):
                if anaphoric(cand) and not cand.negated and not cand.hypothetical \
                        and cand.trigger.tag_ != "NNS":  # "the attacks": a campaign
                    cand.anaphor_only = True  # "The raid came two days after ...": evidence
                else:
                    cand.dropped = True
        live = [c for c in cands if not c.dropped]
        attach_figures(live, [f for f in figures
                               if sent.start_char <= f.start < sent.end_char], art)
        found.extend(live)
    events = dedupe(found, art)
    for cand in events:
        choose_actor(cand)
    date_by_narrative(events, art)
    link_claims(events, claims)
    named = {who for cand in events for who in (cand.actor, cand.target)}
    actors.extend(a for a in art.made if a.id in named)
    return [_to_event(i, cand, art.text) for i, cand in enumerate(events, 1)]


def _to_event(n: int, cand: Candidate, article: str) -> Event:
    sent = cand.sent
    # Span.text is doc.text[start_char:end_char]; Doc.text itself joins every token, which
    # costs more than this whole stage, so offsets are worked out from the sentence alone.
    text = sent.text
    stripped = text.lstrip()
    start = sent.start_char + len(text) - len(stripped)
    evidence = stripped.rstrip()
    end = start + len(evidence)
    trig = cand.trigger
    t_start, t_end = trig.idx, trig.idx + len(trig.text)
    return Event(
        id=f"e{n}",
        type=cand.type,
        mode=cand.mode,
        actor=cand.actor,
        target=cand.target,
        place=cand.place,
        date=cand.date,
        date_precision=cand.precision,
        negated=cand.negated,
        hypothetical=cand.hypothetical,
        trigger=trig.text,
        evidence=Span(start=start, end=end, text=evidence),
        figures=list(cand.figures),
        claims=list(cand.claims),
        trigger_span=Mention(start=t_start, end=t_end, text=trig.text),
        role_readings=role_readings(cand, article),
        date_span=(Mention(cand.date_span[0], cand.date_span[1],
                           article[cand.date_span[0]:cand.date_span[1]])
                   if cand.date_span is not None and cand.date is not None else None),
        date_source=cand.date_source if cand.date is not None else None,
    )
