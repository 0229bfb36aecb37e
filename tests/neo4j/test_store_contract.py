"""The embedded store: schema, upserts, derived edges, idempotence, reads."""

from datetime import datetime, timedelta, timezone

import pytest

from newsgraph.engine.errors import ConfigError, NotFound, StoreError
from newsgraph.engine.models import Article, Assignment, Bias, Entity, Factuality, Mention, Outlet, Story
from newsgraph.engine.store import SQLiteStore, StoredArticle, open_store
from newsgraph.engine.stories.features import BODY_CHARS, text_counts
from newsgraph.graph_schema import LABELS, RELATIONSHIPS

T0 = datetime(2025, 4, 1, 8, tzinfo=timezone.utc)


def _article(i: int, outlet: str) -> StoredArticle:
    a = Article(id=f"a{i}", url=f"https://{outlet}/{i}", title=f"Title {i}", published_at=T0 + timedelta(hours=i),
                outlet_id=outlet, outlet_name=outlet.split(".")[0], lead="lead", extra={"k": i})
    return StoredArticle(a, title_key=f"{outlet}|title {i}|2025-04-01", content_hash=f"h{i}")


def _fill(store: SQLiteStore) -> None:
    store.upsert_outlets([Outlet("cnn.com", "CNN", Bias.LEFT, -2, Factuality.MIXED, rating_source="test"),
                          Outlet("foxnews.com", "Fox News", Bias.RIGHT, 2, rating_source="test")])
    arts = [_article(0, "cnn.com"), _article(1, "foxnews.com"), _article(2, "cnn.com"), _article(3, "unrated.org")]
    store.upsert_entities([Entity("gpe:finland", "Finland", "GPE"), Entity("gpe:russia", "Russia", "GPE")])
    store.upsert_articles(arts)
    store.upsert_mentions([Mention("a0", "gpe:finland", 2, True), Mention("a1", "gpe:finland"),
                           Mention("a1", "gpe:russia"), Mention("a3", "gpe:russia")])
    store.upsert_stories([Story("s1", "Story one", T0, T0), Story("s2", "Story two", T0, T0)],
                         [Assignment("a0", "s1", 1.0), Assignment("a1", "s1", 0.5), Assignment("a2", "s1", 0.6),
                          Assignment("a3", "s2", 1.0)])
    store.refresh_derived(["s1", "s2"])


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path, backend_store):
    """The same filled graph in each backend: every test below is the store contract."""
    s = backend_store(request.param, tmp_path)
    _fill(s)
    return s


def test_every_label_has_a_unique_key_in_its_properties():
    for label in LABELS.values():
        assert label.key in label.property_names
    for rel in RELATIONSHIPS.values():
        assert rel.start in LABELS and rel.end in LABELS


def test_counts_and_derived_edges(store):
    assert store.stats() == {
        "nodes": {"Outlet": 3, "Article": 4, "Entity": 2, "Story": 2, "Fingerprint": 0},
        "relationships": {"PUBLISHED": 4, "MENTIONS": 4, "PART_OF": 4, "COVERED": 3, "ABOUT": 3, "CO_MENTIONED": 1,
                          "COPY_OF": 0},
    }
    rows = store.story_rows("s1")
    assert rows["story"]["article_count"] == 3 and rows["story"]["source_count"] == 2
    assert rows["story"]["first_published"] == T0
    assert [a["outlet_id"] for a in rows["articles"]] == ["cnn.com", "foxnews.com", "cnn.com"]
    weights = {e["id"]: e["weight"] for e in rows["entities"]}
    assert weights == {"gpe:finland": pytest.approx(2 / 3), "gpe:russia": pytest.approx(1 / 3)}


def test_upserting_everything_again_changes_nothing(store):
    before = store.stats()
    exported = list(store.export_articles())
    _fill(store)
    assert store.stats() == before
    assert list(store.export_articles()) == exported


def test_upsert_articles_counts_only_what_it_wrote(store):
    again = [_article(0, "cnn.com"), _article(1, "foxnews.com")]
    assert store.upsert_articles(again) == 0
    changed = StoredArticle(again[0].article, title_key=again[0].title_key, content_hash="h0-edited")
    assert store.upsert_articles([changed, again[1], _article(9, "cnn.com")]) == 2
    assert store.upsert_articles([]) == 0
    assert store.stats()["nodes"]["Article"] == 5


