"""A real Dask cluster on 127.0.0.1: ``dask scheduler`` and ``dask worker`` processes, started and stopped here.

The workers run without a nanny, so that killing one is a worker lost for good
(a nanny would start it again), and with one thread each, as docs/scaling.md says.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.ingest_runs import demo_articles

DASK = str(Path(sys.executable).with_name("dask"))
START_TIMEOUT = 180.0


@dataclass
class DaskCluster:
    """A scheduler and its workers, each its own process."""

    address: str
    scheduler: subprocess.Popen
    workers: list[subprocess.Popen] = field(default_factory=list)

    def client(self):
        from distributed import Client

        return Client(self.address, timeout=60, set_as_default=False)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(20)


@pytest.fixture()
def dask_cluster(tmp_path):
    """``start(workers)``: a scheduler and that many workers on free ports of 127.0.0.1, all stopped after the test."""
    started: list[subprocess.Popen] = []

    def start(n_workers: int) -> DaskCluster:
        info = tmp_path / f"scheduler-{len(started)}.json"
        log = (tmp_path / f"scheduler-{len(started)}.log").open("wb")
        scheduler = subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                      "--scheduler-file", str(info)], stdout=log, stderr=log, start_new_session=True)
        started.append(scheduler)
        deadline = time.monotonic() + START_TIMEOUT
        while not info.exists() or not info.read_text().strip().endswith("}"):
            assert scheduler.poll() is None, "the dask scheduler stopped: see " + log.name
            assert time.monotonic() < deadline, "the dask scheduler did not start"
            time.sleep(0.2)
        import json

        cluster = DaskCluster(json.loads(info.read_text())["address"], scheduler)
        for i in range(n_workers):
            wlog = (tmp_path / f"worker-{len(started)}.log").open("wb")
            worker = subprocess.Popen([DASK, "worker", cluster.address, "--nthreads", "1", "--no-nanny",
                                       "--no-dashboard", "--name", f"w{i}", "--host", "127.0.0.1"],
                                      stdout=wlog, stderr=wlog, start_new_session=True)
            started.append(worker)
            cluster.workers.append(worker)
        with cluster.client() as client:
            client.wait_for_workers(n_workers, timeout=START_TIMEOUT)
        return cluster

    yield start
    for proc in reversed(started):
        _stop(proc)


@pytest.fixture(scope="session")
def demo_slice(tmp_path_factory):
    """The first 120 articles of the shipped AllSides roundups, as one JSONL file."""
    import json

    path = tmp_path_factory.mktemp("slice") / "slice.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in demo_articles(120)), encoding="utf-8")
    return path
