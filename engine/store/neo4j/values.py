"""Python values as the Neo4j store writes them, and Neo4j values read back as plain Python.

Times are stored as Neo4j ``DateTime`` values in UTC, to the second: the
precision the embedded store keeps, so both stores agree.
"""

from __future__ import annotations

import calendar
import json
from datetime import datetime, timezone
from typing import Any

from neo4j.time import DateTime

from newsgraph.engine.store.rows import from_iso


def to_neo4j_time(dt: datetime) -> datetime:
    """UTC, whole seconds.

    >>> to_neo4j_time(datetime(2025, 4, 1, 12, 0, 5, 999, tzinfo=timezone.utc)).isoformat()
    '2025-04-01T12:00:05+00:00'
    """
    return dt.astimezone(timezone.utc).replace(microsecond=0)


def from_epoch_seconds(seconds: int) -> datetime:
    """The aware UTC ``datetime`` of a time a query returned as ``.epochSeconds`` (what the store keeps, to the
    second, without the driver's slow ``DateTime`` decoding).

    >>> from_epoch_seconds(1743494400).isoformat()
    '2025-04-01T08:00:00+00:00'
    """
    return datetime.fromtimestamp(seconds, timezone.utc)


def to_epoch_seconds(dt: datetime) -> int:
    """Seconds since the epoch, rounded down: what Neo4j's ``epochSeconds`` gives for the same time.

    >>> to_epoch_seconds(datetime(1969, 12, 31, 23, 59, 59, 500000, tzinfo=timezone.utc))
    -1
    """
    return calendar.timegm(dt.utctimetuple())


def from_record(record) -> dict[str, Any]:
    """A record of the driver as a plain row (:func:`from_neo4j` of each value)."""
    return {k: from_neo4j(v) for k, v in record.items()}


def from_neo4j(value: Any) -> Any:
    """A value read from Neo4j as plain Python: ``DateTime`` becomes an aware UTC ``datetime``.

    >>> from_neo4j(DateTime(2025, 4, 1, 8, 0, 0, tzinfo=timezone.utc)).isoformat()
    '2025-04-01T08:00:00+00:00'
    """
    if isinstance(value, DateTime):
        return value.to_native().astimezone(timezone.utc)
    return value


def to_properties(properties, row: dict[str, Any]) -> dict[str, Any]:
    """A plain row as Neo4j property values of the declared types (None removes a property).

    >>> from newsgraph.graph_schema import LABELS
    >>> row = to_properties(LABELS["Story"].properties, {"id": "s1", "first_published": "2025-04-01T08:00:00Z"})
    >>> row["first_published"], row["title"]
    (datetime.datetime(2025, 4, 1, 8, 0, tzinfo=datetime.timezone.utc), None)
    """
    out = {}
    for p in properties:
        v = row.get(p.name)
        if v is not None:
            if p.type == "datetime":
                v = to_neo4j_time(v if isinstance(v, datetime) else from_iso(v))
            elif p.type == "float":
                v = float(v)
            elif p.type == "int":
                v = int(v)
            elif p.type == "bool":
                v = bool(v)
            elif p.type == "json" and not isinstance(v, str):
                v = json.dumps(v, sort_keys=True, ensure_ascii=False)
        out[p.name] = v
    return out
