"""The DuckDB store: schema, writes and queries. The only module that speaks SQL.

Every write that belongs together runs in one transaction, so a process killed at any point
leaves either the whole batch or none of it; re-running the same work finds the rows already
there (primary keys on content identity) and changes nothing.
"""

from __future__ import annotations

import functools
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from triangulate.model import (
    Alert,
    Analysis,
    AnalysisFailure,
    Article,
    Contradiction,
    Mention,
    Position,
    PositionMention,
    PositionState,
    Skipped,
    Story,
    StoryState,
    TollSeries,
    from_dict,
    to_dict,
)

SCHEMA_VERSION = 2  # 2: the positions table

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY,
    content_hash VARCHAR NOT NULL,
    source VARCHAR,
    url VARCHAR,
    outlet VARCHAR,
    title VARCHAR,
    author VARCHAR,
    published DATE,
    language VARCHAR,
    duplicate_of VARCHAR,
    similarity DOUBLE,
    words INTEGER,
    text VARCHAR NOT NULL,
    ingested_at TIMESTAMP DEFAULT current_timestamp
);
CREATE INDEX IF NOT EXISTS articles_hash ON articles (content_hash);

CREATE TABLE IF NOT EXISTS skipped (
    source VARCHAR,
    reason VARCHAR,
    detail VARCHAR,
    language VARCHAR,
    first_seen TIMESTAMP DEFAULT current_timestamp,
    PRIMARY KEY (source, reason)
);

-- MinHash signatures of every stored article, so near-duplicate detection spans runs.
CREATE TABLE IF NOT EXISTS minhashes (article_id VARCHAR PRIMARY KEY, signature BLOB NOT NULL);

CREATE TABLE IF NOT EXISTS analyses (
    article_id VARCHAR PRIMARY KEY,
    model VARCHAR,
    genre VARCHAR,
    genre_score DOUBLE,
    tone DOUBLE,
    record JSON NOT NULL,   -- the full analysis without its text (the text is in articles)
    analyzed_at TIMESTAMP DEFAULT current_timestamp
);

CREATE TABLE IF NOT EXISTS actors (
    article_id VARCHAR, actor_id VARCHAR, name VARCHAR, kind VARCHAR, country VARCHAR,
    known BOOLEAN, parent VARCHAR, mention_count INTEGER,
    PRIMARY KEY (article_id, actor_id)
);
CREATE TABLE IF NOT EXISTS places (
    article_id VARCHAR, place_id VARCHAR, name VARCHAR, lat DOUBLE, lon DOUBLE,
    country VARCHAR, kind VARCHAR, mention_count INTEGER,
    PRIMARY KEY (article_id, place_id)
);
-- Mentions of actors and places: layer = 'actor' | 'place'.
CREATE TABLE IF NOT EXISTS mentions (
    article_id VARCHAR, layer VARCHAR, item_id VARCHAR, start_char INTEGER, end_char INTEGER,
    text VARCHAR
);
CREATE TABLE IF NOT EXISTS times (
    article_id VARCHAR, idx INTEGER, start_char INTEGER, end_char INTEGER, text VARCHAR,
    type VARCHAR, value VARCHAR, anchor VARCHAR, in_quote BOOLEAN,
    PRIMARY KEY (article_id, idx)
);
CREATE TABLE IF NOT EXISTS figures (
    article_id VARCHAR, figure_id VARCHAR, start_char INTEGER, end_char INTEGER, text VARCHAR,
    value DOUBLE, low DOUBLE, high DOUBLE, approximate BOOLEAN, what VARCHAR, who VARCHAR,
    hedge VARCHAR, event_id VARCHAR, scope VARCHAR, since VARCHAR, who_text VARCHAR,
    PRIMARY KEY (article_id, figure_id)
);
CREATE TABLE IF NOT EXISTS claims (
    article_id VARCHAR, claim_id VARCHAR, speaker VARCHAR, speaker_text VARCHAR, cue VARCHAR,
    stance VARCHAR, start_char INTEGER, end_char INTEGER, content_start INTEGER,
    content_end INTEGER, content VARCHAR, figures VARCHAR[], event_id VARCHAR,
    PRIMARY KEY (article_id, claim_id)
);
CREATE TABLE IF NOT EXISTS quotes (
    article_id VARCHAR, quote_id VARCHAR, speaker VARCHAR, speaker_text VARCHAR, cue VARCHAR,
    start_char INTEGER, end_char INTEGER, text VARCHAR,
    PRIMARY KEY (article_id, quote_id)
);
CREATE TABLE IF NOT EXISTS events (
    article_id VARCHAR, event_id VARCHAR, type VARCHAR, mode VARCHAR, actor VARCHAR,
    target VARCHAR, place VARCHAR, date VARCHAR, date_precision VARCHAR, negated BOOLEAN,
    hypothetical BOOLEAN, trigger VARCHAR, evidence_start INTEGER, evidence_end INTEGER,
    evidence VARCHAR, figures VARCHAR[], claims VARCHAR[],
    PRIMARY KEY (article_id, event_id)
);
CREATE TABLE IF NOT EXISTS techniques (
    article_id VARCHAR, idx INTEGER, technique VARCHAR, start_char INTEGER, end_char INTEGER,
    text VARCHAR, speaker VARCHAR,
    PRIMARY KEY (article_id, idx)
);
CREATE TABLE IF NOT EXISTS actor_stance (
    article_id VARCHAR, actor_id VARCHAR, stance VARCHAR, score DOUBLE, tone DOUBLE,
    PRIMARY KEY (article_id, actor_id)
);

-- Linking output: rebuilt as a whole by each link run (see link/), keyed by stable ids.
CREATE TABLE IF NOT EXISTS stories (
    story_id VARCHAR PRIMARY KEY, type VARCHAR, date VARCHAR, date_precision VARCHAR,
    place_id VARCHAR, place_name VARCHAR, lat DOUBLE, lon DOUBLE, outlets INTEGER,
    independent_outlets INTEGER, contested BOOLEAN, title VARCHAR, record JSON NOT NULL
);
CREATE TABLE IF NOT EXISTS story_events (
    story_id VARCHAR, article_id VARCHAR, event_id VARCHAR,
    PRIMARY KEY (article_id, event_id)
);
CREATE TABLE IF NOT EXISTS contradictions (
    story_id VARCHAR, idx INTEGER, field VARCHAR, record JSON NOT NULL,
    PRIMARY KEY (story_id, idx)
);
-- Toll tracker (link/tolls.py): cumulative counts as series per speaker, place and outcome,
-- rebuilt by each link run with the stories.
CREATE TABLE IF NOT EXISTS tolls (
    series_id VARCHAR PRIMARY KEY, what VARCHAR, who VARCHAR, speaker VARCHAR,
    place VARCHAR, place_name VARCHAR, since VARCHAR, outlet VARCHAR, first_date VARCHAR,
    last_date VARCHAR, latest DOUBLE, points INTEGER, record JSON NOT NULL
);
-- ---- link: embeddings of event evidence, so re-linking never re-embeds. text_hash is the
-- hash of the embedded text: a re-analysed article whose event now cites another sentence
-- is embedded again.
CREATE TABLE IF NOT EXISTS event_vectors (
    article_id VARCHAR, event_id VARCHAR, model VARCHAR, text_hash VARCHAR,
    vector BLOB NOT NULL,
    PRIMARY KEY (article_id, event_id, model)
);

