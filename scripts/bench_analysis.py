"""Benchmark: how long each analysis takes, its peak memory, and whether it meets its goal.

Usage:
    python scripts/bench_analysis.py --dense 1                     # one dense aggregator-like stream
    python scripts/bench_analysis.py --abp ARTICLES.jsonl.gz      # Article-Bias-Prediction corpus
    python scripts/bench_analysis.py --synthetic 10000 100000 1000000 [--outlets 5000]
    python scripts/bench_analysis.py --store sqlite:///abp.db     # a store's rows (e.g. scripts/abp_store.py's)
    python scripts/bench_analysis.py --abp ARTICLES.jsonl.gz --synthetic 10000 --communities
    python scripts/bench_analysis.py --synthetic 1000000 --only bias-clusters   # one analysis alone

The analyses are pure functions of rows, so this builds rows in memory and
times the functions alone (reading rows from a store is timed separately with
``--store``). Each analysis runs in a forked process of its own: its time,
and the peak resident memory of that process (the corpus included; for
bias-clusters the largest of it and its worker processes), come from the
kernel's accounting (``wait4``). An analysis that runs past ``--timeout`` is
stopped and reported as such. The CPU seconds of the process and its
workers are printed too: on a machine shared with other jobs they change
far less with the load than the wall time. Each corpus is a set of coverage rows (one per
outlet and story), article rows and mention rows:

- ``--dense K``: K copies of a stream shaped like three days of a news
  aggregator, as measured on one (6,362 headlines, 1,794 outlets, 273
  stories, 173,846 co-covering outlet pairs): one copy is 6,228 headlines
  from 1,772 outlets in 273 stories, 164,363 co-covering pairs; outlets per
  story log-normal (median 9, mean 22, up to 192), big outlets in most
  stories and a long tail of occasional ones, one outlet in three rated and
  the stories leaning as the outlets that cover them. K copies means K
  times the stories over the same outlets, as a longer stretch of the stream.
- ``--abp``: the Article-Bias-Prediction corpus (Baly et al., EMNLP 2020) has
  no story ids; a story here is a (date, topic) group, a weak proxy. Outlets
  are its ``source`` strings, rated by its left/center/right labels; entities
  are the runs of capitalised words in titles (not NER).
- ``--synthetic N``: N articles by ``--outlets`` outlets whose activity is
  long-tailed (Zipf, exponent 1.1), in stories whose sizes are long-tailed
  too (log-normal, median 4 articles), each outlet with a random rating;
  each article mentions its story's entity and one more (Zipf over N/10).

Goals (each printed as a PASS/FAIL line): on the dense stream, the
Article-Bias-Prediction corpus and a store, every analysis under 5 s with its
defaults and bias-clusters (the outlet network and 100 randomisations) under
20 s; from 1,000,000 synthetic articles, every analysis under 60 s,
bias-clusters under 300 s and every peak under 8 GB.

Then a summary prints each analysis's time per coverage edge at every size
and its growth from the smallest synthetic corpus to the largest: a ratio
near 1 means linear cost. ``--communities`` compares Louvain (igraph's,
the default, and networkx's, the reference) with Leiden (leidenalg) on each
corpus's outlet network and on one randomisation of it: modularity reached,
time and agreement between seeds.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import itertools
import json
import math
import os
import re
import select
import signal
import statistics
import time
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import igraph  # noqa: F401  imported here, so an analysis's time is not the compiled library's import time
import leidenalg  # noqa: F401
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
    kind: str = "synthetic"
    "What the goals call it: ``dense``, ``real`` (a real corpus or store) or ``synthetic``."
    timings: dict[str, float] = field(default_factory=dict)
    peaks: dict[str, int] = field(default_factory=dict)
    edges: int = 0
    "Coverage edges, kept when the rows are dropped."
    articles_count: int = 0

    def __post_init__(self) -> None:
        self.edges = self.edges or len(self.coverage)
        self.articles_count = self.articles_count or len(self.articles)


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
                  [_outlet(o, b) for o, b in sorted(ratings.items())], kind="real")


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


def dense_corpus(copies: int = 1, n_outlets: int = 2000, stories_per_copy: int = 273, seed: int = 0) -> Corpus:
    """An aggregator-like stream: many outlets per story, the same outlets again and again (module docstring)."""
    rng = np.random.default_rng(seed)
    n_stories = stories_per_copy * copies
    # outlets' reach: a few hundred big ones in most stories, a long tail of occasional ones
    reach = 1 / np.arange(1, n_outlets + 1) ** 0.5
    lean = rng.integers(-1, 2, size=n_outlets)  # what an outlet's coverage leans to, rated or not
    rating = np.where(rng.random(n_outlets) < 1 / 3, np.clip(lean * 2 + rng.integers(-1, 2, size=n_outlets) + 2,
                                                            0, 4), 5)
    size = np.clip(np.rint(rng.lognormal(np.log(10), 1.25, size=n_stories)), 3, n_outlets // 2).astype(int)
    slant = rng.integers(-1, 2, size=n_stories)
    t0 = datetime(2025, 1, 1, tzinfo=timezone.utc)
    n_entities = 40 * copies + 200
    popularity = 1 / np.arange(1, n_entities + 1) ** 1.1
    popularity /= popularity.sum()
    articles, mentions = [], []
    for s in range(n_stories):
        p = reach * np.where(lean == slant[s], 2.0, 1.0)
        outlets = rng.choice(n_outlets, size=int(size[s]), replace=False, p=p / p.sum())
        start = rng.uniform(0, 72 * copies)
        story_entity = int(rng.choice(n_entities, p=popularity))
        extra = rng.geometric(0.95, size=len(outlets))  # one headline an outlet, a few a follow-up
        for o, k in zip(outlets.tolist(), extra.tolist()):
            for h in (start + rng.exponential(4.0, size=k)).tolist():
                art = ArticleRow(f"a{len(articles)}", f"s{s}", f"o{o}", BIASES[rating[o]], t0 + timedelta(hours=h))
                articles.append(art)
                other = int(rng.choice(n_entities, p=popularity))
                for ent in dict.fromkeys((story_entity, other)):
                    mentions.append(MentionRow(art.article_id, art.story_id, art.outlet_id, art.bias,
                                               f"misc:e{ent}", f"E{ent}", "MISC", art.published_at))
    titles = {f"s{s}": f"story {s}" for s in range(n_stories)}
    used = sorted({a.outlet_id for a in articles}, key=lambda o: int(o[1:]))
    outlets_ = [_outlet(o, BIASES[rating[int(o[1:])]]) for o in used]
    return Corpus(f"dense stream x{copies}", _coverage(articles, titles, BIAS_SCORES), articles, mentions, outlets_,
                  kind="dense")


GOALS = {
    # corpus kind: (seconds for each analysis, seconds for bias-clusters)
    "dense": (5.0, 20.0),
    "real": (5.0, 20.0),
    "million": (60.0, 300.0),
}
MEMORY_GOAL = 8 * 2**30
"Peak resident memory goal at 1,000,000 articles, bytes."


def measure(work: Callable[[], str], timeout: float) -> tuple[float | None, int, str, float]:
    """Run ``work`` in a forked process: its wall time (``None`` past ``timeout``), the peak resident
    memory of it or its largest worker (bytes), the one-line note it returns, and the CPU seconds of it
    and its workers (on a machine shared with other jobs, the figure that load changes least)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, report, exit without running the parent's cleanup
        os.close(read)
        os.setpgid(0, 0)  # its own process group, so a timeout stops its workers too
        code = 0
        try:
            start = time.perf_counter()
            note = work()
            elapsed = time.perf_counter() - start
            payload = json.dumps({"time": elapsed, "note": note})
        except BaseException as e:  # reported by the parent
            payload = json.dumps({"time": None, "note": f"error: {type(e).__name__}: {e}"})
            code = 1
        with os.fdopen(write, "w") as f:
            f.write(payload)
        os._exit(code)
    os.close(write)
    deadline = time.monotonic() + timeout
    chunks = []
    with os.fdopen(read) as f:
        while True:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([f], [], [], max(0.0, left))
            if not ready:
                os.killpg(pid, signal.SIGKILL)
                _, _, usage = os.wait4(pid, 0)
                return None, usage.ru_maxrss * 1024, f"stopped after {timeout:.0f} s", _cpu(usage)
            chunks.append(f.read())  # the child writes once, at its end
            break
    _, _, usage = os.wait4(pid, 0)
    done = json.loads("".join(chunks) or '{"time": null, "note": "no result"}')
    return done["time"], usage.ru_maxrss * 1024, done["note"], _cpu(usage)


