"""The Neo4j store against a real server: the store contract, and Neo4j's own failures.

The store contract itself runs on both backends in tests/neo4j/test_store_contract.py.
"""

import pytest

from newsgraph.engine.config import get_settings
from newsgraph.engine.errors import NotFound, StoreError, StoreUnavailable
from newsgraph.engine.models import Assignment, Story
from newsgraph.engine.store import open_store
from newsgraph.engine.store.neo4j import Neo4jStore
from tests.neo4j import test_store_contract as contract
from tests.neo4j.test_store_contract import T0

pytestmark = pytest.mark.neo4j


@pytest.fixture()
def store(backend_store, tmp_path):
    s = backend_store("neo4j", tmp_path)
    contract._fill(s)
    return s


def test_both_stores_agree_on_everything_they_return(store, backend_store, tmp_path):
    lite = backend_store("sqlite", tmp_path)
    contract._fill(lite)
    assert store.stats() == lite.stats()
    assert list(store.export_articles()) == list(lite.export_articles())
    for story_id in ("s1", "s2"):
        assert store.story_rows(story_id) == lite.story_rows(story_id)
    assert store.search_stories() == lite.search_stories()
    assert store.search_stories(since=T0, limit=1, offset=1) == lite.search_stories(since=T0, limit=1, offset=1)
    assert store.list_outlets() == lite.list_outlets()
    assert store.get_outlets() == lite.get_outlets()
    assert store.outlet_profile("cnn.com") == lite.outlet_profile("cnn.com")
    assert list(store.cluster_rows(T0, T0.replace(hour=23))) == list(lite.cluster_rows(T0, T0.replace(hour=23)))
    assert store.story_titles(["s1", "nope"]) == lite.story_titles(["s1", "nope"])


def test_a_failed_batch_leaves_nothing_behind(backend_store, tmp_path):
    s = backend_store("neo4j", tmp_path)
    with pytest.raises(StoreError, match="PART_OF"):
        s.upsert_stories([Story("s9", "x", T0, T0)], [Assignment("missing", "s9", 1.0)])
    assert s.stats()["nodes"]["Story"] == 0


def test_an_article_is_part_of_one_story(store):
    store.upsert_stories([], [Assignment("a2", "s2", 0.9), Assignment("a2", "s1", 0.8)])
    assert store.stats()["relationships"]["PART_OF"] == 4
    assert {r["id"]: r["story_id"] for r in store.export_articles()}["a2"] == "s1"


def test_string_parameters_are_never_spliced_into_cypher(store):
    evil = "x'}) DETACH DELETE n //"
    before = store.stats()
    assert store.existing_articles([evil]) == {}
    assert store.existing_title_keys([evil]) == {}
    assert store.story_titles([evil]) == {}
    assert store.get_outlets([evil]) == []
    with pytest.raises(NotFound, match="no story"):
        store.story_rows(evil)
    assert store.stats() == before


def test_open_store_builds_a_driver_from_settings(neo4j_server_info):
    info = neo4j_server_info
    settings = get_settings(
        store=info.url, neo4j_user=info.user, neo4j_password=info.password, neo4j_database=info.database
    )
    s = open_store(info.url, settings)
    try:
        assert isinstance(s, Neo4jStore) and s.url == info.url
        assert set(s.stats()) == {"nodes", "relationships"}
    finally:
        s.close()


def test_wrong_password_is_one_clear_error(neo4j_server_info):
    info = neo4j_server_info
    settings = get_settings(store=info.url, neo4j_user=info.user, neo4j_password="not-the-password")
    with pytest.raises(StoreUnavailable, match="refused the credentials"):
        open_store(info.url, settings)


def test_a_database_that_does_not_exist_is_one_clear_error(neo4j_server_info):
    info = neo4j_server_info
    settings = get_settings(
        store=info.url, neo4j_user=info.user, neo4j_password=info.password, neo4j_database="nosuchdb"
    )
    with pytest.raises(StoreUnavailable, match="no database 'nosuchdb'"):
        open_store(info.url, settings)


def test_an_unreachable_server_is_one_clear_error():
    from newsgraph.engine.neo4j_server import free_port

    url = f"bolt://127.0.0.1:{free_port()}"
    with pytest.raises(StoreUnavailable, match="cannot reach"):
        open_store(url, get_settings(store=url))
