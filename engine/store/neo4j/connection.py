"""The Neo4j store's connection: a driver, its database, and driver errors as newsgraph errors.

The base of every part of :class:`~newsgraph.engine.store.neo4j.Neo4jStore`.
Each write call is one managed transaction (the driver retries it on
transient errors), sent as ``UNWIND $rows`` batches of ``batch_size`` rows;
reads come back as plain Python values (:func:`.values.from_neo4j`).

>>> list(chunks([1, 2, 3, 4, 5], 2))
[[1, 2], [3, 4], [5]]
"""

from __future__ import annotations

from contextlib import contextmanager, nullcontext
from typing import Any, Callable, Iterator

import neo4j
from neo4j import exceptions as neo4j_errors

from newsgraph.engine.errors import StoreError, StoreUnavailable
from newsgraph.engine.store.neo4j.values import from_neo4j
from newsgraph.graph_schema import RELATIONSHIPS, constraint_statements
from newsgraph.graph_schema import cypher as q


_SCHEMA_RACE = {
    "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
    "Neo.ClientError.Schema.IndexAlreadyExists",
    "Neo.ClientError.Schema.ConstraintAlreadyExists",
}


def chunks(rows: list, size: int) -> Iterator[list]:
    """``rows`` in lists of ``size`` (the last one shorter)."""
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


class Neo4jConnection:
    """A driver and the one database of a Neo4j 5 server every query runs in.

    Made with the parameters of :class:`~newsgraph.engine.store.neo4j.Neo4jStore`;
    connecting creates the schema's constraints and indexes (idempotent), unless
    ``create_schema`` is false: a read-only user (``newsgraph cypher``) never writes schema.
    """

    def __init__(
        self,
        driver: neo4j.Driver,
        database: str = "neo4j",
        batch_size: int = 500,
        *,
        url: str = "neo4j",
        owns_driver: bool = False,
        create_schema: bool = True,
    ):
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.driver = driver
        self.database = database
        self.batch_size = batch_size
        self.url = url
        self._owns_driver = owns_driver
        with self._errors("connecting"):
            # fails fast: queries below would retry an unreachable server for the driver's retry time
            self.driver.verify_connectivity()
        if create_schema:
            self._create_schema()
            self._migrate()

    def _migrate(self) -> None:
        """Fill what a database written by an older version lacks (the parts of the store override it)."""

    def _create_schema(self) -> None:
        with self._errors("creating the schema"):
            for statement in constraint_statements():
                try:
                    self.driver.execute_query(statement, database_=self.database)
                except neo4j_errors.ClientError as e:
                    # IF NOT EXISTS does not cover two clients creating the same index at once
                    if e.code not in _SCHEMA_RACE:
                        raise

    def atomic(self):
        """Several writes as one unit, where the store can: here each write is still its own transaction
        (a batch killed between them is left part-written; see docs/scaling.md)."""
        return nullcontext()

    @contextmanager
    def _errors(self, doing: str):
        """Driver errors as newsgraph errors, each one line that says what to fix."""
        try:
            yield
        except neo4j_errors.AuthError as e:
            raise StoreUnavailable(
                f"Neo4j at {self.url} refused the credentials while {doing}: "
                "check NEWSGRAPH_NEO4J_USER and NEWSGRAPH_NEO4J_PASSWORD"
            ) from e
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as e:
            raise StoreUnavailable(
                f"cannot reach the Neo4j backend at {self.url} while {doing}: is the server running? ({e})"
            ) from e
        except neo4j_errors.Neo4jError as e:
            if e.code == "Neo.ClientError.Database.DatabaseNotFound":
                raise StoreUnavailable(
                    f"Neo4j at {self.url} has no database {self.database!r}: set NEWSGRAPH_NEO4J_DATABASE"
                ) from e
            raise StoreError(f"Neo4j failed while {doing}: {e.message or e}") from e
        except neo4j_errors.DriverError as e:
            raise StoreError(f"the Neo4j driver failed while {doing}: {e}") from e

    def _write(self, doing: str, work: Callable[[neo4j.ManagedTransaction], None]) -> None:
        with self._errors(doing):
            with self.driver.session(database=self.database) as session:
                session.execute_write(work)

    def _read(self, query: str, **params) -> list[dict[str, Any]]:
        with self._errors("reading"):
            records, _, _ = self.driver.execute_query(
                query, params, database_=self.database, routing_=neo4j.RoutingControl.READ
            )
        return [{k: from_neo4j(v) for k, v in r.items()} for r in records]

    def _stream(self, query: str, **params) -> Iterator[dict[str, Any]]:
        """Rows of a large read, pulled from the server as they are consumed."""
        with self._errors("reading"):
            with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                for r in session.run(query, params):
                    yield {k: from_neo4j(v) for k, v in r.items()}

    def _run_batches(self, tx: neo4j.ManagedTransaction, query: str, rows: list[dict], **params) -> None:
        for chunk in chunks(rows, self.batch_size):
            tx.run(query, rows=chunk, **params).consume()

    def _merge_relationships(self, tx: neo4j.ManagedTransaction, rel: str, rows: list[dict], *,
                             fresh: bool = False) -> None:
        """Write ``rows`` of ``rel`` (``fresh``: created, known to be new); a row whose end nodes do not exist
        fails the whole transaction."""
        query = q.create_relationships(rel) if fresh else q.merge_relationships(rel)
        if RELATIONSHIPS[rel].one_per_start:
            # the last row of a start node wins, as with successive SQL upserts
            rows = list({r["start_id"]: r for r in rows}.values())
        for chunk in chunks(rows, self.batch_size):
            written = tx.run(query, rows=chunk).single(strict=True)["written"]
            if written != len(chunk):
                raise StoreError(
                    f"writing a batch of {len(chunk)} {rel} rows failed: "
                    f"{len(chunk) - written} refer to a node that does not exist"
                )

    def close(self) -> None:
        if self._owns_driver:
            self.driver.close()

    def clear(self) -> None:
        """Delete every node and relationship in the database (for tests)."""
        with self._errors("clearing the database"):
            with self.driver.session(database=self.database) as session:
                session.run(q.CLEAR_GRAPH).consume()
