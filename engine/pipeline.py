"""The ingest pipeline: records -> validate + de-duplicate -> NER -> stories -> batched upsert.

:meth:`Ingestor.ingest_records` takes records with their locations, however
they were obtained (a request body, a fetched feed); :meth:`Ingestor.ingest`
reads files into records and hands them over. Bad records are reported with
their location and skipped; they never abort a run or lose the good ones.
Articles already stored are recognised and left alone, so ingesting the same
input twice changes nothing.
"""

from __future__ import annotations

import sys
from collections import deque
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice
from typing import Callable, Iterable, Iterator, Sequence

from newsgraph.engine.config import Settings
from newsgraph.engine.errors import ConfigError, InputError, StoreUnavailable
from newsgraph.engine.ingest import (Deduplicator, Located, Record, content_hash, repeat_verdict,
                                     title_key)
from newsgraph.engine.ingest.feeds import read_feed_body
from newsgraph.engine.ingest.files import FileIdentity
from newsgraph.engine.ingest.fetch import FetchPolicy
from newsgraph.engine.ingest.limits import FieldLimits, cap_fields
from newsgraph.engine.models import Article, Assignment, Entity, Mention, Story
from newsgraph.engine.store.base import GraphStore, StoredArticle
from newsgraph.engine.stories import StoryCandidate, StoryClusterer
from newsgraph.engine.stories.copies import CopyDetector

MAX_REPORTED = 1000  # problems kept in full; beyond that only counted


@dataclass
class IngestReport:
    """What one ingest run did: counts, and the rejected records with their locations."""

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    already_stored: int = 0
    rejected: int = 0
    stories_new: int = 0
    touched_stories: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    duplicate_notes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files_done: list[str] = field(default_factory=list)
    "Input files read to their end in this run, every batch stored, and entered in the store's ingest ledger."
    files_skipped: list[str] = field(default_factory=list)
    "Input files skipped because the ledger holds them (a run before this one stored them whole)."
    stories_summarized: int = 0
    "Stories whose key points and sides this run computed and stored (engine.story_sections)."
    records_expected: int | None = None
    "Records the files to read hold, counted before reading (lines), when every file can be counted."

    def note(self, notes: Iterable[str]) -> None:
        """Record what was changed on the way in (a field cut to its cap), with the record's location."""
        for n in notes:
            if len(self.notes) < MAX_REPORTED:
                self.notes.append(n)

    def reject(self, error: InputError) -> None:
        self.rejected += 1
        if len(self.problems) < MAX_REPORTED:
            self.problems.append(error.location_text())

    def duplicate(self, where: str, reason: str) -> None:
        self.duplicates += 1
        if len(self.duplicate_notes) < MAX_REPORTED:
            self.duplicate_notes.append(f"{where}: {reason}")

    @property
    def stories_touched(self) -> int:
        return len(self.touched_stories)

    def to_dict(self) -> dict:
        return {
            "read": self.read,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "already_stored": self.already_stored,
            "rejected": self.rejected,
            "stories_new": self.stories_new,
            "stories_touched": self.stories_touched,
            "stories_summarized": self.stories_summarized,
            "problems": self.problems,
            "duplicate_notes": self.duplicate_notes,
            "notes": self.notes,
            "files_done": self.files_done,
            "files_skipped": self.files_skipped,
        }


def story_clusterer(settings: Settings) -> StoryClusterer:
    """A story clusterer with the settings' window, threshold, idf prior and busy rate."""
    return StoryClusterer(window_hours=settings.story_window_hours, threshold=settings.story_threshold,
                          idf_prior=settings.story_idf_prior, busy_rate=settings.story_busy_rate)


def _checked(item: Record | Located | InputError, limits: FieldLimits) -> Located | InputError:
    """A record validated into an article within the field limits, or its error."""
    if isinstance(item, Record):
        try:
            # not cut here: cap_fields cuts the text and notes that it did
            item = item.check(max_text_chars=sys.maxsize)
        except InputError as e:
            return e
    if isinstance(item, InputError):
        return item
    if not isinstance(item, Located):
        raise TypeError(f"ingest_records takes Record, Located or InputError items, not {type(item).__name__}")
    return cap_fields(item, limits)


def _failure(stage: str, error: Exception) -> str:
    # one line whatever the library's message looked like, and short enough to read in a report
    text = " ".join(str(error).split())
    return f"failed in {stage}: {type(error).__name__}: {text[:300]}"


