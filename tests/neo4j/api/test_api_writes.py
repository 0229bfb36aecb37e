"""Writes through the JSON API on both stores: API key, ratings import, article ingest, body limit, CORS."""

from __future__ import annotations

import json

import pytest

from tests.neo4j.api.conftest import API_KEY, make_client

KEY = {"X-API-Key": API_KEY}
RATING = {"ratings": [{"domain": "https://www.example-blog.net/about", "name": "Example Blog", "bias": "lean_right",
                       "factuality": "mixed", "ownership": "independent", "rater": "review"}]}
NEW_ARTICLES = {
    "articles": [
        {"url": "https://www.cnn.com/2025/04/09/volcano.html", "title": "Iceland volcano erupts near Grindavik",
         "published_at": "2025-04-09T06:00:00Z", "lead": "Lava flowed towards the town of Grindavik in Iceland.",
         "outlet": "cnn.com"},
        {"url": "https://www.reuters.com/2025/04/09/volcano.html", "published_at": "2025-04-09T07:00:00Z",
         "outlet": "reuters.com"},
        {"url": "https://www.foxnews.com/2025/04/09/volcano.html",
         "title": "Volcano in Iceland erupts again near Grindavik", "published_at": "2025-04-09T08:00:00Z",
         "lead": "An eruption near Grindavik sent lava towards the Icelandic town.", "outlet": "foxnews.com"},
    ]
}


@pytest.mark.parametrize("path, body", [("/api/outlets", RATING), ("/api/articles", NEW_ARTICLES)])
def test_writes_are_off_without_a_server_key(fresh_store, ner, path, body):
    with make_client(fresh_store, ner, api_key="") as client:
        r = client.post(path, json=body, headers=KEY)
        assert r.status_code == 403 and r.json()["error"] == "WritesDisabled"
        assert client.get("/health").json()["writes"] is False
    assert fresh_store.stats()["nodes"]["Story"] == 4


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "wrong"}, {"X-API-Key": ""}])
def test_writes_need_the_right_key(fresh_store, ner, headers):
    with make_client(fresh_store, ner) as client:
        for path, body in (("/api/outlets", RATING), ("/api/articles", NEW_ARTICLES)):
            r = client.post(path, json=body, headers=headers)
            assert r.status_code == 401 and r.json()["error"] == "BadApiKey", r.text
        assert client.get("/api/outlets/example-blog.net").json()["bias"] == "unrated"
    assert fresh_store.stats()["nodes"]["Article"] == 13


def test_importing_ratings_rates_the_outlet(fresh_store, ner):
    with make_client(fresh_store, ner) as client:
        r = client.post("/api/outlets", json=RATING, headers=KEY)
        assert r.status_code == 200, r.text
        assert r.json()["outlets"] == ["example-blog.net"] and r.json()["matched"] == 1
        blog = client.get("/api/outlets/example-blog.net").json()
        assert (blog["bias"], blog["factuality"], blog["ownership"]) == ("lean_right", "mixed", "independent")
        assert blog["ratings"]["review"]["bias"] == "lean_right"
        [story] = client.get("/api/stories", params={"outlet": "example-blog.net"}).json()["data"]
        card = client.get(f"/api/stories/{story['id']}").json()
        assert card["side_counts"]["right"] == 1 and card["unrated_sources"] == 0
        again = client.post("/api/outlets", json=RATING, headers=KEY).json()
        assert again["outlets"] == [] and again["matched"] == 1


def test_bad_ratings_are_422_or_reported(fresh_store, ner):
    with make_client(fresh_store, ner) as client:
        for bad in ({"ratings": []}, {"ratings": [{"domain": "x.com", "bias": "far_left"}]},
                    {"ratings": [{"domain": "x.com", "bias_score": 7}]}, {"ratings": [{"domain": "x.com", "oops": 1}]},
                    {"nope": 1}, [1, 2]):
            r = client.post("/api/outlets", json=bad, headers=KEY)
            assert r.status_code == 422, (bad, r.text)
            assert r.json()["detail"][0]["loc"][0] == "body"
        r = client.post("/api/outlets", headers={**KEY, "Content-Type": "application/json"}, content=b"{not json")
        assert r.status_code == 422
        r = client.post("/api/outlets", json={"ratings": [{"domain": "not a domain"}, {"bias": "left"},
                                                          {"name": "Nobody Knows Me"}]}, headers=KEY)
        assert r.status_code == 200
        body = r.json()
        assert body["rejected"] == ["ratings[0]: not a domain: 'not a domain'", "ratings[1]: neither domain nor name"]
        assert body["unmatched"] == ["Nobody Knows Me"] and body["outlets"] == []


@pytest.mark.parametrize("score", ["NaN", "Infinity", "-Infinity", "1e309"])
def test_a_non_finite_bias_score_is_422_with_a_json_body(fresh_store, ner, score):
    body = ('{"ratings": [{"domain": "example-blog.net", "name": "Example Blog", "bias_score": %s}]}' % score)
    with make_client(fresh_store, ner) as client:
        r = client.post("/api/outlets", content=body, headers={**KEY, "Content-Type": "application/json"})
        assert r.status_code == 422, r.text
        [error] = r.json()["detail"]
        assert error["loc"][-1] == "bias_score" and isinstance(error["input"], str)
        assert client.get("/api/outlets/example-blog.net").json()["bias"] == "unrated"


