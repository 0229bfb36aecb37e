"""The wire-copy detector's cost per article as the store grows.

Usage:
    python scripts/bench_copies.py ARTICLES.jsonl.gz [--every 5000] [--rounds 2]

Feeds the Article-Bias-Prediction corpus, oldest first, in ingest-sized
batches through the detector against a real embedded store (each batch reads
the stored fingerprints of its window, finds its copies, writes its own
fingerprints), and prints the cost per article of each stretch of ``--every``
articles next to the first stretch's (the ratio stays near 1 when the cost is
flat with corpus size). Fingerprinting alone (shingles + MinHash) is timed
separately on the same articles, so the share of the window lookups shows.
With ``--rounds 2`` every stretch is timed twice, interleaved with the other
round, to show the noise of a shared machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from copies_abp import articles_of  # noqa: E402
from abp_store import read_corpus  # noqa: E402

from newsgraph.engine.config import get_settings  # noqa: E402
from newsgraph.engine.store.sqlite import SQLiteStore  # noqa: E402
from newsgraph.engine.stories.copies import CopyDetector  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("articles")
    ap.add_argument("--every", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--limit", type=int)
    args = ap.parse_args()
    settings = get_settings()
    articles = articles_of(read_corpus(args.articles, args.limit))
    detector = CopyDetector(window_hours=settings.story_window_hours, threshold=settings.copy_threshold,
                            min_words=settings.copy_min_words)
    batch = settings.batch_size
    print(f"{len(articles)} articles, batches of {batch}, {args.rounds} interleaved rounds, load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        stores = [SQLiteStore(Path(tmp) / f"bench{r}.db") for r in range(args.rounds)]
        first: dict[int, float] = {}
        for start in range(0, len(articles), args.every):
            stretch = articles[start:start + args.every]
            costs = []
            for r, store in enumerate(stores):
                t = time.perf_counter()
                for i in range(0, len(stretch), batch):
                    part = stretch[i:i + batch]
                    plan = detector.plan(store, part)
                    store.write_nodes("Fingerprint", [fp.to_row() for fp in plan.fingerprints])
                costs.append(1000 * (time.perf_counter() - t) / len(stretch))
            t = time.perf_counter()
            detector.fingerprints(stretch)
            alone = 1000 * (time.perf_counter() - t) / len(stretch)
            for r, c in enumerate(costs):
                first.setdefault(r, c)
            shown = ", ".join(f"{c:.2f} ms ({c / first[r]:.2f}x first)" for r, c in enumerate(costs))
            print(f"  articles {start + 1:>6}-{start + len(stretch):<6} stored before {start:>6}: detector {shown}; "
                  f"fingerprints alone {alone:.2f} ms; load {os.getloadavg()[0]:.1f}", flush=True)
        for s in stores:
            s.close()


if __name__ == "__main__":
    main()
