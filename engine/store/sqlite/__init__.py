"""The embedded store: one SQLite file in WAL mode, no server."""

from newsgraph.engine.store.sqlite.store import SQLiteStore

__all__ = ["SQLiteStore"]
