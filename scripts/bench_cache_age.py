"""Benchmark: story pages of a store nobody writes, read for longer than the analysis cache's ttl.

Usage: python scripts/bench_cache_age.py --store URL [--duration 75] [--threads 4] [--stories 8000]

The web app runs in-process (FastAPI's test client) over the store and
``--threads`` readers ask for the pages of distinct stories (the most covered
first, each once) for ``--duration`` seconds. Every page looks up its story
in the store-wide blindspot result, which the app caches (``api/cache.py``);
the script counts how often that cache computed a result, and reports pages
per second (wall) and per CPU second of this process (a Neo4j server's own
CPU is not in it). A read longer than the cache's 30 s ttl shows what an
aged result costs when the store has not changed: the code before the store
version computed it again every 30 s.
"""

from __future__ import annotations

import argparse
import threading
import time

from fastapi.testclient import TestClient

from newsgraph.api.app import create_app
from newsgraph.engine.config import get_settings
from newsgraph.engine.store import open_store


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", required=True, help="sqlite:///PATH or bolt://HOST:PORT")
    ap.add_argument("--duration", type=float, default=75.0, help="Seconds of reading (default 75).")
    ap.add_argument("--threads", type=int, default=4, help="Readers at once (default 4).")
    ap.add_argument("--stories", type=int, default=8000, help="Distinct story pages at most (default 8000).")
    args = ap.parse_args()

    store = open_store(args.store, get_settings())
    rows, _ = store.search_stories(limit=args.stories)
    ids = [r["id"] for r in rows]
    app = create_app(get_settings(), store)
    computed: list = []
    cached_get = app.state.cache.get

    def counting_get(key, compute):
        def counted():
            computed.append(key)
            return compute()
        return cached_get(key, counted)

    app.state.cache.get = counting_get
    with TestClient(app) as client:
        client.get(f"/stories/{ids[0]}")  # the blindspot result, computed once before the clock starts
        pending, lock, pages = iter(ids[1:]), threading.Lock(), [0]
        stop = time.monotonic() + args.duration

        def read() -> None:
            while time.monotonic() < stop:
                with lock:
                    story_id = next(pending, None)
                if story_id is None:
                    return
                assert client.get(f"/stories/{story_id}").status_code == 200
                with lock:
                    pages[0] += 1

        wall, cpu = time.perf_counter(), time.process_time()
        readers = [threading.Thread(target=read) for _ in range(args.threads)]
        for t in readers:
            t.start()
        for t in readers:
            t.join()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    store.close()
    print(f"{pages[0]} story pages in {wall:.0f} s ({args.threads} readers): {pages[0] / wall:.1f} pages/s, "
          f"{pages[0] / cpu:.1f} per CPU second of this process; analysis results computed while reading: "
          f"{len(computed) - 1}")


if __name__ == "__main__":
    main()
