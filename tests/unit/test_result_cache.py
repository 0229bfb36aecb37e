"""The web app's result cache: one computation per key, aged results answered while they are refreshed."""

import threading

from newsgraph.api.cache import ResultCache


class Clock:
    """A clock that moves only when the test says."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _in_thread(work):
    out, done = {}, threading.Event()

    def run():
        out["value"] = work()
        done.set()

    t = threading.Thread(target=run)
    t.start()
    return t, out, done


def test_concurrent_misses_compute_once():
    cache, calls = ResultCache(ttl=60), []
    computing, release = threading.Event(), threading.Event()

    def slow():
        calls.append(1)
        computing.set()
        release.wait(5)
        return "fresh"

    t, first, _ = _in_thread(lambda: cache.get("k", slow))
    assert computing.wait(5)
    u, second, second_done = _in_thread(lambda: cache.get("k", lambda: calls.append(2) or "second"))
    # nothing is cached yet: the second caller waits for the first; a cache that let it compute would answer at once
    assert not second_done.wait(0.2)
    release.set()
    t.join(5), u.join(5)
    assert first["value"] == second["value"] == "fresh" and calls == [1]


def test_an_aged_result_answers_while_one_caller_refreshes_it():
    clock = Clock()
    cache, refreshing_started, release = ResultCache(ttl=30, clock=clock), threading.Event(), threading.Event()
    assert cache.get("k", lambda: "old") == "old"
    clock.now += 29
    assert cache.get("k", lambda: "never") == "old"  # still fresh
    clock.now += 2  # aged past the ttl

    def refresh():
        refreshing_started.set()
        release.wait(5)
        return "new"

    t, refreshing, _ = _in_thread(lambda: cache.get("k", refresh))
    assert refreshing_started.wait(5)
    assert cache.get("k", lambda: "never") == "old"  # does not wait, does not compute
    release.set()
    t.join(5)
    assert refreshing["value"] == "new" and cache.get("k", lambda: "never") == "new"


def test_a_write_drops_aged_results_too():
    clock = Clock()
    cache = ResultCache(ttl=30, clock=clock)
    cache.get("k", lambda: "old")
    clock.now += 31
    cache.bump()
    assert cache.stale("k") == (False, None) and cache.get("k", lambda: "after the write") == "after the write"
