"""Benchmark: the web API's throughput and latency, driven from another process over loopback.

Usage: python scripts/bench_api.py --store sqlite:///PATH [--neo4j] [--duration 5] [--concurrency 32]
                                  [--workers N] [--json]

Starts ``newsgraph serve`` on the store in a child process (``--workers``
uvicorn processes, no access log), waits for ``/health``, picks a real story, outlet and entity from
the API, then for each endpoint keeps ``concurrency`` requests in flight for
``duration`` seconds and reports requests per second, p50 and p99 latency and
the number of non-200 answers. Repeated GETs are answered from the app's
response cache (``api/cache.py``), so the table also gives each endpoint's
first, uncached answer time, which is what the store costs.

The last lines say PASS or FAIL for each goal of the reads the store answers
(distinct URLs): entity neighbourhood and entity view p99 < 100 ms (also for
the 50 most mentioned entities), story card p99 < 50 ms, story page >= 300
pages/s, and on Neo4j the story list >= 500 requests/s with p99 < 100 ms.

With ``--neo4j`` it then builds a local Neo4j server's database from the SQLite
store (``newsgraph neo4j import``, in a temporary directory: the same database as
``newsgraph sync`` into an empty one gives, a few times faster), starts it and
measures the same endpoints on it.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from newsgraph.engine import neo4j_server


ROOT = Path(__file__).resolve().parents[1]
NEO4J_PASSWORD = "newsgraph-bench"


def start_server(store: str, port: int, env: dict[str, str] | None = None, workers: int = 1) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    cmd = [sys.executable, "-m", "newsgraph.engine.cli", "serve", "--store", store, "--port", str(port),
           "--workers", str(workers), "--no-access-log"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the server did not start")


def endpoints(base: str) -> dict[str, str]:
    story = httpx.get(f"{base}/api/stories", params={"limit": 1}).json()["data"][0]["id"]
    outlet = httpx.get(f"{base}/api/outlets", params={"limit": 1}).json()["data"][0]["id"]
    entity = httpx.get(f"{base}/api/entities", params={"limit": 1}).json()["data"][0]["id"]
    return {
        "health": "/health",
        "story list": "/api/stories",
        "story list, filtered": "/api/stories?side=right&q=the",
        "story card": f"/api/stories/{story}",
        "outlet list": "/api/outlets",
        "outlet profile": f"/api/outlets/{outlet}",
        "entity list": "/api/entities",
        "entity search": "/api/entities?q=an",
        "entity neighbourhood": f"/api/entities/{entity}",
        "blindspots": "/api/blindspots",
        "story page (HTML)": f"/stories/{story}",
        "blindspots page (HTML)": "/blindspots",
    }


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """One GET on a kept-alive connection; the answer's status (its body is read and dropped)."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
        elif name.strip().lower() == b"transfer-encoding":
            raise ValueError("chunked answers are not read by this client")
    await reader.readexactly(length)
    return status


async def drive(base: str, paths: list[str], duration: float, concurrency: int) -> dict:
    """Keep ``concurrency`` kept-alive connections busy with GETs for ``duration`` seconds.

    Requests take ``paths`` in turn (one path: the same request again and
    again). A bare HTTP/1.1 client on asyncio streams: a general-purpose client
    costs more CPU per request than the server does, and both share the machine.
    """
    host, port = base.removeprefix("http://").split(":")
    requests = [f"GET {p} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode() for p in paths]
    turn = itertools.count()
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + duration

    async def worker():
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while time.monotonic() < stop:
                request = requests[next(turn) % len(requests)]
                t0 = time.perf_counter()
                try:
                    status = await asyncio.wait_for(_get(reader, writer, request), 30)
                except (asyncio.TimeoutError, asyncio.IncompleteReadError, ConnectionError):
                    errors += 1  # a timeout counts as an error and the connection is opened anew
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, int(port))
                    continue
                latencies.append(time.perf_counter() - t0)
                errors += status != 200
        finally:
            writer.close()

    started = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.monotonic() - started
    if not latencies:
        return {"requests": 0, "rps": 0.0, "p50_ms": float("nan"), "p99_ms": float("nan"), "errors": errors}
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "p50_ms": 1000 * q[49],
            "p99_ms": 1000 * q[98], "errors": errors, "distinct": len(paths)}


