"""Benchmark: what the story card's key points, sides and related stories cost, card by card.

Usage: python scripts/bench_story_sections.py --store sqlite:///PATH [--stories 50] [--rounds 3] [--json]

For the best-covered stories of the store it times, interleaved in each round,
the card as before (``story_rows`` + ``story_card``), the card with its sections
computed (texts read, key points, sides, related stories) and the card with the
text sections taken from a cache (what the web app does after the first view of
a story version: related stories are still read). Prints the median time per
card of each and the ratios to the plain card.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from newsgraph.engine.analysis import story_card
from newsgraph.engine.config import get_settings
from newsgraph.engine.store import open_store
from newsgraph.engine.story_sections import story_sections


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--store", required=True)
    p.add_argument("--stories", type=int, default=50)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    settings = get_settings(store=args.store)
    store = open_store(settings.store, settings)
    ids = [r["id"] for r in store.search_stories(limit=args.stories)[0]]
    cache: dict = {}

    def cached(key, compute):
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    def plain(sid):
        story_card(store.story_rows(sid))

    def full(sid):
        rows = store.story_rows(sid)
        story_card(rows, sections=story_sections(store, rows, settings))

    def warm(sid):
        rows = store.story_rows(sid)
        story_card(rows, sections=story_sections(store, rows, settings, cached=cached))

    for sid in ids:  # fill the cache once
        warm(sid)
    times: dict[str, list[float]] = {"card": [], "card+sections": [], "card+cached sections": []}
    for _ in range(args.rounds):
        for sid in ids:
            for name, f in (("card", plain), ("card+sections", full), ("card+cached sections", warm)):
                t = time.perf_counter()
                f(sid)
                times[name].append(time.perf_counter() - t)
    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    out = {"stories": len(ids), "rounds": args.rounds, "median_ms": med,
           "ratio_to_card": {k: v / med["card"] for k, v in med.items()}}
    store.close()
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(f"{len(ids)} stories x {args.rounds} rounds, median per card")
    for k, v in med.items():
        print(f"  {k:<22} {v:8.2f} ms   x{out['ratio_to_card'][k]:.2f}")


if __name__ == "__main__":
    main()
