"""Stories: the event mentions of many articles clustered into one record per real event.

Two steps.

1. **Reports** (within one article): an article tells one event with several mentions ("the
   ambush", "killed four soldiers", "the attack"). Mentions of one type family whose dates
   and places agree are grouped into the article's *report* of that event; undated mentions
   join the report they fit best. The report's salience (mentions, weighted by type and by
   being in the lead) says whether the article is *about* the event or mentions it in
   passing.
2. **Stories** (across articles): reports are compared only within blocks (date bucket x
   place cell, date bucket x country x party), scored on type, date, place, actors and
   evidence-sentence embeddings, and merged by average linkage with hard guards (never two
   reports of one article, never dates further apart than LINK_MAX_DATE_GAP_DAYS), so cost
   grows near-linearly with the corpus and chains of weak links do not snowball.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from triangulate import settings
from triangulate.link.lexicon import family, lexicon, tells_another_act
from triangulate.link.measure import day, event_interval, gap, haversine_km
from triangulate.link.records import is_town
from triangulate.model import EventMention

# --------------------------------------------------------------------------- reports


@dataclass
class Report:
    """One article's account of one event: its mentions grouped, with summary facts."""

    article: str
    order: int
    family: str
    mentions: list[EventMention]
    outlet: str | None = None
    published: str | None = None
    duplicate_of: str | None = None
    type: str = ""
    span: tuple[int, int] | None = None
    explicit: bool = False
    day_precise: bool = False
    lat: float | None = None
    lon: float | None = None
    town: bool = False
    country: str | None = None
    # up to LINK_MAX_PLACES town coordinates and countries, most mentioned first: the
    # stages sometimes attach a wrong place (a dateline's outlet name read as a town), so
    # two reports agree on place when any of their places agree.
    towns: list[tuple[float, float]] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    # the countries of the places the text names for it (without those inferred from the
    # actors): two reports placed in different countries are different events
    placed: list[str] = field(default_factory=list)
    actor: str | None = None
    actor_parent: str | None = None
    actor_party: str | None = None
    target: str | None = None
    target_parent: str | None = None
    target_party: str | None = None
    salience: float = 0.0
    reported: bool = True
    opinion: bool = False  # the article is an opinion piece
    vector: np.ndarray | None = None
    # member spans, for the within-article grouping only
    _spans: list[tuple[int, int]] = field(default_factory=list, repr=False)
    _towns: list[tuple[float, float]] = field(default_factory=list, repr=False)
    _countries: set[str] = field(default_factory=set, repr=False)


def _natural(event_id: str) -> tuple:
    """Sort key that puts e2 before e10."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", event_id))


def article_reports(
    mentions: Sequence[EventMention], vectors: Sequence[np.ndarray | None] | None = None
) -> list[Report]:
    """Group one article's event mentions into reports, one per event it tells."""
    if not mentions:
        return []
    vecs = list(vectors) if vectors is not None else [None] * len(mentions)
    order = sorted(range(len(mentions)), key=lambda k: (mentions[k].position, _natural(mentions[k].event)))
    first = mentions[0]
    groups: list[Report] = []
    group_vecs: list[list[np.ndarray]] = []
    for k in order:
        m, v = mentions[k], vecs[k]
        fam = family(m.type, m.trigger)
        span, explicit = mention_interval(m)
        town = (m.lat, m.lon) if _has_town(m) else None
        best, best_score = None, -math.inf
        # "In a separate attack on Sunday, ..." tells another act, however near its day
        # and town: a report of its own, so its victims stay out of the main act's figures.
        another = tells_another_act(m.evidence.text if m.evidence else None)
        for g_i, g in enumerate(groups):
            if g.family != fam:
                continue
            if _same_sentence(g, m):
                # One sentence tells one event: its mentions stay together whatever dates or
                # places the stages attached to each ("KRAMATORSK (Wire) - A strike ...").
                best = g_i
                break
            if another or not _fits(g, span if explicit else None, town, m.place_country):
                continue
            score = _affinity(g, m, v, group_vecs[g_i])
            if score > best_score:
                best, best_score = g_i, score
        if best is None:
            groups.append(Report(article=m.article, order=m.order, family=fam, mentions=[],
                                 outlet=first.outlet, published=first.published,
                                 duplicate_of=first.duplicate_of,
                                 opinion=first.genre == "opinion"))
            group_vecs.append([])
            best = len(groups) - 1
        g = groups[best]
        g.mentions.append(m)
        if explicit and span is not None:
            g._spans.append(span)
        if town:
            g._towns.append(town)
        if m.place_country:
            g._countries.add(m.place_country)
        if v is not None and np.any(v):
            group_vecs[best].append(v)
    for g, gv in zip(groups, group_vecs, strict=True):
        _summarise(g, gv)
    top = max(groups, key=lambda g: (g.salience, -min(m.position for m in g.mentions)))
    lex = lexicon()
    for g in groups:
        # Inverted pyramid: what the lead tells is what the article is about; anything
        # else is context, unless it is the article's most salient event (features bury
        # the news under a scene-setting opening).
        g.reported = g is top or any(
            m.position <= settings.LINK_LEAD_SHARE
            and lex.weight.get(m.type, 1.0) >= settings.LINK_LEAD_MIN_WEIGHT
            and not m.negated
            for m in g.mentions
        )
    return groups


