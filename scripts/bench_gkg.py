"""Benchmark: GDELT GKG 2.1 ingest rate (records/s) and the reader's memory on a file and on ten copies of it.

Usage: python scripts/bench_gkg.py FILE.gkg.csv[.zip] [--copies 10]

Rows: the reader alone; end-to-end ingest into a fresh embedded store (GKG
records carry their own entities, so no NER runs); re-ingest (a no-op). The
reader's peak traced memory on the file and on ``--copies`` copies of it
shows whether it streams: the two should be about the same.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from pathlib import Path

from newsgraph.engine.config import get_settings
from newsgraph.engine.ingest.gkg import open_gkg, read_gkg
from newsgraph.engine.pipeline import Ingestor
from newsgraph.engine.store.sqlite import SQLiteStore


def read_all(path: Path) -> tuple[int, float, int]:
    """Records read, seconds (untraced), peak traced bytes (a second, traced pass)."""
    t = time.perf_counter()
    n = sum(1 for _ in read_gkg(path))
    seconds = time.perf_counter() - t
    tracemalloc.start()
    sum(1 for _ in read_gkg(path))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return n, seconds, peak


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("gkg")
    p.add_argument("--copies", type=int, default=10)
    args = p.parse_args()
    settings = get_settings()
    src = Path(args.gkg)
    sum(1 for _ in read_gkg(src))  # warm up: URL and entity tables load once per process
    with tempfile.TemporaryDirectory() as tmp:
        n, seconds, peak = read_all(src)
        big = Path(tmp) / "copies.gkg.csv"
        with open_gkg(src) as f:
            data = f.read()
        with big.open("wb") as out:
            for _ in range(args.copies):
                out.write(data)
        del data
        n_big, seconds_big, peak_big = read_all(big)
        store = SQLiteStore(Path(tmp) / "bench.db")
        t = time.perf_counter()
        report = Ingestor(store, settings).ingest([str(src)], format="gkg")
        e2e = time.perf_counter() - t
        t = time.perf_counter()
        again = Ingestor(store, settings).ingest([str(src)], format="gkg")
        rerun = time.perf_counter() - t
        counts = store.stats()
        store.close()
    print(f"file: {src.name}, {n} records")
    print(f"reader alone       : {n / seconds:9.0f} records/s, peak {peak / 2**20:6.1f} MiB")
    print(f"reader, {args.copies:>2} copies  : {n_big / seconds_big:9.0f} records/s, peak {peak_big / 2**20:6.1f} MiB "
          f"({n_big} records)")
    print(f"newsgraph ingest   : {n / e2e:9.0f} records/s ({e2e:.2f} s; stored {report.stored}, "
          f"duplicates {report.duplicates}, rejected {report.rejected}, stories {report.stories_new})")
    print(f"re-ingest (no-op)  : {n / rerun:9.0f} records/s ({rerun:.2f} s; already stored {again.already_stored})")
    print("graph: " + ", ".join(f"{v} {k}" for k, v in {**counts["nodes"], **counts["relationships"]}.items()))


if __name__ == "__main__":
    main()
