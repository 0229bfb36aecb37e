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
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from typing import Any, Callable, Iterator, Sequence

from newsgraph.engine.store.rows import from_iso, to_iso
from newsgraph.engine.store.sqlite.connection import SQLiteConnection
from newsgraph.engine.store.sqlite.upserts import node_upsert, rel_upsert
from newsgraph.graph_schema import LABELS, RELATIONSHIPS, check_label, check_relationship
from newsgraph.graph_schema.sqlite import RELATED_FILL, RELATED_TRIGGERS, related_triggers, sqlite_ddl


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

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """While an empty store is filled: the graph tables' secondary indexes are dropped, and built once
        when the load ends (sorting the rows once is cheaper than keeping each index up to date row by row);
        so are the triggers that keep the related stories' tables, which are filled once at the end.

        They are built again whatever happens inside; a process killed before that leaves a store whose
        missing indexes and triggers are created, and the related stories' tables filled, the next time it is
        opened.
        """
        tables = [spec.table for spec in (*LABELS.values(), *RELATIONSHIPS.values())]
        marks = ", ".join("?" for _ in tables)
        names = [r[0] for r in self.db.execute(
            f"SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
            tables)]
        with self._tx():
            for name in names:
                self.db.execute(f'DROP INDEX "{name}"')
            for name in RELATED_TRIGGERS:  # the related stories' tables are filled once, at the end
                self.db.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        try:
            yield
        finally:
            with self._tx():
                for stmt in sqlite_ddl():
                    if stmt.startswith("CREATE INDEX"):
                        self.db.execute(stmt)
                for stmt in RELATED_FILL:
                    self.db.execute(stmt)
                for stmt in related_triggers():
                    self.db.execute(stmt)

    def write_nodes(self, label: str, rows: Sequence[dict[str, Any]], *, fresh: bool = False) -> None:
        spec = check_label(label)
        values = _column_values(spec.property_names, tuple(spec.properties), rows)
        self._rows_or_fail(node_upsert(spec.name, positional=True, fresh=fresh), values, spec.name)

    def write_relationships(self, rel: str, rows: Sequence[dict[str, Any]], *, fresh: bool = False) -> None:
        spec = check_relationship(rel)
        values = _column_values(("start_id", "end_id", *spec.property_names), tuple(spec.properties), rows, offset=2)
        self._rows_or_fail(rel_upsert(spec.name, positional=True, fresh=fresh), values, spec.name)


def _column_values(names: Sequence[str], properties: tuple, rows: Sequence[dict[str, Any]], *,
                   offset: int = 0) -> list[tuple]:
    """Each row's values in ``names`` order, as a tuple for a positional upsert, converted as the
    store keeps them (datetimes as ISO text, booleans as 0/1, JSON as text): plain values are read in C (``map(row.get, names)``) and only the columns that need it are converted."""
    plain = [tuple(map(row.get, names)) for row in rows]
    converters = _converters(properties)
    if not converters:
        return plain
    out = []
    for values in plain:
        values = list(values)
        for i, convert in converters:
            v = values[offset + i]
            if v is not None:
                values[offset + i] = convert(v)
        out.append(tuple(values))
    return out


@lru_cache(maxsize=None)
def _converters(properties: tuple) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
    """(position, converter) of the properties whose values are not stored as given."""
    by_type = {"datetime": _datetime_column, "bool": _bool_column, "json": _json_column}
    return tuple((i, by_type[p.type]) for i, p in enumerate(properties) if p.type in by_type)


def _datetime_column(v: Any) -> str:
    return to_iso(v if isinstance(v, datetime) else from_iso(v))


def _bool_column(v: Any) -> int:
    return int(bool(v))


def _json_column(v: Any) -> Any:
    return v if isinstance(v, str) else json.dumps(v, sort_keys=True, ensure_ascii=False)


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
