"""The blindspot feed, the analyses by name, and the blindspot page and badge, on both stores.

Each of the corpus's three stories has 2 left, 1 center and 1 right source, and
the corpus as a whole 50% / 25% / 25%; under the default rule (6 rated sources)
none is a blindspot. ``LOOSE`` makes every one a blindspot for the right:
4 rated sources, right share 25%, gap 25 points, and an alpha of 1 so the
binomial test (p = 0.74) passes.
"""

from __future__ import annotations

import html

import pytest

from newsgraph.engine.analysis import registry
from newsgraph.engine.errors import ConfigError
from tests.neo4j.api.conftest import API_KEY, make_client

LOOSE = {"blindspot_min_sources": 4, "blindspot_max_weak_share": 0.25, "blindspot_min_gap": 0.25,
         "blindspot_alpha": 1.0}
LOOSE_QUERY = {"min_sources": 4, "max_weak_share": 0.25, "min_gap": 0.25, "alpha": 1}
P_ONE_OF_FOUR = 0.75**4 + 4 * 0.25 * 0.75**3


def get(client, url, status=200, **params):
    r = client.get(url, params=params)
    assert r.status_code == status, r.text
    return r.json()


@pytest.fixture(scope="module")
def loose(loaded_store, ner):
    """A client of an app whose settings make every corpus story a blindspot."""
    with make_client(loaded_store, ner, **LOOSE) as c:
        yield c


def test_default_rule_finds_no_blindspot_and_says_which_rule(client):
    feed = get(client, "/api/blindspots")
    assert (feed["data"], feed["count"], feed["stories"]) == ([], 0, 4)
    assert feed["rule"] == {"min_rated_sources": 6, "max_weak_share": 0.2, "min_gap": 0.3, "alpha": 0.05}
    assert feed["baseline"] == {"left": 0.5, "center": 0.25, "right": 0.25}


def test_feed_lists_each_blindspot_with_its_counts_and_reason(loose):
    feed = get(loose, "/api/blindspots")
    assert feed["count"] == 3 and len(feed["data"]) == 3
    titles = {b["title"] for b in feed["data"]}
    assert any("landmine" in t.lower() for t in titles)
    for b in feed["data"]:
        assert b["weaker_side"] == "right" and (b["sources"], b["rated_sources"]) == (4, 4)
        assert b["side_counts"] == {"left": 2, "center": 1, "right": 1}
        assert b["side_shares"] == {"left": 0.5, "center": 0.25, "right": 0.25}
        assert b["gap"] == pytest.approx(0.25) and b["expected"] == pytest.approx(1.0)
        assert b["p_value"] == pytest.approx(P_ONE_OF_FOUR)
        assert b["checks"] == {"min_rated_sources": True, "weak_share": True, "gap": True, "significant": True}
        assert b["reason"].startswith("1 of 4 rated sources is right (25%; at most 25%)")
        assert "p = 0.74" in b["reason"]
    # the same stories, in the same order, as the analysis itself reports
    analysis = get(loose, "/api/analyses/blindspots")["result"]
    assert [b["id"] for b in feed["data"]] == [s["story_id"] for s in analysis["stories"] if s["is_blindspot"]]


def test_feed_pages_and_filters(loose):
    whole = [b["id"] for b in get(loose, "/api/blindspots")["data"]]
    first, rest = get(loose, "/api/blindspots", limit=2), get(loose, "/api/blindspots", limit=2, offset=2)
    assert first["count"] == rest["count"] == 3
    assert [b["id"] for b in first["data"] + rest["data"]] == whole
    mines = get(loose, "/api/blindspots", entity="gpe:finland")
    assert mines["count"] == 1 and "landmine" in mines["data"][0]["title"].lower()
    assert get(loose, "/api/blindspots", since="2025-04-02T00:00:00Z")["count"] == 2
    assert get(loose, "/api/blindspots", outlet="cnn.com")["count"] == 3
    nothing = get(loose, "/api/blindspots", outlet="nobody.org")
    assert (nothing["count"], nothing["data"], nothing["stories"]) == (0, [], 0)


def test_feed_takes_the_rule_as_parameters(client):
    feed = get(client, "/api/blindspots", **LOOSE_QUERY)
    assert feed["count"] == 3 and feed["rule"]["min_rated_sources"] == 4
    assert get(client, "/api/blindspots", **{**LOOSE_QUERY, "alpha": 0.5})["count"] == 0  # p = 0.74