def _ids(base: str, resource: str, n: int) -> list[str]:
    out: list[str] = []
    while len(out) < n:
        page = httpx.get(f"{base}/api/{resource}", params={"limit": 200, "offset": len(out)}, timeout=600).json()
        out += [d["id"] for d in page["data"]]
        if not page["data"] or len(out) >= page["count"]:
            break
    return out[:n]


def distinct_endpoints(base: str, n: int = 5000) -> dict[str, list[str]]:
    """Many different URLs per endpoint, so that requests reach the store instead of the response cache."""
    stories, outlets, entities = _ids(base, "stories", n), _ids(base, "outlets", n), _ids(base, "entities", n)
    pages = range(0, 20 * len(stories), 20)
    return {
        "story list": [f"/api/stories?offset={o}" for o in pages],
        "story card": [f"/api/stories/{s}" for s in stories],
        "outlet profile": [f"/api/outlets/{o}" for o in outlets],
        "entity neighbourhood": [f"/api/entities/{e}" for e in entities],
        # the most mentioned entities first in the list: the hubs ("United States")
        "entity neighbourhood, 50 hubs": [f"/api/entities/{e}" for e in entities[:50]],
        "entity view (HTML)": [f"/views/entity/{e}" for e in entities],
        "entity view (HTML), 50 hubs": [f"/views/entity/{e}" for e in entities[:50]],
        "story page (HTML)": [f"/stories/{s}" for s in stories],
    }


# the goals for reads the store answers (distinct URLs): (result name, figure, at most / at least, bound)
GOALS = (
    ("entity neighbourhood, distinct URLs", "p99_ms", "<", 100),
    ("entity neighbourhood, 50 hubs, distinct URLs", "p99_ms", "<", 100),
    ("entity view (HTML), distinct URLs", "p99_ms", "<", 100),
    ("entity view (HTML), 50 hubs, distinct URLs", "p99_ms", "<", 100),
    ("story card, distinct URLs", "p99_ms", "<", 50),
    ("story page (HTML), distinct URLs", "rps", ">=", 300),
)
NEO4J_GOALS = (
    ("story list, distinct URLs", "rps", ">=", 500),
    ("story list, distinct URLs", "p99_ms", "<", 100),
)


def verdicts(kind: str, results: dict[str, dict]) -> list[str]:
    """One PASS or FAIL line per goal that applies to the store ``kind``."""
    lines = []
    for name, figure, op, bound in GOALS + (NEO4J_GOALS if kind == "neo4j" else ()):
        value = results.get(name, {}).get(figure, float("nan"))
        ok = value < bound if op == "<" else value >= bound
        lines.append(f"{'PASS' if ok else 'FAIL'} {kind} {name}: {figure} {value:.1f} {op} {bound}")
    return lines


def bench(store: str, duration: float, concurrency: int, env: dict[str, str] | None = None,
          workers: int = 1) -> dict[str, dict]:
    """Serve ``store`` in a child process and drive each endpoint; the first request of each warms it up.

    Then the endpoints with many possible URLs again, each request a URL not
    asked before (until the URLs run out, which the ``distinct`` column says):
    what a long tail of readers costs, with the store answering.
    """
    port = neo4j_server.free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(store, port, env, workers)
    try:
        paths = endpoints(base)
        first = {}
        for name, path in paths.items():  # the first answer is computed by the store; repeats come from the cache
            t0 = time.perf_counter()
            httpx.get(base + path, timeout=600).raise_for_status()
            first[name] = 1000 * (time.perf_counter() - t0)
        results = {name: {**asyncio.run(drive(base, [path], duration, concurrency)), "first_ms": first[name]}
                   for name, path in paths.items()}
        for name, many in distinct_endpoints(base).items():
            results[f"{name}, distinct URLs"] = {**asyncio.run(drive(base, many, duration, concurrency)),
                                                 "first_ms": float("nan")}
        return results
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # keep-alive connections can hold a graceful shutdown
            proc.kill()
            proc.wait()


