"""Whole-graph rows on Neo4j, and read-only Cypher for users.

A mixin of :class:`~engine.store.neo4j.Neo4jStore`, the twin of
:class:`~engine.store.sqlite_rows.SQLiteGraphRows`: the same plain rows in the
same order, so ``newsgraph sync`` copies between the stores and the tests
compare them node for node. ``run_read_query`` runs a user's Cypher in a READ
transaction (``newsgraph cypher``).

>>> plain({"when": DateTime(2025, 4, 1, 8, 0, 0, tzinfo=timezone.utc), "n": [1, 2.5]})
{'when': '2025-04-01T08:00:00+00:00', 'n': [1, 2.5]}
"""

from __future__ import annotations

import json
from datetime import datetime, timezone  # noqa: F401 (timezone: the doctests)
from typing import Any, Iterator, Sequence

import neo4j
from neo4j import exceptions as neo4j_errors
from neo4j.time import DateTime

from newsgraph.engine.errors import QueryRefused, StoreError
from newsgraph.graph_schema import check_label, check_relationship
from newsgraph.graph_schema import cypher as q


class Neo4jGraphRows:
    """``iter_nodes``, ``iter_relationships``, ``write_nodes``, ``write_relationships``, ``run_read_query``."""

    def iter_nodes(self, label: str) -> Iterator[dict[str, Any]]:
        return self._stream(q.node_rows(label))

    def iter_relationships(self, rel: str) -> Iterator[dict[str, Any]]:
        return self._stream(q.relationship_rows(rel))

    def write_nodes(self, label: str, rows: Sequence[dict[str, Any]]) -> None:
        spec = check_label(label)
        values = [_to_properties(spec.properties, row) for row in rows]
        if values:
            query = q.merge_nodes(spec.name)
            self._write(f"writing {len(values)} {spec.name} nodes", lambda tx: self._run_batches(tx, query, values))

    def write_relationships(self, rel: str, rows: Sequence[dict[str, Any]]) -> None:
        spec = check_relationship(rel)
        values = [
            {"start_id": row["start_id"], "end_id": row["end_id"], "props": _to_properties(spec.properties, row)}
            for row in rows
        ]
        if values:
            self._write(
                f"writing {len(values)} {spec.name} relationships",
                lambda tx: self._merge_relationships(tx, spec.name, values),
            )

    # -- read-only Cypher for users ---------------------------------------
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
        return _from_neo4j(value).isoformat()
    if hasattr(value, "iso_format"):  # neo4j.time Date, Time, Duration
        return value.iso_format()
    return value


def _to_properties(properties, row: dict[str, Any]) -> dict[str, Any]:
    """A plain row as Neo4j property values of the declared types (None removes a property)."""
    out = {}
    for p in properties:
        v = row.get(p.name)
        if v is not None:
            if p.type == "datetime":
                v = _to_neo4j_time(v if isinstance(v, datetime) else datetime.fromisoformat(v.replace("Z", "+00:00")))
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


def _to_neo4j_time(dt: datetime) -> datetime:
    from newsgraph.engine.store.neo4j import to_neo4j_time

    return to_neo4j_time(dt)


def _from_neo4j(value: Any) -> Any:
    from newsgraph.engine.store.neo4j import from_neo4j

    return from_neo4j(value)
