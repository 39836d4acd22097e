"""Linking with Ray gives the stories the local linker gives for the same records."""

from __future__ import annotations

import os

import pytest

from tests.conftest import unavailable
from tests.link.test_incremental import _crowded

try:
    import ray
except ImportError as exc:  # a test dependency, so only a broken install lands here
    unavailable(f"Ray is not importable ({exc}): pip install -e '.[test]'")

pytestmark = pytest.mark.slow


def test_ray_linking_gives_the_local_stories(monkeypatch):
    from triangulate.link import incremental, link
    from triangulate.model import to_dict
    from triangulate.scale import ray_link

    monkeypatch.setattr(ray_link, "PAIR_CHUNK", 500)  # several scoring tasks
    mentions, vectors = _crowded(4)
    local = link(mentions, vectors)
    os.environ.setdefault("RAY_worker_niceness", "0")
    ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING", log_to_driver=False)
    try:
        distributed = ray_link.link_ray(incremental.by_article(mentions, vectors), 16, tasks=3)
    finally:
        ray.shutdown()
    assert [to_dict(s) for s in distributed.stories] == [to_dict(s) for s in local.stories]
    assert sorted(distributed.members) == sorted(local.members)
    assert len(local.stories) > 3
