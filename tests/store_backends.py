"""Both store backends for the contract tests, and the Neo4j server they need.

The Neo4j tests run against a real server. With ``NEWSGRAPH_TEST_NEO4J``
unset, the session starts the project's local Neo4j (built with Maven on
first use) on a free loopback port and stops it at the end; if it cannot,
the tests fail, they are not skipped. With ``NEWSGRAPH_TEST_NEO4J=bolt://...``
they use that server instead (credentials from ``NEWSGRAPH_NEO4J_*``); its
database is emptied before every test.

Use from a test module (or list this module in ``pytest_plugins``)::

    @pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
    def store(request, tmp_path, backend_store):
        return backend_store(request.param, tmp_path)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsgraph.engine import neo4j_server
from newsgraph.engine.config import get_settings
from newsgraph.engine.errors import NewsgraphError

NEO4J_ENV = "NEWSGRAPH_TEST_NEO4J"
TEST_PASSWORD = "newsgraph-test"
TEST_BATCH_SIZE = 3
"Small, so that the tests' few rows already span several UNWIND batches."

BACKENDS = ("sqlite", "neo4j")


@dataclass(frozen=True)
class Neo4jServer:
    """Where the test server is and how to log in."""

    url: str
    user: str
    password: str
    database: str


@pytest.fixture(scope="session")
def neo4j_server_info(tmp_path_factory):
    """The Neo4j server of this test session: started here, or named by ``NEWSGRAPH_TEST_NEO4J``."""
    external = os.environ.get(NEO4J_ENV)
    if external:
        s = get_settings()
        yield Neo4jServer(external, s.neo4j_user, s.neo4j_password, s.neo4j_database)
        return
    data = tmp_path_factory.mktemp("neo4j")
    try:
        state = neo4j_server.start(port=neo4j_server.free_port(), data=data, password=TEST_PASSWORD, timeout=180)
    except NewsgraphError as e:
        pytest.fail(f"the neo4j tests need a Neo4j server and none could be started: {e}", pytrace=False)
    try:
        yield Neo4jServer(state.url, "neo4j", TEST_PASSWORD, "neo4j")
    finally:
        neo4j_server.stop(data)


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_server_info):
    """One driver for the whole session."""
    import neo4j

    driver = neo4j.GraphDatabase.driver(
        neo4j_server_info.url, auth=(neo4j_server_info.user, neo4j_server_info.password)
    )
    yield driver
    driver.close()


def open_backend(kind: str, tmp_path: Path, request: pytest.FixtureRequest):
    """A new, empty store of ``kind``; Neo4j ones share the session's server and are cleared first."""
    if kind == "sqlite":
        from newsgraph.engine.store.sqlite import SQLiteStore

        return SQLiteStore(tmp_path / "g.db")
    if kind == "neo4j":
        from newsgraph.engine.store.neo4j import Neo4jStore

        info = request.getfixturevalue("neo4j_server_info")
        driver = request.getfixturevalue("neo4j_driver")
        store = Neo4jStore(driver, info.database, TEST_BATCH_SIZE, url=info.url)
        store.clear()
        return store
    raise ValueError(f"unknown backend {kind!r}; known: {', '.join(BACKENDS)}")


@pytest.fixture()
def backend_store(request):
    """A factory ``backend_store(kind, tmp_path)`` of empty stores, closed after the test."""
    opened = []

    def make(kind: str, tmp_path: Path):
        store = open_backend(kind, tmp_path, request)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def filled_pair(backend_store, tmp_path: Path, fill) -> tuple:
    """``(embedded store, Neo4j store)``, each empty and then filled by ``fill(store)``: the two to compare."""
    sqlite, neo = backend_store("sqlite", tmp_path), backend_store("neo4j", tmp_path)
    fill(sqlite)
    fill(neo)
    return sqlite, neo