def test_outlet_stub_keeps_rating_and_rating_survives_articles(store):
    [cnn] = store.get_outlets(["cnn.com"])
    assert cnn.bias is Bias.LEFT and cnn.factuality is Factuality.MIXED and cnn.name == "CNN"
    [stub] = store.get_outlets(["unrated.org"])
    assert stub.bias is Bias.UNRATED and stub.name == "unrated"


def test_export_has_story_entities_and_extra(store):
    rows = {r["id"]: r for r in store.export_articles()}
    assert rows["a1"]["story_id"] == "s1"
    assert rows["a1"]["entities"] == ["gpe:finland", "gpe:russia"]
    assert rows["a1"]["k"] == 1 and rows["a1"]["outlet"] == "foxnews.com"


def test_moving_an_article_to_another_story_refreshes_both(store):
    store.upsert_stories([], [Assignment("a2", "s2", 0.9)])
    store.refresh_derived(["s1", "s2"])
    assert store.story_rows("s1")["story"]["article_count"] == 2
    assert store.story_rows("s2")["story"]["source_count"] == 2


def test_a_story_whose_articles_all_moved_away_is_dropped(store):
    kept = {"key_points": [], "key_points_from_headlines": False, "sides": {}}
    store.save_story_summaries([{"id": sid, "fingerprint": "f", "sections": kept} for sid in ("s1", "s2")])
    store.upsert_stories([], [Assignment("a3", "s1", 0.9)])
    store.refresh_derived(["s1", "s2"])
    assert store.story_rows("s1")["story"]["article_count"] == 4
    with pytest.raises(NotFound):
        store.story_rows("s2")
    assert store.stats()["nodes"]["Story"] == 1
    # its stored key points go with it; the story that remains keeps its own
    assert sorted(store.story_summaries(["s1", "s2"])) == ["s1"]


def test_cluster_rows_carry_the_body_text(store):
    a = Article(id="t1", url="https://cnn.com/t1", title="Dam bursts", published_at=T0 + timedelta(minutes=5),
                outlet_id="cnn.com", lead="Water swept through.", text="Water swept through. Villages flooded.")
    store.upsert_articles([StoredArticle(a, title_key="cnn.com|dam bursts|2025-04-01", content_hash="ht")])
    store.upsert_stories([Story("s9", "Dam bursts", a.published_at, a.published_at)], [Assignment("t1", "s9", 1.0)])
    rows = {r.article_id: r for r in store.cluster_rows(T0, T0 + timedelta(minutes=10))}
    assert rows["t1"].text == "Water swept through. Villages flooded." and rows["a0"].text is None


def test_cluster_rows_cut_the_body_to_what_clustering_reads_with_the_same_terms(store):
    """A long body comes back as its lead and BODY_CHARS more characters (counted as Python counts them,
    emoji and accents included), and the clusterer finds in it the very terms of the whole body."""
    words = "Floodwaters rose überall 🌊 overnight; villagers' homes—and roads—were cut off. "
    cases = {
        "c1": ("Flooding 🌊 hits Valencia.", "Flooding 🌊 hits Valencia. " + words * 60),  # body starts with the lead
        "c2": ("A lead the body does not repeat.", words * 60),
        "c3": (None, words * 60),
        "c4": ("Short lead.", "Short lead. Short body."),
        "c5": ("Lead with a \x00 in it.", "Lead with a \x00 in it. " + words * 60),  # SQLite's text functions stop at NUL
    }
    for i, (aid, (lead, text)) in enumerate(cases.items()):
        a = Article(id=aid, url=f"https://cnn.com/{aid}", title=f"Valencia floods {i}",
                    published_at=T0 + timedelta(minutes=5 + i), outlet_id="cnn.com", lead=lead, text=text)
        store.upsert_articles([StoredArticle(a, title_key=f"cnn.com|valencia floods {i}|2025-04-01",
                                             content_hash=f"h{aid}")])
        store.upsert_stories([Story(f"s{aid}", a.title, a.published_at, a.published_at)],
                             [Assignment(aid, f"s{aid}", 1.0)])
    rows = {r.article_id: r for r in store.cluster_rows(T0, T0 + timedelta(minutes=20))}
    for aid, (lead, text) in cases.items():
        got = rows[aid].text
        assert text.startswith(got)
        assert text_counts("Valencia floods", lead, got) == text_counts("Valencia floods", lead, text)
    assert len(rows["c1"].text) == len(cases["c1"][0]) + BODY_CHARS < len(cases["c1"][1])
    assert rows["c4"].text == "Short lead. Short body."