@pytest.mark.parametrize("params, field", [
    ({"alpha": 0}, "alpha"), ({"alpha": 1.5}, "alpha"), ({"min_sources": "many"}, "min_sources"),
    ({"max_weak_share": -0.1}, "max_weak_share"), ({"since": "yesterday"}, "since"), ({"limit": 0}, "limit"),
])
def test_bad_feed_parameters_are_422_naming_the_field(client, params, field):
    body = get(client, "/api/blindspots", 422, **params)
    assert body["detail"][0]["loc"] == ["query", field]


def test_analyses_are_listed_with_their_parameters(client):
    body = get(client, "/api/analyses")
    assert [a["name"] for a in body["data"]] == list(registry.ANALYSES) and body["count"] == len(registry.ANALYSES)
    spots = body["data"][0]
    assert spots["url"] == "/api/analyses/blindspots" and spots["rows"] == ["coverage", "articles", "copies"]
    assert {p["name"]: p["default"] for p in spots["parameters"]} == {
        "min_sources": 6, "max_weak_share": 0.2, "min_gap": 0.3, "alpha": 0.05, "originals": False}
    gaps = next(a for a in body["data"] if a["name"] == "gaps")
    assert gaps["filters"] == ["since", "until", "entity"] and gaps["parameters"][0]["required"] is True
    weight = next(p for a in body["data"] if a["name"] == "outlet-network" for p in a["parameters"]
                  if p["name"] == "weight")
    assert weight["choices"] == ["shared", "jaccard", "cosine"] and weight["setting"] == "NEWSGRAPH_NETWORK_WEIGHT"


def test_each_analysis_answers_with_the_corpus_known_results(client):
    net = get(client, "/api/analyses/outlet-network", backbone="none")
    assert net["parameters"]["backbone"] == "none" and net["parameters"]["weight"] == "shared"
    assert (net["result"]["outlets"], net["result"]["edges"]) == (5, 6)  # the blog shares no story
    assert get(client, "/api/analyses/outlet-network")["result"]["edges"] == 0  # chance explains every edge
    clusters = get(client, "/api/analyses/bias-clusters", backbone="none", null_models=5)["result"]
    assert clusters["rated_outlets"] == 4 and clusters["n_random"] == 5
    assert {o["outlet"] for o in clusters["outliers"]} == {"reuters.com", "foxnews.com"}
    ents = get(client, "/api/analyses/entities", ego="gpe:finland")["result"]
    assert "gpe:lithuania" in [n["id"] for n in ents["ego"]["neighbours"]]
    framing = get(client, "/api/analyses/entity-framing")["result"]
    assert framing["stories"] == 3 and framing["articles"] == {"left": 6, "right": 3, "center": 3}
    gaps = get(client, "/api/analyses/gaps", outlet="foxnews.com")
    assert gaps["parameters"]["outlet"] == "foxnews.com" and gaps["result"]["covered"] == 3
    ll = get(client, "/api/analyses/lead-lag")["result"]
    assert ll["first_reporters"][0] == {"outlet": "cnn.com", "side": "left", "stories_first": 3, "stories": 3}
    days = get(client, "/api/analyses/timeline", until="2025-04-03T23:59:59Z")["result"]["days"]
    assert [(d["day"], d["left"], d["center"], d["right"]) for d in days] == [
        ("2025-04-01", 2, 1, 1), ("2025-04-02", 2, 1, 1), ("2025-04-03", 2, 1, 1)]
    raters = get(client, "/api/analyses/raters")["result"]
    assert raters["flips"] == [] and len(raters["stories"]) == 4
    filtered = get(client, "/api/analyses/blindspots", entity="gpe:finland")
    assert filtered["filters"] == {"entity": "gpe:finland"} and len(filtered["result"]["stories"]) == 1


def test_analysis_mistakes_are_4xx_with_the_reason(client):
    unknown = get(client, "/api/analyses/astrology", 404)
    assert (unknown["error"], unknown["kind"], unknown["id"]) == ("NotFound", "analysis", "astrology")
    assert get(client, "/api/analyses/gaps", 422)["detail"][0]["loc"] == ["query", "outlet"]
    assert get(client, "/api/analyses/outlet-network", 422, weight="dice")["detail"][0]["loc"] == ["query", "weight"]
    assert get(client, "/api/analyses/bias-clusters", 422, null_models=100_000)["detail"][0]["loc"] == [
        "query", "null_models"]
    empty = get(client, "/api/analyses/entities", 409, entity="gpe:atlantis")
    assert empty["error"] == "NotEnoughData" and "no rows" in empty["detail"]
    one_sided = get(client, "/api/analyses/entity-framing", 409, outlet="example-blog.net")
    assert "both left and right" in one_sided["detail"]
    assert get(client, "/api/analyses/entities", 404, ego="gpe:atlantis")["kind"] == "entity"
    assert get(client, "/api/analyses/gaps", 404, outlet="nobody.org")["error"] == "NotFound"