def mention_interval(m: EventMention) -> tuple[tuple[int, int] | None, bool]:
    """(days, explicit) of a mention's own date; a date after publication is not trusted.

    Events reported as facts happened before the article was written; a later date is a
    relative date resolved the wrong way ("Friday's strike" read as next Friday).
    """
    span, explicit = event_interval(m.date, m.date_precision, None)
    if explicit and span is not None and m.published:
        pub = day(m.published)
        if pub is not None and span[0] > pub:
            return None, False
    return span, explicit


def _same_sentence(g: Report, m: EventMention) -> bool:
    ev = m.evidence
    return ev is not None and any(
        x.evidence is not None and x.evidence.start == ev.start and x.evidence.end == ev.end
        for x in g.mentions
    )


def _has_town(m: EventMention) -> bool:
    return m.lat is not None and m.lon is not None and is_town(m.place_kind, m.place)


def _fits(g: Report, span: tuple[int, int] | None, town: tuple[float, float] | None,
          country: str | None = None) -> bool:
    # Against the group's day dates when it has some: a month it also carries is vaguer.
    spans = [s for s in g._spans if s[0] == s[1]] or g._spans
    if span is not None and any(gap(span, s) > settings.LINK_ARTICLE_DATE_GAP_DAYS for s in spans):
        return False
    # Placed in another country than everything in the group: another event (an article on
    # strikes in Yemen recalling the war in Gaza).
    if country and g._countries and country not in g._countries:
        return False
    return town is None or all(
        haversine_km(town[0], town[1], t[0], t[1]) <= settings.LINK_ARTICLE_PLACE_KM
        for t in g._towns
    )


def _affinity(g: Report, m: EventMention, v: np.ndarray | None, vecs: list[np.ndarray]) -> float:
    score = 0.0
    if any(x.type == m.type for x in g.mentions):
        score += 1.0
    if m.place and any(x.place == m.place for x in g.mentions):
        score += 1.0
    if m.actor_party and any(
        m.actor_party in (x.actor_party, x.target_party) for x in g.mentions
    ):
        score += 0.5
    if v is not None and vecs:
        score += float(np.mean([float(v @ w) for w in vecs]))
    # Mentions far apart in the text are less likely the same event: a tie-breaker only.
    score -= 0.5 * min(abs(m.position - x.position) for x in g.mentions)
    return score


def _most_common(values, weights=None):
    counts: Counter = Counter()
    first_seen: dict = {}
    for k, v in enumerate(values):
        if v is None:
            continue
        counts[v] += weights[k] if weights else 1.0
        first_seen.setdefault(v, k)
    if not counts:
        return None
    return max(counts, key=lambda v: (counts[v], -first_seen[v]))


def _is_country(party: str) -> bool:
    """Parties are ISO alpha-3 codes when the actor has a country."""
    return len(party) == 3 and party.isupper()


def _ranked_values(values) -> list:
    """Distinct non-empty values, most frequent first (ties: first seen)."""
    counts: Counter = Counter(v for v in values if v)
    first = {}
    for k, v in enumerate(values):
        first.setdefault(v, k)
    return sorted(counts, key=lambda v: (-counts[v], first[v]))


