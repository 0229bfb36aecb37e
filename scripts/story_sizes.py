"""How story clustering behaves on a dense, unlabelled stream: story sizes, the largest stories, a sample.

Usage: python scripts/story_sizes.py ARTICLES.jsonl.gz [--limit N] [--largest K] [--sample K] [--seed S]

ARTICLES is the Article-Bias-Prediction corpus (one JSON article per line
with ID, title, date, source, content_original; its dates are days without
times). The dated articles go through the clusterer alone, oldest first, in
batches of 500, with the default settings and the same cheap entity
stand-in as ``scripts/bench_ingest.py`` (capitalised word runs of the
title), so the run takes seconds. Printed: how many stories of each size,
the largest stories with their span and first headlines, and a seeded
sample of multi-article stories to read by eye. A chain of separate events
shows as a very large story whose headlines name different events.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from collections import Counter, defaultdict
from datetime import datetime, timezone

from newsgraph.engine.config import get_settings
from newsgraph.engine.pipeline import story_clusterer
from newsgraph.engine.stories import StoryCandidate

_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")
_SIZE_BINS = ((1, 1), (2, 2), (3, 5), (6, 10), (11, 20), (21, 50), (51, 100), (101, 10**9))


def read_dated(path: str, limit: int | None) -> list[StoryCandidate]:
    """The corpus's dated articles as clusterer input, oldest first (ties by id)."""
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            try:
                when = datetime.fromisoformat(rec.get("date") or "").replace(tzinfo=timezone.utc)
            except ValueError:
                continue  # the corpus has empty and malformed dates; they cannot be placed in time
            ents = tuple(f"x:{m.group(0).lower()}" for m in _NAME.finditer(rec["title"]))
            out.append(StoryCandidate(rec["ID"], rec["title"], None, when, ents, rec.get("source"),
                                      rec.get("content_original") or ""))
    out.sort(key=lambda c: (c.published_at, c.article_id))
    return out[:limit] if limit else out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("path")
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--largest", type=int, default=5)
    p.add_argument("--sample", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    settings = get_settings()
    cands = read_dated(args.path, args.limit)
    clusterer = story_clusterer(settings)
    members: dict[str, list[StoryCandidate]] = defaultdict(list)
    by_id = {c.article_id: c for c in cands}
    for i in range(0, len(cands), 500):
        for a in clusterer.assign(cands[i:i + 500]):
            members[a.story_id].append(by_id[a.article_id])
    sizes = Counter(len(m) for m in members.values())
    print(f"{len(cands)} dated articles, {len(members)} stories (window {settings.story_window_hours:g} h, "
          f"threshold {settings.story_threshold:g})")
    for lo, hi in _SIZE_BINS:
        n = sum(v for k, v in sizes.items() if lo <= k <= hi)
        label = str(lo) if lo == hi else (f"{lo}+" if hi > 10**8 else f"{lo}-{hi}")
        arts = sum(k * v for k, v in sizes.items() if lo <= k <= hi)
        print(f"  size {label:>7}: {n:6} stories, {arts:6} articles")

    def show(story: list[StoryCandidate]) -> None:
        story = sorted(story, key=lambda c: (c.published_at, c.article_id))
        span = f"{story[0].published_at:%Y-%m-%d} .. {story[-1].published_at:%Y-%m-%d}"
        outlets = len({c.outlet_id for c in story})
        print(f"  {len(story)} articles, {outlets} outlets, {span}")
        for c in story[:6]:
            print(f"    {c.published_at:%Y-%m-%d} {c.outlet_id}: {c.title[:100]}")

    print(f"largest {args.largest}:")
    for story in sorted(members.values(), key=lambda m: (-len(m), min(c.article_id for c in m)))[:args.largest]:
        show(story)
    multi = sorted((m for m in members.values() if len(m) > 1), key=lambda m: min(c.article_id for c in m))
    print(f"sample of {args.sample} stories with more than one article (seed {args.seed}):")
    for story in random.Random(args.seed).sample(multi, min(args.sample, len(multi))):
        show(story)


if __name__ == "__main__":
    main()
