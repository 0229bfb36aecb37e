"""The JSON API's reads on both stores, against the corpus's known answers."""

from __future__ import annotations

import pytest

from tests.web_corpus import HOSTILE_TITLE


def get(client, url, status=200, **params):
    r = client.get(url, params=params)
    assert r.status_code == status, r.text
    return r.json()


def story_id(client, text):
    [s] = get(client, "/api/stories", q=text)["data"]
    return s["id"]


def test_health_names_the_backend_and_counts(client, loaded_store):
    body = get(client, "/health")
    assert body["status"] == "ok" and body["writes"] is True
    assert body["store"] == ("sqlite" if loaded_store.url.startswith("sqlite") else "neo4j")
    assert body["nodes"]["Story"] == 4 and body["nodes"]["Article"] == 13


def test_story_list_is_ordered_by_sources_and_counts_all(client):
    body = get(client, "/api/stories")
    assert body["count"] == 4
    assert [s["source_count"] for s in body["data"]] == [4, 4, 4, 1]
    assert body["data"][-1]["title"] == HOSTILE_TITLE


def test_pages_split_the_list_without_gaps_or_repeats(client):
    whole = [s["id"] for s in get(client, "/api/stories")["data"]]
    first = get(client, "/api/stories", limit=3)
    second = get(client, "/api/stories", limit=3, offset=3)
    assert first["count"] == second["count"] == 4
    assert [s["id"] for s in first["data"] + second["data"]] == whole
    assert get(client, "/api/stories", offset=10)["data"] == []


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "landmine"}, {"mines"}),
        ({"q": "LANDMINE"}, {"mines"}),
        ({"q": "engineers"}, set()),  # only in leads, not titles
        ({"q": "scrubs"}, {"moon"}),  # in one article's title, not the story's
        ({"outlet": "example-blog.net"}, {"quantum"}),
        ({"outlet": "cnn.com"}, {"mines", "court", "moon"}),
        ({"outlet": "nobody.org"}, set()),
        ({"side": "left"}, {"mines", "court", "moon"}),
        ({"side": "right", "q": "immunity"}, {"court"}),
        ({"entity": "gpe:finland"}, {"mines"}),
        ({"since": "2025-04-02T12:00:00Z"}, {"moon", "quantum"}),
        ({"until": "2025-04-01T23:59:59"}, {"mines"}),  # no zone: UTC
        ({"since": "2025-04-02T00:00:00+02:00", "until": "2025-04-02T23:00:00Z"}, {"court"}),
    ],
)
def test_story_filters(client, params, expected):
    body = get(client, "/api/stories", **params)
    names = set()
    for s in body["data"]:
        title = s["title"].lower()
        names.add(next(k for k, words in KEYS.items() if any(w in title for w in words)))
    assert names == expected and body["count"] == len(expected)


KEYS = {
    "mines": ("landmine", "ottawa"),
    "court": ("immunity", "supreme"),
    "moon": ("artemis", "moon"),
    "quantum": ("quantum",),
}


def test_story_card_matches_the_corpus(client):
    card = get(client, f"/api/stories/{story_id(client, 'landmine')}")
    assert card["article_count"] == 4 and card["source_count"] == 4
    assert card["side_counts"] == {"left": 2, "center": 1, "right": 1}
    assert card["side_shares"] == {"left": 0.5, "center": 0.25, "right": 0.25}
    assert card["headline"] == "50% of the sources are Left"
    assert card["first_reported_by"]["outlet_id"] == "cnn.com"
    assert {"gpe:finland", "gpe:lithuania"} <= {e["id"] for e in card["top_entities"]}
    assert card["factuality_counts"]["mixed"] == 2 and card["ownership_counts"]["corporation"] == 2


def test_unrated_story_has_no_rated_sources(client):
    card = get(client, f"/api/stories/{story_id(client, 'quantum')}")
    assert card["rated_sources"] == 0 and card["unrated_sources"] == 1
    assert card["headline"] == "no rated sources" and card["title"] == HOSTILE_TITLE


