"""Wire copies in both stores: fingerprints, COPY_OF edges, re-pointing, the story card's copies, sync."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from newsgraph.engine.analysis import story_card
from newsgraph.engine.config import get_settings
from newsgraph.engine.models import Bias, Outlet
from newsgraph.engine.pipeline import Ingestor
from newsgraph.engine.store import SQLiteStore
from newsgraph.engine.stories.copies import fingerprint
from newsgraph.engine.sync import sync
from tests.copy_pairs import OWN_REPORT, WIRE, WIRE_PLUS
from tests.unit.test_copies import COPY_REC, OWN_REC, PLUS_REC, WIRE_REC
from tests.unit.test_ingest_records import TitleNer

T0 = datetime(2025, 6, 3, 9, tzinfo=timezone.utc)


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path, backend_store):
    s = backend_store(request.param, tmp_path)
    s.upsert_outlets([Outlet("wire.com", "Wire", Bias.CENTER), Outlet("copy.com", "Copy Daily", Bias.RIGHT),
                      Outlet("plus.com", "Plus News", Bias.RIGHT), Outlet("own.com", "Own Post", Bias.LEFT)])
    return s


def _ingest(store, records, **settings):
    return Ingestor(store, get_settings(**settings), extractor=TitleNer()).ingest_records(records)


def _by_outlet(store) -> dict[str, str]:
    outlet = {r["end_id"]: r["start_id"] for r in store.iter_relationships("PUBLISHED")}
    return {outlet[r["start_id"]]: outlet[r["end_id"]] for r in store.iter_relationships("COPY_OF")}


def test_a_syndicated_copy_is_a_copy_on_the_card(store):
    _ingest(store, [WIRE_REC, COPY_REC, PLUS_REC, OWN_REC])
    assert _by_outlet(store) == {"copy.com": "wire.com", "plus.com": "wire.com"}
    [story], _ = store.search_stories(limit=5)
    rows = store.story_rows(story["id"])
    assert [c["article_id"] for c in rows["copies"]] == sorted(c["article_id"] for c in rows["copies"])
    assert sorted((round(c["overlap"], 1), c["original_outlet_id"], c["original_outlet_name"])
                  for c in rows["copies"]) == [(0.8, "wire.com", "Wire"), (1.0, "wire.com", "Wire")]
    card = story_card(rows)
    assert (card.article_count, card.original_reports) == (4, 2)
    assert {c["outlet_name"]: c["original_outlet_name"] for c in card.copies} == {"Copy Daily": "Wire",
                                                                               "Plus News": "Wire"}
    assert story_card(rows, originals=True).side_counts == {"left": 1, "center": 1, "right": 0}
    assert store.stats()["nodes"]["Fingerprint"] == 4 and store.stats()["relationships"]["COPY_OF"] == 2


def test_an_earlier_original_arriving_later_takes_the_copies_over(store):
    _ingest(store, [PLUS_REC])
    _ingest(store, [COPY_REC])  # an hour before plus.com: plus.com is re-pointed at it
    assert _by_outlet(store) == {"plus.com": "copy.com"}
    _ingest(store, [WIRE_REC, OWN_REC])
    assert _by_outlet(store) == {"copy.com": "wire.com", "plus.com": "wire.com"}
    assert sum(1 for _ in store.iter_relationships("COPY_OF")) == 2  # re-pointed, not added


def test_fingerprint_rows_copies_of_and_copy_rows(store):
    _ingest(store, [WIRE_REC, COPY_REC, PLUS_REC, OWN_REC])
    rows = list(store.fingerprint_rows(T0 + timedelta(minutes=30), T0 + timedelta(hours=1, minutes=45)))
    outlets = [r["outlet_id"] for r in rows]
    assert outlets == ["copy.com", "own.com"]  # by time: 10:00, 10:30
    assert rows[0]["published_at"] == T0 + timedelta(hours=1) and rows[0]["shingles"] == fingerprint(WIRE).shingles
    copy_rows = list(store.copy_rows())
    assert sorted((c.outlet_id, c.original_outlet_id) for c in copy_rows) == [("copy.com", "wire.com"),
                                                                             ("plus.com", "wire.com")]
    assert [c.article_id for c in copy_rows] == sorted(c.article_id for c in copy_rows)
    found = store.copies_of([c.article_id for c in copy_rows] + ["nope"])
    assert [f["article_id"] for f in found] == [c.article_id for c in copy_rows]
    assert {f["original_published_at"] for f in found} == {T0}
    assert {f["original_title"] for f in found} == {"Finland and Lithuania to produce anti-personnel mines"}


def test_sync_carries_fingerprints_and_copies(store, tmp_path):
    _ingest(store, [WIRE_REC, COPY_REC, PLUS_REC, OWN_REC])
    target = SQLiteStore(tmp_path / "target.db")
    report = sync(store, target)
    assert report.nodes["Fingerprint"] == 4 and report.relationships["COPY_OF"] == 2
    assert list(target.iter_relationships("COPY_OF")) == list(store.iter_relationships("COPY_OF"))
    # ingest goes on in the copy: a later reprint finds its original through the synced fingerprints
    late = dict(COPY_REC.fields, url="https://late.com/2025/06/03/mines.html", outlet="late.com",
                published_at=(T0 + timedelta(hours=5)).isoformat())
    from newsgraph.engine.ingest import Record

    _ingest(target, [Record(late, "articles", index=0)])
    assert _by_outlet(target)["late.com"] == "wire.com"
    target.close()


def test_texts_that_share_only_a_quote_stay_originals_in_both_stores(store):
    assert fingerprint(OWN_REPORT) is not None and fingerprint(WIRE_PLUS) is not None
    _ingest(store, [WIRE_REC, OWN_REC])
    assert list(store.iter_relationships("COPY_OF")) == []
