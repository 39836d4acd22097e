"""Small helpers shared by the ingest tests."""

from __future__ import annotations

import random

from tests.ingest.corpus import article_text
from triangulate.model import Skipped
from triangulate.store import Store


def rows(store: Store, sql: str, params: list | None = None) -> list[tuple]:
    return store.con.execute(sql, params or []).fetchall()


def counts(store: Store) -> dict[str, int]:
    return {
        table: store.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("articles", "skipped", "minhashes")
    }


def article(seed: int) -> str:
    """A headline and a long (about 550-word) generated article: long enough for
    near-duplicate checks."""
    rng = random.Random(seed)
    return f"Report {seed}: fighting near the river\n\n" + article_text(rng, sentences=(24, 28))


def reasons(skipped: list[Skipped]) -> dict[str, str]:
    """Source file name (or source) -> reason, for compact assertions."""
    return {s.source.rsplit("/", 1)[-1]: s.reason for s in skipped}
