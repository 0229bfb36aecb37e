"""The corpus plus one lone, unrated story with a hostile headline: the data of the web tests."""

from __future__ import annotations

import json

from newsgraph.engine.config import get_settings
from newsgraph.engine.pipeline import Ingestor
from newsgraph.engine.ratings import import_ratings, read_ratings

HOSTILE_TITLE = "<script>alert(1)</script> Quantum chip <img src=x onerror=alert(1)> breakthrough"

EXTRA = [
    {
        "url": "https://example-blog.net/2025/04/05/quantum.html",
        "title": HOSTILE_TITLE,
        "published_at": "2025-04-05T09:00:00Z",
        "lead": "A startup in Helsinki says its quantum chip keeps qubits stable for minutes.",
        "outlet": "example-blog.net",
    }
]


def load(store, corpus_files, ner, tmp_path) -> None:
    """The corpus's ratings and articles, then the extra story, into ``store``."""
    jsonl, outlets = corpus_files
    settings = get_settings()
    result = import_ratings(read_ratings(outlets, "csv"), store.get_outlets(), settings.rating_order)
    store.upsert_outlets(result.outlets)
    extra = tmp_path / "extra.jsonl"
    extra.write_text("".join(json.dumps(a) + "\n" for a in EXTRA), encoding="utf-8")
    report = Ingestor(store, settings, extractor=ner).ingest([str(jsonl), str(extra)])
    assert report.stored == 13 and report.rejected == 0
