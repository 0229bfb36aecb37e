"""The store's data version: unchanged while only reads run, new after a commit by any connection; with it the
web app keeps a result past its ttl while nobody wrote, and computes it again once someone did."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from fastapi.testclient import TestClient

from newsgraph.api.app import create_app
from newsgraph.engine.config import get_settings
from newsgraph.engine.models import Article, Assignment, Outlet, Story
from newsgraph.engine.store import StoredArticle
from tests.unit.test_result_cache import Clock

T0 = datetime(2025, 4, 1, 8, tzinfo=timezone.utc)


def _write_story(store, i: int) -> None:
    """One article in a story of its own, as an ingest writes it."""
    store.upsert_outlets([Outlet("cnn.com", "CNN")])
    article = Article(f"a{i}", f"https://cnn.com/{i}", f"Volcano erupts {i}", T0, "cnn.com", "CNN")
    store.upsert_articles([StoredArticle(article, f"cnn.com|volcano {i}", f"h{i}")])
    store.upsert_stories([Story(f"s{i}", f"Volcano erupts {i}", T0, T0)], [Assignment(f"a{i}", f"s{i}", 1.0)])
    store.refresh_derived([f"s{i}"])


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def two_connections(request, tmp_path, backend_store):
    """The same store opened twice: the app's, and another as a CLI ingest in another process holds it."""
    store = backend_store(request.param, tmp_path)
    if request.param == "sqlite":
        from newsgraph.engine.store.sqlite import SQLiteStore

        other = SQLiteStore(store.path)
        yield store, other
        other.close()
        return
    import neo4j

    from newsgraph.engine.store.neo4j import Neo4jStore

    info = request.getfixturevalue("neo4j_server_info")
    driver = neo4j.GraphDatabase.driver(info.url, auth=(info.user, info.password))
    try:
        yield store, Neo4jStore(driver, info.database, 100, url=info.url)
    finally:
        driver.close()


def test_the_version_moves_with_a_commit_of_any_connection_and_not_with_reads(two_connections):
    store, other = two_connections
    _write_story(store, 1)
    before = store.data_version()
    store.stats(), store.story_rows("s1"), store.search_stories(limit=10)
    assert store.data_version() == before
    _write_story(other, 2)
    after_other = store.data_version()
    assert after_other != before
    _write_story(store, 3)
    assert store.data_version() not in (before, after_other)


class Counting:
    """The store as the app sees it, counting the reads it asks of it (the version apart)."""

    def __init__(self, inner):
        self.inner, self.reads = inner, 0

    def __getattr__(self, name):
        attr = getattr(self.inner, name)
        if callable(attr) and name != "data_version":
            def counted(*args, **kwargs):
                self.reads += 1
                return attr(*args, **kwargs)
            return counted
        return attr


def test_the_app_keeps_an_answer_past_its_ttl_until_another_process_writes(two_connections):
    store, other = two_connections
    _write_story(store, 1)
    counting = Counting(store)
    app = create_app(get_settings(), counting)
    clock = Clock()
    cache = app.state.responses
    cache.clock = cache.version.clock = clock
    with TestClient(app) as client:
        assert [s["id"] for s in client.get("/api/stories").json()["data"]] == ["s1"]
        reads = counting.reads
        clock.now += 3600  # an hour past the ttl, and nobody wrote
        assert [s["id"] for s in client.get("/api/stories").json()["data"]] == ["s1"]
        assert counting.reads == reads  # answered from the cache: the store was not asked again
        _write_story(other, 2)
        clock.now += 1  # the version is asked at most once a second
        assert sorted(s["id"] for s in client.get("/api/stories").json()["data"]) == ["s1", "s2"]
        assert counting.reads > reads
