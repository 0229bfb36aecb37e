"""The web app's result cache: one computation per key, aged results answered while they are refreshed."""

import threading
import time

from newsgraph.api.cache import ResultCache


def _in_thread(work):
    out = {}
    t = threading.Thread(target=lambda: out.setdefault("value", work()))
    t.start()
    return t, out


def test_concurrent_misses_compute_once():
    cache, calls, release = ResultCache(ttl=60), [], threading.Event()

    def slow():
        calls.append(1)
        release.wait(5)
        return "fresh"

    t, first = _in_thread(lambda: cache.get("k", slow))
    time.sleep(0.1)
    u, second = _in_thread(lambda: cache.get("k", slow))  # nothing cached yet: waits for the first
    time.sleep(0.1)
    assert "value" not in second
    release.set()
    t.join(5), u.join(5)
    assert first["value"] == second["value"] == "fresh" and len(calls) == 1


def test_an_aged_result_answers_while_one_caller_refreshes_it():
    cache, release = ResultCache(ttl=0.05), threading.Event()
    assert cache.get("k", lambda: "old") == "old"
    time.sleep(0.1)  # aged past the ttl
    t, refreshing = _in_thread(lambda: cache.get("k", lambda: release.wait(5) and "new"))
    time.sleep(0.1)
    assert cache.get("k", lambda: "never") == "old"  # does not wait, does not compute
    release.set()
    t.join(5)
    assert refreshing["value"] == "new" and cache.get("k", lambda: "never") == "new"


def test_a_write_drops_aged_results_too():
    cache = ResultCache(ttl=0.05)
    cache.get("k", lambda: "old")
    time.sleep(0.1)
    cache.bump()
    assert cache.stale("k") == (False, None) and cache.get("k", lambda: "after the write") == "after the write"
