"""Store contract (both backends): article texts are kept, a story's texts and its related-story rows."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from newsgraph.engine.errors import NotFound
from newsgraph.engine.models import Article, Assignment, Mention, Story
from newsgraph.engine.store import SQLiteStore, StoredArticle
from tests.neo4j.test_store_contract import T0, _fill


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path, backend_store):
    s = backend_store(request.param, tmp_path)
    _fill(s)
    return s


def _with_text(store, i: int, outlet: str, text: str, story: str, hours: float = 0) -> None:
    a = Article(id=f"t{i}", url=f"https://{outlet}/t{i}", title=f"Text title {i}", outlet_id=outlet,
                published_at=T0 + timedelta(hours=hours), lead=text.split(". ")[0], text=text)
    store.upsert_articles([StoredArticle(a, title_key=f"{outlet}|t{i}", content_hash=f"t{i}")])
    store.upsert_stories([Story(story, f"Story {story}", a.published_at, a.published_at)],
                         [Assignment(a.id, story, 1.0)])
    store.refresh_derived([story])


def test_story_texts_return_each_articles_text_lead_and_outlet_bias(store):
    _with_text(store, 1, "cnn.com", "Finland leaves the treaty. Officials said so on Monday.", "s1", hours=5)
    rows = store.story_texts("s1")
    assert [r["id"] for r in rows] == ["a0", "a1", "a2", "t1"]  # oldest first
    assert rows[-1]["text"] == "Finland leaves the treaty. Officials said so on Monday."
    assert rows[-1]["lead"] == "Finland leaves the treaty" and rows[-1]["bias"] == "left"
    assert rows[0]["text"] is None and rows[0]["lead"] == "lead"
    assert rows[1]["outlet_name"] == "Fox News" and rows[1]["bias"] == "right"
    assert rows[-1]["published_at"] == T0 + timedelta(hours=5)
    with pytest.raises(NotFound):
        store.story_texts("nope")


def test_related_story_rows_are_the_other_stories_about_its_entities_in_the_window(store):
    # s1 is about Finland and Russia, s2 about Russia; s3, a month later, about Finland
    store.upsert_articles([StoredArticle(Article(id="late", url="https://cnn.com/late", title="Late",
                                                 published_at=T0 + timedelta(days=30), outlet_id="cnn.com"),
                                         title_key="late", content_hash="late")])
    store.upsert_mentions([Mention("late", "gpe:finland")])
    store.upsert_stories([Story("s3", "Story three", T0, T0)], [Assignment("late", "s3", 1.0)])
    store.refresh_derived(["s3"])
    out = store.related_story_rows("s1", days=14)
    assert out["stories"] == 3
    assert [(r["story_id"], r["entity_id"]) for r in out["rows"]] == [("s2", "gpe:russia")]
    [row] = out["rows"]
    assert row["weight"] == pytest.approx(1 / 3) and row["other_weight"] == pytest.approx(1.0)
    assert row["entity_stories"] == 2 and row["entity_name"] == "Russia" and row["title"] == "Story two"
    wide = store.related_story_rows("s1", days=40)["rows"]
    assert [(r["story_id"], r["entity_id"]) for r in wide] == [("s2", "gpe:russia"), ("s3", "gpe:finland")]
    # an entity more stories are about than the cap links nothing
    assert store.related_story_rows("s1", days=40, max_entity_stories=1)["rows"] == []
    assert store.related_story_rows("s2", days=14)["rows"][0]["story_id"] == "s1"
    with pytest.raises(NotFound):
        store.related_story_rows("nope")


def test_an_embedded_store_made_before_article_texts_gets_the_column(tmp_path):
    path = tmp_path / "old.db"
    SQLiteStore(path).close()
    db = sqlite3.connect(path)
    db.execute("ALTER TABLE article DROP COLUMN text")
    db.commit()
    db.close()
    store = SQLiteStore(path)
    _fill(store)
    _with_text(store, 1, "cnn.com", "Finland leaves the treaty. Officials said so.", "s1", hours=5)
    assert store.story_texts("s1")[-1]["text"] == "Finland leaves the treaty. Officials said so."
    store.close()
