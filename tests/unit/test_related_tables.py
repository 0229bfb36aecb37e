"""The embedded store's kept copies for related stories (about_span, entity_story_count) follow every write.

They are kept by triggers; these tests write through every path (upserts and refreshes as ingest makes
them, articles moving out of a story that then goes, a sync into an empty store and into a filled one, an
older store opened again, a bulk load stopped half-way) and check the copies against a fresh count, and the
related stories against the query that counted them afresh on each read.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from newsgraph.engine.models import Article, Assignment, Entity, Mention, Story
from newsgraph.engine.store import SQLiteStore, StoredArticle
from newsgraph.engine.store.rows import entity_cap, from_iso, to_iso
from newsgraph.engine.sync import sync
from newsgraph.graph_schema.sqlite import RELATED_TRIGGERS

T0 = datetime(2025, 3, 1, 9, tzinfo=timezone.utc)
ENTITIES = tuple(f"gpe:place{k}" for k in range(30))

FRESH_SPANS = """SELECT ab.start_id, ab.end_id, ab.weight, s.first_published, s.last_published
FROM rel_about ab JOIN story s ON s.id = ab.start_id ORDER BY 1, 2"""
KEPT_SPANS = "SELECT story_id, entity_id, weight, first_published, last_published FROM about_span ORDER BY 1, 2"
FRESH_COUNTS = "SELECT end_id, count(*) FROM rel_about GROUP BY end_id ORDER BY 1"
KEPT_COUNTS = "SELECT entity_id, stories FROM entity_story_count WHERE stories > 0 ORDER BY 1"

# the related-stories read as it was before the copies: each entity's stories counted, each story's span
# looked up on every read
REFERENCE = """
WITH mine AS (
    SELECT ab.end_id AS entity_id, ab.weight,
           (SELECT count(*) FROM (SELECT 1 FROM rel_about x WHERE x.end_id = ab.end_id LIMIT :max_df + 1))
               AS entity_stories
    FROM rel_about ab WHERE ab.start_id = :id
)
SELECT m.entity_id, e.name AS entity_name, m.weight, m.entity_stories,
       s.id AS story_id, s.title, s.first_published, s.source_count, o.weight AS other_weight
