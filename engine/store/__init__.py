"""Stores behind the ``GraphStore`` protocol, chosen by URL."""

from engine.store.base import ClusterRow, GraphStore, StoredArticle
from engine.store.open import open_store
from engine.store.sqlite import SQLiteStore

__all__ = ["ClusterRow", "GraphStore", "SQLiteStore", "StoredArticle", "open_store"]
