"""Server-rendered pages and graph views through the ASGI client, on both stores."""

from __future__ import annotations

import html
import re

import pytest

from tests.web_corpus import HOSTILE_TITLE

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//|@import|url\(\s*["']?(?:https?:)?//""", re.I)


def page(client, url, status=200):
    r = client.get(url)
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    assert "default-src" in r.headers["content-security-policy"]
    return r.text


def sid(client, text):
    return client.get("/api/stories", params={"q": text}).json()["data"][0]["id"]


def test_story_list_page_lists_and_filters(client):
    text = page(client, "/")
    assert text.count('class="story-item"') == 4 and "4 stories" in text
    filtered = page(client, "/?q=landmine&side=left")
    assert filtered.count('class="story-item"') == 1 and "1 story" in filtered


def test_story_list_pages_keep_the_search_in_their_links(client, monkeypatch):
    from newsgraph.api.routers import pages

    monkeypatch.setattr(pages, "PAGE_SIZE", 1)
    second = page(client, "/?page=2&side=left")
    assert second.count('class="story-item"') == 1 and "page 2 of " in second
    assert 'href="?q=&amp;side=left&amp;page=1">← Newer' in second
    assert 'href="?q=&amp;side=left&amp;page=3">More →' in second
    assert "← Newer" not in page(client, "/?side=left")


def test_story_page_shows_the_card(client):
    story = sid(client, "landmine")
    text = page(client, f"/stories/{story}")
    card = client.get(f"/api/stories/{story}").json()
    assert html.escape(card["title"]) in text and "50% of the sources are Left" in text
    for side, share in card["side_shares"].items():
        assert f'data-side="{side}" data-percent="{round(100 * share)}"' in text
    assert "First reported by <strong id=\"first-reporter\">CNN</strong>" in text
    assert 'href="/entities/gpe%3Afinland"' in text and 'href="/views/story/' in text
    only_left = page(client, f"/stories/{story}?side=left")
    assert only_left.count('<section class="group"') == 3 and only_left.count("hidden>") == 2


def test_hostile_text_is_escaped_in_pages_and_views(client):
    story = sid(client, "quantum")
    for url in (f"/stories/{story}", "/", f"/views/story/{story}", "/outlets/example-blog.net"):
        text = page(client, url)
        assert "<script>alert(1)" not in text and "<img src=x" not in text, url
    assert html.escape(HOSTILE_TITLE) in page(client, f"/stories/{story}")
    view = page(client, f"/views/story/{story}")
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in view  # the node data, as JSON


@pytest.mark.parametrize("url", ["/views/entity/gpe:finland", "/views/outlets", "STORY"])
def test_views_are_self_contained(client, url):
    if url == "STORY":
        url = f"/views/story/{sid(client, 'landmine')}"
    text = page(client, url)
    assert "new vis.Network(" in text and "vis-network" not in re.findall(r"<script[^>]*src=[^>]*>", text)
    assert not EXTERNAL.search(text), EXTERNAL.search(text)
    assert "<script src" not in text and "<link" not in text
    assert "script-src 'unsafe-inline'" in client.get(url).headers["content-security-policy"]


def test_outlet_and_entity_pages(client):
    outlet = page(client, "/outlets/cnn.com")
    assert "CNN" in outlet and "3 stories" in outlet and "/outlets/reuters.com" in outlet
    entity = page(client, "/entities/gpe:finland")
    assert '<iframe class="graph" src="/views/entity/gpe%3Afinland"' in entity
    assert "Lithuania" in entity


@pytest.mark.parametrize("url", ["/stories/s-missing", "/outlets/nobody.org", "/entities/gpe:atlantis",
                                 "/views/story/s-missing", "/views/entity/gpe:atlantis"])
def test_unknown_ids_get_an_html_404(client, url):
    text = page(client, url, status=404)
    assert "Not found" in text
