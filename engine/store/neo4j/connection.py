"""The Neo4j store's connection: a driver, its database, and driver errors as newsgraph errors.

The base of every part of :class:`~newsgraph.engine.store.neo4j.Neo4jStore`.
Each write call is one managed transaction (the driver retries it on
transient errors), sent as ``UNWIND $rows`` batches of ``batch_size`` rows;
inside :meth:`Neo4jConnection.atomic` every write (and read) of the thread
joins one explicit transaction instead, which is replayed whole on a transient
error. Reads come back as plain Python values (:func:`.values.from_neo4j`).

>>> list(chunks([1, 2, 3, 4, 5], 2))
[[1, 2], [3, 4], [5]]
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import neo4j
from neo4j import exceptions as neo4j_errors

from newsgraph.engine.errors import StoreError, StoreUnavailable
from newsgraph.engine.store.neo4j.values import from_record
from newsgraph.graph_schema import RELATIONSHIPS, constraint_statements
from newsgraph.graph_schema import cypher as q


# schema an older version created that the current one replaces (dropped before the schema is created)
_OLD_SCHEMA = (q.DROP_OLD_PAIR_KEY_INDEX,)
_REPLAYS = 5
"Times a batch's transaction is replayed after a transient error (a deadlock with another writer) before it fails."

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

    def _fill_then_index(self, doing: str, present: str, fill: str, indexes: list[str]) -> None:
        """A database written before a kept key gets it (``fill``, run outside a managed transaction), then the
        key's ``indexes`` (``present`` counts those there). The indexes are made last: their absence marks a
        database whose keys may be incomplete (an interrupted fill is finished on the next connect), and the
        fill does not update them row by row."""
        [row] = self._read(present)
        if row["n"] == len(indexes):
            return
        with self._errors(doing):
            with self.driver.session(database=self.database) as session:
                session.run(fill).consume()
            self._create_statements(indexes)

    def _create_schema(self) -> None:
        with self._errors("creating the schema"):
            for statement in _OLD_SCHEMA:
                self.driver.execute_query(statement, database_=self.database)
            self._create_statements(constraint_statements())

    def _create_statements(self, statements: list[str]) -> None:
        """Run ``CREATE CONSTRAINT|INDEX ... IF NOT EXISTS`` statements, another client's identical one tolerated."""
        for statement in statements:
            try:
                self.driver.execute_query(statement, database_=self.database)
            except neo4j_errors.ClientError as e:
                # IF NOT EXISTS does not cover two clients creating the same index at once
                if e.code not in _SCHEMA_RACE:
                    raise

    def _batch(self) -> "_Batch | None":
        """The open :meth:`atomic` batch of this thread, if any."""
        local = self.__dict__.get("_local")
        return getattr(local, "batch", None) if local is not None else None

    @contextmanager
    def atomic(self):
        """Several writes as one unit: one explicit transaction for everything the thread writes (and reads)
        inside, committed at the end, or rolled back whole if anything fails, so a batch of the pipeline lands
        whole or not at all. Co-mention deltas are summed over the unit and written once per pair before the
        commit. A transient error (a deadlock with another writer) replays the unit's writes in a new
        transaction. Nested units join the outer one."""
        local = self.__dict__.setdefault("_local", threading.local())
        if getattr(local, "batch", None) is not None:
            yield
            return
        batch = local.batch = _Batch(self)
        try:
            batch.begin()
            yield
            batch.commit()
        finally:
            local.batch = None
            batch.close()

    def _before_commit(self, tx: neo4j.Transaction, kept: dict) -> None:
        """Write what the unit kept until its end in ``kept`` (the parts of the store override it)."""

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
        batch = self._batch()
        if batch is not None:
            batch.run(doing, work)
            return
        with self._errors(doing):
            with self.driver.session(database=self.database) as session:
                session.execute_write(work)

    def _read(self, query: str, **params) -> list[dict[str, Any]]:
        batch = self._batch()
        if batch is not None:  # inside a unit the thread reads what it wrote, as on the embedded store
            return batch.read(query, params)
        with self._errors("reading"):
            records, _, _ = self.driver.execute_query(
                query, params, database_=self.database, routing_=neo4j.RoutingControl.READ
            )
        return [from_record(r) for r in records]

    def _read_together(self, work: Callable[[Callable[..., list[dict[str, Any]]]], Any]) -> Any:
        """Reads that depend on each other in one read transaction (one begin and commit, one snapshot):
        ``work(read)`` calls ``read(query, **params)`` as it would :meth:`_read`; what it returns is returned.
        The transaction may be replayed (a transient error), so ``work`` only reads."""
        batch = self._batch()
        if batch is not None:
            return work(lambda query, **params: batch.read(query, params))

        def in_tx(tx: neo4j.ManagedTransaction) -> Any:
            return work(lambda query, **params: [from_record(r) for r in tx.run(query, params)])

        with self._errors("reading"):
            with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                return session.execute_read(in_tx)

    def _stream(self, query: str, **params) -> Iterator[dict[str, Any]]:
        """Rows of a large read, pulled from the server as they are consumed."""
        if self._batch() is not None:
            yield from self._read(query, **params)
            return
        with self._errors("reading"):
            with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                for r in session.run(query, params):
                    yield from_record(r)

    def _run_batches(self, tx: neo4j.ManagedTransaction, query: str, rows: list[dict], *, size: int | None = None,
                     **params) -> None:
        for chunk in chunks(rows, size or self.batch_size):
            tx.run(query, rows=chunk, **params).consume()

    def _merge_relationships(self, tx: neo4j.ManagedTransaction, rel: str, rows: list[dict], *,
                             fresh: bool = False, size: int | None = None) -> None:
        """Write ``rows`` of ``rel`` (``fresh``: created, known to be new) in ``UNWIND`` batches of ``size``
        (default ``batch_size``); a row whose end nodes do not exist fails the whole transaction."""
        query = q.create_relationships(rel) if fresh else q.merge_relationships(rel)
        if RELATIONSHIPS[rel].one_per_start:
            # the last row of a start node wins, as with successive SQL upserts
            rows = list({r["start_id"]: r for r in rows}.values())
        for chunk in chunks(rows, size or self.batch_size):
            written = tx.run(query, rows=chunk).single(strict=True)["written"]
            if written != len(chunk):
                raise StoreError(
                    f"writing a batch of {len(chunk)} {rel} rows failed: "
                    f"{len(chunk) - written} refer to a node that does not exist"
                )

    def data_version(self) -> frozenset[str]:
        """The bookmark of an empty read transaction: the server's last committed transaction (any client's)."""
        with self._errors("reading"):
            with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                session.execute_read(lambda tx: tx.run(q.DATA_VERSION_PROBE).consume())
                return frozenset(session.last_bookmarks().raw_values)

    def close(self) -> None:
        if self._owns_driver:
            self.driver.close()

    def clear(self) -> None:
        """Delete every node and relationship in the database (for tests)."""
        with self._errors("clearing the database"):
            with self.driver.session(database=self.database) as session:
                session.run(q.CLEAR_GRAPH).consume()


