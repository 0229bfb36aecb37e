"""Wire copies in the Article-Bias-Prediction corpus: how many, who republishes, a sample to read, what they move.

Usage:
    python scripts/copies_abp.py ARTICLES.jsonl.gz [--store sqlite:///abp.db] [--sample 40] [--seed 7]

Runs newsgraph's copy detector (``engine/stories/copies.py``) over the corpus
in date order, in ingest-sized batches, as ingest does, and prints: how many
articles are copies, the outlets that mostly republish, a seeded random
sample of copy pairs (outlet, title and the opening words of both texts) for a
person to read, and the detector's cost per article in stretches of the corpus.

With ``--store`` (a store built by ``scripts/abp_store.py``) the copies are
also written into it, as ingest would have, and the script prints how much
counting original reports only moves the story bias bars and the blindspots.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from abp_store import read_corpus  # noqa: E402

from newsgraph.engine.config import get_settings  # noqa: E402
from newsgraph.engine.ingest.canonical_url import outlet_id_from_url  # noqa: E402
from newsgraph.engine.ingest.dates import parse_published_at  # noqa: E402
from newsgraph.engine.models import Article  # noqa: E402
from newsgraph.engine.stories.copies import CopyDetector  # noqa: E402


class Held:
    """Fingerprints kept in memory, answering ``fingerprint_rows`` and ``copies_of`` as a store does."""

    def __init__(self):
        self.rows: list[dict] = []
        self.edges: dict[str, dict] = {}
        self.when: dict[str, object] = {}

    def fingerprint_rows(self, since, until):
        return (r for r in self.rows if since <= r["published_at"] <= until)

    def copies_of(self, ids):
        return [{"article_id": i, "copy_of": self.edges[i]["end_id"],
                 "original_published_at": self.when[self.edges[i]["end_id"]]} for i in ids if i in self.edges]

    def write_nodes(self, label, rows):
        self.rows.extend(rows)
        self.when.update({r["id"]: r["published_at"] for r in rows})

    def write_relationships(self, rel, rows):
        self.edges.update({r["start_id"]: r for r in rows})


def articles_of(records: list[dict]) -> list[Article]:
    out = []
    for r in records:
        try:
            outlet = outlet_id_from_url(r["url"])
        except ValueError:
            continue
        out.append(Article(r["ID"], r["url"], r["title"], parse_published_at(r["date"]), outlet_id=outlet,
                           outlet_name=r.get("source"), text=r.get("content_original") or ""))
    return out


def detect(articles: list[Article], detector: CopyDetector, batch: int, every: int) -> Held:
    held = Held()
    start = last = time.perf_counter()
    for i in range(0, len(articles), batch):
        part = articles[i:i + batch]
        plan = detector.plan(held, part)
        plan.write(held, [a.id for a in part], set())
        n = i + len(part)
        if n % every < batch or n == len(articles):
            now = time.perf_counter()
            print(f"  {n:>6} articles  detector {1000 * (now - last) / min(every, n):6.2f} ms/article over the last "
                  f"stretch, {1000 * (now - start) / n:6.2f} overall; {len(held.edges)} copies so far", flush=True)
            last = now
    return held


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("articles")
    ap.add_argument("--store", help="A store built by scripts/abp_store.py: write the copies, compare the counts.")
    ap.add_argument("--sample", type=int, default=40, help="Copy pairs to print for reading.")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--limit", type=int)
    args = ap.parse_args()
    settings = get_settings()
    detector = CopyDetector(window_hours=settings.story_window_hours, threshold=settings.copy_threshold,
                            min_words=settings.copy_min_words)
    records = read_corpus(args.articles, args.limit)
    articles = articles_of(records)
    by_id = {a.id: a for a in articles}
    print(f"{len(articles)} articles; window {settings.story_window_hours:g} h, threshold "
          f"{settings.copy_threshold:g}, at least {settings.copy_min_words} words")
    held = detect(articles, detector, settings.batch_size, 5000)
    copies = held.edges
    fingerprinted = len(held.rows)
    print(f"\n{len(copies)} copies among {len(articles)} articles ({fingerprinted} with enough text); "
          f"{len(articles) - len(copies)} original reports")
    per_outlet = Counter(a.outlet_id for a in articles)
    copied = Counter(by_id[c].outlet_id for c in copies)
    print("\noutlets by share of their articles that are copies (10 or more articles):")
    for o, k in sorted(copied.items(), key=lambda kv: -kv[1] / per_outlet[kv[0]]):
        if per_outlet[o] >= 10:
            sources = Counter(by_id[e["end_id"]].outlet_id for c, e in copies.items() if by_id[c].outlet_id == o)
            print(f"  {o}: {k} of {per_outlet[o]} ({100 * k / per_outlet[o]:.0f}%) from "
                  + ", ".join(f"{s} {n}" for s, n in sources.most_common(3)))
    overlaps = sorted(e["overlap"] for e in copies.values())
    if overlaps:
        print(f"\noverlap: min {overlaps[0]:.2f}, median {overlaps[len(overlaps) // 2]:.2f}")
    sample = random.Random(args.seed).sample(sorted(copies), min(args.sample, len(copies)))
    print(f"\n{len(sample)} copy pairs (seed {args.seed}) to read:")
    for n, cid in enumerate(sample, 1):
        c, o = by_id[cid], by_id[copies[cid]["end_id"]]
        print(f"\n[{n}] overlap {copies[cid]['overlap']:.2f}")
        for tag, a in (("copy", c), ("orig", o)):
            words = " ".join((a.text or "").split()[:45])
            print(f"  {tag} {a.published_at:%Y-%m-%d} {a.outlet_id}: {a.title}\n       {words}")
    if args.store:
        compare(args.store, held, settings)


def compare(url: str, held: Held, settings) -> None:
    """Write the copies into the store and print how the bias bars and blindspots move."""
    from newsgraph.engine.analysis import blindspots, story_card
    from newsgraph.engine.analysis.syndication import original_coverage
    from newsgraph.engine.store import open_store

    store = open_store(url)
    stored = {r["id"] for r in store.iter_nodes("Article")}
    fps = [r for r in held.rows if r["id"] in stored]
    edges = [e for e in held.edges.values() if e["start_id"] in stored and e["end_id"] in stored]
    for i in range(0, len(fps), 2000):
        store.write_nodes("Fingerprint", fps[i:i + 2000])
    for i in range(0, len(edges), 2000):
        store.write_relationships("COPY_OF", edges[i:i + 2000])
    print(f"\nstore {url}: {len(stored)} articles, {len(edges)} copies written")
    copy_ids = {e["start_id"] for e in edges}
    stories = {r.story_id for r in store.article_rows() if r.article_id in copy_ids}
    moved, flipped, shifts = 0, 0, []
    multi = 0
    for sid in sorted(stories):
        rows = store.story_rows(sid)
        a, b = story_card(rows), story_card(rows, originals=True)
        if a.source_count < 2:
            continue
        multi += 1
        shift = max(abs(a.side_shares[s] - b.side_shares[s]) for s in a.side_shares)
        if a.side_counts != b.side_counts:
            moved += 1
            shifts.append(shift)
        if a.rated_sources and b.rated_sources and a.headline.split(" are ")[-1] != b.headline.split(" are ")[-1]:
            flipped += 1
    shifts.sort()
    print(f"stories with a copy and 2+ sources: {multi}; bias bar changes in {moved}; largest side share moves "
          f"median {100 * shifts[len(shifts) // 2] if shifts else 0:.0f} points, max "
          f"{100 * shifts[-1] if shifts else 0:.0f}; majority side changes in {flipped}")
    params = dict(min_rated_sources=settings.blindspot_min_sources, max_weak_share=settings.blindspot_max_weak_share,
                  min_gap=settings.blindspot_min_gap, alpha=settings.blindspot_alpha)
    coverage = list(store.coverage_rows())
    every = blindspots(coverage, **params)
    orig = blindspots(original_coverage(coverage, store.article_rows(), store.copy_rows()), **params)
    a_ids, b_ids = {s.story_id for s in every.blindspots}, {s.story_id for s in orig.blindspots}
    print(f"blindspots: {len(a_ids)} counting all sources, {len(b_ids)} counting original reports only "
          f"({len(a_ids - b_ids)} no longer, {len(b_ids - a_ids)} new); baseline all "
          + ", ".join(f"{s} {100 * v:.1f}%" for s, v in every.baseline.items()) + "; originals "
          + ", ".join(f"{s} {100 * v:.1f}%" for s, v in orig.baseline.items()))
    store.close()


if __name__ == "__main__":
    main()
