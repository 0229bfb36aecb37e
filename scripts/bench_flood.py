"""Benchmark: what a flood of keyless analysis requests, each with a seed of its own, costs the other readers.

Usage: python scripts/bench_flood.py --store sqlite:///PATH [--duration 10] [--readers 4] [--flood 16]
                                    [--analysis bias-clusters] [--slots 1000 1] [--json]

For each value of ``--slots`` (``NEWSGRAPH_PUBLIC_ANALYSIS_SLOTS``; 1000 stands for no bound) it starts
``newsgraph serve`` on the store in a child process, then for ``--duration`` seconds at a time drives
``--readers`` connections that each ask for story pages not asked before (so the store answers them, not
the response cache): alone; while ``--flood`` more connections ask for ``--analysis`` without the API key,
every request with a new ``seed`` (so no cache can hold the answer) and asking again at once; the same
flood with each connection waiting out the ``Retry-After`` of a 503; and, for comparison, a flood of
``/health``, the cheapest request there is. It prints, per setting and phase, the readers' pages per
second, p50 / p99 and the ratio to the readers alone, and how the flood's requests were answered (200:
computed, 503: refused for want of a slot).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import time
from typing import Callable

from bench_api import _get, distinct_endpoints, drive, start_server

RETRY_AFTER = 5.0  # what the server's 503 for busy analysis slots says


async def flood(base: str, next_path: Callable[[], str], duration: float, concurrency: int, *,
                honour_retry_after: bool = False) -> dict:
    """``concurrency`` connections asking for ``next_path()`` again and again, for ``duration`` seconds; with
    ``honour_retry_after``, a connection answered 503 waits as long as its ``Retry-After`` says first."""
    host, port = base.removeprefix("http://").split(":")
    stop = time.monotonic() + duration
    statuses: dict[int, int] = {}
    latencies: list[float] = []

    async def worker():
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while time.monotonic() < stop:
                request = f"GET {next_path()} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
                t0 = time.perf_counter()
                try:
                    status = await asyncio.wait_for(_get(reader, writer, request), 120)
                except (asyncio.TimeoutError, asyncio.IncompleteReadError, ConnectionError):
                    status = 0  # no answer in time: counted as 0, and the connection opened anew
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, int(port))
                latencies.append(time.perf_counter() - t0)
                statuses[status] = statuses.get(status, 0) + 1
                if status == 503 and honour_retry_after:
                    await asyncio.sleep(min(RETRY_AFTER, max(0.0, stop - time.monotonic())))
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return {"statuses": dict(sorted(statuses.items())),
            "p50_ms": 1000 * statistics.median(latencies) if latencies else float("nan")}


async def readers_under_flood(base: str, pages: list[str], next_path: Callable[[], str], duration: float,
                              readers: int, attackers: int, **how) -> tuple[dict, dict]:
    reading = asyncio.create_task(drive(base, pages, duration, readers))
    flooding = asyncio.create_task(flood(base, next_path, duration, attackers, **how))
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

    def analysis() -> str:
        return f"/api/analyses/{args.analysis}?seed={next(seeds)}"

    results = []
    for slots in args.slots:
        proc = start_server(args.store, args.port, env={"NEWSGRAPH_PUBLIC_ANALYSIS_SLOTS": str(slots)})
        base = f"http://127.0.0.1:{args.port}"
        try:
            pages = distinct_endpoints(base, 5000)["story page (HTML)"]
            # each phase its own pages: none is answered from the response cache
            part = len(pages) // 4
            asyncio.run(drive(base, [f"/api/analyses/{args.analysis}"], 1, 1))  # the default, computed once
            phases = {"alone": asyncio.run(drive(base, pages[:part], args.duration, args.readers))}
            phases["flood"], attack = asyncio.run(readers_under_flood(
                base, pages[part:2 * part], analysis, args.duration, args.readers, args.flood))
            phases["flood, Retry-After honoured"], polite = asyncio.run(readers_under_flood(
                base, pages[2 * part:3 * part], analysis, args.duration, args.readers, args.flood,
                honour_retry_after=True))
            phases["flood of /health"], _ = asyncio.run(readers_under_flood(
                base, pages[3 * part:], lambda: "/health", args.duration, args.readers, args.flood))
        finally:
            proc.terminate()
            proc.wait()
        if max(r["requests"] for r in phases.values()) > part:
            print(f"note: more requests than the {part} pages of a phase, so some were answered from the response "
                  "cache: use a larger store or a shorter --duration")
        results.append({"slots": slots, "phases": phases, "flood": attack, "polite_flood": polite})

    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"story pages ({args.readers} readers) alone and while {args.flood} connections ask for "
          f"{args.analysis} with a new seed each (or for /health), {args.duration:g} s per phase:")
    print("| slots | readers | pages/s | p50 ms | p99 ms | ratio to alone | the flood's answers |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        alone = r["phases"]["alone"]["rps"]
        answers = {"flood": r["flood"]["statuses"], "flood, Retry-After honoured": r["polite_flood"]["statuses"]}
        for name, ph in r["phases"].items():
            print(f"| {r['slots']} | {name} | {ph['rps']:.1f} | {ph['p50_ms']:.0f} | {ph['p99_ms']:.0f} | "
                  f"{ph['rps'] / alone if alone else float('nan'):.2f} | {answers.get(name, '')} |")


if __name__ == "__main__":
    main()