class _Batch:
    """The explicit transaction of one :meth:`Neo4jConnection.atomic` unit, and the writes sent in it so far.

    The writes are the store's ``work(tx)`` functions, which compute what they write from what they read in
    the transaction (as managed transactions' functions must), so after a transient error they are run
    again, in order, in a new transaction.
    """

    def __init__(self, connection: Neo4jConnection):
        self.connection = connection
        self.session: neo4j.Session | None = None
        self.tx: neo4j.Transaction | None = None
        self.done: list[Callable] = []
        self.replays = 0
        self.kept: dict = {}
        "What the store's parts keep until the commit (summed co-mention deltas), by part."

    def begin(self) -> None:
        with self.connection._errors("starting a write"):
            self.session = self.connection.driver.session(database=self.connection.database)
            self.tx = self.session.begin_transaction()

    def _retry(self, error: neo4j_errors.Neo4jError | neo4j_errors.DriverError) -> bool:
        """Roll back; a new transaction with the writes so far replayed if ``error`` is worth retrying."""
        self.kept = {}
        self._rollback()
        if not error.is_retryable() or self.replays >= _REPLAYS:
            return False
        self.replays += 1
        time.sleep(0.05 * 2 ** self.replays)
        self.begin()
        for work in self.done:
            work(self.tx)
        return True

    def run(self, doing: str, work: Callable) -> None:
        with self.connection._errors(doing):
            while True:
                try:
                    work(self.tx)
                    break
                except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as e:
                    if not self._retry(e):
                        raise
            self.done.append(work)

    def read(self, query: str, params: dict) -> list[dict[str, Any]]:
        with self.connection._errors("reading"):
            return [from_record(r) for r in self.tx.run(query, params)]

    def commit(self) -> None:
        with self.connection._errors("committing"):
            while True:
                try:
                    self.connection._before_commit(self.tx, self.kept)
                    self.tx.commit()
                    return
                except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as e:
                    if not self._retry(e):
                        raise

    def _rollback(self) -> None:
        if self.tx is not None and not self.tx.closed():
            try:
                self.tx.rollback()
            except (neo4j_errors.Neo4jError, neo4j_errors.DriverError):
                pass  # the server dropped it already
        self.tx = None
        if self.session is not None:
            self.session.close()
            self.session = None

    def close(self) -> None:
        """After a commit, or to roll back whatever is left (an error in the unit's body)."""
        self.kept = {}
        self._rollback()
