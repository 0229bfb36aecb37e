"""The one exception hierarchy of newsgraph."""

from __future__ import annotations


class NewsgraphError(Exception):
    """Base class of every error newsgraph raises on purpose."""


class Cancelled(NewsgraphError):
    """A computation was stopped part-way: nobody waits for its result any more (see ``engine.cancel``)."""

    def __init__(self) -> None:
        super().__init__("nobody waits for this result any more")


class ConfigError(NewsgraphError):
    """A setting or command-line option has a value newsgraph cannot use."""


class InputError(NewsgraphError):
    """An input record or file is unusable; carries where (file and line, or list and index) and why."""

    def __init__(self, reason: str, *, source: str | None = None, line: int | None = None,
                 index: int | None = None):
        self.reason = reason
        self.source = source
        self.line = line
        self.index = index
        super().__init__(self.location_text())

    @property
    def location(self) -> str:
        """``file:line``, ``list[index]`` or just the file, where the problem is."""
        return location(self.source, line=self.line, index=self.index)

    def location_text(self) -> str:
        return f"{self.location}: {self.reason}"


def location(source: str | None, *, line: int | None = None, index: int | None = None) -> str:
    """Where a record is, in the one form every report uses.

    A file's record is named by its 1-based line, a record sent as a list
    (an API request's ``articles``) by its 0-based index in that list.

    >>> location("in.jsonl", line=7), location("articles", index=3), location("feed.xml"), location(None)
    ('in.jsonl:7', 'articles[3]', 'feed.xml', '<input>')
    """
    if source is None:
        return "<input>"
    if index is not None:
        return f"{source}[{index}]"
    return f"{source}:{line}" if line is not None else source


class UnknownFormat(InputError):
    """The input format is neither given nor recognisable from the file name."""


class StoreError(NewsgraphError):
    """A store operation failed (a failed batch is never silently dropped)."""


class QueryRefused(NewsgraphError):
    """A user's Cypher query was refused: it writes, or the server cannot run it."""


class StoreUnavailable(StoreError):
    """The store cannot be reached or opened, or its backend does not exist yet."""


class StoreBusy(StoreUnavailable):
    """Another process held the store's write lock for longer than the busy timeout; retrying later can work."""

    def __init__(self, message: str, retry_after: int = 1):
        self.retry_after = retry_after
        super().__init__(message)


class NotFound(NewsgraphError):
    """A node asked for by id does not exist in the store."""

    def __init__(self, kind: str, key: str):
        self.kind = kind
        self.key = key
        super().__init__(f"no {kind} with id {key!r}")


class NotEnoughData(NewsgraphError):
    """The rows or graph given to an analysis are too few or lack what it needs (e.g. filters matched nothing)."""


class ClusterUnavailable(ConfigError):
    """The Dask cluster that runs NER cannot be reached, or its workers cannot do the work."""
