"""Following feeds on a schedule: conditional requests (ETag / Last-Modified) and per-feed backoff.

A :class:`FeedWatcher` keeps, per feed, the validators of its last answer
and how often it failed in a row. :meth:`FeedWatcher.poll` fetches the feeds
that are due; a feed that fails waits ``interval * 2**failures`` (at most
:data:`MAX_BACKOFF_SECONDS`) before it is tried again, so one broken feed
never slows the others. The state can be saved as JSON so that a run from
cron (``--once``) still sends conditional requests.

>>> parse_interval("15m"), parse_interval("1h"), parse_interval("90")
(900.0, 3600.0, 90.0)
"""

from __future__ import annotations

import json
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Iterable

from newsgraph.engine.config import Settings
from newsgraph.engine.errors import ConfigError, InputError
from newsgraph.engine.ingest.feeds import is_opml, is_url, opml_feeds
from newsgraph.engine.ingest.fetch import Fetched, FetchPolicy, fetch, read_local

MAX_BACKOFF_SECONDS = 24 * 3600
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """Seconds in ``30s``, ``15m``, ``1h``, ``1d`` or a bare number of seconds; raises :class:`ConfigError`."""
    match = _INTERVAL.match(text)
    if not match or float(match.group(1)) <= 0:
        raise ConfigError(f"--interval {text!r} is not a duration like 30s, 15m, 1h")
    return float(match.group(1)) * _UNIT[match.group(2).lower()]


def expand_feeds(sources: Iterable[str], *, policy: FetchPolicy | None = None) -> list[str]:
    """Feed URLs and files, with every OPML file replaced by the feeds it lists; raises :class:`InputError`.

    These lists are the user's own files, so what they list is the user's
    choice too: local paths and private addresses included.
    """
    max_bytes = (policy or FetchPolicy()).max_bytes
    out: list[str] = []
    for source in sources:
        if is_url(source):
            out.append(source)
            continue
        body = read_local(source, max_bytes)
        if is_opml(body):
            try:
                out.extend(opml_feeds(body))
            except InputError as e:
                raise InputError(e.reason, source=source) from e
        else:
            out.append(source)
    return list(dict.fromkeys(out))


@dataclass
class FeedState:
    """What is remembered about one feed between polls."""

    etag: str | None = None
    modified: str | None = None
    failures: int = 0
    next_due: float = 0.0
    last_error: str | None = None


@dataclass(frozen=True)
class PollResult:
    """One feed's outcome in a poll: ``fetched`` (with a body), ``not_modified``, ``failed`` or ``waiting``."""

    feed: str
    outcome: str
    body: bytes | None = None
    error: InputError | None = None


class FeedWatcher:
    """Polls feeds (URLs or files) with conditional requests and per-feed backoff.

    Parameters
    ----------
    feeds : list of str
        Feed URLs or files (see :func:`expand_feeds` for OPML).
    interval : float
        Seconds between polls of a healthy feed.
    state_path : path, optional
        JSON file the per-feed state is loaded from and saved to.
    policy : FetchPolicy, optional
        Deadline, size cap and address rules of every fetch.
    concurrency : int
        How many feeds are fetched at the same time (each fetch has its own
        deadline, so a slow feed holds up only its own thread).
    fetcher, clock : callables
        For tests: the HTTP fetch and the time source.
    """

    def __init__(self, feeds: list[str], *, interval: float, state_path: str | os.PathLike | None = None,
                 policy: FetchPolicy | None = None, concurrency: int = Settings.feed_concurrency,
                 fetcher: Callable[..., Fetched] | None = None, clock: Callable[[], float] = time.time):
        if concurrency < 1:
            raise ConfigError(f"feed concurrency must be at least 1, got {concurrency}")
        self.feeds = feeds
        self.interval = interval
        self.state_path = Path(state_path) if state_path else None
        self.policy = policy or FetchPolicy()
        self.concurrency = concurrency
        self.fetcher = fetcher or partial(fetch, policy=self.policy)
        self.clock = clock
        self.state: dict[str, FeedState] = {f: FeedState() for f in feeds}
        if self.state_path and self.state_path.exists():
            try:
                saved = json.loads(self.state_path.read_text(encoding="utf-8"))
                for feed, values in saved.items():
                    if feed in self.state:
                        self.state[feed] = FeedState(**values)
            except (ValueError, TypeError) as e:
                raise InputError(f"unreadable feed state file: {e}", source=str(self.state_path)) from e

    @classmethod
    def for_settings(cls, sources: Iterable[str], settings: Settings, *, interval: float,
                     state_path: str | os.PathLike | None = None) -> "FeedWatcher":
        """A watcher of ``sources`` (local OPML lists expanded) with the feed settings' bounds."""
        policy = FetchPolicy.of(settings)
        return cls(expand_feeds(sources, policy=policy), interval=interval, state_path=state_path, policy=policy,
                   concurrency=settings.feed_concurrency)

    def poll(self, *, healthy_now: bool = False) -> list[PollResult]:
        """Fetch every feed that is due; the others come back as ``waiting``.

        ``healthy_now`` fetches feeds that are not backing off whatever their
        schedule: a run from cron (``--once``) is itself the schedule, and a
        second of jitter must not make it skip a feed.
        """
        now = self.clock()
        due = [f for f in self.feeds if self._due(self.state[f], now, healthy_now)]
        done: dict[str, PollResult] = {}
        if due:
            # each feed's state is touched only by its own fetch, so the threads share nothing else
            with ThreadPoolExecutor(max_workers=min(self.concurrency, len(due))) as pool:
                for feed, result in zip(due, pool.map(lambda f: self._poll_one(f, self.state[f], now), due)):
                    done[feed] = result
        self.save()
        return [done.get(feed) or PollResult(feed, "waiting") for feed in self.feeds]

    @staticmethod
    def _due(st: FeedState, now: float, healthy_now: bool) -> bool:
        return st.next_due <= now or (healthy_now and st.failures == 0)

    def _poll_one(self, feed: str, st: FeedState, now: float) -> PollResult:
        try:
            if is_url(feed):
                got = self.fetcher(feed, etag=st.etag, modified=st.modified)
            else:
                got = Fetched(feed, 200, read_local(feed, self.policy.max_bytes))
        except (InputError, OSError) as e:
            error = e if isinstance(e, InputError) else InputError(f"cannot be read: {e}", source=feed)
            st.failures += 1
            st.last_error = error.reason
            st.next_due = now + min(self.interval * 2 ** st.failures, MAX_BACKOFF_SECONDS)
            return PollResult(feed, "failed", error=error)
        st.failures, st.last_error = 0, None
        st.next_due = now + self.interval
        st.etag, st.modified = got.etag or st.etag, got.modified or st.modified
        if got.body is None:
            return PollResult(feed, "not_modified")
        return PollResult(feed, "fetched", body=got.body)

    def save(self) -> None:
        if self.state_path is None:
            return
        tmp = self.state_path.with_suffix(self.state_path.suffix + ".tmp")
        tmp.write_text(json.dumps({f: asdict(s) for f, s in self.state.items()}, indent=1), encoding="utf-8")
        tmp.replace(self.state_path)

    def seconds_to_next(self) -> float:
        """How long until the next feed is due (0 if one is due now)."""
        return max(0.0, min(s.next_due for s in self.state.values()) - self.clock()) if self.state else self.interval
