"""Build a newsgraph store from the Article-Bias-Prediction corpus, logging how ingest cost grows.

Usage:
    python scripts/abp_store.py ARTICLES.jsonl.gz --store sqlite:///abp.db [--limit N]

The corpus (Baly et al., EMNLP 2020; 37,554 articles, each labelled
left/center/right after its outlet's AllSides rating) has no story ids:
stories come from newsgraph's own clustering. Each outlet is rated with the
label most of its articles carry, imported as a ``csv`` rating, so the
analyses have rated outlets to count.

Articles go in in date order (the order a live feed would bring them). Every
``--every`` articles the script prints the rate of the last stretch and so
far, and the peak memory, which shows how the cost grows with the store.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

from newsgraph.engine.config import get_settings
from newsgraph.engine.ingest.canonical_url import outlet_id_from_url
from newsgraph.engine.nlp.extract import default_processes
from newsgraph.engine.pipeline import Ingestor
from newsgraph.engine.store import open_store


THIS_YEAR = str(datetime.now(timezone.utc).year)


def read_corpus(path: str, limit: int | None = None, *, oldest_first: bool = True) -> list[dict]:
    """The records with a title, URL and a plausible ISO date (2000 or later), oldest first or in file order.

    A few dozen records carry placeholder dates (year 1, 2050) or other
    formats ("9/6/17") and are left out. Ties keep file order.
    """
    records = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            date = rec.get("date") or ""
            if "2000" <= date[:4] <= THIS_YEAR and "-" in date and rec.get("title") and rec.get("url"):
                records.append(rec)
                if limit and not oldest_first and len(records) >= limit:
                    break
    if oldest_first:
        records.sort(key=lambda r: r["date"])
    return records[:limit] if limit else records


def write_canonical(records: list[dict], dest: Path) -> None:
    """The records as canonical newsgraph JSONL (see docs/input-format.md)."""
    with dest.open("w", encoding="utf-8") as out:
        for rec in records:
            out.write(json.dumps({"id": rec["ID"], "url": rec["url"], "title": rec["title"],
                                  "published_at": rec["date"], "text": rec.get("content_original") or "",
                                  "outlet_name": rec.get("source"), "topic": rec.get("topic"),
                                  "bias_text": rec.get("bias_text")}) + "\n")


def write_ratings(records: list[dict], dest: Path) -> int:
    """One ``csv``-scheme rating per outlet domain: the label most of its articles carry."""
    labels: dict[str, Counter] = defaultdict(Counter)
    names: dict[str, Counter] = defaultdict(Counter)
    for rec in records:
        try:
            domain = outlet_id_from_url(rec["url"])
        except ValueError:
            continue
        if rec.get("bias_text") in ("left", "center", "right"):
            labels[domain][rec["bias_text"]] += 1
        names[domain][rec.get("source") or domain] += 1
    with dest.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["domain", "name", "bias", "factuality", "ownership", "country"])
        for domain in sorted(labels):
            w.writerow([domain, names[domain].most_common(1)[0][0], labels[domain].most_common(1)[0][0], "", "", ""])
    return len(labels)


def peak_mib() -> float:
    """Peak resident memory of this process so far, MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("articles", help="Article-Bias-Prediction articles.jsonl.gz")
    ap.add_argument("--store", required=True, help="Store URL to fill, e.g. sqlite:///abp.db")
    ap.add_argument("--limit", type=int, help="Only the N oldest articles.")
    ap.add_argument("--every", type=int, default=1000, help="Print progress every N articles.")
    args = ap.parse_args()
    settings = get_settings(store=args.store)
    records = read_corpus(args.articles, args.limit)
    print(f"{len(records)} dated articles, {records[0]['date']} .. {records[-1]['date']}; "
          f"NER reads title + {settings.nlp_max_chars} chars, "
          f"{settings.nlp_processes or default_processes()} process(es)", flush=True)
    store = open_store(args.store)
    with tempfile.TemporaryDirectory() as tmp:
        data, ratings = Path(tmp) / "articles.jsonl", Path(tmp) / "outlets.csv"
        write_canonical(records, data)
        rated = write_ratings(records, ratings)
        start = last = time.perf_counter()
        marks = {"n": 0}

        def progress(read: int) -> None:
            nonlocal last
            if read - marks["n"] < args.every and read < len(records):
                return
            now = time.perf_counter()
            print(f"{read:>7} articles  last {(read - marks['n']) / (now - last):7.1f}/s  "
                  f"so far {read / (now - start):7.1f}/s  peak {peak_mib():7.0f} MiB", flush=True)
            marks["n"], last = read, now

        report = Ingestor(store, settings, on_progress=progress).ingest([str(data)])
        took = time.perf_counter() - start
        store.close()
        print(f"stored {report.stored}, duplicates {report.duplicates}, rejected {report.rejected} "
              f"in {took:.0f} s ({report.read / took:.1f} articles/s)", flush=True)
        subprocess.run([sys.executable, "-m", "newsgraph.engine.cli", "outlets", "import", str(ratings), "--scheme", "csv",
                        "--store", args.store], check=True)
        print(f"{rated} outlets rated from the corpus labels")


if __name__ == "__main__":
    main()
