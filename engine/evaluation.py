"""Score story clustering against a gold label carried in the input.

The input is ingested into a temporary embedded store through the real
pipeline; each exported article's ``story_id`` is compared with its gold
field (an ``extra`` field such as the AllSides roundup id).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from engine.config import Settings
from engine.pipeline import IngestReport, Ingestor
from engine.store.sqlite import SQLiteStore
from engine.stories.metrics import ClusteringScores, clustering_scores


@dataclass(frozen=True)
class StoryEvaluation:
    """Clustering scores of one run, with what was ingested and how many articles lacked a gold label."""

    scores: ClusteringScores
    ingest: IngestReport
    missing_gold: int
    seconds: float


def evaluate_stories(paths: Sequence[str], gold_field: str, settings: Settings, *, format: str = "auto",
                     mapping: dict[str, str] | None = None, extractor=None) -> StoryEvaluation:
    """Ingest ``paths`` into a fresh temporary store and score stories against ``gold_field``."""
    import time

    with tempfile.TemporaryDirectory(prefix="newsgraph-eval-") as tmp:
        store = SQLiteStore(Path(tmp) / "eval.db")
        try:
            start = time.perf_counter()
            report = Ingestor(store, settings, extractor=extractor).ingest(paths, format=format, mapping=mapping)
            seconds = time.perf_counter() - start
            pred, gold, missing = {}, {}, 0
            for row in store.export_articles():
                label = row.get(gold_field)
                if label is None or label == "":
                    missing += 1
                    continue
                pred[row["id"]] = row["story_id"]
                gold[row["id"]] = str(label)
        finally:
            store.close()
    return StoryEvaluation(clustering_scores(pred, gold), report, missing, seconds)