@dataclass
class _Batch:
    """One batch between its start (checked, de-duplicated, NER sent) and its end (stored)."""

    new: list  # (article, record, title key) of the articles to store
    given: dict  # article id -> entities the reader gave
    pending: object | None  # NER running, ``result()`` waits for it
    ends: list  # FileIdentity of the file whose last record is in this batch
    read: int  # records read up to the end of this batch


class _FileEnd:
    """Marks, in a stream of records, that the file ``identity`` has no more records."""

    def __init__(self, identity: FileIdentity):
        self.identity = identity


def _with_file_ends(readers: list) -> Iterator:
    """The records of each ``(path, identity, records)`` in turn, each file followed by its :class:`_FileEnd`."""
    for _, identity, records in readers:
        yield from records
        if identity is not None:
            yield _FileEnd(identity)


def _batches(items: Iterable, size: int) -> Iterator[tuple[list, list[FileIdentity]]]:
    """``(records, files ended)`` batches of at most ``size`` records. A batch never spans two files: a
    file's last batch ends with it, so a run started again over the same files cuts the same batches."""
    chunk: list = []
    for item in items:
        if isinstance(item, _FileEnd):
            yield chunk, [item.identity]
            chunk = []
            continue
        chunk.append(item)
        if len(chunk) == size:
            yield chunk, []
            chunk = []
    if chunk:
        yield chunk, []


def _given(article: Article, given: dict) -> object:
    from newsgraph.engine.nlp.extract import given_entities

    return given_entities(article, given[article.id])


