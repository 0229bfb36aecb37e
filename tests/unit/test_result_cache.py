"""The web app's result cache: one computation per key, aged results answered while they are refreshed."""

import threading

from newsgraph.api.cache import ResultCache, StoreVersion


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


class Versions:
    """A store version the test moves (or makes fail)."""

    def __init__(self):
        self.value, self.asked, self.fails = 1, 0, False

    def __call__(self):
        self.asked += 1
        if self.fails:
            raise OSError("the store is down")
        return self.value


def test_an_aged_result_is_kept_while_the_store_is_unchanged_and_computed_again_after_a_change():
    clock, versions = Clock(), Versions()
    cache = ResultCache(ttl=30, clock=clock, version=StoreVersion(versions, every=1, clock=clock))
    assert cache.get("k", lambda: "v1") == "v1"
    clock.now += 3600  # an hour past the ttl, nobody wrote
    assert cache.get("k", lambda: "never") == "v1"
    versions.value = 2  # another process wrote
    assert cache.get("k", lambda: "never") == "v1"  # the version is asked at most once a second
    clock.now += 1
    assert cache.get("k", lambda: "v2") == "v2"
    clock.now += 10  # within the ttl of the new result: computed again only after it, as without a version
    versions.value = 3
    assert cache.get("k", lambda: "never") == "v2"
    assert versions.asked <= 4


def test_a_result_computed_while_the_store_changed_is_not_kept_past_the_ttl():
    clock, versions = Clock(), Versions()
    cache = ResultCache(ttl=30, clock=clock, version=StoreVersion(versions, every=0, clock=clock))

    def compute_during_a_write():
        versions.value = 2  # the store moved on while this was being computed
        return "maybe without the write"

    assert cache.get("k", compute_during_a_write) == "maybe without the write"
    clock.now += 31
    assert cache.get("k", lambda: "with the write") == "with the write"


def test_without_a_version_results_age_by_the_ttl_alone():
    clock, versions = Clock(), Versions()
    versions.fails = True
    cache = ResultCache(ttl=30, clock=clock, version=StoreVersion(versions, every=0, clock=clock))
    assert cache.get("k", lambda: "v1") == "v1"
    clock.now += 31
    assert cache.get("k", lambda: "v2") == "v2"  # a store that cannot answer: as before versions were kept
    unknown = ResultCache(ttl=30, clock=clock, version=StoreVersion(lambda: None, every=0, clock=clock))
    assert unknown.get("k", lambda: "v1") == "v1"
    clock.now += 31
    assert unknown.get("k", lambda: "v2") == "v2"
