"""The analyses' bulk rows: the same rows, in the same order, from both backends, with the filters."""

from datetime import datetime, timedelta, timezone

import pytest

from newsgraph.engine.models import Article, Assignment, Bias, Entity, Mention, Outlet, Story
from newsgraph.engine.store.base import StoredArticle

T0 = datetime(2025, 4, 1, 8, tzinfo=timezone.utc)


def _fill(store) -> None:
    """cnn (left) and fox (right) in story s1, an unrated outlet alone in s2; Finland in s1, Russia in both."""
    store.upsert_outlets([Outlet("cnn.com", "CNN", Bias.LEFT, -2), Outlet("foxnews.com", "Fox News", Bias.RIGHT, 2)])
    arts = []
    for i, outlet in enumerate(["cnn.com", "foxnews.com", "cnn.com", "unrated.org"]):
        a = Article(id=f"a{i}", url=f"https://{outlet}/{i}", title=f"Title {i}",
                    published_at=T0 + timedelta(hours=i), outlet_id=outlet, outlet_name=outlet.split(".")[0])
        arts.append(StoredArticle(a, title_key=f"{outlet}|{i}", content_hash=f"h{i}"))
    store.upsert_entities([Entity("gpe:finland", "Finland", "GPE"), Entity("gpe:russia", "Russia", "GPE")])
    store.upsert_articles(arts)
    store.upsert_mentions([Mention("a0", "gpe:finland"), Mention("a1", "gpe:finland"), Mention("a1", "gpe:russia"),
                           Mention("a3", "gpe:russia")])
    store.upsert_stories([Story("s1", "Story one", T0, T0), Story("s2", "Story two", T0, T0)],
                         [Assignment("a0", "s1", 1.0), Assignment("a1", "s1", 0.5), Assignment("a2", "s1", 0.6),
                          Assignment("a3", "s2", 1.0)])
    store.refresh_derived(["s1", "s2"])


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path, backend_store):
    s = backend_store(request.param, tmp_path)
    _fill(s)
    return s


def test_coverage_rows(store):
    rows = list(store.coverage_rows())
    assert [(r.story_id, r.story_title, r.outlet_id, r.bias, r.bias_score, r.published_at, r.articles)
            for r in rows] == [
        ("s1", "Story one", "cnn.com", "left", -2.0, T0, 2),
        ("s1", "Story one", "foxnews.com", "right", 2.0, T0 + timedelta(hours=1), 1),
        ("s2", "Story two", "unrated.org", "unrated", None, T0 + timedelta(hours=3), 1),
    ]
    # the filters select stories: covered by the outlet, about the entity, published in the window
    assert {r.story_id for r in store.coverage_rows(outlet="foxnews.com")} == {"s1"}
    assert len(list(store.coverage_rows(outlet="foxnews.com"))) == 2
    assert {r.story_id for r in store.coverage_rows(entity="gpe:finland")} == {"s1"}
    assert {r.story_id for r in store.coverage_rows(entity="gpe:russia")} == {"s1", "s2"}
    assert [r.outlet_id for r in store.coverage_rows(since=T0 + timedelta(hours=2))] == ["unrated.org"]
    assert [r.outlet_id for r in store.coverage_rows(until=T0 + timedelta(minutes=30))] == ["cnn.com"]
    assert list(store.coverage_rows(entity="gpe:nowhere")) == []


def test_article_rows(store):
    rows = [(r.article_id, r.story_id, r.outlet_id, r.bias, r.published_at) for r in store.article_rows()]
    assert rows == [
        ("a0", "s1", "cnn.com", "left", T0),
        ("a1", "s1", "foxnews.com", "right", T0 + timedelta(hours=1)),
        ("a2", "s1", "cnn.com", "left", T0 + timedelta(hours=2)),
        ("a3", "s2", "unrated.org", "unrated", T0 + timedelta(hours=3)),
    ]
    assert [r.article_id for r in store.article_rows(outlet="unrated.org")] == ["a3"]


def test_mention_rows(store):
    rows = [(r.article_id, r.story_id, r.outlet_id, r.bias, r.entity_id, r.entity_name, r.entity_type)
            for r in store.mention_rows()]
    assert rows == [
        ("a0", "s1", "cnn.com", "left", "gpe:finland", "Finland", "GPE"),
        ("a1", "s1", "foxnews.com", "right", "gpe:finland", "Finland", "GPE"),
        ("a1", "s1", "foxnews.com", "right", "gpe:russia", "Russia", "GPE"),
        ("a3", "s2", "unrated.org", "unrated", "gpe:russia", "Russia", "GPE"),
    ]
    later = store.mention_rows(since=T0 + timedelta(hours=1), entity="gpe:russia")
    assert [(r.article_id, r.entity_id) for r in later] == [
        ("a1", "gpe:finland"), ("a1", "gpe:russia"), ("a3", "gpe:russia")]
