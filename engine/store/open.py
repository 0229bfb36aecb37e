"""Pick and open a store from its URL.

>>> store = open_store("sqlite:///:memory:")
>>> type(store).__name__
'SQLiteStore'
"""

from __future__ import annotations

from engine.config import Settings
from engine.errors import ConfigError, StoreUnavailable


def open_store(url: str, settings: Settings | None = None):
    """Open the store at ``url``: ``sqlite:///PATH`` or a Neo4j ``bolt://``/``neo4j://`` URL."""
    if url.startswith("sqlite:///"):
        from engine.store.sqlite import SQLiteStore

        return SQLiteStore(url[len("sqlite:///"):])
    if url.split("://", 1)[0] in {"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}:
        raise StoreUnavailable(
            f"{url} selects the Neo4j backend, which this version of newsgraph does not have yet; "
            "use the embedded store (sqlite:///PATH) for now"
        )
    raise ConfigError(f"unknown store URL {url!r}: use sqlite:///PATH, bolt://HOST:PORT or neo4j://HOST:PORT")
