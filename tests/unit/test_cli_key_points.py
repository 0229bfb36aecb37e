"""``newsgraph stories show`` prints the key points with their sources first, then the sides' headlines."""

from __future__ import annotations

import pytest

from tests.unit.test_cli import as_json, run


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, corpus_files):
    jsonl, outlets = corpus_files
    url = f"sqlite:///{tmp_path_factory.mktemp('cli-kp') / 'g.db'}"
    run("outlets", "import", outlets, "--scheme", "csv", "--store", url)
    as_json("ingest", jsonl, "--store", url)
    return url


def test_stories_show_prints_sourced_key_points_then_the_sides_then_the_rest(loaded):
    court = next(s for s in as_json("stories", "list", "--store", loaded)["data"] if "immunity" in s["title"])
    card = as_json("stories", "show", court["id"], "--store", loaded)
    assert card["key_points"] and set(card["key_points"][0]["sources"]) == {
        "cnn.com", "nytimes.com", "reuters.com", "foxnews.com"}
    text = run("stories", "show", court["id"], "--store", loaded).stdout
    kp, sides, bias = text.index("Key points:"), text.index("How each side tells it:"), text.index("Bias of sources")
    assert kp < sides < bias
    lines = text[kp:sides].splitlines()
    assert lines[1] == f"  - {card['key_points'][0]['text']}"
    assert lines[2].strip().startswith("sources: ") and "Fox News (right)" in lines[2] and "CNN (left)" in lines[2]
    for side in ("left", "center", "right"):
        assert f"{side.capitalize()}: {card['sides'][side]['headline']}" in text[sides:bias]
    assert "too few words to compare" in text[sides:bias]


def test_ingest_stores_the_key_points_and_stories_summarize_fills_missing_and_stale_ones(loaded):
    from newsgraph.engine.store import open_store

    ids = [s["id"] for s in as_json("stories", "list", "--store", loaded)["data"]]
    assert as_json("stories", "summarize", "--all", "--store", loaded) == {
        "stories": 3, "computed": 0, "up_to_date": 3, "missing": 0, "failed": []}
    store = open_store(loaded)
    try:
        # as a store written by an older version holds them: one stale, one missing
        store.save_story_summaries([{"id": ids[0], "fingerprint": "older", "sections": {}}])
        store.db.execute("DELETE FROM storysummary WHERE id = ?", (ids[1],))
    finally:
        store.close()
    out = run("stories", "summarize", "--all", "--store", loaded).stdout
    assert out.strip() == "3 stories: 2 summarized, 1 already up to date"
    card = as_json("stories", "show", ids[0], "--store", loaded)
    assert card["key_points"] and card["sections_computed_at"]
    assert as_json("stories", "summarize", ids[0], "--force", "--store", loaded)["computed"] == 1
    assert run("stories", "summarize", "--store", loaded, code=2).output.startswith("error: name the stories")
