"""The embedded store's reads behind a story's key points, sides and related stories.

A part of :class:`~newsgraph.engine.store.sqlite.SQLiteStore`; the Neo4j twin is
:class:`~newsgraph.engine.store.neo4j.story_reads.Neo4jStoryReads` (same shapes, same order).
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from typing import Any

from newsgraph.engine.errors import NotFound
from newsgraph.engine.store.rows import entity_cap, from_iso, to_iso
from newsgraph.engine.store.sqlite.connection import SQLiteConnection


class SQLiteStoryReads(SQLiteConnection):
    """A story's article texts, and the stories sharing its entities (see ``GraphStore``)."""

    def story_texts(self, story_id: str) -> list[dict[str, Any]]:
        if self.db.execute("SELECT 1 FROM story WHERE id = ?", (story_id,)).fetchone() is None:
            raise NotFound("story", story_id)
        return [{**dict(r), "published_at": from_iso(r["published_at"])}
                for r in self.db.execute(_STORY_TEXTS, {"id": story_id})]

    def related_story_rows(self, story_id: str, *, days: float = 14.0, max_entity_stories: int = 500,
                           max_entity_share: float = 0.1, min_common: int = 5) -> dict[str, Any]:
        row = self.db.execute("SELECT first_published, last_published FROM story WHERE id = ?",
                              (story_id,)).fetchone()
        if row is None:
            raise NotFound("story", story_id)
        stories = self.db.execute("SELECT count(*) FROM story").fetchone()[0]
        if not row["first_published"]:
            return {"stories": stories, "rows": []}
        lo = to_iso(from_iso(row["first_published"]) - timedelta(days=days))
        hi = to_iso(from_iso(row["last_published"] or row["first_published"]) + timedelta(days=days))
        found = self.db.execute(_RELATED, {"id": story_id, "lo": lo, "hi": hi,
                                           "max_df": entity_cap(stories, max_entity_stories, max_entity_share,
                                                                min_common)})
        # a related story comes once per shared entity: its date is parsed once
        dates: dict[str, Any] = {}
        rows = []
        for r in found:
            d = dict(r)
            sid = d["story_id"]
            if sid not in dates:
                dates[sid] = from_iso(d["first_published"])
            d["first_published"] = dates[sid]
            rows.append(d)
        return {"stories": stories, "rows": rows}


_STORY_TEXTS = """
SELECT a.id, a.title, a.lead, a.text, a.published_at,
       o.id AS outlet_id, coalesce(o.name, a.outlet_name) AS outlet_name, coalesce(o.bias, 'unrated') AS bias
FROM rel_part_of p
JOIN article a ON a.id = p.start_id
LEFT JOIN rel_published pub ON pub.end_id = a.id
LEFT JOIN outlet o ON o.id = pub.start_id
WHERE p.end_id = :id
ORDER BY a.published_at, a.id
"""

# the story's entities that few stories share (at most :max_df), and the other stories in the window about
# them. An entity's number of stories is kept (entity_story_count), and so is each ABOUT row with its
# story's span (about_span, ordered by entity and last article): an entity's stories in the window are one
# index range, however many stories it has outside it (graph_schema.sqlite keeps both by triggers)
_RELATED = """
WITH mine AS {materialized}(
    SELECT ab.end_id AS entity_id, ab.weight, c.stories AS entity_stories
    FROM rel_about ab JOIN entity_story_count c ON c.entity_id = ab.end_id
    WHERE ab.start_id = :id
)
SELECT m.entity_id, e.name AS entity_name, m.weight, m.entity_stories,
       s.id AS story_id, s.title, s.first_published, s.source_count, o.weight AS other_weight
FROM mine m
JOIN entity e ON e.id = m.entity_id
JOIN about_span o ON o.entity_id = m.entity_id AND o.last_published >= :lo AND o.first_published <= :hi
                     AND o.story_id <> :id
JOIN story s ON s.id = o.story_id
WHERE m.entity_stories <= :max_df
ORDER BY s.id, m.entity_id
""".format(materialized="MATERIALIZED " if sqlite3.sqlite_version_info >= (3, 35) else "")
