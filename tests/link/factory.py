"""Hand-made analysis records for linking tests: no spaCy, every field chosen by the test."""

from __future__ import annotations

import itertools

from triangulate.model import (
    Actor,
    Analysis,
    Claim,
    Event,
    Figure,
    Mention,
    Place,
    Span,
)

ACTORS = {
    "hamas": Actor("hamas", "Hamas", "armed_group", "PSE"),
    "israel-military": Actor("israel-military", "Israel Defense Forces", "military", "ISR",
                             parent="israel"),
    "israel": Actor("israel", "Israel", "state", "ISR"),
    "russia-military": Actor("russia-military", "Russian Armed Forces", "military", "RUS",
                             parent="russia"),
    "ukraine-military": Actor("ukraine-military", "Armed Forces of Ukraine", "military", "UKR",
                              parent="ukraine"),
    "ukraine-government": Actor("ukraine-government", "Ukrainian government", "government",
                                "UKR", parent="ukraine"),
    "russia-government": Actor("russia-government", "Russian government", "government", "RUS",
                               parent="russia"),
    "un": Actor("un", "United Nations", "igo", None),
}

PLACES = {
    "khan-younis": Place("alias:khan-younis", "Khan Younis", 31.346, 34.306, "PS", "city"),
    "zanna": Place("alias:zanna", "Zanna", 31.344, 34.327, "PS", "neighbourhood"),
    "rafah": Place("alias:rafah", "Rafah", 31.297, 34.245, "PS", "city"),
    "kharkiv": Place("alias:kharkiv", "Kharkiv", 49.993, 36.231, "UA", "city"),
    "izium": Place("alias:izium", "Izium", 49.212, 37.257, "UA", "city"),
    "kyiv": Place("alias:kyiv", "Kyiv", 50.450, 30.523, "UA", "city"),
    "lviv": Place("alias:lviv", "Lviv", 49.839, 24.029, "UA", "city"),
    "ukraine": Place("country:UA", "Ukraine", 49.0, 32.0, "UA", "country"),
}


class Article:
    """Builds one Analysis: ``add_event`` writes a sentence and returns the event id."""

    _ids = itertools.count()

    def __init__(self, id: str, outlet: str | None, published: str | None,
                 duplicate_of: str | None = None) -> None:
        self.id, self.outlet, self.published, self.duplicate_of = id, outlet, published, duplicate_of
        self.text = ""
        self.events: list[Event] = []
        self.figures: list[Figure] = []
        self.claims: list[Claim] = []
        self.actors: dict[str, Actor] = {}
        self.places: dict[str, Place] = {}

    def _sentence(self, text: str) -> Span:
        if self.text:
            self.text += " "
        start = len(self.text)
        self.text += text
        return Span(start, len(self.text), text)

    def add_event(self, sentence: str, type: str = "ASSAULT", actor: str | None = None,
                  target: str | None = None, place: str | None = None, date: str | None = None,
                  precision: str | None = None, mode: str | None = None, negated: bool = False,
                  speaker: str | None = None, stance: str = "asserts",
                  figures: tuple = ()) -> str:
        """One sentence telling one event; ``figures`` are (value, what, who, hedge, low, high)
        tuples found in it, said by ``speaker`` (None: the outlet's own voice)."""
        span = self._sentence(sentence)
        eid = f"e{len(self.events) + 1}"
        for name in (actor, target, speaker):
            if name and name in ACTORS:
                self.actors[name] = ACTORS[name]
                parent = ACTORS[name].parent
                if parent in ACTORS:
                    self.actors[parent] = ACTORS[parent]
        place_id = None
        if place:
            p = PLACES[place]
            self.places[place] = p
            place_id = p.id
        fig_ids = []
        for value, what, who, hedge, low, high in figures:
            fid = f"f{len(self.figures) + 1}"
            self.figures.append(Figure(fid, span.start, span.end, span.text, value, low, high,
                                       hedge is not None, what, who, hedge))
            fig_ids.append(fid)
        claim_ids = []
        if speaker:
            cid = f"c{len(self.claims) + 1}"
            self.claims.append(Claim(cid, speaker, speaker, "said", stance, span.start, span.end,
                                     Span(span.start, span.end, span.text), fig_ids, eid))
            claim_ids.append(cid)
        self.events.append(Event(
            id=eid, type=type, mode=mode, actor=actor, target=target, place=place_id,
            date=date, date_precision=precision or ("day" if date and len(date) == 10 else
                                                    "month" if date else None),
            negated=negated, hypothetical=False, trigger="x", evidence=span,
            figures=fig_ids, claims=claim_ids,
            trigger_span=Mention(span.start, span.start + 1, span.text[:1]),
        ))
        return eid

    def filler(self, words: int = 120) -> None:
        """Text with no events, so later sentences are out of the lead."""
        self._sentence(" ".join(["background"] * words) + ".")

    def analysis(self) -> Analysis:
        for p in self.places.values():
            p.mentions = []
        return Analysis(
            id=self.id, url=None, outlet=self.outlet, title=None, author=None,
            published=self.published, language="en", text=self.text,
            actors=list(self.actors.values()), places=list(self.places.values()),
            figures=self.figures, claims=self.claims, events=self.events,
            duplicate_of=self.duplicate_of,
        )
