"""Score story clustering against a gold label carried in the input.

The input is ingested into a temporary embedded store through the real
pipeline; each exported article's ``story_id`` is compared with its gold
field (an ``extra`` field such as the AllSides roundup id). With
``headline_only`` the lead and text are dropped first, as a headline
aggregator's feed would give them.

Two transformations of the timeline make proxies of harder streams from the
same labelled data, reproducibly: ``jitter_days`` moves each article's date
later by a seeded random 0..N days and drops the time of a seeded share of
them (a day-only date, as many sources give), the way one event's coverage
spreads over several days; ``compress`` divides every gap to the earliest
article by K, so K times as many events share each day (a denser feed).
``spread_days`` gives each gold story a time slot of its own, N days
after the previous one's: a sparse stream of events sampled over years.
``runs`` splits the input into K consecutive runs into the same store and
also reports how many articles the split placed differently from one run.
"""

from __future__ import annotations

import hashlib
import random
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

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
    timeline: str = "as given"
    runs: int = 1
    split_moved: int | None = None  # articles whose story differs from a single run's (runs > 1)

    def to_dict(self, settings: Settings | None = None) -> dict:
        """Scores, counts and (given ``settings``) the story settings used, as plain JSON-ready values."""
        out = {
            "scores": asdict(self.scores),
            "missing_gold": self.missing_gold,
            "seconds": round(self.seconds, 3),
            "headline_only": self.headline_only,
            "timeline": self.timeline,
            "runs": self.runs,
            "split_moved": self.split_moved,
            "ingest": {k: v for k, v in self.ingest.to_dict().items() if k not in ("problems", "duplicate_notes")},
        }
        if settings is not None:
            out["settings"] = {"story_threshold": settings.story_threshold,
                               "story_window_hours": settings.story_window_hours,
                               "story_idf_prior": settings.story_idf_prior,
                               "story_busy_rate": settings.story_busy_rate,
                               "nlp_max_chars": settings.nlp_max_chars}
        return out

    def summary_lines(self) -> list[str]:
        """Human-readable lines: what was scored, cluster counts, pairwise and BCubed scores."""
        s = self.scores
        scope = "headlines only" if self.headline_only else "title, lead and text"
        lines = [
            f"articles scored {s.n_items} (no gold label: {self.missing_gold}; rejected {self.ingest.rejected}, "
            f"duplicates {self.ingest.duplicates}); input: {scope}; timeline: {self.timeline}; {self.seconds:.1f} s",
            f"clusters: predicted {s.n_pred_clusters}, gold {s.n_gold_clusters}",
            f"pairwise  P {s.pairwise_precision:.3f}  R {s.pairwise_recall:.3f}  F1 {s.pairwise_f1:.3f}",
            f"BCubed    P {s.bcubed_precision:.3f}  R {s.bcubed_recall:.3f}  F1 {s.bcubed_f1:.3f}",
        ]
        if self.split_moved is not None:
            share = self.split_moved / s.n_items if s.n_items else 0.0
            lines.append(f"split into {self.runs} runs: {self.split_moved} articles ({share:.2%}) "
                         f"placed differently from one run")
        return lines


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


def _unit(seed: int, article_id: str, what: str) -> float:
    """A uniform number in [0, 1) fixed by the seed and the article, whatever the input order."""
    digest = hashlib.sha256(f"{seed}:{what}:{article_id}".encode("utf-8")).digest()
    return random.Random(digest).random()


def jittered(records: Iterable[Located | InputError], days: float, *, seed: int = 0,
             day_only_share: float = 0.5) -> Iterator[Located | InputError]:
    """The records with each article's date moved later by a seeded random 0..``days`` days.

    A seeded ``day_only_share`` of the articles also lose their time of day
    (midnight UTC, which newsgraph reads as a day-only date). Each article's
    draw depends only on ``seed`` and its id, so the proxy is the same
    however the input is ordered or split.

    >>> from newsgraph.engine.ingest import Record
    >>> rec = Record({"id": 1, "title": "T", "published_at": "2025-04-09T10:30:00Z"}, "in.jsonl", line=1).check()
    >>> [r.article.published_at.isoformat() for r in jittered([rec], 3, seed=1)]
    ['2025-04-11T00:00:00+00:00']
    """
    for rec in records:
        if isinstance(rec, InputError):
            yield rec
            continue
        a = rec.article
        when = a.published_at + timedelta(days=days * _unit(seed, a.id, "shift"))
        if _unit(seed, a.id, "day-only") < day_only_share:
            when = when.replace(hour=0, minute=0, second=0, microsecond=0)
        yield replace(rec, article=replace(a, published_at=when))


