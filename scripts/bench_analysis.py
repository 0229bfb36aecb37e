"""Benchmark: how long each analysis takes, and how its cost grows with the corpus.

Usage:
    python scripts/bench_analysis.py --abp ARTICLES.jsonl.gz      # Article-Bias-Prediction corpus
    python scripts/bench_analysis.py --synthetic 10000 100000 1000000 [--outlets 5000]
    python scripts/bench_analysis.py --store sqlite:///newsgraph-demo.db
    python scripts/bench_analysis.py --abp ARTICLES.jsonl.gz --synthetic 10000 --communities

The analyses are pure functions of rows, so this builds rows in memory and
times the functions alone (reading rows from a store is timed separately with
``--store``). Each corpus is a set of coverage rows (one per outlet and
story), article rows and mention rows:

- ``--abp``: the Article-Bias-Prediction corpus (Baly et al., EMNLP 2020) has
  no story ids; a story here is a (date, topic) group, a weak proxy. Outlets
  are its ``source`` strings, rated by its left/center/right labels; entities
  are the runs of capitalised words in titles (not NER).
- ``--synthetic N``: N articles by ``--outlets`` outlets whose activity is
  long-tailed (Zipf, exponent 1.1), in stories whose sizes are long-tailed
  too (log-normal, median 4 articles), each outlet with a random rating;
  each article mentions its story's entity and one more (Zipf over N/10).

Then a summary prints each analysis's time per coverage edge at every size
and its growth from the smallest synthetic corpus to the largest: a ratio
near 1 means linear cost. The randomised baselines of ``bias-clusters`` run
where the filtered outlet network has at most ``--null-max-edges`` edges.
``--communities`` compares Louvain (networkx) with Leiden (igraph and
leidenalg, the ``leiden`` extra) on each corpus's outlet network and on one
randomisation of it: modularity reached, time and agreement between seeds.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import itertools
import json
import re
import statistics
import time
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import networkx as nx
import numpy as np
from scipy import sparse

from newsgraph.engine.analysis import (bias_clusters, blindspots, entity_framing, entity_network, gaps, lead_lag,
                             outlet_network, raters, timeline)
from newsgraph.engine.analysis.bias_clusters import nmi, randomise
from newsgraph.engine.analysis.outlet_network import communities, coverage_matrix
from newsgraph.engine.models import Bias, Outlet
from newsgraph.engine.store.base import ArticleRow, CoverageRow, MentionRow

SCORES = {"left": -2.0, "center": 0.0, "right": 2.0}
BIASES = ("left", "lean_left", "center", "lean_right", "right", "unrated")
BIAS_SCORES = {"left": -2.0, "lean_left": -1.0, "center": 0.0, "lean_right": 1.0, "right": 2.0}
_NAME = re.compile(r"\b(?:[A-Z][\w'.-]+)(?:\s+[A-Z][\w'.-]+)*")


@dataclass
class Corpus:
    """The rows the analyses read, and the outlets with their ratings."""

    name: str
    coverage: list[CoverageRow]
    articles: list[ArticleRow]
    mentions: list[MentionRow]
    outlets: list[Outlet]
    timings: dict[str, float] = field(default_factory=dict)
    edges: int = 0
    "Coverage edges, kept when the rows are dropped."

    def __post_init__(self) -> None:
        self.edges = self.edges or len(self.coverage)


def _outlet(oid: str, bias: str) -> Outlet:
    """An outlet rated by the corpus and by a second rater that moves one outlet in seven a step (speed only)."""
    shifted = BIASES[(BIASES.index(bias) + 1) % 5] if bias != "unrated" and zlib.crc32(oid.encode()) % 7 == 0 else bias
    return Outlet(oid, bias=Bias(bias), bias_score=BIAS_SCORES.get(bias),
                  ratings={"corpus": {"bias": bias}, "second": {"bias": shifted}})


def _coverage(articles: list[ArticleRow], titles: dict[str, str], scores: dict[str, float | None]
              ) -> list[CoverageRow]:
    """One coverage row per (story, outlet): first article time, article count."""
    first: dict[tuple[str, str], ArticleRow] = {}
    count: dict[tuple[str, str], int] = {}
    for a in articles:
        key = (a.story_id, a.outlet_id)
        if key not in first or a.published_at < first[key].published_at:
            first[key] = a
        count[key] = count.get(key, 0) + 1
    return [CoverageRow(s, titles[s], o, a.bias, scores.get(a.bias), a.published_at, count[(s, o)])
            for (s, o), a in first.items()]


def abp_corpus(path: str) -> Corpus:
    """The Article-Bias-Prediction corpus as rows: stories are (date, topic) groups."""
    articles, mentions, titles, ratings = [], [], {}, {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            rec = json.loads(line)
            try:
                day = datetime.strptime(rec.get("date") or "", "%Y-%m-%d").replace(tzinfo=timezone.utc)
            except ValueError:
                continue  # empty or odd dates ("9/6/17", year 0001) are left out
            if not 2000 <= day.year <= 2021:
                continue
            story, outlet, bias = f"{rec['date']}|{rec['topic']}", rec["source"], rec["bias_text"]
            ratings.setdefault(outlet, bias)
            titles[story] = story
            art = ArticleRow(f"a{n}", story, outlet, ratings[outlet], day)
            articles.append(art)
            for name in dict.fromkeys(_NAME.findall(rec.get("title") or "")):
                eid = "misc:" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
                mentions.append(MentionRow(art.article_id, story, outlet, art.bias, eid, name, "MISC", day))
    return Corpus("Article-Bias-Prediction", _coverage(articles, titles, SCORES), articles, mentions,
                  [_outlet(o, b) for o, b in sorted(ratings.items())])


def synthetic_corpus(n_articles: int, n_outlets: int, seed: int = 0) -> Corpus:
    """``n_articles`` articles with long-tailed outlet activity and story sizes (see the module docstring)."""
    rng = np.random.default_rng(seed)
    sizes = np.maximum(1, np.rint(rng.lognormal(np.log(4), 1.0, size=n_articles)).astype(np.int64))
    sizes = sizes[: int(np.searchsorted(np.cumsum(sizes), n_articles)) + 1]
    sizes[-1] -= int(sizes.sum()) - n_articles
    story = np.repeat(np.arange(len(sizes)), sizes)
    activity = 1 / np.arange(1, n_outlets + 1) ** 1.1
    outlet = rng.choice(n_outlets, size=n_articles, p=activity / activity.sum())
    start = rng.uniform(0, 365 * 24, size=len(sizes))
    hours = start[story] + rng.exponential(6.0, size=n_articles)
    rating = rng.integers(len(BIASES), size=n_outlets)
    n_entities = max(10, n_articles // 10)
    popularity = 1 / np.arange(1, n_entities + 1) ** 1.1
    p = popularity / popularity.sum()
    story_entity = rng.choice(n_entities, size=len(sizes), p=p)
    other_entity = rng.choice(n_entities, size=n_articles, p=p)
    t0 = datetime(2025, 1, 1, tzinfo=timezone.utc)
    articles, mentions = [], []
    for i, (s, o, h, e) in enumerate(zip(story.tolist(), outlet.tolist(), hours.tolist(), other_entity.tolist())):
        art = ArticleRow(f"a{i}", f"s{s}", f"o{o}", BIASES[rating[o]], t0 + timedelta(hours=h))
        articles.append(art)
        for ent in dict.fromkeys((int(story_entity[s]), e)):
            mentions.append(MentionRow(art.article_id, art.story_id, art.outlet_id, art.bias, f"misc:e{ent}",
                                       f"E{ent}", "MISC", art.published_at))
    titles = {f"s{s}": f"story {s}" for s in range(len(sizes))}
    outlets = [_outlet(f"o{o}", BIASES[rating[o]]) for o in range(n_outlets)]
    return Corpus(f"synthetic {n_articles:,} articles", _coverage(articles, titles, BIAS_SCORES), articles,
                  mentions, outlets)


def timed(corpus: Corpus, label: str, work: Callable) -> Any:
    start = time.perf_counter()
    result = work()
    corpus.timings[label] = elapsed = time.perf_counter() - start
    per_edge = f"{elapsed / corpus.edges * 1e6:8.2f} us/coverage edge" if corpus.edges else ""
    print(f"  {label:<30} {elapsed:8.2f} s  {per_edge}", flush=True)
    return result


def projection(rows: list[CoverageRow]) -> int:
    """The outlet projection alone (``B @ B.T``, upper triangle): how many co-covering pairs."""
    B, _, _ = coverage_matrix(rows)
    return sparse.triu(B @ B.T, k=1).nnz


def bench(corpus: Corpus, n_random: int, null_max_edges: int, workers: int | None) -> None:
    cov = corpus.coverage
    print(f"{corpus.name}: {len(corpus.articles):,} articles, {len(cov):,} coverage edges, "
          f"{len({r.outlet_id for r in cov}):,} outlets, {len({r.story_id for r in cov}):,} stories, "
          f"{len(corpus.mentions):,} mentions", flush=True)
    found = timed(corpus, "blindspots", lambda: blindspots(cov))
    print(f"    {len(found.blindspots)} blindspots")
    pairs = timed(corpus, "projection (B @ B.T)", lambda: projection(cov))
    print(f"    {pairs:,} co-covering pairs")
    net = timed(corpus, "outlet-network", lambda: outlet_network(cov))
    print(f"    {net.graph.number_of_edges():,} edges kept, {len(net.communities)} communities, "
          f"modularity {net.modularity:.3f}")
    timed(corpus, "lead-lag", lambda: lead_lag(cov))
    busiest = max(statistics.multimode(r.outlet_id for r in cov))
    timed(corpus, "gaps", lambda: gaps(cov, busiest))
    timed(corpus, "timeline", lambda: timeline(corpus.articles))
    timed(corpus, "raters", lambda: raters(cov, corpus.outlets))
    ents = timed(corpus, "entities", lambda: entity_network(corpus.mentions))
    print(f"    {ents.graph.number_of_nodes():,} entities, {ents.graph.number_of_edges():,} links")
    timed(corpus, "entity-framing", lambda: entity_framing(corpus.mentions))
    edges = net.graph.number_of_edges()
    if n_random and edges <= null_max_edges:
        result = timed(corpus, f"bias-clusters ({n_random} null)", lambda: bias_clusters(
            net.graph, net.communities, n_random=n_random, workers=workers))
        for s in result.scores:
            print(f"    {s.name:<20} {s.observed if s.observed is None else round(s.observed, 3)}  "
                  f"null {s.null_mean if s.null_mean is None else round(s.null_mean, 3)}  "
                  f"z {s.z if s.z is None else round(s.z, 2)}")
    elif n_random:
        print(f"  bias-clusters: randomised baselines not run ({edges:,} edges > --null-max-edges "
              f"{null_max_edges:,})")


def summary(corpora: list[Corpus]) -> None:
    """Time per coverage edge at each size, and its growth from the smallest synthetic corpus to the largest."""
    synthetic = [c for c in corpora if c.name.startswith("synthetic")]
    labels = list(dict.fromkeys(k for c in corpora for k in c.timings))
    print("\nmicroseconds per coverage edge")
    print(f"  {'':<30}" + "".join(f"{c.edges:>14,}" for c in corpora) + "   growth")
    for label in labels:
        cells = [(c.timings[label] / c.edges * 1e6) if label in c.timings else None for c in corpora]
        line = "".join(f"{x:>14.2f}" if x is not None else f"{'-':>14}" for x in cells)
        have = [c for c in synthetic if label in c.timings]
        growth = ""
        if len(have) > 1:
            a, b = have[0], have[-1]
            ratio = (b.timings[label] / b.edges) / (a.timings[label] / a.edges)
            growth = f"   x{ratio:.2f} per edge ({a.edges:,} -> {b.edges:,} edges)"
        print(f"  {label:<30}{line}{growth}")


def compare_communities(corpus: Corpus, seeds: int = 5) -> None:
    """Louvain against Leiden on the corpus's outlet network, and on one degree-preserving randomisation
    of it (what the bias-clusters null model runs them on): modularity, time, agreement between seeds."""
    G = outlet_network(corpus.coverage).graph
    print(f"{corpus.name}: outlet network of {G.number_of_nodes():,} outlets, {G.number_of_edges():,} edges")
    R = randomise(G, rng=np.random.default_rng(0))
    for graph, what in ((G, "network"), (R, "randomised")):
        for algorithm in ("louvain", "leiden"):
            qs, times, labels = [], [], []
            for seed in range(seeds):
                start = time.perf_counter()
                found = communities(graph, algorithm=algorithm, seed=seed)
                times.append(time.perf_counter() - start)
                qs.append(nx.community.modularity(graph, [set(c) for c in found], weight="weight"))
                of = {n: i for i, c in enumerate(found) for n in c}
                labels.append([of[n] for n in graph])
            agree = [nmi(a, b) for a, b in itertools.combinations(labels, 2)]
            print(f"  {what:<10} {algorithm:<8} modularity {np.mean(qs):.4f} (sd {np.std(qs, ddof=1):.4f}, "
                  f"min {min(qs):.4f})  median {statistics.median(times):.3f} s  NMI between seeds "
                  f"{np.mean(agree):.3f}  {min(len(set(x)) for x in labels)}-{max(len(set(x)) for x in labels)} "
                  "communities", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--abp", help="Article-Bias-Prediction articles.jsonl.gz")
    ap.add_argument("--synthetic", type=int, nargs="*", default=[], help="Article counts.")
    ap.add_argument("--outlets", type=int, default=5000)
    ap.add_argument("--store", help="Also time reading rows from this store URL.")
    ap.add_argument("--null-models", type=int, default=100)
    ap.add_argument("--null-max-edges", type=int, default=50_000,
                    help="Run the randomised baselines only on outlet networks with at most this many edges.")
    ap.add_argument("--workers", type=int, help="Processes for the randomisations (default: all cores).")
    ap.add_argument("--communities", action="store_true", help="Compare Louvain and Leiden instead.")
    args = ap.parse_args()
    builders: list[tuple[str, Callable[[], Corpus]]] = []
    if args.store:
        builders.append((f"store {args.store}", lambda: store_corpus(args.store)))
    if args.abp:
        builders.append(("the Article-Bias-Prediction corpus", lambda: abp_corpus(args.abp)))
    builders += [(f"synthetic {n:,}", lambda n=n: synthetic_corpus(n, args.outlets)) for n in args.synthetic]
    done = []
    for label, build in builders:
        # one corpus in memory at a time: the next one's timings do not pay for this one's objects
        start = time.perf_counter()
        corpus = build()
        print(f"built {label} in {time.perf_counter() - start:.1f} s", flush=True)
        if args.communities:
            compare_communities(corpus)
        else:
            bench(corpus, args.null_models, args.null_max_edges, args.workers)
        done.append(Corpus(corpus.name, [], [], [], [], corpus.timings, len(corpus.coverage)))
        del corpus
        gc.collect()
    if not args.communities:
        summary(done)


def store_corpus(url: str) -> Corpus:
    """The rows of a store, reading them timed."""
    from newsgraph.engine.store import open_store

    store = open_store(url)
    start = time.perf_counter()
    coverage, articles, mentions = list(store.coverage_rows()), list(store.article_rows()), list(store.mention_rows())
    print(f"  read {len(coverage):,} coverage, {len(articles):,} article and {len(mentions):,} mention rows "
          f"in {time.perf_counter() - start:.2f} s")
    return Corpus(url, coverage, articles, mentions, list(store.get_outlets()))

if __name__ == "__main__":
    main()
