"""Score analyses against a gold file, layer by layer (the metrics are explained in
docs/evaluate.md).

Gold documents and predictions are joined on ``id``. Each gold layer that is present is
scored on its own; counts are summed over documents before any ratio is taken (micro
averages). Predictions come from outside (another system, a hand-edited file), so nothing in
them is trusted: a badly typed item is counted as malformed and scored as a wrong (or, when
nothing usable is left of it, a missing) prediction, and never raises.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LAYERS = (
    "times", "places", "figures", "quotes", "attributions", "events", "positions", "techniques",
    "genre",
)

NEAR_KM = 161.0  # the geoparsing convention: "within 100 miles"
EXACT_KM = 10.0
EARTH_RADIUS_KM = 6371.0088

# TIMEX3 types that name a point or stretch on the calendar; durations and sets are
# annotated too but only protect precision (most systems do not report them).
POINT_TIME_TYPES = frozenset({"date", "time"})

# The Propaganda Techniques Corpus merges some techniques under one comma-joined label; the
# output contract names each group by its first member (PTC label -> contract name).
PTC_LABELS = {
    "name_calling_labeling": "name_calling",
    "exaggeration_minimisation": "exaggeration",
    "whataboutism_straw_men_red_herring": "whataboutism",
    "bandwagon_reductio_ad_hitlerum": "bandwagon",
    "appeal_to_fear_prejudice": "appeal_to_fear",
    "black_and_white_fallacy": "black_and_white",
    "thought_terminating_cliches": "thought_terminating_cliche",
}


# ----------------------------------------------------------------------------- tallies


def ratio(num: float, den: float, other_empty: bool) -> float:
    """num/den; an empty denominator scores 1.0 only when the other side is empty too."""
    if den:
        return num / den
    return 1.0 if other_empty else 0.0


@dataclass
class Tally:
    """One precision/recall pair: correct predictions of all, found required gold of all."""

    correct: float = 0
    predicted: int = 0
    found: float = 0
    required: int = 0

    def prf(self) -> dict[str, float]:
        p = ratio(self.correct, self.predicted, self.required == 0)
        r = ratio(self.found, self.required, self.predicted == 0)
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": p, "recall": r, "f1": f}

    def counts(self) -> dict[str, float]:
        return {"correct": self.correct, "predicted": self.predicted,
                "found": self.found, "required": self.required}


@dataclass
class Share:
    """An accuracy among some subset of items (None when the subset is empty)."""

    hits: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        self.total += 1
        self.hits += bool(hit)

    def value(self) -> float | None:
        return self.hits / self.total if self.total else None


# ----------------------------------------------------------------------------- text


_QUOTE_MARKS = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u00b4": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"', "\u2039": "'", "\u203a": "'",
})
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})
_SPACE = re.compile(r"\s+")


def norm(text: str) -> str:
    """Case-, quote- and whitespace-insensitive form used by every text comparison.

    Double quotes go entirely (a span may or may not include them); single quotes are kept as
    apostrophes ("Israel's") but trimmed from the ends, where they act as quotation marks.
    """
    text = text.translate(_QUOTE_MARKS).translate(_DASHES).replace('"', " ")
    return _SPACE.sub(" ", text).strip(" '").casefold()


def contains_words(haystack: str, needle: str) -> bool:
    """needle occurs in haystack as whole words (both already normalised): US not in Russia."""
    if not needle:
        return False
    start = haystack.find(needle)
    while start >= 0:
        end = start + len(needle)
        before_ok = start == 0 or not _word_char(haystack[start - 1]) or not _word_char(needle[0])
        after_ok = end == len(haystack) or not _word_char(haystack[end]) or not _word_char(needle[-1])
        if before_ok and after_ok:
            return True
        start = haystack.find(needle, start + 1)
    return False


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def text_matches(a: str, b: str) -> bool:
    """Equal, or one contained in the other as whole words (already normalised)."""
    return bool(a and b) and (a == b or contains_words(a, b) or contains_words(b, a))


def names_match(gold_names: Any, predicted: Sequence[str]) -> bool:
    """A gold name list matches when one name equals, or is contained as whole words in, one
    of the predicted strings (actor id, name, country, aliases, mention texts, speaker text)."""
    names = [gold_names] if isinstance(gold_names, str) else gold_names
    if not isinstance(names, list):
        return False
    wanted = [norm(n) for n in names if isinstance(n, str) and n.strip()]
    have = [norm(s) for s in predicted if s]
    return any(w == h or contains_words(h, w) for w in wanted for h in have)


def _given(value: Any) -> bool:
    """A gold role or speaker counts as given when it holds at least one name."""
    if isinstance(value, str):
        return bool(value.strip())
    return isinstance(value, list) and any(isinstance(v, str) and v.strip() for v in value)


# ----------------------------------------------------------------------------- values


def number(value: Any) -> float | None:
    """A numeric value from a number or a numeric string ("4" == 4.0); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        try:
            parsed = float(value.strip().replace(",", ""))
        except ValueError:
            return None
        return parsed if math.isfinite(parsed) else None
    return None


