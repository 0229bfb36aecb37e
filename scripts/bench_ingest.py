"""Benchmark: end-to-end ingest rate against the raw spaCy NER rate on the same texts, and story assignment alone.

Usage: python scripts/bench_ingest.py ARTICLES.jsonl.gz [--limit N] [--processes P] [--assign-sizes N ...]
                                  [--growth-from STORE_URL]

ARTICLES is the Article-Bias-Prediction corpus (Baly et al., EMNLP 2020;
one JSON article per line with title, url, date, source, content_original).
The first N articles with a usable date are converted to canonical JSONL and
ingested into a fresh embedded store with NER in P processes; the same
titles and texts go through ``nlp.pipe`` alone with the same number of
processes (spaCy's own ``n_process``). The ratio says how much our code adds
on top of NER.

Story assignment alone runs the clusterer, without NER or store, over the
oldest articles of the corpus in date order (batches of 500, entities taken
from a cheap capitalised-word stand-in, since NER is not what is measured),
at each of ``--assign-sizes``: its rate should stay flat as the corpus
grows. It is timed in CPU seconds so that other jobs on the machine do not
count.

``--growth-from`` shows how the cost of our own code grows from 1k to the
whole corpus: the corpus is ingested oldest first into a fresh store with
each article's entities taken from STORE (one already built from the same
corpus, see scripts/abp_store.py) instead of NER, so every figure is the
pipeline's and the store's cost alone, per stretch of 1,000 articles.

Peak memory (resident, whole process) is printed at the end.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from abp_store import peak_mib, read_corpus, write_canonical
from newsgraph.engine.config import get_settings
from newsgraph.engine.cluster import ner_extractor
from newsgraph.engine.pipeline import Ingestor
from newsgraph.engine.store.sqlite import SQLiteStore
from newsgraph.engine.stories.clusterer import StoryCandidate, StoryClusterer


def bench_ingest(records: list[dict], processes: int) -> None:
    settings = get_settings(nlp_processes=processes)
    extractor = ner_extractor(settings, processes=processes)  # above 1: a local Dask cluster of P workers
    nlp = extractor.nlp
    n = len(records)
    texts = []
    for rec in records:
        texts += [rec["title"], (rec.get("content_original") or "")[: settings.nlp_max_chars]]
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "slice.jsonl"
        write_canonical(records, data)
        nlp("warm up")
        t = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=settings.nlp_batch_size, n_process=processes):
            pass
        raw = time.perf_counter() - t
        store = SQLiteStore(Path(tmp) / "bench.db")
        t = time.perf_counter()
        report = Ingestor(store, settings, extractor=extractor).ingest([str(data)])
        e2e = time.perf_counter() - t
        t = time.perf_counter()
        again = Ingestor(store, settings, extractor=extractor).ingest([str(data)])
        rerun = time.perf_counter() - t
        store.close()
        extractor.close()
    print(f"slice: first {n} dated articles (title + text up to {settings.nlp_max_chars} chars), "
          f"model {settings.spacy_model}, {processes} process(es)")
    print(f"raw spaCy nlp.pipe : {n / raw:8.1f} articles/s ({raw:.1f} s)")
    print(f"newsgraph ingest   : {n / e2e:8.1f} articles/s ({e2e:.1f} s, worker start-up included; stored "
          f"{report.stored}, duplicates {report.duplicates}, rejected {report.rejected})")
    print(f"ratio ingest/raw   : {raw / e2e:8.2f}  (1.00 = our code adds nothing to NER)")
    print(f"re-ingest (no-op)  : {n / rerun:8.1f} articles/s ({rerun:.2f} s; already stored {again.already_stored})")


_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)*")


def stand_in_entities(title: str) -> tuple[str, ...]:
    """Capitalised word runs of a title as entity ids: cheap, and as many per article as NER finds."""
    return tuple(f"x:{m.group(0).lower()}" for m in _NAME.finditer(title))


def bench_assign(records: list[dict], sizes: list[int], window_hours: float, threshold: float) -> None:
    print(f"story assignment alone, oldest first, batches of 500, window {window_hours:g} h:")
    for size in sizes:
        cands = []
        for rec in records[:size]:
            when = datetime.fromisoformat(rec["date"]).replace(tzinfo=timezone.utc)
            cands.append(StoryCandidate(rec["ID"], rec["title"], None, when, stand_in_entities(rec["title"]),
                                        rec.get("source"), rec.get("content_original") or ""))
        clusterer = StoryClusterer(window_hours=window_hours, threshold=threshold)
        stories: set[str] = set()
        t = time.process_time()
        for i in range(0, len(cands), 500):
            stories.update(a.story_id for a in clusterer.assign(cands[i:i + 500]))
        cpu = time.process_time() - t
        print(f"  {len(cands):>6} articles: {len(cands) / cpu:8.0f} articles/s (CPU {cpu:.1f} s), "
              f"{len(stories)} stories")


class StoredEntities:
    """An extractor that answers with the entities a built store holds for each article."""

    def __init__(self, store_url: str):
        from newsgraph.engine.models import Entity, Mention
        from newsgraph.engine.nlp.extract import ArticleEntities
        from newsgraph.engine.store import open_store

        found: dict[str, tuple[dict, list]] = {}
        store = open_store(store_url)
        for r in store.mention_rows():
            entities, mentions = found.setdefault(r.article_id, ({}, []))
            entities[r.entity_id] = Entity(r.entity_id, r.entity_name, r.entity_type)
            mentions.append(Mention(r.article_id, r.entity_id))
        store.close()
        self._empty = ArticleEntities
        self.found = {a: ArticleEntities(a, tuple(e.values()), tuple(m)) for a, (e, m) in found.items()}

    def extract(self, articles) -> list:
        return [self.found.get(a.id) or self._empty(a.id, (), ()) for a in articles]


def bench_growth(records: list[dict], store_url: str, every: int = 1000) -> None:
    settings = get_settings()
    extractor = StoredEntities(store_url)
    print(f"growth: {len(records)} articles oldest first, entities of {len(extractor.found)} articles from the "
          f"built store, batches of {settings.batch_size}")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "all.jsonl"
        write_canonical(records, data)
        store = SQLiteStore(Path(tmp) / "growth.db")
        marks = {"n": 0, "t": time.perf_counter()}
        start = marks["t"]

        def progress(read: int) -> None:
            if read - marks["n"] < every and read < len(records):
                return
            now = time.perf_counter()
            print(f"  {read:>6} articles  last stretch {(read - marks['n']) / (now - marks['t']):7.0f}/s  "
                  f"so far {read / (now - start):7.0f}/s  peak {peak_mib():6.0f} MiB", flush=True)
            marks["n"], marks["t"] = read, now

        report = Ingestor(store, settings, extractor=extractor, on_progress=progress).ingest([str(data)])
        store.close()
    print(f"  stored {report.stored}, rejected {report.rejected}, duplicates {report.duplicates}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("articles")
    p.add_argument("--limit", type=int, default=500, help="Articles for the ingest comparison (0 skips it).")
    p.add_argument("--processes", type=int, default=1, help="NER processes, for both sides of the comparison.")
    p.add_argument("--assign-sizes", type=int, nargs="*", default=[],
                   help="Corpus sizes for story assignment alone, e.g. 1000 10000 37000.")
    p.add_argument("--growth-from", metavar="STORE_URL",
                   help="A store built from the same corpus: re-ingest it all with those entities, timing our code.")
    args = p.parse_args()
    if args.limit:
        bench_ingest(read_corpus(args.articles, args.limit, oldest_first=False), args.processes)
    if args.assign_sizes:
        settings = get_settings()
        records = read_corpus(args.articles, max(args.assign_sizes))
        bench_assign(records, args.assign_sizes, settings.story_window_hours, settings.story_threshold)
    if args.growth_from:
        bench_growth(read_corpus(args.articles), args.growth_from)
    print(f"peak memory: {peak_mib():.0f} MiB resident")


if __name__ == "__main__":
    main()
