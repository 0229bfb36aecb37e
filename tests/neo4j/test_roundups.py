"""On the 1,479 roundup articles the two stores agree node for node and edge for edge.

Their stories meet the clustering goals on these roundups (pairwise F1 of at
least 0.90, BCubed F1 of at least 0.95).

The same pipeline ingests the shipped demo data into SQLite and into Neo4j
(entities found once and reused, so the comparison is about the stores), then
every node and relationship row is compared, and a sync of the SQLite store
into the emptied Neo4j gives the same graph again.
"""

import pytest

from newsgraph.engine.config import get_settings
from newsgraph.engine.demo import demo_paths
from newsgraph.engine.pipeline import Ingestor
from newsgraph.engine.store.neo4j import Neo4jStore
from newsgraph.engine.store.sqlite import SQLiteStore
from newsgraph.engine.stories.metrics import clustering_scores
from newsgraph.engine.sync import sync
from tests.neo4j.test_sync import graph_rows

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


class CachedExtractor:
    """The session's NER, each article's entities found once and reused by the second store."""

    def __init__(self, extractor):
        self.extractor, self.cache = extractor, {}

    def extract(self, articles):
        missing = [a for a in articles if a.id not in self.cache]
        for found in self.extractor.extract(missing):
            self.cache[found.article_id] = found
        return [self.cache[a.id] for a in articles]


def load(store, settings, extractor):
    articles, outlets = demo_paths()
    from newsgraph.engine.ratings import import_ratings, read_ratings

    store.upsert_outlets(import_ratings(read_ratings(str(outlets), "csv"), store.get_outlets(),
                                        settings.rating_order).outlets)
    return Ingestor(store, settings, extractor=extractor).ingest([str(articles)])


def story_scores(store):
    """How the stored stories match the roundups (the gold story of each article)."""
    rows = list(store.export_articles())
    return clustering_scores({r["id"]: r["story_id"] for r in rows}, {r["id"]: r["roundup_id"] for r in rows})


def test_both_stores_hold_the_same_roundup_graph(ner, neo4j_driver, neo4j_server_info, tmp_path):
    settings = get_settings()
    extractor = CachedExtractor(ner)
    lite = SQLiteStore(tmp_path / "roundups.db")
    neo = Neo4jStore(neo4j_driver, neo4j_server_info.database, settings.batch_size, url=neo4j_server_info.url)
    try:
        neo.clear()
        report = load(lite, settings, extractor)
        assert report.read == 1479 and report.stored > 1400
        assert load(neo, settings, extractor).to_dict() == report.to_dict()
        expected = graph_rows(lite)
        assert neo.stats() == lite.stats()
        for kind, rows in graph_rows(neo).items():
            assert len(rows) == len(expected[kind]), kind
            assert rows == expected[kind], kind
        assert list(neo.export_articles()) == list(lite.export_articles())
        scores = story_scores(neo)
        assert scores.pairwise_f1 >= 0.90 and scores.bcubed_f1 >= 0.95, scores

        neo.clear()
        sync(lite, neo)
        assert graph_rows(neo) == expected
    finally:
        lite.close()
        neo.close()