def _cpu(usage) -> float:
    return usage.ru_utime + usage.ru_stime


def bench(corpus: Corpus, n_random: int, timeout: float, workers: int | None, skip: set[str],
          only: set[str] = frozenset()) -> None:
    cov = corpus.coverage
    print(f"{corpus.name}: {len(corpus.articles):,} articles, {len(cov):,} coverage edges, "
          f"{len({r.outlet_id for r in cov}):,} outlets, {len({r.story_id for r in cov}):,} stories, "
          f"{len(corpus.mentions):,} mentions", flush=True)
    busiest = max(statistics.multimode(r.outlet_id for r in cov))

    def note_network() -> str:
        net = outlet_network(cov)
        return (f"{net.candidate_edges:,} candidate edges, {net.graph.number_of_edges():,} kept, "
                f"{len(net.communities)} communities, modularity {net.modularity:.4f}")

    def note_clusters() -> str:
        net = outlet_network(cov)
        r = bias_clusters(net.graph, net.communities, n_random=n_random, workers=workers)
        return "; ".join(f"{s.name} {_r(s.observed)} (null {_r(s.null_mean)}, z {_r(s.z, 2)})" for s in r.scores)

    works: list[tuple[str, Callable[[], str]]] = [
        ("blindspots", lambda: f"{len(blindspots(cov).blindspots)} blindspots"),
        ("projection (B @ B.T)", lambda: f"{projection(cov):,} co-covering pairs"),
        ("outlet-network", note_network),
        ("lead-lag", lambda: f"{lead_lag(cov).graph.number_of_edges():,} lead edges"),
        ("gaps", lambda: f"{len(gaps(cov, busiest).stories)} gaps of {busiest}"),
        ("timeline", lambda: f"{len(timeline(corpus.articles).days)} days"),
        ("raters", lambda: f"{len(raters(cov, corpus.outlets).flips)} flips"),
        ("entities", lambda: f"{entity_network(corpus.mentions).graph.number_of_edges():,} entity links"),
        ("entity-framing", lambda: f"{len(entity_framing(corpus.mentions).entities)} entities framed"),
    ]
    if n_random:
        works.append((f"bias-clusters ({n_random} null)", note_clusters))
    for label, work in works:
        if label.split(" ")[0] in skip or (only and label.split(" ")[0] not in only):
            print(f"  {label:<30} skipped")
            continue
        elapsed, peak, note, cpu = measure(work, timeout)
        corpus.timings[label] = elapsed if elapsed is not None else float("nan")
        corpus.peaks[label] = peak
        shown = f"{elapsed:8.2f} s" if elapsed is not None else f"> {timeout:.0f} s  "
        print(f"  {label:<30} {shown}  cpu {cpu:8.2f} s  peak {peak / 2**20:7.0f} MiB   {note}", flush=True)
    verdicts(corpus, timeout)


