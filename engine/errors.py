"""The one exception hierarchy of newsgraph."""

from __future__ import annotations


class NewsgraphError(Exception):
    """Base class of every error newsgraph raises on purpose."""


class ConfigError(NewsgraphError):
    """A setting or command-line option has a value newsgraph cannot use."""


class InputError(NewsgraphError):
    """An input record or file is unusable; carries where (file, line) and why."""

    def __init__(self, reason: str, *, source: str | None = None, line: int | None = None):
        self.reason = reason
        self.source = source
        self.line = line
        super().__init__(self.location_text())

    @property
    def location(self) -> str:
        """``file:line`` (or just the file) where the problem is."""
        if self.source is None:
            return "<input>"
        return f"{self.source}:{self.line}" if self.line is not None else self.source

    def location_text(self) -> str:
        return f"{self.location}: {self.reason}"


class UnknownFormat(InputError):
    """The input format is neither given nor recognisable from the file name."""


class StoreError(NewsgraphError):
    """A store operation failed (a failed batch is never silently dropped)."""


class QueryRefused(NewsgraphError):
    """A user's Cypher query was refused: it writes, or the server cannot run it."""


class StoreUnavailable(StoreError):
    """The store cannot be reached or opened, or its backend does not exist yet."""


class NotFound(NewsgraphError):
    """A node asked for by id does not exist in the store."""

    def __init__(self, kind: str, key: str):
        self.kind = kind
        self.key = key
        super().__init__(f"no {kind} with id {key!r}")


class NotEnoughData(NewsgraphError):
    """The rows or graph given to an analysis are too few or lack what it needs (e.g. filters matched nothing)."""
