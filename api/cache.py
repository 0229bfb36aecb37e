"""Caches of read-only results (analyses, whole GET answers), keyed by the store's generation.

The generation counts the writes made through this app; a write bumps it, so no
cached result outlives a write the app made. Writes by other processes (a CLI
ingest into the same store) are seen after at most ``ttl`` seconds (plus one
refresh): when a result of the current generation has aged past ``ttl``, one
request computes it again while the others answer with the previous result,
instead of all of them waiting (a blindspot feed over a large store takes
about half a second to compute).

A cache given the store's :class:`StoreVersion` (a token that changes with every
commit, by any process) computes an aged result again only if the store changed
since it was computed: a store nobody writes costs each result once, not once
per ``ttl``. The version is asked at most once a second, so after a change a
result may be served up to that second past ``ttl`` before it is refreshed.

>>> cache = ResultCache(ttl=60)
>>> calls = []
>>> cache.get(("x",), lambda: calls.append(1) or 42), cache.get(("x",), lambda: calls.append(1) or 43)
(42, 42)
>>> cache.bump(); cache.get(("x",), lambda: 44), len(calls)
(44, 1)
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from typing import Any, Callable, Hashable

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class StoreVersion:
    """The store's data version (:meth:`~engine.store.base.GraphStore.data_version`), asked at most once per
    ``every`` seconds; ``None`` while it is not known (the store cannot tell, or asking it failed).

    >>> versions = iter([1, 2])
    >>> v = StoreVersion(lambda: next(versions), every=60)
    >>> v.known(), v.refresh(), v.refresh(), v.known()
    (None, 1, 1, 1)
    """

    def __init__(self, read: Callable[[], Hashable | None], *, every: float = 1.0,
                 clock: Callable[[], float] = time.monotonic):
        self.read = read
        self.every = every
        self.clock = clock
        self._token: Hashable | None = None
        self._asked: float | None = None
        self._lock = threading.Lock()

    def due(self) -> bool:
        """Whether :meth:`refresh` would ask the store."""
        return self._asked is None or self.clock() - self._asked >= self.every

    def refresh(self) -> Hashable | None:
        """The version, asking the store if the last answer is ``every`` seconds old (one caller asks at a time)."""
        if self.due() and self._lock.acquire(blocking=False):
            try:
                if self.due():
                    try:
                        self._token = self.read()
                    except Exception:  # a store that cannot answer now: results age by the ttl alone
                        self._token = None
                    self._asked = self.clock()
            finally:
                self._lock.release()
        return self._token

    def known(self) -> Hashable | None:
        """The last version the store gave, without asking it."""
        return self._token


class ResultCache:
    """Least-recently-used results by key; one computation per key at a time, others wait for it.

    With ``version``, a result aged past ``ttl`` is still fresh while the store's version is the one it was
    computed at (see the module's text).
    """

    def __init__(self, *, ttl: float = 30.0, size: int = 128, clock: Callable[[], float] = time.monotonic,
                 version: StoreVersion | None = None):
        self.ttl = ttl
        self.size = size
        self.clock = clock
        "Seconds from any fixed point; results age by it (tests pass a clock they move)."
        self.version = version
        self.generation = 0
        # key -> (generation, when computed, value, store version it was computed at)
        self._items: OrderedDict[Hashable, tuple[int, float, Any, Hashable | None]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def bump(self) -> None:
        """The store changed: forget every result."""
        with self._lock:
            self.generation += 1
            self._items.clear()

    def lookup(self, key: Hashable) -> tuple[bool, Any]:
        """``(True, value)`` when ``key`` holds a result of the current generation younger than ``ttl``."""
        return self._fresh(key)

    def put(self, key: Hashable, value: Any, generation: int, version: Hashable | None = None) -> None:
        """Keep ``value``, computed while the store was at ``generation`` (dropped if a write came since) and at
        the store's ``version`` (``None``: not known)."""
        with self._lock:
            if generation == self.generation:
                self._items[key] = (generation, self.clock(), value, version)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)

    def known_version(self) -> Hashable | None:
        """The store version last seen (:meth:`StoreVersion.known`), ``None`` without one."""
        return None if self.version is None else self.version.known()

    def _fresh(self, key: Hashable) -> tuple[bool, Any]:
        current = self.known_version()
        with self._lock:
            item = self._items.get(key)
            if item and item[0] == self.generation and (
                    self.clock() - item[1] < self.ttl or (current is not None and item[3] == current)):
                self._items.move_to_end(key)
                return True, item[2]
            return False, None

    def stale(self, key: Hashable) -> tuple[bool, Any]:
        """``(True, value)`` when ``key`` holds a result of the current generation, however old."""
        with self._lock:
            item = self._items.get(key)
            return (True, item[2]) if item and item[0] == self.generation else (False, None)

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The cached result for ``key``, else ``compute()`` (its exception is not cached).

        While one caller computes a key, the others wait for it, unless the key
        holds an aged result of the current generation: they answer with that.
        """
        if self.version is not None:
            self.version.refresh()
        hit, value = self._fresh(key)
        if hit:
            return value
        old, previous = self.stale(key)
        with self._lock:
            gate = self._computing.setdefault(key, threading.Lock())
        if not gate.acquire(blocking=not old):
            return previous  # being refreshed by another caller
        try:
            hit, value = self._fresh(key)
            if hit:
                return value
            generation, version = self.generation, self.known_version()
            try:
                value = compute()
            finally:
                with self._lock:
                    self._computing.pop(key, None)
            self.put(key, value, generation, version)
            return value
        finally:
            gate.release()


class CachedReads:
    """ASGI middleware: answers a repeated GET from the app's :class:`ResultCache` (``app.state.responses``).

    Only complete 200 answers up to ``max_bytes`` are kept, keyed by path and query; ``/health`` and
    ``/static`` are never cached. A write through the app bumps the cache's generation. Concurrent
    misses of one key wait for the first to be answered instead of all asking the store.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int = 2_000_000, skip: tuple[str, ...] = ("/health", "/static")):
        self.app = app
        self.max_bytes = max_bytes
        self.skip = skip
        self._pending: dict[Hashable, asyncio.Event] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith(self.skip):
            await self.app(scope, receive, send)
            return
        cache: ResultCache = scope["app"].state.responses
        key = (scope["path"], scope.get("query_string", b""))
        if cache.version is not None and cache.version.due():  # asking the store may wait on it: not in the loop
            await anyio.to_thread.run_sync(cache.version.refresh)
        hit, value = cache.lookup(key)
        if not hit and key in self._pending:  # the same question is being answered: an aged answer, or wait
            hit, value = cache.stale(key)
            if not hit:
                await self._pending[key].wait()
                hit, value = cache.lookup(key)
        if hit:
            status, headers, body = value
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        done = self._pending.setdefault(key, asyncio.Event())
        try:
            await self._answer(scope, receive, send, cache, key)
        finally:
            if self._pending.get(key) is done:
                del self._pending[key]
            done.set()

    async def _answer(self, scope: Scope, receive: Receive, send: Send, cache: ResultCache, key: Hashable) -> None:
        generation, version = cache.generation, cache.known_version()
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body" and start.get("status") == 200:
                chunks.append(message.get("body", b""))
                size = sum(len(c) for c in chunks)
                if not message.get("more_body", False) and size <= self.max_bytes:
                    cache.put(key, (200, list(start.get("headers", [])), b"".join(chunks)), generation, version)
            await send(message)

        await self.app(scope, receive, keep)
