"""Where the web app runs a bounded store read: on the event loop for the embedded store, in a thread for Neo4j."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import anyio
import pytest

from newsgraph.api.deps import ToCompute, bounded_read, stored_first
from newsgraph.engine.errors import NotFound
from newsgraph.engine.store.sqlite import SQLiteStore


def _thread_of_read(store) -> tuple[int, int]:
    async def main():
        return threading.get_ident(), await bounded_read(store, threading.get_ident)
    return anyio.run(main)


def test_an_embedded_read_runs_on_the_event_loop():
    store = SQLiteStore(":memory:")
    loop, read = _thread_of_read(store)
    assert read == loop


def test_a_server_read_runs_in_a_worker_thread():
    loop, read = _thread_of_read(SimpleNamespace(url="bolt://127.0.0.1:7687"))
    assert read != loop


def test_a_missing_entity_is_still_not_found_on_the_loop():
    store = SQLiteStore(":memory:")

    async def main():
        return await bounded_read(store, store.entity_neighbourhood, "gpe:atlantis")

    with pytest.raises(NotFound):
        anyio.run(main)


def _calls_of_stored_first(store, needs_computing: bool) -> list[tuple[bool, bool]]:
    """``(stored_only, on the loop's thread)`` of each call :func:`stored_first` makes."""
    calls = []

    def read(*, stored_only: bool = False):
        calls.append((stored_only, threading.get_ident() == loop))
        if stored_only and needs_computing:
            raise ToCompute
        return "answer"

    async def main():
        nonlocal loop
        loop = threading.get_ident()
        return await stored_first(store, read)

    loop = None
    assert anyio.run(main) == "answer"
    return calls


def test_an_embedded_read_with_nothing_to_compute_stays_on_the_loop():
    assert _calls_of_stored_first(SQLiteStore(":memory:"), needs_computing=False) == [(True, True)]


def test_an_embedded_read_with_something_to_compute_moves_to_a_thread():
    assert _calls_of_stored_first(SQLiteStore(":memory:"), needs_computing=True) == [(True, True), (False, False)]


def test_a_server_read_goes_to_a_thread_at_once():
    assert _calls_of_stored_first(SimpleNamespace(url="bolt://127.0.0.1:7687"), needs_computing=True) == [
        (False, False)]