def test_requests_without_the_key_are_bounded_by_the_public_maxima(client):
    [over] = get(client, "/api/analyses/bias-clusters", 422, null_models=101, seed=7)["detail"]
    assert (over["loc"], over["type"], over["ctx"]) == (["query", "null_models"], "over_public_limit", {"le": 100})
    assert "null_models may be at most 100 without the API key" in over["msg"]
    assert get(client, "/api/analyses/entities", 422, top=101)["detail"][0]["loc"] == ["query", "top"]
    assert get(client, "/api/analyses/lead-lag", 422, top=500)["detail"][0]["type"] == "over_public_limit"
    assert get(client, "/api/analyses/entities", top=100)["parameters"]["top"] == 100
    wrong = client.get("/api/analyses/entities", params={"top": 101}, headers={"X-API-Key": "wrong"})
    assert wrong.status_code == 422
    keyed = client.get("/api/analyses/bias-clusters", params={"null_models": 120, "seed": 7},
                       headers={"X-API-Key": API_KEY})
    assert keyed.status_code == 200 and keyed.json()["parameters"]["null_models"] == 120
    assert client.get("/api/analyses/bias-clusters", params={"null_models": 1001},
                      headers={"X-API-Key": API_KEY}).status_code == 422  # the key does not lift the hard bound


def test_the_public_maxima_are_settings_and_documented(loaded_store, ner):
    with make_client(loaded_store, ner, public_max_null_models=5, public_max_top=3) as c:
        assert get(c, "/api/analyses/bias-clusters", 422, null_models=6)["detail"][0]["ctx"] == {"le": 5}
        assert get(c, "/api/analyses/entity-framing", 422, top=4)["detail"][0]["type"] == "over_public_limit"
        params = {p["name"]: p for p in c.get("/openapi.json").json()["paths"]["/api/analyses/bias-clusters"]["get"][
            "parameters"]}
        assert "At most 5 without the API key" in params["null_models"]["description"]


def test_analyses_of_their_own_without_the_key_wait_for_a_free_public_slot(loaded_store, ner):
    with make_client(loaded_store, ner, public_analysis_slots=1) as c:
        slot = c.app.state.public_analyses
        assert slot.acquire(blocking=False)  # another request's analysis of its own is computing
        try:
            busy = c.get("/api/analyses/bias-clusters", params={"seed": 7, "null_models": 5})
            assert busy.status_code == 503 and busy.headers["Retry-After"] == "5"
            assert busy.json()["error"] == "AnalysesBusy" and "X-API-Key" in busy.json()["detail"]
            assert c.get("/api/blindspots", params={"alpha": 0.5}).status_code == 503
            assert c.get("/api/analyses/entities", params={"top": 3}).status_code == 503
            view = c.get("/views/outlets", params={"seed": 3})
            assert view.status_code == 503 and view.headers["Retry-After"] == "5" and "X-API-Key" in view.text
            # the defaults are one result whoever asks, and the key lifts the bound
            assert c.get("/api/analyses/bias-clusters").status_code == 200
            assert c.get("/api/blindspots").status_code == 200 and c.get("/views/outlets").status_code == 200
            keyed = c.get("/api/analyses/bias-clusters", params={"seed": 7, "null_models": 5},
                          headers={"X-API-Key": API_KEY})
            assert keyed.status_code == 200
        finally:
            slot.release()
        free = get(c, "/api/analyses/entities", top=3)
        assert free["parameters"]["top"] == 3
        assert slot.acquire(blocking=False)
        try:  # a result computed once is answered from the cache, slot or no slot
            assert get(c, "/api/analyses/entities", top=3) == free
        finally:
            slot.release()


def test_a_server_without_public_slots_answers_keyless_requests_the_defaults_only(loaded_store, ner):
    with make_client(loaded_store, ner, public_analysis_slots=0) as c:
        refused = c.get("/api/analyses/lead-lag", params={"min_stories": 2})
        assert refused.status_code == 503 and "Retry-After" not in refused.headers
        assert "only for requests with the API key" in refused.json()["detail"]
        assert c.get("/api/analyses/lead-lag").status_code == 200
        assert c.get("/api/analyses/lead-lag", params={"min_stories": 2},
                     headers={"X-API-Key": API_KEY}).status_code == 200
    with pytest.raises(ConfigError, match="NEWSGRAPH_PUBLIC_ANALYSIS_SLOTS must be 0 or more"):
        make_client(loaded_store, ner, public_analysis_slots=-1)


