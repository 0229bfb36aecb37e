"""Key points, the sides and related stories in ``GET /api/stories/{id}`` and on the story page, both stores."""

from __future__ import annotations

import html

import pytest

from newsgraph.engine.analysis.sentences import split_sentences
from tests.neo4j.api.conftest import make_client
from tests.related_corpus import FOLLOW_UP, load_with_follow_up
from tests.store_backends import open_backend

NAMES = {"cnn.com": "CNN", "nytimes.com": "The New York Times", "reuters.com": "Reuters", "foxnews.com": "Fox News"}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def client(request, tmp_path_factory, corpus_files, ner):
    tmp = tmp_path_factory.mktemp(f"sections-{request.param}")
    store = open_backend(request.param, tmp, request)
    load_with_follow_up(store, corpus_files, ner, tmp)
    with make_client(store, ner) as c:
        yield c
    store.close()


def story(client, text):
    [s] = client.get("/api/stories", params={"q": text}).json()["data"]
    return client.get(f"/api/stories/{s['id']}").json()


def test_key_points_are_sentences_of_the_storys_articles_with_their_outlets(client):
    card = story(client, "qualified immunity")
    texts = client.app.state.store.story_texts(card["id"])
    sentences = {s for a in texts for part in (a["lead"], a["text"]) for s in split_sentences(part)}
    assert card["key_points"] and not card["key_points_from_headlines"]
    for p in card["key_points"]:
        assert p["text"] in sentences
        assert set(p["sources"]) <= {a["outlet_id"] for a in card["articles"]}
        assert p["sides"] and set(p["sides"]) <= {"left", "center", "right"}
    # the four leads are paraphrases: one point carried by the four outlets
    assert set(card["key_points"][0]["sources"]) == set(NAMES)


def test_sides_show_each_sides_central_headline_and_say_when_words_are_too_few(client):
    card = story(client, "landmine")
    titles = {a["title"] for a in card["articles"]}
    assert set(card["sides"]) == {"left", "center", "right"}
    for s, v in card["sides"].items():
        assert v["headline"] in titles and v["articles"] >= 1
        # a lead and a line per side: far too few words for log-odds, and the card says so
        assert v["distinctive_terms"] == [] and "too few words" in v["note"]


def test_related_stories_share_distinctive_entities_and_are_never_the_story_itself(client):
    card = story(client, "landmine")
    follow_up = story(client, "produce anti-personnel")
    assert follow_up["id"] != card["id"] and follow_up["title"] == FOLLOW_UP["title"]
    related = {r["id"]: r for r in card["related"]}
    assert follow_up["id"] in related and card["id"] not in related
    shared = {e["name"] for e in related[follow_up["id"]]["shared_entities"]}
    assert shared & {"Finland", "Lithuania", "Ottawa Convention"}
    assert card["id"] in {r["id"] for r in follow_up["related"]}
    # the moon story shares nothing with the landmine one
    assert story(client, "Artemis")["id"] not in related


def test_a_one_article_story_has_no_key_points(client):
    card = story(client, "Quantum")
    assert card["article_count"] == 1 and card["key_points"] == []


def test_story_page_shows_key_points_with_outlets_sides_headlines_and_related_links(client):
    card = story(client, "landmine")
    r = client.get(f"/stories/{card['id']}")
    assert r.status_code == 200
    assert 'id="key-points"' in r.text and 'id="sides"' in r.text
    for rel in card["related"]:
        assert f'href="/stories/{rel["id"]}"' in r.text
    text = html.unescape(r.text)
    for p in card["key_points"]:
        assert p["text"] in text
        for o in p["outlets"]:
            assert o["name"] in text
    for v in card["sides"].values():
        assert v["headline"] in text


def test_the_card_shows_the_key_points_stored_at_ingest_and_a_view_computes_nothing(client, monkeypatch):
    import newsgraph.engine.story_sections as sections

    store = client.app.state.store
    card = story(client, "Artemis")
    [stored] = store.story_summaries([card["id"]]).values()
    # computed when the story was ingested, not when it was shown
    assert card["sections_computed_at"] == stored["sections"]["sections_computed_at"]
    assert card["key_points"] == stored["sections"]["key_points"]
    calls = []
    real = sections.text_sections
    monkeypatch.setattr(sections, "text_sections", lambda *a: calls.append(1) or real(*a))
    client.app.state.responses.bump()  # past the answer cache: the card is built again, from the stored row
    assert client.get(f"/api/stories/{card['id']}").json()["key_points"] == card["key_points"]
    assert client.get(f"/stories/{card['id']}").status_code == 200
    assert calls == []


def test_a_story_whose_stored_sections_are_stale_has_them_computed_once_and_stored(client, monkeypatch):
    import newsgraph.engine.story_sections as sections

    store = client.app.state.store
    card = story(client, "Artemis")
    fingerprint = store.story_summaries([card["id"]])[card["id"]]["fingerprint"]
    # as a store written by an older version would hold it
    store.save_story_summaries([{"id": card["id"], "fingerprint": "older", "sections": {}}])
    calls = []
    real = sections.text_sections
    monkeypatch.setattr(sections, "text_sections", lambda *a: calls.append(1) or real(*a))
    for _ in range(2):
        client.app.state.responses.bump()
        again = client.get(f"/api/stories/{card['id']}").json()
    assert calls == [1] and again["key_points"] == card["key_points"]
    assert store.story_summaries([card["id"]])[card["id"]]["fingerprint"] == fingerprint
