"""The embedded store while another connection writes: readers open and wait, a lock held too long is one clear error.

Another connection holds SQLite's write lock (``BEGIN IMMEDIATE`` and an
insert) as a running ingest would, while a command opens the same file.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newsgraph.api.app import create_app
from newsgraph.engine.cli import app
from newsgraph.engine.config import get_settings
from newsgraph.engine.errors import StoreBusy
from newsgraph.engine.models import Article, Outlet
from newsgraph.engine.store import StoredArticle
from newsgraph.engine.store.sqlite import SQLiteStore

runner = CliRunner()


@pytest.fixture()
def db(tmp_path):
    """An existing store with one outlet: its path."""
    path = tmp_path / "g.db"
    store = SQLiteStore(path)
    store.upsert_outlets([Outlet(id="cnn.com", name="CNN")])
    store.close()
    return path


@contextmanager
def write_lock_held(path, seconds: float):
    """Another connection holds the write lock, with an uncommitted insert, for ``seconds``."""
    ready, done = threading.Event(), threading.Event()

    def hold():
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("INSERT INTO outlet (id, name, bias, factuality, ownership) "
                          "VALUES ('writer.example', 'Writer', 'unrated', 'unrated', 'unknown')")
            ready.set()
            done.wait(seconds)
            other.execute("COMMIT")
        finally:
            other.close()

    worker = threading.Thread(target=hold)
    worker.start()
    assert ready.wait(10)
    try:
        yield
    finally:
        done.set()
        worker.join()


def test_stats_waits_for_a_writer_and_succeeds(db):
    started = time.monotonic()
    with write_lock_held(db, 1.0):
        result = runner.invoke(app, ["stats", "--json", "--store", f"sqlite:///{db}"])
    assert result.exit_code == 0, result.output
    assert '"Outlet": 1' in result.stdout or '"Outlet": 2' in result.stdout
    assert time.monotonic() - started < 10


def test_opening_a_current_store_writes_nothing(db):
    with write_lock_held(db, 2.0):
        # no wait at all: an open that needed the write lock would fail at once
        store = SQLiteStore(db, busy_timeout=0)
        try:
            assert [o.id for o in store.get_outlets()] == ["cnn.com"]
        finally:
            store.close()


def test_a_write_blocked_past_the_busy_timeout_is_store_busy(db):
    store = SQLiteStore(db, busy_timeout=0.2)
    try:
        with write_lock_held(db, 3.0):
            with pytest.raises(StoreBusy, match="locked by another writer for more than 0.2 s"):
                store.upsert_outlets([Outlet(id="fox.com", name="Fox")])
        store.upsert_outlets([Outlet(id="fox.com", name="Fox")])  # the failed batch left no open transaction
        assert {o.id for o in store.get_outlets()} == {"cnn.com", "fox.com", "writer.example"}
    finally:
        store.close()


def test_the_cli_says_the_store_is_busy_in_one_line_with_exit_3(db, corpus_files):
    _, ratings = corpus_files
    with write_lock_held(db, 3.0):
        result = runner.invoke(app, ["outlets", "import", str(ratings), "--scheme", "csv", "--store", f"sqlite:///{db}"],
                               env={"NEWSGRAPH_SQLITE_BUSY_TIMEOUT": "0.2"})
    assert result.exit_code == 3, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "locked by another writer" in lines[0], lines
    assert "NEWSGRAPH_SQLITE_BUSY_TIMEOUT" in lines[0]


def test_the_api_answers_503_with_retry_after_while_the_store_is_locked(db):
    settings = get_settings(api_key="k", store=f"sqlite:///{db}", sqlite_busy_timeout=0.2)
    body = {"ratings": [{"domain": "foxnews.com", "name": "Fox News", "bias": "right"}]}
    with TestClient(create_app(settings)) as client:
        with write_lock_held(db, 3.0):
            r = client.post("/api/outlets", json=body, headers={"X-API-Key": "k"})
            assert client.get("/api/outlets").status_code == 200  # reads go on meanwhile
        assert r.status_code == 503, r.text
        assert r.headers["Retry-After"] == "1" and r.json()["error"] == "StoreBusy"
        assert client.post("/api/outlets", json=body, headers={"X-API-Key": "k"}).status_code == 200


def test_two_writers_of_the_same_articles_count_each_article_once(db):
    t0 = datetime(2025, 4, 1, tzinfo=timezone.utc)
    articles = [StoredArticle(Article(id=f"a{i}", url=f"https://cnn.com/{i}", title=f"Title {i}",
                                      published_at=t0 + timedelta(minutes=i), outlet_id="cnn.com"),
                              title_key=f"cnn.com|title {i}", content_hash=f"h{i}") for i in range(200)]
    start = threading.Barrier(2)
    counts = []

    def ingest():
        store = SQLiteStore(db)
        try:
            start.wait()
            counts.append(sum(store.upsert_articles(articles[i:i + 20]) for i in range(0, len(articles), 20)))
        finally:
            store.close()

    workers = [threading.Thread(target=ingest) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert len(counts) == 2 and sum(counts) == 200, counts
