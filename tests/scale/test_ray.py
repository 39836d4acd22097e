"""The Ray engine stores exactly what the local engine stores for the same input."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import SAMPLE_DIR, unavailable

try:
    import ray
except ImportError as exc:  # a test dependency, so only a broken install lands here
    unavailable(f"Ray is not importable ({exc}): pip install -e '.[test]'")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def local_ray():
    # Ray runs its workers at niceness 15; on a busy test machine they would then wait
    # behind every other process and the test would time out.
    os.environ.setdefault("RAY_worker_niceness", "0")
    ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING", log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def stores(tmp_path_factory, local_ray):
    """The sample corpus ingested once, analysed by each engine in its own copy."""
    from triangulate.ingest.runner import ingest
    from triangulate.jobs import analyse_pending
    from triangulate.scale.ray_runner import analyse_pending_ray
    from triangulate.store import Store

    folder = tmp_path_factory.mktemp("engines")
    local, distributed = folder / "local.duckdb", folder / "ray.duckdb"
    with Store(local) as store:
        ingest(store, [str(SAMPLE_DIR)])
    shutil.copy(local, distributed)
    with Store(local) as store:
        local_count = analyse_pending(store)
    with Store(distributed) as store:
        ray_count = analyse_pending_ray(store, workers=2, work_dir=str(folder / "work"))
    return local, distributed, local_count, ray_count, folder


def _rows(db, table: str) -> list[tuple]:
    from triangulate.store import Store

    columns = "* EXCLUDE (analyzed_at)" if table == "analyses" else "*"
    with Store(db, read_only=True) as store:
        rows = store.con.execute(f"SELECT {columns} FROM {table}").fetchall()
    return sorted(rows, key=repr)


def test_ray_engine_analyses_every_pending_article(stores):
    _, _, local_count, ray_count, _ = stores
    assert local_count > 10
    assert ray_count == local_count


def test_ray_engine_stores_the_same_analyses_as_the_local_engine(stores):
    local, distributed, *_ = stores
    assert _rows(distributed, "analyses") == _rows(local, "analyses")


@pytest.mark.parametrize("table", ["actors", "places", "mentions", "times", "figures",
                                   "claims", "quotes", "events", "techniques", "actor_stance"])
def test_ray_engine_fills_each_layer_table_as_the_local_engine_does(stores, table):
    local, distributed, *_ = stores
    assert _rows(distributed, table) == _rows(local, table)


def test_ray_engine_leaves_no_shards_behind(stores):
    folder = stores[-1]
    assert not any((folder / "work").glob("triangulate-ray-*"))


def test_ray_engine_with_nothing_pending_does_nothing(stores):
    from triangulate.scale.ray_runner import analyse_pending_ray
    from triangulate.store import Store

    with Store(stores[1]) as store:
        assert analyse_pending_ray(store, workers=2) == 0
