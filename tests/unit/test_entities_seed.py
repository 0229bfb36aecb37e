"""The issue's seed story through the real pipeline and spaCy model: the canonical entities a reader expects."""

from __future__ import annotations

import json

import pytest

from newsgraph.engine.config import get_settings
from newsgraph.engine.pipeline import Ingestor
from newsgraph.engine.store.sqlite import SQLiteStore

SEED = ("Finland and Lithuania will start producing anti-personnel mines in 2026 after withdrawing from the Ottawa "
        "Convention, officials said. \"We will start production next year,\" Lithuanian Deputy Defence Minister "
        "Karolis Aleksa told reporters. Heikki Autto, Chair of Finland's Parliament Defence Committee, said the "
        "decision reflected threats from Russia. Autto said Finnish production could begin soon. Both countries "
        "joined the Mine Ban Treaty decades ago.")
FOLLOW_UP = ("Lithuania's Aleksa said new anti-personnel mines were needed because of Russia, after Finland and "
             "Lithuania left the Ottawa Treaty.")


@pytest.fixture(scope="module")
def stored(tmp_path_factory, ner):
    tmp = tmp_path_factory.mktemp("seed")
    path = tmp / "seed.jsonl"
    rows = [
        {"id": "seed-1", "url": "https://example.com/mines", "published_at": "2025-04-01T09:00:00Z",
         "title": "Finland and Lithuania to produce anti-personnel mines after leaving Ottawa Convention",
         "text": SEED, "outlet": "example.com"},
        {"id": "seed-2", "url": "https://example.org/mines", "published_at": "2025-04-01T11:00:00Z",
         "title": "Lithuania and Finland to produce anti-personnel mines after Ottawa Convention exit",
         "text": FOLLOW_UP, "outlet": "example.org"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    store = SQLiteStore(tmp / "seed.db")
    Ingestor(store, get_settings(), extractor=ner).ingest([str(path)])
    out = {row["id"]: row for row in store.export_articles()}
    store.close()
    return out


def test_seed_story_has_the_canonical_entities(stored):
    ents = set(stored["seed-1"]["entities"])
    assert {"gpe:finland", "gpe:lithuania", "law:ottawa-convention", "gpe:russia", "person:karolis-aleksa",
            "person:heikki-autto"} <= ents
    assert not any("chair" in e for e in ents)
    assert not any(e.endswith(("aleksa", "autto")) and e.count("-") == 0 for e in ents)  # no lone surnames


def test_a_surname_alone_joins_the_full_name_of_its_story(stored):
    assert stored["seed-1"]["story_id"] == stored["seed-2"]["story_id"]
    ents = set(stored["seed-2"]["entities"])
    assert "person:karolis-aleksa" in ents
    assert {"law:ottawa-convention", "gpe:lithuania", "gpe:finland", "gpe:russia"} <= ents
    assert not any(e.split(":")[1] == "aleksa" for e in ents)