def _summarise(g: Report, vecs: list[np.ndarray]) -> None:
    lex = lexicon()
    ms = g.mentions
    weights = [lex.weight.get(m.type, 1.0) for m in ms]
    g.type = _most_common([m.type for m in ms], weights) or ms[0].type
    days = [s for s in g._spans if s[0] == s[1]]
    spans = days or g._spans
    if spans:
        g.span = (min(s[0] for s in spans), max(s[1] for s in spans))
        g.explicit, g.day_precise = True, bool(days)
    else:
        g.span, _ = event_interval(None, None, g.published)
    k = settings.LINK_MAX_PLACES
    towns = [m for m in ms if _has_town(m) and not m.negated] or [m for m in ms if _has_town(m)]
    by_place = _ranked_values([m.place for m in towns])[:k]
    picked = {m.place: m for m in reversed(towns)}
    g.towns = [(picked[p].lat, picked[p].lon) for p in by_place]
    g.countries = _ranked_values([m.place_country for m in ms])[:k]
    g.placed = list(g.countries)
    if towns:
        t = picked[by_place[0]]
        g.lat, g.lon, g.town, g.country = t.lat, t.lon, True, t.place_country
    else:
        g.country = g.countries[0] if g.countries else None
    live = [m for m in ms if not m.negated]
    g.actor = _most_common([m.actor for m in live])
    g.target = _most_common([m.target for m in live])
    for m in live:
        if m.actor == g.actor and g.actor:
            g.actor_parent, g.actor_party = m.actor_parent, m.actor_party
        if m.target == g.target and g.target:
            g.target_parent, g.target_party = m.target_parent, m.target_party
    # The target's country says where an act most likely happened (strikes on Houthi
    # targets are in Yemen); the actor's says so only when nothing else does (Russia's
    # strikes are in Ukraine).
    for p in (g.target_party, g.actor_party if not g.countries else None):
        if p and _is_country(p) and p not in g.countries:
            g.countries = [*g.countries[: settings.LINK_MAX_PLACES - 1], p]
            break
    if g.country is None and g.countries:
        g.country = g.countries[0]
    g.salience = sum(
        w * (1.0 + settings.LINK_LEAD_BONUS * (m.position <= settings.LINK_LEAD_SHARE))
        * (0.5 if m.negated else 1.0)
        for m, w in zip(ms, weights, strict=True)
    )
    if vecs:
        mean = np.mean(np.stack(vecs), axis=0)
        norm = float(np.linalg.norm(mean))
        g.vector = (mean / norm).astype(np.float32) if norm > 0 else None


# --------------------------------------------------------------------------- features


