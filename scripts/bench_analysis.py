"""Benchmark: how long each coverage analysis takes, on real and synthetic coverage.

Usage:
    python scripts/bench_analysis.py --abp ARTICLES.jsonl.gz      # Article-Bias-Prediction corpus
    python scripts/bench_analysis.py --synthetic 10000 100000 1000000 [--outlets 5000]
    python scripts/bench_analysis.py --store sqlite:///newsgraph-demo.db

The analyses are pure functions of rows, so this builds coverage rows and
times the functions alone (reading rows from a store is timed separately
with ``--store``).

- ``--abp``: the Article-Bias-Prediction corpus (Baly et al., EMNLP 2020) has
  no story ids; a story here is a (date, topic) group, a weak proxy. Outlets
  are its ``source`` strings, rated by its left/center/right labels.
- ``--synthetic N``: N coverage edges over ``--outlets`` outlets whose
  activity is long-tailed (Zipf, exponent 1.1) and N/8 stories, each outlet
  with a random rating.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from datetime import datetime, timezone
from typing import Callable

import numpy as np

from engine.analysis import bias_clusters, blindspots, lead_lag, outlet_network
from engine.store.base import CoverageRow

SCORES = {"left": -2.0, "center": 0.0, "right": 2.0}
BIASES = ("left", "lean_left", "center", "lean_right", "right", "unrated")


def abp_rows(path: str) -> list[CoverageRow]:
    """Coverage rows of the Article-Bias-Prediction corpus, one per (date-topic story, source)."""
    rows: dict[tuple[str, str], CoverageRow] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            try:
                day = datetime.strptime(rec.get("date") or "", "%Y-%m-%d").replace(tzinfo=timezone.utc)
            except ValueError:
                continue  # empty or odd dates ("9/6/17", year 0001) are left out
            if not 2000 <= day.year <= 2021:
                continue
            story, outlet, bias = f"{rec['date']}|{rec['topic']}", rec["source"], rec["bias_text"]
            old = rows.get((story, outlet))
            rows[(story, outlet)] = CoverageRow(story, story, outlet, old.bias if old else bias,
                                                SCORES.get(old.bias if old else bias), day,
                                                (old.articles if old else 0) + 1)
    return list(rows.values())


def synthetic_rows(n_edges: int, n_outlets: int, seed: int = 0) -> list[CoverageRow]:
    """``n_edges`` coverage edges with long-tailed outlet activity."""
    rng = np.random.default_rng(seed)
    weights = 1 / np.arange(1, n_outlets + 1) ** 1.1
    outlets = rng.choice(n_outlets, size=n_edges, p=weights / weights.sum())
    stories = rng.integers(max(1, n_edges // 8), size=n_edges)
    rating = rng.integers(len(BIASES), size=n_outlets)
    t0 = datetime(2025, 1, 1, tzinfo=timezone.utc)
    return [CoverageRow(f"s{s}", "", f"o{o}", BIASES[rating[o]], None, t0, 1)
            for o, s in zip(outlets.tolist(), stories.tolist())]


def timed(label: str, work: Callable):
    start = time.perf_counter()
    result = work()
    print(f"  {label:<28} {time.perf_counter() - start:8.2f} s", flush=True)
    return result


def bench(rows: list[CoverageRow], n_random: int) -> None:
    print(f"{len(rows)} coverage edges, {len({r.outlet_id for r in rows})} outlets, "
          f"{len({r.story_id for r in rows})} stories")
    found = timed("blindspots", lambda: blindspots(rows))
    print(f"    {len(found.blindspots)} blindspots")
    net = timed("outlet-network", lambda: outlet_network(rows))
    print(f"    {net.candidate_edges} pairs, {net.graph.number_of_edges()} kept, {len(net.communities)} communities")
    timed("lead-lag", lambda: lead_lag(rows))
    if n_random:
        result = timed(f"bias-clusters ({n_random} null)", lambda: bias_clusters(
            net.graph, net.communities, n_random=n_random))
        for s in result.scores:
            print(f"    {s.name:<20} {s.observed if s.observed is None else round(s.observed, 3)}  "
                  f"z {s.z if s.z is None else round(s.z, 2)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--abp", help="Article-Bias-Prediction articles.jsonl.gz")
    ap.add_argument("--synthetic", type=int, nargs="*", default=[], help="Coverage edge counts.")
    ap.add_argument("--outlets", type=int, default=5000)
    ap.add_argument("--store", help="Also time reading rows from this store URL.")
    ap.add_argument("--null-models", type=int, default=100)
    args = ap.parse_args()
    if args.store:
        from engine.store import open_store

        store = open_store(args.store)
        print(f"store {args.store}")
        rows = timed("coverage_rows", lambda: list(store.coverage_rows()))
        timed("mention_rows", lambda: list(store.mention_rows()))
        bench(rows, args.null_models)
    if args.abp:
        print("Article-Bias-Prediction, stories = (date, topic)")
        bench(timed("reading", lambda: abp_rows(args.abp)), args.null_models)
    for n in args.synthetic:
        print(f"synthetic, {n} edges")
        # randomised baselines on the biggest graphs take minutes; they scale with the kept edges
        bench(synthetic_rows(n, args.outlets), args.null_models if n <= 10_000 else 0)


if __name__ == "__main__":
    main()
