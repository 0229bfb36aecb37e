"""The embedded store's connection: one SQLite file in WAL mode, one transaction per batch.

The base of every part of :class:`~newsgraph.engine.store.sqlite.SQLiteStore`:
opening the file creates the schema's tables when they are missing, and is a
pure read when they are there, so a reader can open the store while another
process writes. Writes take the write lock when their transaction begins
(``BEGIN IMMEDIATE``), so the busy timeout applies to them; a lock held longer
than that is :class:`~newsgraph.engine.errors.StoreBusy`.

>>> c = SQLiteConnection(":memory:")
>>> c.url, c._count("story")
('sqlite:///:memory:', 0)
"""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path
from typing import Any

from newsgraph.engine.errors import StoreBusy, StoreError, StoreUnavailable
from newsgraph.graph_schema import LABELS, SCHEMA_VERSION, sqlite_ddl, sqlite_objects
from newsgraph.graph_schema.sqlite import RELATED_FILL, sqlite_added_columns


def is_lock_error(error: BaseException) -> bool:
    """Whether ``error`` is SQLite giving up on a lock another connection holds.

    >>> is_lock_error(sqlite3.OperationalError("database is locked")), is_lock_error(ValueError("locked"))
    (True, False)
    """
    return isinstance(error, sqlite3.OperationalError) and (
        getattr(error, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
        or "locked" in str(error) or "busy" in str(error))


class SQLiteConnection:
    """An open SQLite file with the schema's tables, and batched writes in transactions.

    ``busy_timeout`` is how many seconds a statement waits for a lock another
    connection holds before it fails with :class:`~newsgraph.engine.errors.StoreBusy`.
    """

    def __init__(self, path: str | Path, busy_timeout: float = 5.0):
        self.path = str(path)
        self.url = "sqlite:///" + self.path
        self.busy_timeout = busy_timeout
        self._tx_depth = 0
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            # the timeout is the busy handler: set by connect, before the first statement runs
            self.db = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
            self.db.row_factory = sqlite3.Row
            if self.db.execute("PRAGMA journal_mode").fetchone()[0] not in ("wal", "memory"):
                self.db.execute("PRAGMA journal_mode=WAL")  # once per file: the mode is kept in the file
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA cache_size=-65536")  # 64 MB: bulk upserts into large indexes stay in memory
            self.db.execute("PRAGMA foreign_keys=ON")
            if not self._schema_is_current():
                with self._tx():
                    for stmt in sqlite_ddl():
                        self.db.execute(stmt)
                    for stmt in sqlite_added_columns(self._columns()):
                        self.db.execute(stmt)
                    # the related stories' tables, filled whole: the store predates them, or a bulk load
                    # that had their triggers off was stopped before it filled them
                    for stmt in RELATED_FILL:
                        self.db.execute(stmt)
            self._migrate()
        except StoreBusy:
            self.db.close()
            raise
        except (sqlite3.Error, OSError) as e:
            if is_lock_error(e):
                raise self._busy("opening", e) from e
            raise StoreUnavailable(f"cannot open the SQLite store at {self.path}: {e}") from e

    def _schema_is_current(self) -> bool:
        names = {r[0] for r in self.db.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'index', 'trigger')")}
        if not sqlite_objects() <= names or sqlite_added_columns(self._columns()):
            return False
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return row is not None and row[0] == str(SCHEMA_VERSION)

    def _migrate(self) -> None:
        """Fill what a store made by an older version lacks (the parts of the store override it)."""

    def _before_commit(self) -> None:
        """Writes held back to the end of the outermost transaction (the parts of the store override it)."""

    def _after_rollback(self) -> None:
        """Forget what :meth:`_before_commit` would have written."""

    def _columns(self) -> dict[str, set[str]]:
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {label.table: {r[1] for r in self.db.execute(f"PRAGMA table_info({label.table})")}
                for label in LABELS.values() if label.table in tables}

    def _busy(self, doing: str, error: BaseException) -> StoreBusy:
        return StoreBusy(
            f"the SQLite store at {self.path} stayed locked by another writer for more than {self.busy_timeout:g} s "
            f"while {doing} ({error}): try again when it is done, or raise NEWSGRAPH_SQLITE_BUSY_TIMEOUT",
            retry_after=max(1, math.ceil(self.busy_timeout)),
        )

    def _tx(self) -> _Transaction:
        return _Transaction(self)

    def atomic(self) -> _Transaction:
        """One transaction around several writes: a batch of the pipeline lands whole or not at all,
        so a run killed mid-batch leaves nothing half-written for the run started again to skip."""
        return _Transaction(self)

    def _many(self, sql: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        with self._tx():
            self.db.executemany(sql, rows)

    def _rows_or_fail(self, sql: str, rows: list[dict[str, Any]], what: str) -> None:
        try:
            self._many(sql, rows)
        except sqlite3.Error as e:
            raise StoreError(f"writing a batch of {len(rows)} {what} rows failed: {e}") from e

    def _count(self, table: str) -> int:
        return self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def data_version(self) -> tuple[int, int]:
        """SQLite's ``data_version`` (moved by every commit of another connection, in any process) and the rows
        this connection changed (its own commits).

        >>> c = SQLiteConnection(":memory:")
        >>> before = c.data_version()
        >>> with c._tx():
        ...     _ = c.db.execute("INSERT INTO meta(key, value) VALUES ('x', '1')")
        >>> c.data_version() != before
        True
        """
        return self.db.execute("PRAGMA data_version").fetchone()[0], self.db.total_changes

    def close(self) -> None:
        self.db.close()


class _Transaction:
    """``BEGIN IMMEDIATE``/``COMMIT``, or ``ROLLBACK`` and re-raise: a failed batch never half-lands.

    IMMEDIATE takes the write lock up front, where the busy timeout waits for it; a
    deferred transaction that reads first cannot wait for a writer (SQLite refuses
    the upgrade at once). A lock not granted in time is :class:`StoreBusy`.
    """

    def __init__(self, connection: SQLiteConnection):
        self.connection = connection
        self.db = connection.db

    def __enter__(self):
        if self.connection._tx_depth:  # inside an atomic batch: its one transaction holds this write too
            self.connection._tx_depth += 1
            return self.db
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            if is_lock_error(e):
                raise self.connection._busy("starting a write", e) from e
            raise
        self.connection._tx_depth = 1
        return self.db

    def __exit__(self, exc_type, exc, tb):
        self.connection._tx_depth -= 1
        if self.connection._tx_depth:
            return False  # the outermost transaction commits, or rolls everything back
        if exc_type is None:
            try:
                self.connection._before_commit()
                self.db.execute("COMMIT")
            except sqlite3.Error as e:
                self.connection._after_rollback()
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                if is_lock_error(e):
                    raise self.connection._busy("committing", e) from e
                raise
            return False
        self.connection._after_rollback()
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
        if exc is not None and is_lock_error(exc):
            raise self.connection._busy("writing", exc) from exc
        return False