-- ---- incremental linking (link/incremental.py): what a link pass leaves for the next one.
-- seq = (article's place in ingest order << 16) | report's number in its article; a report's
-- component is the smallest seq of the reports its linked pairs connect it to.
CREATE TABLE IF NOT EXISTS link_reports (
    seq BIGINT, article_id VARCHAR, component BIGINT, story_id VARCHAR, report BLOB NOT NULL,
    features BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS link_blocks (key BIGINT, seq BIGINT, start BIGINT);
CREATE TABLE IF NOT EXISTS link_articles (
    article_id VARCHAR, ord BIGINT, lead BIGINT, political BLOB, tolls BLOB
);
-- A story id that a link joined into another story, and the story it is part of now.
CREATE TABLE IF NOT EXISTS story_redirects (old_id VARCHAR PRIMARY KEY, new_id VARCHAR NOT NULL);

-- ---- watch (docs/watch.md): what `triangulate watch` follows, has seen and has found.
-- A source's politeness state: the validators of its last good answer (conditional GET),
-- failures in a row and when it may be polled again (epoch seconds).
CREATE TABLE IF NOT EXISTS watch_sources (
    source VARCHAR PRIMARY KEY, etag VARCHAR, last_modified VARCHAR,
    failures INTEGER NOT NULL DEFAULT 0, retry_at DOUBLE, last_polled DOUBLE,
    last_ok DOUBLE, last_status VARCHAR, last_error VARCHAR
);
-- Items of a source already ingested (a feed item's id, a listed URL, a file with its size
-- and modification time as its version).
CREATE TABLE IF NOT EXISTS watch_seen (
    source VARCHAR, item VARCHAR, version VARCHAR,
    seen_at TIMESTAMP DEFAULT current_timestamp,
    PRIMARY KEY (source, item)
);
CREATE TABLE IF NOT EXISTS watch_rounds (
    round INTEGER PRIMARY KEY, started TIMESTAMP NOT NULL, finished TIMESTAMP, report JSON
);
-- The linked state the last finished round ended with (StoryState records): the next
-- round's alerts are what differs from it.
CREATE TABLE IF NOT EXISTS watch_stories (story_id VARCHAR PRIMARY KEY, state JSON NOT NULL);
-- Each party's latest stance per issue after the last finished round (PositionState).
CREATE TABLE IF NOT EXISTS watch_positions (
    party VARCHAR, issue VARCHAR, state JSON NOT NULL, PRIMARY KEY (party, issue)
);
CREATE TABLE IF NOT EXISTS alerts (
    alert_id VARCHAR PRIMARY KEY, created TIMESTAMP NOT NULL, round INTEGER, kind VARCHAR,
    story_id VARCHAR, record JSON NOT NULL
);
-- An outbox: a row per alert and delivery channel (a JSONL file, a webhook URL), delivered
-- or not, so an alert a failing channel missed is sent on a later round.
CREATE TABLE IF NOT EXISTS alert_deliveries (
    alert_id VARCHAR, channel VARCHAR, delivered TIMESTAMP, attempts INTEGER NOT NULL DEFAULT 0,
    last_error VARCHAR,
    PRIMARY KEY (alert_id, channel)
);
"""

# ---- failed analyses (docs/ingest.md, "Failed articles"): an article whose analysis raised,
# ran over its time budget or took its worker down. Kept apart from SCHEMA so other tables
# added there stay separate; created on every open for writing, so a store made before this
# table existed gains it the first time it is opened (stores opened read-only are asked
# whether it exists, see Store._failure_table). A row goes when the article is analysed.
FAILURE_SCHEMA = """
CREATE TABLE IF NOT EXISTS failed_analyses (
    article_id VARCHAR PRIMARY KEY,
    reason VARCHAR NOT NULL,     -- error | timeout | worker-died
    detail VARCHAR,
    seconds DOUBLE,
    attempts INTEGER NOT NULL DEFAULT 1,
    failed_at TIMESTAMP DEFAULT current_timestamp
);
"""
# The column of the Ray runner's result files that marks a failed article (JSON).
FAILURE_COLUMN = "failure"
# ---- positions: negotiation positions, one row per position of an analysed article (see
# analyze/positions). Created in stores made before it existed when they are opened, and
# filled from stored records (jobs.backfill_positions analyses the text of older ones).
POSITIONS_SCHEMA = """
CREATE TABLE IF NOT EXISTS positions (
    article_id VARCHAR, position_id VARCHAR, party VARCHAR, issue VARCHAR, stance VARCHAR,
    counterpart VARCHAR, claimant VARCHAR, date VARCHAR, actor VARCHAR, negated BOOLEAN,
    hypothetical BOOLEAN, conditional BOOLEAN, condition_of VARCHAR, conditions JSON,
    evidence_start INTEGER, evidence_end INTEGER, evidence VARCHAR, cue_start INTEGER,
    cue_end INTEGER, event_id VARCHAR,
    PRIMARY KEY (article_id, position_id)
);
CREATE INDEX IF NOT EXISTS positions_party_issue ON positions (party, issue);
"""
# Columns added to tables of stores made by older versions (each statement is a no-op on a
# store that has them). New columns go at the end of their table, as in SCHEMA, so rows
# keep one column order in old and new stores.
MIGRATIONS = (
    # figure scope (analyze/scope.py): rows of analyses made before it stay NULL until the
    # article is analysed again
    *(f"ALTER TABLE figures ADD COLUMN IF NOT EXISTS {c} VARCHAR"
      for c in ("event_id", "scope", "since", "who_text")),
)

# Per-article layer tables, cleared and rewritten together when an article is re-analysed.
LAYER_TABLES = (
    "actors", "places", "mentions", "times", "figures", "claims", "quotes", "events",
    "techniques", "actor_stance", "positions",
)


class Store:
    """A DuckDB file (or ``:memory:``) holding articles, analyses and stories."""

    def __init__(self, path: str | Path = "triangulate.duckdb", read_only: bool = False):
        self.path = str(path)
        if not read_only and self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(self.path, read_only=read_only)
        if not read_only:
            self.con.execute(SCHEMA)
            self.con.execute(FAILURE_SCHEMA)
            for statement in MIGRATIONS:
                self.con.execute(statement)
            self.con.execute(
                "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
            )
            self._migrate_positions()

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    @contextmanager
    def bounded_cache(self, limit: str | None = None) -> Iterator[None]:
        """Hold DuckDB's memory to ``limit`` (default WRITE_MEMORY_LIMIT) during a long run of
        writes, such as analysing a whole corpus.

        DuckDB keeps every block it has written cached up to its memory limit (80 % of RAM
        by default), so without a cap the writing process grows with the corpus: ~1 GB after
        20,000 analyses (each record is ~40 kB of JSON). Under the cap it stays ~0.4 GB at
        any size; checkpoints need ~100-130 MB here, hence the default's margin. An
        in-memory store must keep its data in memory and is left alone.
        """
        if self.path == ":memory:":
            yield
            return
        before = self.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        self.con.execute(f"SET memory_limit = '{limit or WRITE_MEMORY_LIMIT}'")
        try:
            yield
        finally:
            # current_setting() rounds ("18.8 GiB"): RESET restores the default exactly, and
            # a limit someone had set is set again.
            self.con.execute("RESET memory_limit")
            if self.con.execute("SELECT current_setting('memory_limit')").fetchone()[0] != before:
                self.con.execute(f"SET memory_limit = '{before}'")

    # ------------------------------------------------------------------ ingest

    def article_ids_by_hash(self, hashes: Sequence[str]) -> dict[str, str]:
        """content_hash -> id of the original article with that text.

        A stored copy points at its original (duplicate_of), so the original is returned
        even when only copies carry the hash (a copy of a near-copy).
        """
        return {h: root for h, (root, _) in self.originals_by_hash(hashes).items()}

    def originals_by_hash(self, hashes: Sequence[str]) -> dict[str, tuple[str, float]]:
        """content_hash -> (original article id, similarity of the text to it)."""
        if not hashes:
            return {}
        rows = self.con.execute(
            "SELECT content_hash, arg_min(coalesce(duplicate_of, id), "
            "  (duplicate_of IS NOT NULL, id)), "
            "  arg_min(coalesce(similarity, 1.0), (duplicate_of IS NOT NULL, id)) "
            "FROM articles WHERE content_hash IN (SELECT unnest(?)) GROUP BY content_hash",
            [list(hashes)],
        ).fetchall()
        return {h: (root, sim) for h, root, sim in rows}

    def has_article(self, article_id: str) -> bool:
        return bool(
            self.con.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone()
        )

    def existing_ids(self, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        rows = self.con.execute(
            "SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [list(ids)]
        ).fetchall()
        return {r[0] for r in rows}

    def stored_identity(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """id -> (source, content_hash) of the stored articles among ``ids``."""
        if not ids:
            return {}
        rows = self.con.execute(
            "SELECT id, source, content_hash FROM articles WHERE id IN (SELECT unnest(?))",
            [list(ids)],
        ).fetchall()
        return {i: (src, h) for i, src, h in rows}

    def add_articles(
        self,
        articles: Sequence[Article],
        signatures: dict[str, bytes] | None = None,
        skipped: Sequence[Skipped] = (),
    ) -> int:
        """Insert new articles, their MinHash signatures and the batch's skipped inputs in
        one transaction, so a killed run leaves the whole batch or none of it.

        Returns how many articles were new; an id already stored is left as it is.
        """
        if not articles and not skipped:
            return 0
        signatures = signatures or {}
        with self.transaction():
            before = self._count("articles")
            self._insert_rows(
                "INSERT OR IGNORE INTO articles (id, content_hash, source, url, outlet, title, "
                "author, published, language, duplicate_of, similarity, words, text)",
                "(?, ?, ?, ?, ?, ?, ?, TRY_CAST(? AS DATE), ?, ?, ?, ?, ?)",
                [
                    [
                        a.id, a.content_hash, a.source, a.url, a.outlet, a.title, a.author,
                        a.published, a.language, a.duplicate_of, a.similarity,
                        len(a.text.split()), a.text,
                    ]
                    for a in articles
                ],
            )
            self._insert_rows(
                "INSERT OR IGNORE INTO minhashes (article_id, signature)", "(?, ?)",
                [[a.id, signatures[a.id]] for a in articles if a.id in signatures],
            )
            if articles:
                # An input skipped before (a timeout, a file since fixed) is read now.
                self.con.execute("DELETE FROM skipped WHERE source IN (SELECT unnest(?))",
                                 [[a.source for a in articles]])
            self._insert_skipped(skipped)
            return self._count("articles") - before

    def add_skipped(self, skipped: Sequence[Skipped]) -> None:
        if not skipped:
            return
        with self.transaction():
            self._insert_skipped(skipped)

    def _insert_skipped(self, skipped: Sequence[Skipped]) -> None:
        # Two inputs of one batch may share (source, reason): keep the first, as a re-run does.
        rows = {(s.source, s.reason): [s.source, s.reason, s.detail, getattr(s, "language", None)]
                for s in reversed(skipped)}
        self._insert_rows(
            "INSERT OR IGNORE INTO skipped (source, reason, detail, language)", "(?, ?, ?, ?)",
            list(rows.values())[::-1],
        )

    def _insert_rows(self, head: str, row: str, rows: Sequence[Sequence[Any]],
                     chunk: int = 256) -> None:
        """Insert with multi-row VALUES statements: DuckDB's executemany costs about 5 ms a
        row, one statement for 64 rows about 10 ms in all."""
        for i in range(0, len(rows), chunk):
            part = rows[i : i + chunk]
            self.con.execute(f"{head} VALUES {', '.join([row] * len(part))}",
                             [value for r in part for value in r])

    def minhash_signatures(self, originals_only: bool = False) -> Iterator[tuple[str, bytes]]:
        """(article id, signature) of stored articles, streamed; ``originals_only`` leaves
        out copies (the near-duplicate index holds originals only)."""
        sql = "SELECT m.article_id, m.signature FROM minhashes m"
        if originals_only:
            sql += " JOIN articles a ON a.id = m.article_id WHERE a.duplicate_of IS NULL"
        # No ORDER BY: sorting would hold every signature in memory (140 MB for 100,000).
        cur = self._cursor(sql, [])
        while rows := cur.fetchmany(5000):
            yield from rows

    def signatures_for(self, ids: Sequence[str]) -> dict[str, bytes]:
        if not ids:
            return {}
        rows = self.con.execute(
            "SELECT article_id, signature FROM minhashes WHERE article_id IN (SELECT unnest(?))",
            [list(ids)],
        ).fetchall()
        return dict(rows)

    def replace_signatures(self, rows: Sequence[tuple[str, bytes]], scheme: str) -> None:
        """Re-sign the store (after a change of MinHash scheme), in one transaction."""
        with self.transaction():
            self.con.execute("DELETE FROM minhashes")
            self._insert_rows("INSERT INTO minhashes (article_id, signature)", "(?, ?)", rows)
            self._set_meta("minhash_scheme", scheme)

    def has_any_signature(self) -> bool:
        return self.con.execute("SELECT 1 FROM minhashes LIMIT 1").fetchone() is not None

    def minhash_scheme(self) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = 'minhash_scheme'").fetchone()
        return row[0] if row else None

    def set_minhash_scheme(self, scheme: str) -> None:
        self._set_meta("minhash_scheme", scheme)

    def _set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    def article_texts(self) -> Iterator[tuple[str, str]]:
        """(id, text) of every stored article, streamed."""
        cur = self._cursor("SELECT id, text FROM articles ORDER BY id", [])
        while rows := cur.fetchmany(1000):
            yield from rows

    def articles(
        self, ids: Sequence[str] | None = None, unanalysed_only: bool = False,
        retry: bool | Sequence[str] = False,
    ) -> Iterator[Article]:
        """Stored articles in ingest order (streamed, never all in memory).

        ``unanalysed_only``: the articles still to analyse, which leaves out those whose
        analysis failed unless ``retry`` asks for them (True: all, or a list of ids).

        Read a page at a time, each page starting after the last (ingested_at, id) seen: one
        ORDER BY over the whole selection makes DuckDB hold every selected text until the
        cursor is drained (200 MB for 20,000 articles, growing with the corpus).
        """
        where, params = [], []
        if ids is not None:
            where.append("a.id IN (SELECT unnest(?))")
            params.append(list(ids))
        if unanalysed_only:
            where.append("a.id NOT IN (SELECT article_id FROM analyses)")
            failed, failed_params = self._failed_filter(retry)
            where += failed
            params += failed_params
        sql = (
            "SELECT a.id, a.text, a.source, a.content_hash, a.url, a.outlet, a.title, a.author, "
            "strftime(a.published, '%Y-%m-%d'), a.language, a.duplicate_of, a.similarity, "
            "a.ingested_at FROM articles a"
        )
        last: tuple[Any, str] | None = None
        while True:
            conditions, values = list(where), list(params)
            if last is not None:
                conditions.append("(a.ingested_at > ? OR (a.ingested_at = ? AND a.id > ?))")
                values += [last[0], last[0], last[1]]
            query = sql + (" WHERE " + " AND ".join(conditions) if conditions else "")
            rows = self._cursor(query + " ORDER BY a.ingested_at, a.id LIMIT ?",
                                values + [ARTICLE_PAGE]).fetchall()
            for r in rows:
                yield Article(*r[:-1])
            if len(rows) < ARTICLE_PAGE:
                return
            last = (rows[-1][-1], rows[-1][0])

    def _cursor(self, sql: str, params: list[Any]):
        # A separate cursor so writes on the main connection can interleave with streaming.
        cur = self.con.cursor()
        cur.execute(sql, params)
        return cur

    # ------------------------------------------------------------------ analyses

    def save_analyses(self, analyses: Sequence[Analysis],
                      failures: Sequence[AnalysisFailure] = ()) -> None:
        """Store analyses (full record + one table per layer) and the batch's failed
        articles in one transaction."""
        if not analyses and not failures:
            return
        self._write_analyses([analysis_row(a) for a in analyses], analyses, failures)

    def load_analyses_parquet(self, paths: str | Path | Sequence[str | Path],
                              batch_size: int = 256,
                              on_failed: Callable[[AnalysisFailure], None] | None = None) -> int:
        """Store the analyses in Parquet files of analysis rows (ANALYSIS_COLUMNS, as the
        Ray runner writes them); returns how many. Each batch is one transaction, and the
        stored record is the file's JSON as it is, so the result equals a local run's.

        A file may add a FAILURE_COLUMN: rows where it is set are failed articles (its JSON
        is an AnalysisFailure), stored as such and handed to ``on_failed``."""
        import pyarrow.parquet as pq

        if isinstance(paths, str | Path):
            paths = [paths]
        done = 0
        for path in paths:
            file = pq.ParquetFile(path)
            columns = ANALYSIS_COLUMNS + [c for c in (FAILURE_COLUMN,)
                                          if c in file.schema_arrow.names]
            for batch in file.iter_batches(batch_size, columns=columns):
                rows = [list(r.values()) for r in batch.to_pylist()]
                failures = [from_dict(AnalysisFailure, json.loads(r[-1]))
                            for r in rows if len(r) > len(ANALYSIS_COLUMNS) and r[-1]]
                rows = [r[:len(ANALYSIS_COLUMNS)] for r in rows
                        if len(r) == len(ANALYSIS_COLUMNS) or not r[-1]]
                # The text is in the articles table; the layer rows never read it.
                analyses = [_analysis(r[-1], "") for r in rows]
                self._write_analyses(rows, analyses, failures)
                done += len(rows)
                for failure in failures:
                    if on_failed:
                        on_failed(failure)
        return done

    def _write_analyses(self, records: Sequence[Sequence[Any]],
                        analyses: Sequence[Analysis],
                        failures: Sequence[AnalysisFailure] = ()) -> None:
        ids = [r[0] for r in records]
        rows: dict[str, list[list[Any]]] = {t: [] for t in LAYER_TABLES}
        for a in analyses:
            _layer_rows(a, rows)
        try:
            self._write_analysis_rows(ids, records, rows, failures)
        except duckdb.OutOfMemoryException:
            # Under bounded_cache a batch larger than the cap (huge articles, large indexes)
            # is rolled back; lift the cap for the rest of the run and write it again.
            self.con.execute("RESET memory_limit")
            self._write_analysis_rows(ids, records, rows, failures)

    def _write_analysis_rows(self, ids: list[str], records: Sequence[Sequence[Any]],
                             rows: dict[str, list[list[Any]]],
                             failures: Sequence[AnalysisFailure] = ()) -> None:
        with self.transaction():
            self._record_failures(ids, failures)
            # Layer rows exist only beside an analyses row (they are written together), so
            # only re-analysed articles need the deletes; on a first run there are none and
            # each delete would scan a layer table that grows with the corpus.
            again = [r[0] for r in self.con.execute(
                "SELECT article_id FROM analyses WHERE article_id IN (SELECT unnest(?))", [ids]
            ).fetchall()]
            if again:
                for table in ("analyses", *LAYER_TABLES):
                    self.con.execute(
                        f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [again])
            self._insert_arrow("analyses", list(records), ANALYSIS_COLUMNS)
            for table, table_rows in rows.items():
                if table_rows:
                    self._insert_arrow(table, table_rows)

    def _insert_arrow(self, table: str, rows: list[Sequence[Any]],
                      columns: Sequence[str] | None = None) -> None:
        """Insert rows through one Arrow table: executemany costs DuckDB about 3 ms a row
        (a 64-article batch has ~12,000 layer rows), Arrow a few ms per table."""
        import pyarrow as pa

        types = self._column_types(table)
        columns = list(columns or types)
        try:
            arrow = pa.table({c: pa.array([r[k] for r in rows], type=_arrow_types().get(types[c]))
                              for k, c in enumerate(columns)})
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            # A value of another Python type than the column's (a stage's figure value given
            # as "9"): DuckDB casts it as a parameter insert would.
            marks = ", ".join("?" * len(columns))
            self.con.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
            return
        self.con.register("_rows", arrow)
        try:
            self.con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM _rows")
        finally:
            self.con.unregister("_rows")

    def _column_types(self, table: str) -> dict[str, str]:
        cache = self.__dict__.setdefault("_types", {})
        if table not in cache:
            cache[table] = {name: kind for name, kind, *_ in
                            self.con.execute(f"DESCRIBE {table}").fetchall()}
        return cache[table]

    def analysis(self, article_id: str) -> Analysis | None:
        row = self.con.execute(
            "SELECT n.record, a.text FROM analyses n JOIN articles a ON a.id = n.article_id "
            "WHERE n.article_id = ?",
            [article_id],
        ).fetchone()
        return None if row is None else _analysis(*row)

    def analyses(self, include_duplicates: bool = True) -> Iterator[Analysis]:
        """Every stored analysis with its text, streamed in ingest order."""
        for record, text in self.analysis_records(include_duplicates):
            yield _analysis(record, text)

    def analysis_records(self, include_duplicates: bool = True) -> Iterator[tuple[str, str]]:
        """``analyses()`` undecoded: (stored record, text), for work done in another process
        (``analysis_from_record`` decodes one)."""
        sql = (
            "SELECT n.record, a.text FROM analyses n JOIN articles a ON a.id = n.article_id"
            + ("" if include_duplicates else " WHERE a.duplicate_of IS NULL")
            + " ORDER BY a.ingested_at, a.id"
        )
        cur = self._cursor(sql, [])
        while rows := cur.fetchmany(128):
            yield from rows

    # ------------------------------------------------------------------ reporting

    def _count(self, table: str, where: str = "") -> int:
        return self.con.execute(f"SELECT count(*) FROM {table} {where}").fetchone()[0]

    def counts(self) -> dict[str, int]:
        return {
            "articles": self._count("articles"),
            "duplicates": self._count("articles", "WHERE duplicate_of IS NOT NULL"),
            "outlets": self.con.execute(
                "SELECT count(DISTINCT outlet) FROM articles WHERE outlet IS NOT NULL"
            ).fetchone()[0],
            "skipped": self._count("skipped"),
            "analysed": self._count("analyses"),
            "events": self._count("events"),
            "claims": self._count("claims"),
            "quotes": self._count("quotes"),
            "figures": self._count("figures"),
            "stories": self._count("stories"),
            "contradictions": self._count("contradictions"),
            "failed": self.failed_count(),
        }

    def outlet_counts(self) -> list[tuple[str, int, int]]:
        """(outlet, articles, of which duplicates), largest first."""
        return self.con.execute(
            "SELECT coalesce(outlet, '(unknown)'), count(*), count(duplicate_of) FROM articles "
            "GROUP BY 1 ORDER BY 2 DESC, 1"
        ).fetchall()

    def duplicates(self) -> list[tuple[str, str, str | None, str | None, float | None]]:
        """(article, duplicate_of, its outlet, original's outlet, similarity)."""
        return self.con.execute(
            "SELECT d.id, d.duplicate_of, d.outlet, o.outlet, d.similarity FROM articles d "
            "LEFT JOIN articles o ON o.id = d.duplicate_of WHERE d.duplicate_of IS NOT NULL "
            "ORDER BY d.id"
        ).fetchall()

    def skipped(self) -> list[tuple[str, str, str]]:
        return self.con.execute(
            "SELECT source, reason, detail FROM skipped ORDER BY reason, source"
        ).fetchall()

    # ---- link

    # ------------------------------------------------------------------ failed analyses

    def _failure_table(self) -> bool:
        """Whether the store has the failed_analyses table (a store made before it, opened
        read-only, has not)."""
        if "_has_failures" not in self.__dict__:
            self._has_failures = self.con.execute(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_name = 'failed_analyses'").fetchone()[0] > 0
        return self._has_failures

    def _failed_filter(self, retry: bool | Sequence[str]) -> tuple[list[str], list[Any]]:
        """WHERE conditions on ``articles a`` for the articles still to analyse."""
        if not self._failure_table() or retry is True:
            return [], []
        sql = "a.id NOT IN (SELECT article_id FROM failed_analyses"
        if not retry:
            return [sql + ")"], []
        return [sql + " WHERE article_id NOT IN (SELECT unnest(?::VARCHAR[])))"], [list(retry)]

    def _record_failures(self, analysed: Sequence[str],
                         failures: Sequence[AnalysisFailure]) -> None:
        """Inside a write's transaction: articles analysed now are failed no longer; the
        failures are recorded (a second failure counts an attempt more)."""
        if analysed:
            self.con.execute("DELETE FROM failed_analyses WHERE article_id IN (SELECT unnest(?))",
                             [list(analysed)])
        for f in failures:
            self.con.execute(
                "INSERT INTO failed_analyses (article_id, reason, detail, seconds) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET "
                "reason = excluded.reason, detail = excluded.detail, seconds = excluded.seconds, "
                "attempts = failed_analyses.attempts + 1, failed_at = excluded.failed_at",
                [f.id, f.reason, f.detail, f.seconds])

    def failed_count(self) -> int:
        return self._count("failed_analyses") if self._failure_table() else 0

    def failures(self, ids: Sequence[str] | None = None,
                 limit: int | None = None) -> list[dict[str, Any]]:
        """Failed articles, latest first: id, source, title, outlet, reason, detail,
        seconds, attempts, failed_at."""
        if not self._failure_table():
            return []
        where, params = "", []
        if ids is not None:
            where, params = "WHERE f.article_id IN (SELECT unnest(?::VARCHAR[]))", [list(ids)]
        return self._dicts(
            "SELECT f.article_id AS id, a.source, a.title, a.outlet, f.reason, f.detail, "
            "f.seconds, f.attempts, strftime(f.failed_at, '%Y-%m-%d %H:%M:%S') AS failed_at "
            f"FROM failed_analyses f LEFT JOIN articles a ON a.id = f.article_id {where} "
            "ORDER BY f.failed_at DESC, f.article_id"
            + (f" LIMIT {int(limit)}" if limit is not None else ""), params)

    def event_vectors(self, model: str, articles: Sequence[str] | None = None
                      ) -> dict[tuple[str, str], tuple[str, bytes]]:
        """(article, event) -> (text hash, float32 vector bytes) cached for ``model`` (of
        ``articles`` only, when given)."""
        sql = "SELECT article_id, event_id, text_hash, vector FROM event_vectors WHERE model = ?"
        params: list[Any] = [model]
        if articles is not None:
            sql += " AND article_id IN (SELECT unnest(?))"
            params.append(list(articles))
        rows = self.con.execute(sql, params).fetchall()
        return {(a, e): (h, v) for a, e, h, v in rows}

    def save_event_vectors(self, model: str, rows: Sequence[tuple[str, str, str, bytes]]) -> None:
        """Cache (article, event, text hash, vector bytes) rows for ``model``."""
        if not rows:
            return
        with self.transaction():
            self._insert_link_rows("event_vectors", [[a, e, model, h, v] for a, e, h, v in rows],
                                   replace=True)

    def save_links(self, stories: Sequence[Any], members: Sequence[tuple[str, str, str]],
                   unbound: Sequence[tuple[str, Contradiction]] = ()) -> None:
        """Replace every story, story member and contradiction in one transaction.
        ``unbound``: contradictions of no story, each under a key of its own kind
        (link.negotiations.DISPUTES_KEY for positions)."""
        with self.transaction():
            self._replace_stories(None, stories, members, unbound)

    # ------------------------------------------------------------------ incremental linking

    def link_state_meta(self) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = 'link_state'").fetchone()
        return row[0] if row else None

    def analysed_in_order(self) -> list[str]:
        """Ids of the analysed articles in ingest order (link_all's order)."""
        return [r[0] for r in self.con.execute(
            "SELECT a.id FROM analyses n JOIN articles a ON a.id = n.article_id "
            "ORDER BY a.ingested_at, a.id").fetchall()]

    def linked_analyses_changed(self) -> bool:
        """Whether an article of the stored link state was analysed again since it was
        linked."""
        row = self.con.execute("SELECT value FROM meta WHERE key = 'link_analysed_at'").fetchone()
        if row is None or row[0] == "None":
            return False
        return self.con.execute(
            "SELECT count(*) FROM analyses n JOIN link_articles l ON l.article_id = n.article_id "
            "WHERE n.analyzed_at > CAST(? AS TIMESTAMP)", [row[0]]).fetchone()[0] > 0

    def linked_articles(self) -> dict[str, int]:
        """Articles in the stored link state, with their places in ingest order."""
        return dict(self.con.execute("SELECT article_id, ord FROM link_articles").fetchall())

    def analysis_records_of(self, ids: Sequence[str]) -> list[tuple[str, str, str]]:
        """(article id, stored record, text) of these articles' analyses."""
        return self.con.execute(
            "SELECT n.article_id, n.record, a.text FROM analyses n "
            "JOIN articles a ON a.id = n.article_id WHERE n.article_id IN (SELECT unnest(?))",
            [list(ids)]).fetchall()

    def _with_ints(self, name: str, values: Any) -> None:
        import pyarrow as pa

        self.con.register(name, pa.table({"v": np.asarray(values, dtype=np.int64)}))

    def _int_query(self, sql: str, name: str, values: Any) -> list[tuple]:
        self._with_ints(name, values)
        try:
            return self.con.execute(sql).fetchall()
        finally:
            self.con.unregister(name)

    def link_features_by_seq(self, seqs: Sequence[int]) -> list[tuple[int, int, bytes]]:
        """(seq, component, pickled features: the report without its mentions) of these
        reports."""
        return self._int_query(
            "SELECT r.seq, r.component, r.features FROM link_reports r JOIN _seqs s "
            "ON r.seq = s.v", "_seqs", seqs)

    def link_reports_of(self, components: Sequence[int]
                        ) -> list[tuple[int, str, bytes, bytes]]:
        """(seq, story id, pickled report, pickled features) of the reports of these
        components."""
        return self._int_query(
            "SELECT r.seq, r.story_id, r.report, r.features FROM link_reports r JOIN _comps c "
            "ON r.component = c.v", "_comps", components)

    def link_block_rows(self, components: Sequence[int], keys: np.ndarray) -> np.ndarray:
        """(key, seq, start) rows of every stored member of the blocks that the reports of
        ``components`` or ``keys`` fall in."""
        self._with_ints("_comps", components)
        self._with_ints("_keys", keys)
        try:
            got = self.con.execute(
                "WITH wanted AS (SELECT DISTINCT b.key FROM link_blocks b JOIN link_reports r "
                "ON r.seq = b.seq JOIN _comps c ON r.component = c.v "
                "UNION SELECT v FROM _keys) "
                "SELECT b.key, b.seq, b.start FROM link_blocks b JOIN wanted w ON b.key = w.key"
            ).fetchnumpy()
        finally:
            self.con.unregister("_comps")
            self.con.unregister("_keys")
        return np.stack([np.asarray(got[c], dtype=np.int64) for c in ("key", "seq", "start")],
                        axis=1)

    def link_political(self, components: Sequence[int] | None = None
                       ) -> list[tuple[int, int, bytes]]:
        """(component, lead seq, summary) of the stored political articles (of
        ``components`` only, when given)."""
        sql = ("SELECT r.component, a.lead, a.political FROM link_articles a "
               "JOIN link_reports r ON r.seq = a.lead WHERE a.political IS NOT NULL")
        if components is None:
            return self.con.execute(sql).fetchall()
        return self._int_query(sql + " AND r.component IN (SELECT v FROM _comps)", "_comps",
                               components)

    def link_toll_blobs(self) -> list[bytes]:
        return [r[0] for r in self.con.execute(
            "SELECT tolls FROM link_articles ORDER BY ord").fetchall()]

    def save_link_state(self, state: Any, meta: str | None, stories: Sequence[Any],
                        members: Sequence[tuple[str, str, str]],
                        unbound: Sequence[tuple[str, Contradiction]], tolls: Sequence[TollSeries],
                        components: Sequence[int] | None = None,
                        replaced: Sequence[str] | None = None) -> None:
        """Write a link pass in one transaction: its state (link/incremental.py), stories,
        contradictions and toll series. ``components`` None: a full relink, everything is
        replaced; else an update, which replaces the state of those components and the
        ``replaced`` stories only. Story ids that stop existing because their story was
        joined into another are redirected to it."""
        import pyarrow as pa

        with self.transaction():
            if components is None:
                for table in ("link_reports", "link_blocks", "link_articles"):
                    self.con.execute(f"DELETE FROM {table}")
            else:
                self._with_ints("_comps", components)
                try:
                    self.con.execute("DELETE FROM link_reports WHERE component IN "
                                     "(SELECT v FROM _comps)")
                finally:
                    self.con.unregister("_comps")
            if state.reports:
                self._insert_link_rows("link_reports", [list(r) for r in state.reports])
            if len(state.keys):
                self.con.register("_rows", pa.table({
                    "key": state.keys[:, 0], "seq": state.keys[:, 1], "start": state.keys[:, 2]}))
                try:
                    self.con.execute("INSERT INTO link_blocks SELECT * FROM _rows")
                finally:
                    self.con.unregister("_rows")
            if state.articles:
                self._insert_link_rows("link_articles", [
                    [a, o, lead, pol, t] for a, o, lead, pol, t in state.articles])
            self._replace_stories(replaced if components is not None else None,
                                  stories, members, unbound)
            self.con.execute("DELETE FROM tolls")
            self._insert_toll_rows(tolls)
            if meta is not None:
                self._set_meta("link_state", meta)
            # the newest analysis linked: a linked article analysed again after it makes the
            # next link a full one (linked_analyses_changed)
            self._set_meta("link_analysed_at", str(self.con.execute(
                "SELECT max(n.analyzed_at) FROM analyses n JOIN link_articles l "
                "ON l.article_id = n.article_id").fetchone()[0]))
        if components is None and self.path != ":memory:":
            # A full relink rewrites every link table: checkpoint now, or the next small
            # update's commit pays for it (5 s instead of 0.2 s at 20,000 articles).
            self.con.execute("CHECKPOINT")

    def _replace_stories(self, old_ids: Sequence[str] | None, stories: Sequence[Any],
                         members: Sequence[tuple[str, str, str]],
                         unbound: Sequence[tuple[str, Contradiction]]) -> None:
        """Replace the ``old_ids`` stories (None: all) by ``stories``, inside a transaction,
        and redirect each old id that is gone to the new story holding most of its events."""
        where = "" if old_ids is None else " WHERE story_id IN (SELECT unnest(?))"
        params = [] if old_ids is None else [list(old_ids)]
        before = self.con.execute("SELECT story_id, article_id, event_id FROM story_events"
                                  + where, params).fetchall()
        for table in ("stories", "story_events", "contradictions"):
            self.con.execute(f"DELETE FROM {table}" + where, params)
        # contradictions of no story (negotiation disputes) are rebuilt whole each time
        self.con.execute("DELETE FROM contradictions WHERE story_id NOT IN "
                         "(SELECT story_id FROM stories)")
        story_rows, contradiction_rows = _story_rows(stories, unbound)
        member_rows = [list(m) for m in dict.fromkeys(members)]
        for table, rows in (("stories", story_rows), ("story_events", member_rows),
                            ("contradictions", contradiction_rows)):
            if rows:
                self._insert_link_rows(table, rows)
        now = {(a, e): s for s, a, e in members}
        live = {s.id for s in stories}
        votes: dict[str, Counter] = defaultdict(Counter)
        for old, a, e in before:
            if old not in live and (a, e) in now:
                votes[old][now[(a, e)]] += 1
        moved = {old: min(c, key=lambda s: (-c[s], s)) for old, c in votes.items()}
        if live:
            self.con.execute("DELETE FROM story_redirects WHERE old_id IN (SELECT unnest(?))",
                             [sorted(live)])
        for old, new in sorted(moved.items()):
            self.con.execute("UPDATE story_redirects SET new_id = ? WHERE new_id = ?", [new, old])
            self.con.execute("INSERT OR REPLACE INTO story_redirects VALUES (?, ?)", [old, new])

    def story_redirect(self, story_id: str) -> str | None:
        """The story an old story id was joined into, if it was."""
        try:
            row = self.con.execute("SELECT new_id FROM story_redirects WHERE old_id = ?",
                                   [story_id]).fetchone()
        except duckdb.CatalogException:
            return None  # a store made before redirects, opened read-only
        return row[0] if row else None

    # ------------------------------------------------------------------ toll tracker

    def save_tolls(self, series: Sequence[TollSeries]) -> None:
        """Replace every toll series in one transaction."""
        with self.transaction():
            self.con.execute("DELETE FROM tolls")
            self._insert_toll_rows(series)

    def _insert_toll_rows(self, series: Sequence[TollSeries]) -> None:
        rows = [[
            t.id, t.what, t.who, t.speaker, t.place, t.place_name, t.since, t.outlet,
            t.points[0].date if t.points else None, t.points[-1].date if t.points else None,
            float(t.points[-1].value) if t.points else None, len(t.points),
            json.dumps(to_dict(t), ensure_ascii=False),
        ] for t in series]
        if rows:
            self._insert_link_rows("tolls", rows)

    def toll_records(self, what: str | None = None, speaker: str | None = None,
                     place: str | None = None) -> list[TollSeries]:
        """Toll series, longest first; ``what`` (killed, injured, ...), ``speaker`` (an id or
        words it contains) and ``place`` (an ISO code or a name it contains) filter them."""
        where, params = [], []
        if what:
            where.append("lower(what) = lower(?)")
            params.append(what)
        if speaker:
            where.append("(lower(speaker) LIKE lower(?) OR lower(outlet) LIKE lower(?))")
            params += [f"%{speaker}%"] * 2
        if place:
            where.append("(lower(place) = lower(?) OR lower(place_name) LIKE lower(?))")
            params += [place, f"%{place}%"]
        sql = ("SELECT record FROM tolls" + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY points DESC, last_date DESC, series_id")
        try:
            rows = self.con.execute(sql, params).fetchall()
        except duckdb.CatalogException:
            return []  # a store made before the tracker, opened read-only: no series yet
        return [from_dict(TollSeries, json.loads(r[0])) for r in rows]

    def _insert_link_rows(self, table: str, rows: list[list[Any]], replace: bool = False) -> None:
        # Through Arrow: executemany is slow for 100k-row link tables.
        import pyarrow as pa

        columns = [d[0] for d in self.con.execute(f"SELECT * FROM {table} LIMIT 0").description]
        arrow = pa.table({c: [r[k] for r in rows] for k, c in enumerate(columns)})
        self.con.register("_link_rows", arrow)
        try:
            verb = "INSERT OR REPLACE" if replace else "INSERT"
            self.con.execute(f"{verb} INTO {table} SELECT * FROM _link_rows")
        finally:
            self.con.unregister("_link_rows")

    def story_records(
        self, start: str | None = None, end: str | None = None, ids: Sequence[str] | None = None
    ) -> list[Story]:
        """Stored stories, most independently sourced first; optionally by date or id."""
        where, params = [], []
        if start:
            where.append("(date IS NOT NULL AND substr(date, 1, 10) >= ?)")
            params.append(start)
        if end:
            where.append("(date IS NOT NULL AND substr(date, 1, 10) <= ?)")
            params.append(end)
        if ids is not None:
            where.append("story_id IN (SELECT unnest(?))")
            params.append(list(ids))
        sql = "SELECT record FROM stories" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY independent_outlets DESC, outlets DESC, date, story_id"
        return [from_dict(Story, json.loads(r[0])) for r in self.con.execute(sql, params).fetchall()]

    def contradiction_records(self, field: str | None = None) -> list[Contradiction]:
        sql = "SELECT record FROM contradictions"
        params: list[Any] = []
        if field:
            sql += " WHERE field = ? OR field LIKE ?"
            params = [field, field + ".%"]
        sql += " ORDER BY story_id, idx"
        return [
            from_dict(Contradiction, json.loads(r[0]))
            for r in self.con.execute(sql, params).fetchall()
        ]

    def resolve_actors(self, name: str) -> list[str]:
        """Actor ids a user's name means, with everything that rolls up to them.

        "Israel" -> israel, israel-military, israel-government, and actors whose parent is
        one of those; a state also takes every actor of its country.
        """
        key = name.strip().lower()
        slug = "-".join(key.split())
        rows = self.con.execute(
            "SELECT DISTINCT actor_id, kind, country FROM actors "
            "WHERE lower(actor_id) = ? OR lower(actor_id) = ? OR lower(name) = ? "
            "OR lower(parent) = ?",
            [key, slug, key, slug],
        ).fetchall()
        ids = {r[0] for r in rows}
        countries = [r[2] for r in rows if r[1] == "state" and r[2]]
        for _ in range(3):
            if not ids:
                break
            more = self.con.execute(
                "SELECT DISTINCT actor_id FROM actors WHERE parent IN (SELECT unnest(?)) "
                "OR country IN (SELECT unnest(?))",
                [sorted(ids), countries],
            ).fetchall()
            new = {r[0] for r in more} - ids
            if not new:
                break
            ids |= new
        return sorted(ids)

    def story_roles(self, actor_ids: Sequence[str]) -> dict[str, set[str]]:
        """story id -> {"actor", "target"}: how the actors take part in each story."""
        rows = self.con.execute(
            "SELECT se.story_id, e.actor IN (SELECT unnest($1)), e.target IN (SELECT unnest($1)) "
            "FROM story_events se JOIN events e USING (article_id, event_id) "
            "WHERE e.actor IN (SELECT unnest($1)) OR e.target IN (SELECT unnest($1))",
            [list(actor_ids)],
        ).fetchall()
        out: dict[str, set[str]] = {}
        for story, as_actor, as_target in rows:
            roles = out.setdefault(story, set())
            if as_actor:
                roles.add("actor")
            if as_target:
                roles.add("target")
        return out

    def stories_at_place(self, name: str) -> set[str]:
        """Stories with an event at a place of that name or id (case-insensitive)."""
        key = name.strip().lower()
        rows = self.con.execute(
            "SELECT DISTINCT se.story_id FROM story_events se "
            "JOIN events e USING (article_id, event_id) "
            "JOIN places p ON p.article_id = e.article_id AND p.place_id = e.place "
            "WHERE lower(p.name) = ? OR lower(p.place_id) = ?",
            [key, key],
        ).fetchall()
        return {r[0] for r in rows}

    def claims_by(self, actor_ids: Sequence[str]) -> list[tuple]:
        """(article, outlet, published, speaker, stance, content, start, end) said by them."""
        return self.con.execute(
            "SELECT c.article_id, a.outlet, strftime(a.published, '%Y-%m-%d'), c.speaker, "
            "c.stance, c.content, c.content_start, c.content_end FROM claims c "
            "JOIN articles a ON a.id = c.article_id WHERE c.speaker IN (SELECT unnest(?)) "
            "ORDER BY a.published, c.article_id, c.start_char",
            [list(actor_ids)],
        ).fetchall()

    # ---- positions

    def _migrate_positions(self) -> None:
        """Bring a store made before positions existed up to date: the table (created with
        the schema), rows for stored records that carry positions but have none (a Parquet
        load, an interrupted upgrade), and the schema version."""
        self.con.execute(POSITIONS_SCHEMA)
        done = self.con.execute(
            "SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if done and int(done[0]) >= SCHEMA_VERSION:
            return
        rows = self.con.execute(
            "SELECT n.article_id, n.record->'positions' FROM analyses n "
            "WHERE json_exists(n.record, '$.positions') AND NOT EXISTS "
            "(SELECT 1 FROM positions p WHERE p.article_id = n.article_id)").fetchall()
        older = self.con.execute(
            "SELECT count(*) FROM analyses WHERE NOT json_exists(record, '$.positions')"
        ).fetchone()[0]
        with self.transaction():
            for article_id, found in rows:
                items = [from_dict(Position, p) for p in json.loads(found or "[]")]
                if items:
                    self._insert_arrow("positions", position_rows(article_id, items))
            if older:
                # jobs.backfill_positions reads their text again on the next link.
                self._set_meta("positions_backfill", "pending")
            self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                             [str(SCHEMA_VERSION)])

    def positions_pending(self) -> bool:
        """Are there analyses from before positions existed still to be given theirs?"""
        found = self.con.execute(
            "SELECT value FROM meta WHERE key = 'positions_backfill'").fetchone()
        return found is not None and found[0] == "pending"

    def positions_backfilled(self) -> None:
        self._set_meta("positions_backfill", "done")

    def analyses_without_positions(self) -> Iterator[Analysis]:
        """Stored analyses made before positions existed (their record has no positions)."""
        cur = self._cursor(
            "SELECT n.record, a.text FROM analyses n JOIN articles a ON a.id = n.article_id "
            "WHERE NOT json_exists(n.record, '$.positions') ORDER BY a.ingested_at, a.id", [])
        while rows := cur.fetchmany(128):
            for record, text in rows:
                yield _analysis(record, text)

    def save_positions(self, analyses: Sequence[Analysis]) -> None:
        """Store the positions of analyses already stored (record and rows, one
        transaction): the upgrade of older analyses, never a full re-analysis."""
        if not analyses:
            return
        with self.transaction():
            ids = [a.id for a in analyses]
            self.con.execute("DELETE FROM positions WHERE article_id IN (SELECT unnest(?))", [ids])
            for a in analyses:
                self.con.execute(
                    "UPDATE analyses SET record = json_merge_patch(record, ?) "
                    "WHERE article_id = ?",
                    [json.dumps({"positions": to_dict(a.positions)}, ensure_ascii=False), a.id])
            rows = [r for a in analyses for r in position_rows(a.id, a.positions)]
            if rows:
                self._insert_arrow("positions", rows)

    def position_records(
        self, parties: Sequence[str] | None = None, issue: str | None = None,
        start: str | None = None, end: str | None = None,
    ) -> list[PositionMention]:
        """Stored positions with their article's outlet, date and copy status, in the order
        they were taken (their date, else the article's), filtered by party ids, issue and
        day range (inclusive)."""
        where, params = [], []
        if parties is not None:
            where.append("p.party IN (SELECT unnest(?))")
            params.append(list(parties))
        if issue:
            where.append("p.issue = ?")
            params.append(issue)
        day = "coalesce(substr(p.date, 1, 10), strftime(a.published, '%Y-%m-%d'))"
        if start:
            where.append(f"{day} >= ?")
            params.append(start)
        if end:
            where.append(f"substr({day}, 1, {len(end)}) <= ?")
            params.append(end)
        sql = (
            "SELECT p.article_id, p.position_id, p.party, p.issue, p.stance, p.counterpart, "
            "p.claimant, p.date, strftime(a.published, '%Y-%m-%d'), a.outlet, a.duplicate_of, "
            "a.title, p.actor, p.negated, p.hypothetical, p.conditional, p.condition_of, "
            "p.evidence_start, p.evidence_end, p.evidence, p.event_id "
            "FROM positions p JOIN articles a ON a.id = p.article_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + f" ORDER BY {day} NULLS FIRST, a.ingested_at, p.article_id, p.evidence_start, "
            "p.position_id"
        )
        try:
            found = self.con.execute(sql, params).fetchall()
        except duckdb.CatalogException:
            return []  # a store made before positions, opened read-only: none stored yet
        return [
            PositionMention(
                article=r[0], position=r[1], party=r[2], issue=r[3], stance=r[4],
                counterpart=r[5], claimant=r[6], date=r[7], published=r[8], outlet=r[9],
                duplicate_of=r[10], title=r[11], actor=r[12], negated=bool(r[13]),
                hypothetical=bool(r[14]), conditional=bool(r[15]), condition_of=r[16],
                evidence=Mention(r[17], r[18], r[19]), event=r[20])
            for r in found
        ]

    def actor_names(self, ids: Sequence[str]) -> dict[str, str]:
        """Display names of actor ids, as the articles name them."""
        rows = self.con.execute(
            "SELECT actor_id, min(name) FROM actors WHERE actor_id IN (SELECT unnest(?)) "
            "GROUP BY actor_id", [list(ids)]).fetchall()
        return dict(rows)

    # ---- web: read-only views for the API and web app (app/). Filters arrive as a Scope;
    # every user value is a bound parameter, never part of the SQL text.

    def thread_view(self) -> Store:
        """This store on a new cursor of the same database: a DuckDB connection must not be
        used by two threads at once, but each of its cursors may serve one thread."""
        view = Store.__new__(Store)
        view.path = self.path
        view.con = self.con.cursor()
        return view

    def analysed_ids(self, ids: Sequence[str]) -> set[str]:
        """Those of ``ids`` that have an analysis."""
        rows = self.con.execute(
            "SELECT article_id FROM analyses WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
            [list(ids)],
        ).fetchall()
        return {r[0] for r in rows}

    def _dicts(self, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def _scalar(self, sql: str, params: Sequence[Any]) -> Any:
        row = self.con.execute(sql, list(params)).fetchone()
        return row[0] if row else None

    def web_articles(
        self, scope: Scope, limit: int, offset: int
    ) -> tuple[int, list[dict[str, Any]]]:
        """(total, one page of article rows), newest first; with ``scope.q`` each row has a
        ``snippet`` around the first match."""
        where, params = _article_scope(scope)
        cond = " WHERE " + " AND ".join(where) if where else ""
        total = self._scalar(f"SELECT count(*) FROM articles a{cond}", params)
        snippet = "NULL"
        head: list[Any] = []
        if scope.q:
            # lower() keeps the length of almost every character, so the position found in
            # the lowered text is (near enough) the position in the text for a snippet.
            snippet = ("CASE WHEN strpos(lower(a.text), lower(?)) > 0 THEN substr(a.text, "
                       "greatest(strpos(lower(a.text), lower(?)) - 90, 1), 220) END")
            head = [scope.q, scope.q]
        rows = self._dicts(
            "SELECT a.id, a.title, a.outlet, strftime(a.published, '%Y-%m-%d') AS published, "
            "a.author, a.url, a.words, a.duplicate_of, n.genre, n.tone, "
            "(SELECT count(*) FROM events e WHERE e.article_id = a.id) AS events, "
            f"{snippet} AS snippet "
            f"FROM articles a LEFT JOIN analyses n ON n.article_id = a.id{cond} "
            "ORDER BY a.published DESC NULLS LAST, a.id LIMIT ? OFFSET ?",
            [*head, *params, limit, offset],
        )
        return total, rows

    def web_article(self, article_id: str) -> dict[str, Any] | None:
        rows = self._dicts(
            "SELECT a.id, a.source, a.url, a.outlet, a.title, a.author, "
            "strftime(a.published, '%Y-%m-%d') AS published, a.language, a.duplicate_of, "
            "a.similarity, a.words, a.text, n.genre, n.tone, n.model "
            "FROM articles a LEFT JOIN analyses n ON n.article_id = a.id WHERE a.id = ?",
            [article_id],
        )
        return rows[0] if rows else None

    def web_article_stories(self, article_id: str) -> dict[str, str]:
        """event id -> story id for one article's linked events."""
        rows = self.con.execute(
            "SELECT event_id, story_id FROM story_events WHERE article_id = ?", [article_id]
        ).fetchall()
        return dict(rows)

    def web_copies(self, article_id: str) -> list[dict[str, Any]]:
        """Stored copies of an article (exact or near)."""
        return self._dicts(
            "SELECT id, outlet, similarity FROM articles WHERE duplicate_of = ? ORDER BY id",
            [article_id],
        )

    def web_stories(
        self, scope: Scope, contested: bool | None = None, reported: bool | None = None,
        order: str = "sources",
    ) -> list[tuple[str, str | None, str | None, str]]:
        """(story id, date, date precision, type) of the stories in scope, in ``order``
        ("sources": most independent outlets first; "date": newest first). Dates are
        filtered by the caller (a story date is an interval: see link.measure)."""
        where, params = _story_scope(scope)
        if contested is not None:
            where.append("s.contested = ?")
            params.append(contested)
        if reported is not None:
            where.append("(json_array_length(s.record, '$.articles') > 0) = ?")
            params.append(reported)
        cond = " WHERE " + " AND ".join(where) if where else ""
        by = ("s.date DESC NULLS LAST, s.independent_outlets DESC, s.story_id" if order == "date"
              else "s.independent_outlets DESC, s.outlets DESC, s.date, s.story_id")
        return self.con.execute(
            f"SELECT s.story_id, s.date, s.date_precision, s.type FROM stories s{cond} "
            f"ORDER BY {by}",
            params,
        ).fetchall()

    def web_story_members(self, story_id: str) -> list[dict[str, Any]]:
        """Every event mention of a story with its article and place, oldest report first."""
        return self._dicts(
            "SELECT e.article_id, e.event_id, a.outlet, a.title, "
            "strftime(a.published, '%Y-%m-%d') AS published, a.duplicate_of, e.type, e.mode, "
            "e.actor, e.target, e.place, p.name AS place_name, e.date, e.date_precision, "
            "e.negated, e.hypothetical, e.trigger, e.evidence_start, e.evidence_end, "
            "e.evidence, e.figures, e.claims "
            "FROM story_events se JOIN events e USING (article_id, event_id) "
            "JOIN articles a ON a.id = e.article_id "
            "LEFT JOIN places p ON p.article_id = e.article_id AND p.place_id = e.place "
            "WHERE se.story_id = ? ORDER BY a.published NULLS LAST, e.article_id, "
            "e.evidence_start",
            [story_id],
        )

    def web_contradictions(
        self, scope: Scope, field: str | None = None
    ) -> list[tuple[str, str | None, str | None, str]]:
        """(story id, story date, precision, contradiction JSON) in scope, best-sourced
        stories first."""
        where, params = _story_scope(scope)
        if field:
            where.append("(c.field = ? OR c.field LIKE ?)")
            params += [field, field + ".%"]
        cond = " WHERE " + " AND ".join(where) if where else ""
        return self.con.execute(
            # LEFT: a contradiction of no story (negotiation positions) is listed too.
            "SELECT c.story_id, s.date, s.date_precision, c.record FROM contradictions c "
            f"LEFT JOIN stories s ON s.story_id = c.story_id{cond} "
            "ORDER BY s.independent_outlets DESC, s.outlets DESC, c.story_id, c.idx",
            params,
        ).fetchall()

    def web_actors(
        self, scope: Scope, limit: int, offset: int, kind: str | None = None,
        name: str | None = None,
    ) -> tuple[int, list[dict[str, Any]]]:
        """(total, one page of actors named in the articles in scope), most articles first."""
        where, params = _article_scope(scope)
        if kind:
            where.append("x.kind = ?")
            params.append(kind)
        if name:
            where.append("(contains(lower(x.name), lower(?)) OR contains(x.actor_id, lower(?)))")
            params += [name, name]
        cond = " WHERE " + " AND ".join(where) if where else ""
        source = f"FROM actors x JOIN articles a ON a.id = x.article_id{cond}"
        total = self._scalar(f"SELECT count(DISTINCT x.actor_id) {source}", params)
        rows = self._dicts(
            "SELECT x.actor_id AS id, mode(x.name) AS name, mode(x.kind) AS kind, "
            "mode(x.country) AS country, bool_or(x.known) AS known, "
            "count(DISTINCT x.article_id) AS articles, sum(x.mention_count) AS mentions "
            f"{source} GROUP BY x.actor_id ORDER BY articles DESC, mentions DESC, id "
            "LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return total, rows

    def web_actor(self, actor_id: str) -> dict[str, Any] | None:
        rows = self._dicts(
            "SELECT actor_id AS id, mode(name) AS name, list(DISTINCT name) AS names, "
            "mode(kind) AS kind, mode(country) AS country, mode(parent) AS parent, "
            "bool_or(known) AS known, count(DISTINCT article_id) AS articles, "
            "sum(mention_count) AS mentions FROM actors WHERE actor_id = ? GROUP BY actor_id",
            [actor_id],
        )
        return rows[0] if rows else None

    def web_actor_outlets(self, actor_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Per outlet: articles naming the actors, events they did and suffered, their
        claims, and the framing stage's stance towards them."""
        # Per-article counts joined in, not correlated subqueries: DuckDB plans and runs
        # those as one delim join each (~30 ms here against ~3 ms).
        return self._dicts(
            "WITH ids AS (SELECT unnest($1::VARCHAR[]) AS id), "
            "arts AS (SELECT DISTINCT article_id FROM actors WHERE actor_id IN (FROM ids)), "
            "did AS (SELECT article_id, count(*) AS n FROM events WHERE actor IN (FROM ids) "
            "GROUP BY 1), "
            "done AS (SELECT article_id, count(*) AS n FROM events WHERE target IN (FROM ids) "
            "GROUP BY 1), "
            "said AS (SELECT article_id, count(*) AS n FROM claims WHERE speaker IN (FROM ids) "
            "GROUP BY 1), "
            "stance AS (SELECT article_id, avg(score) AS s FROM actor_stance "
            "WHERE actor_id IN (FROM ids) GROUP BY 1) "
            "SELECT coalesce(a.outlet, '(unknown)') AS outlet, count(*) AS articles, "
            "sum(coalesce(did.n, 0)) AS did, sum(coalesce(done.n, 0)) AS done_to, "
            "sum(coalesce(said.n, 0)) AS claims, avg(stance.s) AS stance "
            "FROM arts JOIN articles a ON a.id = arts.article_id "
            "LEFT JOIN did ON did.article_id = a.id LEFT JOIN done ON done.article_id = a.id "
            "LEFT JOIN said ON said.article_id = a.id "
            "LEFT JOIN stance ON stance.article_id = a.id "
            "GROUP BY 1 ORDER BY articles DESC, outlet",
            [list(actor_ids)],
        )

    def web_places(
        self, scope: Scope, limit: int, offset: int, name: str | None = None
    ) -> tuple[int, list[dict[str, Any]]]:
        """(total, one page of places named in the articles in scope), most articles first."""
        where, params = _article_scope(scope)
        if name:
            where.append("(contains(lower(x.name), lower(?)) OR contains(lower(x.place_id), lower(?)))")
            params += [name, name]
        cond = " WHERE " + " AND ".join(where) if where else ""
        source = f"FROM places x JOIN articles a ON a.id = x.article_id{cond}"
        total = self._scalar(f"SELECT count(DISTINCT x.place_id) {source}", params)
        rows = self._dicts(
            "SELECT x.place_id AS id, mode(x.name) AS name, avg(x.lat) AS lat, "
            "avg(x.lon) AS lon, mode(x.country) AS country, mode(x.kind) AS kind, "
            "count(DISTINCT x.article_id) AS articles, sum(x.mention_count) AS mentions, "
            "(SELECT count(*) FROM events e WHERE e.place = x.place_id) AS events "
            f"{source} GROUP BY x.place_id ORDER BY articles DESC, mentions DESC, id "
            "LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return total, rows

    def web_place(self, place_id: str) -> dict[str, Any] | None:
        rows = self._dicts(
            "SELECT place_id AS id, mode(name) AS name, avg(lat) AS lat, avg(lon) AS lon, "
            "mode(country) AS country, mode(kind) AS kind, "
            "count(DISTINCT article_id) AS articles FROM places WHERE place_id = ? "
            "GROUP BY place_id",
            [place_id],
        )
        return rows[0] if rows else None

    def web_events(
        self, scope: Scope, limit: int | None = None, offset: int = 0,
        at: str | None = None, located: bool = False,
    ) -> tuple[int, list[dict[str, Any]]]:
        """(total, a page of event mentions) in articles in scope, of ``scope.type`` when
        given, at place ``at`` (name or id) when given; ``located``: only events at a place
        with coordinates. Copies of articles are left out (never independent reports);
        denied and hypothetical events too."""
        where, params = _article_scope(scope)
        where += ["a.duplicate_of IS NULL", "NOT e.negated", "NOT e.hypothetical"]
        if scope.type:
            where.append("e.type = ?")
            params.append(scope.type)
        if at:
            where.append("(lower(e.place) = lower(?) OR lower(p.name) = lower(?))")
            params += [at, at]
        if located:
            where.append("p.lat IS NOT NULL AND p.lon IS NOT NULL")
        source = (
            "FROM events e JOIN articles a ON a.id = e.article_id "
            "LEFT JOIN places p ON p.article_id = e.article_id AND p.place_id = e.place "
            "LEFT JOIN story_events se ON se.article_id = e.article_id AND se.event_id = e.event_id "
            "WHERE " + " AND ".join(where)
        )
        total = self._scalar(f"SELECT count(*) {source}", params)
        page = " LIMIT ? OFFSET ?" if limit is not None else ""
        rows = self._dicts(
            "SELECT e.article_id AS article, e.event_id AS event, se.story_id AS story, "
            "a.outlet, strftime(a.published, '%Y-%m-%d') AS published, e.type, e.mode, "
            "e.actor, e.target, e.place, p.name AS place_name, p.lat, p.lon, "
            "p.country AS place_country, p.kind AS place_kind, e.date, e.date_precision, "
            "e.trigger, e.evidence_start, e.evidence_end, e.evidence "
            f"{source} ORDER BY e.date NULLS LAST, a.published, e.article_id, e.evidence_start"
            f"{page}",
            [*params, *([limit, offset] if limit is not None else [])],
        )
        return total, rows

    def web_outlets(self, scope: Scope) -> list[dict[str, Any]]:
        """Per outlet (None = unknown): articles, copies, words, mean tone, layer counts and
        stories covered, for the articles in scope."""
        where, params = _article_scope(scope)
        cond = " WHERE " + " AND ".join(where) if where else ""
        # Per-article counts from one pass over each table, joined in: as correlated
        # subqueries DuckDB spent ~50 ms planning and running this on 32 articles.
        tables = ("events", "claims", "quotes", "figures", "techniques")
        counted = " UNION ALL ".join(
            f"SELECT article_id, '{t}' AS layer FROM {t}" for t in tables)
        per_layer = ", ".join(f"count(*) FILTER (WHERE layer = '{t}') AS {t}" for t in tables)
        sums = ", ".join(f"sum(coalesce(p.{t}, 0)) AS {t}" for t in tables)
        return self._dicts(
            f"WITH base AS (SELECT a.* FROM articles a{cond}), "
            f"per AS (SELECT article_id, {per_layer} FROM ({counted}) GROUP BY article_id), "
            "covered AS (SELECT b.outlet, count(DISTINCT se.story_id) AS n FROM story_events se "
            "JOIN base b ON b.id = se.article_id GROUP BY b.outlet) "
            "SELECT a.outlet, count(*) AS articles, count(a.duplicate_of) AS copies, "
            f"sum(a.words) AS words, avg(n.tone) AS tone, {sums}, "
            "any_value(coalesce(c.n, 0)) AS stories, "
            "min(strftime(a.published, '%Y-%m-%d')) AS first, "
            "max(strftime(a.published, '%Y-%m-%d')) AS last "
            "FROM base a LEFT JOIN analyses n ON n.article_id = a.id "
            "LEFT JOIN per p ON p.article_id = a.id "
            "LEFT JOIN covered c ON c.outlet IS NOT DISTINCT FROM a.outlet "
            "GROUP BY a.outlet ORDER BY articles DESC, a.outlet",
            params,
        )

    def web_outlet_breakdown(self, scope: Scope, kind: str) -> list[tuple[str | None, str, int]]:
        """(outlet, value, count) of one per-article property: genre, technique, stance
        (of claims), speaker (of claims) or event_type."""
        table, expr = _BREAKDOWNS[kind]
        where, params = _article_scope(scope)
        where.append(f"{expr} IS NOT NULL")
        return self.con.execute(
            f"SELECT a.outlet, {expr} AS value, count(*) FROM {table} t "
            "JOIN articles a ON a.id = t.article_id WHERE " + " AND ".join(where)
            + " GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2",
            params,
        ).fetchall()

    def web_outlet_stances(self, scope: Scope, actor_ids: Sequence[str]) -> list[tuple]:
        """(outlet, actor id, mean stance score, articles) towards the given actors."""
        where, params = _article_scope(scope)
        where.append("s.actor_id IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(actor_ids))
        return self.con.execute(
            "SELECT a.outlet, s.actor_id, avg(s.score), count(*) FROM actor_stance s "
            "JOIN articles a ON a.id = s.article_id WHERE " + " AND ".join(where)
            + " GROUP BY 1, 2",
            params,
        ).fetchall()

    def web_outlet_names(self) -> list[str]:
        return [r[0] for r in self.con.execute(
            "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY 1"
        ).fetchall()]

    # ---- framing: outlet profiles (link/outlets.py). Every query takes an optional list of
    # article ids (the articles of one story); None means every article. Copies count for the
    # outlet that ran them: a profile describes what an outlet published.

    def _framing_scope(self, articles: Sequence[str] | None, alias: str = "a") -> tuple[str, list]:
        if articles is None:
            return "TRUE", []
        return f"{alias}.id IN (SELECT unnest(?::VARCHAR[]))", [list(articles)]

    def framing_outlet_articles(self, articles: Sequence[str] | None = None) -> list[tuple]:
        """(outlet, articles, analysed, outlet's own words, mean tone) per outlet."""
        where, params = self._framing_scope(articles)
        return self.con.execute(
            "SELECT coalesce(a.outlet, '(unknown)'), count(*), count(n.article_id), "
            "sum(coalesce(TRY_CAST(json_extract(n.record, '$.framing.words') AS BIGINT), 0)), "
            "avg(n.tone) FROM articles a LEFT JOIN analyses n ON n.article_id = a.id "
            f"WHERE {where} GROUP BY 1 ORDER BY 2 DESC, 1",
            params,
        ).fetchall()

    def framing_outlet_genres(self, articles: Sequence[str] | None = None) -> list[tuple]:
        """(outlet, genre, articles)."""
        where, params = self._framing_scope(articles)
        return self.con.execute(
            "SELECT coalesce(a.outlet, '(unknown)'), n.genre, count(*) FROM analyses n "
            f"JOIN articles a ON a.id = n.article_id WHERE {where} AND n.genre IS NOT NULL "
            "GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2",
            params,
        ).fetchall()

    def framing_outlet_techniques(self, articles: Sequence[str] | None = None) -> list[tuple]:
        """(outlet, technique, spans in the outlet's own voice, spans in reported speech).

        Reported speech: a span with a speaker, or one that starts inside a quotation or a
        reported claim's content (whose speaker may be no actor, so its speaker is null).
        """
        where, params = self._framing_scope(articles)
        return self.con.execute(
            "WITH reported AS ("
            "  SELECT article_id, start_char AS s, end_char AS e FROM quotes "
            "  UNION ALL SELECT article_id, content_start, content_end FROM claims "
            "  WHERE speaker IS NOT NULL OR speaker_text IS NOT NULL), "
            "spans AS (SELECT t.article_id, t.technique, t.speaker IS NOT NULL OR EXISTS ("
            "  SELECT 1 FROM reported r WHERE r.article_id = t.article_id "
            "  AND t.start_char >= r.s AND t.start_char < r.e) AS quoted FROM techniques t) "
            "SELECT coalesce(a.outlet, '(unknown)'), t.technique, count(*) FILTER "
            "(WHERE NOT t.quoted), count(*) FILTER (WHERE t.quoted) "
            f"FROM spans t JOIN articles a ON a.id = t.article_id WHERE {where} "
            "GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2",
            params,
        ).fetchall()

    def framing_outlet_voices(self, articles: Sequence[str] | None = None) -> list[tuple]:
        """(outlet, party, quotes, claims): whose voices an outlet carries.

        A speaker's party is its actor's country (ISO alpha-3), else the body it belongs to
        (parent), else the actor itself; speakers with no actor are 'unidentified'.
        """
        where, params = self._framing_scope(articles)
        return self.con.execute(
            "WITH said AS ("
            "  SELECT article_id, speaker, 1 AS q, 0 AS c FROM quotes "
            "  UNION ALL SELECT article_id, speaker, 0, 1 FROM claims) "
            "SELECT coalesce(a.outlet, '(unknown)'), "
            "CASE WHEN s.speaker IS NULL THEN 'unidentified' "
            "ELSE coalesce(ac.country, ac.parent, s.speaker) END, sum(s.q), sum(s.c) "
            "FROM said s JOIN articles a ON a.id = s.article_id "
            "LEFT JOIN actors ac ON ac.article_id = s.article_id AND ac.actor_id = s.speaker "
            f"WHERE {where} GROUP BY 1, 2 ORDER BY 1, sum(s.q) + sum(s.c) DESC, 2",
            params,
        ).fetchall()

    def framing_outlet_stances(self, articles: Sequence[str] | None = None) -> list[tuple]:
        """(outlet, actor id, actor name, articles, mean score, positive, negative, neutral)."""
        where, params = self._framing_scope(articles)
        return self.con.execute(
            "SELECT coalesce(a.outlet, '(unknown)'), s.actor_id, any_value(ac.name), count(*), "
            "avg(s.score), count(*) FILTER (WHERE s.stance = 'positive'), "
            "count(*) FILTER (WHERE s.stance = 'negative'), "
            "count(*) FILTER (WHERE s.stance = 'neutral') FROM actor_stance s "
            "JOIN articles a ON a.id = s.article_id "
            "LEFT JOIN actors ac ON ac.article_id = s.article_id AND ac.actor_id = s.actor_id "
            f"WHERE {where} GROUP BY 1, 2 ORDER BY 1, 4 DESC, 2",
            params,
        ).fetchall()

    def framing_main_actors(self, limit: int, articles: Sequence[str] | None = None) -> list[tuple]:
        """(actor id, name, articles, outlets): the dictionary actors most articles mention."""
        where, params = self._framing_scope(articles)
        return self.con.execute(
            "SELECT ac.actor_id, mode(ac.name), count(DISTINCT ac.article_id), "
            "count(DISTINCT a.outlet) FROM actors ac JOIN articles a ON a.id = ac.article_id "
            # Dictionary actors only: NER-only finds ("civilians", "residents") are many
            # and rarely the parties a reader compares outlets on.
            f"WHERE {where} AND ac.known GROUP BY 1 ORDER BY 3 DESC, 4 DESC, 1 LIMIT ?",
            [*params, limit],
        ).fetchall()

    # ------------------------------------------------------------------ watch (watch/)

    def _has_table(self, name: str) -> bool:
        # A store written before `watch` existed and opened read-only lacks its tables.
        return bool(self._scalar(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]))

    def watch_sources(self, keys: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The stored politeness state of these sources, by key."""
        rows = self._dicts("SELECT * FROM watch_sources WHERE source IN (SELECT unnest(?))",
                           [list(keys)])
        return {r["source"]: r for r in rows}

    def watch_seen(self, source: str) -> dict[str, str | None]:
        """item -> version of every item of ``source`` already ingested."""
        rows = self.con.execute("SELECT item, version FROM watch_seen WHERE source = ?",
                                [source]).fetchall()
        return dict(rows)

    def save_watch_poll(self, state: dict[str, Any], seen: Sequence[tuple[str, str | None]]
                        ) -> None:
        """A source's new politeness state and the items it gave, in one transaction: written
        after the items are stored, so a poll killed before this is simply polled again."""
        columns = ["source", "etag", "last_modified", "failures", "retry_at", "last_polled",
                   "last_ok", "last_status", "last_error"]
        with self.transaction():
            self.con.execute(
                f"INSERT OR REPLACE INTO watch_sources ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})", [state.get(c) for c in columns])
            if seen:
                self._insert_rows(
                    "INSERT OR REPLACE INTO watch_seen (source, item, version)",
                    "(?, ?, ?)", [[state["source"], item, version] for item, version in seen])

    def start_watch_round(self) -> tuple[int, bool]:
        """A new round's number, and whether the round before it was left unfinished."""
        with self.transaction():
            last = self.con.execute(
                "SELECT round, finished FROM watch_rounds ORDER BY round DESC LIMIT 1"
            ).fetchone()
            number = (last[0] + 1) if last else 1
            self.con.execute("INSERT INTO watch_rounds (round, started) "
                             "VALUES (?, current_timestamp)", [number])
        return number, bool(last) and last[1] is None

    def watch_baseline(self) -> dict[str, StoryState] | None:
        """The linked state the last finished round ended with; None before the first."""
        if self._scalar("SELECT value FROM meta WHERE key = 'watch_baseline'", []) is None:
            return None
        rows = self.con.execute("SELECT state FROM watch_stories").fetchall()
        states = (from_dict(StoryState, json.loads(r[0])) for r in rows)
        return {s.id: s for s in states}

    def _replace_snapshot(self, table: str, marker: str, rows: list[list[Any]]) -> None:
        """Replace a watch snapshot table (keys, then the state as JSON) and mark it set."""
        self.con.execute(f"DELETE FROM {table}")
        if rows:
            self._insert_rows(f"INSERT INTO {table}", f"({', '.join('?' * len(rows[0]))})",
                              rows)
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, 'set')", [marker])

    def _replace_watch_stories(self, states: Sequence[StoryState]) -> None:
        self._replace_snapshot("watch_stories", "watch_baseline", [
            [s.id, json.dumps(to_dict(s), ensure_ascii=False)] for s in states])

    def save_watch_baseline(self, states: Sequence[StoryState]) -> None:
        """The state alerts of the first round are measured from (the store as it was)."""
        with self.transaction():
            self._replace_watch_stories(states)

    def watch_position_baseline(self) -> dict[tuple[str, str], PositionState] | None:
        """Each party's stance per issue the last finished round ended with; None before
        the first round (or in a store whose watch began before positions were followed)."""
        if self._scalar("SELECT value FROM meta WHERE key = 'watch_positions'", []) is None:
            return None
        rows = self.con.execute("SELECT state FROM watch_positions").fetchall()
        states = (from_dict(PositionState, json.loads(r[0])) for r in rows)
        return {(s.party, s.issue): s for s in states}

    def _replace_watch_positions(self, states: Sequence[PositionState]) -> None:
        self._replace_snapshot("watch_positions", "watch_positions", [
            [s.party, s.issue, json.dumps(to_dict(s), ensure_ascii=False)] for s in states])

    def save_watch_position_baseline(self, states: Sequence[PositionState]) -> None:
        """The stances position alerts of the first round are measured from."""
        with self.transaction():
            self._replace_watch_positions(states)

    def finish_watch_round(
        self, number: int, states: Sequence[StoryState] | None, alerts: Sequence[Alert],
        channels: Sequence[str], report: dict[str, Any],
        positions: Sequence[PositionState] | None = None,
    ) -> None:
        """The round's alerts (with a pending delivery per channel), the new baselines of
        stories and positions (None: unchanged) and the round's report, together: a round
        killed before this raises its alerts again on the next one, under the same ids."""
        with self.transaction():
            if states is not None:
                self._replace_watch_stories(states)
            if positions is not None:
                self._replace_watch_positions(positions)
            # An alert id is its change (kind, story, subject, old and new value): the same
            # change raised again is not stored or delivered twice.
            ids = [a.id for a in alerts]
            known = {r[0] for r in self.con.execute(
                "SELECT alert_id FROM alerts WHERE alert_id IN (SELECT unnest(?))", [ids]
            ).fetchall()}
            fresh = [a for a in {a.id: a for a in alerts}.values() if a.id not in known]
            if fresh:
                self._insert_rows(
                    "INSERT INTO alerts", "(?, ?, ?, ?, ?, ?)",
                    [[a.id, a.created, a.round, a.kind, a.story,
                      json.dumps(to_dict(a), ensure_ascii=False)] for a in fresh])
            if fresh and channels:
                self._insert_rows(
                    "INSERT OR IGNORE INTO alert_deliveries (alert_id, channel)",
                    "(?, ?)", [[a.id, c] for a in fresh for c in channels])
            self.con.execute(
                "UPDATE watch_rounds SET finished = current_timestamp, report = ? WHERE round = ?",
                [json.dumps(report, ensure_ascii=False), number])

    def pending_alerts(self, channel: str) -> list[Alert]:
        """Alerts not yet delivered to ``channel``, oldest first."""
        rows = self.con.execute(
            "SELECT a.record FROM alert_deliveries d JOIN alerts a USING (alert_id) "
            "WHERE d.channel = ? AND d.delivered IS NULL ORDER BY a.created, a.rowid",
            [channel]).fetchall()
        return [from_dict(Alert, json.loads(r[0])) for r in rows]

    def mark_delivery(self, channel: str, ids: Sequence[str], error: str | None = None) -> None:
        """Record an attempt to deliver ``ids`` to ``channel``: delivered, or the error."""
        if not ids:
            return
        done = "current_timestamp" if error is None else "NULL"
        with self.transaction():
            self.con.execute(
                f"UPDATE alert_deliveries SET delivered = {done}, attempts = attempts + 1, "
                "last_error = ? WHERE channel = ? AND alert_id IN (SELECT unnest(?))",
                [error, channel, list(ids)])

    def alert_records(
        self, since: str | None = None, kind: str | None = None, story: str | None = None,
        limit: int | None = None, offset: int = 0,
    ) -> tuple[int, list[Alert]]:
        """(how many match, the page of them), newest first; ``since`` is an ISO date or
        time (UTC)."""
        if not self._has_table("alerts"):
            return 0, []
        where, params = [], []
        for column, value in (("created >= CAST(? AS TIMESTAMP)", since), ("kind = ?", kind),
                              ("story_id = ?", story)):
            if value:
                where.append(column)
                params.append(value)
        clause = " WHERE " + " AND ".join(where) if where else ""
        total = self._scalar("SELECT count(*) FROM alerts" + clause, params)
        # Newest round first; within a round, in the order the round raised them.
        sql = f"SELECT record FROM alerts{clause} ORDER BY created DESC, rowid"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = [*params, limit, offset]
        rows = self.con.execute(sql, params).fetchall()
        return total, [from_dict(Alert, json.loads(r[0])) for r in rows]

    def event_spans(self, pairs: Sequence[tuple[str, str]]) -> dict[tuple[str, str], tuple]:
        """(article, event) -> (evidence start, end, text, outlet) for these events."""
        if not pairs:
            return {}
        rows = self.con.execute(
            "SELECT e.article_id, e.event_id, e.evidence_start, e.evidence_end, e.evidence, "
            "a.outlet FROM events e JOIN articles a ON a.id = e.article_id "
            "WHERE (e.article_id || chr(31) || e.event_id) IN (SELECT unnest(?))",
            [[f"{a}\x1f{e}" for a, e in pairs]]).fetchall()
        return {(a, e): (s, t, text, outlet) for a, e, s, t, text, outlet in rows}

    # ------------------------------------------------------------------ export

    def export_actors(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        """id, name, kind, country (ISO alpha-3) of actors, each as most articles give it."""
        return self._dicts(
            "SELECT actor_id AS id, mode(name) AS name, mode(kind) AS kind, "
            "mode(country) AS country FROM actors "
            "WHERE actor_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY actor_id",
            [list(ids)],
        )

    def export_places(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        """id, name, lat, lon, country (ISO alpha-2), kind of places."""
        return self._dicts(
            "SELECT place_id AS id, mode(name) AS name, avg(lat) AS lat, avg(lon) AS lon, "
            "mode(country) AS country, mode(kind) AS kind FROM places "
            "WHERE place_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY place_id",
            [list(ids)],
        )

    def export_articles(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        """id, url, outlet, title, published of articles."""
        return self._dicts(
            "SELECT id, url, outlet, title, strftime(published, '%Y-%m-%d') AS published "
            "FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))",
            [list(ids)],
        )

    def export_story_modes(self, story_ids: Sequence[str]) -> dict[str, str]:
        """story id -> the mode most of its event mentions give (stories carry none)."""
        rows = self.con.execute(
            "SELECT se.story_id, mode(e.mode) FROM story_events se "
            "JOIN events e USING (article_id, event_id) "
            "WHERE se.story_id IN (SELECT unnest(?::VARCHAR[])) AND e.mode IS NOT NULL "
            "GROUP BY 1",
            [list(story_ids)],
        ).fetchall()
        return dict(rows)

    def export_story_evidence(self, story_ids: Sequence[str]) -> list[dict[str, Any]]:
        """story, article, event, evidence_start, evidence_end, evidence of every event
        mention of the stories, in text order within each article."""
        return self._dicts(
            "SELECT se.story_id AS story, e.article_id AS article, e.event_id AS event, "
            "e.evidence_start, e.evidence_end, e.evidence FROM story_events se "
            "JOIN events e USING (article_id, event_id) "
            "WHERE se.story_id IN (SELECT unnest(?::VARCHAR[])) "
            "ORDER BY se.story_id, e.article_id, e.evidence_start",
            [list(story_ids)],
        )

    def export_event_figures(self, whats: Sequence[str]) -> dict[tuple[str, str], list[float]]:
        """(article, event) -> values of the figures attached to it whose `what` is one of
        ``whats`` (an event's own figures: the events stage links them)."""
        rows = self.con.execute(
            "WITH attached AS (SELECT article_id, event_id, unnest(figures) AS figure_id "
            "FROM events) "
            "SELECT a.article_id, a.event_id, f.value FROM attached a "
            "JOIN figures f USING (article_id, figure_id) "
            "WHERE f.what IN (SELECT unnest(?::VARCHAR[])) ORDER BY 1, 2, f.start_char",
            [list(whats)],
        ).fetchall()
        out: dict[tuple[str, str], list[float]] = {}
        for article, event, value in rows:
            out.setdefault((article, event), []).append(value)
        return out

    # ---- DataFrames (triangulate.open, frames.py): one query per layer, filtered by a Scope
    # whose actor and place narrow each layer in its own way (see _FRAME_LAYERS).

    def frame(self, layer: str, scope: Scope) -> Any:
        """A pandas DataFrame of one layer's rows in ``scope``: events, figures, claims,
        quotes, places (each with its article's outlet and publication date) or positions.
        ``scope.start``/``end`` filter on publication dates; the caller filters events by
        their own dates."""
        if layer not in _FRAME_LAYERS:
            raise ValueError(f"unknown layer {layer!r}; choose from {', '.join(_FRAME_LAYERS)}")
        select, actor_cond, place_cond = _FRAME_LAYERS[layer]
        where, params = _article_scope(Scope(outlet=scope.outlet, start=scope.start,
                                              end=scope.end))
        if scope.actor_ids is not None:
            where.append(actor_cond)
            params += [list(scope.actor_ids)] * actor_cond.count("?")
        if scope.place:
            where.append(place_cond)
            params += [scope.place] * place_cond.count("?")
        cond = " WHERE " + " AND ".join(where) if where else ""
        return self.con.execute(
            f"{select}{cond} ORDER BY a.published NULLS LAST, t.article_id, 3", params).df()

    def export(self, table: str, path: str | Path, fmt: str) -> int:
        """Write one table to Parquet, CSV or JSONL; returns the row count."""
        if table not in EXPORTABLE:
            raise ValueError(f"unknown table {table!r}; choose from {', '.join(EXPORTABLE)}")
        options = {"parquet": "FORMAT parquet", "csv": "FORMAT csv, HEADER", "jsonl": "FORMAT json"}
        if fmt not in options:
            raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(options)}")
        self.con.execute(f"COPY (SELECT * FROM {table}) TO ? ({options[fmt]})", [str(path)])
        return self._count(table)


# DuckDB's memory cap while analyses are written (see Store.bounded_cache).
WRITE_MEMORY_LIMIT = "256MB"

# Articles per page when streaming stored articles: ~4 MB of text per page.
ARTICLE_PAGE = 1000

# One analysis as a row of the analyses table (and of the Ray runner's Parquet files).
ANALYSIS_COLUMNS = ["article_id", "model", "genre", "genre_score", "tone", "record"]


def _analysis(record: str, text: str) -> Analysis:
    """A stored record back as an Analysis; the text lives in the articles table."""
    return from_dict(Analysis, {**json.loads(record), "text": text})


def _story_rows(stories: Sequence[Any], unbound: Sequence[tuple[str, Contradiction]]
                ) -> tuple[list[list[Any]], list[list[Any]]]:
    """Rows of the stories table and of the contradictions table (each story's, then those
    of no story under their own keys)."""
    story_rows, contradiction_rows = [], []
    for k, (key, c) in enumerate(unbound):
        contradiction_rows.append([key, k, c.field, json.dumps(to_dict(c), ensure_ascii=False)])
    for s in stories:
        place = s.place
        story_rows.append([
            s.id, s.type, s.date, s.date_precision, place.id if place else None,
            place.name if place else None, place.lat if place else None,
            place.lon if place else None, s.outlets, s.independent_outlets,
            any(f.contested for f in s.figures), s.title,
            json.dumps(to_dict(s), ensure_ascii=False),
        ])
        for k, c in enumerate(s.contradictions):
            contradiction_rows.append([s.id, k, c.field, json.dumps(to_dict(c), ensure_ascii=False)])
    return story_rows, contradiction_rows


def analysis_from_record(record: str, text: str) -> Analysis:
    """An Analysis from its stored record and its article's text."""
    return _analysis(record, text)


def analysis_row(a: Analysis) -> list[Any]:
    """[article_id, model, genre, genre_score, tone, record JSON without the text]."""
    record = to_dict(a)
    record.pop("text", None)
    framing = a.framing
    return [
        a.id, a.model, a.genre.label if a.genre else None, a.genre.score if a.genre else None,
        framing.tone if framing else None, json.dumps(record, ensure_ascii=False),
    ]


@functools.cache
def _arrow_types() -> dict[str, Any]:
    import pyarrow as pa

    return {"VARCHAR": pa.string(), "JSON": pa.string(), "INTEGER": pa.int32(),
            "BIGINT": pa.int64(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(),
            "VARCHAR[]": pa.list_(pa.string())}


EXPORTABLE = ("articles", "skipped", "analyses", *LAYER_TABLES, "stories", "story_events",
              "contradictions", "tolls", "failed_analyses")


def _layer_rows(a: Analysis, rows: dict[str, list[list[Any]]]) -> None:
    for actor in a.actors:
        rows["actors"].append([a.id, actor.id, actor.name, actor.kind, actor.country,
                               actor.known, actor.parent, len(actor.mentions)])
        rows["mentions"].extend(
            [a.id, "actor", actor.id, m.start, m.end, m.text] for m in actor.mentions
        )
    for place in a.places:
        rows["places"].append([a.id, place.id, place.name, place.lat, place.lon, place.country,
                               place.kind, len(place.mentions)])
        rows["mentions"].extend(
            [a.id, "place", place.id, m.start, m.end, m.text] for m in place.mentions
        )
    for i, t in enumerate(a.times):
        rows["times"].append([a.id, i, t.start, t.end, t.text, t.type, t.value, t.anchor,
                              t.in_quote])
    for f in a.figures:
        rows["figures"].append([a.id, f.id, f.start, f.end, f.text, f.value, f.low, f.high,
                                f.approximate, f.what, f.who, f.hedge, f.event, f.scope,
                                f.since, f.who_text])
    for c in a.claims:
        rows["claims"].append([a.id, c.id, c.speaker, c.speaker_text, c.cue, c.stance, c.start,
                               c.end, c.content.start, c.content.end, c.content.text, c.figures,
                               c.event])
    for q in a.quotes:
        rows["quotes"].append([a.id, q.id, q.speaker, q.speaker_text, q.cue, q.start, q.end,
                               q.text])
    for e in a.events:
        rows["events"].append([a.id, e.id, e.type, e.mode, e.actor, e.target, e.place, e.date,
                               e.date_precision, e.negated, e.hypothetical, e.trigger,
                               e.evidence.start, e.evidence.end, e.evidence.text, e.figures,
                               e.claims])
    if a.framing:
        for i, t in enumerate(a.framing.techniques):
            rows["techniques"].append([a.id, i, t.technique, t.start, t.end, t.text, t.speaker])
        for s in a.framing.actor_stance:
            rows["actor_stance"].append([a.id, s.actor, s.stance, s.score, s.tone])
    rows["positions"].extend(position_rows(a.id, a.positions))


def position_rows(article_id: str, positions: Sequence[Position]) -> list[list[Any]]:
    """Rows of the positions table for one article's positions."""
    return [
        [article_id, p.id, p.party, p.issue, p.stance, p.counterpart, p.claimant, p.date,
         p.actor, p.negated, p.hypothetical, p.conditional, p.condition_of,
         json.dumps(to_dict(p.conditions), ensure_ascii=False), p.evidence.start,
         p.evidence.end, p.evidence.text, p.cue.start if p.cue else None,
         p.cue.end if p.cue else None, p.event]
        for p in positions
    ]


# ---- web


@dataclass
class Scope:
    """Filters of the web app's lists. Article lists take every field; story lists read
    ``place`` as where the story happened and ``actor_ids`` as taking part in it."""

    actor_ids: list[str] | None = None  # resolved by Store.resolve_actors; [] matches nothing
    place: str | None = None  # a place name or id, case-insensitive
    outlet: str | None = None  # case-insensitive
    type: str | None = None  # PLOVER event type
    start: str | None = None  # YYYY-MM-DD: articles published on or after (stories: caller)
    end: str | None = None  # YYYY-MM-DD: ... on or before
    q: str | None = None  # text the title or body contains, case-insensitive


# DataFrame layers (Store.frame): the SELECT over ``t`` joined to its article ``a`` (third
# column: the order within an article), and the actor and place conditions. Events involve
# an actor as actor or target, claims and quotes as speaker; figures and places belong to
# articles that name the actor. A place matches by id or name, case-insensitive.
_ARTICLE_COLUMNS = "a.outlet, strftime(a.published, '%Y-%m-%d') AS published"
_IN_IDS = "(SELECT unnest(?::VARCHAR[]))"
_NAMES_ACTOR = f"t.article_id IN (SELECT article_id FROM actors WHERE actor_id IN {_IN_IDS})"
_NAMES_PLACE = ("t.article_id IN (SELECT article_id FROM places "
                "WHERE lower(place_id) = lower(?) OR lower(name) = lower(?))")
_FRAME_LAYERS: dict[str, tuple[str, str, str]] = {
    "events": (
        "SELECT t.article_id, t.event_id, t.evidence_start, t.type, t.mode, t.actor, t.target, "
        "t.place, p.name AS place_name, p.lat, p.lon, p.country AS place_country, t.date, "
        "t.date_precision, t.negated, t.hypothetical, t.trigger, t.evidence_end, t.evidence, "
        f"t.figures, t.claims, se.story_id AS story, a.duplicate_of, {_ARTICLE_COLUMNS} "
        "FROM events t JOIN articles a ON a.id = t.article_id "
        "LEFT JOIN places p ON p.article_id = t.article_id AND p.place_id = t.place "
        "LEFT JOIN story_events se ON se.article_id = t.article_id AND se.event_id = t.event_id",
        f"(t.actor IN {_IN_IDS} OR t.target IN {_IN_IDS})",
        "(lower(t.place) = lower(?) OR lower(p.name) = lower(?))",
    ),
    "figures": (
        "SELECT t.article_id, t.figure_id, t.start_char, t.end_char, t.text, t.value, t.low, "
        f"t.high, t.approximate, t.what, t.who, t.hedge, {_ARTICLE_COLUMNS} "
        "FROM figures t JOIN articles a ON a.id = t.article_id",
        _NAMES_ACTOR, _NAMES_PLACE,
    ),
    "claims": (
        "SELECT t.article_id, t.claim_id, t.start_char, t.end_char, t.speaker, t.speaker_text, "
        "t.cue, t.stance, t.content_start, t.content_end, t.content, t.figures, t.event_id, "
        f"{_ARTICLE_COLUMNS} FROM claims t JOIN articles a ON a.id = t.article_id",
        f"t.speaker IN {_IN_IDS}", _NAMES_PLACE,
    ),
    "quotes": (
        "SELECT t.article_id, t.quote_id, t.start_char, t.end_char, t.speaker, t.speaker_text, "
        f"t.cue, t.text, {_ARTICLE_COLUMNS} FROM quotes t JOIN articles a ON a.id = t.article_id",
        f"t.speaker IN {_IN_IDS}", _NAMES_PLACE,
    ),
    "places": (
        "SELECT t.article_id, t.place_id, t.name, t.lat, t.lon, t.country, t.kind, "
        f"t.mention_count, {_ARTICLE_COLUMNS} FROM places t JOIN articles a ON a.id = t.article_id",
        _NAMES_ACTOR, "(lower(t.place_id) = lower(?) OR lower(t.name) = lower(?))",
    ),
    # Positions (frames.Dataset.positions): an actor keeps those it takes or claims.
    "positions": (
        "SELECT t.article_id, t.position_id, t.evidence_start, t.party, t.issue, t.stance, "
        "t.counterpart, t.claimant, t.date, t.actor, t.negated, t.hypothetical, t.conditional, "
        "t.condition_of, t.conditions, t.evidence_end, t.evidence, t.event_id, a.duplicate_of, "
        f"{_ARTICLE_COLUMNS} FROM positions t JOIN articles a ON a.id = t.article_id",
        f"(t.party IN {_IN_IDS} OR t.actor IN {_IN_IDS} OR t.claimant IN {_IN_IDS})",
        _NAMES_PLACE,
    ),
}


# Per-article properties the outlet page compares: table and expression. Keys are the only
# values web_outlet_breakdown accepts, so no caller text reaches the SQL.
_BREAKDOWNS = {
    "genre": ("analyses", "t.genre"),
    "technique": ("techniques", "t.technique"),
    "stance": ("claims", "t.stance"),
    "speaker": ("claims", "t.speaker"),
    "event_type": ("events", "t.type"),
}


def _article_scope(scope: Scope) -> tuple[list[str], list[Any]]:
    """WHERE conditions on ``articles a`` and their parameters."""
    where: list[str] = []
    params: list[Any] = []
    if scope.outlet:
        where.append("lower(a.outlet) = lower(?)")
        params.append(scope.outlet)
    if scope.start:
        where.append("a.published >= TRY_CAST(? AS DATE)")
        params.append(scope.start)
    if scope.end:
        where.append("a.published <= TRY_CAST(? AS DATE)")
        params.append(scope.end)
    if scope.actor_ids is not None:
        where.append("a.id IN (SELECT article_id FROM actors "
                     "WHERE actor_id IN (SELECT unnest(?::VARCHAR[])))")
        params.append(list(scope.actor_ids))
    if scope.place:
        where.append("a.id IN (SELECT article_id FROM places "
                     "WHERE lower(name) = lower(?) OR lower(place_id) = lower(?))")
        params += [scope.place, scope.place]
    if scope.type:
        where.append("a.id IN (SELECT article_id FROM events WHERE type = ?)")
        params.append(scope.type)
    if scope.q:
        where.append("(contains(lower(a.text), lower(?)) "
                     "OR contains(lower(coalesce(a.title, '')), lower(?)))")
        params += [scope.q, scope.q]
    return where, params


def _story_scope(scope: Scope) -> tuple[list[str], list[Any]]:
    """WHERE conditions on ``stories s`` (all but the dates) and their parameters."""
    where: list[str] = []
    params: list[Any] = []
    member = ("s.story_id IN (SELECT se.story_id FROM story_events se "
              "JOIN events e USING (article_id, event_id) ")
    if scope.type:
        where.append("s.type = ?")
        params.append(scope.type)
    if scope.actor_ids is not None:
        where.append(member + "WHERE e.actor IN (SELECT unnest(?::VARCHAR[])) "
                     "OR e.target IN (SELECT unnest(?::VARCHAR[])))")
        params += [list(scope.actor_ids), list(scope.actor_ids)]
    if scope.place:
        where.append("(lower(s.place_name) = lower(?) OR lower(s.place_id) = lower(?) OR "
                     + member + "JOIN places p ON p.article_id = e.article_id "
                     "AND p.place_id = e.place WHERE lower(p.name) = lower(?) "
                     "OR lower(p.place_id) = lower(?)))")
        params += [scope.place] * 4
    if scope.outlet:
        where.append("s.story_id IN (SELECT se.story_id FROM story_events se "
                     "JOIN articles a ON a.id = se.article_id WHERE lower(a.outlet) = lower(?))")
        params.append(scope.outlet)
    if scope.q:
        where.append("contains(lower(coalesce(s.title, '')), lower(?))")
        params.append(scope.q)
    return where, params
