"""The embedded store: one SQLite file in WAL mode, no server.

Tables come from :mod:`graph_schema`; every write is an ``INSERT ... ON
CONFLICT`` upsert, one transaction per batch.

The store is its connection (:mod:`.connection`) with the parts in
:mod:`.web_queries`, :mod:`.analysis_rows` and :mod:`.graph_rows`.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any, Iterable, Iterator, Sequence

from newsgraph.engine.errors import NotFound, StoreError
from newsgraph.engine.models import Assignment, Entity, Mention, Outlet, Story
from newsgraph.engine.store.base import ClusterRow, StoredArticle
from newsgraph.engine.stories.features import BODY_CHARS
from newsgraph.engine.store.co_mentions import story_deltas
from newsgraph.engine.store.rows import (
    article_rows, entity_row, export_row, from_iso, outlet_from_row, outlet_row, story_dict, to_iso,
)
from newsgraph.engine.store.sqlite.analysis_rows import SQLiteAnalysisRows
from newsgraph.engine.store.sqlite.co_mentions import SQLiteCoMentions
from newsgraph.engine.store.sqlite.copies import SQLiteCopies
from newsgraph.engine.store.sqlite.summaries import SQLiteSummaries
from newsgraph.engine.store.sqlite.graph_rows import SQLiteGraphRows
from newsgraph.engine.store.sqlite.story_reads import SQLiteStoryReads
from newsgraph.engine.store.sqlite.upserts import OUTLET_STUB, node_upsert, node_upsert_ledger, rel_upsert
from newsgraph.engine.store.sqlite.web_queries import SQLiteWebQueries
from newsgraph.graph_schema import LABELS, RELATIONSHIPS


class SQLiteStore(
    SQLiteAnalysisRows, SQLiteWebQueries, SQLiteGraphRows, SQLiteCoMentions, SQLiteStoryReads,
    SQLiteCopies, SQLiteSummaries,
):
    """A :class:`~engine.store.base.GraphStore` in one SQLite file.

    >>> store = SQLiteStore(":memory:")
    >>> store.stats()["nodes"]["Article"]
    0
    """

    # -- writes ---------------------------------------------------------
    def upsert_outlets(self, outlets: Sequence[Outlet]) -> None:
        self._many(node_upsert("Outlet"), [outlet_row(o) for o in outlets])

    def upsert_articles(self, articles: Sequence[StoredArticle]) -> int:
        if not articles:
            return 0
        rows, stubs, pairs = article_rows(articles, to_iso)
        with self._tx():
            # read inside the write transaction (it holds the write lock): another ingest of the same
            # articles either wrote them before, and they count there, or writes them after, and they count here
            before = {r["id"]: r["content_hash"] for r in self.db.execute(
                "SELECT id, content_hash FROM article WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps([r["id"] for r in rows]),))}
            self.db.executemany(OUTLET_STUB, stubs)
            self.db.executemany(node_upsert("Article"), rows)
            self.db.executemany(rel_upsert("PUBLISHED"), [{"start_id": o, "end_id": a} for o, a in pairs])
        return len({r["id"] for r in rows if r["id"] not in before or before[r["id"]] != r["content_hash"]})

    def upsert_entities(self, entities: Sequence[Entity]) -> None:
        self._many(node_upsert("Entity"), [entity_row(e) for e in entities])

    def upsert_mentions(self, mentions: Sequence[Mention]) -> None:
        rows = [
            {"start_id": m.article_id, "end_id": m.entity_id, "count": m.count, "in_title": int(m.in_title)}
            for m in mentions
        ]
        if not rows:
            return
        given: dict[str, set[str]] = {}
        for m in mentions:
            given.setdefault(m.article_id, set()).add(m.entity_id)
        try:
            with self._tx():
                self._count_new_mentions(given)
                self.db.executemany(rel_upsert("MENTIONS"), rows)
        except sqlite3.Error as e:
            raise StoreError(f"writing a batch of {len(rows)} MENTIONS rows failed: {e}") from e

    def upsert_stories(self, stories: Sequence[Story], assignments: Sequence[Assignment]) -> None:
        story_rows = [
            {
                "id": s.id,
                "title": s.title,
                "first_published": to_iso(s.first_published),
                "last_published": to_iso(s.last_published),
                "article_count": s.article_count,
                "source_count": s.source_count,
            }
            for s in stories
        ]
        part_of = [{"start_id": a.article_id, "end_id": a.story_id, "similarity": a.similarity} for a in assignments]
        try:
            with self._tx():
                self.db.executemany(node_upsert("Story"), story_rows)
                self.db.executemany(rel_upsert("PART_OF"), part_of)
        except sqlite3.Error as e:
            raise StoreError(f"writing {len(story_rows)} stories failed: {e}") from e

    def refresh_derived(self, story_ids: Iterable[str]) -> None:
        story_ids = sorted(set(story_ids))
        ids = json.dumps(story_ids)
        with self._tx():
            about_before = self._about_sets(story_ids)
            self.db.execute(_REFRESH_STORY, {"ids": ids})
            self.db.execute("DELETE FROM rel_covered WHERE end_id IN (SELECT value FROM json_each(:ids))", {"ids": ids})
            self.db.execute(_REFRESH_COVERED, {"ids": ids})
            self.db.execute("DELETE FROM rel_about WHERE start_id IN (SELECT value FROM json_each(:ids))", {"ids": ids})
            self.db.execute(_REFRESH_ABOUT, {"ids": ids})
            self._apply({}, story_deltas(about_before, self._about_sets(story_ids)))
            # a story whose articles all moved to other stories is no story any more
            self.db.execute(_DELETE_EMPTY_STORIES, {"ids": ids})
            self.db.execute(_DELETE_ORPHAN_SUMMARIES, {"ids": ids})

    # -- ingest lookups -------------------------------------------------
    def existing_articles(self, ids: Sequence[str]) -> dict[str, str]:
        # only articles that reached a story count: one cut off mid-batch is processed again
        cur = self.db.execute(
            "SELECT a.id, a.content_hash FROM article a JOIN rel_part_of p ON p.start_id = a.id "
            "WHERE a.id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(ids)),),
        )
        return {r["id"]: r["content_hash"] for r in cur}

    def existing_title_keys(self, keys: Sequence[str]) -> dict[str, str]:
        cur = self.db.execute(
            "SELECT title_key, id FROM article WHERE title_key IN (SELECT value FROM json_each(?))",
            (json.dumps(list(keys)),),
        )
        return {r["title_key"]: r["id"] for r in cur}

    def cluster_rows(self, since: datetime, until: datetime) -> Iterator[ClusterRow]:
        cur = self.db.execute(_CLUSTER_ROWS, {"since": to_iso(since), "until": to_iso(until), "body_chars": BODY_CHARS})
        for r in cur:
            yield ClusterRow(
                article_id=r["id"],
                title=r["title"],
                lead=r["lead"],
                published_at=from_iso(r["published_at"]),
                outlet_id=r["outlet_id"],
                entity_ids=tuple(json.loads(r["entity_ids"])) if r["entity_ids"] else (),
                story_id=r["story_id"],
                text=r["text"],
            )

    def story_titles(self, story_ids: Sequence[str]) -> dict[str, str]:
        cur = self.db.execute(
            "SELECT id, title FROM story WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(list(story_ids)),)
        )
        return {r["id"]: r["title"] for r in cur}

    # -- the ingest ledger ----------------------------------------------
    def ingested_files(self, ids: Sequence[str]) -> dict[str, str]:
        cur = self.db.execute("SELECT id, path FROM ingestedfile WHERE id IN (SELECT value FROM json_each(?))",
                              (json.dumps(list(ids)),))
        return {r["id"]: r["path"] for r in cur}

    def record_ingested_file(self, id: str, path: str, size: int, records: int | None) -> None:
        from datetime import timezone

        row = {"id": id, "path": path, "size": size, "records": records,
               "ingested_at": to_iso(datetime.now(timezone.utc))}
        self._rows_or_fail(node_upsert_ledger(), [row], "ingest ledger")

    # -- reads ----------------------------------------------------------
    def stats(self) -> dict[str, dict[str, int]]:
        nodes = {name: self._count(spec.table) for name, spec in LABELS.items()}
        rels = {name: self._count(spec.table) for name, spec in RELATIONSHIPS.items()}
        return {"nodes": nodes, "relationships": rels}

    def get_outlets(self, ids: Sequence[str] | None = None) -> list[Outlet]:
        if ids is None:
            cur = self.db.execute("SELECT * FROM outlet ORDER BY id")
        else:
            cur = self.db.execute(
                "SELECT * FROM outlet WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id", (json.dumps(list(ids)),)
            )
        return [outlet_from_row(dict(r)) for r in cur]

    def list_outlets(self, *, limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        total = self._count("outlet")
        cur = self.db.execute(_OUTLET_LIST, {"limit": limit, "offset": offset})
        return [dict(r) for r in cur], total

    def outlet_profile(self, outlet_id: str) -> dict[str, Any]:
        found = self.get_outlets([outlet_id])
        if not found:
            raise NotFound("outlet", outlet_id)
        row = self.db.execute(
            "SELECT (SELECT count(*) FROM rel_published WHERE start_id = :id) AS articles, "
            "(SELECT count(*) FROM rel_covered WHERE start_id = :id) AS stories",
            {"id": outlet_id},
        ).fetchone()
        return {"outlet": found[0], "articles": row["articles"], "stories": row["stories"]}

    def story_rows(self, story_id: str) -> dict[str, Any]:
        row = self.db.execute("SELECT * FROM story WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            raise NotFound("story", story_id)
        articles = [
            {**dict(r), "published_at": from_iso(r["published_at"])}
            for r in self.db.execute(_STORY_ARTICLES, {"id": story_id})
        ]
        entities = [dict(r) for r in self.db.execute(_STORY_ENTITIES, {"id": story_id})]
        copies = self.copies_of([a["id"] for a in articles])
        return {"story": story_dict(row, from_iso), "articles": articles, "entities": entities, "copies": copies}

    def export_articles(self) -> Iterator[dict[str, Any]]:
        for r in self.db.execute(_EXPORT):
            yield export_row(
                dict(r), published_at=r["published_at"], outlet_id=r["outlet_id"], story_id=r["story_id"],
                entity_ids=json.loads(r["entity_ids"]) if r["entity_ids"] else [],
            )


_REFRESH_STORY = """
UPDATE story SET
    article_count = (SELECT count(*) FROM rel_part_of p WHERE p.end_id = story.id),
    source_count = (SELECT count(DISTINCT pub.start_id) FROM rel_part_of p
                    JOIN rel_published pub ON pub.end_id = p.start_id WHERE p.end_id = story.id),
    first_published = (SELECT min(a.published_at) FROM rel_part_of p JOIN article a ON a.id = p.start_id
                       WHERE p.end_id = story.id),
    last_published = (SELECT max(a.published_at) FROM rel_part_of p JOIN article a ON a.id = p.start_id
                      WHERE p.end_id = story.id)
