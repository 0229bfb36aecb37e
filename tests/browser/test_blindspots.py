"""The blindspots page in a real Chromium, at phone width, against ``/api/blindspots``."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server_settings():
    """A rule loose enough that each corpus story (2 left, 1 center, 1 right source) is a blindspot."""
    from newsgraph.engine.config import get_settings

    return get_settings(blindspot_min_sources=4, blindspot_max_weak_share=0.25, blindspot_min_gap=0.25,
                        blindspot_alpha=1.0)


def test_blindspots_page_shows_each_reason_as_the_api_does(visit, live_server):
    feed = httpx.get(live_server + "/api/blindspots").json()
    assert feed["count"] == 3
    v = visit(viewport={"width": 360, "height": 740})
    page = v.open("/")
    page.locator("header nav a", has_text="Blindspots").click()
    page.wait_for_url("**/blindspots")
    rows = page.locator("li.blindspot-item")
    assert rows.count() == feed["count"]
    for i, b in enumerate(feed["data"]):
        row = rows.nth(i)
        assert row.get_attribute("data-story-id") == b["id"]
        assert row.locator(".story-title").inner_text() == b["title"]
        assert row.locator(".badge").inner_text() == f"Blindspot for the {b['weaker_side']}"
        assert row.locator(".reason").inner_text() == b["reason"]
        shown = {row.locator(".seg").nth(j).get_attribute("data-side"):
                 int(row.locator(".seg").nth(j).get_attribute("data-percent")) for j in range(row.locator(".seg").count())}
        assert shown == {s: round(100 * x) for s, x in b["side_shares"].items() if b["side_counts"][s]}
    # usable at 360 px: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator("#count").inner_text().startswith("3 blindspots among 4 stories")
    v.screenshot("blindspots-page")
    # the first row leads to its story, whose page carries the badge and the same reason
    rows.nth(0).locator(".story-title").click()
    page.wait_for_url(f"**/stories/{feed['data'][0]['id']}")
    assert page.locator("#blindspot .reason").inner_text() == feed["data"][0]["reason"]
    assert page.locator("#blindspot .badge").inner_text() == "Blindspot for the right"
