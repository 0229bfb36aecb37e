"""The Neo4j store: a :class:`~engine.store.base.GraphStore` on a Neo4j 5 server.

It is handed a driver (see :func:`engine.store.open.open_store`) and names its
database on every call. Each write call is one managed transaction (the
driver retries it on transient errors), sent as ``UNWIND $rows`` batches of
``batch_size`` rows. Datetimes are stored as Neo4j ``DateTime`` values in UTC
and come back as aware Python datetimes; JSON properties are JSON strings.
Results have the same shapes and order as :class:`~engine.store.sqlite.SQLiteStore`.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Iterator, Sequence

import neo4j
from neo4j import exceptions as neo4j_errors
from neo4j.time import DateTime

from newsgraph.engine.errors import NotFound, StoreError, StoreUnavailable
from newsgraph.engine.models import Assignment, Bias, Entity, Factuality, Mention, Outlet, Ownership, Story
from newsgraph.engine.store.base import ClusterRow, StoredArticle
from newsgraph.engine.store.rows import article_rows, entity_row, outlet_row
from newsgraph.engine.store.neo4j_analysis import Neo4jAnalysisRows
from newsgraph.engine.store.neo4j_rows import Neo4jGraphRows
from newsgraph.engine.store.neo4j_web import Neo4jWebQueries
from newsgraph.engine.store.sqlite import to_iso
from newsgraph.graph_schema import LABELS, RELATIONSHIPS, constraint_statements
from newsgraph.graph_schema import cypher as q


def to_neo4j_time(dt: datetime) -> datetime:
    """UTC, whole seconds: the precision the embedded store keeps, so both stores agree.

    >>> to_neo4j_time(datetime(2025, 4, 1, 12, 0, 5, 999, tzinfo=timezone.utc)).isoformat()
    '2025-04-01T12:00:05+00:00'
    """
    return dt.astimezone(timezone.utc).replace(microsecond=0)


def from_neo4j(value: Any) -> Any:
    """A value read from Neo4j as plain Python: ``DateTime`` becomes an aware UTC ``datetime``."""
    if isinstance(value, DateTime):
        return value.to_native().astimezone(timezone.utc)
    return value


_SCHEMA_RACE = {
    "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
    "Neo.ClientError.Schema.IndexAlreadyExists",
    "Neo.ClientError.Schema.ConstraintAlreadyExists",
}


def _chunks(rows: list, size: int) -> Iterator[list]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


class Neo4jStore(Neo4jAnalysisRows, Neo4jWebQueries, Neo4jGraphRows):
    """A :class:`~engine.store.base.GraphStore` in one database of a Neo4j 5 server.

    Parameters
    ----------
    driver
        A ``neo4j.Driver``; the store closes it only if ``owns_driver``.
    database
        The database every query runs in (Community has one user database, ``neo4j``).
    batch_size
        Rows per ``UNWIND $rows`` statement.
    url
        The server's URL, shown in messages and as ``store.url``.

    Creating the store creates the schema's constraints and indexes (idempotent)
    and so also checks that the server, the credentials and the database work.
    """

    def __init__(
        self,
        driver: neo4j.Driver,
        database: str = "neo4j",
        batch_size: int = 500,
        *,
        url: str = "neo4j",
        owns_driver: bool = False,
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
        with self._errors("creating the schema"):
            for statement in constraint_statements():
                try:
                    self.driver.execute_query(statement, database_=self.database)
                except neo4j_errors.ClientError as e:
                    # IF NOT EXISTS does not cover two clients creating the same index at once
                    if e.code not in _SCHEMA_RACE:
                        raise

    # -- plumbing -------------------------------------------------------
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
        for chunk in _chunks(rows, self.batch_size):
            tx.run(query, rows=chunk, **params).consume()

    def _merge_relationships(self, tx: neo4j.ManagedTransaction, rel: str, rows: list[dict]) -> None:
        """Write ``rows`` of ``rel``; a row whose end nodes do not exist fails the whole transaction."""
        query = q.merge_relationships(rel)
        if RELATIONSHIPS[rel].one_per_start:
            # the last row of a start node wins, as with successive SQL upserts
            rows = list({r["start_id"]: r for r in rows}.values())
        for chunk in _chunks(rows, self.batch_size):
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

    # -- writes ---------------------------------------------------------
    def upsert_outlets(self, outlets: Sequence[Outlet]) -> None:
        rows = [outlet_row(o) for o in outlets]
        if rows:
            self._write("writing outlets", lambda tx: self._run_batches(tx, q.merge_nodes("Outlet"), rows))

    def upsert_articles(self, articles: Sequence[StoredArticle]) -> None:
        if not articles:
            return
        rows, stubs, pairs = article_rows(articles, to_neo4j_time)
        published = [{"start_id": o, "end_id": a, "props": {}} for o, a in pairs]

        def work(tx):
            self._run_batches(tx, q.MERGE_OUTLET_STUBS, stubs)
            self._run_batches(tx, q.merge_nodes("Article"), rows)
            self._merge_relationships(tx, "PUBLISHED", published)

        self._write(f"writing {len(rows)} articles", work)

    def upsert_entities(self, entities: Sequence[Entity]) -> None:
        rows = [entity_row(e) for e in entities]
        if rows:
            self._write("writing entities", lambda tx: self._run_batches(tx, q.merge_nodes("Entity"), rows))

    def upsert_mentions(self, mentions: Sequence[Mention]) -> None:
        rows = [
            {"start_id": m.article_id, "end_id": m.entity_id, "props": {"count": m.count, "in_title": bool(m.in_title)}}
            for m in mentions
        ]
        if rows:
            self._write("writing mentions", lambda tx: self._merge_relationships(tx, "MENTIONS", rows))

    def upsert_stories(self, stories: Sequence[Story], assignments: Sequence[Assignment]) -> None:
        story_rows = [
            {
                "id": s.id,
                "title": s.title,
                "first_published": to_neo4j_time(s.first_published),
                "last_published": to_neo4j_time(s.last_published),
                "article_count": s.article_count,
                "source_count": s.source_count,
            }
            for s in stories
        ]
        part_of = [
            {"start_id": a.article_id, "end_id": a.story_id, "props": {"similarity": float(a.similarity)}}
            for a in assignments
        ]
        if not story_rows and not part_of:
            return

        def work(tx):
            self._run_batches(tx, q.merge_nodes("Story"), story_rows)
            self._merge_relationships(tx, "PART_OF", part_of)

        self._write(f"writing {len(story_rows)} stories", work)

    def refresh_derived(self, story_ids: Iterable[str]) -> None:
        ids = sorted(set(story_ids))
        if not ids:
            return

        def work(tx):
            for chunk in _chunks(ids, self.batch_size):
                for query in (q.REFRESH_STORIES, q.DELETE_DERIVED, q.REFRESH_COVERED, q.REFRESH_ABOUT):
                    tx.run(query, ids=chunk).consume()

        self._write(f"refreshing {len(ids)} stories", work)

    # -- ingest lookups -------------------------------------------------
    def existing_articles(self, ids: Sequence[str]) -> dict[str, str]:
        return {r["id"]: r["content_hash"] for r in self._read(q.EXISTING_ARTICLES, ids=list(ids))}

    def existing_title_keys(self, keys: Sequence[str]) -> dict[str, str]:
        return {r["title_key"]: r["id"] for r in self._read(q.EXISTING_TITLE_KEYS, keys=list(keys))}

    def cluster_rows(self, since: datetime, until: datetime) -> Iterator[ClusterRow]:
        params = {"since": to_neo4j_time(since), "until": to_neo4j_time(until)}
        for r in self._stream(q.CLUSTER_ROWS, **params):
            yield ClusterRow(
                article_id=r["id"],
                title=r["title"],
                lead=r["lead"],
                published_at=r["published_at"],
                outlet_id=r["outlet_id"],
                entity_ids=tuple(r["entity_ids"]),
                story_id=r["story_id"],
            )

    def story_titles(self, story_ids: Sequence[str]) -> dict[str, str]:
        return {r["id"]: r["title"] for r in self._read(q.STORY_TITLES, ids=list(story_ids))}

    # -- reads ----------------------------------------------------------
    def stats(self) -> dict[str, dict[str, int]]:
        [row] = self._read(q.count_all())
        return {
            "nodes": {name: row[f"n_{name}"] for name in LABELS},
            "relationships": {name: row[f"r_{name}"] for name in RELATIONSHIPS},
        }

    def get_outlets(self, ids: Sequence[str] | None = None) -> list[Outlet]:
        rows = self._read(q.GET_OUTLETS, ids=None if ids is None else list(ids))
        return [_outlet_from_props(r["outlet"]) for r in rows]

    def list_outlets(self, *, limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        [total] = self._read(q.COUNT_OUTLETS)
        rows = self._read(q.LIST_OUTLETS, limit=limit, offset=offset)
        return rows, total["total"]

    def outlet_profile(self, outlet_id: str) -> dict[str, Any]:
        found = self.get_outlets([outlet_id])
        if not found:
            raise NotFound("outlet", outlet_id)
        [row] = self._read(q.OUTLET_COUNTS, id=outlet_id)
        return {"outlet": found[0], "articles": row["articles"], "stories": row["stories"]}

    def story_rows(self, story_id: str) -> dict[str, Any]:
        # the card's three queries in one read transaction: one session, one BEGIN/COMMIT
        def work(tx) -> dict[str, Any] | None:
            def rows(query: str) -> list[dict[str, Any]]:
                return [{k: from_neo4j(v) for k, v in r.items()} for r in tx.run(query, id=story_id)]

            found = rows(q.GET_STORY)
            if not found:
                return None
            return {"story": found[0], "articles": rows(q.STORY_ARTICLES), "entities": rows(q.STORY_ENTITIES)}

        with self._errors("reading"):
            with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                card = session.execute_read(work)
        if card is None:
            raise NotFound("story", story_id)
        return card

    def export_articles(self) -> Iterator[dict[str, Any]]:
        for r in self._stream(q.EXPORT_ARTICLES):
            a = r["article"]
            published = from_neo4j(a.get("published_at"))
            yield {
                "id": a["id"],
                "url": a.get("url"),
                "title": a.get("title"),
                "lead": a.get("lead"),
                "outlet": r["outlet_id"],
                "outlet_name": a.get("outlet_name"),
                "published_at": to_iso(published) if published is not None else None,
                "language": a.get("language"),
                "story_id": r["story_id"],
                "entities": list(r["entity_ids"]),
                **(json.loads(a["extra"]) if a.get("extra") else {}),
            }



def _outlet_from_props(p: dict[str, Any]) -> Outlet:
    return Outlet(
        id=p["id"],
        name=p.get("name"),
        bias=Bias(p.get("bias") or "unrated"),
        bias_score=p.get("bias_score"),
        factuality=Factuality(p.get("factuality") or "unrated"),
        ownership=Ownership(p.get("ownership") or "unknown"),
        country=p.get("country"),
        rating_source=p.get("rating_source"),
        aliases=tuple(json.loads(p.get("aliases") or "[]")),
        ratings=json.loads(p.get("ratings") or "{}"),
    )