class _Extracted:
    """An extractor's answer for articles, computed when asked for (an extractor without ``submit``)."""

    def __init__(self, extractor, articles: list[Article]):
        self._extractor, self._articles = extractor, articles

    def result(self) -> list:
        return self._extractor.extract(self._articles)


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class Ingestor:
    """Runs the pipeline into one store.

    Parameters
    ----------
    store : GraphStore
        Where the graph is written.
    settings : Settings
        Batch sizes, NER model, story window and threshold.
    extractor : EntityExtractor, optional
        Built from ``settings.spacy_model`` on first use when not given.
    on_progress : callable, optional
        Called with the number of records read so far after each batch.
    """

    def __init__(self, store: GraphStore, settings: Settings, *, extractor=None,
                 on_progress: Callable[[int], None] | None = None):
        self.store = store
        self.settings = settings
        self._extractor = extractor
        self.on_progress = on_progress
        self._owns_extractor = False
        self._flight: int | None = None
        self.expected: int | None = None
        "Records the current :meth:`ingest` expects to read (for a progress bar's time remaining), when known."
        self._stories_from_store = False
        self._unsummarized: set[str] = set()  # stories changed since their key points were last stored
        self._moved: list[tuple[Assignment, object]] = []  # stored articles the latest batch moved
        self._left: set[str] = set()  # the stories they left
        self.clusterer = story_clusterer(settings)
        self.copies = CopyDetector(window_hours=settings.story_window_hours, threshold=settings.copy_threshold,
                                   min_words=settings.copy_min_words)

    @property
    def extractor(self):
        if self._extractor is None:
            from newsgraph.engine.cluster import ner_extractor

            self._extractor = ner_extractor(self.settings)
            self._owns_extractor = True
        return self._extractor

    def close(self) -> None:
        """Stop the NER workers or leave the cluster, when this ingestor started or joined them."""
        if self._extractor is not None and self._owns_extractor:
            self._extractor.close()
            self._extractor = None

    def _in_flight(self) -> int:
        """Batches whose NER may run ahead of the one being stored: 0 when NER runs in this process."""
        extractor = self._extractor
        if extractor is None or not getattr(extractor, "parallel", False):
            return 0
        if self._flight is None:
            # the workers there are when the run starts
            self._flight = self.settings.cluster_batches_in_flight or max(2, 2 * extractor.cluster.workers)
        return self._flight

    def ingest(self, paths: Sequence[str], *, format: str = "auto", mapping: dict[str, str] | None = None,
               resume: bool = True) -> IngestReport:
        """Ingest every record of ``paths``; file-level problems raise :class:`InputError` before anything is read.

        ``paths`` may name folders, glob patterns and ``@LIST`` files (see
        :func:`~engine.ingest.files.expand_inputs`). Each file read to its end,
        with every batch of it stored, is entered in the store's ingest ledger
        under its size and content hash; with ``resume`` a later run skips the
        files entered there, so a run cut off re-reads only the file it was in.
        """
        from newsgraph.engine.ingest.files import expand_inputs, file_identity
        from newsgraph.engine.ingest.readers import read_articles

        report = IngestReport()
        files = expand_inputs(paths, format=format)
        identities = {f: file_identity(f) for f in files if not isinstance(f, str)}
        done = self.store.ingested_files([i.key for i in identities.values()]) if resume and identities else {}
        readers = []
        for f in files:
            ident = identities.get(f)
            if ident is not None and ident.key in done:
                report.files_skipped.append(str(f))
                continue
            readers.append((f, ident, read_articles(f, format=format, mapping=mapping,
                                                    max_text_chars=self.settings.max_text_chars,
                                                    fetch_policy=FetchPolicy.of(self.settings))))
        if all(i is not None and i.records is not None for _, i, _ in readers):
            report.records_expected = sum(i.records for _, i, _ in readers)
        self.expected = report.records_expected
        self._stories_from_store = True
        try:
            return self.ingest_records(_with_file_ends(readers), report=report)
        finally:
            self._stories_from_store = False

    def ingest_feed(self, feed: str, body: bytes) -> IngestReport:
        """Ingest one fetched feed document (RSS/Atom, or an OPML list under the fetch policy's bounds);
        problems are located as ``FEED:N``, N the entry's position."""
        return self.ingest_records(read_feed_body(body, feed, policy=FetchPolicy.of(self.settings)))

    def ingest_records(self, records: Iterable[Record | Located | InputError], *,
                       report: IngestReport | None = None) -> IngestReport:
        """Ingest records that carry their own locations: validate, de-duplicate, NER, stories, batched upserts.

        Parameters
        ----------
        records : iterable of Record, Located or InputError
            A :class:`~engine.ingest.Record` holds fields not yet checked (an
            API request's article, say ``articles[3]``); a ``Located`` is an
            article a reader has checked (with ``entities`` when the source
            names them); an ``InputError`` is a record a reader could not
            parse. Read lazily, one batch at a time.

        Returns
        -------
        IngestReport
            Counts, and every rejected record and duplicate named by its location.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from newsgraph.engine.config import get_settings
        >>> from newsgraph.engine.store.sqlite import SQLiteStore
        >>> from newsgraph.engine.nlp.extract import ArticleEntities
        >>> class NoEntities:  # stands in for spaCy, which this example need not load
        ...     def extract(self, articles):
        ...         return [ArticleEntities(a.id, (), ()) for a in articles]
        >>> store = SQLiteStore(pathlib.Path(tempfile.mkdtemp()) / "g.db")
        >>> records = [Record({"url": "https://cnn.com/a", "title": "Lava reaches Grindavik",
        ...                    "published_at": "2025-04-09T06:00:00Z"}, "articles", index=0),
        ...            Record({"url": "https://cnn.com/b", "published_at": "2025-04-09"}, "articles", index=1)]
        >>> ingestor = Ingestor(store, get_settings(), extractor=NoEntities())
        >>> report = ingestor.ingest_records(records)
        >>> report.stored, report.problems
        (1, ['articles[1]: missing required field title'])
        >>> ingestor.ingest_records(records).already_stored
        1
        >>> store.close()
        """
        report = report if report is not None else IngestReport()
        dedup = Deduplicator()
        limit = FieldLimits.of(self.settings)
        # NER of the next batches runs on workers while this process stores the earliest one; everything
        # else happens here, batch after batch in input order, so the result is the same as without workers
        waiting: deque[_Batch] = deque()
        finished = 0
        every = self.settings.summary_every_batches
        for chunk, ends in _batches(records, self.settings.batch_size):
            waiting.append(self._start_batch([_checked(r, limit) for r in chunk], ends, dedup, report))
            while len(waiting) > self._in_flight():
                self._finish_batch(waiting.popleft(), report)
                finished += 1
                if every > 0 and finished % every == 0:
                    self._summarize(report)  # a long run: its stories' key points so far, once each
        while waiting:
            self._finish_batch(waiting.popleft(), report)
        self._summarize(report)
        return report

    def _summarize(self, report: IngestReport) -> None:
        """Compute and store the key points and sides of the stories changed since the last time."""
        from newsgraph.engine.story_sections import summarize_stories

        if not self._unsummarized:
            return
        ids, self._unsummarized = self._unsummarized, set()
        done = summarize_stories(self.store, ids)
        report.stories_summarized += done.computed
        report.note(f"story {line} (key points computed when the story is shown)" for line in done.failed)

    # -- one batch ------------------------------------------------------
    def _start_batch(self, chunk: list[Located | InputError], ends: list[FileIdentity], dedup: Deduplicator,
                     report: IngestReport) -> "_Batch":
        """Check, de-duplicate and look up ``chunk``, and start NER of its new articles."""
        new, given = self._new_articles(chunk, dedup, report)
        pending = None
        if new:
            needs_ner = [a for a, _, _ in new if a.id not in given]
            if needs_ner:
                extractor = self.extractor
                pending = (extractor.submit(needs_ner) if hasattr(extractor, "submit")
                           else _Extracted(extractor, needs_ner))
        return _Batch(new, given, pending, ends, report.read)

    def _finish_batch(self, batch: "_Batch", report: IngestReport) -> None:
        """Wait for ``batch``'s NER, place its articles in stories and store them; then enter its finished files."""
        if batch.new:
            first = batch.new

            def entities(part: list) -> list:
                if part is first and batch.pending is not None:
                    by_id = {ae.article_id: ae for ae in batch.pending.result()}
                    return [by_id.get(a.id) or _given(a, batch.given) for a, _, _ in part]
                return self._entities([a for a, _, _ in part], batch.given)

            found = self._isolated("entities", batch.new, entities, report)
            kept = [(item, ae) for item, ae in zip(batch.new, found) if ae is not None]
            if kept:
                self._land(kept, report)
        for ident in batch.ends:
            self.store.record_ingested_file(ident.key, ident.path, ident.size, ident.records)
            report.files_done.append(ident.path)
        if self.on_progress:
            self.on_progress(batch.read)

    def _new_articles(self, chunk: list[Located | InputError], dedup: Deduplicator, report: IngestReport):
        """The articles of ``chunk`` not seen before in this run nor in the store, and the entities readers gave."""
        fresh: list[tuple[Article, Located, str]] = []  # article, its record, title key
        given: dict[str, tuple] = {}  # article id -> entities the reader gave (GKG)
        for rec in chunk:
            report.read += 1
            if isinstance(rec, InputError):
                report.reject(rec)
                continue
            report.note(rec.notes)
            verdict = dedup.check(rec.article, rec.location)
            if verdict is not None:
                if verdict.conflict:
                    report.reject(rec.error(verdict.reason))
                else:
                    report.duplicate(rec.location, verdict.reason)
                continue
            fresh.append((rec.article, rec, title_key(rec.article)))
            if rec.entities is not None:
                given[rec.article.id] = rec.entities
        if not fresh:
            return [], given
        return self._drop_stored(fresh, report), given

    def _isolated(self, stage: str, items: list, work: Callable[[list], list | None], report: IngestReport, *,
                  record: Callable = lambda item: item[1]) -> list:
        """``work(items)``; when it fails, ``work`` of each item alone, rejecting the ones that still fail.

        One record that NER or the store cannot take (a value past a limit
        nobody foresaw) must not cost the batch its good records. Errors
        that are no record's fault (the store is down, a setting is wrong)
        raise as they are, and so does a failure of every record alone:
        then the batch was not the problem. Returns ``work``'s results, one
        per item (``True`` where ``work`` returns nothing), ``None`` for a rejected one.
        """
        try:
            return list(work(items) or [True] * len(items))
        except (StoreUnavailable, ConfigError):
            raise
        except Exception as e:  # noqa: BLE001 - whatever it was, it is retried record by record below
            if len(items) == 1:
                report.reject(record(items[0]).error(_failure(stage, e)))
                return [None]
            first = e
        out, failed = [], []
        for item in items:
            try:
                out.append((work([item]) or [True])[0])
            except (StoreUnavailable, ConfigError):
                raise
            except Exception as e:  # noqa: BLE001 - this record alone fails: it is the bad one
                failed.append((item, e))
                out.append(None)
        if len(failed) == len(items):
            raise first
        for item, e in failed:
            report.reject(record(item).error(_failure(stage, e)))
        return out

    def _land(self, part: list[tuple[tuple[Article, Located, str], object]], report: IngestReport) -> None:
        """Place ``part``'s articles in stories, then write them; a record the store refuses is rejected alone."""
        new = [item for item, _ in part]
        articles = [a for a, _, _ in new]
        entities: dict[str, Entity] = {}
        mentions: list[Mention] = []
        for _, ae in part:
            for e in ae.entities:
                entities.setdefault(e.id, e)
            mentions.extend(ae.mentions)
        entity_ids = {ae.article_id: tuple(m.entity_id for m in ae.mentions) for _, ae in part}
        # stories are placed once for the whole batch: a retry of one record writes the placement it already had
        assignments = self._assign(articles, entity_ids)
        moved, moved_stories = self._moved, self._moved_stories()
        entities, mentions = self._join_surnames(entities, mentions, assignments)
        stories = {s.id: s for s in self._stories(articles, assignments)}
        known = set(self.store.story_titles(list(stories)))
        story_of = {asg.article_id: asg for asg in assignments}
        mentions_of: dict[str, list[Mention]] = {}
        for m in mentions:
            mentions_of.setdefault(m.article_id, []).append(m)
        rows = [(item, mentions_of.get(item[0].id, []), story_of[item[0].id]) for item in new]
        copies, copies_landed = self.copies.plan(self.store, articles), set()  # wire copies, found once per batch
        wrote = 0  # articles the store says this run wrote, counted inside its write transactions

        def write(sub: list) -> None:
            nonlocal wrote
            sub_mentions = [m for _, ms, _ in sub for m in ms]
            sub_assignments = [asg for _, _, asg in sub]
            sub_ids = {asg.story_id for asg in sub_assignments}
            sub_stories = [story for sid, story in stories.items() if sid in sub_ids]
            b = self.settings.batch_size
            # the whole batch writes every entity; one record alone writes those it mentions
            wanted = entities.keys() if len(sub) == len(rows) else {m.entity_id for m in sub_mentions}
            # one unit where the store allows: an article counted as stored has its mentions and story too
            with self.store.atomic():
                for chunk in _chunks((e for eid, e in entities.items() if eid in wanted), b):
                    self.store.upsert_entities(chunk)
                for chunk in _chunks((StoredArticle(a, key, content_hash(a)) for (a, _, key), _, _ in sub), b):
                    wrote += self.store.upsert_articles(chunk)
                for chunk in _chunks(sub_mentions, b * 10):
                    self.store.upsert_mentions(chunk)
                copies.write(self.store, [a.id for (a, _, _), _, _ in sub], copies_landed)
                self.store.upsert_stories(sub_stories, sub_assignments)
                self.store.refresh_derived(s.id for s in sub_stories)
                if moved:  # stored articles the batch placed again elsewhere (the same writes each time)
                    self.store.upsert_stories(moved_stories, [asg for asg, _ in moved])
                    self.store.refresh_derived({s.id for s in moved_stories} | self._left)

        landed = self._isolated("storage", rows, write, report, record=lambda row: row[0][1])
        written = [row for row, ok in zip(rows, landed) if ok is not None]
        # an article another run wrote after this one looked is that run's: already stored here
        # (a chunk written before its batch failed can count a record rejected later, hence the min)
        wrote = min(wrote, len(written))
        report.stored += wrote
        report.already_stored += len(written) - wrote
        # counted from what landed: a story only a rejected record started is not a story of this run
        landed_stories = {row[2].story_id for row in written}
        report.stories_new += len(landed_stories - known)
        report.touched_stories.update(landed_stories)
        self._unsummarized.update(landed_stories)
        if moved and written:  # the stories stored articles moved into or out of changed too
            self._unsummarized.update({s.id for s in moved_stories} | self._left)

    def _entities(self, articles: list[Article], given: dict[str, tuple]) -> list:
        """NER for articles read with text; the reader's own entities, canonicalised, for the rest."""
        from newsgraph.engine.nlp.extract import given_entities

        by_id = {}
        needs_ner = [a for a in articles if a.id not in given]
        if needs_ner:  # the spaCy model is loaded only when some article needs it
            by_id = {ae.article_id: ae for ae in self.extractor.extract(needs_ner)}
        return [by_id[a.id] if a.id not in given else given_entities(a, given[a.id]) for a in articles]

    def _join_surnames(self, entities: dict[str, Entity], mentions: list[Mention],
                       assignments: list[Assignment]) -> tuple[dict[str, Entity], list[Mention]]:
        """Story-level pass: a surname alone joins the full name its story holds ("Aleksa" -> "Karolis Aleksa")."""
        from newsgraph.engine.nlp.canonical import join_surnames

        story_of = {a.article_id: a.story_id for a in assignments}
        return join_surnames(entities, mentions, story_of, self.clusterer.story_entities)

    def _drop_stored(self, fresh, report: IngestReport):
        stored = self.store.existing_articles([a.id for a, _, _ in fresh])
        by_title = self.store.existing_title_keys([k for _, _, k in fresh if k])
        new = []
        for a, rec, key in fresh:
            if a.id in stored:
                if stored[a.id] == content_hash(a):
                    report.already_stored += 1
                    continue
                verdict = repeat_verdict(a, False, "an article already stored")
                if verdict.conflict:
                    report.reject(rec.error(verdict.reason))
                else:
                    report.duplicate(rec.location, verdict.reason)
            elif key and key in by_title and by_title[key] != a.id:
                report.duplicate(rec.location, f"same outlet, title and day as stored article {by_title[key]}")
            else:
                new.append((a, rec, key))
        return new

    def _assign(self, articles: list[Article], entity_ids: dict[str, tuple[str, ...]]) -> list[Assignment]:
        window = timedelta(hours=self.settings.story_window_hours)
        if self._stories_from_store:
            # a resumable run: each batch's stories come from the store alone, not from what this process
            # remembers of earlier batches, so a run started again after a cut places them the same way
            self.clusterer = story_clusterer(self.settings)
        lo = self.clusterer.history_start(min(a.published_at for a in articles))
        hi = max(a.published_at for a in articles) + window
        # stored stories near this batch's dates, so later articles extend them, and the days
        # before it, whose articles weigh the terms; the clusterer skips articles it already
        # holds, and re-learns stories it evicted
        rows = list(self.store.cluster_rows(lo, hi))
        batch = [
            StoryCandidate(a.id, a.title, a.lead, a.published_at, entity_ids.get(a.id, ()), a.outlet_id, a.text)
            for a in articles
        ]
        # stored articles dated after this batch's earliest were placed without it: they are placed
        # again with the batch, in time order, as one run over the same input would have placed them
        first = min((a.published_at, a.id) for a in articles)
        ids = {a.id for a in articles}
        late = [r for r in rows if (r.published_at, r.article_id) > first and r.article_id not in ids]
        self._moved, self._left = [], set()
        if late:
            self.clusterer = story_clusterer(self.settings)
            earlier = self.clusterer.history_start(min(a.published_at for a in articles))
            if earlier < lo:  # the week before the stored articles it is seeded with; [lo, hi] is read already
                rows = [r for r in self.store.cluster_rows(earlier, lo) if r.published_at < lo] + rows
            rows = [r for r in rows if (r.published_at, r.article_id) <= first or r.article_id in ids]
            batch += [StoryCandidate(r.article_id, r.title, r.lead, r.published_at, r.entity_ids, r.outlet_id, r.text)
                      for r in late]
        self.clusterer.seed(
            (StoryCandidate(r.article_id, r.title, r.lead, r.published_at, r.entity_ids, r.outlet_id, r.text), r.story_id)
            for r in rows
        )
        placed = self.clusterer.assign(batch)
        for r, asg in zip(late, placed[len(articles):]):
            if asg.story_id != r.story_id:
                self._moved.append((asg, r.published_at))
                self._left.add(r.story_id)
        return placed[:len(articles)]

    def _moved_stories(self) -> list[Story]:
        """The stories stored articles moved into, and those they left that keep other articles (a new
        representative title, maybe); a story left empty is dropped by the store's refresh."""
        from newsgraph.engine.errors import NotFound

        touched: dict[str, list] = {}
        for asg, when in self._moved:
            touched.setdefault(asg.story_id, []).append(when)
        for sid in self._left - touched.keys():  # the clusterer holds those that kept an article
            touched[sid] = [when for _, when in self._moved]
        out = []
        for sid, ts in sorted(touched.items()):
            try:
                title = self.clusterer.representative_title(sid)
            except NotFound:
                continue
            # counts and dates are placeholders here: refresh_derived recomputes them from PART_OF
            out.append(Story(sid, title, min(ts), max(ts), len(ts), 0))
        return out

    def _stories(self, articles: list[Article], assignments: list[Assignment]) -> list[Story]:
        when = {a.id: a.published_at for a in articles}
        touched: dict[str, list] = {}
        for asg in assignments:
            touched.setdefault(asg.story_id, []).append(when[asg.article_id])
        # counts and dates are placeholders here: refresh_derived recomputes them from PART_OF
        return [
            Story(sid, self.clusterer.representative_title(sid), min(ts), max(ts), len(ts), 0)
            for sid, ts in sorted(touched.items())
        ]

