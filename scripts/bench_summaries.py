"""Benchmark: what computing and storing the stories' key points and sides adds to an ingest.

Usage: python scripts/bench_summaries.py ARTICLES.jsonl.gz [--limit N] [--rounds R] [--every B]

ARTICLES is the Article-Bias-Prediction corpus (one JSON article per line with
title, url, date, source, content_original). The N oldest dated articles are
ingested into a fresh embedded store twice per round, interleaved (the order
alternates between rounds): once as ingest was before stored summaries (the
summary step switched off), once as it is (every ``--every`` batches and at the
end, the key points and sides of the stories the run changed are computed and
stored). Entities come from a cheap capitalised-word stand-in instead of spaCy,
since NER is not what is measured: the figures are the pipeline's and the
store's own cost, and with NER (100-400 ms an article on two cores) the share
the summaries add is smaller (``--ner`` runs spaCy in this process to show it). Times are
wall-clock on whatever else the machine runs.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from abp_store import read_corpus, write_canonical
from bench_ingest import stand_in_entities
from newsgraph.engine.config import get_settings
from newsgraph.engine.models import Entity, Mention
from newsgraph.engine.nlp.extract import ArticleEntities
from newsgraph.engine.pipeline import Ingestor
from newsgraph.engine.store.sqlite import SQLiteStore


class StandIn:
    """Capitalised word runs of the title as entities: about as many as NER finds, at no cost."""

    def extract(self, articles):
        out = []
        for a in articles:
            ids = dict.fromkeys(stand_in_entities(a.title))
            out.append(ArticleEntities(a.id, tuple(Entity(i, i[2:].title(), "ORG") for i in ids),
                                       tuple(Mention(a.id, i) for i in ids)))
        return out


def run(data: Path, tmp: Path, summaries: bool, every: int, extractor) -> dict:
    settings = get_settings(summary_every_batches=every)
    store = SQLiteStore(tmp / f"bench-{time.monotonic_ns()}.db")
    ingestor = Ingestor(store, settings, extractor=extractor)
    spent = {"s": 0.0}
    real = ingestor._summarize

    def timed(report):
        t = time.perf_counter()
        real(report)
        spent["s"] += time.perf_counter() - t

    ingestor._summarize = timed if summaries else (lambda report: None)
    t = time.perf_counter()
    report = ingestor.ingest([str(data)])
    total = time.perf_counter() - t
    stored = sum(1 for _ in store.iter_story_summaries())
    store.close()
    return {"total": total, "summarize": spent["s"], "stored": report.stored, "stories": len(report.touched_stories),
            "summarized": report.stories_summarized, "summaries_kept": stored}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("articles", help="Article-Bias-Prediction articles.jsonl.gz")
    ap.add_argument("--limit", type=int, default=3000, help="The N oldest dated articles.")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--every", type=int, default=get_settings().summary_every_batches,
                    help="NEWSGRAPH_SUMMARY_EVERY_BATCHES for the run with summaries.")
    ap.add_argument("--ner", action="store_true", help="Real spaCy NER in this process instead of the stand-in.")
    args = ap.parse_args()
    if args.ner:
        from newsgraph.engine.nlp import EntityExtractor, load_ner

        settings = get_settings()
        extractor = EntityExtractor(load_ner(settings.spacy_model), batch_size=settings.nlp_batch_size)
    else:
        extractor = StandIn()
    records = read_corpus(args.articles, args.limit)
    n = len(records)
    print(f"{n} oldest dated articles, batches of {get_settings().batch_size}, summaries every {args.every} "
          f"batches and at the end; " + ("spaCy NER in this process" if args.ner else "stand-in entities (no NER)"))
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "slice.jsonl"
        write_canonical(records, data)
        for r in range(args.rounds):
            order = (False, True) if r % 2 == 0 else (True, False)
            res = {s: run(data, Path(tmp), s, args.every, extractor) for s in order}
            off, on = res[False], res[True]
            print(f"round {r + 1}: before {1000 * off['total'] / n:6.2f} ms/article ({off['total']:.1f} s), "
                  f"with summaries {1000 * on['total'] / n:6.2f} ms/article ({on['total']:.1f} s), "
                  f"ratio {on['total'] / off['total']:.2f}; summary step {on['summarize']:.1f} s for "
                  f"{on['summarized']} computations of {on['stories']} stories "
                  f"({1000 * on['summarize'] / max(1, on['summarized']):.1f} ms each), "
                  f"{on['summaries_kept']} stored (before: {off['summaries_kept']})")


if __name__ == "__main__":
    main()
