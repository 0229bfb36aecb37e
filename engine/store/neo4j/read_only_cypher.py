"""A user's Cypher, run read-only on the Neo4j store (``newsgraph cypher``).

A part of :class:`~newsgraph.engine.store.neo4j.Neo4jStore`. A query is first
screened (:mod:`.query_guard`: no ``LOAD CSV``, no administration, only
allow-listed procedures and functions), then runs in a READ transaction, so the
server refuses any write as well, with a timeout the server enforces and a
cap on the rows fetched; its values come back JSON-ready.

>>> plain({"when": DateTime(2025, 4, 1, 8, 0, 0, tzinfo=timezone.utc), "n": [1, 2.5]})
{'when': '2025-04-01T08:00:00+00:00', 'n': [1, 2.5]}
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timezone  # noqa: F401 (the doctests)
from typing import Any

import neo4j
from neo4j import exceptions as neo4j_errors
from neo4j.time import DateTime

from newsgraph.engine.errors import QueryRefused, StoreError
from newsgraph.engine.store.neo4j.connection import Neo4jConnection
from newsgraph.engine.store.neo4j.query_guard import check_read_only
from newsgraph.engine.store.neo4j.values import from_neo4j


@dataclass(frozen=True)
class QueryResult:
    """A read-only query's column names and rows of plain values; ``truncated`` if rows were left unread."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = False


class Neo4jReadOnlyCypher(Neo4jConnection):
    """``run_read_query``."""

    def run_read_query(self, query: str, params: dict[str, Any] | None = None, *, timeout: float = 30.0,
                       max_rows: int = 10_000) -> QueryResult:
        """Run a user's Cypher in a READ transaction: at most ``max_rows`` rows, within ``timeout`` seconds.

        A query that reaches beyond the graph (:func:`.query_guard.check_read_only`), writes,
        is malformed or runs out of time is ``QueryRefused``, with a one-line reason.
        """
        check_read_only(query)
        try:
            with self._errors("running the query"):
                with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                    # an explicit transaction, not execute_read: a user's query that fails or times out
                    # is answered at once, not retried for the driver's retry time
                    with session.begin_transaction(timeout=timeout) as tx:
                        result = tx.run(query, params or {})
                        columns, rows, truncated = list(result.keys()), [], False
                        for record in result:
                            if len(rows) == max_rows:
                                truncated = True  # the rest is discarded by the server, never sent
                                break
                            rows.append([plain(v) for v in record.values()])
                        tx.rollback()  # a read keeps nothing
                        return QueryResult(columns, rows, truncated)
        except StoreError as e:
            cause = e.__cause__
            if isinstance(cause, neo4j_errors.Neo4jError) and (cause.code or "").startswith("Neo.ClientError."):
                raise _refusal(cause, timeout) from cause
            raise


# the codes Neo4j 5 answers a write in a read transaction with
_WRITE_REFUSED = {
    "Neo.ClientError.Statement.AccessMode",
    "Neo.ClientError.Security.Forbidden",
    "Neo.ClientError.Cluster.NotALeader",
}


def _refusal(error: neo4j_errors.Neo4jError, timeout: float) -> QueryRefused:
    if error.code in _WRITE_REFUSED:
        return QueryRefused("cypher runs read-only queries and this one writes; "
                            "change the graph with newsgraph ingest or sync instead")
    if (error.code or "").startswith("Neo.ClientError.Transaction.TransactionTimedOut"):
        return QueryRefused(f"the query ran longer than {timeout:g} s and the server stopped it: "
                            "narrow it, or raise --timeout (NEWSGRAPH_CYPHER_TIMEOUT)")
    return QueryRefused(f"Neo4j rejected the query: {(error.message or str(error)).splitlines()[0]}")


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