def bench_neo4j(sqlite_url: str, duration: float, concurrency: int, workers: int = 1) -> dict[str, dict]:
    """Build a local Neo4j server's database from the SQLite store (``newsgraph neo4j import``), bench it, stop it."""
    with tempfile.TemporaryDirectory(prefix="newsgraph-bench-neo4j-") as data:
        port = neo4j_server.free_port()
        env = {"NEWSGRAPH_NEO4J_PASSWORD": NEO4J_PASSWORD, "PYTHONPATH": str(ROOT)}
        state_url = f"bolt://127.0.0.1:{port}"
        try:
            t0 = time.monotonic()
            subprocess.run([sys.executable, "-m", "newsgraph.engine.cli", "neo4j", "import", "--from", sqlite_url,
                            "--data", data, "--port", str(port), "--timeout", "1800"],
                           env={**os.environ, **env}, check=True, stdout=subprocess.DEVNULL)
            print(f"imported into Neo4j in {time.monotonic() - t0:.0f} s", file=sys.stderr, flush=True)
            reads = in_process(state_url, env)
            print(*in_process_lines("neo4j", reads), sep="\n", flush=True)
            return bench(state_url, duration, concurrency, env, workers)
        finally:
            neo4j_server.stop(data)


def in_process(store_url: str, env: dict[str, str] | None = None, n: int = 300, hubs: int = 50) -> dict[str, dict]:
    """Reads timed in this process, each asked once (no response cache): the store's cost, for the 50 most
    mentioned entities (the hubs) and ``n`` others, ``n`` story cards (the store's rows alone, then the whole
    card as the API gives it: with the stored key points and sides and the related stories) and the story list
    at spread offsets; each kind of read is asked once first, untimed, for entities and stories outside the samples."""
    import random

    from newsgraph.engine.analysis.story_card import story_card
    from newsgraph.engine.config import get_settings
    from newsgraph.engine.store import open_store
    from newsgraph.engine.story_sections import story_sections
    from newsgraph.engine.views import entity_view

    os.environ.update(env or {})
    settings = get_settings()
    store = open_store(store_url, settings)

    def full_card(story_id: str):
        """The card as ``/api/stories/{id}`` builds it: rows, stored key points and sides, related stories."""
        rows = store.story_rows(story_id)
        return story_card(rows, sections=story_sections(store, rows, settings, save=False))

    try:
        hub_rows, entity_total = store.search_entities(limit=hubs)
        entities = [e["id"] for e in hub_rows]
        rng = random.Random(7)
        stories, total = store.search_stories(limit=n, offset=0)
        # a stretch of n entities past the hubs; in a small store, wherever n of them still fit
        start = rng.randrange(50, 5000) if entity_total >= 5000 + n else rng.randrange(max(1, entity_total - n + 1))
        others = [e["id"] for e in store.search_entities(limit=n, offset=start)[0]]
        # asked first, untimed: the least mentioned entities and the stories after the sample, outside every
        # timed sample. A Neo4j server plans each query on its first run and reuses the plan, whatever the
        # parameters: planning is paid once per server, not per read, so it is left out of the reads' times
        warm_entities = [e["id"] for e in store.search_entities(limit=3, offset=max(0, entity_total - 3))[0]]
        warm_stories = [s["id"] for s in store.search_stories(limit=3, offset=n)[0]]
        for e in warm_entities:
            store.entity_neighbourhood(e)
            entity_view(store, e, links=True)
        for s in warm_stories:
            full_card(s)
        store.search_stories(limit=20, offset=max(0, total - 20))
        out = {}

        def timed(name: str, calls: list) -> None:
            times = []
            for call in calls:
                t0 = time.perf_counter()
                call()
                times.append(1000 * (time.perf_counter() - t0))
            q = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else times * 99
            out[name] = {"calls": len(times), "p50_ms": q[49], "p99_ms": q[98], "max_ms": max(times)}

        timed("entity neighbourhood, hubs", [lambda e=e: store.entity_neighbourhood(e) for e in entities])
        timed("entity neighbourhood, others", [lambda e=e: store.entity_neighbourhood(e) for e in others])
        timed("entity view, hubs", [lambda e=e: entity_view(store, e, links=True) for e in entities])
        timed("story rows", [lambda s=s["id"]: store.story_rows(s) for s in stories])
        timed("story card", [lambda s=s["id"]: full_card(s) for s in stories])
        offsets = [rng.randrange(0, max(1, total)) for _ in range(n)]
        timed("story list at random offsets", [lambda o=o: store.search_stories(limit=20, offset=o) for o in offsets])
        return out
    finally:
        store.close()


