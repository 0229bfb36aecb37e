"""Co-mention counts kept at ingest (``CO_MENTIONED``), the same in both stores as counting every mention afresh."""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations

import pytest

from newsgraph.engine.analysis import entity_network, registry
from newsgraph.engine.config import get_settings
from newsgraph.engine.models import Assignment, Mention
from tests import web_corpus
from tests.neo4j.test_store_contract import _fill


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path, backend_store):
    s = backend_store(request.param, tmp_path)
    _fill(s)
    return s


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def corpus_store(request, tmp_path, backend_store, corpus_files, ner):
    """The web corpus ingested through the pipeline, with NER."""
    s = backend_store(request.param, tmp_path)
    web_corpus.load(s, corpus_files, ner, tmp_path)
    return s


def _kept(store) -> list[dict]:
    return list(store.iter_relationships("CO_MENTIONED"))


def _counted(store) -> list[dict]:
    """Every pair's articles and stories, counted from the stored mentions and stories."""
    by_article, by_story = defaultdict(set), defaultdict(set)
    for r in store.iter_relationships("MENTIONS"):
        by_article[r["start_id"]].add(r["end_id"])
    for r in store.iter_relationships("ABOUT"):
        by_story[r["start_id"]].add(r["end_id"])
    articles = Counter(p for ents in by_article.values() for p in combinations(sorted(ents), 2))
    stories = Counter(p for ents in by_story.values() for p in combinations(sorted(ents), 2))
    return [{"start_id": a, "end_id": b, "articles": articles[(a, b)], "stories": stories[(a, b)]}
            for a, b in sorted(articles.keys() | stories.keys())]


def test_ingest_keeps_the_pair_counts(store):
    assert _kept(store) == [{"start_id": "gpe:finland", "end_id": "gpe:russia", "articles": 1, "stories": 1}]
    assert _kept(store) == _counted(store)


def test_writing_the_same_mentions_and_stories_again_changes_nothing(store):
    before = _kept(store)
    store.upsert_mentions([Mention("a0", "gpe:finland", 2, True), Mention("a1", "gpe:finland"),
                           Mention("a1", "gpe:russia"), Mention("a3", "gpe:russia")])
    store.refresh_derived(["s1", "s2"])
    store.refresh_derived(["s1"])
    assert _kept(store) == before


def test_an_article_moved_between_stories_moves_its_story_counts(store):
    store.upsert_stories([], [Assignment("a0", "s2", 0.9)])  # s1 keeps a1 (both), s2 gets Finland beside Russia
    store.refresh_derived(["s1", "s2"])
    assert _kept(store) == [{"start_id": "gpe:finland", "end_id": "gpe:russia", "articles": 1, "stories": 2}]
    store.upsert_stories([], [Assignment("a0", "s1", 0.9), Assignment("a1", "s2", 0.9)])
    store.refresh_derived(["s1", "s2"])  # s1: Finland alone; s2: both
    assert _kept(store) == _counted(store) == [
        {"start_id": "gpe:finland", "end_id": "gpe:russia", "articles": 1, "stories": 1}]


def test_a_new_mention_counts_once(store):
    store.upsert_mentions([Mention("a3", "gpe:finland")])  # a3 already mentions Russia
    store.upsert_mentions([Mention("a3", "gpe:finland"), Mention("a3", "gpe:russia")])
    store.refresh_derived(["s2"])
    assert _kept(store) == _counted(store) == [
        {"start_id": "gpe:finland", "end_id": "gpe:russia", "articles": 2, "stories": 2}]


def test_counts_kept_through_the_pipeline_are_the_counts_of_every_mention(corpus_store):
    kept = _kept(corpus_store)
    assert len(kept) > 10
    assert kept == _counted(corpus_store)
    assert corpus_store.rebuild_co_mentions() == len(kept) and _kept(corpus_store) == kept


def test_entity_neighbourhood_reads_the_counts_and_matches_the_mentions(corpus_store):
    by_article = defaultdict(set)
    for r in corpus_store.iter_relationships("MENTIONS"):
        by_article[r["start_id"]].add(r["end_id"])
    both = Counter(p for ents in by_article.values() for p in combinations(sorted(ents), 2))
    entities = {r["id"] for r in corpus_store.iter_nodes("Entity")}
    for entity in sorted(entities):
        hood = corpus_store.entity_neighbourhood(entity, limit=5)
        weights = Counter({(b if a == entity else a): n for (a, b), n in both.items() if entity in (a, b)})
        expected = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
        assert [(n["id"], n["weight"]) for n in hood["neighbours"]] == expected
        ids = sorted({entity, *(n["id"] for n in hood["neighbours"])})
        assert [(lk["source"], lk["target"], lk["weight"]) for lk in hood["links"]] == [
            (a, b, both[(a, b)]) for a, b in combinations(ids, 2) if both[(a, b)]]


