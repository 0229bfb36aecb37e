"""Benchmark: what a flood of keyless analysis requests, each with a seed of its own, costs the other readers.

Usage: python scripts/bench_flood.py --store sqlite:///PATH [--duration 10] [--readers 4] [--flood 16]
                                    [--analysis bias-clusters] [--slots 1000 1] [--json]

For each value of ``--slots`` (``NEWSGRAPH_PUBLIC_ANALYSIS_SLOTS``; 1000 stands for no bound) it starts
``newsgraph serve`` on the store in a child process, then for ``--duration`` seconds drives ``--readers``
connections that each ask for story pages not asked before (so the store answers them, not the response
cache), first alone and then while ``--flood`` more connections ask for ``--analysis`` without the API key,
every request with a new ``seed`` (so no cache can hold the answer). It prints, per setting, the readers'
pages per second and p50 / p99 with and without the flood, the ratio, and how the flood's requests were
answered (200: computed, 503: refused for want of a slot).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import time

from bench_api import _get, distinct_endpoints, drive, start_server


async def flood(base: str, analysis: str, duration: float, concurrency: int, seeds: itertools.count) -> dict:
    """``concurrency`` connections asking for ``analysis`` with a new seed each time, for ``duration`` seconds."""
    host, port = base.removeprefix("http://").split(":")
    stop = time.monotonic() + duration
    statuses: dict[int, int] = {}
    latencies: list[float] = []

    async def worker():
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while time.monotonic() < stop:
                request = (f"GET /api/analyses/{analysis}?seed={next(seeds)} HTTP/1.1\r\n"
                           f"Host: {host}:{port}\r\n\r\n").encode()
                t0 = time.perf_counter()
                try:
                    status = await asyncio.wait_for(_get(reader, writer, request), 120)
                except (asyncio.TimeoutError, asyncio.IncompleteReadError, ConnectionError):
                    status = 0  # no answer in time: counted as 0, and the connection opened anew
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, int(port))
                latencies.append(time.perf_counter() - t0)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return {"statuses": dict(sorted(statuses.items())),
            "p50_ms": 1000 * statistics.median(latencies) if latencies else float("nan")}


async def readers_under_flood(base: str, pages: list[str], analysis: str, duration: float, readers: int,
                              attackers: int, seeds: itertools.count) -> tuple[dict, dict]:
    reading = asyncio.create_task(drive(base, pages, duration, readers))
    flooding = asyncio.create_task(flood(base, analysis, duration, attackers, seeds))
    return await reading, await flooding


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--store", required=True)
    p.add_argument("--duration", type=float, default=10.0)
    p.add_argument("--readers", type=int, default=4, help="Connections asking for story pages.")
    p.add_argument("--flood", type=int, default=16, help="Connections asking for analyses with new seeds.")
    p.add_argument("--analysis", default="bias-clusters")
    p.add_argument("--slots", type=int, nargs="+", default=[1000, 1],
                   help="Values of NEWSGRAPH_PUBLIC_ANALYSIS_SLOTS to compare (1000: no bound in practice).")
    p.add_argument("--port", type=int, default=8791)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()

    seeds = itertools.count(1000)
    results = []
    for slots in args.slots:
        proc = start_server(args.store, args.port, env={"NEWSGRAPH_PUBLIC_ANALYSIS_SLOTS": str(slots)})
        base = f"http://127.0.0.1:{args.port}"
        try:
            pages = distinct_endpoints(base, 2000)["story page (HTML)"]
            half = len(pages) // 2  # each phase its own pages: none is answered from the response cache
            asyncio.run(drive(base, [f"/api/analyses/{args.analysis}"], 1, 1))  # the default, computed once
            alone = asyncio.run(drive(base, pages[:half], args.duration, args.readers))
            under, attack = asyncio.run(readers_under_flood(base, pages[half:], args.analysis, args.duration,
                                                            args.readers, args.flood, seeds))
        finally:
            proc.terminate()
            proc.wait()
        if max(alone["requests"], under["requests"]) > half:
            print(f"note: more requests than the {half} pages of a phase, so some were answered from the response "
                  "cache: use a larger store or a shorter --duration")
        results.append({"slots": slots, "alone": alone, "under_flood": under, "flood": attack,
                        "ratio": under["rps"] / alone["rps"] if alone["rps"] else float("nan")})

    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"story pages ({args.readers} readers) while {args.flood} connections ask for {args.analysis} "
          f"with a new seed each, {args.duration:g} s per phase:")
    print(f"{'slots':>6} {'alone p/s':>10} {'p50':>8} {'p99':>8} {'flood p/s':>10} {'p50':>8} {'p99':>9} "
          f"{'ratio':>6}  flood answers")
    for r in results:
        a, u = r["alone"], r["under_flood"]
        print(f"{r['slots']:>6} {a['rps']:>10.1f} {a['p50_ms']:>6.0f}ms {a['p99_ms']:>6.0f}ms {u['rps']:>10.1f} "
              f"{u['p50_ms']:>6.0f}ms {u['p99_ms']:>7.0f}ms {r['ratio']:>6.2f}  {r['flood']['statuses']}")


if __name__ == "__main__":
    main()
