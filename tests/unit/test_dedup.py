from datetime import datetime, timedelta, timezone

from engine.ingest import Deduplicator, title_key
from engine.models import Article

T = datetime(2021, 5, 1, 9, tzinfo=timezone.utc)


def art(id, url="https://cnn.com/a", title="Big news", when=T, outlet="cnn.com", **kw):
    return Article(id=id, url=url, title=title, published_at=when, outlet_id=outlet, **kw)


def test_exact_repeat_is_a_duplicate():
    d = Deduplicator()
    assert d.check(art("1"), "f:1") is None
    v = d.check(art("1"), "f:2")
    assert v.reason == "exact duplicate of f:1" and not v.conflict


def test_same_given_id_with_other_content_is_a_conflict():
    d = Deduplicator()
    d.check(art("1"), "f:1")
    v = d.check(art("1", title="Other story"), "f:5")
    assert v.conflict and "already used by f:1" in v.reason


def test_same_url_with_other_content_is_a_duplicate_not_a_conflict():
    from engine.ingest import article_id

    url = "https://cnn.com/a"
    d = Deduplicator()
    d.check(art(article_id(url=url), url=url), "f:1")
    v = d.check(art(article_id(url=url), url=url, title="Edited headline"), "f:2")
    assert not v.conflict and v.reason == "same URL as f:1"


def test_same_outlet_title_and_day_is_a_duplicate():
    d = Deduplicator()
    d.check(art("1"), "f:1")
    assert d.check(art("2", url="https://cnn.com/b", title="BIG  news!"), "f:2").reason.startswith("same outlet")
    # another day, or another outlet, is another article
    assert d.check(art("3", url="https://cnn.com/c", when=T + timedelta(days=1)), "f:3") is None
    assert d.check(art("4", url="https://fox.com/a", outlet="fox.com"), "f:4") is None


def test_title_key_needs_an_outlet():
    assert title_key(art("1", outlet=None)) == ""
    assert title_key(art("1")) == "cnn.com|big news|2021-05-01"