def test_the_graph_view_reads_the_same_neighbours_and_links_without_stories_or_outlets(corpus_store):
    degree = Counter(e for r in _kept(corpus_store) if r["articles"] for e in (r["start_id"], r["end_id"]))
    hub = max(degree, key=lambda e: (degree[e], e))
    full = corpus_store.entity_neighbourhood(hub, limit=60)
    drawn = corpus_store.entity_neighbourhood(hub, limit=60, graph_only=True)
    assert full["stories"] and full["outlets"] and len(full["neighbours"]) > 3
    shown = ("entity", "neighbours", "links")
    assert {k: drawn[k] for k in shown} == {k: full[k] for k in shown}
    assert drawn["stories"] == drawn["outlets"] == []


def test_an_entitys_outlets_are_counted_from_its_mentions(corpus_store):
    outlet_of = {r["end_id"]: r["start_id"] for r in corpus_store.iter_relationships("PUBLISHED")}
    names = {r["id"]: r["name"] for r in corpus_store.iter_nodes("Outlet")}
    per_entity: dict[str, Counter] = defaultdict(Counter)
    for r in corpus_store.iter_relationships("MENTIONS"):
        per_entity[r["end_id"]][outlet_of[r["start_id"]]] += 1
    for entity, counts in sorted(per_entity.items()):
        expected = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        got = corpus_store.entity_neighbourhood(entity, limit=3)["outlets"]
        assert [(o["id"], o["articles"]) for o in got] == expected
        assert [o["name"] for o in got] == [names[o] for o, _ in expected]


@pytest.mark.parametrize("level", ["article", "story"])
def test_entity_network_from_the_kept_counts_equals_the_network_from_mention_rows(corpus_store, level):
    settings = get_settings()
    counts = corpus_store.co_mention_counts(level=level, min_count=1)
    assert counts is not None
    for min_count in (1, 2):
        ego = counts.entities[0][0]
        from_rows = entity_network(list(corpus_store.mention_rows()), level=level, min_count=min_count, ego=ego)
        from_counts = registry.run("entities", corpus_store, settings,
                                   params={"level": level, "min_count": min_count, "ego": ego})
        assert _same(from_counts.to_dict(), from_rows.to_dict())
        assert sorted(from_counts.graph.edges(data="units")) == sorted(from_rows.graph.edges(data="units"))


def _same(a, b) -> bool:
    """Equal, floats to 1e-12 (PageRank iterates in the graph's order)."""
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        return all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        return all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-15)
        return True
    assert a == b
    return True


def test_a_store_made_before_the_counts_gets_them_when_opened(corpus_store, tmp_path):
    kept = _kept(corpus_store)
    if corpus_store.url.startswith("sqlite:"):
        from newsgraph.engine.store.sqlite import SQLiteStore

        corpus_store.db.execute("DELETE FROM rel_co_mentioned")
        corpus_store.db.execute("DELETE FROM meta WHERE key = 'co_mentioned'")
        again = SQLiteStore(corpus_store.path)
    else:
        from newsgraph.engine.store.neo4j import Neo4jStore

        corpus_store.driver.execute_query("MATCH ()-[r:CO_MENTIONED]->() DELETE r",
                                          database_=corpus_store.database)
        assert _kept(corpus_store) == []
        again = Neo4jStore(corpus_store.driver, corpus_store.database, 3, url=corpus_store.url)
    try:
        assert _kept(again) == kept
    finally:
        again.close()


def test_sqlite_reads_a_hubs_stories_off_the_index_in_the_same_order(tmp_path, backend_store, corpus_files, ner,
                                                                      monkeypatch):
    from newsgraph.engine.store.sqlite import web_queries

    store = backend_store("sqlite", tmp_path)
    web_corpus.load(store, corpus_files, ner, tmp_path)
    entities = [r["id"] for r in store.iter_nodes("Entity")]
    joined = {e: store.entity_neighbourhood(e, limit=2)["stories"] for e in entities}
    monkeypatch.setattr(web_queries, "_WALK_FROM", 0)  # every entity a hub: the index walk answers
    walked = {e: store.entity_neighbourhood(e, limit=2)["stories"] for e in entities}
    assert walked == joined and any(walked.values())


def test_a_sqlite_batch_that_fails_leaves_the_counts_as_they_were(tmp_path, backend_store):
    """The deltas a batch sums wait for its commit: a batch rolled back counts nothing, and the next one
    counts only its own mentions."""
    store = backend_store("sqlite", tmp_path)
    _fill(store)
    before = _kept(store)
    with pytest.raises(RuntimeError):
        with store.atomic():
            store.upsert_mentions([Mention("a3", "gpe:finland")])
            store.refresh_derived(["s2"])
            raise RuntimeError("the batch fails after its writes")
    assert _kept(store) == before == _counted(store)
    store.upsert_mentions([Mention("a2", "gpe:finland"), Mention("a2", "gpe:russia")])
    assert _kept(store) == _counted(store) == [
        {"start_id": "gpe:finland", "end_id": "gpe:russia", "articles": 2, "stories": 1}]
