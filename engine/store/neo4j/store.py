"""The Neo4j store: a :class:`~engine.store.base.GraphStore` on a Neo4j 5 server.

It is handed a driver (see :func:`engine.store.open.open_store`) and names its
database on every call. Each write call is one managed transaction (the
driver retries it on transient errors), sent as ``UNWIND $rows`` batches of
``batch_size`` rows; inside ``atomic()`` (a batch of the pipeline) all of them
are one transaction, replayed on a transient error. Datetimes are stored as Neo4j ``DateTime`` values in UTC
and come back as aware Python datetimes; JSON properties are JSON strings.
Results have the same shapes and order as :class:`~engine.store.sqlite.SQLiteStore`.

The store is its connection (:mod:`.connection`) with the parts in
:mod:`.web_queries`, :mod:`.analysis_rows`, :mod:`.graph_rows` and
:mod:`.read_only_cypher`; all the Cypher is in :mod:`graph_schema.cypher`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Iterator, Sequence

from newsgraph.engine.errors import NotFound
from newsgraph.engine.models import Assignment, Entity, Mention, Outlet, Story
from newsgraph.engine.store.base import ClusterRow, StoredArticle
from newsgraph.engine.stories.features import BODY_CHARS
from newsgraph.engine.store.neo4j.analysis_rows import Neo4jAnalysisRows
from newsgraph.engine.store.neo4j.co_mentions import Neo4jCoMentions
from newsgraph.engine.store.co_mentions import story_deltas
from newsgraph.engine.store.neo4j.copies import Neo4jCopies
from newsgraph.engine.store.neo4j.summaries import Neo4jSummaries
from newsgraph.engine.store.neo4j.connection import chunks
from newsgraph.engine.store.neo4j.graph_rows import Neo4jGraphRows
from newsgraph.engine.store.neo4j.read_only_cypher import Neo4jReadOnlyCypher
from newsgraph.engine.store.neo4j.story_reads import Neo4jStoryReads
from newsgraph.engine.store.neo4j.values import from_epoch_seconds, from_neo4j, to_neo4j_time
from newsgraph.engine.store.neo4j.web_queries import Neo4jWebQueries
from newsgraph.engine.store.rows import article_rows, entity_row, export_row, outlet_from_row, outlet_row, to_iso
from newsgraph.graph_schema import LABELS, RELATIONSHIPS
from newsgraph.graph_schema import cypher as q


class Neo4jStore(
    Neo4jAnalysisRows, Neo4jWebQueries, Neo4jGraphRows, Neo4jReadOnlyCypher, Neo4jCoMentions, Neo4jStoryReads,
    Neo4jCopies, Neo4jSummaries,
):
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

    # -- writes ---------------------------------------------------------
    def upsert_outlets(self, outlets: Sequence[Outlet]) -> None:
        rows = [outlet_row(o) for o in outlets]
        if rows:
            self._write("writing outlets", lambda tx: self._run_batches(tx, q.merge_nodes("Outlet"), rows))

    def upsert_articles(self, articles: Sequence[StoredArticle]) -> int:
        if not articles:
            return 0
        rows, stubs, pairs = article_rows(articles, to_neo4j_time)
        published = [{"start_id": o, "end_id": a, "props": {}} for o, a in pairs]
        written = 0

        def work(tx):
            nonlocal written
            written = 0  # a retried transaction counts afresh
            self._run_batches(tx, q.MERGE_OUTLET_STUBS, stubs)
            for chunk in chunks(rows, self.batch_size):
                written += tx.run(q.MERGE_ARTICLES, rows=chunk).single(strict=True)["written"]
            self._merge_relationships(tx, "PUBLISHED", published)

        self._write(f"writing {len(rows)} articles", work)
        return written

    def upsert_entities(self, entities: Sequence[Entity]) -> None:
        rows = [entity_row(e) for e in entities]
        if rows:
            self._write("writing entities", lambda tx: self._run_batches(tx, q.merge_nodes("Entity"), rows))

    def upsert_mentions(self, mentions: Sequence[Mention]) -> None:
        rows = [
            {"start_id": m.article_id, "end_id": m.entity_id, "props": {"count": m.count, "in_title": bool(m.in_title)}}
            for m in mentions
        ]
        given: dict[str, set[str]] = {}
        for m in mentions:
            given.setdefault(m.article_id, set()).add(m.entity_id)

        def work(tx):
            self._count_new_mentions(tx, given)
            self._merge_relationships(tx, "MENTIONS", rows)

        if rows:
            self._write("writing mentions", work)

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

    # -- the ingest ledger ----------------------------------------------
    def ingested_files(self, ids: Sequence[str]) -> dict[str, str]:
        if not ids:
            return {}
        return {r["id"]: r["path"] for r in self._read(q.INGESTED_FILES, ids=list(ids))}

    def record_ingested_file(self, id: str, path: str, size: int, records: int | None) -> None:
        from datetime import timezone

        params = {"id": id, "path": path, "size": size, "records": records,
                  "ingested_at": to_neo4j_time(datetime.now(timezone.utc))}
        self._write("entering a file in the ingest ledger", lambda tx: tx.run(q.MERGE_INGESTED_FILE, params).consume())

    def refresh_derived(self, story_ids: Iterable[str]) -> None:
        ids = sorted(set(story_ids))
        if not ids:
            return

        def work(tx):
            about_before = self._sets(tx, q.ABOUT_SETS, ids)
            for chunk in chunks(ids, self.batch_size):
                for query in (q.REFRESH_STORIES, q.SET_STORY_RANK, q.DELETE_DERIVED, q.REFRESH_COVERED,
                              q.REFRESH_ABOUT):
                    tx.run(query, ids=chunk).consume()
            self._apply(tx, {}, story_deltas(about_before, self._sets(tx, q.ABOUT_SETS, ids)))
            for chunk in chunks(ids, self.batch_size):
                tx.run(q.DELETE_EMPTY_STORIES, ids=chunk).consume()
                tx.run(q.DELETE_ORPHAN_STORY_SUMMARIES, ids=chunk).consume()

        self._write(f"refreshing {len(ids)} stories", work)

    # -- ingest lookups -------------------------------------------------
    def existing_articles(self, ids: Sequence[str]) -> dict[str, str]:
        return {r["id"]: r["content_hash"] for r in self._read(q.EXISTING_ARTICLES, ids=list(ids))}

    def existing_title_keys(self, keys: Sequence[str]) -> dict[str, str]:
        return {r["title_key"]: r["id"] for r in self._read(q.EXISTING_TITLE_KEYS, keys=list(keys))}

    def cluster_rows(self, since: datetime, until: datetime) -> Iterator[ClusterRow]:
        params = {"since": to_neo4j_time(since), "until": to_neo4j_time(until), "body_chars": BODY_CHARS}
        for r in self._stream(q.CLUSTER_ROWS, **params):
            yield ClusterRow(
                article_id=r["id"],
                title=r["title"],
                lead=r["lead"],
                published_at=r["published_at"],
                outlet_id=r["outlet_id"],
                entity_ids=tuple(r["entity_ids"]),
                story_id=r["story_id"],
                text=r["text"],
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
        return [outlet_from_row(r["outlet"]) for r in rows]

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
        # the card's queries in one read transaction: one session, one BEGIN/COMMIT, one snapshot
        def work(read) -> dict[str, Any] | None:
            found = read(q.GET_STORY, id=story_id)
            if not found:
                return None
            articles = read(q.STORY_ARTICLES, id=story_id)
            for a in articles:  # epoch seconds (see the query)
                if a["published_at"] is not None:
                    a["published_at"] = from_epoch_seconds(a["published_at"])
            return {"story": found[0], "articles": articles, "entities": read(q.STORY_ENTITIES, id=story_id),
                    "copies": read(q.STORY_COPIES, id=story_id)}

        card = self._read_together(work)
        if card is None:
            raise NotFound("story", story_id)
        return card

    def export_articles(self) -> Iterator[dict[str, Any]]:
        for r in self._stream(q.EXPORT_ARTICLES):
            a = r["article"]
            published = from_neo4j(a.get("published_at"))
            yield export_row(
                a, published_at=to_iso(published) if published is not None else None, outlet_id=r["outlet_id"],
                story_id=r["story_id"], entity_ids=r["entity_ids"],
            )