IN_PROCESS_GOALS = (
    ("entity neighbourhood, hubs", "p99_ms", "<", 100),
    ("entity neighbourhood, others", "p99_ms", "<", 100),
    ("entity view, hubs", "p99_ms", "<", 100),
    ("story card", "p99_ms", "<", 50),
)


def in_process_lines(kind: str, results: dict[str, dict]) -> list[str]:
    lines = [f"{kind}, in-process, uncached: " + "; ".join(
        f"{name} p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, max {r['max_ms']:.1f} ms"
        for name, r in results.items())]
    for name, figure, op, bound in IN_PROCESS_GOALS + (
            (("story list at random offsets", "p99_ms", "<", 100),) if kind == "neo4j" else ()):
        value = results[name][figure]
        ok = value < bound if op == "<" else value >= bound
        lines.append(f"{'PASS' if ok else 'FAIL'} {kind} in-process {name}: {figure} {value:.1f} {op} {bound}")
    return lines


def table(results: dict[str, dict]) -> str:
    lines = ["| endpoint | first answer ms | requests/s | p50 ms | p99 ms | errors | URLs |",
             "|---|---|---|---|---|---|---|"]
    lines += [f"| {name} | {r['first_ms']:.1f} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | "
              f"{r['errors']} | {r['distinct']} |" for name, r in results.items()]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", required=True, help="Store URL (sqlite:///PATH or bolt://HOST:PORT).")
    ap.add_argument("--neo4j", action="store_true", help="Also copy the SQLite store into a local Neo4j and bench it.")
    ap.add_argument("--duration", type=float, default=5.0, help="Seconds per endpoint.")
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--workers", type=int, default=1, help="Server processes (newsgraph serve --workers).")
    ap.add_argument("--neo4j-only", action="store_true", help="With --neo4j: skip the SQLite store's run.")
    ap.add_argument("--in-process-only", action="store_true", help="Only the in-process, uncached reads.")
    ap.add_argument("--sample", type=int, default=300, help="In-process: entities, cards and offsets timed.")
    ap.add_argument("--hubs", type=int, default=50, help="In-process: the most mentioned entities timed.")
    ap.add_argument("--json", action="store_true", help="Print JSON instead of a table.")
    args = ap.parse_args()
    if args.neo4j and not args.store.startswith("sqlite:"):
        raise SystemExit("--neo4j copies a SQLite store: give --store sqlite:///PATH")
    kind = "sqlite" if args.store.startswith("sqlite:") else "neo4j"
    results = {}
    if not (args.neo4j and args.neo4j_only):
        print(*in_process_lines(kind, in_process(args.store, n=args.sample, hubs=args.hubs)), sep="\n", flush=True)
        if args.in_process_only:
            return
        results[kind] = bench(args.store, args.duration, args.concurrency, workers=args.workers)
    if results and not args.json:  # shown before the Neo4j run, which takes minutes
        kind, first = next(iter(results.items()))
        print(table(first), *verdicts(kind, first), sep="\n", flush=True)
    if args.neo4j:
        results["neo4j"] = bench_neo4j(args.store, args.duration, args.concurrency, args.workers)
        if not args.json:
            print(f"\nneo4j\n\n{table(results['neo4j'])}", *verdicts("neo4j", results["neo4j"]), sep="\n")
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
