"""A batch of writes as one unit (``store.atomic()``) on both stores, and what Neo4j does for it: one
transaction, co-mention deltas summed per batch, pairs found by their unique key, deadlocks replayed."""

from __future__ import annotations

import threading

import pytest

from newsgraph.engine.models import Assignment, Entity, Mention, Story
from tests.neo4j.test_co_mentions import _counted, _kept
from tests.neo4j.test_store_contract import T0, _article, _fill


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path, backend_store):
    s = backend_store(request.param, tmp_path)
    _fill(s)
    return s


def test_a_batch_that_fails_leaves_nothing_of_it(store):
    """Entities, articles, mentions, stories and counts of a failed batch: none of them stored."""
    before = (store.stats(), _kept(store))
    with pytest.raises(RuntimeError):
        with store.atomic():
            store.upsert_entities([Entity("gpe:norway", "Norway", "GPE")])
            store.upsert_articles([_article(7, "cnn.com")])
            store.upsert_mentions([Mention("a7", "gpe:norway"), Mention("a7", "gpe:finland"),
                                   Mention("a3", "gpe:finland")])
            store.upsert_stories([Story("s7", "Story seven", T0, T0)], [Assignment("a7", "s7", 1.0)])
            store.refresh_derived(["s2", "s7"])
            raise RuntimeError("the batch fails after its writes")
    assert (store.stats(), _kept(store)) == before
    assert _kept(store) == _counted(store)


def test_a_batch_reads_what_it_wrote_and_lands_whole(store):
    with store.atomic():
        store.upsert_articles([_article(7, "cnn.com")])
        store.upsert_stories([Story("s7", "Story seven", T0, T0)], [Assignment("a7", "s7", 1.0)])
        assert set(store.existing_articles(["a7"])) == {"a7"}  # inside the batch, its own writes are there
        assert store.story_titles(["s7"]) == {"s7": "Story seven"}
    assert set(store.existing_articles(["a7", "a0"])) == {"a7", "a0"}


def test_batches_that_move_articles_keep_the_counts_of_counting_afresh(store):
    """Pairs gained and lost in one batch (a story loses an entity while another gains it) are summed once."""
    store.upsert_entities([Entity("gpe:norway", "Norway", "GPE"), Entity("org:nato", "NATO", "ORG")])
    with store.atomic():
        store.upsert_mentions([Mention("a2", "gpe:norway"), Mention("a2", "org:nato"), Mention("a2", "gpe:finland"),
                               Mention("a3", "org:nato")])
        store.refresh_derived(["s1", "s2"])
    assert _kept(store) == _counted(store)
    with store.atomic():  # a1 (Finland, Russia) moves from s1 to s2; a2 moves to a new story s3
        store.upsert_stories([Story("s3", "Story three", T0, T0)],
                             [Assignment("a1", "s2", 1.0), Assignment("a2", "s3", 1.0)])
        store.refresh_derived(["s1", "s2", "s3"])
        store.upsert_mentions([Mention("a0", "org:nato")])
        store.refresh_derived(["s1"])
    assert _kept(store) == _counted(store)
    assert {(r["start_id"], r["end_id"]): r["stories"] for r in _kept(store)}[("gpe:norway", "org:nato")] == 1


@pytest.mark.neo4j
def test_two_batches_that_deadlock_on_neo4j_both_land(tmp_path, backend_store):
    """Two writers locking the same entities in opposite orders: Neo4j fails one with a deadlock, whose batch
    is then replayed in a new transaction, so both land."""
    store = backend_store("neo4j", tmp_path)
    store.upsert_entities([Entity("gpe:a", "A", "GPE"), Entity("gpe:b", "B", "GPE")])
    both_hold_one = threading.Barrier(2, timeout=60)
    errors = []

    def writer(first: str, second: str, name: str) -> None:
        try:
            with store.atomic():
                store.upsert_entities([Entity(first, name, "GPE")])
                both_hold_one.wait()
                store.upsert_entities([Entity(second, name, "GPE")])
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=writer, args=("gpe:a", "gpe:b", "one")),
               threading.Thread(target=writer, args=("gpe:b", "gpe:a", "two"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    names = {r["id"]: r["name"] for r in store.iter_nodes("Entity")}
    assert names["gpe:a"] == names["gpe:b"] in {"one", "two"}  # one batch landed after the other, whole


@pytest.mark.neo4j
def test_a_neo4j_database_with_the_old_pair_index_gets_the_unique_key(tmp_path, backend_store, neo4j_driver,
                                                                     neo4j_server_info):
    """A database written before the pair key was unique: connecting replaces the plain index by the
    constraint, and the counts go on from where they were."""
    from newsgraph.engine.store.neo4j import Neo4jStore

    store = backend_store("neo4j", tmp_path)
    _fill(store)
    db = neo4j_server_info.database
    neo4j_driver.execute_query("DROP CONSTRAINT rel_co_mentioned_key_unique", database_=db)
    neo4j_driver.execute_query("CREATE INDEX rel_co_mentioned_key FOR ()-[r:CO_MENTIONED]-() ON (r.key)",
                               database_=db)
    again = Neo4jStore(neo4j_driver, db, 3, url=neo4j_server_info.url)
    names = {r["name"]: r["type"] for r in neo4j_driver.execute_query("SHOW CONSTRAINTS YIELD name, type",
                                                                      database_=db).records}
    assert names.get("rel_co_mentioned_key_unique") == "RELATIONSHIP_UNIQUENESS"
    indexes = {r["name"] for r in neo4j_driver.execute_query("SHOW INDEXES YIELD name", database_=db).records}
    assert "rel_co_mentioned_key" not in indexes
    again.upsert_mentions([Mention("a2", "gpe:finland"), Mention("a2", "gpe:russia")])
    assert _kept(again) == _counted(again) == [
        {"start_id": "gpe:finland", "end_id": "gpe:russia", "articles": 2, "stories": 1}]