def test_openapi_documents_the_analyses(client):
    spec = client.get("/openapi.json").json()
    op = spec["paths"]["/api/analyses/outlet-network"]["get"]
    assert op["summary"].startswith("Outlets linked by shared stories")
    params = {p["name"]: p for p in op["parameters"]}
    assert set(params) == {"since", "until", "entity", "outlet", "weight", "backbone", "alpha", "min_shared",
                           "resolution", "algorithm", "seed"}
    assert params["algorithm"]["schema"]["anyOf"][0]["enum"] == ["louvain", "leiden"]
    assert params["weight"]["schema"]["anyOf"][0]["enum"] == ["shared", "jaccard", "cosine"]
    assert params["alpha"]["schema"]["default"] == 0.05 and params["alpha"]["description"]
    feed = spec["paths"]["/api/blindspots"]["get"]
    ref = feed["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    item = spec["components"]["schemas"][ref]["properties"]["data"]["items"]["$ref"].split("/")[-1]
    assert {"side_counts", "side_shares", "weaker_side", "checks", "reason"} <= set(
        spec["components"]["schemas"][item]["properties"])


def test_story_page_shows_the_blindspot_badge_with_its_reason(client, loose):
    story = get(loose, "/api/blindspots", entity="gpe:finland")["data"][0]
    text = loose.get(f"/stories/{story['id']}").text
    assert 'id="blindspot"' in text and "Blindspot for the right" in text
    assert html.escape(story["reason"]) in text
    assert 'id="blindspot"' not in client.get(f"/stories/{story['id']}").text  # not one under the default rule


def test_blindspots_page_lists_them_and_is_in_the_nav(client, loose):
    text = loose.get("/blindspots").text
    assert text.count('class="story-item blindspot-item"') == 3 and "3 blindspots among 4 stories" in text
    for b in get(loose, "/api/blindspots")["data"]:
        assert f'data-story-id="{b["id"]}"' in text and html.escape(b["reason"]) in text
    empty = client.get("/blindspots")
    assert empty.status_code == 200 and "No blindspots." in empty.text
    assert 'href="/blindspots"' in client.get("/").text


def test_a_write_refreshes_the_cached_blindspots(fresh_store, ner):
    with make_client(fresh_store, ner, **LOOSE) as c:
        before = get(c, "/api/blindspots")
        assert before["count"] == 3 and before["data"][0]["side_counts"]["right"] == 1
        r = c.post("/api/outlets", headers={"X-API-Key": API_KEY},
                   json={"ratings": [{"domain": "foxnews.com", "bias": "left", "rater": "zz-test"}]})
        assert r.status_code == 200, r.text
        # the preferred rater still decides: the import changes nothing shown, and nothing stale is served
        assert get(c, "/api/blindspots") == before
        r = c.post("/api/outlets", headers={"X-API-Key": API_KEY},
                   json={"ratings": [{"domain": "foxnews.com", "bias": "left", "rater": "allsides"}]})
        assert r.status_code == 200, r.text
        # Fox News was the only right outlet: with no right coverage at all there is no shortfall to test
        after = get(c, "/api/blindspots")
        assert after["baseline"] == {"left": 0.75, "center": 0.25, "right": 0.0}
        assert (after["count"], after["stories"]) == (0, 4)
        loosest = get(c, "/api/analyses/blindspots", alpha=1)["result"]["stories"][0]
        assert loosest["side_counts"] == {"left": 3, "center": 1, "right": 0} and loosest["p_value"] == 1.0


def test_repeated_reads_are_answered_alike_and_follow_writes(fresh_store, ner):
    from tests.neo4j.api.test_api_writes import NEW_ARTICLES

    with make_client(fresh_store, ner) as c:
        first = c.get("/api/stories")
        again = c.get("/api/stories")
        assert first.json() == again.json() and first.json()["count"] == 4
        assert again.headers["content-type"] == first.headers["content-type"] == "application/json"
        page = c.get("/")
        assert c.get("/").headers["content-security-policy"] == page.headers["content-security-policy"]
        r = c.post("/api/articles", json=NEW_ARTICLES, headers={"X-API-Key": API_KEY})
        assert r.status_code == 200 and r.json()["stories_new"] == 1, r.text
        assert c.get("/api/stories").json()["count"] == 5
        assert "Iceland" in c.get("/").text
