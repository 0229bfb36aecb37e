import pytest

from newsgraph.engine.errors import InputError
from newsgraph.engine.ingest import article_id, canonicalize_url, normalise_domain, outlet_id_from_url, parse_published_at


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


@pytest.mark.parametrize("raw, canonical", [
    # tracking names are matched case-insensitively; parameters that select content stay
    ("https://cnn.com/a?UTM_Campaign=x&mc_cid=1&mc_eid=2&igshid=3&ref_src=twsrc&page=2",
     "https://cnn.com/a?page=2"),
    ("https://cnn.com/a?cid=7", "https://cnn.com/a?cid=7"),
    ("https://user:secret@cnn.com/a", "https://cnn.com/a"),
    ("https://cnn.com//a//b/", "https://cnn.com/a/b"),
    ("https://cnn.com./a", "https://cnn.com/a"),
    ("https://[2001:db8::1]:8080/a/", "https://[2001:db8::1]:8080/a"),
    ("https://www.com/", "https://www.com"),
    ("https://cnn.com?utm_source=x", "https://cnn.com"),
])
def test_more_canonical_urls(raw, canonical):
    assert canonicalize_url(raw) == canonical


def test_no_host_reason_is_clear():
    with pytest.raises(InputError, match="has no host"):
        canonicalize_url("https:///2021/05/01/story.html")
    with pytest.raises(InputError, match="not an http"):
        canonicalize_url("mailto:desk@cnn.com")


@pytest.mark.parametrize("text, outlet", [
    ("www.NYTimes.com", "nytimes.com"),
    ("https://www.nytimes.com/section/world", "nytimes.com"),
    ("nytimes.com/section", "nytimes.com"),
    ("news.bbc.co.uk", "bbc.co.uk"),
])
def test_outlet_fields_given_as_domain_or_url(text, outlet):
    assert normalise_domain(text) == outlet


@pytest.mark.parametrize("text", ["New York Times", "CNN", ""])
def test_outlet_names_are_not_domains(text):
    with pytest.raises(InputError, match="not a domain"):
        normalise_domain(text)


@pytest.mark.parametrize("value, iso", [
    ("20210501", "2021-05-01T00:00:00+00:00"),  # ISO 8601 basic form, not epoch seconds
    (" 2021-05-01T10:00:00.250+05:30 ", "2021-05-01T04:30:00.250000+00:00"),
    ("2021-05-01 10:00", "2021-05-01T10:00:00+00:00"),
    ("1619863200000", "2021-05-01T10:00:00+00:00"),
    (-1, None),  # 1969 is fine; only the 1900-2100 bounds apply
])
def test_more_dates(value, iso):
    got = parse_published_at(value)
    assert got.tzinfo is not None and got.utcoffset().total_seconds() == 0
    if iso is not None:
        assert got.isoformat() == iso


@pytest.mark.parametrize("value, reason", [
    ("2021", "not a valid ISO 8601"),  # a bare year is no date, and not 33 minutes after 1970
    ("0001-01-01T00:00:00+01:00", "outside 1900-2100"),
    ("9999-12-31T23:00:00-05:00", "outside 1900-2100"),
    ("1899-12-31T23:59:59", "outside 1900-2100"),
    (10 ** 400, "outside 1900-2100"),
    (float("inf"), "not a number"),
    ("   ", "empty"),
    ({"when": 1}, "string or a number"),
])
def test_bad_dates_say_why(value, reason):
    with pytest.raises(InputError, match=reason):
        parse_published_at(value)


@pytest.mark.parametrize("url", ["http://exa mple.com/x", "https://exa%20mple.com/", "https://cnn!.com/a",
                                 "https://cnn.com<b>/a"])
def test_hosts_with_characters_no_host_name_holds_are_rejected(url):
    with pytest.raises(InputError, match="invalid host"):
        canonicalize_url(url)


def test_a_url_with_a_space_in_its_host_is_a_bad_record_not_an_outlet(tmp_path):
    from newsgraph.engine.ingest import Record

    with pytest.raises(InputError, match=r"articles\[0\]: url 'http://exa mple.com/x' has an invalid host"):
        Record({"url": "http://exa mple.com/x", "title": "T", "published_at": "2021-05-01"}, "articles", index=0).check()
    assert canonicalize_url("https://b\u00fccher.de/x") == "https://b\u00fccher.de/x"  # internationalised names stay
