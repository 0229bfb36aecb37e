"""A client that asks for an analysis of its own and goes away frees the public slot at once.

Served by uvicorn on a loopback port (the test client cannot close a connection part-way), the app
computes bias-clusters with 1,000 randomisations for a request without the API key, on a store
whose outlet network is dense enough for that to take many seconds; the client closes its socket
while it computes, and the slot must come free long before the whole computation would have ended.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

from newsgraph.api.app import create_app
from newsgraph.engine.config import get_settings
from newsgraph.engine.models import Article, Assignment, Bias, Outlet, Story
from newsgraph.engine.store.base import StoredArticle
from newsgraph.engine.store.sqlite import SQLiteStore
from tests.live_app import served

API_KEY = "test-key"
SIDES = (Bias.LEFT, Bias.LEAN_LEFT, Bias.CENTER, Bias.LEAN_RIGHT, Bias.RIGHT)

NULL_MODELS = 1000
PATH = f"/api/analyses/bias-clusters?seed=11&null_models={NULL_MODELS}"


@pytest.fixture(scope="module")
def dense_store(tmp_path_factory):
    """600 rated outlets and 3,000 stories, each covered by 5-25 of them at random (a dense outlet network)."""
    store = SQLiteStore(tmp_path_factory.mktemp("cancel") / "dense.db")
    rng = random.Random(5)
    outlets = [f"o{i}.example" for i in range(600)]
    store.upsert_outlets([Outlet(o, o, SIDES[i % 5], float(i % 5 - 2)) for i, o in enumerate(outlets)])
    t0 = datetime(2025, 4, 1, 8, tzinfo=timezone.utc)
    articles, stories, assignments = [], [], []
    for s in range(3000):
        when = t0 + timedelta(hours=s)
        stories.append(Story(f"s{s}", f"Story {s}", when, when))
        for o in rng.sample(outlets, rng.randint(5, 25)):
            aid = f"a{len(articles)}"
            articles.append(StoredArticle(Article(aid, f"https://{o}/{aid}", f"Story {s} at {o}", when, o, o),
                                          f"{o}|{aid}", aid))
            assignments.append(Assignment(aid, f"s{s}", 1.0))
    store.upsert_articles(articles)
    store.upsert_stories(stories, assignments)
    store.refresh_derived([s.id for s in stories])
    yield store
    store.close()


def slot_taken(slots: threading.BoundedSemaphore) -> bool:
    if slots.acquire(blocking=False):
        slots.release()
        return False
    return True


def wait_until(condition, seconds: float) -> float:
    """Seconds until ``condition()`` held (polled every 20 ms), or fail after ``seconds``."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start >= seconds:
            pytest.fail(f"not within {seconds:.1f} s", pytrace=False)
        time.sleep(0.02)
    return time.monotonic() - start


def test_a_client_that_goes_away_frees_the_public_slot_at_once(dense_store):
    settings = get_settings(api_key=API_KEY, public_analysis_slots=1, public_max_null_models=NULL_MODELS)
    app = create_app(settings, dense_store)
    with served(app, join_seconds=30) as port:
        slots = app.state.public_analyses
        client = socket.create_connection(("127.0.0.1", port))
        client.sendall(f"GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        wait_until(lambda: slot_taken(slots), 10)
        time.sleep(0.3)  # well inside the computation
        client.close()
        freed = wait_until(lambda: not slot_taken(slots), 120)

        # the same computation for a client that waits (with the key, so outside the slot): its whole answer
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", port), timeout=120) as again:
            again.sendall(f"GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: {API_KEY}\r\n"
                          f"Connection: close\r\n\r\n".encode())
            answer = b""
            while chunk := again.recv(65536):
                answer += chunk
        whole = time.monotonic() - started
        assert answer.startswith(b"HTTP/1.1 200") and b'"null_models":1000' in answer.replace(b" ", b"")
        assert not slot_taken(slots)
    assert whole > 3.0, f"the whole computation took {whole:.1f} s: too fast for this test to tell anything"
    assert freed < min(3.0, whole / 5), f"the slot came free {freed:.2f} s after the client left ({whole:.1f} s whole)"
