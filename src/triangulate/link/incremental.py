"""Incremental linking: new articles linked into the stories a store holds, with exactly the
stories a full relink of the store would give.

Why it can be exact. Linking (stories.py) merges reports only along *linked pairs*:
candidate pairs (reports sharing a block, within LINK_BLOCK_WINDOW of each other in the
block's date order) that score at least LINK_PAIR_THRESHOLD; political articles join
stories along their own candidate pairs (articles.py). So the stories inside one connected
*component* of those edges depend on that component's reports alone, and on their relative
order (ingest order, then the report's number in its article), never on any other report.

What new reports can change:

* pairs with a new report: only in the blocks the new reports fall in (their *touched*
  keys);
* pairs between old reports: only lost, never gained, and only in touched blocks (a new
  member of a dense block pushes two old ones further apart in its sorted neighbourhood);
* political joins: a new political article's candidate pairs with stored ones.

So an update takes the old components with a linked pair that the new reports make (an
old report linked to a new one) or push apart (in a touched block), or a political article
paired with a new one; a component with neither keeps every linked pair it had and gains
none. It puts their reports together with the new ones (the *affected* set), recomputes every candidate pair of the affected set from the full
membership of each of its blocks (members outside the set take part in the window, and a
linked pair never leaves the set: its other end would be in the same old component), and
clusters, joins and builds stories for the affected set exactly as a full relink does.
Every other component, and its stories, stays as stored. New articles must come after
every linked article in ingest order (else their reports would change the relative order
the tie-breaks use): when they do not, or the linking settings, embedding model or Python
version changed, or a linked article is gone or was analysed again, ``plan`` asks for a
full relink instead.

What the store keeps for it (one transaction per link, so a killed link leaves the last
complete state): every report pickled with its component and story
(``link_reports``), every report's block keys (``link_blocks``), and per article its
political-article summary and running counts (``link_articles``).

Story ids are stable (the id of a story is that of its earliest member), so a story keeps
its id as long as no earlier report joins it; when two stories are joined the later one's id
is redirected to the joined story (store.story_redirects).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import pickle
import sys
import tempfile
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, make_dataclass, replace

import numpy as np

from triangulate import datafiles, settings
from triangulate.link.articles import (
    _Article,
    _candidates,
    _political_articles,
    _same_act,
    join_political,
)
from triangulate.link.linker import LinkResult, stories_of
from triangulate.link.stories import (
    Report,
    _Features,
    _stable_hash,
    article_reports,
    build_reports,
    cluster_pairs,
    key_rows,
    linked_pairs,
    report_starts,
    sort_blocks,
    sorted_window_pairs,
    window_pairs,
)
from triangulate.link.tolls import toll_series

# A report's sequence number: its article's place in ingest order, then its number in the
# article (reports of one article are far fewer than 2**16).
SEQ_BITS = 16
STATE_VERSION = 1


def seq(order: int, idx: int) -> int:
    return (order << SEQ_BITS) | idx


@dataclass
class LinkState:
    """What a link pass leaves in the store for the next one (store.save_link_state)."""

    # (seq, article, component, story id, pickled report, pickled features)
    reports: list[tuple[int, str, int, str, bytes, bytes]] = field(default_factory=list)
    # (block key, seq, start day) rows
    keys: np.ndarray = field(default_factory=lambda: np.zeros((0, 3), dtype=np.int64))
    # (article, order, pickled political summary or None, pickled running counts)
    articles: list[tuple[str, int, int | None, bytes | None, bytes]] = field(default_factory=list)
    # an update: the stored components it replaces (None: a full relink replaces all)
    components: list[int] | None = None


def fingerprint(embedder: str | None) -> str:
    """What a stored link state was made with: the embedding model and every linking
    setting; a state made with other ones is not extended, the store is relinked."""
    values = {k: repr(getattr(settings, k)) for k in dir(settings) if k.startswith("LINK_")}
    # and the linking word lists (data/link/): a report built with other ones is another
    values["data"] = [hashlib.sha1(f.read_bytes()).hexdigest()
                      for f in sorted(datafiles.path("link").iterdir()) if f.is_file()]
    digest = hashlib.sha1(json.dumps(values, sort_keys=True).encode()).hexdigest()[:16]
    # Block keys are hashes of int tuples: stable across processes, not across every
    # Python version (the tuple hash changed in 3.8), so the version is part of the state.
    python = "{}.{}".format(*sys.version_info[:2])
    return json.dumps({"version": STATE_VERSION, "embedder": embedder, "settings": digest,
                       "python": python})


# --------------------------------------------------------------------------- full


def link_full(
    mentions: Sequence, vectors: np.ndarray | None, points: dict[str, list],
    orders: dict[str, int], dim: int | None, model: str | None = None,
) -> tuple[LinkResult, LinkState]:
    """Link everything: the LinkResult (as ``link.link``) and the state to extend later.
    ``points``: each article's running counts (tolls.toll_points); ``orders``: every
    article's place in ingest order (articles without events included)."""
    reports, vec = stream_reports(by_article(mentions, vectors), dim)
    payloads = [_blobs(r) for r in reports]  # before linking marks any
    seqs = _seqs(reports)
    keys, owners = key_rows(reports, vec)
    starts = report_starts(reports)
    political = _political_articles(reports)
    i, j = window_pairs(keys, owners, starts, len(reports))
    result, components, story_of = _link_closed(reports, seqs, i, j, political, dim, model, vec)
    result.tolls = toll_series([p for a in sorted(orders, key=orders.get) for p in points.get(a, [])])
    state = LinkState(
        reports=[(seqs[k], r.article, components[k], story_of[k], *payloads[k])
                 for k, r in enumerate(reports)],
        keys=np.stack([keys, np.asarray(seqs, dtype=np.int64)[owners], starts[owners]], axis=1)
        if len(keys) else np.zeros((0, 3), dtype=np.int64),
        articles=_article_rows(reports, seqs, political, points, orders),
    )
    return result, state


