"""Pick and open a store from its URL.

>>> store = open_store("sqlite:///:memory:")
>>> type(store).__name__
'SQLiteStore'
"""

from __future__ import annotations

import logging

from newsgraph.engine.config import Settings, get_settings
from newsgraph.engine.errors import ConfigError

NEO4J_SCHEMES = {"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}


def open_store(url: str, settings: Settings | None = None, *, read_only: bool = False):
    """Open the store at ``url``: ``sqlite:///PATH`` or a Neo4j ``bolt://``/``neo4j://`` URL.

    ``read_only`` opens a Neo4j store without creating its constraints and indexes, for a
    command that must never write (the embedded store writes on opening only when its
    tables are missing).
    """
    if url.startswith("sqlite:///"):
        from newsgraph.engine.store.sqlite import SQLiteStore

        busy_timeout = (settings or get_settings(store=url)).sqlite_busy_timeout
        return SQLiteStore(url[len("sqlite:///"):], busy_timeout=busy_timeout)
    if url.split("://", 1)[0] in NEO4J_SCHEMES:
        return open_neo4j(url, settings or get_settings(store=url), read_only=read_only)
    raise ConfigError(f"unknown store URL {url!r}: use sqlite:///PATH, bolt://HOST:PORT or neo4j://HOST:PORT")


def open_neo4j(url: str, settings: Settings, *, read_only: bool = False):
    """A :class:`~engine.store.neo4j.Neo4jStore` on a driver built from ``settings``.

    ``bolt://`` talks to one server, ``neo4j://`` routes across a cluster.
    The store owns the driver and closes it with itself.
    """
    import neo4j
    from neo4j import exceptions as neo4j_errors

    from newsgraph.engine.store.neo4j import Neo4jStore

    # the driver logs server notifications and each retry as warnings, which Python prints on
    # stderr when nothing handles them; our errors already say what failed, in one line
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    try:
        driver = neo4j.GraphDatabase.driver(
            url, auth=(settings.neo4j_user, settings.neo4j_password), notifications_min_severity="OFF"
        )
    except (ValueError, neo4j_errors.ConfigurationError) as e:
        raise ConfigError(f"cannot use the Neo4j URL {url!r}: {e}") from e
    try:
        return Neo4jStore(
            driver, settings.neo4j_database, settings.batch_size, url=url, owns_driver=True,
            create_schema=not read_only,
        )
    except BaseException:
        driver.close()
        raise