def spread_out(records: Iterable[Located | InputError], days: float, gold_field: str) -> list[Located | InputError]:
    """The records with each gold story moved to a time slot of its own, ``days`` after the previous story's.

    Stories are taken in order of their earliest article; the first keeps its
    time, and every article moves with its story, so the offsets inside a
    story stay as they were. With ``days`` of 7, 500 stories spread over
    nearly ten years: a sparse stream, like a set of events sampled over
    years, where almost nothing else is published near a story. Articles
    without a gold label keep their time.

    >>> from newsgraph.engine.ingest import Record
    >>> recs = [Record({"id": i, "title": "T", "published_at": d, "g": g}, "in.jsonl", line=i).check()
    ...         for i, (d, g) in enumerate([("2025-04-01T10:00:00Z", "a"), ("2025-04-01T12:00:00Z", "b"),
    ...                                     ("2025-04-02T09:00:00Z", "b")])]
    >>> [r.article.published_at.isoformat() for r in spread_out(recs, 7, "g")]
    ['2025-04-01T10:00:00+00:00', '2025-04-08T10:00:00+00:00', '2025-04-09T07:00:00+00:00']
    """
    if days <= 0:
        raise ValueError(f"spread days must be positive, got {days}")
    items = list(records)
    first: dict[str, object] = {}
    for r in items:
        if not isinstance(r, InputError) and (label := _gold(r, gold_field)) is not None:
            first[label] = min(first.get(label, r.article.published_at), r.article.published_at)
    if not first:
        return items
    order = sorted(first, key=lambda g: (first[g], g))
    start = first[order[0]]
    shift = {g: start + timedelta(days=days * i) - first[g] for i, g in enumerate(order)}
    out = []
    for r in items:
        label = None if isinstance(r, InputError) else _gold(r, gold_field)
        out.append(r if label is None else
                   replace(r, article=replace(r.article, published_at=r.article.published_at + shift[label])))
    return out


def _gold(rec: Located, field: str) -> str | None:
    value = rec.article.extra.get(field)
    return None if value is None or value == "" else str(value)


def compressed(records: Iterable[Located | InputError], factor: float) -> list[Located | InputError]:
    """The records with the timeline compressed ``factor``-fold towards the earliest article.

    >>> from newsgraph.engine.ingest import Record
    >>> recs = [Record({"id": i, "title": "T", "published_at": d}, "in.jsonl", line=i).check()
    ...         for i, d in enumerate(["2025-04-01T00:00:00Z", "2025-04-07T00:00:00Z"])]
    >>> [r.article.published_at.isoformat() for r in compressed(recs, 6)]
    ['2025-04-01T00:00:00+00:00', '2025-04-02T00:00:00+00:00']
    """
    if factor <= 0:
        raise ValueError(f"compress factor must be positive, got {factor}")
    items = list(records)
    times = [r.article.published_at for r in items if not isinstance(r, InputError)]
    if not times:
        return items
    start = min(times)
    return [r if isinstance(r, InputError) else
            replace(r, article=replace(r.article, published_at=start + (r.article.published_at - start) / factor))
            for r in items]


def _split(items: list, runs: int) -> list[list]:
    """``items`` cut into ``runs`` consecutive parts of near-equal size."""
    size, extra = divmod(len(items), runs)
    parts, at = [], 0
    for i in range(runs):
        n = size + (1 if i < extra else 0)
        parts.append(items[at:at + n])
        at += n
    return parts


def moved_between(a: Mapping[str, str], b: Mapping[str, str]) -> int:
    """How many items are not grouped with exactly the same other items in ``a`` and in ``b``.

    >>> moved_between({"x": "s1", "y": "s1", "z": "s2"}, {"x": "t1", "y": "t2", "z": "t2"})
    3
    >>> moved_between({"x": "s1", "y": "s1"}, {"x": "t", "y": "t"})
    0
    """
    def groups(m: Mapping[str, str]) -> dict[str, frozenset]:
        members: dict[str, set] = {}
        for item, label in m.items():
            members.setdefault(label, set()).add(item)
        frozen = {label: frozenset(v) for label, v in members.items()}
        return {item: frozen[label] for item, label in m.items()}

    ga, gb = groups(a), groups(b)
    return sum(1 for item in ga if ga[item] != gb.get(item))


