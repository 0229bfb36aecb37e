"""Benchmark: the same slice of a corpus ingested with NER here, and through a local Dask cluster of 1 and 2 workers.

Usage: python scripts/bench_cluster.py ARTICLES.jsonl.gz [--limit N] [--rounds R] [--workers 1 2]

ARTICLES is the Article-Bias-Prediction corpus (as for scripts/bench_ingest.py).
The first N dated articles go, as canonical JSONL, into a fresh embedded store
each time: once with NER in this process, then through a local cluster
(``newsgraph cluster local``: a scheduler and W worker processes of one thread,
the model loaded before the clock starts) for each W. The runs are
interleaved R times (local, 1 worker, 2 workers, local, ...) so that other
load on the machine falls on all of them alike; the best round of each is
reported, with every round's rate.

For each run: articles/s, the seconds this process spent outside NER
(reading, checks, de-duplication, story assignment, store writes: for the
local run, the whole time less NER's; for a cluster run, the whole time less
the time spent waiting for workers), and its share of the run. From the local
run, Amdahl's law gives the number of NER workers at which the owning process
becomes the limit: NER seconds / owner seconds, and the rate there, 1 / owner
seconds per article. All stores of a round are compared: they must be equal.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from abp_store import peak_mib, read_corpus, write_canonical
from newsgraph.engine.config import get_settings
from newsgraph.engine.nlp import EntityExtractor, load_ner
from newsgraph.engine.pipeline import Ingestor
from newsgraph.engine.store.sqlite import SQLiteStore


class TimedExtractor:
    """An extractor that adds up the seconds its caller spends in NER, or waiting for NER's results."""

    def __init__(self, inner: EntityExtractor):
        self.inner = inner
        self.seconds = 0.0

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def extract(self, articles):
        return self.submit(articles).result()

    def submit(self, articles):
        t = time.perf_counter()
        pending = self.inner.submit(articles)
        self.seconds += time.perf_counter() - t
        outer = self

        class Timed:
            def result(self):
                t = time.perf_counter()
                try:
                    return pending.result()
                finally:
                    outer.seconds += time.perf_counter() - t

        return Timed()


def one_run(data: Path, extractor: TimedExtractor, tmp: Path, name: str) -> dict:
    settings = get_settings(nlp_processes=1)
    store = SQLiteStore(tmp / f"{name}.db")
    extractor.seconds = 0.0
    t = time.perf_counter()
    report = Ingestor(store, settings, extractor=extractor).ingest([str(data)], resume=False)
    total = time.perf_counter() - t
    snapshot = (store.stats(), list(store.export_articles()))
    store.close()
    owner = total - extractor.seconds
    return {"rate": report.read / total, "total": total, "ner": extractor.seconds, "owner": owner,
            "share": owner / total, "stored": report.stored, "snapshot": snapshot}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("articles")
    p.add_argument("--limit", type=int, default=400)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    args = p.parse_args()
    from newsgraph.engine.cluster import start_local

    settings = get_settings()
    records = read_corpus(args.articles, args.limit, oldest_first=False)
    n = len(records)
    local = TimedExtractor(EntityExtractor(load_ner(settings.spacy_model), batch_size=settings.nlp_batch_size,
                                           max_chars=settings.nlp_max_chars))
    clusters = {}
    t = time.perf_counter()
    for w in args.workers:
        cluster = start_local(w, settings.spacy_model, settings.nlp_batch_size)
        clusters[w] = TimedExtractor(EntityExtractor(None, batch_size=settings.nlp_batch_size,
                                                     max_chars=settings.nlp_max_chars, cluster=cluster))
    print(f"started {len(clusters)} local cluster(s) in {time.perf_counter() - t:.1f} s (models loaded)")
    runs: dict[str, list[dict]] = {"local": [], **{f"{w} worker(s)": [] for w in args.workers}}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "slice.jsonl"
        write_canonical(records, data)
        local.inner.nlp("warm up")
        for r in range(args.rounds):
            first = None
            for name, ex in [("local", local), *[(f"{w} worker(s)", clusters[w]) for w in args.workers]]:
                run = one_run(data, ex, Path(tmp), f"{name[:1]}-{r}")
                runs[name].append(run)
                print(f"  round {r + 1} {name:>12}: {run['rate']:6.1f} articles/s", flush=True)
                first = first or run["snapshot"]
                assert run["snapshot"] == first, f"{name} stored another graph than the local run"
    for ex in clusters.values():
        ex.inner.cluster.close()
    print(f"\nslice: first {n} dated articles (title + text up to {settings.nlp_max_chars} chars), model "
          f"{settings.spacy_model}, batches of {settings.batch_size}; best of {args.rounds} interleaved round(s)")
    print(f"{'':>12}  {'articles/s':>10}  {'ratio':>6}  {'seconds':>8}  {'owner s':>8}  {'owner share':>11}")
    best = {name: max(rs, key=lambda r: r["rate"]) for name, rs in runs.items()}
    base = best["local"]["rate"]
    for name, run in best.items():
        print(f"{name:>12}  {run['rate']:10.1f}  {run['rate'] / base:6.2f}  {run['total']:8.1f}  "
              f"{run['owner']:8.2f}  {run['share']:11.1%}")
    loc = best["local"]
    per_article_owner = loc["owner"] / n
    print(f"\nlocal run: NER {loc['ner']:.1f} s, everything else {loc['owner']:.2f} s "
          f"({per_article_owner * 1000:.1f} ms per article, serial share {loc['share']:.1%})")
    print(f"Amdahl: the owning process becomes the limit at about {loc['ner'] / loc['owner']:.0f} NER workers "
          f"like this machine's cores, at about {1 / per_article_owner:,.0f} articles/s")
    print(f"peak memory (this process): {peak_mib():.0f} MiB resident")


if __name__ == "__main__":
    main()
