"""A hub's neighbours on Neo4j, read off the pair rank indexes, in the embedded store's order, ties included.

The Neo4j store reads an entity's top neighbours as the first entries of two
indexes (``CO_MENTIONED.start_rank`` / ``end_rank``) instead of sorting all of
its pairs. These tests build one graph with a hub, many tied weights and ids
that are prefixes of other ids in both stores and compare every entity's
neighbourhood: after ingest, after more mentions and moves, after a sync into
an empty database, and on a database written before the ranks were kept.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from newsgraph.engine.models import Article, Assignment, Entity, Mention, Outlet, Story
from newsgraph.engine.store import StoredArticle
from newsgraph.engine.sync import sync
from newsgraph.graph_schema import cypher as q
from tests.store_backends import filled_pair

pytestmark = pytest.mark.neo4j

T0 = datetime(2025, 4, 1, 8, tzinfo=timezone.utc)
HUB = "gpe:united states"
# ids below and above the hub's (the hub is the end of some pairs, the start of others), and ids that begin
# with another id: "gpe:united" and "gpe:united states x" must not read the hub's index entries
OTHERS = ["gpe:united", "gpe:united states x", "gpe:canada", "org:un", "org:un x", "per:zed"] + [
    f"per:p{i:02d}" for i in range(30)]
LIMITS = (1, 3, 5, 25, 60)


def _article(i: int) -> StoredArticle:
    outlet = ("cnn.com", "foxnews.com", "bbc.com")[i % 3]
    a = Article(id=f"a{i:03d}", url=f"https://{outlet}/{i}", title=f"Title {i}", published_at=T0 + timedelta(hours=i // 3),
                outlet_id=outlet, outlet_name=outlet.split(".")[0], lead="lead")
    return StoredArticle(a, title_key=f"{outlet}|title {i}|2025-04-01", content_hash=f"h{i}")


def _mentions() -> list[Mention]:
    """Article i mentions the hub and a few others: weights 1 to 4, many equal (ties broken by id)."""
    out = []
    for i in range(40):
        ents = {HUB, OTHERS[i % len(OTHERS)], OTHERS[(3 * i + 1) % len(OTHERS)]}
        if i % 4 == 0:
            ents |= {"gpe:united", "org:un x"}
        if i % 5 == 0:
            ents.discard(HUB)
            ents |= {"gpe:united states x", "org:un"}
        out += [Mention(f"a{i:03d}", e) for e in sorted(ents)]
    return out


def _fill(store) -> None:
    store.upsert_outlets([Outlet(o, o.split(".")[0]) for o in ("cnn.com", "foxnews.com", "bbc.com")])
    store.upsert_entities([Entity(e, e.split(":")[1].title(), e.split(":")[0].upper()) for e in [HUB, *OTHERS]])
    store.upsert_articles([_article(i) for i in range(40)])
    store.upsert_mentions(_mentions())
    store.upsert_stories([Story(f"s{k}", f"Story {k}", T0, T0) for k in range(8)],
                         [Assignment(f"a{i:03d}", f"s{i % 8}", 0.8) for i in range(40)])
    store.refresh_derived([f"s{k}" for k in range(8)])


def _hoods(store) -> dict:
    return {(e, limit): {k: v for k, v in store.entity_neighbourhood(e, limit=limit).items()}
            for e in [HUB, *OTHERS] for limit in LIMITS}


@pytest.fixture()
def both(tmp_path, backend_store):
    return filled_pair(backend_store, tmp_path, _fill)


def _same_hoods(sqlite, neo) -> None:
    want, got = _hoods(sqlite), _hoods(neo)
    hub = want[(HUB, 25)]["neighbours"]
    weights = [n["weight"] for n in hub]
    assert len(hub) > 10 and len(set(weights)) < len(weights)  # the hub has ties to break
    dates = [s["first_published"] for s in want[(HUB, 5)]["stories"]]
    assert len(dates) == 5 and len(set(dates)) < len(dates)  # so do its stories
    assert got == want


def test_a_hubs_neighbours_and_ties_are_the_embedded_stores_after_ingest(both):
    sqlite, neo = both
    _same_hoods(sqlite, neo)
    hub = neo.entity_neighbourhood(HUB, limit=60)["neighbours"]
    assert [(-n["weight"], n["id"]) for n in hub] == sorted((-n["weight"], n["id"]) for n in hub)
    assert {"gpe:united", "gpe:united states x"} <= {n["id"] for n in hub}


def _more(store) -> None:
    """New mentions change weights (ties appear and break); articles move between stories."""
    store.upsert_mentions([Mention("a001", "per:p29"), Mention("a002", "per:p29"), Mention("a003", "gpe:canada"),
                           Mention("a005", HUB), Mention("a010", "per:zed")])
    store.upsert_stories([], [Assignment("a001", "s3", 0.9), Assignment("a002", "s0", 0.9),
                              Assignment("a005", "s1", 0.9)])
    store.refresh_derived([f"s{k}" for k in range(8)])


def test_more_mentions_moves_and_the_same_ingest_again_keep_the_order_exact(both):
    sqlite, neo = both
    for store in both:
        _more(store)
    _same_hoods(sqlite, neo)
    before = _hoods(neo)
    _more(neo)  # the same writes again change nothing
    assert _hoods(neo) == before
    for store in both:
        _fill(store)  # the articles placed back into their first stories
    _same_hoods(sqlite, neo)


def test_a_sync_into_an_empty_database_ranks_the_pairs(tmp_path, backend_store):
    sqlite, neo = backend_store("sqlite", tmp_path), backend_store("neo4j", tmp_path)
    _fill(sqlite)
    sync(sqlite, neo)
    _same_hoods(sqlite, neo)


def test_a_hubs_stories_walked_off_the_date_index_are_the_joins(both, monkeypatch):
    from newsgraph.engine.store.neo4j import web_queries

    sqlite, neo = both
    monkeypatch.setattr(web_queries, "_WALK_FROM", 0)  # every entity a hub: the walk answers, or the join
    _same_hoods(sqlite, neo)  # where the walk finds too few (an entity whose stories are old)
    monkeypatch.setattr(q, "ENTITY_STORIES", "UNWIND [] AS x RETURN x")  # no join: the walk alone, for the hub
    for limit in LIMITS:
        walked = neo.entity_neighbourhood(HUB, limit=limit)["stories"]
        assert walked and walked == sqlite.entity_neighbourhood(HUB, limit=limit)["stories"]


def test_a_hubs_walk_reads_the_stories_newest_first_and_stops_after_the_limit(both):
    _, neo = both
    plan = neo.driver.execute_query("EXPLAIN " + q.ENTITY_STORIES_WALK, id=HUB, since=T0, limit=5,
                                    database_=neo.database).summary.plan
    ops, todo = [], [plan]
    while todo:
        op = todo.pop()
        ops.append(op["operatorType"])
        todo += op.get("children", [])
    # the date order comes off the index and only the ties among equal dates are sorted, lazily: not every
    # story since $since is expanded before the first $limit are known
    assert any(op.startswith("PartialTop") for op in ops) and not any(op.startswith(("Sort", "Top")) for op in ops), ops


def _rank_indexes(store) -> int:
    [row] = store._read(q.PAIR_RANK_INDEXES_PRESENT)
    return row["n"]


def test_a_database_written_before_the_ranks_gains_them_and_their_indexes_on_connect(both):
    from newsgraph.engine.store.neo4j import Neo4jStore

    sqlite, neo = both
    assert _rank_indexes(neo) == 2
    for name in ("rel_co_mentioned_start_rank", "rel_co_mentioned_end_rank"):
        neo.driver.execute_query(f"DROP INDEX {name}", database_=neo.database)
    neo.driver.execute_query("MATCH ()-[r:CO_MENTIONED]->() REMOVE r.start_rank, r.end_rank", database_=neo.database)
    assert _rank_indexes(neo) == 0
    assert neo.entity_neighbourhood(HUB)["neighbours"] == []  # what an unranked database would answer
    again = Neo4jStore(neo.driver, neo.database, 3, url=neo.url)
    try:
        assert _rank_indexes(again) == 2
        _same_hoods(sqlite, again)
    finally:
        again.close()
