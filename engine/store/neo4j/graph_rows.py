"""Whole-graph rows on Neo4j: every node and relationship as plain values.

A part of :class:`~newsgraph.engine.store.neo4j.Neo4jStore`, the twin of
:class:`~newsgraph.engine.store.sqlite.graph_rows.SQLiteGraphRows`: the same
plain rows in the same order, so ``newsgraph sync`` copies between the stores
and the tests compare them node for node.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator, Sequence

from newsgraph.engine.errors import StoreError
from newsgraph.engine.store.neo4j.connection import Neo4jConnection
from newsgraph.engine.store.neo4j.values import to_properties
from newsgraph.graph_schema import check_label, check_relationship
from newsgraph.graph_schema import cypher as q


class Neo4jGraphRows(Neo4jConnection):
    """``iter_nodes``, ``iter_relationships``, ``write_nodes``, ``write_relationships``, ``bulk_load``."""

    _bulk = False
    "Inside :meth:`bulk_load`."

    def iter_nodes(self, label: str) -> Iterator[dict[str, Any]]:
        return self._stream(q.node_rows(label))

    def iter_relationships(self, rel: str) -> Iterator[dict[str, Any]]:
        return self._stream(q.relationship_rows(rel))

    def write_nodes(self, label: str, rows: Sequence[dict[str, Any]], *, fresh: bool = False) -> None:
        spec = check_label(label)
        values = [to_properties(spec.properties, row) for row in rows]
        if fresh:  # CREATE sets no null property: leave them out, as MERGE's += removes them
            values = [{k: v for k, v in row.items() if v is not None} for row in values]
        if values and fresh and self._bulk:
            self._create_keeping_ids(spec, values)
        elif values:
            query = q.create_nodes(spec.name) if fresh else q.merge_nodes(spec.name)

            def work(tx):
                self._run_batches(tx, query, values)
                if spec.name == "Story" and not fresh:  # relationships it already has follow its dates
                    self._run_batches(tx, q.REFRESH_ABOUT_SPANS, [{"id": row["id"]} for row in values])

            self._write(f"writing {len(values)} {spec.name} nodes", work)

    @contextmanager
    def bulk_load(self, *, await_seconds: float = 3600.0) -> Iterator[None]:
        """A load into an empty database: the indexes that serve only reads are dropped first and built once at
        the end, online before this returns, also when the load fails (:func:`~graph_schema.cypher.deferred_schema`).

        The ``fresh`` writes inside send each batch as one ``UNWIND`` (the caller's batch size is the
        transaction's). Should the process die during the load, the next connection creates the missing
        indexes (the schema is created on connect) and fills what they key.
        """
        deferred = q.deferred_schema()
        with self._errors("dropping the read indexes before a bulk load"):
            for drop, _ in deferred:
                self.driver.execute_query(drop, database_=self.database)
        self._bulk, self._ids = True, {}
        try:
            yield
        finally:
            self._bulk, self._ids = False, {}
            with self._errors("building the read indexes after a bulk load"):
                self._create_statements([create for _, create in deferred])
                self.driver.execute_query(q.AWAIT_INDEXES, seconds=int(await_seconds), database_=self.database)

    def _create_keeping_ids(self, spec, values: list[dict]) -> None:
        """Create a bulk load's batch of nodes in one ``UNWIND``; their element ids kept for the relationships."""
        got: dict[str, str] = {}

        def work(tx):
            got.clear()  # a replayed transaction starts again
            got.update((r["key"], r["eid"]) for r in tx.run(q.create_nodes_returning_ids(spec.name), rows=values))

        self._write(f"writing {len(values)} {spec.name} nodes", work)
        self._ids.setdefault(spec.name, {}).update(got)

    def write_relationships(self, rel: str, rows: Sequence[dict[str, Any]], *, fresh: bool = False) -> None:
        spec = check_relationship(rel)
        if fresh and self._bulk and spec.start in self._ids and spec.end in self._ids and rows:
            self._create_by_ids(spec, rows)
            return
        values = [
            {"start_id": row["start_id"], "end_id": row["end_id"], "props": to_properties(spec.properties, row)}
            for row in rows
        ]
        if values:
            self._write(
                f"writing {len(values)} {spec.name} relationships",
                lambda tx: self._merge_relationships(tx, spec.name, values, fresh=fresh,
                                                     size=len(values) if fresh and self._bulk else None),
            )

    def _create_by_ids(self, spec, rows: Sequence[dict[str, Any]]) -> None:
        """A bulk load's batch of relationships between nodes it created, the ends found by element id."""
        if spec.one_per_start:  # the last row of a start node wins, as with successive SQL upserts
            rows = list({r["start_id"]: r for r in rows}.values())
        starts, ends = self._ids[spec.start], self._ids[spec.end]
        values = [[starts.get(r["start_id"]), ends.get(r["end_id"]), to_properties(spec.properties, r)] for r in rows]
        query = q.create_relationships_by_ids(spec.name)

        def work(tx):
            written = tx.run(query, rows=values).single(strict=True)["written"]
            if written != len(values):
                raise StoreError(f"writing a batch of {len(values)} {spec.name} rows failed: "
                                 f"{len(values) - written} refer to a node that does not exist")

        self._write(f"writing {len(values)} {spec.name} relationships", work)

