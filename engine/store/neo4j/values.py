"""Python values as the Neo4j store writes them, and Neo4j values read back as plain Python.

Times are stored as Neo4j ``DateTime`` values in UTC, to the second: the
precision the embedded store keeps, so both stores agree.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from neo4j.time import DateTime


def to_neo4j_time(dt: datetime) -> datetime:
    """UTC, whole seconds.

    >>> to_neo4j_time(datetime(2025, 4, 1, 12, 0, 5, 999, tzinfo=timezone.utc)).isoformat()
    '2025-04-01T12:00:05+00:00'
    """
    return dt.astimezone(timezone.utc).replace(microsecond=0)


def from_neo4j(value: Any) -> Any:
    """A value read from Neo4j as plain Python: ``DateTime`` becomes an aware UTC ``datetime``.

    >>> from_neo4j(DateTime(2025, 4, 1, 8, 0, 0, tzinfo=timezone.utc)).isoformat()
    '2025-04-01T08:00:00+00:00'
    """
    if isinstance(value, DateTime):
        return value.to_native().astimezone(timezone.utc)
    return value
