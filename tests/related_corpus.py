"""The web tests' data plus a follow-up story eleven days after the landmine one: a related story."""

from __future__ import annotations

import json

from newsgraph.engine.config import get_settings
from newsgraph.engine.pipeline import Ingestor
from tests.web_corpus import load

FOLLOW_UP = {
    "url": "https://www.reuters.com/2025/04/12/mines-production.html",
    "title": "Finland and Lithuania set to produce anti-personnel mines",
    "published_at": "2025-04-12T10:00:00Z",
    "lead": "Finland and Lithuania plan to produce anti-personnel mines after leaving the Ottawa Convention.",
    "text": "Finland and Lithuania plan to produce anti-personnel mines after leaving the Ottawa Convention. "
            "Officials in Vilnius and Helsinki pointed to the threat from Russia.",
    "outlet": "reuters.com",
}


def load_with_follow_up(store, corpus_files, ner, tmp_path) -> None:
    """The web corpus, then the follow-up story (its own story: it runs eleven days later)."""
    load(store, corpus_files, ner, tmp_path)
    extra = tmp_path / "follow-up.jsonl"
    extra.write_text(json.dumps(FOLLOW_UP) + "\n", encoding="utf-8")
    report = Ingestor(store, get_settings(), extractor=ner).ingest([str(extra)])
    assert report.stored == 1 and report.rejected == 0
