"""Benchmark: the Neo4j store's neighbourhood of a hub entity, query by query (PROFILE db hits and server ms).

Usage: python scripts/bench_hub.py --data DIR [--articles 20000] [--outlets 300] [--others 15] [--pool 1000]
                                   [--runs 5] [--json]

Builds a synthetic graph with one hub, ``misc:hub``: ``--articles`` articles
spread over ``--outlets`` outlets, every one mentioning the hub and
``--others`` entities drawn at random from a pool of ``--pool``, five articles
a story (so the hub is about every story). The graph is written through the
embedded store's write API (``upsert_*``, ``refresh_derived``, co-mention
counts kept as at ingest) and copied with ``newsgraph sync`` into an empty
Neo4j, the local server started in ``DIR`` (1 GB heap, 256 MB page cache, as
the tests start theirs). A later run with the same ``DIR`` skips the build
and reads the database there, so two versions of the store are compared on
one database (a version that migrates older databases does it when it
connects: the time to connect is printed).

Then ``entity_neighbourhood(hub)`` is called once to learn the queries it
sends, and each of them runs ``--runs`` times more under ``PROFILE``, warm:
the db hits of its plan (a deterministic count) and the server's time
(result available plus consumed), median and max. The neighbourhood itself
is then timed ``--runs`` times in-process. The machine's load average is
printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from newsgraph.engine import neo4j_server
from newsgraph.engine.models import Article, Assignment, Entity, Mention, Outlet, Story
from newsgraph.engine.store import SQLiteStore, StoredArticle
from newsgraph.engine.sync import sync
from newsgraph.graph_schema import cypher

PASSWORD = "newsgraph-bench"
HUB = "misc:hub"
T0 = datetime(2025, 1, 1, tzinfo=timezone.utc)


def build(sqlite: SQLiteStore, *, articles: int, outlets: int, others: int, pool: int, seed: int = 7) -> None:
    """Write the synthetic hub graph into ``sqlite`` through the store's write API, 1,000 articles a batch."""
    rng = random.Random(seed)
    outlet_ids = [f"outlet{k:03d}.com" for k in range(outlets)]
    sqlite.upsert_outlets([Outlet(o, f"Outlet {k}") for k, o in enumerate(outlet_ids)])
    pool_ids = [f"misc:e{k:05d}" for k in range(pool)]
    sqlite.upsert_entities([Entity(HUB, "Hub", "MISC"), *(Entity(e, e, "MISC") for e in pool_ids)])
    for lo in range(0, articles, 1000):
        ids = range(lo, min(articles, lo + 1000))
        batch, mentions, assignments, stories = [], [], [], {}
        for i in ids:
            outlet = outlet_ids[rng.randrange(outlets)]
            when = T0 + timedelta(minutes=i)
            a = Article(id=f"a{i:06d}", url=f"https://{outlet}/{i}", title=f"Article {i}", published_at=when,
                        outlet_id=outlet, outlet_name=outlet, lead="lead")
            batch.append(StoredArticle(a, title_key=f"{outlet}|article {i}|{when:%Y-%m-%d}", content_hash=f"h{i}"))
            mentions += [Mention(a.id, e) for e in [HUB, *rng.sample(pool_ids, others)]]
            sid = f"s{i // 5:06d}"
            stories.setdefault(sid, Story(sid, f"Story {i // 5}", when, when))
            assignments.append(Assignment(a.id, sid, 0.9))
        sqlite.upsert_articles(batch)
        sqlite.upsert_mentions(mentions)
        sqlite.upsert_stories(list(stories.values()), assignments)
        sqlite.refresh_derived(stories)


def plan_hits(plan) -> int:
    """The db hits of a profiled plan, summed over its operators."""
    return plan.get("dbHits", 0) + sum(plan_hits(c) for c in plan.get("children", []))


def profile(store, runs: int) -> list[dict]:
    """Each query ``entity_neighbourhood(HUB)`` sends, profiled ``runs`` times (after one run that warms it)."""
    sent = []
    read = store._read

    def recording(query, **params):
        sent.append((query, params))
        return read(query, **params)

    store._read = recording
    try:
        store.entity_neighbourhood(HUB)
    finally:
        store._read = read
    names = {v: k for k, v in vars(cypher).items() if isinstance(v, str) and k.isupper()}
    out = []
    with store.driver.session(database=store.database) as session:
        for query, params in sent:
            hits, ms = [], []
            for _ in range(runs + 1):
                summary = session.run("PROFILE " + query, params).consume()
                hits.append(plan_hits(summary.profile))
                ms.append(summary.result_available_after + summary.result_consumed_after)
            hits, ms = hits[1:], ms[1:]
            out.append({"query": names.get(query, query.split("\n", 2)[1][:40]), "db_hits": statistics.median(hits),
                        "db_hits_max": max(hits), "ms_median": statistics.median(ms), "ms_max": max(ms)})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("--data", required=True, help="The local Neo4j's directory (built there on the first run).")
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--outlets", type=int, default=300)
    ap.add_argument("--others", type=int, default=15, help="Entities besides the hub each article mentions.")
    ap.add_argument("--pool", type=int, default=1000, help="The entities the others are drawn from.")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    import neo4j

    from newsgraph.engine.store.neo4j import Neo4jStore

    data = Path(args.data)
    built = data / "hub-built.json"  # the build's figures, written once the database holds the graph
    fresh = not built.exists()
    state = neo4j_server.start(port=neo4j_server.free_port(), data=data, password=PASSWORD, timeout=300)
    report: dict = {"build": None}
    driver = neo4j.GraphDatabase.driver(state.url, auth=("neo4j", PASSWORD), notifications_min_severity="OFF")
    try:
        if fresh:
            t0 = time.perf_counter()
            sqlite = SQLiteStore(data / "hub.db")
            build(sqlite, articles=args.articles, outlets=args.outlets, others=args.others, pool=args.pool)
            t1 = time.perf_counter()
            target = Neo4jStore(driver, url=state.url)
            sync(sqlite, target)
            target.close()
            sqlite.close()
            built.write_text(json.dumps({"sqlite_s": round(t1 - t0, 1), "sync_s": round(time.perf_counter() - t1, 1)}))
        report["build"] = json.loads(built.read_text())
        t0 = time.perf_counter()
        store = Neo4jStore(driver, url=state.url)
        report["connect_s"] = round(time.perf_counter() - t0, 2)
        report["stats"] = store.stats()
        report["queries"] = profile(store, args.runs)
        times = []
        for _ in range(args.runs + 1):
            t0 = time.perf_counter()
            store.entity_neighbourhood(HUB)
            times.append(1000 * (time.perf_counter() - t0))
        report["neighbourhood_ms"] = {"median": round(statistics.median(times[1:]), 1), "max": round(max(times[1:]), 1)}
        report["load"] = os.getloadavg()[0]
        store.close()
    finally:
        driver.close()
        neo4j_server.stop(data)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"build {report['build']}; connect {report['connect_s']} s; load {report['load']:.1f}")
    print(f"{'query':28} {'db hits':>10} {'ms median':>10} {'ms max':>8}")
    for r in report["queries"]:
        print(f"{r['query']:28} {r['db_hits']:>10,} {r['ms_median']:>10} {r['ms_max']:>8}")
    print(f"entity_neighbourhood(hub): median {report['neighbourhood_ms']['median']} ms, "
          f"max {report['neighbourhood_ms']['max']} ms (in-process, warm)")


if __name__ == "__main__":
    main()