def _ingest_and_read(parts: list[list], gold_field: str, settings: Settings, extractor, tmp: str, name: str):
    """Ingest each part as its own run into one fresh store; the report and each article's (story, gold label)."""
    store = SQLiteStore(Path(tmp) / f"{name}.db")
    try:
        total = IngestReport()
        start = time.perf_counter()
        for part in parts:
            report = Ingestor(store, settings, extractor=extractor).ingest_records(part)
            total = report if not total.read else _combined(total, report)
        seconds = time.perf_counter() - start
        rows = [(row["id"], row["story_id"], row.get(gold_field)) for row in store.export_articles()]
    finally:
        store.close()
    return total, rows, seconds


def _combined(a: IngestReport, b: IngestReport) -> IngestReport:
    return IngestReport(read=a.read + b.read, stored=a.stored + b.stored, duplicates=a.duplicates + b.duplicates,
                        already_stored=a.already_stored + b.already_stored, rejected=a.rejected + b.rejected,
                        stories_new=a.stories_new + b.stories_new,
                        touched_stories=a.touched_stories | b.touched_stories,
                        problems=a.problems + b.problems, duplicate_notes=a.duplicate_notes + b.duplicate_notes)


def evaluate_stories(paths: Sequence[str], gold_field: str, settings: Settings, *, format: str = "auto",
                     mapping: dict[str, str] | None = None, extractor=None,
                     headline_only: bool = False, jitter_days: float = 0.0, seed: int = 0,
                     compress: float = 1.0, runs: int = 1, spread_days: float = 0.0,
                     day_only_share: float = 0.5) -> StoryEvaluation:
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
    jitter_days, seed : float, int
        Move each article's date later by a seeded random 0..``jitter_days`` days, half of them
        left with a day-only date (see :func:`jittered`); 0 leaves dates alone.
    compress : float
        Compress the timeline this many times (see :func:`compressed`); 1 leaves it alone.
    spread_days : float
        Move each gold story to a time slot of its own, this many days after the previous one's
        (see :func:`spread_out`; a sparse stream of events over years); 0 leaves dates alone.
    day_only_share : float
        Share (0-1) of the articles that ``jitter_days`` leaves with a day-only date.
    runs : int
        Ingest the input in this many consecutive runs into the same store; above 1, a single
        run is ingested too and ``split_moved`` counts the articles the split placed differently.

    Raises
    ------
    ValueError
        When no article carries a gold label.
    """
    if runs < 1:
        raise ValueError(f"runs must be 1 or more, got {runs}")
    records = read_records(paths, format=format, mapping=mapping, max_text_chars=settings.max_text_chars)
    if headline_only:
        records = headlines_only(records)
    timeline = []
    if spread_days:
        records = spread_out(records, spread_days, gold_field)
        timeline.append(f"one story every {spread_days:g} days")
    if compress != 1.0:
        records = compressed(records, compress)
        timeline.append(f"compressed {compress:g}-fold")
    if jitter_days:
        records = jittered(records, jitter_days, seed=seed, day_only_share=day_only_share)
        timeline.append(f"jittered 0-{jitter_days:g} days (seed {seed}, {day_only_share:.0%} day-only)")
    items = list(records)
    if extractor is None and runs > 1:
        # one spaCy model for every run of the comparison, loaded once
        extractor = Ingestor(None, settings).extractor  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory(prefix="newsgraph-eval-") as tmp:
        report, rows, seconds = _ingest_and_read(_split(items, runs), gold_field, settings, extractor, tmp, "eval")
        moved = None
        if runs > 1:
            _, single, _ = _ingest_and_read([items], gold_field, settings, extractor, tmp, "single")
            moved = moved_between({i: s for i, s, _ in rows}, {i: s for i, s, _ in single})
    pred, gold, missing = {}, {}, 0
    for article_id, story_id, label in rows:
        if label is None or label == "":
            missing += 1
            continue
        pred[article_id] = story_id
        gold[article_id] = str(label)
    if not gold:
        raise ValueError(f"no article carries the gold field {gold_field!r}")
    return StoryEvaluation(clustering_scores(pred, gold), report, missing, seconds, headline_only,
                           ", ".join(timeline) or "as given", runs, moved)
