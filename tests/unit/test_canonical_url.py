import pytest

from engine.errors import InputError
from engine.ingest import article_id, canonicalize_url, outlet_id_from_url, parse_published_at


@pytest.mark.parametrize("raw, canonical", [
    ("https://www.nytimes.com/2021/05/01/us/story.html?utm_source=twitter&utm_medium=social",
     "https://nytimes.com/2021/05/01/us/story.html"),
    ("HTTPS://WWW.NYTIMES.COM/Path/", "https://nytimes.com/Path"),
    ("https://cnn.com/a?fbclid=IwAR&gclid=x&id=5#comments", "https://cnn.com/a?id=5"),
    ("https://cnn.com/a?b=2&a=1", "https://cnn.com/a?a=1&b=2"),
    ("http://cnn.com:80/a", "http://cnn.com/a"),
    ("https://cnn.com:8443/a", "https://cnn.com:8443/a"),
    ("https://cnn.com/", "https://cnn.com"),
])
def test_canonical_urls(raw, canonical):
    assert canonicalize_url(raw) == canonical


@pytest.mark.parametrize("bad", ["https:///path", "not a url", "ftp://cnn.com/x", "", "https://cnn.com:99999/"])
def test_urls_without_host_or_http_are_rejected(bad):
    with pytest.raises(InputError):
        canonicalize_url(bad)


@pytest.mark.parametrize("url, outlet", [
    ("https://news.bbc.co.uk/2/hi/world.stm", "bbc.co.uk"),
    ("https://edition.cnn.com/x", "cnn.com"),
    ("https://www.theguardian.co.uk/", "theguardian.co.uk"),
    ("https://abcnews.go.com/Politics", "go.com"),
    ("https://WWW.Lemonde.FR/a", "lemonde.fr"),
])
def test_outlet_is_the_registrable_domain(url, outlet):
    assert outlet_id_from_url(url) == outlet


def test_article_ids_are_stable():
    a = article_id(url="https://www.cnn.com/x/?utm_source=a")
    # the scheme is part of the page's address: http and https stay different
    assert a != article_id(url="http://cnn.com/x")
    assert a == article_id(url="https://cnn.com/x#top") and len(a) == 16
    assert article_id(url="https://cnn.com/x", given_id=" abc ") == "abc"
    assert article_id(url="https://cnn.com/y") != a


@pytest.mark.parametrize("value, iso", [
    ("2021-05-01", "2021-05-01T00:00:00+00:00"),
    ("2021-05-01T10:00:00", "2021-05-01T10:00:00+00:00"),
    ("2021-05-01T10:00:00Z", "2021-05-01T10:00:00+00:00"),
    ("2021-05-01T10:00:00-07:00", "2021-05-01T17:00:00+00:00"),
    (1619863200, "2021-05-01T10:00:00+00:00"),
    ("1619863200", "2021-05-01T10:00:00+00:00"),
    (1619863200000, "2021-05-01T10:00:00+00:00"),
    (1619863200.5, "2021-05-01T10:00:00.500000+00:00"),
])
def test_dates(value, iso):
    assert parse_published_at(value).isoformat() == iso


@pytest.mark.parametrize("value", ["2021-02-30", "2021-13-01", "0001-01-01", "2150-01-01", "9/6/17", "", None,
                                   True, [2021], float("nan")])
def test_bad_dates(value):
    with pytest.raises(InputError):
        parse_published_at(value)
