"""Neo4j going away in the middle of an ingest: one clear line, then a re-run completes the graph.

The server here is a second local Neo4j with its own data directory, so that
stopping it leaves the session's server alone.
"""

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from itertools import islice
from pathlib import Path

import pytest

from newsgraph.engine import neo4j_server
from newsgraph.engine.config import get_settings
from newsgraph.engine.demo import demo_paths
from newsgraph.engine.store import open_store
from tests.store_backends import TEST_PASSWORD

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = 120
BATCH = 10


def ingest_cmd(path, url):
    return [sys.executable, "-m", "newsgraph.engine.cli", "ingest", str(path), "--store", url, "--json"]


@pytest.fixture(scope="module")
def articles(tmp_path_factory):
    """The first roundup articles, enough for a dozen batches."""
    path = tmp_path_factory.mktemp("faults") / "articles.jsonl"
    with gzip.open(demo_paths()[0], "rt", encoding="utf-8") as f:
        path.write_text("".join(islice(f, ARTICLES)), encoding="utf-8")
    return path


@pytest.fixture()
def env():
    e = dict(os.environ, PYTHONPATH=str(ROOT), NEWSGRAPH_BATCH_SIZE=str(BATCH),
             NEWSGRAPH_NEO4J_USER="neo4j", NEWSGRAPH_NEO4J_PASSWORD=TEST_PASSWORD, NEWSGRAPH_NEO4J_DATABASE="neo4j")
    e.pop("NEWSGRAPH_STORE", None)
    return e


@pytest.fixture()
def own_server(tmp_path):
    """A local Neo4j of this test alone: it is stopped and restarted, so never the session's server."""
    data = tmp_path / "neo4j"
    state = neo4j_server.start(port=neo4j_server.free_port(), data=data, password=TEST_PASSWORD, timeout=180)
    yield state, data
    neo4j_server.stop(data)


def stored_articles(store) -> int:
    records, _, _ = store.driver.execute_query("MATCH (a:Article) RETURN count(a) AS n", database_=store.database)
    return records[0]["n"]


def counts(url):
    store = open_store(url, get_settings(store=url, neo4j_password=TEST_PASSWORD))
    try:
        return store.stats(), list(store.export_articles())
    finally:
        store.close()


def test_stopping_the_server_mid_ingest_fails_clearly_and_a_rerun_completes(own_server, articles, env, tmp_path):
    state, data = own_server
    url = state.url
    store = open_store(url, get_settings(store=url, neo4j_password=TEST_PASSWORD))
    child = subprocess.Popen(ingest_cmd(articles, url), cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        # wait for the first batches to land, freeze the ingest, stop the server under it
        deadline = time.monotonic() + 120
        while stored_articles(store) < 2 * BATCH:
            assert child.poll() is None, child.communicate()
            assert time.monotonic() < deadline, "the ingest wrote nothing"
            time.sleep(0.01)
        child.send_signal(signal.SIGSTOP)
    finally:
        store.close()
    try:
        neo4j_server.stop(data)
    finally:
        child.send_signal(signal.SIGCONT)
    out, err = child.communicate(timeout=180)
    assert child.returncode == 3, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot reach the Neo4j backend"), err

    # same data directory, same port: the batches that landed are still there
    neo4j_server.start(port=state.port, data=data, password=TEST_PASSWORD, timeout=180)
    cut = counts(url)[0]["nodes"]["Article"]
    assert 2 * BATCH <= cut < ARTICLES
    rerun = subprocess.run(ingest_cmd(articles, url), cwd=ROOT, env=env, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads(rerun.stdout)

    # the same ingest, never interrupted, into the embedded store
    lite = f"sqlite:///{tmp_path / 'g.db'}"
    whole = subprocess.run(ingest_cmd(articles, lite), cwd=ROOT, env=env, capture_output=True, text=True)
    assert whole.returncode == 0, whole.stderr
    expected = json.loads(whole.stdout)
    assert report["already_stored"] + report["stored"] == expected["stored"]
    assert report["already_stored"] >= BATCH  # the first batch was complete, the cut-off one is redone
    assert counts(url) == counts(lite)
