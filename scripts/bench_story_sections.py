"""Benchmark: what the story card's key points, sides and related stories cost, card by card.

Usage: python scripts/bench_story_sections.py --store sqlite:///PATH [--stories 50] [--rounds 3] [--json]

For the best-covered stories of the store it times, interleaved in each round,
the card as before (``story_rows`` + ``story_card``), the card with its sections
computed (texts read, key points, sides, related stories: what a story without
stored sections costs once) and the card with the text sections read from the
store (what every view costs once ingest has stored them: related stories are
still read). Prints the median time per card of each and the ratios to the plain card.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from newsgraph.engine.analysis import story_card
from newsgraph.engine.config import get_settings
from newsgraph.engine.store import open_store
from newsgraph.engine.story_sections import related_section, story_sections, summarize_stories, text_sections


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
    def plain(sid):
        story_card(store.story_rows(sid))

    def full(sid):
        rows = store.story_rows(sid)
        story_card(rows, sections={**text_sections(store, rows), "related": related_section(store, sid, settings)})

    def stored(sid):
        rows = store.story_rows(sid)
        story_card(rows, sections=story_sections(store, rows, settings))

    summarize_stories(store, ids)  # what ingest stores (a store built before stored sections gets them here)
    times: dict[str, list[float]] = {"card": [], "card+sections": [], "card+stored sections": []}
    for _ in range(args.rounds):
        for sid in ids:
            for name, f in (("card", plain), ("card+sections", full), ("card+stored sections", stored)):
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
