"""Helpers for tests that run ``newsgraph ingest`` as its own process and compare whole stores."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

from newsgraph.graph_schema import LABELS, RELATIONSHIPS

NEWSGRAPH = str(Path(sys.executable).with_name("newsgraph"))


def demo_articles(n: int) -> list[dict]:
    """The first ``n`` articles of the shipped AllSides roundups (real articles with text), oldest first,
    as an archive of a feed or of GDELT holds them."""
    from newsgraph.engine.ingest import parse_published_at

    data = resources.files("newsgraph.engine").joinpath("data", "demo", "roundups.jsonl.gz").read_bytes()
    rows = [json.loads(line) for line in gzip.decompress(data).decode("utf-8").splitlines()[:n]]
    return sorted(rows, key=lambda r: (parse_published_at(r["published_at"]), r["url"]))


def ingest_env(**settings: str) -> dict[str, str]:
    """The environment of an ingest process: this one's, with ``NEWSGRAPH_<NAME>`` for each setting given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSGRAPH_")}
    env.update({f"NEWSGRAPH_{k.upper()}": str(v) for k, v in settings.items()})
    return env


def run_ingest(*args, env: dict[str, str], timeout: float = 900) -> dict:
    """``newsgraph ingest ARGS --json`` in a process of its own; its JSON report."""
    done = subprocess.run([NEWSGRAPH, "ingest", *map(str, args), "--json"], env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def snapshot(url: str) -> dict:
    """Everything a store holds: stats, every node and relationship row, and the article export."""
    from newsgraph.engine.store import open_store

    store = open_store(url)
    try:
        return {
            "stats": store.stats(),
            "nodes": {label: list(store.iter_nodes(label)) for label in LABELS},
            "relationships": {rel: list(store.iter_relationships(rel)) for rel in RELATIONSHIPS},
            "export": list(store.export_articles()),
        }
    finally:
        store.close()
