"""Benchmark: the web API's throughput and latency, driven from another process over loopback.

Usage: python scripts/bench_api.py --store URL [--duration 5] [--concurrency 32] [--json]

Starts ``newsgraph serve`` on the store in a child process (one uvicorn
worker), waits for ``/health``, picks a real story, outlet and entity from
the API, then for each endpoint keeps ``concurrency`` requests in flight for
``duration`` seconds and reports requests per second, p50 and p99 latency and
the number of non-200 answers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(store: str, port: int) -> subprocess.Popen:
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    cmd = [sys.executable, "-m", "engine.cli", "serve", "--store", store, "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
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
        "entity search": "/api/entities?q=an",
        "entity neighbourhood": f"/api/entities/{entity}",
        "story page (HTML)": f"/stories/{story}",
    }


async def drive(base: str, path: str, duration: float, concurrency: int) -> dict:
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + duration
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def worker():
            nonlocal errors
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                r = await client.get(path)
                latencies.append(time.perf_counter() - t0)
                errors += r.status_code != 200

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.monotonic() - started
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "p50_ms": 1000 * q[49],
            "p99_ms": 1000 * q[98], "errors": errors}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", required=True, help="Store URL (sqlite:///PATH or bolt://HOST:PORT).")
    ap.add_argument("--duration", type=float, default=5.0, help="Seconds per endpoint.")
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--json", action="store_true", help="Print JSON instead of a table.")
    args = ap.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(args.store, port)
    try:
        results = {name: asyncio.run(drive(base, path, args.duration, args.concurrency))
                   for name, path in endpoints(base).items()}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # keep-alive connections can hold a graceful shutdown
            proc.kill()
            proc.wait()
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print("| endpoint | requests/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} |")


if __name__ == "__main__":
    main()