def test_posting_articles_ingests_them_with_the_clis_report(fresh_store, ner):
    with make_client(fresh_store, ner) as client:
        r = client.post("/api/articles", json=NEW_ARTICLES, headers=KEY)
        assert r.status_code == 200, r.text
        report = r.json()
        assert (report["read"], report["stored"], report["rejected"], report["stories_new"]) == (3, 2, 1, 1)
        [problem] = report["problems"]
        assert problem.startswith("articles[1]: ") and "title" in problem
        stories = client.get("/api/stories", params={"q": "grindavik"}).json()
        assert stories["count"] == 1 and stories["data"][0]["source_count"] == 2
        card = client.get(f"/api/stories/{stories['data'][0]['id']}").json()
        assert card["side_counts"] == {"left": 1, "center": 0, "right": 1}
        again = client.post("/api/articles", json=NEW_ARTICLES, headers=KEY).json()
        assert again["stored"] == 0 and again["already_stored"] == 2
        assert client.get("/health").json()["nodes"]["Story"] == 5


def test_posted_articles_are_named_by_their_index_in_the_request(fresh_store, ner):
    first, _, third = NEW_ARTICLES["articles"]
    # NaN is not JSON, but Python's parser (and so the request's) lets it through
    body = ('{"articles": [%s, %s, %s]}' % (json.dumps(first), json.dumps({**third, "score": float("nan")}),
                                            json.dumps(first))).encode()
    with make_client(fresh_store, ner) as client:
        r = client.post("/api/articles", content=body, headers={**KEY, "Content-Type": "application/json"})
        assert r.status_code == 200, r.text
        report = r.json()
    assert (report["stored"], report["rejected"], report["duplicates"]) == (1, 1, 1)
    assert report["problems"] == ["articles[1]: score is nan, which is not valid JSON"]
    assert report["duplicate_notes"] == ["articles[2]: exact duplicate of articles[0]"]
    assert fresh_store.stats()["nodes"]["Article"] == 14


def test_one_bad_record_never_costs_the_request_its_good_ones(fresh_store, ner):
    first, _, third = NEW_ARTICLES["articles"]

    class OneRecordBreaksNer:
        """The real NER, except that it fails for any batch holding a title with ``BOOM``."""

        def extract(self, items):
            if any("BOOM" in a.title for a in items):
                raise RuntimeError("the model cannot read this record")
            return ner.extract(items)

    long_title = {**first, "title": "Grindavik " * 110_000}  # past spaCy's 1,000,000 (E088) for the whole batch
    breaks = {**third, "url": "https://apnews.com/boom", "title": "BOOM goes NER", "outlet": "apnews.com"}
    bad_host = {**third, "url": "http://exa mple.com/x", "outlet": None}
    body = {"articles": [long_title, breaks, bad_host, third]}
    with make_client(fresh_store, OneRecordBreaksNer()) as client:
        r = client.post("/api/articles", json=body, headers=KEY)
    assert r.status_code == 200, r.text
    report = r.json()
    assert (report["stored"], report["rejected"]) == (2, 2)
    assert report["problems"] == [  # checks first, then what failed in NER
        "articles[2]: url 'http://exa mple.com/x' has an invalid host 'exa mple.com': a host name holds only "
        "letters, digits, hyphens and dots",
        "articles[1]: failed in entities: RuntimeError: the model cannot read this record",
    ]
    assert report["notes"] == ["articles[0]: title cut to 1000 characters (it had 1099999)"]
    assert fresh_store.stats()["nodes"]["Article"] == 15


def test_article_batches_must_be_lists_of_objects(fresh_store, ner):
    with make_client(fresh_store, ner) as client:
        for bad in ({"articles": []}, {"articles": [1]}, {"articles": "x"}, {}):
            r = client.post("/api/articles", json=bad, headers=KEY)
            assert r.status_code == 422, (bad, r.text)


def test_bodies_over_the_limit_get_413(fresh_store, ner):
    with make_client(fresh_store, ner, max_body_bytes=2000) as client:
        big = {"articles": [{**NEW_ARTICLES["articles"][0], "text": "lava " * 1000}]}
        r = client.post("/api/articles", json=big, headers=KEY)
        assert r.status_code == 413, r.text

        def chunks():  # no Content-Length: the limit applies while the body streams in
            yield b'{"articles": [{"title": "'
            for _ in range(10):
                yield b"x" * 500
            yield b'"}]}'

        r = client.post("/api/articles", content=chunks(), headers={**KEY, "Content-Type": "application/json"})
        assert r.status_code == 413, r.text
        assert client.post("/api/articles", json=NEW_ARTICLES, headers=KEY).status_code == 200
    assert fresh_store.stats()["nodes"]["Article"] == 15


@pytest.mark.parametrize("origins, allowed", [("", False), ("https://news.example.org", True)])
def test_cors_origins_are_a_setting(fresh_store, ner, origins, allowed):
    with make_client(fresh_store, ner, cors_origins=origins) as client:
        r = client.get("/api/stories", headers={"Origin": "https://news.example.org"})
        assert r.status_code == 200
        assert (r.headers.get("access-control-allow-origin") == "https://news.example.org") is allowed
        r = client.get("/api/stories", headers={"Origin": "https://evil.example.com"})
        assert "access-control-allow-origin" not in r.headers