def test_ingest_lookups(store):
    assert store.existing_articles(["a0", "zz"]) == {"a0": "h0"}
    # an article written without its story (a run cut off mid-batch) is not counted as stored
    store.upsert_articles([_article(9, "cnn.com")])
    assert store.existing_articles(["a9"]) == {}
    assert store.existing_title_keys(["cnn.com|title 0|2025-04-01"]) == {"cnn.com|title 0|2025-04-01": "a0"}
    rows = list(store.cluster_rows(T0, T0 + timedelta(hours=1)))
    assert [(r.article_id, r.story_id, r.entity_ids) for r in rows] == [
        ("a0", "s1", ("gpe:finland",)), ("a1", "s1", ("gpe:finland", "gpe:russia"))]


def test_unknown_ids_raise_not_found(store):
    with pytest.raises(NotFound):
        store.story_rows("nope")
    with pytest.raises(NotFound):
        store.outlet_profile("nope.com")


def test_sqlite_store_url():
    assert isinstance(open_store("sqlite:///:memory:"), SQLiteStore)
    with pytest.raises(ConfigError, match="unknown store URL"):
        open_store("postgres://x")


def test_a_failed_batch_leaves_nothing_behind(tmp_path):
    s = SQLiteStore(tmp_path / "g.db")
    # PART_OF to an article that does not exist violates a foreign key: the whole batch rolls back
    with pytest.raises(StoreError, match="FOREIGN KEY"):
        s.upsert_stories([Story("s9", "x", T0, T0)], [Assignment("missing", "s9", 1.0)])
    assert s.stats()["nodes"]["Story"] == 0


def test_bulk_rows_are_plain_values_and_write_back_unchanged(store, backend_store, tmp_path):
    from newsgraph.engine.sync import sync

    [cnn] = [r for r in store.iter_nodes("Outlet") if r["id"] == "cnn.com"]
    assert cnn["bias"] == "left" and cnn["bias_score"] == -2.0 and isinstance(cnn["bias_score"], float)
    [a0] = [r for r in store.iter_nodes("Article") if r["id"] == "a0"]
    assert a0["published_at"] == T0 and a0["word_count"] == 0 and a0["extra"] == '{"k": 0}'
    mentions = list(store.iter_relationships("MENTIONS"))
    assert mentions[0] == {"start_id": "a0", "end_id": "gpe:finland", "count": 2, "in_title": True}
    assert [(r["start_id"], r["end_id"]) for r in mentions] == sorted((r["start_id"], r["end_id"]) for r in mentions)
    copy = backend_store("sqlite", tmp_path / "copy")
    report = sync(store, copy, batch_size=2)
    assert report.to_dict()["total"] == 11 + 18 + 1  # + the one CO_MENTIONED pair
    for label in LABELS:
        assert list(copy.iter_nodes(label)) == list(store.iter_nodes(label))
    for rel in RELATIONSHIPS:
        assert list(copy.iter_relationships(rel)) == list(store.iter_relationships(rel))
    assert sync(store, copy).total == 30 and copy.stats() == store.stats()


def _indexes(s: SQLiteStore) -> dict[str, str]:
    return {r[0]: r[1] for r in s.db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}


