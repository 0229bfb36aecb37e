from datetime import datetime, timedelta, timezone

from newsgraph.engine.ingest import Deduplicator, title_key
from newsgraph.engine.models import Article

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
    from newsgraph.engine.ingest import article_id

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


def test_titles_fold_accents_case_punctuation_and_spacing():
    d = Deduplicator()
    d.check(art("1", title="Résumé of the Día: “Big” News"), "f:1")
    v = d.check(art("2", url="https://cnn.com/b", title="resume of the dia - big news"), "f:2")
    assert v is not None and v.reason == "same outlet, title and day as f:1"


def test_the_day_is_the_utc_day():
    from datetime import timezone as tz

    late_west = datetime(2021, 5, 1, 22, 30, tzinfo=tz(timedelta(hours=-5))).astimezone(timezone.utc)
    d = Deduplicator()
    d.check(art("1", when=datetime(2021, 5, 2, 1, tzinfo=timezone.utc)), "f:1")
    # 22:30 in New York on 1 May is 03:30 UTC on 2 May: the same UTC day
    assert d.check(art("2", url="https://cnn.com/b", when=late_west), "f:2") is not None
    assert title_key(art("3", when=late_west)).endswith("|2021-05-02")


def test_punctuation_only_titles_are_not_compared():
    d = Deduplicator()
    d.check(art("1", title="???"), "f:1")
    assert title_key(art("2", title="!!!")) == ""
    assert d.check(art("2", url="https://cnn.com/b", title="!!!"), "f:2") is None


def test_seeded_keys_of_stored_articles_are_recognised():
    from newsgraph.engine.ingest import content_hash

    stored = art("1")
    d = Deduplicator()
    d.seed({stored.id: content_hash(stored)}, [title_key(stored)])
    assert d.check(art("1"), "f:1").reason == "exact duplicate of an article already stored"
    assert d.check(art("1", title="Changed"), "f:2").conflict
    assert d.check(art("9", url="https://cnn.com/z"), "f:3").reason == (
        "same outlet, title and day as an article already stored")
    assert d.check(art("10", url="https://cnn.com/new", title="Fresh"), "f:4") is None
    assert len(d) == 2
