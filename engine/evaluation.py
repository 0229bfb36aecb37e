"""Score story clustering against a gold label carried in the input.

The input is ingested into a temporary embedded store through the real
pipeline; each exported article's ``story_id`` is compared with its gold
field (an ``extra`` field such as the AllSides roundup id). With
``headline_only`` the lead and text are dropped first, as a headline
aggregator's feed would give them.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from newsgraph.engine.config import Settings
from newsgraph.engine.errors import InputError
from newsgraph.engine.ingest import Located, read_records
from newsgraph.engine.ingest.validate import word_count
from newsgraph.engine.pipeline import IngestReport, Ingestor
from newsgraph.engine.store.sqlite import SQLiteStore
from newsgraph.engine.stories.metrics import ClusteringScores, clustering_scores


@dataclass(frozen=True)
class StoryEvaluation:
    """Clustering scores of one run, with what was ingested and how many articles lacked a gold label."""

    scores: ClusteringScores
    ingest: IngestReport
    missing_gold: int
    seconds: float
    headline_only: bool = False

    def to_dict(self, settings: Settings | None = None) -> dict:
        """Scores, counts and (given ``settings``) the story settings used, as plain JSON-ready values."""
        out = {
            "scores": asdict(self.scores),
            "missing_gold": self.missing_gold,
            "seconds": round(self.seconds, 3),
            "headline_only": self.headline_only,
            "ingest": {k: v for k, v in self.ingest.to_dict().items() if k not in ("problems", "duplicate_notes")},
        }
        if settings is not None:
            out["settings"] = {"story_threshold": settings.story_threshold,
                               "story_window_hours": settings.story_window_hours,
                               "nlp_max_chars": settings.nlp_max_chars}
        return out

    def summary_lines(self) -> list[str]:
        """Human-readable lines: what was scored, cluster counts, pairwise and BCubed scores."""
        s = self.scores
        scope = "headlines only" if self.headline_only else "title, lead and text"
        return [
            f"articles scored {s.n_items} (no gold label: {self.missing_gold}; rejected {self.ingest.rejected}, "
            f"duplicates {self.ingest.duplicates}); input: {scope}; {self.seconds:.1f} s",
            f"clusters: predicted {s.n_pred_clusters}, gold {s.n_gold_clusters}",
            f"pairwise  P {s.pairwise_precision:.3f}  R {s.pairwise_recall:.3f}  F1 {s.pairwise_f1:.3f}",
            f"BCubed    P {s.bcubed_precision:.3f}  R {s.bcubed_recall:.3f}  F1 {s.bcubed_f1:.3f}",
        ]


def headlines_only(records: Iterable[Located | InputError]) -> Iterator[Located | InputError]:
    """The records with every article's lead and text dropped, as a headline aggregator's feed gives them.

    Entities a source named (GKG) are dropped too, so that NER reads the title
    alone; bad records pass through, still located where they were read, so
    the run reports them as any other run does.

    >>> from newsgraph.engine.ingest import Record
    >>> rec = Record({"id": 1, "title": "Lava reaches the town", "lead": "It flowed.", "published_at": "2025-04-09"},
    ...              "in.jsonl", line=3).check()
    >>> [(r.article.lead, r.article.word_count, r.location) for r in headlines_only([rec])]
    [(None, 4, 'in.jsonl:3')]
    """
    for rec in records:
        if isinstance(rec, InputError):
            yield rec
            continue
        a = replace(rec.article, lead=None, text=None, word_count=word_count(rec.article.title))
        yield replace(rec, article=a, entities=None)


def evaluate_stories(paths: Sequence[str], gold_field: str, settings: Settings, *, format: str = "auto",
                     mapping: dict[str, str] | None = None, extractor=None,
                     headline_only: bool = False) -> StoryEvaluation:
    """Ingest ``paths`` into a fresh temporary store and score stories against ``gold_field``.

    Parameters
    ----------
    paths : sequence of str
        Input files in any format ``newsgraph ingest`` reads.
    gold_field : str
        Input field holding each article's true story label; articles without one are not scored.
    settings : Settings
        Story window, threshold, NER model and text scope used for the run.
    headline_only : bool
        Drop every article's lead and text before ingesting, to score what titles alone give.

    Raises
    ------
    ValueError
        When no article carries a gold label.
    """
    records = read_records(paths, format=format, mapping=mapping, max_text_chars=settings.max_text_chars)
    if headline_only:
        records = headlines_only(records)
    with tempfile.TemporaryDirectory(prefix="newsgraph-eval-") as tmp:
        store = SQLiteStore(Path(tmp) / "eval.db")
        try:
            start = time.perf_counter()
            report = Ingestor(store, settings, extractor=extractor).ingest_records(records)
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
    if not gold:
        raise ValueError(f"no article carries the gold field {gold_field!r}")
    return StoryEvaluation(clustering_scores(pred, gold), report, missing, seconds, headline_only)
