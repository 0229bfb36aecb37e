"""The story page's key points (with their outlets), the sides side by side and related links, in Chromium."""

from __future__ import annotations

import httpx
import pytest

from tests.browser.conftest import serving_loaded
from tests.related_corpus import FOLLOW_UP, load_with_follow_up

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, corpus_files, ner, server_settings):
    """The web corpus plus a related follow-up story, served on a free loopback port."""
    with serving_loaded(tmp_path_factory, "browser-sections", load_with_follow_up, corpus_files, ner,
                        server_settings) as url:
        yield url


def card(live_server, text):
    [s] = httpx.get(live_server + "/api/stories", params={"q": text}).json()["data"]
    return httpx.get(live_server + f"/api/stories/{s['id']}").json()


def test_story_page_shows_sourced_key_points_the_sides_and_related_stories(visit, live_server):
    c = card(live_server, "landmine")
    v = visit(viewport={"width": 1200, "height": 900})
    page = v.open(f"/stories/{c['id']}")
    points = page.locator("#key-points .key-point")
    assert points.count() == len(c["key_points"]) >= 1
    for i, p in enumerate(c["key_points"]):
        item = points.nth(i)
        assert item.locator(".kp-text").inner_text() == p["text"]
        shown = [item.locator(".kp-source").nth(j).inner_text().strip() for j in range(item.locator(".kp-source").count())]
        assert shown == [o["name"] for o in p["outlets"]]
        assert item.is_visible()
    for side in ("left", "center", "right"):
        column = page.locator(f"#sides .side-column[data-side={side}]")
        assert column.locator(".side-headline").inner_text().startswith(c["sides"][side]["headline"])
        assert "too few words" in column.locator(".side-note").inner_text().lower()
    # the three sides stand side by side on a wide screen
    tops = {round(page.locator(f"#sides .side-column[data-side={s}]").bounding_box()["y"]) for s in
            ("left", "center", "right")}
    assert len(tops) == 1
    link = page.locator("#related a", has_text=FOLLOW_UP["title"])
    assert link.count() == 1
    link.click()
    page.wait_for_url("**/stories/**")
    assert page.locator("h1").inner_text() == FOLLOW_UP["title"]
    assert page.locator("#related a").filter(has_text=c["title"]).count() == 1
    v.screenshot("story-sections")
