"""Whole-graph rows of the embedded store: every node and relationship as plain values.

A part of :class:`~newsgraph.engine.store.sqlite.SQLiteStore`; the Neo4j twin is
:class:`~newsgraph.engine.store.neo4j.graph_rows.Neo4jGraphRows`. Both read and
write the same rows (see the "bulk rows of the whole graph" section of
:class:`~newsgraph.engine.store.base.GraphStore`), which is what ``newsgraph sync``
copies and what the tests compare node for node.

>>> s = SQLiteGraphRows(":memory:")
>>> s.write_nodes("Entity", [{"id": "gpe:finland", "name": "Finland", "type": "GPE"}])
>>> list(s.iter_nodes("Entity"))
[{'id': 'gpe:finland', 'name': 'Finland', 'type': 'GPE', 'aliases': None}]
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any, Iterator, Sequence

from newsgraph.engine.store.rows import from_iso, to_iso
from newsgraph.engine.store.sqlite.connection import SQLiteConnection
from newsgraph.engine.store.sqlite.upserts import node_upsert, rel_upsert
from newsgraph.graph_schema import check_label, check_relationship


class SQLiteGraphRows(SQLiteConnection):
    """``iter_nodes``, ``iter_relationships``, ``write_nodes``, ``write_relationships``."""

    def iter_nodes(self, label: str) -> Iterator[dict[str, Any]]:
        spec = check_label(label)
        cur = self.db.execute(f"SELECT {', '.join(spec.property_names)} FROM {spec.table} ORDER BY {spec.key}")
        for r in cur:
            yield _from_columns(spec.properties, r)

    def iter_relationships(self, rel: str) -> Iterator[dict[str, Any]]:
        spec = check_relationship(rel)
        columns = ("start_id", "end_id", *spec.property_names)
        cur = self.db.execute(f"SELECT {', '.join(columns)} FROM {spec.table} ORDER BY start_id, end_id")
        for r in cur:
            yield {"start_id": r["start_id"], "end_id": r["end_id"], **_from_columns(spec.properties, r)}

    def write_nodes(self, label: str, rows: Sequence[dict[str, Any]], *, fresh: bool = False) -> None:
        spec = check_label(label)
        values = [_to_columns(spec.properties, row) for row in rows]
        self._rows_or_fail(node_upsert(spec.name), values, spec.name)

    def write_relationships(self, rel: str, rows: Sequence[dict[str, Any]], *, fresh: bool = False) -> None:
        spec = check_relationship(rel)
        values = [
            {"start_id": row["start_id"], "end_id": row["end_id"], **_to_columns(spec.properties, row)}
            for row in rows
        ]
        self._rows_or_fail(rel_upsert(spec.name), values, spec.name)


def _from_columns(properties, r: sqlite3.Row) -> dict[str, Any]:
    out = {}
    for p in properties:
        v = r[p.name]
        if v is not None:
            if p.type == "datetime":
                v = from_iso(v)
            elif p.type == "bool":
                v = bool(v)
            elif p.type == "float":
                v = float(v)
        out[p.name] = v
    return out


def _to_columns(properties, row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for p in properties:
        v = row.get(p.name)
        if v is not None:
            if p.type == "datetime":
                v = to_iso(v if isinstance(v, datetime) else from_iso(v))
            elif p.type == "bool":
                v = int(bool(v))
            elif p.type == "json" and not isinstance(v, str):
                v = json.dumps(v, sort_keys=True, ensure_ascii=False)
        out[p.name] = v
    return out
