"""Whole-graph rows on Neo4j: every node and relationship as plain values.

A part of :class:`~newsgraph.engine.store.neo4j.Neo4jStore`, the twin of
:class:`~newsgraph.engine.store.sqlite.graph_rows.SQLiteGraphRows`: the same
plain rows in the same order, so ``newsgraph sync`` copies between the stores
and the tests compare them node for node.

>>> from newsgraph.graph_schema import LABELS
>>> row = _to_properties(LABELS["Story"].properties, {"id": "s1", "first_published": "2025-04-01T08:00:00Z"})
>>> row["first_published"], row["title"]
(datetime.datetime(2025, 4, 1, 8, 0, tzinfo=datetime.timezone.utc), None)
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from typing import Any, Iterator, Sequence

from newsgraph.engine.store.neo4j.connection import Neo4jConnection
from newsgraph.engine.store.neo4j.values import to_neo4j_time
from newsgraph.engine.store.rows import from_iso
from newsgraph.graph_schema import check_label, check_relationship
from newsgraph.graph_schema import cypher as q


class Neo4jGraphRows(Neo4jConnection):
    """``iter_nodes``, ``iter_relationships``, ``write_nodes``, ``write_relationships``."""

    def iter_nodes(self, label: str) -> Iterator[dict[str, Any]]:
        return self._stream(q.node_rows(label))

    def iter_relationships(self, rel: str) -> Iterator[dict[str, Any]]:
        return self._stream(q.relationship_rows(rel))

    def write_nodes(self, label: str, rows: Sequence[dict[str, Any]], *, fresh: bool = False) -> None:
        spec = check_label(label)
        values = [_to_properties(spec.properties, row) for row in rows]
        if fresh:  # CREATE sets no null property: leave them out, as MERGE's += removes them
            values = [{k: v for k, v in row.items() if v is not None} for row in values]
        if values:
            query = q.create_nodes(spec.name) if fresh else q.merge_nodes(spec.name)
            self._write(f"writing {len(values)} {spec.name} nodes", lambda tx: self._run_batches(tx, query, values))

    def bulk_load(self) -> AbstractContextManager:
        """Nothing to defer: into an empty database the ``fresh`` writes already create without looking first."""
        return nullcontext()

    def write_relationships(self, rel: str, rows: Sequence[dict[str, Any]], *, fresh: bool = False) -> None:
        spec = check_relationship(rel)
        values = [
            {"start_id": row["start_id"], "end_id": row["end_id"], "props": _to_properties(spec.properties, row)}
            for row in rows
        ]
        if values:
            self._write(
                f"writing {len(values)} {spec.name} relationships",
                lambda tx: self._merge_relationships(tx, spec.name, values, fresh=fresh),
            )


def _to_properties(properties, row: dict[str, Any]) -> dict[str, Any]:
    """A plain row as Neo4j property values of the declared types (None removes a property)."""
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