def _r(x: float | None, digits: int = 3) -> float | None:
    return None if x is None else round(x, digits)


def verdicts(corpus: Corpus, timeout: float) -> None:
    """A PASS/FAIL line per goal that applies to the corpus."""
    kind = "million" if corpus.kind == "synthetic" and corpus.articles_count >= 1_000_000 else corpus.kind
    if kind not in GOALS:
        return
    each, clusters = GOALS[kind]
    for label, t in corpus.timings.items():
        if label.startswith("projection"):
            continue  # a part of outlet-network, not an analysis
        goal = clusters if label.startswith("bias-clusters") else each
        shown = f"> {timeout:.0f} s" if math.isnan(t) else f"{t:.2f} s"
        ok = not math.isnan(t) and t < goal
        print(f"  {'PASS' if ok else 'FAIL'}  {corpus.name}: {label} {shown} < {goal:.0f} s")
    if kind == "million":
        peak = max(corpus.peaks.values(), default=0)
        print(f"  {'PASS' if peak < MEMORY_GOAL else 'FAIL'}  {corpus.name}: peak memory "
              f"{peak / 2**30:.2f} GiB < 8 GiB")


def projection(rows: list[CoverageRow]) -> int:
    """The outlet projection alone (``B @ B.T``, upper triangle): how many co-covering pairs."""
    B, _, _ = coverage_matrix(rows)
    return sparse.triu(B @ B.T, k=1).nnz


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
        for algorithm, implementation in (("louvain", "igraph"), ("louvain", "networkx"), ("leiden", "igraph")):
            qs, times, labels = [], [], []
            for seed in range(seeds):
                start = time.perf_counter()
                found = (communities(graph, algorithm=algorithm, seed=seed) if implementation == "igraph" else
                         communities(graph, algorithm=algorithm, seed=seed, implementation=implementation))
                times.append(time.perf_counter() - start)
                qs.append(nx.community.modularity(graph, [set(c) for c in found], weight="weight"))
                of = {n: i for i, c in enumerate(found) for n in c}
                labels.append([of[n] for n in graph])
            agree = [nmi(a, b) for a, b in itertools.combinations(labels, 2)]
            name = "louvain-nx" if implementation == "networkx" else algorithm
            print(f"  {what:<10} {name:<10} modularity {np.mean(qs):.4f} (sd {np.std(qs, ddof=1):.4f}, "
                  f"min {min(qs):.4f})  median {statistics.median(times):.3f} s  NMI between seeds "
                  f"{np.mean(agree):.3f}  {min(len(set(x)) for x in labels)}-{max(len(set(x)) for x in labels)} "
                  "communities", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dense", type=int, nargs="*", default=[],
                    help="Dense aggregator-like streams of this many three-day copies (1: about 270 stories).")
    ap.add_argument("--abp", help="Article-Bias-Prediction articles.jsonl.gz")
    ap.add_argument("--synthetic", type=int, nargs="*", default=[], help="Article counts.")
    ap.add_argument("--outlets", type=int, default=5000)
    ap.add_argument("--store", help="Also time reading rows from this store URL.")
    ap.add_argument("--null-models", type=int, default=100)
    ap.add_argument("--timeout", type=float, default=900.0, help="Stop an analysis after this many seconds.")
    ap.add_argument("--skip", nargs="*", default=[], help="Analyses not to run (e.g. entities entity-framing).")
    ap.add_argument("--only", nargs="*", default=[],
                    help="Run only these analyses (e.g. bias-clusters); the others are skipped.")
    ap.add_argument("--workers", type=int, help="Processes for the randomisations (default: all cores).")
    ap.add_argument("--communities", action="store_true", help="Compare Louvain and Leiden instead.")
    args = ap.parse_args()
    builders: list[tuple[str, Callable[[], Corpus]]] = []
    if args.store:
        builders.append((f"store {args.store}", lambda: store_corpus(args.store)))
    builders += [(f"dense stream x{k}", lambda k=k: dense_corpus(k)) for k in args.dense]
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
            bench(corpus, args.null_models, args.timeout, args.workers, set(args.skip), set(args.only))
        done.append(Corpus(corpus.name, [], [], [], [], corpus.kind, corpus.timings, corpus.peaks,
                           len(corpus.coverage), len(corpus.articles)))
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
    return Corpus(url, coverage, articles, mentions, list(store.get_outlets()), kind="real")


if __name__ == "__main__":
    main()
