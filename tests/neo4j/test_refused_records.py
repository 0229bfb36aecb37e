"""A record the store refuses in the middle of a batch leaves nothing of its own in either store."""

from __future__ import annotations

import pytest

from newsgraph.engine.config import get_settings
from newsgraph.engine.pipeline import Ingestor
from tests.unit.test_ingest_records import GOOD, OTHER, RefusingStore, TitleNer, as_request


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path, backend_store):
    return backend_store(request.param, tmp_path)


def test_a_refused_record_leaves_no_entity_mention_or_pair_of_its_own(store):
    # the foxnews.com record is refused when its article is written, after the batch's entities were:
    # the entities only it names, its mentions and their co-mention pair must not stay behind
    refused = {**OTHER, "title": "Volcano erupts in Atlantis"}
    report = Ingestor(RefusingStore(store), get_settings(), extractor=TitleNer()).ingest_records(
        as_request(GOOD, refused))
    assert (report.stored, report.rejected) == (1, 1)
    assert {r["id"] for r in store.iter_nodes("Entity")} == {"gpe:iceland"}
    assert [r["end_id"] for r in store.iter_relationships("MENTIONS")] == ["gpe:iceland"]
    assert list(store.iter_relationships("CO_MENTIONED")) == []
    assert [r["url"] for r in store.export_articles()] == ["https://cnn.com/2025/04/09/volcano.html"]
    # and the same input again, through a store that takes it, adds the record once
    again = Ingestor(store, get_settings(), extractor=TitleNer()).ingest_records(as_request(GOOD, refused))
    assert (again.stored, again.already_stored, again.rejected) == (1, 1, 0)
    assert {r["id"] for r in store.iter_nodes("Entity")} == {"gpe:iceland", "gpe:volcano", "gpe:atlantis"}
    # the two articles share a story, so each pair of its three entities is co-mentioned (in the story)
    assert len(list(store.iter_relationships("CO_MENTIONED"))) == 3
