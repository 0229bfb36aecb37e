"""Stores behind the ``GraphStore`` protocol, chosen by URL."""

from newsgraph.engine.store.base import ClusterRow, GraphStore, StoredArticle
from newsgraph.engine.store.open import open_store
from newsgraph.engine.store.sqlite import SQLiteStore

__all__ = ["ClusterRow", "GraphStore", "SQLiteStore", "StoredArticle", "open_store"]