WHERE id IN (SELECT value FROM json_each(:ids))
"""

_DELETE_EMPTY_STORIES = """
DELETE FROM story WHERE id IN (SELECT value FROM json_each(:ids))
  AND NOT EXISTS (SELECT 1 FROM rel_part_of p WHERE p.end_id = story.id)
"""

# the stored key points of a story that is no more
_DELETE_ORPHAN_SUMMARIES = """
DELETE FROM storysummary WHERE id IN (SELECT value FROM json_each(:ids))
  AND NOT EXISTS (SELECT 1 FROM story WHERE story.id = storysummary.id)
"""

_REFRESH_COVERED = """
INSERT INTO rel_covered (start_id, end_id, articles, first_published)
SELECT pub.start_id, p.end_id, count(*), min(a.published_at)
FROM rel_part_of p
JOIN article a ON a.id = p.start_id
JOIN rel_published pub ON pub.end_id = a.id
WHERE p.end_id IN (SELECT value FROM json_each(:ids))
GROUP BY pub.start_id, p.end_id
"""

# weight: the share of the story's articles that mention the entity
_REFRESH_ABOUT = """
INSERT INTO rel_about (start_id, end_id, weight)
SELECT p.end_id, m.end_id, CAST(count(*) AS REAL) / s.article_count
FROM rel_part_of p
JOIN rel_mentions m ON m.start_id = p.start_id
JOIN story s ON s.id = p.end_id
WHERE p.end_id IN (SELECT value FROM json_each(:ids))
GROUP BY p.end_id, m.end_id
"""

_CLUSTER_ROWS = """
SELECT a.id, a.title, a.lead, a.published_at, pub.start_id AS outlet_id, p.end_id AS story_id,
       (SELECT json_group_array(m.end_id) FROM rel_mentions m WHERE m.start_id = a.id) AS entity_ids,
       -- what the clusterer reads of the body: the lead's length and :body_chars more. length() and
       -- substr() count characters but stop at a NUL, so a text holding one comes whole
       CASE WHEN instr(CAST(a.text AS BLOB), x'00') > 0 THEN a.text
            ELSE substr(a.text, 1, coalesce(length(a.lead), 0) + :body_chars) END AS text