class _Features:
    """The reports as parallel arrays, so a batch of pairs is scored in a few numpy ops."""

    def __init__(self, reports: Sequence[Report], dim: int | None,
                 model: str | None = None, vec: np.ndarray | None = None) -> None:
        n = len(reports)
        self.model = model
        ids: dict[str | None, int] = {None: -1}

        def code(value: str | None) -> int:
            if value is None:
                return -1
            return ids.setdefault(value, len(ids) - 1)

        self.n = n
        self.art = np.array([code("a:" + r.article) for r in reports], dtype=np.int64)
        self.fam = np.array([code("f:" + r.family) for r in reports], dtype=np.int64)
        self.typ = np.array([code("t:" + r.type) for r in reports], dtype=np.int64)
        spans = [r.span for r in reports]
        self.has_span = np.array([s is not None for s in spans])
        self.lo = np.array([s[0] if s else 0 for s in spans], dtype=np.int64)
        self.hi = np.array([s[1] if s else 0 for s in spans], dtype=np.int64)
        self.strong = np.array([r.explicit and r.day_precise for r in reports])
        k = settings.LINK_MAX_PLACES
        self.town = np.array([bool(r.towns) for r in reports])
        self.lat = np.full((n, k), np.nan)
        self.lon = np.full((n, k), np.nan)
        self.country = np.full((n, k), -1, dtype=np.int64)
        self.placed = np.full((n, k), -1, dtype=np.int64)
        for x, r in enumerate(reports):
            for y, (lat, lon) in enumerate(r.towns[:k]):
                self.lat[x, y], self.lon[x, y] = math.radians(lat), math.radians(lon)
            for y, c in enumerate(r.countries[:k]):
                self.country[x, y] = code("c:" + c)
            for y, c in enumerate(r.placed[:k]):
                self.placed[x, y] = code("c:" + c)
        roles = ("actor", "actor_parent", "actor_party", "target", "target_parent", "target_party")
        for name in roles:
            setattr(self, name, np.array(
                [code("r:" + v) if (v := getattr(r, name)) else -1 for r in reports],
                dtype=np.int64,
            ))
        self.vec = vec  # the reports' vectors stacked already (not copied again)
        if dim and vec is None:
            self.vec = np.zeros((n, dim), dtype=np.float32)
            for k, r in enumerate(reports):
                if r.vector is not None:
                    self.vec[k] = r.vector
        if self.vec is not None:
            self.has_vec = np.any(self.vec != 0, axis=1)
        w_embed = settings.LINK_WEIGHT_EMBED if self.vec is not None else 0.0
        self.total = (settings.LINK_WEIGHT_DATE + settings.LINK_WEIGHT_PLACE
                      + settings.LINK_WEIGHT_ACTORS + settings.LINK_WEIGHT_TYPE + w_embed)

    def scores(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Pair scores (normalised evidence: 1 at best, about -0.86 at worst with the default
        weights, -0.75 without vectors: places in different countries and unlike sentences);
        -inf where a pair is impossible."""
        s = settings
        out = np.full(len(i), -np.inf)
        impossible = (self.art[i] == self.art[j]) | (self.fam[i] != self.fam[j])
        both = self.has_span[i] & self.has_span[j]
        g = np.maximum(0, np.maximum(self.lo[i], self.lo[j]) - np.minimum(self.hi[i], self.hi[j]))
        impossible |= both & (g > s.LINK_MAX_DATE_GAP_DAYS)
        keep = np.flatnonzero(~impossible)
        if not len(keep):
            return out
        # Only possible pairs pay for places, actors and vectors.
        i, j, g, both = i[keep], j[keep], g[keep], both[keep]
        gi = np.minimum(g, len(_STRONG_DATE) - 1)
        strong = self.strong[i] & self.strong[j]
        date = np.where(strong, _STRONG_DATE[gi], _WEAK_DATE[gi]) * both
        actor, target = self._role(i, j, "actor"), self._role(i, j, "target")
        total = (s.LINK_WEIGHT_DATE * date + s.LINK_WEIGHT_PLACE * self._place(i, j)
                 + s.LINK_WEIGHT_ACTORS * 0.5 * (actor + target)
                 + s.LINK_WEIGHT_TYPE * (self.typ[i] == self.typ[j]))
        if self.vec is not None:
            evidence = embed_evidence(self.cosines(i, j), self.model)
            # The same doer and the same target on the same precise day is already specific:
            # unlike sentences then say more about how each outlet writes (a blog's "a note on
            # Wednesday's strike") than about two events, so they count against it less.
            specific = strong & (g == 0) & (actor == 1.0) & (target == 1.0)
            evidence = np.where(specific & (evidence < 0),
                                evidence * s.LINK_SPECIFIC_DISSIMILARITY, evidence)
            total += s.LINK_WEIGHT_EMBED * evidence * (self.has_vec[i] & self.has_vec[j])
        out[keep] = total / self.total
        return out

    def _place(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        s = settings
        ci, cj = self.country[i][:, :, None], self.country[j][:, None, :]
        shared = ((ci == cj) & (ci >= 0)).reshape(len(i), -1).any(axis=1)
        known = (self.country[i][:, 0] >= 0) & (self.country[j][:, 0] >= 0)
        place = np.where(shared, s.LINK_PLACE_COUNTRY_SCORE,
                         np.where(known, -s.LINK_PLACE_COUNTRY_PENALTY, 0.0))
        towns = np.flatnonzero(self.town[i] & self.town[j])
        if len(towns):
            ti, tj = i[towns], j[towns]
            # the closest pair of the two reports' towns (NaN padding never wins)
            km = _haversine(self.lat[ti][:, :, None], self.lon[ti][:, :, None],
                            self.lat[tj][:, None, :], self.lon[tj][:, None, :])
            km = np.fmin.reduce(km.reshape(len(ti), -1), axis=1)
            near = np.clip((s.LINK_PLACE_MID_KM - km)
                           / (s.LINK_PLACE_MID_KM - s.LINK_PLACE_NEAR_KM), 0, 1)
            far = np.clip((km - s.LINK_PLACE_MID_KM)
                          / (s.LINK_PLACE_FAR_KM - s.LINK_PLACE_MID_KM), 0, 1)
            place[towns] = near - s.LINK_PLACE_FAR_PENALTY * far
        # Placed in different countries by the text itself: two attacks on one day with the
        # same wording ("militants attacked ... killing ...") in Niger and in Kenya. Nearly
        # fatal, not fatal: a dateline or a quoted capital can name a country the event is
        # not in, and the text and the other evidence may still say it is one event.
        pi, pj = self.placed[i][:, :, None], self.placed[j][:, None, :]
        apart = ((self.placed[i][:, 0] >= 0) & (self.placed[j][:, 0] >= 0)
                 & ~((pi == pj) & (pi >= 0)).reshape(len(i), -1).any(axis=1))
        place[apart] = -s.LINK_PLACE_COUNTRY_CONFLICT
        return place

    def cosines(self, i: np.ndarray, j: np.ndarray, chunk: int = 8192) -> np.ndarray:
        # In chunks: gathering both sides' rows for every pair at once would hold two
        # (pairs x dim) copies of the vectors.
        out = np.empty(len(i), dtype=np.float64)
        for k in range(0, len(i), chunk):
            a, b = self.vec[i[k:k + chunk]], self.vec[j[k:k + chunk]]
            out[k:k + chunk] = np.einsum("ij,ij->i", a, b)
        return out

    def _role(self, i: np.ndarray, j: np.ndarray, role: str) -> np.ndarray:
        ident = getattr(self, role)
        par = getattr(self, role + "_parent")
        pty = getattr(self, role + "_party")
        same_id = (ident[i] >= 0) & (ident[i] == ident[j])
        same_par = (par[i] >= 0) & (par[i] == par[j])
        same_pty = (pty[i] >= 0) & (pty[i] == pty[j])
        return np.where(same_id, 1.0, np.where(same_par, 0.8, np.where(same_pty, 0.5, 0.0)))


def embed_evidence(cos: np.ndarray, model: str | None = None) -> np.ndarray:
    """Cosine of evidence sentences -> evidence -1..1: sentences that tell different things
    (a market shelled, a substation hit) count against a pair that date, place and actor
    alone would join; on a busy day those agree for many different events. Each model has
    its own cosine scale (settings.LINK_EMBED_CALIBRATION).
    """
    low, mid, high = settings.LINK_EMBED_CALIBRATION.get(
        model or settings.LINK_EMBED_MODEL, settings.LINK_EMBED_CALIBRATION["minilm"]
    )
    up = (cos - mid) / (high - mid)
    down = (cos - mid) / (mid - low)
    return np.clip(np.where(cos >= mid, up, down), -1.0, 1.0)


# Date agreement by gap in days: both precise days / otherwise (a month, a publication date).
_STRONG_DATE = np.array([1.0, 0.6, 0.3, 0.1])
_WEAK_DATE = np.array([0.5, 0.3, 0.15, 0.05])


def _haversine(lat1, lon1, lat2, lon2) -> np.ndarray:
    h = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


# --------------------------------------------------------------------------- blocking


def _buckets(r: Report) -> range:
    """Date buckets the report's interval touches, widened by the date tolerance."""
    if r.span is None or r.span[1] - r.span[0] > settings.LINK_MAX_SPAN_DAYS:
        return range(0)
    tol = settings.LINK_MAX_DATE_GAP_DAYS
    size = settings.LINK_BLOCK_DAYS
    return range((r.span[0] - tol) // size, (r.span[1] + tol) // size + 1)


def block_keys(r: Report, by_type: bool = True) -> list[tuple]:
    """Blocking keys: (family, date bucket) x (place cell | country x (type | party)).

    Each report emits the keys of every bucket its interval touches, widened by the date
    tolerance, and of every place cell within LINK_BLOCK_RADIUS_KM. The country x type key
    catches reports whose actors the stages read differently; with evidence vectors the
    text keys (candidate_pairs) do that better, and ``by_type=False`` leaves it out.
    """
    buckets = _buckets(r)
    if not buckets:
        return []
    places: set[tuple] = set()
    cell = settings.LINK_BLOCK_CELL_DEG
    r_lat = settings.LINK_BLOCK_RADIUS_KM / 111.0
    for lat, lon in r.towns:
        r_lon = r_lat / max(0.1, math.cos(math.radians(lat)))
        for a in range(math.floor((lat - r_lat) / cell), math.floor((lat + r_lat) / cell) + 1):
            for b in range(math.floor((lon - r_lon) / cell), math.floor((lon + r_lon) / cell) + 1):
                places.add(("p", a, b))
    parties = ({"t:" + r.type} if by_type else set()) | {
        p for p in (r.actor_party, r.target_party) if p} or {"-"}
    for country in r.countries:
        places.update(("c", country, p) for p in parties)
    if not r.countries:
        places.update(("a", p) for p in parties)
    return [(r.family, b, *p) for b in buckets for p in sorted(places)]


def text_keys(vectors: np.ndarray, bands: int, bits: int) -> np.ndarray:
    """SimHash band codes (n, bands): reports whose evidence sentences are close in
    embedding space share a band code with high probability (random hyperplanes, fixed
    seed, so keys are the same in every run).
    """
    rng = np.random.default_rng(20240406)
    planes = rng.standard_normal((vectors.shape[1], bands * bits)).astype(np.float32)
    signs = (vectors @ planes > 0).reshape(len(vectors), bands, bits)
    return (signs * (1 << np.arange(bits))).sum(axis=2)


def candidate_pairs(
    reports: Sequence[Report], vectors: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i < j) of reports sharing a block, deduplicated.

    Blocks are (family, date bucket) x place, country or party keys, and, when evidence
    vectors are given, x SimHash band of the evidence: places and actors as the stages
    read them are noisy (an outlet's name taken for a town), and two accounts of one event
    told in similar words should meet even when their places disagree.

    Every block is compared by sorted neighbourhood: its members in date order, each with
    the next LINK_BLOCK_WINDOW. A block of up to WINDOW + 1 members is so compared in full;
    a denser one (a busy day in one country) costs WINDOW comparisons per member, which
    keeps the whole step linear. Done on arrays (one row per report and key), never with a
    Python loop over blocks.
    """
    key_arr, own_arr = key_rows(reports, vectors)
    return window_pairs(key_arr, own_arr, report_starts(reports), len(reports))


def report_starts(reports: Sequence[Report]) -> np.ndarray:
    """Each report's first day (0 when undated): its place in a block's date order."""
    return np.array([r.span[0] if r.span else 0 for r in reports], dtype=np.int64)


def key_rows(
    reports: Sequence[Report], vectors: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(block key, report index) rows of every report. Keys are stable 64-bit integers (the
    same in every process), so the incremental linker can keep them in the store."""
    keys: array[int] = array("q")
    owner: array[int] = array("q")
    bucket_rows: array[int] = array("q")  # (report, family code, bucket) triples, flat
    use_text = vectors is not None and settings.LINK_LSH_BANDS > 0
    for k, r in enumerate(reports):
        block = block_keys(r, by_type=not use_text)
        for key in block:
            keys.append(_stable_hash(key))
            owner.append(k)
        if use_text and block and r.vector is not None:
            fam = _stable_code(r.family) % 1_000_003
            for b in _buckets(r):
                bucket_rows.extend((k, fam, b))
    key_arr = np.frombuffer(keys, dtype=np.int64) if keys else np.zeros(0, dtype=np.int64)
    own_arr = np.frombuffer(owner, dtype=np.int64) if owner else np.zeros(0, dtype=np.int64)
    if bucket_rows:
        bands, bits = settings.LINK_LSH_BANDS, settings.LINK_LSH_BITS
        rows = np.frombuffer(bucket_rows, dtype=np.int64).reshape(-1, 3)
        codes = _text_codes(vectors, rows[:, 0], bands, bits)  # (rows, bands)
        band = np.arange(bands, dtype=np.int64)
        text = ((rows[:, 1:2] * 1_000_003 + rows[:, 2:3]) * bands + band) * (1 << bits) + codes
        # A namespace bit keeps text keys apart from the hashed place/party keys.
        key_arr = np.concatenate([key_arr, text.ravel() | (1 << 61)])
        own_arr = np.concatenate([own_arr, np.repeat(rows[:, 0], bands)])
    return key_arr, own_arr


def _text_codes(vectors: np.ndarray, rows: np.ndarray, bands: int, bits: int,
                chunk: int = 16_384) -> np.ndarray:
    # In float64: a report's keys must not depend on which others were linked with it
    # (incremental linking), and a matrix product may round differently with the number of
    # rows it holds; in float64 that moves a projection's sign only within ~1e-15 of zero.
    # In chunks: a float64 copy of every vector would double a million reports' matrix.
    distinct, back = np.unique(rows, return_inverse=True)
    codes = np.empty((len(distinct), bands), dtype=np.int64)
    for k in range(0, len(distinct), chunk):
        vecs = np.asarray(vectors[distinct[k:k + chunk]], dtype=np.float64)
        codes[k:k + chunk] = text_keys(vecs, bands, bits)
    return codes[back.ravel()]


def window_pairs(
    key_arr: np.ndarray, own_arr: np.ndarray, start: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Sorted-neighbourhood pairs of (key, owner) rows: within each key, owners in (start
    day, index) order, each with the next LINK_BLOCK_WINDOW; (i < j), deduplicated."""
    return sorted_window_pairs(*sort_blocks(key_arr, own_arr, start), n)


def sort_blocks(key_arr: np.ndarray, own_arr: np.ndarray, start: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    """(key, owner) rows sorted by key, then the owner's start day and index."""
    order = np.lexsort((own_arr, start[own_arr], key_arr))
    return key_arr[order], own_arr[order].astype(np.int32)


def sorted_window_pairs(key_s: np.ndarray, own_s: np.ndarray, n: int,
                        part: tuple[int, int] = (0, 1)) -> tuple[np.ndarray, np.ndarray]:
    """``window_pairs`` of rows ``sort_blocks`` sorted; with ``part`` (p, parts), only the
    pairs whose first report's index is p modulo parts: every pair is in one part, so a
    large corpus's pairs can be made and scored a part at a time."""
    p, parts = part
    found: list[np.ndarray] = []
    for step in range(1, int(settings.LINK_BLOCK_WINDOW) + 1):
        same = np.flatnonzero(key_s[:-step] == key_s[step:])
        if not len(same):
            break
        a, b = own_s[same], own_s[same + step]
        keep = a != b
        a, b = a[keep].astype(np.int64), b[keep].astype(np.int64)
        low = np.minimum(a, b)
        if parts > 1:
            mine = low % parts == p
            low, b, a = low[mine], b[mine], a[mine]
        found.append(_dedupe(low * n + np.maximum(a, b)))
        if len(found) >= 8:  # fold as we go: raw pairs repeat across keys and steps
            found = [_dedupe(np.concatenate(found))]
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    code = _dedupe(np.concatenate(found))
    return code // n, code % n


@functools.lru_cache(maxsize=1 << 16)
def _stable_code(value: str) -> int:
    return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=7).digest(), "big")


@functools.lru_cache(maxsize=1 << 20)  # keys repeat across the reports of a day and place
def _stable_hash(key: tuple) -> int:
    """A block key as a 64-bit integer that is the same in every process: Python's own hash
    of a string changes with each interpreter (PYTHONHASHSEED), of a tuple of ints it does
    not."""
    return hash(tuple(_stable_code(p) if isinstance(p, str) else p for p in key))


def _dedupe(codes: np.ndarray) -> np.ndarray:
    """Sorted distinct values (sort-based: numpy's hash-based unique is slower on int64)."""
    codes = np.sort(codes)
    return codes[np.concatenate(([True], codes[1:] != codes[:-1]))] if len(codes) else codes


# --------------------------------------------------------------------------- clustering


def cluster_reports(
    reports: Sequence[Report], dim: int | None = None, model: str | None = None
) -> list[list[int]]:
    """Average-link clustering of reports over candidate pairs; lists of report indices."""
    if not reports:
        return []
    features = _Features(reports, dim, model)
    i, j, scores = linked_pairs(features, *candidate_pairs(reports, features.vec))
    return cluster_pairs(reports, features, i, j, scores)


def linked_pairs(features: _Features, i: np.ndarray, j: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The candidate pairs that score at least LINK_PAIR_THRESHOLD, with their scores: the
    only edges a merge can start from."""
    if not len(i):
        return i, j, np.zeros(0)
    scores = np.concatenate([
        features.scores(i[k:k + 500_000], j[k:k + 500_000]) for k in range(0, len(i), 500_000)
    ])
    keep = scores >= settings.LINK_PAIR_THRESHOLD
    return i[keep], j[keep], scores[keep]


def cluster_pairs(reports: Sequence[Report], features: _Features, i: np.ndarray,
                  j: np.ndarray, scores: np.ndarray) -> list[list[int]]:
    """Average-link clustering over linked pairs (``linked_pairs``).

    Merges follow the pairs, so what happens inside one connected group of pairs depends on
    that group alone, and on its reports' relative order: the incremental linker relies on
    it (link/incremental.py)."""
    n = len(reports)
    parent = list(range(n))
    members: dict[int, list[int]] = {k: [k] for k in range(n)}
    if len(i):
        # Accounts an article is about meet first, best first (ties in a fixed order): a
        # passing recap ("the army had said on Tuesday that it freed 104") must not take
        # the place in a story that its article's own report of the episode should have.
        reported = np.array([r.reported for r in reports], dtype=np.int8)
        order = np.lexsort((j, i, -scores, -(reported[i] + reported[j])))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        rejected: dict[tuple[int, int], tuple[int, int]] = {}
        for k in order:
            a, b = find(int(i[k])), find(int(j[k]))
            if a == b:
                continue
            key = (min(a, b), max(a, b))
            sizes = (len(members[key[0]]), len(members[key[1]]))
            if rejected.get(key) == sizes:
                continue
            # Two single reports: their average link is this edge's score, already above
            # the threshold.
            if sizes != (1, 1) and not _can_merge(features, members[a], members[b]):
                rejected[key] = sizes
                continue
            if len(members[a]) < len(members[b]):
                a, b = b, a
            parent[b] = a
            members[a].extend(members.pop(b))
    return [sorted(m) for root, m in sorted(members.items()) if parent[root] == root]


def _can_merge(features: _Features, a: list[int], b: list[int]) -> bool:
    cap = settings.LINK_CHECK_MEMBERS
    a_arr = np.asarray(sorted(a)[:cap])
    b_arr = np.asarray(sorted(b)[:cap])
    i = np.repeat(a_arr, len(b_arr))
    j = np.tile(b_arr, len(a_arr))
    s = features.scores(i, j)
    if not np.all(np.isfinite(s)):
        return False
    return float(s.mean()) >= settings.LINK_CLUSTER_THRESHOLD


# --------------------------------------------------------------------------- entry point


def build_reports(
    mentions: Sequence[EventMention], vectors: np.ndarray | None = None
) -> list[Report]:
    """Every article's reports, articles in ingest order."""
    by_article: dict[str, list[int]] = defaultdict(list)
    for k, m in enumerate(mentions):
        by_article[m.article].append(k)
    reports: list[Report] = []
    for article in sorted(by_article, key=lambda a: (mentions[by_article[a][0]].order, a)):
        idx = by_article[article]
        vecs = [vectors[k] for k in idx] if vectors is not None else None
        reports.extend(article_reports([mentions[k] for k in idx], vecs))
    return reports


def story_id(mentions: Sequence[EventMention]) -> str:
    """Stable id from the earliest member (ingest order, article id, event id)."""
    first = min(mentions, key=lambda m: (m.order, m.article, _natural(m.event)))
    digest = hashlib.sha1(f"{first.article}\x1f{first.event}".encode()).hexdigest()
    return "s-" + digest[:12]
