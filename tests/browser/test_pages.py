"""The story page, the side filter and the graph views in a real Chromium, against the JSON API."""

from __future__ import annotations

import httpx
import pytest

from tests.web_corpus import HOSTILE_TITLE

pytestmark = pytest.mark.browser


def api(live_server, path, **params):
    r = httpx.get(live_server + path, params=params)
    r.raise_for_status()
    return r.json()


def story(live_server, text):
    [s] = api(live_server, "/api/stories", q=text)["data"]
    return api(live_server, f"/api/stories/{s['id']}")


def test_story_page_bar_matches_the_api(visit, live_server):
    card = story(live_server, "landmine")
    v = visit(viewport={"width": 1200, "height": 900})
    page = v.open(f"/stories/{card['id']}")
    assert page.locator("h1").inner_text() == card["title"]
    assert page.locator("#summary").inner_text() == card["headline"]
    assert page.locator("#first-reporter").inner_text() == "CNN"
    assert page.locator("#counts").inner_text() == f"{card['article_count']} articles · {card['source_count']} sources"
    expected = {s: round(100 * share) for s, share in card["side_shares"].items()}
    segments = page.locator(".bar.big .seg")
    shown = {segments.nth(i).get_attribute("data-side"): int(segments.nth(i).get_attribute("data-percent"))
             for i in range(segments.count())}
    assert shown == {s: p for s, p in expected.items() if card["side_counts"][s]}
    legend = {s: page.locator(f"#shares li[data-side={s}] .percent").inner_text() for s in expected}
    assert legend == {s: f"{p}%" for s, p in expected.items()}
    # the segments' drawn widths are the shares of the bar
    bar_width = page.locator(".bar.big").bounding_box()["width"]
    for i in range(segments.count()):
        side = segments.nth(i).get_attribute("data-side")
        width = segments.nth(i).bounding_box()["width"]
        assert width == pytest.approx(bar_width * card["side_shares"][side], abs=2)
    assert page.locator("#unrated").inner_text() == str(card["unrated_sources"])
    v.screenshot("story-page")


def test_side_filter_shows_one_side(visit, live_server):
    card = story(live_server, "immunity")
    sides = {"lean_left": "left", "left": "left", "center": "center", "lean_right": "right", "right": "right"}
    left = [a for a in card["articles"] if sides.get(a["bias"]) == "left"]
    v = visit()
    page = v.open(f"/stories/{card['id']}")
    articles = page.locator("li.article")
    assert articles.count() == card["article_count"]
    page.click(".side-filter [data-filter=left]")
    visible = page.locator("li.article:visible")
    assert visible.count() == len(left) > 0
    assert {visible.nth(i).get_attribute("data-side") for i in range(visible.count())} == {"left"}
    assert page.get_attribute(".side-filter [data-filter=left]", "aria-pressed") == "true"
    assert page.url.endswith("?side=left")
    page.click(".side-filter [data-filter=all]")
    assert page.locator("li.article:visible").count() == card["article_count"]


def test_entity_view_draws_its_nodes(visit, live_server):
    hood = api(live_server, "/api/entities/gpe:finland")
    v = visit(viewport={"width": 1200, "height": 900})
    page = v.open("/entities/gpe:finland")
    frame_element = page.wait_for_selector("iframe.graph")
    frame = frame_element.content_frame()
    frame.wait_for_selector("body[data-drawn]", timeout=15000)
    drawn = frame.evaluate("document.body.dataset.drawn")
    assert int(drawn) == 1 + len(hood["neighbours"]) > 1
    positions = frame.evaluate("Object.keys(window.newsgraphNetwork.getPositions())")
    assert set(positions) == {"gpe:finland", *(n["id"] for n in hood["neighbours"])}
    painted = frame.evaluate(
        """() => { const c = document.querySelector('#graph canvas');
                   const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                   let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n; }"""
    )
    assert painted > 500  # pixels the nodes, labels and edges painted
    page.wait_for_timeout(1500)  # let the layout settle for the picture
    v.screenshot("entity-page")


def test_hostile_titles_show_as_text(visit, live_server):
    card = story(live_server, "quantum")
    v = visit()
    page = v.open(f"/stories/{card['id']}")
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
    assert page.locator("img").count() == 0 and page.locator("main script").count() == 0
    assert page.locator("#summary").inner_text() == "no rated sources"
    view = v.open(f"/views/story/{card['id']}")
    view.wait_for_selector("body[data-drawn]", timeout=15000)
    assert HOSTILE_TITLE in view.locator("h1").inner_text()
    labels = view.evaluate("window.newsgraphNetwork.body.data.nodes.get().map(n => n.title)")
    assert any(HOSTILE_TITLE in (t or "") for t in labels)
    assert view.locator("img").count() == 0


def test_pages_fit_a_phone(visit, live_server):
    card = story(live_server, "landmine")
    v = visit(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    for path in ("/", f"/stories/{card['id']}", "/outlets/cnn.com", "/entities/gpe:finland"):
        page = v.open(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    v.screenshot("story-list-phone")


def test_outlet_network_view_draws(visit):
    v = visit()
    page = v.open("/views/outlets")
    page.wait_for_selector("body[data-drawn]", timeout=15000)
    assert int(page.evaluate("document.body.dataset.drawn")) == 5