def test_outlets_list_and_profile(client):
    body = get(client, "/api/outlets")
    assert body["count"] == 5
    assert {o["id"]: o["bias"] for o in body["data"]}["reuters.com"] == "center"
    assert [o["id"] for o in get(client, "/api/outlets", limit=2, offset=4)["data"]] == ["example-blog.net"]
    cnn = get(client, "/api/outlets/cnn.com")
    assert (cnn["name"], cnn["bias"], cnn["articles"], cnn["stories"]) == ("CNN", "left", 3, 3)
    assert cnn["ratings"]["test"]["bias"] == "left"
    assert {n["id"]: n["shared_stories"] for n in cnn["neighbours"]} == {
        "foxnews.com": 3, "nytimes.com": 3, "reuters.com": 3}
    assert cnn["neighbours_by_side"] == {"left": 1, "center": 1, "right": 1}
    assert len(cnn["latest_stories"]) == 3 and "artemis" in cnn["latest_stories"][0]["title"].lower()  # newest first
    assert "gpe:finland" in {e["id"] for e in cnn["top_entities"]}


def test_entity_search_and_neighbourhood(client, loaded_store):
    found = get(client, "/api/entities", q="FINL")
    assert "gpe:finland" in {e["id"] for e in found["data"]}
    every = get(client, "/api/entities", limit=200)
    assert every["count"] == loaded_store.stats()["nodes"]["Entity"] == len(every["data"])
    gpe = get(client, "/api/entities", type="GPE", limit=200)
    assert gpe["count"] < every["count"] and all(e["type"] == "GPE" for e in gpe["data"])
    detail = get(client, "/api/entities/gpe:finland")
    assert detail["entity"]["name"] == "Finland" and detail["entity"]["stories"] == 1
    assert "gpe:lithuania" in {n["id"] for n in detail["neighbours"]}
    assert [s["title"] for s in detail["stories"]] and "landmine" in detail["stories"][0]["title"].lower()
    assert {"cnn.com", "reuters.com"} <= {o["id"] for o in detail["outlets"]}
    assert all(l["source"] < l["target"] for l in detail["links"])
    assert any("gpe:finland" in (l["source"], l["target"]) for l in detail["links"])


@pytest.mark.parametrize(
    "url, status",
    [
        ("/api/stories/s-0000000000000000", 404),
        ("/api/outlets/nobody.org", 404),
        ("/api/entities/gpe:atlantis", 404),
        ("/api/entities/%27%20OR%201%3D1%20--", 404),
        ("/api/stories?limit=0", 422),
        ("/api/stories?limit=201", 422),
        ("/api/stories?limit=ten", 422),
        ("/api/stories?offset=-1", 422),
        ("/api/stories?offset=99999999999999999999", 422),
        ("/api/stories?side=centre", 422),
        ("/api/stories?since=yesterday", 422),
        ("/api/stories?since=0001-01-01T00:00:00%2B05:00", 422),
        ("/api/stories?until=9999-12-31T23:59:59-05:00", 422),
        ("/api/stories?since=0001-01-01T00:00:00Z", 200),
        ("/api/stories?q=", 422),
        ("/api/stories?q=%00%27%22%5C%25_", 200),
        ("/api/entities?q=" + "x" * 201, 422),
        ("/api/entities/gpe:finland?limit=0", 422),
        ("/api/outlets?offset=x", 422),
        ("/nowhere", 404),
    ],
)
def test_bad_input_gets_a_4xx_never_a_500(client, url, status):
    r = client.get(url)
    assert r.status_code == status, r.text
    if status == 422 and url.startswith("/api"):
        assert r.json()["detail"][0]["loc"][0] in ("query", "path")
    if status == 404 and url.startswith("/api"):
        assert r.json()["error"] == "NotFound"


def test_openapi_documents_every_endpoint_with_a_summary(client):
    spec = get(client, "/openapi.json")
    for path in ("/api/stories", "/api/stories/{story_id}", "/api/outlets", "/api/outlets/{outlet_id}",
                 "/api/entities", "/api/entities/{entity_id}", "/api/articles", "/health"):
        assert path in spec["paths"]
        for op in spec["paths"][path].values():
            assert op.get("description") or op.get("summary"), path
