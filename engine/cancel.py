"""Stopping a long computation whose result nobody waits for any more.

A caller that can tell when its result is no longer wanted (a web client that
went away) runs the computation inside :func:`stop_when`; the computation's
long loops call :func:`checkpoint` between steps, which raises
:class:`Cancelled` once the caller's test says so. Outside :func:`stop_when`
a checkpoint costs one context-variable read and never stops anything, so
the CLI and the scripts compute as before.

>>> checkpoint()  # nobody asked to stop
>>> with stop_when(lambda: True, every=0.0):
...     checkpoint()
Traceback (most recent call last):
...
newsgraph.engine.errors.Cancelled: nobody waits for this result any more
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Iterator

from newsgraph.engine.errors import Cancelled


class _Watch:
    """A stop test, asked at most once every ``every`` seconds (asking may cost a trip to another thread)."""

    def __init__(self, asked: Callable[[], bool], every: float, clock: Callable[[], float]) -> None:
        self.asked, self.every, self.clock = asked, every, clock
        self.next = clock() + every

    def check(self) -> None:
        now = self.clock()
        if now < self.next:
            return
        self.next = now + self.every
        if self.asked():
            raise Cancelled()


_WATCH: ContextVar[_Watch | None] = ContextVar("newsgraph_cancel_watch", default=None)


@contextmanager
def stop_when(asked: Callable[[], bool], *, every: float = 0.2,
              clock: Callable[[], float] = time.monotonic) -> Iterator[None]:
    """Within the block, :func:`checkpoint` raises :class:`Cancelled` once ``asked()`` is true.

    ``asked`` is called at most once every ``every`` seconds, and not before
    the first ``every`` seconds have passed (a short computation never pays
    for it). Blocks nest: the innermost test is the one asked.
    """
    token = _WATCH.set(_Watch(asked, every, clock))
    try:
        yield
    finally:
        _WATCH.reset(token)


def checkpoint() -> None:
    """Raise :class:`Cancelled` if the enclosing :func:`stop_when` says the result is no longer wanted."""
    watch = _WATCH.get()
    if watch is not None:
        watch.check()
