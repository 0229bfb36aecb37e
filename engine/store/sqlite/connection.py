"""The embedded store's connection: one SQLite file in WAL mode, one transaction per batch.

The base of every part of :class:`~newsgraph.engine.store.sqlite.SQLiteStore`:
opening the file creates the schema's tables (idempotent).

>>> c = SQLiteConnection(":memory:")
>>> c.url, c._count("story")
('sqlite:///:memory:', 0)
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from newsgraph.engine.errors import StoreError, StoreUnavailable
from newsgraph.graph_schema import sqlite_ddl


class SQLiteConnection:
    """An open SQLite file with the schema's tables, and batched writes in transactions."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self.url = "sqlite:///" + self.path
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA cache_size=-65536")  # 64 MB: bulk upserts into large indexes stay in memory
            self.db.execute("PRAGMA foreign_keys=ON")
            with self._tx():
                for stmt in sqlite_ddl():
                    self.db.execute(stmt)
        except (sqlite3.Error, OSError) as e:
            raise StoreUnavailable(f"cannot open the SQLite store at {self.path}: {e}") from e

    def _tx(self) -> _Transaction:
        return _Transaction(self.db)

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

    def close(self) -> None:
        self.db.close()


class _Transaction:
    """``BEGIN``/``COMMIT``, or ``ROLLBACK`` and re-raise: a failed batch never half-lands."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN")
        return self.db

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")
        return False
