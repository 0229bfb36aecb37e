"""Dependencies of the handlers: the store, the settings, the API key check."""

from __future__ import annotations

import hmac
import threading
from datetime import datetime, timezone
from functools import partial
from typing import Annotated, Any, Callable, TypeVar

from fastapi import Depends, Header, Query, Request
from pydantic import AfterValidator
from starlette.concurrency import run_in_threadpool

from newsgraph.api.errors import BadApiKey, WritesDisabled
from newsgraph.engine.config import Settings
from newsgraph.engine.store.base import GraphStore


async def get_store(request: Request) -> GraphStore:
    """The app's store (opened by the app factory)."""
    return request.app.state.store


async def get_settings(request: Request) -> Settings:
    """The app's settings."""
    return request.app.state.settings


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

T = TypeVar("T")


def reads_inline(store: GraphStore) -> bool:
    """Whether bounded reads of ``store`` run on the event loop (the embedded store) rather than in a thread.

    An embedded read is a millisecond or two of CPU through one connection, which serializes reads anyway.
    In a worker thread each SQLite step hands the GIL over and waits to get it back from the loop and the other
    threads: with 32 requests in flight one process answered 50 entity neighbourhoods a second instead of
    about 250 (docs/benchmarks.md). A Neo4j read waits on the network, which threads overlap.
    Reads that can take longer (analyses, counts of whole tables) stay in threads.
    """
    return store.url.startswith("sqlite:")


async def bounded_read(store: GraphStore, read: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``read(*args, **kwargs)``, a read of ``store`` bounded by its limits (a page, a neighbourhood, a view):
    on the event loop for the embedded store, in a worker thread for Neo4j (:func:`reads_inline`)."""
    if reads_inline(store):
        return read(*args, **kwargs)
    return await run_in_threadpool(partial(read, *args, **kwargs))


class ToCompute(Exception):
    """A read asked for ``stored_only`` found something it would have to compute first."""


async def stored_first(store: GraphStore, read: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``read(*args, **kwargs)``, trying ``read(..., stored_only=True)`` as a :func:`bounded_read` first.

    On the embedded store that try runs on the event loop; when it raises :class:`ToCompute` (or on Neo4j,
    where a try would only read twice) the whole read runs in a worker thread, computing what it must.
    """
    if reads_inline(store):
        try:
            return read(*args, stored_only=True, **kwargs)
        except ToCompute:
            pass
    return await run_in_threadpool(partial(read, *args, **kwargs))


def key_matches(settings: Settings, x_api_key: str | None) -> bool:
    """Whether ``x_api_key`` is the server's API key (never when the server has none)."""
    return bool(settings.api_key) and x_api_key is not None and hmac.compare_digest(
        x_api_key.encode(), settings.api_key.encode())


async def require_api_key(
    settings: SettingsDep,
    x_api_key: Annotated[str | None, Header(description="The server's NEWSGRAPH_API_KEY.")] = None,
) -> None:
    """Writes need the server's API key in ``X-API-Key``; with no key set, writes are off."""
    if not settings.api_key:
        raise WritesDisabled("writes are off: the server has no NEWSGRAPH_API_KEY set")
    if not key_matches(settings, x_api_key):
        raise BadApiKey("this write needs the API key in the X-API-Key header")


WriteAccess = Depends(require_api_key)


def utc(moment: datetime | None) -> datetime | None:
    """A query's datetime in UTC; one given without a zone is taken as UTC.

    >>> from datetime import timedelta
    >>> utc(datetime(2025, 4, 1, 2, tzinfo=timezone(timedelta(hours=2)))).isoformat()
    '2025-04-01T00:00:00+00:00'
    """
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:
        raise ValueError("date is out of range once converted to UTC") from None


Limit = Annotated[int, Query(ge=1, le=200, description="Rows per page.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Rows to skip.")]
Since = Annotated[datetime | None, AfterValidator(utc), Query(description="Only stories still running at or after this time (UTC if no zone).")]
Until = Annotated[datetime | None, AfterValidator(utc), Query(description="Only stories that started at or before this time (UTC if no zone).")]


async def get_write_lock(request: Request) -> threading.Lock:
    """One write at a time: the embedded store has one connection, and an ingest reads then writes."""
    return request.app.state.write_lock


WriteLock = Annotated[threading.Lock, Depends(get_write_lock)]


def store_changed(request: Request) -> None:
    """A write went through: the cached analyses and answers (api.cache) no longer describe the store."""
    request.app.state.cache.bump()
    request.app.state.responses.bump()
    request.app.state.story_sections.bump()
