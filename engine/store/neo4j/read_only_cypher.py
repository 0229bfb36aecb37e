"""A user's Cypher, run read-only on the Neo4j store (``newsgraph cypher``).

A part of :class:`~newsgraph.engine.store.neo4j.Neo4jStore`: the query runs in
a READ transaction, so the server refuses any write, and its values come back
JSON-ready.

>>> plain({"when": DateTime(2025, 4, 1, 8, 0, 0, tzinfo=timezone.utc), "n": [1, 2.5]})
{'when': '2025-04-01T08:00:00+00:00', 'n': [1, 2.5]}
"""

from __future__ import annotations

from datetime import timezone  # noqa: F401 (the doctests)
from typing import Any

import neo4j
from neo4j import exceptions as neo4j_errors
from neo4j.time import DateTime

from newsgraph.engine.errors import QueryRefused, StoreError
from newsgraph.engine.store.neo4j.connection import Neo4jConnection
from newsgraph.engine.store.neo4j.values import from_neo4j


class Neo4jReadOnlyCypher(Neo4jConnection):
    """``run_read_query``."""

    def run_read_query(self, query: str, params: dict[str, Any] | None = None) -> tuple[list[str], list[list[Any]]]:
        """Run a user's Cypher in a READ transaction: column names and rows of plain values.

        The server refuses any write (``QueryRefused``); a malformed query is
        ``QueryRefused`` too, with the server's one-line reason.
        """

        def work(tx):
            result = tx.run(query, params or {})
            return list(result.keys()), [[plain(v) for v in record.values()] for record in result]

        try:
            with self._errors("running the query"):
                with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                    return session.execute_read(work)
        except StoreError as e:
            cause = e.__cause__
            if isinstance(cause, neo4j_errors.Neo4jError) and (cause.code or "").startswith("Neo.ClientError."):
                if cause.code in _WRITE_REFUSED:
                    raise QueryRefused(
                        "cypher runs read-only queries and this one writes; "
                        "change the graph with newsgraph ingest or sync instead"
                    ) from cause
                raise QueryRefused(f"Neo4j rejected the query: {(cause.message or str(cause)).splitlines()[0]}") from cause
            raise


# the codes Neo4j 5 answers a write in a read transaction with
_WRITE_REFUSED = {
    "Neo.ClientError.Statement.AccessMode",
    "Neo.ClientError.Security.Forbidden",
    "Neo.ClientError.Cluster.NotALeader",
}


def plain(value: Any) -> Any:
    """A value of a Cypher result as JSON-ready Python: nodes and relationships become maps.

    >>> plain([DateTime(2025, 4, 1, 8, 0, 0, tzinfo=timezone.utc)])
    ['2025-04-01T08:00:00+00:00']
    """
    if isinstance(value, neo4j.graph.Node):
        return {"labels": sorted(value.labels), **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Relationship):
        return {"type": value.type, **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Path):
        return {"nodes": [plain(n) for n in value.nodes], "relationships": [plain(r) for r in value.relationships]}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, DateTime):
        return from_neo4j(value).isoformat()
    if hasattr(value, "iso_format"):  # neo4j.time Date, Time, Duration
        return value.iso_format()
    return value
