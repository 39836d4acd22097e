"""Linking with Ray: pair scoring and the clustering of components in parallel tasks.

Linking splits where incremental linking does (link/incremental.py): the stories of one
connected component of linked pairs (and political pairs) depend on its reports alone. So
the driver builds the reports, their block keys and candidate pairs (one sort over all
keys), sends the candidate pairs to tasks in chunks to be scored against the reports'
features (put in Ray's object store once), joins the linked pairs into components, and
sends groups of whole components to tasks that cluster them and build their stories. The
stories are those ``link.link`` gives for the same records (tests/scale/test_ray_link.py).

What stays on the driver: building reports (per article, one pass), the block keys and the
candidate-pair sort, and gathering the stories. On one machine the local path is as fast;
Ray pays off on a cluster, where scoring and clustering (about half of linking's time on
the synthetic benchmark) spread over its CPUs.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from triangulate.link.articles import _candidates, _political_articles
from triangulate.link.incremental import _components, _link_closed, _seqs, stream_reports
from triangulate.link.linker import LinkResult, story_order
from triangulate.link.stories import _Features, key_rows, linked_pairs, report_starts, window_pairs

PAIR_CHUNK = 500_000  # candidate pairs a scoring task takes


def link_ray(articles: Iterable[tuple[list, np.ndarray | None]], dim: int | None,
             model: str | None = None, tasks: int | None = None,
             capacity: int | None = None) -> LinkResult:
    """``incremental.link_stream`` with scoring and clustering in Ray tasks (Ray must be
    initialised: a local instance or a cluster's, see docs/performance.md). ``tasks``:
    how many clustering tasks (default: twice the cluster's CPUs)."""
    import ray

    reports, vec = stream_reports(articles, dim, capacity)
    if not reports:
        return LinkResult()
    seqs = _seqs(reports)
    keys, owners = key_rows(reports, vec)
    i, j = window_pairs(keys, owners, report_starts(reports), len(reports))
    del keys, owners
    political = _political_articles(reports)

    features = ray.put(_Features(reports, dim, model, vec))
    scored = ray.get([_score.remote(features, i[k:k + PAIR_CHUNK], j[k:k + PAIR_CHUNK])
                      for k in range(0, len(i), PAIR_CHUNK)])
    li = np.concatenate([s[0] for s in scored]) if scored else np.zeros(0, dtype=np.int64)
    lj = np.concatenate([s[1] for s in scored]) if scored else np.zeros(0, dtype=np.int64)
    del features, scored

    edges = [(int(a), int(b)) for a, b in zip(li, lj, strict=True)]
    edges += [(political[x].report, political[y].report) for x, y in _candidates(political)]
    label = np.asarray(_components(list(range(len(reports))), edges), dtype=np.int64)
    groups = _shards(label, tasks or 2 * int(ray.cluster_resources().get("CPU", 1)))

    lead = {a.report: a for a in political}
    pending = []
    for members in groups:
        local = np.full(len(reports), -1, dtype=np.int64)
        local[members] = np.arange(len(members))
        keep = (local[li] >= 0) & (local[lj] >= 0)
        group_political = [_moved(lead[k], int(local[k])) for k in members if k in lead]
        pending.append(_cluster.remote(
            [reports[k] for k in members], [seqs[k] for k in members],
            local[li[keep]], local[lj[keep]], group_political, dim, model,
            vec[members] if vec is not None else None))
    result = LinkResult()
    for part in ray.get(pending):
        result.stories += part.stories
        result.members += part.members
    result.stories.sort(key=story_order)
    return result


def _shards(label: np.ndarray, n: int) -> list[np.ndarray]:
    """Report indices in ``n`` groups of whole components, about equal in reports (largest
    component first into the smallest group), each in report order."""
    comps, inverse, sizes = np.unique(label, return_inverse=True, return_counts=True)
    load = [0] * max(1, n)
    owner = np.empty(len(comps), dtype=np.int64)
    for c in np.argsort(-sizes, kind="stable"):
        g = min(range(len(load)), key=load.__getitem__)
        owner[c] = g
        load[g] += int(sizes[c])
    of_report = owner[inverse.ravel()]
    return [idx for g in range(len(load)) if len(idx := np.flatnonzero(of_report == g))]


def _moved(a, index: int):
    from dataclasses import replace

    return replace(a, report=index)


def _remote(fn):
    import ray

    return ray.remote(fn)


def _score_pairs(features, i: np.ndarray, j: np.ndarray):
    li, lj, _ = linked_pairs(features, i, j)
    return li, lj


def _cluster_group(reports, seqs, i, j, political, dim, model, vec) -> LinkResult:
    result, _components, _stories = _link_closed(reports, seqs, i, j, political, dim, model, vec)
    return result


class _Lazy:
    """A Ray remote function made on first use, so importing this module needs no Ray."""

    def __init__(self, fn) -> None:
        self.fn, self.made = fn, None

    def remote(self, *args):
        if self.made is None:
            self.made = _remote(self.fn)
        return self.made.remote(*args)


_score = _Lazy(_score_pairs)
_cluster = _Lazy(_cluster_group)