def test_a_sync_into_an_empty_embedded_store_builds_its_indexes_at_the_end(store, tmp_path):
    from newsgraph.engine.sync import sync

    made = _indexes(SQLiteStore(tmp_path / "new.db"))
    copy = SQLiteStore(tmp_path / "copy.db")
    with copy.bulk_load():
        assert not any(name.startswith("rel_") for name in _indexes(copy))  # dropped while the rows go in
        copy.write_nodes("Entity", [{"id": "gpe:finland", "name": "Finland", "type": "GPE"}], fresh=True)
    assert _indexes(copy) == made
    sync(store, copy)
    assert _indexes(copy) == made
    for rel in RELATIONSHIPS:
        assert list(copy.iter_relationships(rel)) == list(store.iter_relationships(rel))
    # a load that fails half-way still ends with every index: the store is slower, never without them
    broken = SQLiteStore(tmp_path / "broken.db")
    with pytest.raises(StoreError, match="FOREIGN KEY"), broken.bulk_load():
        broken.write_relationships("MENTIONS", [{"start_id": "a0", "end_id": "gpe:nowhere"}], fresh=True)
    assert _indexes(broken) == made
    # the top neighbours of an entity are still an index walk
    plan = " ".join(str(tuple(r)) for r in copy.db.execute(
        "EXPLAIN QUERY PLAN SELECT end_id FROM rel_co_mentioned WHERE start_id = ? ORDER BY articles DESC LIMIT 5",
        ("gpe:finland",)))
    assert "rel_co_mentioned_start_articles" in plan


def test_bulk_rows_refuse_unknown_labels_and_dangling_relationships(store):
    from newsgraph.engine.errors import StoreError

    with pytest.raises(ValueError, match="unknown node label"):
        list(store.iter_nodes("Outlet) DETACH DELETE (n"))
    with pytest.raises(ValueError, match="unknown relationship type"):
        store.write_relationships("PUBLISHED]->() DELETE r //", [])
    with pytest.raises(StoreError):
        store.write_relationships("MENTIONS", [{"start_id": "a0", "end_id": "gpe:nowhere", "count": 1}])


EVIL = [
    "x'}) DETACH DELETE n //",
    "x\"}) MATCH (n) DETACH DELETE n RETURN 1 AS id //",
    "' OR '1'='1",
    "'; DROP TABLE article; --",
    "a0' OR id IS NOT NULL --",
    "$id",
    "%",
    "*",
    "\\' RETURN 1 //",
]


@pytest.mark.parametrize("evil", EVIL)
def test_no_string_parameter_is_spliced_into_a_query(store, evil):
    """Cypher- and SQL-looking text in every string parameter finds nothing and changes nothing."""
    before, rows = store.stats(), list(store.export_articles())
    for lookup in (store.story_rows, store.outlet_profile, store.entity_neighbourhood, store.outlet_coverage):
        with pytest.raises(NotFound):
            lookup(evil)
    assert store.existing_articles([evil]) == {}
    assert store.existing_title_keys([evil]) == {}
    assert store.story_titles([evil]) == {}
    assert store.get_outlets([evil]) == []
    for kw in ("outlet", "entity", "q"):
        assert store.search_stories(**{kw: evil}) == ([], 0)
    assert store.search_entities(q=evil) == ([], 0)
    assert store.search_entities(type=evil) == ([], 0)
    for bulk in (store.coverage_rows, store.article_rows, store.mention_rows):
        assert list(bulk(outlet=evil)) == [] and list(bulk(entity=evil)) == []
    assert store.stats() == before and list(store.export_articles()) == rows


def test_the_ingest_ledger_remembers_files_and_stays_out_of_the_graph(store):
    before = store.stats()
    assert store.ingested_files(["sha256:aa:10", "sha256:bb:20"]) == {}
    store.record_ingested_file("sha256:aa:10", "in/a.jsonl", 10, 3)
    store.record_ingested_file("sha256:aa:10", "elsewhere/a.jsonl", 10, 3)  # entered again: one entry
    store.record_ingested_file("sha256:cc:30", "in/c.jsonl", 30, None)
    assert store.ingested_files(["sha256:aa:10", "sha256:bb:20", "sha256:cc:30"]) == {
        "sha256:aa:10": "elsewhere/a.jsonl", "sha256:cc:30": "in/c.jsonl"}
    assert store.stats() == before  # bookkeeping, not nodes of the graph