FROM article a
JOIN rel_part_of p ON p.start_id = a.id
LEFT JOIN rel_published pub ON pub.end_id = a.id
WHERE a.published_at >= :since AND a.published_at <= :until
ORDER BY a.published_at, a.id
"""

_OUTLET_LIST = """
SELECT o.id, o.name, o.bias, o.bias_score, o.factuality, o.ownership, o.country, o.rating_source,
       (SELECT count(*) FROM rel_published p WHERE p.start_id = o.id) AS articles,
       (SELECT count(*) FROM rel_covered c WHERE c.start_id = o.id) AS stories
FROM outlet o
ORDER BY articles DESC, o.id
LIMIT :limit OFFSET :offset
"""

_STORY_ARTICLES = """
SELECT a.id, a.url, a.title, a.published_at, p.similarity,
       o.id AS outlet_id, coalesce(o.name, a.outlet_name) AS outlet_name,
       coalesce(o.bias, 'unrated') AS bias, coalesce(o.factuality, 'unrated') AS factuality,
       coalesce(o.ownership, 'unknown') AS ownership, o.country, o.rating_source
FROM rel_part_of p
JOIN article a ON a.id = p.start_id
LEFT JOIN rel_published pub ON pub.end_id = a.id
LEFT JOIN outlet o ON o.id = pub.start_id
WHERE p.end_id = :id
ORDER BY a.published_at, a.id
"""

_STORY_ENTITIES = """
SELECT e.id, e.name, e.type, ab.weight
FROM rel_about ab JOIN entity e ON e.id = ab.end_id
WHERE ab.start_id = :id
ORDER BY ab.weight DESC, e.id
LIMIT 15
"""

_EXPORT = """
SELECT a.*, pub.start_id AS outlet_id, p.end_id AS story_id,
       (SELECT json_group_array(m.end_id) FROM
           (SELECT end_id FROM rel_mentions WHERE start_id = a.id ORDER BY end_id) m) AS entity_ids
FROM article a
LEFT JOIN rel_published pub ON pub.end_id = a.id
LEFT JOIN rel_part_of p ON p.start_id = a.id
ORDER BY a.published_at, a.id
"""