def same_number(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def span_of(obj: Any, limit: int | None = None) -> list[tuple[int, int]] | None:
    """The character ranges of an item: its ``spans`` parts when given, else start/end.

    None when the offsets are unusable: missing, not integers, empty or reversed, or past
    the end of the text (``limit``).
    """
    if not isinstance(obj, dict):
        return None
    parts = obj.get("spans")
    if not (isinstance(parts, list) and parts):
        parts = [[obj.get("start"), obj.get("end")]]
    ranges = []
    for part in parts:
        if not (isinstance(part, list | tuple) and len(part) == 2):
            return None
        s, e = _int(part[0]), _int(part[1])
        if s is None or e is None or not 0 <= s < e or (limit is not None and e > limit):
            return None
        ranges.append((s, e))
    return _merge(ranges)


def has_offsets(obj: dict) -> bool:
    """Gold items with offsets are matched by position, the others by text; a 0-0 span is
    the gold format's placeholder for "not located"."""
    return span_of(obj) is not None


def _merge(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(r for r in ranges if r[1] > r[0]):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def intersection(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
    """Characters shared by two sorted, disjoint range lists."""
    i = j = shared = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi > lo:
            shared += hi - lo
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return shared


def length(ranges: Sequence[tuple[int, int]]) -> int:
    return sum(e - s for s, e in ranges)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def coords(obj: dict) -> tuple[float, float] | None:
    """Latitude and longitude when both are numbers on the globe."""
    lat, lon = obj.get("lat"), obj.get("lon")
    if isinstance(lat, str) or isinstance(lon, str):
        return None
    lat, lon = number(lat), number(lon)
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        return None
    return lat, lon


# ----------------------------------------------------------------------------- matching


def one_to_one(
    n_gold: int,
    n_pred: int,
    strength: Callable[[int, int], float],
    prefer: Callable[[int, int], bool] | None = None,
    taken: set[int] | None = None,
) -> dict[int, int]:
    """Maximum bipartite matching, as {gold: prediction} (augmenting paths, Kuhn's algorithm).

    ``strength(g, p)`` is 0 when the two cannot pair, else how well they fit (characters of
    overlap, Jaccard). Predictions are placed in output order; each takes the best-fitting
    free gold item (among equally good ones, the one ``prefer`` favours: value, source or
    coordinates agree), and only when none is free moves earlier predictions along an
    augmenting path. Predictions in ``taken`` are already spoken for.
    """
    options: list[list[int]] = []
    for p in range(n_pred):
        ranked = []
        if not (taken and p in taken):
            for g in range(n_gold):
                fit = strength(g, p)
                if fit:
                    ranked.append((-fit, not (prefer and prefer(g, p)), g))
        options.append([g for *_, g in sorted(ranked)])
    holder: dict[int, int] = {}  # gold -> prediction

    def place(p: int, seen: set[int]) -> bool:
        for g in options[p]:
            if g not in holder and g not in seen:
                seen.add(g)
                holder[g] = p
                return True
        for g in options[p]:
            if g in seen:
                continue
            seen.add(g)
            if place(holder[g], seen):
                holder[g] = p
                return True
        return False

    for p in range(n_pred):
        if options[p]:
            place(p, set())
    return holder


@dataclass
class Outcome:
    """What matching decided for one document: each gold item's partners, correct preds."""

    partners: list[list[int]]  # per gold item (required first, then allowed)
    correct: set[int]


def match_items(
    gold: Sequence[dict],
    n_required: int,
    n_pred: int,
    strength: Callable[[int, int], float],
    prefer: Callable[[int, int], bool] | None = None,
    positional: Callable[[dict], bool] = has_offsets,
) -> Outcome:
    """Pair predictions with gold items (the first ``n_required`` required, the rest allowed).

    Gold with offsets is matched one-to-one, required items first; allowed items then take
    only predictions left over, so they can never change how a required item is judged.
    Gold given as text or as facts is matched non-exclusively (repeating a correct fact is
    not penalised).
    """
    partners: list[list[int]] = [[] for _ in gold]
    correct: set[int] = set()
    for part in (range(n_required), range(n_required, len(gold))):
        anchored = [i for i in part if positional(gold[i])]
        matched = one_to_one(
            len(anchored), n_pred, lambda a, p, anchored=anchored: strength(anchored[a], p),
            None if prefer is None else lambda a, p, anchored=anchored: prefer(anchored[a], p),
            taken=set(correct),
        )
        for a, p in matched.items():
            partners[anchored[a]] = [p]
            correct.add(p)
    for g, item in enumerate(gold):
        if not positional(item):
            partners[g] = [p for p in range(n_pred) if strength(g, p)]
            correct.update(partners[g])
    return Outcome(partners, correct)


def tally_outcome(tally: Tally, outcome: Outcome, n_required: int, n_pred: int) -> None:
    tally.predicted += n_pred
    tally.correct += len(outcome.correct)
    tally.required += n_required
    tally.found += sum(1 for p in outcome.partners[:n_required] if p)


# ----------------------------------------------------------------------------- predictions


class Prediction:
    """One predicted document, read defensively; malformed items are counted per layer."""

    def __init__(self, record: dict | None, text_length: int | None = None) -> None:
        self.record = record or {}
        self.malformed: dict[str, int] = {}
        self._actors: dict[str, dict] | None = None
        text = self.record.get("text")
        lengths = [n for n in (text_length, len(text) if isinstance(text, str) else None)
                   if n is not None]
        self.limit = max(lengths) if lengths else None  # offsets past the text are unusable

    def span(self, obj: Any) -> list[tuple[int, int]] | None:
        return span_of(obj, self.limit)

    def bad(self, layer: str, n: int = 1) -> None:
        self.malformed[layer] = self.malformed.get(layer, 0) + n

    def items(self, layer: str, value: Any) -> list[dict]:
        """The dict items of a list field; anything else is malformed and dropped."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.bad(layer)
            return []
        good = [item for item in value if isinstance(item, dict)]
        if len(good) < len(value):
            self.bad(layer, len(value) - len(good))
        return good

    def field(self, layer: str, key: str) -> list[dict]:
        return self.items(layer, self.record.get(key))

    def actor(self, actor_id: Any) -> dict | None:
        """The predicted actor an event role or speaker refers to (by id)."""
        if self._actors is None:
            self._actors = {}
            actors = self.record.get("actors")
            for actor in actors if isinstance(actors, list) else []:
                if isinstance(actor, dict) and isinstance(actor.get("id"), str):
                    self._actors.setdefault(actor["id"], actor)
        return self._actors.get(actor_id) if isinstance(actor_id, str) else None

    def actor_strings(self, actor_id: Any) -> list[str]:
        """Every string an actor can be recognised by: id, name, country, aliases, mentions.

        An id with no actor record behind it still names someone, by the id alone.
        """
        if not isinstance(actor_id, str) or not actor_id.strip():
            return []
        actor = self.actor(actor_id) or {}
        found = [actor_id, actor.get("name"), actor.get("country")]
        aliases, mentions = actor.get("aliases"), actor.get("mentions")
        found += aliases if isinstance(aliases, list) else []
        found += [m.get("text") for m in mentions if isinstance(m, dict)] if isinstance(
            mentions, list) else []
        return [s for s in found if isinstance(s, str) and s.strip()]

    def actor_country(self, actor_id: Any) -> str | None:
        country = (self.actor(actor_id) or {}).get("country")
        return country.strip().upper() if isinstance(country, str) and country.strip() else None

    def actor_ranges(self, actor_id: Any) -> list[tuple[int, int]]:
        mentions = (self.actor(actor_id) or {}).get("mentions")
        ranges: list[tuple[int, int]] = []
        for m in mentions if isinstance(mentions, list) else []:
            ranges += self.span(m) or []
        return ranges

    def speaker_strings(self, item: dict) -> list[str]:
        text = item.get("speaker_text")
        return self.actor_strings(item.get("speaker")) + ([text] if isinstance(text, str) else [])


def required_allowed(value: Any) -> tuple[list[dict], list[dict]]:
    """Gold given as a plain list (all required) or as {required, allowed}."""
    if isinstance(value, dict):
        req, allowed = value.get("required"), value.get("allowed")
        return ([g for g in req if isinstance(g, dict)] if isinstance(req, list) else [],
                [g for g in allowed if isinstance(g, dict)] if isinstance(allowed, list) else [])
    if isinstance(value, list):
        return [g for g in value if isinstance(g, dict)], []
    return [], []


# ----------------------------------------------------------------------------- layers


class Layer:
    """Sums one layer's counts over documents; subclasses score one document at a time."""

    name = ""
    accuracies: tuple[str, ...] = ()  # reported even when nothing was there to judge

    def __init__(self) -> None:
        self.docs = 0
        self.malformed = 0
        self.tallies: dict[str, Tally] = {}
        self.shares: dict[str, Share] = {}
        for key in self.accuracies:
            self.share(key)

    def tally(self, key: str) -> Tally:
        return self.tallies.setdefault(key, Tally())

    def share(self, key: str) -> Share:
        return self.shares.setdefault(key, Share())

    def score(self, gold: Any, pred: Prediction) -> None:
        self.docs += 1
        self.add(gold, pred)
        self.malformed += pred.malformed.pop(self.name, 0)

    def add(self, gold: Any, pred: Prediction) -> None:
        raise NotImplementedError

    def result(self) -> dict[str, Any]:
        out: dict[str, Any] = {"docs": self.docs}
        out.update({k: t.prf() for k, t in self.tallies.items()})
        out.update({k: s.value() for k, s in self.shares.items()})
        out.update(self.extra())
        counts: dict[str, Any] = {}
        for key, t in self.tallies.items():
            counts.update({f"{key}.{k}": v for k, v in t.counts().items()})
        for key, s in self.shares.items():
            counts.update({f"{key}.hits": s.hits, f"{key}.total": s.total})
        counts["malformed_items"] = self.malformed
        out["counts"] = counts
        return out

    def extra(self) -> dict[str, Any]:
        return {}


@dataclass
class TimePred:
    ranges: list[tuple[int, int]] | None
    text: str
    value: str
    point: bool


class Times(Layer):
    name = "times"
    accuracies = ("value_accuracy",)

    def add(self, gold: Any, pred: Prediction) -> None:
        items = [g for g in gold if isinstance(g, dict)] if isinstance(gold, list) else []
        required = [g for g in items if _time_type(g) in POINT_TIME_TYPES]
        allowed = [g for g in items if _time_type(g) not in POINT_TIME_TYPES]
        preds = [self._read(p, pred) for p in pred.field(self.name, "times")]
        point = [p for p in preds if p.point]
        ordered = required + allowed

        def hit(g: int, p: int) -> int:
            return _overlap(ordered[g], point[p])

        def right(g: int, p: int) -> bool:
            return point[p].value in _time_values(ordered[g])

        found = match_items(ordered, len(required), len(point), hit, right)
        tally_outcome(self.tally("extraction"), found, len(required), len(point))
        for g, partners in enumerate(found.partners[: len(required)]):
            if partners:
                self.share("value_accuracy").add(any(right(g, p) for p in partners))
        # Allowed items (durations, sets) only protect precision, so they are not judged on
        # their value here either.
        strict = match_items(
            ordered, len(required), len(point),
            lambda g, p: hit(g, p) if g >= len(required) or right(g, p) else 0)
        tally_outcome(self.tally("strict"), strict, len(required), len(point))
        every = match_items(items, len(items), len(preds),
                            lambda g, p: _overlap(items[g], preds[p]))
        tally_outcome(self.tally("all_types_extraction"), every, len(items), len(preds))

    def _read(self, item: dict, pred: Prediction) -> TimePred:
        ranges = pred.span(item)
        text, value, kind = item.get("text"), item.get("value"), item.get("type")
        if ranges is None or not isinstance(text, str) or not (
                value is None or isinstance(value, str)) or not (kind is None or isinstance(kind, str)):
            pred.bad(self.name)
            ranges = None
        return TimePred(
            ranges=ranges, text=norm(text) if isinstance(text, str) else "",
            value=value.strip().casefold() if isinstance(value, str) and ranges is not None else "",
            point=kind is None or (isinstance(kind, str) and kind.lower() in POINT_TIME_TYPES),
        )


def _time_type(g: dict) -> str:
    kind = g.get("type")
    return kind.lower() if isinstance(kind, str) and kind else "date"


def _time_values(g: dict) -> set[str]:
    alt = g.get("alt") if isinstance(g.get("alt"), list) else []
    return {v.strip().casefold() for v in [g.get("value"), *alt] if isinstance(v, str) and v.strip()}


def _overlap(g: dict, p: TimePred | PlacePred) -> int:
    """Characters shared with a gold time or toponym that has offsets; 1 for a text match."""
    if p.ranges is None:
        return 0
    if has_offsets(g):
        return intersection(span_of(g) or [], p.ranges)
    text = g.get("text")
    return int(isinstance(text, str) and text_matches(norm(text), p.text))


@dataclass
class PlacePred:
    ranges: list[tuple[int, int]] | None
    text: str
    point: tuple[float, float] | None
    country: str | None


class Places(Layer):
    name = "places"
    accuracies = ("accuracy@161km", "accuracy@10km", "country_accuracy")

    def __init__(self) -> None:
        super().__init__()
        self._errors: list[float] = []

    def add(self, gold: Any, pred: Prediction) -> None:
        required, allowed = required_allowed(gold)
        ordered = required + allowed
        preds = self._mentions(pred)

        def hit(g: int, p: int) -> int:
            return _overlap(ordered[g], preds[p])

        def near(g: int, p: int, km: float = NEAR_KM) -> bool:
            dist = _distance(ordered[g], preds[p])
            return dist is not None and dist <= km

        found = match_items(ordered, len(required), len(preds), hit, near)
        tally_outcome(self.tally("recognition"), found, len(required), len(preds))
        for g, partners in enumerate(found.partners[: len(required)]):
            self._judge(required[g], [preds[p] for p in partners])
        # Allowed toponyms (metonymy, demonyms) and gold without coordinates cannot be
        # judged on resolution: recognising them is enough.
        resolved = match_items(
            ordered, len(required), len(preds),
            lambda g, p: hit(g, p) if (g >= len(required) or coords(ordered[g]) is None
                                       or near(g, p)) else 0)
        tally_outcome(self.tally("end_to_end@161km"), resolved, len(required), len(preds))

    def _judge(self, gold: dict, partners: list[PlacePred]) -> None:
        if not partners:
            return
        where = coords(gold)
        if where is not None:
            dists = [haversine_km(*where, *p.point) for p in partners if p.point is not None]
            self.share("accuracy@161km").add(bool(dists) and min(dists) <= NEAR_KM)
            self.share("accuracy@10km").add(bool(dists) and min(dists) <= EXACT_KM)
            if dists:
                self._errors.append(min(dists))
        country = gold.get("country")
        if isinstance(country, str) and country:
            self.share("country_accuracy").add(any(
                p.country == country.strip().upper() for p in partners))

    def extra(self) -> dict[str, Any]:
        # The upper middle value when the count is even (a distance that was really
        # measured, not the mean of two).
        errors = sorted(self._errors)
        return {"median_error_km": errors[len(errors) // 2] if errors else None}

    def _mentions(self, pred: Prediction) -> list[PlacePred]:
        mentions: list[PlacePred] = []
        for place in pred.field(self.name, "places"):
            point = coords(place)
            if point is None and (place.get("lat") is not None or place.get("lon") is not None):
                pred.bad(self.name)
            country = place.get("country")
            if country is not None and not isinstance(country, str):
                pred.bad(self.name)
            country = country.strip().upper() if isinstance(country, str) else None
            for m in pred.items(self.name, place.get("mentions")):
                ranges, text = pred.span(m), m.get("text")
                if ranges is None or not isinstance(text, str):
                    pred.bad(self.name)
                    ranges = None
                mentions.append(PlacePred(ranges, norm(text) if isinstance(text, str) else "",
                                          point, country))
        return mentions


def _distance(g: dict, p: PlacePred) -> float | None:
    where = coords(g)
    if where is None or p.point is None:
        return None
    return haversine_km(*where, *p.point)


@dataclass
class FigurePred:
    value: float | None
    what: str
    speakers: list[str]


class Figures(Layer):
    name = "figures"
    accuracies = ("what_accuracy",)

    def add(self, gold: Any, pred: Prediction) -> None:
        required, allowed = required_allowed(gold)
        ordered = required + allowed
        preds = self._read(pred)

        def same_value(g: int, p: int) -> bool:
            return same_number(preds[p].value, number(ordered[g].get("value")))

        def full(g: int, p: int) -> bool:
            speaker = ordered[g].get("speaker")
            return same_value(g, p) and (
                not _given(speaker) or names_match(speaker, preds[p].speakers))

        never = _never_positional
        found = match_items(ordered, len(required), len(preds), full, positional=never)
        tally_outcome(self.tally("figures"), found, len(required), len(preds))
        values = match_items(ordered, len(required), len(preds), same_value, positional=never)
        tally_outcome(self.tally("value_only"), values, len(required), len(preds))
        for g, partners in enumerate(found.partners[: len(required)]):
            what = required[g].get("what")
            if partners and isinstance(what, str) and what.strip():
                self.share("what_accuracy").add(
                    any(text_matches(preds[p].what, norm(what)) for p in partners))

    def _read(self, pred: Prediction) -> list[FigurePred]:
        speakers: dict[str, list[str]] = {}
        for claim in pred.field(self.name, "claims"):
            ids = claim.get("figures")
            if ids is not None and not isinstance(ids, list):
                pred.bad(self.name)
                continue
            for fid in ids or []:
                if isinstance(fid, str | int) and not isinstance(fid, bool):
                    speakers.setdefault(str(fid), []).extend(pred.speaker_strings(claim))
        figures = []
        for item in pred.field(self.name, "figures"):
            value, what = number(item.get("value")), item.get("what")
            if value is None or (what is not None and not isinstance(what, str)):
                pred.bad(self.name)
            fid = item.get("id")
            figures.append(FigurePred(
                value, norm(what) if isinstance(what, str) else "",
                speakers.get(str(fid), []) if isinstance(fid, str | int) else []))
        return figures


def _never_positional(_g: dict) -> bool:
    return False


@dataclass
class QuotePred:
    text: str
    speakers: list[str]


def quote_norm(text: str) -> str:
    """Quote comparison form: quote marks unified, double quotes dropped, dashes unified.

    Punctuation at the edges is trimmed too: it belongs to the sentence around a fragment,
    and whether an annotator took the full stop is no part of what was said.
    """
    text = text.translate(_QUOTE_MARKS).translate(_DASHES).replace('"', " ")
    return _SPACE.sub(" ", text).casefold().strip(" '.,;:!?-")


class Quotes(Layer):
    name = "quotes"

    def add(self, gold: Any, pred: Prediction) -> None:
        required, allowed = required_allowed(gold)
        ordered = required + allowed
        preds = []
        for item in pred.field(self.name, "quotes"):
            text = item.get("text")
            if not isinstance(text, str):
                pred.bad(self.name)
            preds.append(QuotePred(quote_norm(text) if isinstance(text, str) else "",
                                   pred.speaker_strings(item)))

        def said(g: int, p: int) -> bool:
            wanted = ordered[g].get("contains")
            wanted = quote_norm(wanted) if isinstance(wanted, str) else ""
            return bool(wanted and preds[p].text) and wanted in preds[p].text

        def by(g: int, p: int) -> bool:
            speaker = ordered[g].get("speaker")
            return said(g, p) and (not _given(speaker) or names_match(speaker, preds[p].speakers))

        never = _never_positional
        tally_outcome(self.tally("quotes"),
                      match_items(ordered, len(required), len(preds), by, positional=never),
                      len(required), len(preds))
        tally_outcome(self.tally("text_only"),
                      match_items(ordered, len(required), len(preds), said, positional=never),
                      len(required), len(preds))


@dataclass
class AttributionPred:
    ranges: list[tuple[int, int]]  # empty when the offsets were unusable: a wrong prediction
    speaker_ranges: list[tuple[int, int]]
    speaker_texts: set[str]


@dataclass
class AttributionGold:
    ranges: list[tuple[int, int]]
    source_ranges: list[tuple[int, int]]
    source_text: str

    @property
    def has_source(self) -> bool:
        return bool(self.source_ranges or self.source_text)


class Attributions(Layer):
    name = "attributions"
    accuracies = ("source_accuracy",)

    def __init__(self) -> None:
        super().__init__()
        self.merged = 0

    def add(self, gold: Any, pred: Prediction) -> None:
        golds = [_attribution_gold(g) for g in gold if isinstance(g, dict)] if isinstance(
            gold, list) else []
        golds = [g for g in golds if g.ranges]
        preds = self._read(pred)

        def jaccard(g: int, p: int) -> float:
            shared = intersection(golds[g].ranges, preds[p].ranges)
            union = length(golds[g].ranges) + length(preds[p].ranges) - shared
            return shared / union if union else 0.0

        def source_ok(g: int, p: int) -> bool:
            return _source_agrees(golds[g], preds[p])

        close = one_to_one(len(golds), len(preds),
                           lambda g, p: j if (j := jaccard(g, p)) >= 0.5 else 0, source_ok)
        self._add_pairs("content@jaccard0.5", close, len(golds), len(preds))
        for g, p in close.items():
            if golds[g].has_source:
                self.share("source_accuracy").add(source_ok(g, p))
        touching = one_to_one(
            len(golds), len(preds),
            lambda g, p: intersection(golds[g].ranges, preds[p].ranges), source_ok)
        self._add_pairs("content@any_overlap", touching, len(golds), len(preds))

    def _add_pairs(self, key: str, pairs: dict[int, int], n_gold: int, n_pred: int) -> None:
        tally = self.tally(key)
        tally.correct += len(pairs)
        tally.found += len(pairs)
        tally.predicted += n_pred
        tally.required += n_gold

    def _read(self, pred: Prediction) -> list[AttributionPred]:
        claims = [self._attribution(claim.get("content"), claim, pred)
                  for claim in pred.field(self.name, "claims")]
        quotes: list[AttributionPred] = []
        for item in pred.field(self.name, "quotes"):
            quote = self._attribution(item, item, pred)
            # A quotation that is at least half a claim's content (or the claim at least half
            # the quotation) is one attribution reported twice; the claim keeps what the
            # quote knew of its speaker.
            twin = next((c for c in claims if _half_inside(quote.ranges, c.ranges)), None)
            if twin is None:
                quotes.append(quote)
                continue
            self.merged += 1
            twin.speaker_ranges = _merge(twin.speaker_ranges + quote.speaker_ranges)
            twin.speaker_texts |= quote.speaker_texts
        return claims + quotes

    def _attribution(self, content: Any, item: dict, pred: Prediction) -> AttributionPred:
        ranges = pred.span(content)
        if ranges is None:
            pred.bad(self.name)
        spoken = pred.actor_ranges(item.get("speaker")) + (pred.span(item.get("speaker_span")) or [])
        text = item.get("speaker_text")
        return AttributionPred(ranges or [], _merge(spoken),
                               {norm(text)} if isinstance(text, str) and text.strip() else set())

    def result(self) -> dict[str, Any]:
        out = super().result()
        out["counts"]["quote_claim_duplicates_merged"] = self.merged
        return out


def _attribution_gold(item: dict) -> AttributionGold:
    source = item.get("source")
    source = source if isinstance(source, dict) else {}
    text = source.get("text")
    return AttributionGold(span_of(item.get("content")) or [], span_of(source) or [],
                           norm(text) if isinstance(text, str) else "")


def _half_inside(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    shared = intersection(a, b)
    return shared > 0 and (2 * shared >= length(a) or 2 * shared >= length(b))


def _source_agrees(gold: AttributionGold, p: AttributionPred) -> bool:
    if intersection(gold.source_ranges, p.speaker_ranges) > 0:
        return True
    return bool(gold.source_text) and gold.source_text in p.speaker_texts


@dataclass
class EventPred:
    type: str
    actor: list[str] | None
    actor_country: str | None
    target: list[str] | None
    target_country: str | None
    date: str | None


class Events(Layer):
    name = "events"
    accuracies = ("date_accuracy",)

    def __init__(self) -> None:
        super().__init__()
        self.per_type: dict[str, dict[str, int]] = {}

    def add(self, gold: Any, pred: Prediction) -> None:
        required, allowed = required_allowed(gold)
        ordered = required + allowed
        preds = self._read(pred)

        def loose(g: int, p: int) -> bool:
            return _event_matches(ordered[g], preds[p], strict=False)

        def strict(g: int, p: int) -> bool:
            return _event_matches(ordered[g], preds[p], strict=True)

        never = _never_positional
        found = match_items(ordered, len(required), len(preds), loose, positional=never)
        tally_outcome(self.tally("events"), found, len(required), len(preds))
        tally_outcome(self.tally("strict_roles"),
                      match_items(ordered, len(required), len(preds), strict, positional=never),
                      len(required), len(preds))
        for g, partners in enumerate(found.partners[: len(required)]):
            date = required[g].get("date")
            dated = [preds[p].date for p in partners if preds[p].date]
            if isinstance(date, str) and date.strip() and dated:
                self.share("date_accuracy").add(date.strip()[:10] in {d[:10] for d in dated})
        self._count_types(required, found, preds)

    def _count_types(self, required: list[dict], found: Outcome, preds: list[EventPred]) -> None:
        for g, partners in zip(required, found.partners, strict=False):
            row = self._row(str(g.get("type", "")).upper())
            row["gold"] += 1
            row["found"] += bool(partners)
        for i, p in enumerate(preds):
            row = self._row(p.type)
            row["pred"] += 1
            row["correct"] += i in found.correct

    def _row(self, kind: str) -> dict[str, int]:
        return self.per_type.setdefault(kind, {"gold": 0, "found": 0, "pred": 0, "correct": 0})

    def _read(self, pred: Prediction) -> list[EventPred]:
        events = []
        for item in pred.field(self.name, "events"):
            kind, date = item.get("type"), item.get("date")
            if not isinstance(kind, str) or (date is not None and not isinstance(date, str)):
                pred.bad(self.name)
            roles = []
            for role in ("actor", "target"):
                actor = item.get(role)
                if actor is not None and not isinstance(actor, str):
                    pred.bad(self.name)
                roles.append((pred.actor_strings(actor) or None, pred.actor_country(actor)))
            events.append(EventPred(
                kind.strip().upper() if isinstance(kind, str) else "", roles[0][0], roles[0][1],
                roles[1][0], roles[1][1], date.strip() if isinstance(date, str) else None))
        return events

    def extra(self) -> dict[str, Any]:
        return {"per_type": dict(sorted(self.per_type.items()))}


def _event_matches(g: dict, p: EventPred, strict: bool) -> bool:
    if not p.type or str(g.get("type", "")).strip().upper() != p.type:
        return False
    for role, names, country in (("actor", p.actor, p.actor_country),
                                 ("target", p.target, p.target_country)):
        wanted, codes = g.get(role), g.get(f"{role}_codes")
        gold_gives = _given(wanted) or _given(codes)
        if not gold_gives:
            continue
        if names is None:
            if strict:
                return False
            continue
        by_code = _given(codes) and country is not None and country.upper() in {
            c.upper() for c in ([codes] if isinstance(codes, str) else codes) if isinstance(c, str)}
        if not (by_code or (_given(wanted) and names_match(wanted, names))):
            return False
    return True


@dataclass
class PositionPred:
    party: list[str]
    issue: str | None
    stance: str | None
    date: str | None
    claimant: list[str]


def _code(value: Any) -> str | None:
    """An issue or stance label as compared: lower case, spaces and hyphens as underscores."""
    if not isinstance(value, str):
        return None
    return value.strip().lower().replace("-", "_").replace(" ", "_")


class Positions(Layer):
    """Negotiation positions: party, issue and stance must all match (gold is given as facts,
    so matching is non-exclusive); ``party_issue`` forgives the stance."""

    name = "positions"
    accuracies = ("date_accuracy", "claimant_accuracy")

    def add(self, gold: Any, pred: Prediction) -> None:
        required, allowed = required_allowed(gold)
        ordered = required + allowed
        preds = self._read(pred)

        def party_issue(g: int, p: int) -> bool:
            item, found = ordered[g], preds[p]
            return (_code(item.get("issue")) == found.issue
                    and names_match(item.get("party"), found.party))

        def full(g: int, p: int) -> bool:
            return party_issue(g, p) and _code(ordered[g].get("stance")) == preds[p].stance

        never = _never_positional
        found = match_items(ordered, len(required), len(preds), full, positional=never)
        tally_outcome(self.tally("positions"), found, len(required), len(preds))
        tally_outcome(self.tally("party_issue"),
                      match_items(ordered, len(required), len(preds), party_issue,
                                  positional=never),
                      len(required), len(preds))
        for g, partners in enumerate(found.partners[: len(required)]):
            if not partners:
                continue
            date, claimant = required[g].get("date"), required[g].get("claimant")
            if isinstance(date, str) and date.strip():
                dated = {preds[p].date[:10] for p in partners if preds[p].date}
                self.share("date_accuracy").add(date.strip()[:10] in dated)
            if _given(claimant):
                self.share("claimant_accuracy").add(
                    any(names_match(claimant, preds[p].claimant) for p in partners))

    def _read(self, pred: Prediction) -> list[PositionPred]:
        positions = []
        for item in pred.field(self.name, "positions"):
            issue, stance = _code(item.get("issue")), _code(item.get("stance"))
            date = item.get("date")
            if issue is None or stance is None:
                pred.bad(self.name)
            positions.append(PositionPred(
                pred.actor_strings(item.get("party")), issue, stance,
                date.strip() if isinstance(date, str) and date.strip() else None,
                pred.actor_strings(item.get("claimant"))))
        return positions


class Techniques(Layer):
    name = "techniques"

    def add(self, gold: Any, pred: Prediction) -> None:
        items = [g for g in gold if isinstance(g, dict)] if isinstance(gold, list) else []
        gold_spans = [(technique_name(g.get("technique")), r) for g in items
                      if (r := span_of(g)) is not None]
        framing = pred.record.get("framing")
        if framing is not None and not isinstance(framing, dict):
            pred.bad(self.name)
            framing = None
        pred_spans = []
        for item in pred.items(self.name, (framing or {}).get("techniques")):
            ranges, label = pred.span(item), item.get("technique")
            if ranges is None or not isinstance(label, str):
                pred.bad(self.name)
            if ranges is not None:  # an unlabelled span still marks propaganda somewhere
                pred_spans.append((technique_name(label), ranges))
        _partial_credit(self.tally("span_identification"),
                        [r for _, r in gold_spans], [r for _, r in pred_spans])
        aware = self.tally("technique_aware")
        for label in {lab for lab, _ in gold_spans} | {lab for lab, _ in pred_spans}:
            _partial_credit(aware, [r for lab, r in gold_spans if lab == label],
                            [r for lab, r in pred_spans if lab == label])


def technique_name(label: Any) -> str | None:
    """snake_case, with the PTC's merged labels mapped to the output contract's names."""
    if not isinstance(label, str):
        return None
    key = re.sub(r"[^0-9a-z]+", "_", label.casefold()).strip("_")
    return PTC_LABELS.get(key, key) or None


def _partial_credit(tally: Tally, gold: list[list[tuple[int, int]]],
                    pred: list[list[tuple[int, int]]]) -> None:
    """SemEval-2020 Task 11: each span earns the share of its characters the other side
    covers; overlapping spans on one side are merged first so no character counts twice."""
    gold_m = _merge(r for ranges in gold for r in ranges)
    pred_m = _merge(r for ranges in pred for r in ranges)
    tally.predicted += len(pred_m)
    tally.required += len(gold_m)
    tally.correct += sum(intersection([s], gold_m) / length([s]) for s in pred_m)
    tally.found += sum(intersection([t], pred_m) / length([t]) for t in gold_m)


class Genre(Layer):
    name = "genre"
    accuracies = ("accuracy",)

    def add(self, gold: Any, pred: Prediction) -> None:
        labels = [gold] if isinstance(gold, str) else gold if isinstance(gold, list) else []
        wanted = {g.strip().casefold() for g in labels if isinstance(g, str)}
        genre = pred.record.get("genre")
        label = genre.get("label") if isinstance(genre, dict) else None
        if genre is not None and not isinstance(label, str):
            pred.bad(self.name)
        self.share("accuracy").add(isinstance(label, str) and label.strip().casefold() in wanted)


SCORERS: dict[str, type[Layer]] = {
    cls.name: cls for cls in (Times, Places, Figures, Quotes, Attributions, Events, Positions,
                              Techniques, Genre)
}


# ----------------------------------------------------------------------------- documents


def evaluate(
    gold: Iterable[dict], pred: Iterable[dict], layers: set[str] | None = None
) -> dict[str, Any]:
    """Score predicted analyses against gold documents.

    Returns ``{"documents": {...counts}, "layers": {layer: {metric: value, "counts": {...}}}}``;
    a layer appears when some gold document annotates it (absent or null means "not
    annotated"; an empty list means "annotated: none").
    """
    unknown = set(layers or ()) - set(LAYERS)
    if unknown:
        raise ValueError(f"unknown layers: {', '.join(sorted(unknown))} (known: {', '.join(LAYERS)})")
    wanted = [name for name in LAYERS if layers is None or name in layers]
    docs = {"gold": 0, "gold_malformed": 0, "predictions": 0, "malformed_records": 0,
            "duplicate_ids": 0, "without_prediction": 0, "not_in_gold": 0, "text_differs": 0}
    by_id = _index_predictions(pred, docs)
    scorers: dict[str, Layer] = {}
    seen: set[str] = set()
    for record in gold:
        if not isinstance(record, dict) or not isinstance(record.get("id"), str):
            docs["gold_malformed"] += 1
            continue
        docs["gold"] += 1
        seen.add(record["id"])
        found = by_id.get(record["id"])
        if found is None:
            docs["without_prediction"] += 1
        elif isinstance(record.get("text"), str) and found.get("text") not in (None, record["text"]):
            docs["text_differs"] += 1
        text = record.get("text")
        doc = Prediction(found, len(text) if isinstance(text, str) else None)
        for name in wanted:
            if record.get(name) is not None:
                scorers.setdefault(name, SCORERS[name]()).score(record[name], doc)
    docs["not_in_gold"] = sum(1 for i in by_id if i not in seen)
    return {"documents": docs,
            "layers": {name: scorers[name].result() for name in wanted if name in scorers}}


def _index_predictions(pred: Iterable[Any], docs: dict[str, int]) -> dict[str, dict]:
    by_id: dict[str, dict] = {}
    for record in pred:
        if not isinstance(record, dict) or not isinstance(record.get("id"), str):
            docs["malformed_records"] += 1
            continue
        docs["predictions"] += 1
        if record["id"] in by_id:
            docs["duplicate_ids"] += 1  # the first prediction for an id is the one scored
            continue
        by_id[record["id"]] = record
    return by_id


# ----------------------------------------------------------------------------- stories


def evaluate_stories(gold_clusters: Iterable[dict], pred_stories: Iterable[dict]) -> dict[str, Any]:
    """Pairwise clustering P/R/F1 over the annotated articles, and contested-figure recall
    and precision.

    Recall: a gold contested figure is found when a predicted story sharing an article with
    its cluster has a figure line (same ``what`` when the gold gives one) holding every gold
    value. Precision: every line a story near some gold cluster presents as contested (its
    ``contested`` flag; without one, two or more distinct values) must be one of those
    clusters' contested figures: same ``what`` and each of its distinct values among the
    gold's. A war's cumulative toll lumped in with an incident's makes the line wrong.
    """
    clusters = [c for c in gold_clusters if isinstance(c, dict)]
    stories, malformed = [], 0
    for story in pred_stories:
        if isinstance(story, dict):
            stories.append(story)
        else:
            malformed += 1
    gold_sets = [_article_ids(c.get("articles")) for c in clusters]
    gold_figures = [_gold_contested(c) for c in clusters]
    universe = set().union(*gold_sets) if gold_sets else set()
    pred_sets = [_article_ids(s.get("articles")) for s in stories]
    gold_pairs = set().union(*(_pairs(s) for s in gold_sets)) if gold_sets else set()
    pred_pairs = set().union(*(_pairs(s & universe) for s in pred_sets)) if pred_sets else set()
    shared = len(gold_pairs & pred_pairs)
    tally = Tally(correct=shared, predicted=len(pred_pairs), found=shared,
                  required=len(gold_pairs))
    lines = [_figure_lines(s) for s in stories]
    recall = Share()
    for articles, figures in zip(gold_sets, gold_figures, strict=True):
        near = [ls for ls, ids in zip(lines, pred_sets, strict=True) if ids & articles]
        for what, wanted in figures:
            recall.add(any(_holds(line, what, wanted) for ls in near for line in ls))
    precision = Share()
    for ids, story_lines in zip(pred_sets, lines, strict=True):
        near = [figures for articles, figures in zip(gold_sets, gold_figures, strict=True)
                if ids & articles]
        if not near:
            continue
        for line in story_lines:
            if line[2]:
                precision.add(any(_same_what(line[0], what)
                                  and all(any(same_number(v, g) for g in gold) for v in line[1])
                                  for figures in near for what, gold in figures))
    return {
        "clusters": len(clusters), "stories": len(stories), "malformed_stories": malformed,
        "articles_annotated": len(universe),
        "pairwise": tally.prf(),
        "contested_figure_recall": recall.value(),
        "contested_figure_precision": precision.value(),
        "counts": {**{f"pairwise.{k}": v for k, v in tally.counts().items()},
                   "contested.found": recall.hits, "contested.total": recall.total,
                   "contested.right": precision.hits, "contested.predicted": precision.total},
    }


def _gold_contested(cluster: dict) -> list[tuple[Any, list[float]]]:
    """A gold cluster's contested figures as (what, values); the scorer also reads the
    older keys ``contested`` and ``figures``."""
    figures = (cluster.get("contested_figures") or cluster.get("contested")
               or cluster.get("figures") or [])
    out = []
    for figure in figures if isinstance(figures, list) else []:
        if isinstance(figure, dict):
            values = _numbers(figure.get("values"))
            if values:
                out.append((figure.get("what"), values))
    return out


def _figure_lines(story: dict) -> list[tuple[Any, list[float], bool]]:
    """A predicted story's figure lines as (what, values, shown as contested)."""
    lines = story.get("figures")
    out = []
    for line in lines if isinstance(lines, list) else []:
        if not isinstance(line, dict):
            continue
        values = _numbers(line.get("values"))
        flag = line.get("contested")
        contested = flag if isinstance(flag, bool) else len({round(v, 9) for v in values}) > 1
        out.append((line.get("what"), values, contested))
    return out


def _numbers(values: Any) -> list[float]:
    found = (number(v.get("value") if isinstance(v, dict) else v)
             for v in (values if isinstance(values, list) else []))
    return [v for v in found if v is not None]


def _same_what(predicted: Any, gold: Any) -> bool:
    """A line's ``what`` fits the gold's (any ``what`` does when the gold gives none)."""
    if not (isinstance(gold, str) and gold.strip()):
        return True
    return isinstance(predicted, str) and text_matches(norm(predicted), norm(gold))


def _holds(line: tuple[Any, list[float], bool], what: Any, wanted: list[float]) -> bool:
    """The line (with a matching ``what`` when one is given) carries every wanted value."""
    return _same_what(line[0], what) and all(
        any(same_number(w, h) for h in line[1]) for w in wanted)


def _article_ids(value: Any) -> set[str]:
    ids = set()
    for item in value if isinstance(value, list) else []:
        ident = item.get("id") if isinstance(item, dict) else item
        if isinstance(ident, str):
            ids.add(ident)
    return ids


def _pairs(ids: set[str]) -> set[tuple[str, str]]:
    ordered = sorted(ids)
    return {(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:]}


# ----------------------------------------------------------------------------- files


def read_records(path: str | Path) -> tuple[list[Any], int]:
    """Records of a JSON Lines file, a JSON array or one JSON object, and the count of lines
    that could not be parsed (kept out of the records, reported by the caller)."""
    text = Path(path).read_text(encoding="utf-8-sig")
    try:  # a whole-file document fails fast on JSON Lines ("extra data" after line one)
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
    if isinstance(data, list):
        return data, 0
    if isinstance(data, dict):
        return [data], 0
    records, bad = [], 0
    for line in _lines(text):
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            bad += 1
    return records, bad


def _lines(text: str) -> Iterator[str]:
    # Only "\n" ends a JSON Lines record: str.splitlines() would also cut at U+2028 and
    # other separators that JSON strings may hold unescaped.
    for line in text.split("\n"):
        if line.strip():
            yield line


def metric_rows(result: dict[str, Any]) -> list[tuple[str, dict[str, float] | float | None]]:
    """(metric, value) pairs of one layer's result, for tables: a value is a P/R/F1 dict or
    a single number (None when there was nothing to measure)."""
    return [(key, value) for key, value in result.items()
            if key not in ("docs", "counts", "per_type") and not isinstance(value, str)]


def analyze_gold(records: Iterable[Any], on_done: Callable[[], None] | None = None
                 ) -> Iterator[dict]:
    """Our own analysis of each gold document's text, as output-contract records (what
    ``triangulate analyze --format jsonl`` prints), so a gold file can be scored in one go."""
    from triangulate.analyze.pipeline import analyze_articles
    from triangulate.ingest.normalize import article_from_fields
    from triangulate.model import AnalysisFailure, to_dict

    def articles():
        for record in records:
            if not (isinstance(record, dict) and isinstance(record.get("id"), str)
                    and isinstance(record.get("text"), str)):
                continue  # reported by evaluate() as malformed gold
            fields = {k: v if isinstance(v, str) else None for k, v in (
                (k, record.get(k)) for k in ("url", "outlet", "title", "published"))}
            yield article_from_fields(record["text"], source="<gold>", id=record["id"], **fields)

    for analysis in analyze_articles(articles()):
        if on_done is not None:
            on_done()
        if isinstance(analysis, AnalysisFailure):
            # No prediction for it: the scorer counts its gold as missed.
            print(f"analysis of {analysis.id} failed: {analysis.reason} {analysis.detail}",
                  file=sys.stderr)
            continue
        yield to_dict(analysis)
