"""The story view in Chromium draws a wire copy as a dashed arrow from the copy to its original."""

from __future__ import annotations

import json

import httpx
import pytest

from newsgraph.engine.config import get_settings
from newsgraph.engine.pipeline import Ingestor
from tests.browser.conftest import serving_loaded
from tests.copy_pairs import WIRE

pytestmark = pytest.mark.browser

ORIGINAL = {"url": "https://www.reuters.com/world/mines-production", "outlet": "reuters.com",
            "title": "Finland and Lithuania to produce anti-personnel mines", "published_at": "2025-04-15T08:00:00Z",
            "text": WIRE}
# the same text under another outlet an hour later, as a wire-fed site runs it
REPRINT = {"url": "https://www.localnews.example/world/finland-lithuania-mines", "outlet": "localnews.example",
           "title": "Finland, Lithuania plan land mine production", "published_at": "2025-04-15T09:00:00Z",
           "text": WIRE}


def load_original_and_reprint(store, _corpus_files, ner, tmp):
    data = tmp / "copies.jsonl"
    data.write_text("".join(json.dumps(a) + "\n" for a in (ORIGINAL, REPRINT)), encoding="utf-8")
    report = Ingestor(store, get_settings(), extractor=ner).ingest([str(data)])
    assert report.stored == 2


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, ner, server_settings):
    with serving_loaded(tmp_path_factory, "browser-copies", load_original_and_reprint, None, ner,
                        server_settings) as url:
        yield url


def test_the_story_view_draws_the_reprint_as_an_arrow_to_its_original(visit, live_server):
    [s] = httpx.get(live_server + "/api/stories").json()["data"]
    card = httpx.get(live_server + f"/api/stories/{s['id']}").json()
    [copy] = card["copies"]
    v = visit(viewport={"width": 1200, "height": 900})
    view = v.open(f"/views/story/{s['id']}")
    view.wait_for_selector("body[data-drawn]", timeout=15000)
    edges = view.evaluate("window.newsgraphNetwork.body.data.edges.get()"
                          ".filter(e => e.dashes).map(e => [e.from, e.to, e.label])")
    assert edges == [[f"article:{copy['article_id']}", f"article:{copy['copy_of']}", "copy 100%"]]
    labels = view.evaluate("window.newsgraphNetwork.body.data.nodes.get().filter(n => n.shape === 'diamond')"
                           ".map(n => n.label).sort()")
    assert labels == ["localnews.example", "reuters.com"]
    assert "dashed arrow" in view.locator("body").inner_text()
    v.screenshot("story-view-copies")
