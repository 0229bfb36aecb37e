"""Store contract (both backends): a story's key points and sides are computed when it changes, at ingest,
stored with the fingerprint of the story they describe, and read from the store when it is shown."""

from __future__ import annotations

import json

import pytest

import newsgraph.engine.story_sections as sections
from newsgraph.engine.config import get_settings
from newsgraph.engine.pipeline import Ingestor
from newsgraph.engine.story_sections import story_fingerprint, story_sections, summarize_stories
from tests.web_corpus import load

# a fifth outlet's report of the landmine story, the same day: it joins that story
JOINS_MINES = {
    "url": "https://www.bbc.co.uk/news/world-europe-mines.html",
    "title": "Finland and Lithuania to leave the Ottawa Convention on landmines over Russia",
    "published_at": "2025-04-01T15:00:00Z",
    "lead": "Finland and Lithuania will leave the Ottawa Convention banning anti-personnel landmines, "
            "their governments said, pointing to the threat from Russia.",
    "outlet": "bbc.co.uk",
}


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path, backend_store, corpus_files, ner):
    s = backend_store(request.param, tmp_path)
    load(s, corpus_files, ner, tmp_path)
    return s


def story_ids(store) -> list[str]:
    return [r["id"] for r in store.iter_nodes("Story")]


def mines(store) -> str:
    [s], _ = store.search_stories(q="landmine")
    return s["id"]


def without_time(text: dict) -> dict:
    """The sections as JSON gives them back, without the time they were computed."""
    return {k: v for k, v in json.loads(json.dumps(text)).items() if k != "sections_computed_at"}


def counting(monkeypatch) -> list:
    calls = []
    real = sections.text_sections
    monkeypatch.setattr(sections, "text_sections", lambda *a: calls.append(a[1]["story"]["id"]) or real(*a))
    return calls


def test_after_ingest_every_story_has_its_sections_stored_for_the_story_as_it_is(store):
    ids = story_ids(store)
    stored = store.story_summaries(ids)
    assert sorted(stored) == sorted(ids) and len(ids) == 4
    for sid in ids:
        rows = store.story_rows(sid)
        assert stored[sid]["fingerprint"] == story_fingerprint(rows)
        assert without_time(stored[sid]["sections"]) == without_time(sections.text_sections(store, rows))
        assert stored[sid]["computed_at"] is not None
    assert stored[mines(store)]["sections"]["key_points"]  # four articles: sourced key points


def test_a_story_that_gains_an_article_gets_new_sections_and_the_others_are_left_alone(store, ner, tmp_path):
    sid = mines(store)
    before = {r["id"]: r for r in store.iter_story_summaries()}
    extra = tmp_path / "joins.jsonl"
    extra.write_text(json.dumps(JOINS_MINES) + "\n", encoding="utf-8")
    report = Ingestor(store, get_settings(), extractor=ner).ingest([str(extra)])
    assert report.stored == 1 and report.touched_stories == {sid} and report.stories_summarized == 1
    rows = store.story_rows(sid)
    assert len(rows["articles"]) == 5
    after = {r["id"]: r for r in store.iter_story_summaries()}
    assert after[sid]["fingerprint"] == story_fingerprint(rows) != before[sid]["fingerprint"]
    assert after[sid]["sections"]["sides"] != before[sid]["sections"]["sides"]  # a fifth article, counted
    assert {k: v for k, v in after.items() if k != sid} == {k: v for k, v in before.items() if k != sid}


def test_ingesting_the_same_input_again_changes_no_stored_sections(store, corpus_files, ner):
    before = list(store.iter_story_summaries())
    report = Ingestor(store, get_settings(), extractor=ner).ingest([str(corpus_files[0])], resume=False)
    assert report.stored == 0 and report.stories_summarized == 0
    assert list(store.iter_story_summaries()) == before


def test_showing_a_story_reads_its_stored_sections_and_computes_nothing(store, monkeypatch):
    sid = mines(store)
    rows = store.story_rows(sid)
    # the stored row is what a read answers with: mark it, keeping the fingerprint of the story as it is
    marked = {**store.story_summaries([sid])[sid]["sections"], "key_points": [
        {"text": "A point only the stored row has.", "article_id": rows["articles"][0]["id"],
         "sources": ["cnn.com"], "sides": ["left"], "outlets": [], "score": 1.0}]}
    store.save_story_summaries([{"id": sid, "fingerprint": story_fingerprint(rows), "sections": marked}])
    calls = counting(monkeypatch)
    out = story_sections(store, rows, get_settings())
    assert calls == [] and out["key_points"][0]["text"] == "A point only the stored row has."


def test_stale_or_missing_sections_are_computed_once_by_the_read_that_finds_them_and_stored(store, monkeypatch):
    sid = mines(store)
    rows = store.story_rows(sid)
    kept = store.story_summaries([sid])[sid]["sections"]
    # a store written by another version, or an ingest stopped before it stored this story's sections
    store.save_story_summaries([{"id": sid, "fingerprint": "written-by-another-version", "sections": {}}])
    calls = counting(monkeypatch)
    out = story_sections(store, rows, get_settings())
    assert calls == [sid] and without_time(out) == without_time({**kept, "related": out["related"]})
    assert store.story_summaries([sid])[sid]["fingerprint"] == story_fingerprint(rows)
    story_sections(store, rows, get_settings())
    assert calls == [sid]


def test_summarize_fills_only_the_missing_and_stale_ones(store, monkeypatch):
    ids = story_ids(store)
    sid = mines(store)
    store.save_story_summaries([{"id": sid, "fingerprint": "stale", "sections": {}}])
    calls = counting(monkeypatch)
    report = summarize_stories(store, [*ids, "no-such-story"])
    assert calls == [sid] and (report.computed, report.up_to_date, report.missing) == (1, 3, 1)
    assert summarize_stories(store, ids, force=True).computed == 4