def link_stream(articles: Iterable[tuple[list, np.ndarray | None]], dim: int | None,
                model: str | None = None, capacity: int | None = None) -> LinkResult:
    """Link a stream of articles, each (its mentions, their vectors), in ingest order, with
    the stories ``link.link`` gives, holding far less: each article's mention vectors are
    dropped once its reports are built (reports keep one row each of a single matrix), each
    report waits on disk (``_Shelf``) until its story is built while a slim copy is linked,
    and no link state is kept. ``capacity``: an upper bound of the reports (the number of
    mentions will do), so that matrix is allocated once. What the 1M-record benchmark runs."""
    with _Shelf() as shelf, _no_cycle_collection():
        reports, vec = stream_reports(articles, dim, capacity, shelf)
        keys, owners = key_rows(reports, vec)
        _stable_hash.cache_clear()  # up to a million block keys, not needed again
        key_s, own_s = sort_blocks(keys, owners, report_starts(reports))
        del keys, owners
        # Candidate pairs a part at a time, each part scored and only its linked pairs kept
        # (a few in a hundred): a million records' candidate pairs at once are GBs.
        n, parts = len(reports), max(1, -(-len(key_s) // settings.STREAM_ROWS_PER_PART))
        features = _Features(reports, dim, model, vec)
        linked = []
        for p in range(parts):
            i, j, scores = linked_pairs(features, *sorted_window_pairs(key_s, own_s, n, (p, parts)))
            linked.append((i * n + j, scores))
        del key_s, own_s
        code = np.concatenate([c for c, _s in linked])
        order = np.argsort(code, kind="stable")  # the order one part would give: by pair
        scores = np.concatenate([s for _c, s in linked])[order]
        code = code[order]
        i, j = code // n, code % n
        clusters = join_political(
            reports, cluster_pairs(reports, features, i, j, scores), shelf.political)
        return stories_of(shelf, clusters)


@contextlib.contextmanager
def _no_cycle_collection():
    """Python's cycle collector off while linking: each of its full passes walks every live
    object, and linking keeps a report object per report alive, so with it on linking time
    grew faster than the reports (100,000 records: 44-56 s with it, 21 s without).
    Linking makes no reference cycles worth collecting."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# A report without its mentions and within-article working lists, in slots: a third of a
# Report's memory, and all that blocking, scoring and clustering read.
_SLIM = [f.name for f in fields(Report) if f.name != "mentions" and not f.name.startswith("_")]
_Slim = make_dataclass("_Slim", [(f.name, f.type, f) for f in fields(Report) if f.name in _SLIM],
                       slots=True)


class _Shelf(Sequence):
    """A stream's reports whole (with their mentions) in a temporary file, while the list
    ``stream_reports`` returns holds them without: clustering needs a report's facts, only
    its story needs its mentions, and a million records' mentions as Python objects are
    several GB. ``shelf[k]`` reads report k back with what linking set on it since (its
    vector row, whether it is reported)."""

    def __init__(self) -> None:
        # closed by __exit__: the shelf is the file's context
        self.file = tempfile.TemporaryFile()  # noqa: SIM115
        self.ends = array("q")
        self.slim: list = []  # _Slim reports
        self.political: list[_Article] = []

    def __enter__(self) -> _Shelf:
        return self

    def __exit__(self, *exc) -> None:
        self.file.close()

    def put(self, reports: list[Report]) -> list:
        """One article's reports, built: shelved whole; returns them slim."""
        for a in _political_articles(reports):  # needs the mentions: per article, as a whole
            a.report += len(self.slim)
            self.political.append(a)
        for r in reports:
            vector, r.vector = r.vector, None  # the vector is a row of the stream's matrix
            self.file.write(pickle.dumps(r, protocol=5))
            self.ends.append(self.file.tell())
            r.vector = vector
            self.slim.append(_Slim(**{name: getattr(r, name) for name in _SLIM}))
        return self.slim[len(self.slim) - len(reports):]

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, k):  # type: ignore[override]
        start = self.ends[k - 1] if k else 0
        self.file.seek(start)
        r = pickle.loads(self.file.read(self.ends[k] - start))
        r.vector, r.reported = self.slim[k].vector, self.slim[k].reported
        return r


def by_article(mentions: Sequence, vectors: np.ndarray | None):
    """(mentions, vectors) of each article, in the order build_reports takes them."""
    groups: dict[str, list[int]] = {}
    for k, m in enumerate(mentions):
        groups.setdefault(m.article, []).append(k)
    for article in sorted(groups, key=lambda a: (mentions[groups[a][0]].order, a)):
        idx = groups[article]
        yield [mentions[k] for k in idx], (vectors[idx] if vectors is not None else None)


def stream_reports(articles, dim: int | None, capacity: int | None = None,
                   shelf: _Shelf | None = None) -> tuple[list[Report], np.ndarray | None]:
    """Every article's reports (stories.article_reports), and with ``dim`` their vectors as
    one matrix whose rows the reports' ``vector`` are (None stays None). With a ``shelf``,
    each article's reports are shelved as they are built, and those returned are slim."""
    reports: list[Report] = []
    rows: list[np.ndarray] = []
    vec = np.zeros((capacity, dim), dtype=np.float32) if dim and capacity else None
    for mentions, vectors in articles:
        built = article_reports(mentions, list(vectors) if vectors is not None else None)
        for r in built:
            if dim and r.vector is not None:
                if vec is not None:
                    vec[len(reports)] = r.vector
                    r.vector = vec[len(reports)]
                else:
                    rows.append(r.vector)
            reports.append(r)
        if shelf is not None:
            reports[len(reports) - len(built):] = shelf.put(built)
    if not dim:
        return reports, None
    if vec is not None:
        return reports, vec[:len(reports)]
    vec = np.zeros((len(reports), dim), dtype=np.float32)
    got = iter(rows)
    for k, r in enumerate(reports):
        if r.vector is not None:
            vec[k] = next(got)
            r.vector = vec[k]
    return reports, vec


# --------------------------------------------------------------------------- update


def plan(store, embedder: str | None) -> list[tuple[str, int]] | None:
    """The analysed articles not linked yet, with their places in ingest order, when the
    stored state can be extended with them; None when the store needs a full relink."""
    if store.link_state_meta() != fingerprint(embedder) or store.linked_analyses_changed():
        return None
    analysed = store.analysed_in_order()
    linked = store.linked_articles()
    if len(linked) > len(analysed):
        return None
    for order, article in enumerate(analysed[:len(linked)]):
        if linked.get(article) != order:
            return None
    return [(a, len(linked) + k) for k, a in enumerate(analysed[len(linked):])]


def link_update(
    store, mentions: Sequence, vectors: np.ndarray | None, points: dict[str, list],
    orders: dict[str, int], dim: int | None, model: str | None = None,
) -> tuple[LinkResult, LinkState]:
    """Link new articles' mentions into the stored state (``plan`` said it can be extended;
    ``orders`` are the places it gave) and work out the stories that change. Returns the
    LinkResult (the stories rebuilt, new or changed, with in ``replaced`` the ids of the
    stored stories they replace, and every toll series) and the state to save
    (store.save_link_state)."""
    new = build_reports(mentions, vectors)
    payloads = [_blobs(r) for r in new]
    new_seqs = _seqs(new)
    new_keys, new_owners = key_rows(new, _vector_matrix(new, dim))
    new_political = _political_articles(new)
    new_articles = _article_rows(new, new_seqs, new_political, points, orders)
    new_rows = np.stack([new_keys, np.asarray(new_seqs, dtype=np.int64)[new_owners],
                         report_starts(new)[new_owners]], axis=1) if len(new_keys) else \
        np.zeros((0, 3), dtype=np.int64)

    # The old components the new reports reach: through a linked pair in a shared block, a
    # linked pair they push apart, or a political pair.
    components = _reached(store, new, new_seqs, new_rows, dim, model)
    stored_political = [(c, pickle.loads(blob)) for c, _lead, blob in store.link_political()]
    for p in new_political:
        components.update(c for c, q in stored_political if _same_act(p, q))
    components = sorted(components)
    old_rows = store.link_reports_of(components)  # (seq, story, report, features)

    # The affected set, in the order a full relink holds it.
    entries = [(s, pickle.loads(p), (p, f)) for s, _story, p, f in old_rows]
    entries += [(new_seqs[k], r, payloads[k]) for k, r in enumerate(new)]
    entries.sort(key=lambda e: e[0])
    seqs = [e[0] for e in entries]
    reports = [e[1] for e in entries]
    local = {s: k for k, s in enumerate(seqs)}

    # Every candidate pair of the affected set, from the whole membership of its blocks.
    rows = store.link_block_rows(components, np.unique(new_keys))
    i, j = _pairs_within(np.concatenate([rows, new_rows]), local)

    political = []
    for _c, lead, blob in store.link_political(components):
        a = pickle.loads(blob)
        a.report = local[lead]
        political.append(a)
    for a in new_political:
        political.append(replace(a, report=local[new_seqs[a.report]]))
    political.sort(key=lambda a: a.report)

    result, comp, story_of = _link_closed(reports, seqs, i, j, political, dim, model)
    result.replaced = sorted({row[1] for row in old_rows})
    result.tolls = toll_series(toll_points_of(store.link_toll_blobs()) + [
        p for article in sorted(orders, key=orders.get) for p in points.get(article, [])])
    state = LinkState(
        reports=[(s, reports[k].article, comp[k], story_of[k], *entries[k][2])
                 for k, s in enumerate(seqs)],
        keys=new_rows, articles=new_articles, components=components,
    )
    return result, state


def _reached(store, new: list[Report], new_seqs: list[int], new_rows: np.ndarray,
             dim: int | None, model: str | None) -> set[int]:
    """The stored components whose stories the new reports can change through blocks: those
    of old reports that a new one forms a linked pair with, and of linked pairs between old
    reports that the new ones push out of each other's sorted neighbourhood. (A component
    with neither keeps every linked pair it had and gains none, so its stories stay.)"""
    if not len(new_rows):
        return set()
    old = store.link_block_rows([], np.unique(new_rows[:, 0]))
    rows = np.concatenate([old, new_rows])
    everyone, owner = np.unique(rows[:, 1], return_inverse=True)
    owner = owner.ravel()
    start = np.zeros(len(everyone), dtype=np.int64)
    start[owner] = rows[:, 2]
    n = len(everyone)
    bi, bj = window_pairs(old[:, 0], owner[:len(old)], start, n)
    ai, aj = window_pairs(rows[:, 0], owner, start, n)
    is_new = np.isin(everyone, np.asarray(new_seqs, dtype=np.int64))
    fresh = is_new[ai] | is_new[aj]
    lost = np.setdiff1d(bi * n + bj, ai * n + aj, assume_unique=True)
    pi = np.concatenate([ai[fresh], lost // n])
    pj = np.concatenate([aj[fresh], lost % n])
    if not len(pi):
        return set()
    ends = np.unique(np.concatenate([pi, pj]))
    wanted = everyone[ends[~is_new[ends]]]
    stored = {s: (c, _features(f)) for s, c, f in store.link_features_by_seq(wanted)}
    by_seq = {s: r for s, (_c, r) in stored.items()}
    by_seq.update(zip(new_seqs, new, strict=True))
    order = sorted(by_seq)
    at = {s: k for k, s in enumerate(order)}
    features = _Features([by_seq[s] for s in order], dim, model)
    to_local = np.array([at.get(int(s), -1) for s in everyone[ends]], dtype=np.int64)
    li = to_local[np.searchsorted(ends, pi)]
    lj = to_local[np.searchsorted(ends, pj)]
    i, j, _scores = linked_pairs(features, li, lj)
    reached = set()
    for k in np.unique(np.concatenate([i, j])):
        s = order[int(k)]
        if s in stored:
            reached.add(stored[s][0])
    return reached


def _pairs_within(rows: np.ndarray, local: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted-neighbourhood pairs over (key, seq, start) rows, kept where both reports are in
    ``local`` (seq -> index in the affected set), as affected-set indices."""
    if not len(rows):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    everyone, owner = np.unique(rows[:, 1], return_inverse=True)
    start = np.zeros(len(everyone), dtype=np.int64)
    start[owner.ravel()] = rows[:, 2]
    i, j = window_pairs(rows[:, 0], owner.ravel(), start, len(everyone))
    to_local = np.array([local.get(int(s), -1) for s in everyone], dtype=np.int64)
    a, b = to_local[i], to_local[j]
    keep = (a >= 0) & (b >= 0)
    # everyone is in seq order, as the affected set is: a < b holds still
    return a[keep], b[keep]


# --------------------------------------------------------------------------- shared


def _link_closed(
    reports: list[Report], seqs: list[int], i: np.ndarray, j: np.ndarray,
    political: list[_Article], dim: int | None, model: str | None,
    vec: np.ndarray | None = None,
) -> tuple[LinkResult, list[int], list[str]]:
    """Cluster a set of reports closed under linked pairs (everything, or an affected set):
    the LinkResult, each report's component (the smallest seq in it) and its story id."""
    clusters, i, j = _cluster(reports, i, j, political, dim, model, vec)
    edges = [(int(a), int(b)) for a, b in zip(i, j, strict=True)]
    edges += [(political[x].report, political[y].report) for x, y in _candidates(political)]
    result = stories_of(reports, clusters)
    story = {(a, e): s for s, a, e in result.members}
    story_of = [story[(r.mentions[0].article, r.mentions[0].event)] for r in reports]
    return result, _components(seqs, edges), story_of


def _cluster(
    reports: Sequence[Report], i: np.ndarray, j: np.ndarray, political: list[_Article],
    dim: int | None, model: str | None, vec: np.ndarray | None = None,
) -> tuple[list[list[int]], np.ndarray, np.ndarray]:
    """The clusters of candidate pairs (i, j), political articles joined, and the linked
    pairs among the candidates."""
    features = _Features(reports, dim, model, vec)
    i, j, scores = linked_pairs(features, i, j)
    clusters = join_political(reports, cluster_pairs(reports, features, i, j, scores), political)
    return clusters, i, j


def _components(seqs: list[int], edges: list[tuple[int, int]]) -> list[int]:
    parent = list(range(len(seqs)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the root is the member first in seq order
    return [seqs[find(k)] for k in range(len(seqs))]


def _blobs(r: Report) -> tuple[bytes, bytes]:
    """A report pickled whole, and its features alone (without its mentions, the vector as
    raw bytes): what scoring a pair needs, ten times faster to read back."""
    slim = replace(r, mentions=[], vector=None, _spans=[], _towns=[], _countries=set())
    vector = r.vector.astype(np.float32).tobytes() if r.vector is not None else None
    return pickle.dumps(r, protocol=5), pickle.dumps((slim, vector), protocol=5)


def _features(blob: bytes) -> Report:
    slim, vector = pickle.loads(blob)
    if vector is not None:
        slim.vector = np.frombuffer(vector, dtype=np.float32)
    return slim


def _seqs(reports: Sequence[Report]) -> list[int]:
    out, last, idx = [], None, 0
    for r in reports:
        idx = idx + 1 if r.article == last else 0
        last = r.article
        out.append(seq(r.order, idx))
    return out


def _vector_matrix(reports: Sequence[Report], dim: int | None) -> np.ndarray | None:
    if not dim:
        return None
    vec = np.zeros((len(reports), dim), dtype=np.float32)
    for k, r in enumerate(reports):
        if r.vector is not None:
            vec[k] = r.vector
    return vec


def _article_rows(reports, seqs, political, points, orders):
    """One row per article: (article, order, its lead report's seq and political summary
    when it is a political article, its running counts); articles with no event get one
    too."""
    summary = {reports[a.report].article: (seqs[a.report], pickle.dumps(a, protocol=5))
               for a in political}
    rows = []
    for article, order in sorted(orders.items(), key=lambda kv: kv[1]):
        lead, blob = summary.get(article, (None, None))
        rows.append((article, order, lead, blob, pickle.dumps(points.get(article, []), protocol=5)))
    return rows


def toll_points_of(blobs: Sequence[bytes]) -> list:
    return [p for blob in blobs for p in pickle.loads(blob)]
