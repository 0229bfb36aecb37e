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
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable

from newsgraph.engine.errors import ConfigError, InputError
from newsgraph.engine.ingest.feeds import Fetched, fetch, is_opml, is_url, opml_feeds

MAX_BACKOFF_SECONDS = 24 * 3600
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """Seconds in ``30s``, ``15m``, ``1h``, ``1d`` or a bare number of seconds; raises :class:`ConfigError`."""
    match = _INTERVAL.match(text)
    if not match or float(match.group(1)) <= 0:
        raise ConfigError(f"--interval {text!r} is not a duration like 30s, 15m, 1h")
    return float(match.group(1)) * _UNIT[match.group(2).lower()]


def expand_feeds(sources: Iterable[str]) -> list[str]:
    """Feed URLs and files, with every OPML file replaced by the feeds it lists; raises :class:`InputError`."""
    out: list[str] = []
    for source in sources:
        if is_url(source):
            out.append(source)
            continue
        try:
            body = Path(source).read_bytes()
        except OSError as e:
            raise InputError(f"cannot be read: {e.strerror or e}", source=source) from e
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
    fetcher, clock : callables
        For tests: the HTTP fetch and the time source.
    """

    def __init__(self, feeds: list[str], *, interval: float, state_path: str | os.PathLike | None = None,
                 fetcher: Callable[..., Fetched] = fetch, clock: Callable[[], float] = time.time):
        self.feeds = feeds
        self.interval = interval
        self.state_path = Path(state_path) if state_path else None
        self.fetcher = fetcher
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

    def poll(self, *, healthy_now: bool = False) -> list[PollResult]:
        """Fetch every feed that is due; the others come back as ``waiting``.

        ``healthy_now`` fetches feeds that are not backing off whatever their
        schedule: a run from cron (``--once``) is itself the schedule, and a
        second of jitter must not make it skip a feed.
        """
        now = self.clock()
        results = []
        for feed in self.feeds:
            st = self.state[feed]
            if st.next_due > now and not (healthy_now and st.failures == 0):
                results.append(PollResult(feed, "waiting"))
                continue
            results.append(self._poll_one(feed, st, now))
        self.save()
        return results

    def _poll_one(self, feed: str, st: FeedState, now: float) -> PollResult:
        try:
            if is_url(feed):
                got = self.fetcher(feed, etag=st.etag, modified=st.modified)
            else:
                got = Fetched(feed, 200, Path(feed).read_bytes())
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