FROM mine m
JOIN entity e ON e.id = m.entity_id
JOIN rel_about o ON o.end_id = m.entity_id AND o.start_id <> :id
JOIN story s ON s.id = o.start_id
WHERE m.entity_stories <= :max_df AND s.last_published >= :lo AND s.first_published <= :hi
ORDER BY s.id, m.entity_id
"""


def _article(i: int) -> Article:
    outlet = ("cnn.com", "foxnews.com", "reuters.com")[i % 3]
    return Article(id=f"a{i}", url=f"https://{outlet}/a{i}", title=f"Article {i}", outlet_id=outlet,
                   published_at=T0 + timedelta(hours=13 * i))


def _write(store: SQLiteStore, placed: dict[int, str]) -> None:
    """Articles ``i`` into stories ``placed[i]`` as ingest writes them, each mentioning a few of ENTITIES."""
    arts = [_article(i) for i in placed]
    store.upsert_entities([Entity(e, e.split(":")[1].title(), "GPE") for e in ENTITIES])
    store.upsert_articles([StoredArticle(a, title_key=a.id, content_hash=a.id) for a in arts])
    store.upsert_mentions([Mention(f"a{i}", e) for i in placed for e in _mentioned(i)])
    by_story: dict[str, list[Article]] = {}
    for a, sid in zip(arts, placed.values()):
        by_story.setdefault(sid, []).append(a)
    store.upsert_stories([Story(sid, f"Story {sid}", min(a.published_at for a in members),
                                max(a.published_at for a in members)) for sid, members in by_story.items()],
                         [Assignment(f"a{i}", sid, 1.0) for i, sid in placed.items()])
    store.refresh_derived(by_story)


def _mentioned(i: int) -> set[str]:
    """A hub in four articles of five, a topic over nine consecutive articles (three stories) that comes
    back every 270, and in one article of four a place of its own (so entities come in 3-10 stories)."""
    return {ENTITIES[k] for k in ((0,) if i % 5 else ()) + ((i // 9) % 30,) + (((i * 7) % 30,) if i % 4 == 0 else ())}


def _fill(store: SQLiteStore, n: int = 300) -> None:
    """``n`` articles, 13 hours apart, in stories of three consecutive articles."""
    _write(store, {i: f"s{i // 3}" for i in range(n)})


def _kept_as_counted(store: SQLiteStore) -> None:
    spans = store.db.execute(FRESH_SPANS).fetchall()
    assert spans and [tuple(r) for r in store.db.execute(KEPT_SPANS)] == [tuple(r) for r in spans]
    assert [tuple(r) for r in store.db.execute(KEPT_COUNTS)] == [tuple(r) for r in store.db.execute(FRESH_COUNTS)]


def _related_as_counted(store: SQLiteStore, days: float = 3.0, max_entity_stories: int = 500) -> int:
    """Every story's related rows equal the reference read's; returns how many rows there were."""
    total = 0
    stories = store.db.execute("SELECT count(*) FROM story").fetchone()[0]
    for sid, first, last in store.db.execute("SELECT id, first_published, last_published FROM story").fetchall():
        got = store.related_story_rows(sid, days=days, max_entity_stories=max_entity_stories)["rows"]
        params = {"id": sid, "lo": to_iso(from_iso(first) - timedelta(days=days)),
                  "hi": to_iso(from_iso(last) + timedelta(days=days)),
                  "max_df": entity_cap(stories, max_entity_stories, 0.1, 5)}
        want = [{**dict(r), "first_published": from_iso(r["first_published"])}
                for r in store.db.execute(REFERENCE, params)]
        assert got == want, sid
        total += len(got)
    return total


@pytest.fixture
def store(tmp_path):
    s = SQLiteStore(tmp_path / "g.db")
    yield s
    s.close()


def test_ingest_writes_keep_the_copies_and_the_related_stories_as_counted(store):
    _fill(store)
    _kept_as_counted(store)
    assert _related_as_counted(store) > 50
    assert _related_as_counted(store, days=30) > _related_as_counted(store, days=3)
    assert _related_as_counted(store, days=30, max_entity_stories=8) < _related_as_counted(store, days=30)
    # later articles join old stories: their spans grow, the weights change, new stories start
    _write(store, {300: "s0", 301: "s5", 302: "s100", 303: "s100"})
    _kept_as_counted(store)
    _related_as_counted(store, days=30)
    # a story's span rewritten by itself (the graph's node writes, as a sync makes them), its ABOUT rows untouched
    [row] = [r for r in store.iter_nodes("Story") if r["id"] == "s3"]
    store.write_nodes("Story", [{**row, "last_published": row["last_published"] + timedelta(days=9)}])
    _kept_as_counted(store)
    _related_as_counted(store, days=3)


def test_a_story_whose_articles_all_move_away_leaves_the_copies(store):
    _fill(store)
    # s1's three articles move into s2: s1 is deleted, its ABOUT rows with it, s2 grows
    store.upsert_stories([Story("s2", "Story s2", _article(3).published_at, _article(8).published_at)],
                         [Assignment(f"a{i}", "s2", 1.0) for i in (3, 4, 5)])
    store.refresh_derived(["s1", "s2"])
    assert store.db.execute("SELECT count(*) FROM story WHERE id = 's1'").fetchone()[0] == 0
    assert store.db.execute("SELECT count(*) FROM about_span WHERE story_id = 's1'").fetchone()[0] == 0
    _kept_as_counted(store)
    _related_as_counted(store, days=30)


def test_a_sync_keeps_them_into_an_empty_store_and_into_a_filled_one(store, tmp_path):
    _fill(store)
    empty = SQLiteStore(tmp_path / "empty.db")
    filled = SQLiteStore(tmp_path / "filled.db")
    try:
        sync(store, empty)  # the bulk path: triggers off, the copies filled at the end
        _write(filled, {i: f"t{i // 2}" for i in range(400, 410)})
        sync(store, filled)
        for target in (empty, filled):
            assert {r[0] for r in target.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")} == set(
                RELATED_TRIGGERS)
            _kept_as_counted(target)
            _related_as_counted(target, days=30)
        assert empty.related_story_rows("s4", days=30) == store.related_story_rows("s4", days=30)
    finally:
        empty.close()
        filled.close()


def test_a_store_made_before_the_copies_or_left_by_a_stopped_bulk_load_gets_them_on_open(tmp_path):
    path = tmp_path / "old.db"
    store = SQLiteStore(path)
    _fill(store)
    before = {sid: store.related_story_rows(sid, days=30) for sid in ("s0", "s7", "s19")}
    store.close()
    db = sqlite3.connect(path)  # as an older version left it: no copies, no triggers
    for name in RELATED_TRIGGERS:
        db.execute(f"DROP TRIGGER {name}")
    db.execute("DROP TABLE about_span")
    db.execute("DROP TABLE entity_story_count")
    db.commit()
    db.close()
    store = SQLiteStore(path)
    _kept_as_counted(store)
    assert {sid: store.related_story_rows(sid, days=30) for sid in before} == before
    store.close()
    db = sqlite3.connect(path)  # a bulk load stopped with its triggers off, after more ABOUT rows were written
    for name in RELATED_TRIGGERS:
        db.execute(f"DROP TRIGGER {name}")
    db.execute("DELETE FROM rel_about WHERE start_id = 's3'")
    db.commit()
    db.close()
    store = SQLiteStore(path)
    try:
        _kept_as_counted(store)
        _related_as_counted(store, days=30)
    finally:
        store.close()
