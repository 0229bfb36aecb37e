"""A story's related stories on Neo4j, found by seeks of the stories' spans, are the embedded store's.

The Neo4j store finds the stories of an entity that overlap a window by two
seeks of an index of spans kept on ``ABOUT`` (short stories by their last
article, the few long ones from the window's start on) instead of reading every
story of the entity. These tests put stories at the edges of the window (a
second inside or outside it, a window edge between two seconds, a story of
exactly the short span and one a second longer, stories before 1970) and
compare every story's related rows with the embedded store's, for several
windows: after ingest, after a story grows past the short span, after a sync
writes a story's dates, and on a database written before the spans were kept.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from newsgraph.engine.models import Article, Assignment, Entity, Mention, Outlet, Story
from newsgraph.engine.store import StoredArticle
from newsgraph.graph_schema import cypher as q
from tests.store_backends import filled_pair

pytestmark = pytest.mark.neo4j

T0 = datetime(2025, 4, 1, 8, tzinfo=timezone.utc)
DAY, SECOND = timedelta(days=1), timedelta(seconds=1)
ENTITIES = ["gpe:finland", "gpe:russia", "org:nato", "org:ottawa convention"]
WINDOWS = (0, 1, 7, 14, 30, 13.99999)  # the last: a window edge between two seconds


def _stories() -> dict[str, list[datetime]]:
    """Story id -> its articles' times. ``ref`` runs a day from T0; with a window of 14 days the others sit
    on its edges."""
    lo, hi = T0 - 14 * DAY, T0 + DAY + 14 * DAY
    return {
        "ref": [T0, T0 + DAY],
        "ends-at-lo": [lo - 2 * DAY, lo],
        "ends-a-second-before-lo": [lo - SECOND],
        "starts-at-hi": [hi, hi + DAY],
        "starts-a-second-after-hi": [hi + SECOND],
        "short-span-exactly": [hi, hi + 7 * DAY],  # the last of the short stories that can start by hi
        "a-second-longer": [hi, hi + 7 * DAY + SECOND],  # a long story
        "long-ends-inside": [lo - 40 * DAY, lo + DAY],
        "long-covers-all": [lo - 40 * DAY, hi + 40 * DAY],
        "long-before": [lo - 40 * DAY, lo - SECOND],
        "long-after": [hi + SECOND, hi + 30 * DAY],
        "1965": [datetime(1965, 3, 1, tzinfo=timezone.utc), datetime(1965, 3, 2, 12, tzinfo=timezone.utc)],
        "1965-long": [datetime(1964, 12, 1, tzinfo=timezone.utc), datetime(1965, 3, 3, tzinfo=timezone.utc)],
    }


def _article(story: str, i: int, when: datetime) -> StoredArticle:
    outlet = ("cnn.com", "foxnews.com", "bbc.com")[i % 3]
    a = Article(id=f"{story}/{i}", url=f"https://{outlet}/{story}/{i}", title=f"{story} {i}", published_at=when,
                outlet_id=outlet, outlet_name=outlet.split(".")[0], lead="lead")
    return StoredArticle(a, title_key=f"{outlet}|{story}|{i}", content_hash=f"{story}/{i}")


def _fill(store) -> None:
    store.upsert_outlets([Outlet(o, o.split(".")[0]) for o in ("cnn.com", "foxnews.com", "bbc.com")])
    store.upsert_entities([Entity(e, e.split(":")[1].title(), e.split(":")[0].upper()) for e in ENTITIES])
    stories = _stories()
    articles, mentions, assignments = [], [], []
    for k, (story, times) in enumerate(stories.items()):
        for i, when in enumerate(times):
            articles.append(_article(story, i, when))
            assignments.append(Assignment(f"{story}/{i}", story, 0.9))
            # the reference stories are about every entity, the others about two (the second in their first
            # article only: weights differ)
            about = ENTITIES if story in ("ref", "1965") else [ENTITIES[k % 4], ENTITIES[(k + 1) % 4]][: 2 - min(i, 1)]
            mentions += [Mention(f"{story}/{i}", e) for e in about]
    store.upsert_articles(articles)
    store.upsert_mentions(mentions)
    store.upsert_stories([Story(s, s.replace("-", " ").title(), T0, T0) for s in stories], assignments)
    store.refresh_derived(list(stories))


@pytest.fixture()
def both(tmp_path, backend_store):
    return filled_pair(backend_store, tmp_path, _fill)


def _related(store) -> dict:
    # no cap on the entities: every story of this small graph shares them
    return {(s, days): store.related_story_rows(s, days=days, max_entity_share=1.0)
            for s in _stories() for days in WINDOWS}


def _same_related(sqlite, neo) -> dict:
    want = _related(sqlite)
    assert _related(neo) == want
    return want


def _ids(related: dict, story: str, days: int) -> set[str]:
    return {r["story_id"] for r in related[(story, days)]["rows"]}


def test_every_storys_related_rows_are_the_embedded_stores_on_the_edges_of_the_window(both):
    sqlite, neo = both
    related = _same_related(sqlite, neo)
    # the edges as a reader sees them: a story that ends at the window's start is in, a split second before out
    near = _ids(related, "ref", 14)
    assert {"ends-at-lo", "starts-at-hi", "short-span-exactly", "a-second-longer", "long-ends-inside",
            "long-covers-all"} <= near
    assert not near & {"ends-a-second-before-lo", "starts-a-second-after-hi", "long-before", "long-after",
                       "1965", "1965-long"}
    assert "ends-a-second-before-lo" not in _ids(related, "ref", 13.99999)
    assert _ids(related, "1965", 30) == {"1965-long"}
    assert sum(len(r["rows"]) for r in related.values()) > 100


def test_a_story_that_grows_past_the_short_span_is_still_found(both):
    sqlite, neo = both
    lo = T0 - 14 * DAY
    for store in both:  # "ends-a-second-before-lo" gains an article in the window: now a long story inside it
        store.upsert_articles([_article("ends-a-second-before-lo", 5, lo + DAY)])
        store.upsert_mentions([Mention("ends-a-second-before-lo/5", e) for e in ENTITIES])
        store.upsert_stories([], [Assignment("ends-a-second-before-lo/5", "ends-a-second-before-lo", 0.9)])
        store.refresh_derived(["ends-a-second-before-lo"])
    related = _same_related(sqlite, neo)
    assert "ends-a-second-before-lo" in _ids(related, "ref", 14)


def test_a_sync_that_writes_a_storys_dates_moves_its_spans(both):
    sqlite, neo = both
    [row] = [r for r in sqlite.iter_nodes("Story") if r["id"] == "long-before"]
    moved = {**row, "first_published": (T0 + 3 * DAY).isoformat(), "last_published": (T0 + 4 * DAY).isoformat()}
    for store in both:  # as a sync writes a story that already has its ABOUT relationships
        store.write_nodes("Story", [moved])
    related = _same_related(sqlite, neo)
    assert "long-before" in _ids(related, "ref", 14)


def test_a_database_written_before_the_spans_gains_them_and_their_index_on_connect(both):
    from newsgraph.engine.store.neo4j import Neo4jStore

    sqlite, neo = both
    neo.driver.execute_query("DROP INDEX rel_about_span", database_=neo.database)
    neo.driver.execute_query("MATCH ()-[r:ABOUT]->() REMOVE r.span", database_=neo.database)
    assert neo.related_story_rows("ref", max_entity_share=1.0)["rows"] == []  # what it would answer unfilled
    again = Neo4jStore(neo.driver, neo.database, 3, url=neo.url)
    try:
        [present] = again._read(q.SPAN_INDEX_PRESENT)
        assert present["n"] == 1
        assert _related(again) == _related(sqlite)
    finally:
        again.close()


def test_the_related_read_seeks_the_span_index(both):
    _, neo = both
    ranges = q.about_span_ranges(ENTITIES, 0, 86400)
    plan = neo.driver.execute_query("EXPLAIN " + q.RELATED_STORIES_OF, id="ref", ranges=ranges, lo=T0, hi=T0,
                                    database_=neo.database).summary.plan
    ops, todo = [], [plan]
    while todo:
        op = todo.pop()
        ops.append((op["operatorType"], op["args"].get("Details", "")))
        todo += op.get("children", [])
    assert any("IndexSeekByRange" in kind and "span" in details for kind, details in ops), "\n".join(map(str, ops))
    assert not any(kind.startswith(("AllNodesScan", "NodeByLabelScan", "DirectedRelationshipTypeScan",
                                    "UndirectedRelationshipTypeScan")) for kind, _ in ops), ops
