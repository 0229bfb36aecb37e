"""The outlets of an entity on Neo4j, counted off the publishers' ids each article keeps, as the embedded store
counts them.

Every article on Neo4j keeps the ids of the outlets that published it
(``Article.outlet_ids``, one per ``PUBLISHED`` relationship), so a hub's outlets
are counted without expanding each of its articles to its publisher. These
tests build one graph in both stores, with tied counts, articles without an
outlet and articles published by two outlets, and compare every entity's
outlets at several limits: after ingest, after the same ingest again, after a
sync (bulk, and merging into a database that holds the graph), and on a
database written before the ids were kept, which gets them when the store
connects.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from newsgraph.engine.models import Article, Assignment, Entity, Mention, Outlet, Story
from newsgraph.engine.store import StoredArticle
from newsgraph.engine.sync import sync
from newsgraph.graph_schema import cypher as q

pytestmark = pytest.mark.neo4j

T0 = datetime(2025, 4, 1, 8, tzinfo=timezone.utc)
HUB = "gpe:hub"
OTHERS = [f"per:p{i}" for i in range(6)]
OUTLETS = ["a.com", "b.com", "c.com", "d.com", "e.com", "f.com"]
LIMITS = (1, 2, 4, 25)
N = 60


def _outlet(i: int) -> str | None:
    """Article i's outlet: none for every seventh, else counts 1 to 14 per outlet with ties."""
    return None if i % 7 == 0 else OUTLETS[(i * i + i // 5) % len(OUTLETS)]


def _article(i: int, outlet: str | None, version: str = "") -> StoredArticle:
    a = Article(id=f"a{i:03d}", url=f"https://x.org/{i}", title=f"Title {i}", published_at=T0 + timedelta(hours=i),
                outlet_id=outlet, outlet_name=outlet, lead="lead")
    return StoredArticle(a, title_key=None, content_hash=f"h{i}{version}")


def _fill(store) -> None:
    store.upsert_outlets([Outlet(o, o.split(".")[0]) for o in OUTLETS])
    store.upsert_entities([Entity(e, e.split(":")[1], e.split(":")[0].upper()) for e in [HUB, *OTHERS]])
    store.upsert_articles([_article(i, _outlet(i)) for i in range(N)])
    store.upsert_mentions([Mention(f"a{i:03d}", e) for i in range(N)
                           for e in sorted({HUB, OTHERS[i % 6], OTHERS[(i // 2) % 6]}) if e != HUB or i % 9])
    store.upsert_stories([Story(f"s{k}", f"Story {k}", T0, T0) for k in range(6)],
                         [Assignment(f"a{i:03d}", f"s{i % 6}", 0.8) for i in range(N)])
    store.refresh_derived([f"s{k}" for k in range(6)])


def _republish(store) -> None:
    """Articles stored again under another outlet: each then has two publishers, in both stores."""
    store.upsert_articles([_article(i, "f.com", "v2") for i in range(1, 20, 3) if _outlet(i) != "f.com"])


def _outlets(store) -> dict:
    return {(e, limit): store.entity_neighbourhood(e, limit=limit)["outlets"]
            for e in [HUB, *OTHERS] for limit in LIMITS}


def _same_outlets(sqlite, neo) -> None:
    want = _outlets(sqlite)
    hub = want[(HUB, 25)]
    counts = [o["articles"] for o in hub]
    assert len(hub) == len(OUTLETS) and len(set(counts)) < len(counts)  # ties to break by id
    assert _outlets(neo) == want


def _kept(store) -> dict:
    """Each article's kept publishers' ids, and the outlets its PUBLISHED relationships come from."""
    rows = store._read("MATCH (a:Article) RETURN a.id AS id, a.outlet_ids AS kept, "
                       "COLLECT { MATCH (o:Outlet)-[:PUBLISHED]->(a) RETURN o.id } AS published ORDER BY id")
    return {r["id"]: (sorted(r["kept"]) if r["kept"] is not None else None, sorted(r["published"])) for r in rows}


def _consistent(store) -> None:
    kept = _kept(store)
    assert len(kept) == N
    for article, (ids, published) in kept.items():
        assert ids == (published or None), article


@pytest.fixture()
def both(tmp_path, backend_store):
    sqlite, neo = backend_store("sqlite", tmp_path), backend_store("neo4j", tmp_path)
    for store in (sqlite, neo):
        _fill(store)
    return sqlite, neo


def test_an_entitys_outlets_are_the_embedded_stores_with_articles_of_no_outlet_and_of_two(both):
    sqlite, neo = both
    _same_outlets(sqlite, neo)
    hub = {o["id"]: o["articles"] for o in neo.entity_neighbourhood(HUB)["outlets"]}
    assert sum(hub.values()) == sum(1 for i in range(N) if i % 9 and _outlet(i))  # no outlet: not counted
    _consistent(neo)
    for store in both:
        _republish(store)
    _same_outlets(sqlite, neo)
    assert sum(o["articles"] for o in neo.entity_neighbourhood(HUB)["outlets"]) > sum(hub.values())
    assert any(ids and len(ids) == 2 for ids, _ in _kept(neo).values())
    _consistent(neo)


def test_the_same_ingest_again_neither_repeats_nor_loses_a_publisher(both):
    sqlite, neo = both
    _republish(neo)
    before = _kept(neo), _outlets(neo)
    _fill(neo)
    _republish(neo)
    assert (_kept(neo), _outlets(neo)) == before


def test_a_sync_lists_the_publishers_in_bulk_and_merging_into_a_full_database(tmp_path, backend_store):
    sqlite, neo = backend_store("sqlite", tmp_path), backend_store("neo4j", tmp_path)
    _fill(sqlite)
    _republish(sqlite)
    sync(sqlite, neo)  # into an empty database: the bulk path
    _same_outlets(sqlite, neo)
    _consistent(neo)
    before = _kept(neo)
    sync(sqlite, neo)  # into one that holds it all: every row merged
    assert _kept(neo) == before
    _same_outlets(sqlite, neo)


def test_a_database_written_before_the_publishers_were_kept_gets_them_on_connect(both):
    from newsgraph.engine.store.neo4j import Neo4jStore

    sqlite, neo = both
    for store in both:
        _republish(store)
    want = _kept(neo)
    # the previous version's database, and one whose fill was cut short (it lists the articles in id order)
    for removed in ("MATCH (a:Article) REMOVE a.outlet_ids", "MATCH (a:Article) WHERE a.id >= 'a030' REMOVE a.outlet_ids"):
        neo.driver.execute_query(removed, database_=neo.database)
        assert neo.entity_neighbourhood(HUB)["outlets"] != sqlite.entity_neighbourhood(HUB)["outlets"]
        again = Neo4jStore(neo.driver, neo.database, 3, url=neo.url)
        try:
            assert _kept(again) == want
            _same_outlets(sqlite, again)
        finally:
            again.close()


def _plan(store, query: str, **params) -> list[str]:
    """Every operator of ``query``'s plan with its details."""
    plan = store.driver.execute_query("EXPLAIN " + query, params, database_=store.database).summary.plan
    out, todo = [], [plan]
    while todo:
        op = todo.pop()
        out.append(f"{op['operatorType']} {op['args'].get('Details', '')}")
        todo += op.get("children", [])
    return out


def test_a_hubs_outlets_expand_no_article_to_its_publisher_and_connecting_looks_at_one_article(both):
    _, neo = both
    plan = _plan(neo, q.ENTITY_OUTLETS, id=HUB, limit=25)
    assert any("MENTIONS" in op for op in plan) and not any("PUBLISHED" in op for op in plan), plan
    # the check on connect reads the end of the id index, not every article
    plan = _plan(neo, q.LAST_PUBLISHED_UNLISTED)
    assert not any(op.startswith(("NodeByLabelScan", "Sort", "Top")) for op in plan), plan
