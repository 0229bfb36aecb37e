"""Benchmark: graph writes per second into each store, and story-card query latency.

Usage: python scripts/bench_store.py ARTICLES.jsonl.gz [--limit N] [--neo4j URL] [--stores sqlite,neo4j]
                                    [--body-chars 600] [--batch 5000 [20000 ...]] [--ingest] [--keep PATH.db]

ARTICLES is the Article-Bias-Prediction corpus (Baly et al., EMNLP 2020; one
JSON article per line with title, url, date, source, topic). The graph of its
first N dated articles is built in memory first, so that only the store is
timed, not NER or clustering:

- Outlet: the article URL's host; Article: one per record;
- Entity and MENTIONS: synthesised from the titles and the first
  ``--body-chars`` characters of the text (every run of capitalised words is an
  entity ``misc:slug``), not found by spaCy; 600 characters give about 13
  entities an article, the density NER gives on its 2,000-character window;
- Story and PART_OF: one story per (date, topic), the corpus's only grouping;
- COVERED, ABOUT and CO_MENTIONED: derived from those, as the pipeline derives them.

Every node and relationship is then written with the stores' bulk writers
(``write_nodes`` / ``write_relationships``, one transaction per batch, as
``newsgraph sync`` writes), and the rate is graph elements (nodes plus
relationships) per second. The story card query (``story_rows``) is then
timed on a fixed random sample of stories. Without ``--neo4j`` a local Neo4j
is started for the run in a temporary directory (Java and Maven needed).

``--batch`` takes several sizes (rows per transaction and per ``UNWIND``) and
measures each. ``--ingest`` also writes the graph the way ingest does
(``upsert_*`` and ``refresh_derived`` per batch of 500 articles in date
order, co-mention counts kept by the store), and ``--keep`` saves the SQLite
store for ``scripts/bench_api.py``. The last lines say PASS or FAIL against
the goals: Neo4j >= 30,000 elements/s, SQLite >= 100,000.

``--sync-from STORE.db`` times ``newsgraph sync`` itself instead: the whole
graph of an SQLite store (e.g. the NER-built one of ``scripts/abp_store.py``)
copied into an empty Neo4j, once per ``--batch`` size, by the bulk path and,
with ``--compare``, by the path without it (read indexes kept up to date row by
row, ``UNWIND`` of ``NEWSGRAPH_BATCH_SIZE`` rows), the two interleaved. With
``--import`` the same store is also built into a new local Neo4j by ``newsgraph
neo4j import`` (Neo4j's offline importer; timed until the server is started on it
with every index online) and the rate compared with the bulk sync's.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import inspect
import shutil
import json
import random
import re
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from itertools import combinations
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from newsgraph.graph_schema import LABELS, RELATIONSHIPS

_NAME = re.compile(r"\b(?:[A-Z][\w'.-]+)(?:\s+[A-Z][\w'.-]+)*")
_BIAS = {"left": "left", "center": "center", "right": "right"}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def build_graph(path: str, limit: int, body_chars: int = 0) -> dict[str, list[dict]]:
    """The graph of the first ``limit`` dated articles as plain rows, by label and relationship type."""
    outlets: dict[str, dict] = {}
    articles, mentions, part_of, published = [], [], [], []
    entities: dict[str, dict] = {}
    stories: dict[str, dict] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            try:
                day = datetime.strptime(rec.get("date") or "", "%Y-%m-%d").replace(hour=12, tzinfo=timezone.utc)
            except ValueError:
                continue
            if not 2000 <= day.year <= datetime.now(timezone.utc).year:  # placeholder dates (year 1, 2050)
                continue
            host = (urlsplit(rec.get("url") or "").hostname or "").removeprefix("www.")
            if not host or not rec.get("title"):
                continue
            aid = f"abp:{rec['ID']}"
            outlets.setdefault(host, {"id": host, "name": rec.get("source"),
                                      "bias": _BIAS.get(rec.get("bias_text"), "unrated"),
                                      "factuality": "unrated", "ownership": "unknown"})
            articles.append({"id": aid, "url": rec["url"], "title": rec["title"], "published_at": day,
                             "language": "en", "word_count": len((rec.get("content_original") or "").split()),
                             "outlet_name": rec.get("source"), "extra": "{}"})
            published.append({"start_id": host, "end_id": aid})
            text = rec["title"] + ("\n" + (rec.get("content_original") or "")[:body_chars] if body_chars else "")
            names = Counter(m.group(0) for m in _NAME.finditer(text))
            for name, count in names.items():
                eid = "misc:" + _slug(name)
                if eid == "misc:":
                    continue
                entities.setdefault(eid, {"id": eid, "name": name, "type": "MISC", "aliases": "[]"})
                mentions.append({"start_id": aid, "end_id": eid, "count": count, "in_title": name in rec["title"]})
            sid = f"story:{rec['date']}:{_slug(rec.get('topic') or 'none')}"
            story = stories.setdefault(sid, {"id": sid, "title": rec["title"], "first_published": day,
                                             "last_published": day, "article_count": 0, "source_count": 0,
                                             "_outlets": set()})
            story["article_count"] += 1
            story["_outlets"].add(host)
            part_of.append({"start_id": aid, "end_id": sid, "similarity": 1.0})
            if len(articles) >= limit:
                break
    # mentions may repeat an (article, entity) pair whose slugs collide: keep one
    mentions = list({(m["start_id"], m["end_id"]): m for m in mentions}.values())
    covered: dict[tuple, dict] = {}
    story_of = {p["start_id"]: p["end_id"] for p in part_of}
    for p in published:
        key = (p["start_id"], story_of[p["end_id"]])
        row = covered.setdefault(key, {"start_id": key[0], "end_id": key[1], "articles": 0,
                                       "first_published": stories[key[1]]["first_published"]})
        row["articles"] += 1
    about_counts: dict[tuple, int] = defaultdict(int)
    for m in mentions:
        about_counts[(story_of[m["start_id"]], m["end_id"])] += 1
    about = [{"start_id": s, "end_id": e, "weight": n / stories[s]["article_count"]}
             for (s, e), n in about_counts.items()]
    for s in stories.values():
        s["source_count"] = len(s.pop("_outlets"))
    graph = {
        "Outlet": list(outlets.values()), "Article": articles, "Entity": list(entities.values()),
        "Story": list(stories.values()), "PUBLISHED": published, "MENTIONS": mentions, "PART_OF": part_of,
        "COVERED": list(covered.values()), "ABOUT": about,
    }
    if "CO_MENTIONED" in RELATIONSHIPS:  # kept co-mention counts, in the stores that keep them
        graph["CO_MENTIONED"] = co_mentioned(mentions, about)
    return graph


def co_mentioned(mentions: list[dict], about: list[dict]) -> list[dict]:
    """``CO_MENTIONED`` rows: articles and stories mentioning both entities of each pair (smaller id first)."""
    counts: dict[str, Counter] = {}
    for field, rows in (("articles", mentions), ("stories", about)):
        by_unit: dict[str, list[str]] = defaultdict(list)
        for r in rows:
            by_unit[r["start_id"]].append(r["end_id"])
        counts[field] = Counter(p for ents in by_unit.values() for p in combinations(sorted(ents), 2))
    return [{"start_id": a, "end_id": b, "articles": counts["articles"][(a, b)], "stories": counts["stories"][(a, b)]}
            for a, b in sorted(counts["articles"].keys() | counts["stories"].keys())]


def write_graph(store, graph: dict[str, list[dict]], batch: int, *, fresh: bool = False) -> float:
    """Write every row in batches, as ``newsgraph sync`` does (``fresh``: into an empty store); seconds taken."""
    bulk = {"fresh": fresh} if "fresh" in inspect.signature(store.write_relationships).parameters else {}
    # as sync does into an empty store; versions before bulk_load wrote row by row
    load = store.bulk_load() if fresh and hasattr(store, "bulk_load") else contextlib.nullcontext()
    t0 = time.perf_counter()
    with load:
        for label in LABELS:
            rows = graph.get(label, [])  # labels this corpus has none of (fingerprints of copies): none written
            for i in range(0, len(rows), batch):
                store.write_nodes(label, rows[i : i + batch], **bulk)
        for rel in RELATIONSHIPS:
            rows = graph.get(rel, [])
            for i in range(0, len(rows), batch):
                store.write_relationships(rel, rows[i : i + batch], **bulk)
    return time.perf_counter() - t0


def ingest_graph(store, graph: dict[str, list[dict]], batch: int = 500) -> float:
    """Write the graph as ingest does: per batch of ``batch`` articles in date order, entities, articles,
    mentions, stories, then the derived edges refreshed by the store; seconds taken."""
    from newsgraph.engine.models import Article, Assignment, Entity, Mention, Story
    from newsgraph.engine.store.base import StoredArticle

    entities = {e["id"]: Entity(e["id"], e["name"], e["type"]) for e in graph["Entity"]}
    outlet_of = {p["end_id"]: p["start_id"] for p in graph["PUBLISHED"]}
    story_of = {p["start_id"]: p["end_id"] for p in graph["PART_OF"]}
    stories = {s["id"]: s for s in graph["Story"]}
    mentions: dict[str, list[Mention]] = defaultdict(list)
    for m in graph["MENTIONS"]:
        mentions[m["start_id"]].append(Mention(m["start_id"], m["end_id"], m["count"], m["in_title"]))
    articles = sorted(graph["Article"], key=lambda a: (a["published_at"], a["id"]))
    t0 = time.perf_counter()
    store.write_nodes("Outlet", graph["Outlet"])
    for i in range(0, len(articles), batch):
        chunk = articles[i : i + batch]
        ms = [m for a in chunk for m in mentions[a["id"]]]
        sids = sorted({story_of[a["id"]] for a in chunk})
        with store.atomic():  # one unit per batch, as the pipeline writes it
            store.upsert_entities([entities[e] for e in sorted({m.entity_id for m in ms})])
            store.upsert_articles([StoredArticle(Article(a["id"], a["url"], a["title"], a["published_at"],
                                                         outlet_of[a["id"]], a["outlet_name"]),
                                                 f"{a['id']}|key", f"h{a['id']}") for a in chunk])
            store.upsert_mentions(ms)
            store.upsert_stories([Story(sid, stories[sid]["title"], stories[sid]["first_published"],
                                        stories[sid]["last_published"]) for sid in sids],
                                 [Assignment(a["id"], story_of[a["id"]], 1.0) for a in chunk])
            store.refresh_derived(sids)
    return time.perf_counter() - t0


def card_latency(store, story_ids: list[str], *, warmup: int = 50) -> tuple[float, float]:
    """p50 and p99 of ``story_rows`` in milliseconds."""
    for sid in story_ids[:warmup]:
        store.story_rows(sid)
    times = []
    for sid in story_ids:
        t0 = time.perf_counter()
        store.story_rows(sid)
        times.append((time.perf_counter() - t0) * 1000)
    q = statistics.quantiles(times, n=100, method="inclusive")
    return q[49], q[98]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("articles", nargs="?", help="Required unless --sync-from.")
    ap.add_argument("--limit", type=int, default=40000, help="Articles to take (default: all).")
    ap.add_argument("--stores", default="sqlite,neo4j")
    ap.add_argument("--neo4j", help="bolt:// URL of a server to use (its database is emptied!)")
    ap.add_argument("--batch", type=int, nargs="+", default=[5000], help="Rows per write transaction (several: each).")
    ap.add_argument("--body-chars", type=int, default=0, help="Characters of the text read for entities.")
    ap.add_argument("--ingest", action="store_true", help="Also write the graph the way ingest does.")
    ap.add_argument("--keep", help="Save the SQLite store here (for scripts/bench_api.py).")
    ap.add_argument("--cards", type=int, default=500, help="Story cards to time.")
    ap.add_argument("--sync-from", help="Time newsgraph sync of this SQLite store into an empty Neo4j instead.")
    ap.add_argument("--compare", action="store_true", help="With --sync-from: also sync without the bulk path.")
    ap.add_argument("--import", dest="offline", action="store_true",
                    help="With --sync-from: also build the database with newsgraph neo4j import.")
    ap.add_argument("--profile", help="With --sync-from: write a cProfile of the (last) bulk sync here.")
    ap.add_argument("--pagecache", default="256m", help="Page cache of the Neo4j started for the run.")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.sync_from:
        bench_sync(args)
        return

    t0 = time.perf_counter()
    graph = build_graph(args.articles, args.limit, args.body_chars)
    elements = sum(len(v) for v in graph.values())
    counts = {k: len(v) for k, v in graph.items()}
    print(f"graph of {counts['Article']} articles built in {time.perf_counter() - t0:.1f} s: "
          f"{elements} elements {counts}", flush=True)
    rng = random.Random(7)
    sample = rng.sample([s["id"] for s in graph["Story"]], min(args.cards, len(graph["Story"])))
    results = {}
    goals = {"sqlite": 100_000, "neo4j": 30_000}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.stores.split(","):
            for batch in args.batch:
                store, stop = open_bench_store(kind, Path(tmp), args, batch)
                try:
                    cpu = time.process_time()
                    seconds = write_graph(store, graph, batch, fresh=True)
                    cpu = time.process_time() - cpu  # this process's: all of SQLite's work, the client's of Neo4j
                    assert sum(sum(v.values()) for v in store.stats().values()) == elements
                    again = write_graph(store, graph, batch)
                    p50, p99 = card_latency(store, sample)
                    if kind == "sqlite" and args.keep:
                        store.close()
                        shutil.copy(Path(tmp) / "bench.db", args.keep)
                        print(f"kept the SQLite store at {args.keep}")
                finally:
                    store.close()
                    stop()
                r = results[f"{kind}, batch {batch}"] = {
                    "elements": elements, "seconds": round(seconds, 2), "elements_per_s": round(elements / seconds),
                    "process_cpu_seconds": round(cpu, 2), "elements_per_process_cpu_s": round(elements / max(cpu, 1e-9)),
                    "rewrite_elements_per_s": round(elements / again), "story_card_p50_ms": round(p50, 2),
                    "story_card_p99_ms": round(p99, 2)}
                print(f"{kind:>6}, batch {batch:>6}: {r['elements_per_s']:>8} elements/s ({seconds:.1f} s, "
                      f"{cpu:.2f} CPU s here: {r['elements_per_process_cpu_s']} elements per CPU second; "
                      f"idempotent rewrite {r['rewrite_elements_per_s']}/s), story card p50 {p50:.2f} ms, "
                      f"p99 {p99:.2f} ms", flush=True)
                print(f"{'PASS' if r['elements_per_s'] >= goals[kind] else 'FAIL'} {kind} bulk writes (sync), "
                      f"batch {batch}: {r['elements_per_s']} >= {goals[kind]} elements/s", flush=True)
            if args.ingest:
                # a store of its own: emptying the bulk run's database costs more than a Neo4j transaction may
                # hold at this size, and its freed space would stay
                (Path(tmp) / "ingest").mkdir(exist_ok=True)
                store, stop = open_bench_store(kind, Path(tmp) / "ingest", args, args.batch[0])
                try:
                    seconds = ingest_graph(store, graph)
                    stored = sum(sum(v.values()) for v in store.stats().values())
                finally:
                    store.close()
                    stop()
                r = results[f"{kind}, ingest"] = {"elements": stored, "seconds": round(seconds, 2),
                                                  "elements_per_s": round(stored / seconds)}
                print(f"{kind:>6}, ingest path: {r['elements_per_s']:>8} elements/s ({stored} elements in "
                      f"{seconds:.1f} s)", flush=True)
                print(f"{'PASS' if r['elements_per_s'] >= goals[kind] else 'FAIL'} {kind} ingest writes: "
                      f"{r['elements_per_s']} >= {goals[kind]} elements/s", flush=True)
    if args.json:
        print(json.dumps(results, indent=2))


def bench_sync(args) -> None:
    """``newsgraph sync`` of ``args.sync_from`` into an empty Neo4j: elements/s by path and batch size."""
    import cProfile

    from newsgraph.engine.config import get_settings
    from newsgraph.engine.store.sqlite import SQLiteStore
    from newsgraph.engine.sync import graph_size, sync

    source = SQLiteStore(args.sync_from)
    elements = graph_size(source)
    print(f"{args.sync_from}: {elements} graph elements {source.stats()}", flush=True)
    paths = ["unbulked", "bulk"] if args.compare else ["bulk"]
    if args.offline:
        paths.append("import")
    unwind = get_settings().batch_size
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for batch in args.batch:
            for path in paths:
                if path == "import":
                    results[f"import, batch {batch}"] = bench_import(source, Path(tmp) / f"import-{batch}", args,
                                                                     elements)
                    new, old = results[f"import, batch {batch}"], results[f"bulk, batch {batch}"]
                    print(f"newsgraph neo4j import: {new['elements_per_s'] / old['elements_per_s']:.2f}x the bulk "
                          f"sync, batch {batch}", flush=True)
                    continue
                # a new server each time: an emptied database still holds the space of the last copy
                store, stop = open_bench_store("neo4j", Path(tmp) / f"{path}-{batch}", args, unwind)
                try:
                    if path == "unbulked":  # as before the bulk path: indexes kept row by row, small UNWINDs
                        store.bulk_load = contextlib.nullcontext
                    prof = cProfile.Profile() if args.profile and path == "bulk" else None
                    cpu, t0 = time.process_time(), time.perf_counter()
                    if prof:
                        prof.enable()
                    report = sync(source, store, batch_size=batch)
                    if prof:
                        prof.disable()
                        prof.dump_stats(args.profile)
                    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu
                    assert report.total == elements == graph_size(store), (report.total, elements)
                    r = results[f"{path}, batch {batch}"] = {
                        "elements": elements, "seconds": round(seconds, 1), "elements_per_s": round(elements / seconds),
                        "client_cpu_seconds": round(cpu, 1)}
                    print(f"sync {path:>8}, batch {batch:>6}{'' if path == 'bulk' else f' (UNWIND {unwind})'}: "
                          f"{r['elements_per_s']:>7} elements/s ({seconds:.1f} s; {cpu:.1f} s CPU in this process, "
                          f"reading SQLite and sending)", flush=True)
                    if path == "bulk":
                        print(f"{'PASS' if r['elements_per_s'] >= 30_000 else 'FAIL'} neo4j newsgraph sync into an "
                              f"empty database, batch {batch}: {r['elements_per_s']} >= 30000 elements/s", flush=True)
                finally:
                    store.close()
                    stop()
                    shutil.rmtree(Path(tmp) / f"{path}-{batch}", ignore_errors=True)
            if args.compare:
                new, old = results[f"bulk, batch {batch}"], results[f"unbulked, batch {batch}"]
                print(f"batch {batch}: bulk path {new['elements_per_s'] / old['elements_per_s']:.2f}x the "
                      f"unbulked one", flush=True)
    source.close()
    if args.json:
        print(json.dumps(results, indent=2))


def bench_import(source, home: Path, args, elements: int) -> dict:
    """``newsgraph neo4j import`` of ``source`` into a new local Neo4j at ``home``, until every index is online."""
    import neo4j

    from newsgraph.engine import neo4j_server
    from newsgraph.engine.neo4j_import import import_graph
    from newsgraph.engine.store.neo4j import Neo4jStore
    from newsgraph.engine.sync import graph_size

    port = neo4j_server.free_port()
    cpu, t0 = time.process_time(), time.perf_counter()
    report = import_graph(source, home, port=port, pagecache=args.pagecache, timeout=3600,
                          java_opts=("-Xms1g", "-Xmx2g", "-XX:+UseG1GC"))
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu
    try:
        driver = neo4j.GraphDatabase.driver(f"bolt://127.0.0.1:{port}", auth=None, notifications_min_severity="OFF")
        store = Neo4jStore(driver, "neo4j", url=f"bolt://127.0.0.1:{port}", owns_driver=True)
        assert report.total == elements == graph_size(store), (report.total, elements)
        store.close()
    finally:
        neo4j_server.stop(home)
        shutil.rmtree(home, ignore_errors=True)
    r = {"elements": elements, "seconds": round(seconds, 1), "elements_per_s": round(elements / seconds),
         "client_cpu_seconds": round(cpu, 1), "parts_seconds": report.seconds}
    parts = ", ".join(f"{k} {v:.1f} s" for k, v in report.seconds.items())
    print(f"newsgraph neo4j import: {r['elements_per_s']:>7} elements/s ({seconds:.1f} s: {parts}; {cpu:.1f} s CPU in "
          f"this process)", flush=True)
    print(f"{'PASS' if r['elements_per_s'] >= 30_000 else 'FAIL'} neo4j offline import into an empty database: "
          f"{r['elements_per_s']} >= 30000 elements/s", flush=True)
    return r


def open_bench_store(kind: str, tmp: Path, args, batch: int):
    from newsgraph.engine.config import get_settings

    if kind == "sqlite":
        from newsgraph.engine.store.sqlite import SQLiteStore

        (tmp / "bench.db").unlink(missing_ok=True)
        for extra in ("-wal", "-shm"):
            (tmp / f"bench.db{extra}").unlink(missing_ok=True)
        return SQLiteStore(tmp / "bench.db"), lambda: None
    if kind == "neo4j":
        import neo4j

        from newsgraph.engine import neo4j_server
        from newsgraph.engine.store.neo4j import Neo4jStore

        stop = lambda: None  # noqa: E731
        url = args.neo4j
        settings = get_settings()
        if url is None:
            data = tmp / "neo4j"
            state = neo4j_server.start(port=neo4j_server.free_port(), data=data, timeout=180,
                                       java_opts=("-Xms1g", "-Xmx2g", "-XX:+UseG1GC"), pagecache=args.pagecache)
            url = state.url
            stop = lambda: neo4j_server.stop(data)  # noqa: E731
        try:
            driver = neo4j.GraphDatabase.driver(url, auth=(settings.neo4j_user, settings.neo4j_password),
                                                notifications_min_severity="OFF")
            store = Neo4jStore(driver, settings.neo4j_database, batch, url=url, owns_driver=True)
            store.clear()
        except BaseException:
            stop()  # the server this run started does not outlive a failed start
            raise
        return store, stop
    raise SystemExit(f"unknown store {kind!r}: sqlite or neo4j")


if __name__ == "__main__":
    main()
