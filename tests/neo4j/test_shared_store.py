"""Neo4j as the shared store: an ingest through a ``neo4j://`` routing URL while two ``newsgraph serve``
worker processes answer from the same server, each seeing what the ingest wrote."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.ingest_runs import ingest_env, run_ingest
from tests.live_app import free_port

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

NEWSGRAPH = str(Path(sys.executable).with_name("newsgraph"))


def _get(url: str) -> tuple[dict, str]:
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.loads(r.read()), r.headers.get("x-served-by", "")


def test_two_serve_processes_and_an_ingest_share_one_neo4j(neo4j_server_info, neo4j_driver, corpus_files, tmp_path):
    from newsgraph.engine.store.neo4j import Neo4jStore

    Neo4jStore(neo4j_driver, neo4j_server_info.database, 100, url=neo4j_server_info.url).clear()
    routing = neo4j_server_info.url.replace("bolt://", "neo4j://")
    env = ingest_env(neo4j_user=neo4j_server_info.user, neo4j_password=neo4j_server_info.password,
                     neo4j_database=neo4j_server_info.database, nlp_processes=1)
    port = free_port()
    server = subprocess.Popen([NEWSGRAPH, "serve", "--store", routing, "--port", str(port), "--workers", "2",
                               "--no-access-log"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 400
        while True:
            assert server.poll() is None, server.stderr.read().decode()
            try:
                health, _ = _get(f"http://127.0.0.1:{port}/health")
                break
            except OSError:
                assert time.monotonic() < deadline, "newsgraph serve did not answer"
                time.sleep(0.5)
        assert health["store"] == "neo4j" and health["nodes"]["Article"] == 0
        children = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
        assert len(children) >= 2  # uvicorn's two worker processes (and its process watcher)

        jsonl, _ = corpus_files
        report = run_ingest(jsonl, "--store", routing, env=env)
        assert report["stored"] == 12 and report["stories_new"] == 3
        # each worker process has its own connection: ask enough times to reach both
        seen = [_get(f"http://127.0.0.1:{port}/api/stories?limit=5&offset={i % 3}")[0] for i in range(12)]
        assert all(page["count"] == 3 for page in seen)
        again = run_ingest(jsonl, "--store", routing, env=env)
        assert again["files_skipped"] == [str(jsonl)]  # the ledger lives in the shared store too
    finally:
        os.killpg(server.pid, 15)
        server.wait(30)
