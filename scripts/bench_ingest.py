"""Benchmark: end-to-end ingest rate against the raw spaCy NER rate on the same texts.

Usage: python scripts/bench_ingest.py ARTICLES.jsonl.gz [--limit N]

ARTICLES is the Article-Bias-Prediction corpus (Baly et al., EMNLP 2020;
one JSON article per line with title, url, date, source, content_original).
The first N articles with a usable date are converted to canonical JSONL and
ingested into a fresh embedded store; the same titles and texts go through
``nlp.pipe`` alone. The ratio says how much our code adds on top of NER.
"""

from __future__ import annotations

import argparse
import gzip
import json
import tempfile
import time
from pathlib import Path

from engine.config import get_settings
from engine.nlp import EntityExtractor, load_ner
from engine.pipeline import Ingestor
from engine.store.sqlite import SQLiteStore


def canonical_slice(src: str, limit: int, dest: Path) -> int:
    n = 0
    with gzip.open(src, "rt", encoding="utf-8") as f, dest.open("w", encoding="utf-8") as out:
        for line in f:
            rec = json.loads(line)
            if not rec.get("date") or not rec.get("title") or not rec.get("url"):
                continue
            out.write(json.dumps({"id": rec["ID"], "url": rec["url"], "title": rec["title"],
                                  "published_at": rec["date"], "text": rec.get("content_original") or "",
                                  "outlet_name": rec.get("source"), "bias_text": rec.get("bias_text")}) + "\n")
            n += 1
            if n >= limit:
                break
    return n


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("articles")
    p.add_argument("--limit", type=int, default=500)
    args = p.parse_args()
    settings = get_settings()
    nlp = load_ner(settings.spacy_model)
    extractor = EntityExtractor(nlp, batch_size=settings.nlp_batch_size, max_chars=settings.nlp_max_chars)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "slice.jsonl"
        n = canonical_slice(args.articles, args.limit, data)
        texts = []
        for line in data.open(encoding="utf-8"):
            rec = json.loads(line)
            texts += [rec["title"], rec["text"][: settings.nlp_max_chars]]
        nlp("warm up")
        t = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=settings.nlp_batch_size):
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
    print(f"slice: first {n} dated articles of {Path(args.articles).name} "
          f"(title + text up to {settings.nlp_max_chars} chars), model {settings.spacy_model}")
    print(f"raw spaCy nlp.pipe : {n / raw:8.1f} articles/s ({raw:.1f} s)")
    print(f"newsgraph ingest   : {n / e2e:8.1f} articles/s ({e2e:.1f} s; stored {report.stored}, "
          f"duplicates {report.duplicates}, rejected {report.rejected})")
    print(f"ratio ingest/raw   : {raw / e2e:8.2f}  (1.00 = our code adds nothing to NER)")
    print(f"re-ingest (no-op)  : {n / rerun:8.1f} articles/s ({rerun:.2f} s; already stored {again.already_stored})")


if __name__ == "__main__":
    main()
