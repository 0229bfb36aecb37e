"""The embedded store's reads behind the web API and the graph views.

A part of :class:`~newsgraph.engine.store.sqlite.SQLiteStore`; the Neo4j twin is
:class:`~newsgraph.engine.store.neo4j.web_queries.Neo4jWebQueries`, and both return the same
shapes in the same order. Text search ignores the case of ASCII letters
(SQLite's ``lower``); a non-ASCII letter matches when typed in the case the
title uses (Neo4j's ``toLower`` folds those too). No
Python function is registered in SQL: the web app reads one connection from
many threads, and a Python callback inside a query can deadlock with another
thread holding the GIL.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from newsgraph.engine.errors import NotFound
from newsgraph.engine.models import SIDE_BIASES
from newsgraph.engine.store.rows import from_iso, story_dict, to_iso
from newsgraph.engine.store.sqlite.connection import SQLiteConnection


class SQLiteWebQueries(SQLiteConnection):
    """Filtered story lists, entity search and neighbourhoods, outlet coverage."""

    def search_stories(
        self,
        *,
        limit: int = 20,
        offset: int = 0,
        since: datetime | None = None,
        until: datetime | None = None,
        outlet: str | None = None,
        side: str | None = None,
        entity: str | None = None,
        q: str | None = None,
    ) -> tuple[list[dict[str, Any]], int]:
        params = {
            "since": to_iso(since) if since else None,
            "until": to_iso(until) if until else None,
            "outlet": outlet,
            "biases": json.dumps(SIDE_BIASES[side]) if side else None,
            "entity": entity,
            "q": q.lower() if q else None,
            "q_raw": q,
            "limit": limit,
            "offset": offset,
        }
        db = self.db
        where = _story_where(params)
        total = db.execute(f"SELECT count(*) FROM story s {where}", params).fetchone()[0]
        rows = db.execute(f"SELECT s.id, s.title, s.first_published, s.last_published, s.article_count, "
                          f"s.source_count FROM story s {where} {_STORY_ORDER} "
                          "LIMIT :limit OFFSET :offset", params)
        return [story_dict(r, from_iso) for r in rows], total

    def search_entities(
        self, *, q: str | None = None, type: str | None = None, limit: int = 20, offset: int = 0
    ) -> tuple[list[dict[str, Any]], int]:
        params = {"q": q.lower() if q else None, "q_raw": q, "type": type, "limit": limit, "offset": offset}
        db = self.db
        total = db.execute(f"SELECT count(*) FROM entity e {_ENTITY_FILTER}", params).fetchone()[0]
        return [dict(r) for r in db.execute(_SEARCH_ENTITIES, params)], total

    def entity_neighbourhood(self, entity_id: str, *, limit: int = 25, graph_only: bool = False) -> dict[str, Any]:
        row = self.db.execute(_ENTITY, {"id": entity_id}).fetchone()
        if row is None:
            raise NotFound("entity", entity_id)
        entity = {**dict(row), "aliases": json.loads(row["aliases"] or "[]")}
        params = {"id": entity_id, "limit": limit}
        neighbours = [dict(r) for r in self.db.execute(_CO_MENTIONED, params)]
        ids = sorted({entity_id, *(n["id"] for n in neighbours)})
        links = [dict(r) for r in self.db.execute(_LINKS_AMONG, {"ids": json.dumps(ids)})]
        if graph_only:
            return {"entity": entity, "neighbours": neighbours, "links": links, "stories": [], "outlets": []}
        # an entity in many stories: walk the stories newest first until enough are about it
        found = []
        if entity["stories"] > _WALK_FROM:
            since = self.db.execute(_WALK_SINCE, {"skip": entity["stories"] - 1}).fetchone()
            if since is not None:  # else the join reads no more rows than there are stories
                found = self.db.execute(_ENTITY_STORIES_WALK, {**params, "since": since[0]}).fetchall()
        if len(found) < min(limit, entity["stories"]):  # not a hub, or its newest stories are not recent
            found = self.db.execute(_ENTITY_STORIES, params).fetchall()
        stories = [story_dict(r, from_iso) for r in found]
        outlets = [dict(r) for r in self.db.execute(_ENTITY_OUTLETS, params)]
        return {"entity": entity, "neighbours": neighbours, "links": links, "stories": stories, "outlets": outlets}

    def outlet_coverage(self, outlet_id: str, *, limit: int = 10) -> dict[str, Any]:
        if self.db.execute("SELECT 1 FROM outlet WHERE id = ?", (outlet_id,)).fetchone() is None:
            raise NotFound("outlet", outlet_id)
        params = {"id": outlet_id, "limit": limit}
        stories = [story_dict(r, from_iso) for r in self.db.execute(_OUTLET_STORIES, params)]
        entities = [dict(r) for r in self.db.execute(_OUTLET_ENTITIES, params)]
        neighbours = [dict(r) for r in self.db.execute(_OUTLET_NEIGHBOURS, params)]
        by_bias = {r["bias"]: r["outlets"] for r in self.db.execute(_OUTLET_NEIGHBOUR_BIAS, params)}
        return {"stories": stories, "top_entities": entities, "neighbours": neighbours, "neighbours_by_bias": by_bias}


# one condition per story filter, only the given ones are joined into the WHERE clause:
# with none, the ranking index answers the list and the count reads no rows' filters
_STORY_CONDITIONS = {
    "since": "s.last_published >= :since",
    "until": "s.first_published <= :until",
    "outlet": "EXISTS (SELECT 1 FROM rel_covered c WHERE c.end_id = s.id AND c.start_id = :outlet)",
    "biases": """EXISTS (
        SELECT 1 FROM rel_covered c JOIN outlet o ON o.id = c.start_id
        WHERE c.end_id = s.id AND o.bias IN (SELECT value FROM json_each(:biases)))""",
    "entity": "EXISTS (SELECT 1 FROM rel_about ab WHERE ab.start_id = s.id AND ab.end_id = :entity)",
    "q": """(instr(lower(s.title), :q) > 0 OR instr(s.title, :q_raw) > 0 OR EXISTS (
        SELECT 1 FROM rel_part_of p JOIN article a ON a.id = p.start_id
        WHERE p.end_id = s.id AND (instr(lower(a.title), :q) > 0 OR instr(a.title, :q_raw) > 0)))""",
}


def _story_where(params: dict[str, Any]) -> str:
    """``WHERE`` with the condition of each filter given in ``params`` (empty when none is)."""
    given = [cond for name, cond in _STORY_CONDITIONS.items() if params.get(name) is not None]
    return "WHERE " + "\n  AND ".join(given) if given else ""


# the order of the story_rank index (see graph_schema.sqlite)
_STORY_ORDER = "ORDER BY s.source_count DESC, s.article_count DESC, s.first_published DESC, s.id"

_ENTITY_FILTER = """
WHERE (:q IS NULL OR instr(lower(e.name), :q) > 0 OR instr(e.name, :q_raw) > 0 OR instr(lower(e.id), :q) > 0)
  AND (:type IS NULL OR e.type = :type)
"""

_SEARCH_ENTITIES = f"""
SELECT e.id, e.name, e.type,
       (SELECT count(*) FROM rel_mentions m WHERE m.end_id = e.id) AS articles,
       (SELECT count(*) FROM rel_about ab WHERE ab.end_id = e.id) AS stories
FROM entity e {_ENTITY_FILTER}
ORDER BY articles DESC, e.id
LIMIT :limit OFFSET :offset
"""

_ENTITY = """
SELECT e.id, e.name, e.type, e.aliases,
       (SELECT count(*) FROM rel_mentions m WHERE m.end_id = e.id) AS articles,
       (SELECT count(*) FROM rel_about ab WHERE ab.end_id = e.id) AS stories
FROM entity e WHERE e.id = :id
"""

# weight: how many articles mention both, read from the kept co-mention counts: the heaviest
# pairs of each end walk the (end, articles DESC) indexes, so a hub entity costs its top rows only
_CO_MENTIONED = """
SELECT e.id, e.name, e.type, n.weight FROM (
    SELECT id, weight FROM (
        SELECT end_id AS id, articles AS weight FROM rel_co_mentioned WHERE start_id = :id AND articles > 0
        UNION ALL
        SELECT start_id AS id, articles AS weight FROM rel_co_mentioned WHERE end_id = :id AND articles > 0
    ) ORDER BY weight DESC, id LIMIT :limit
) n JOIN entity e ON e.id = n.id
ORDER BY n.weight DESC, n.id
"""

# :ids: the entities, a JSON list read once; each pair of them one primary-key lookup (a pair is
# stored from the smaller id to the larger, so each link is found once)
_LINKS_AMONG = """
SELECT c.start_id AS source, c.end_id AS target, c.articles AS weight
FROM rel_co_mentioned c
WHERE c.start_id IN (SELECT value FROM json_each(:ids)) AND c.end_id IN (SELECT value FROM json_each(:ids))
  AND c.articles > 0
ORDER BY source, target
"""

_ENTITY_STORIES = """
SELECT s.id, s.title, s.first_published, s.last_published, s.article_count, s.source_count, ab.weight
FROM rel_about ab JOIN story s ON s.id = ab.start_id
WHERE ab.end_id = :id
ORDER BY s.first_published DESC, s.id
LIMIT :limit
"""

# the same stories in the same order, read off the story_first_published index and stopped at :limit,
# among the stories published since the :skip-th newest (a walk of the index alone finds that date).
# When fewer than :limit are found there (an entity whose stories are old), the join above answers
# instead, so a walk costs at most about as many steps as the join reads rows
_WALK_FROM = 500
_WALK_SINCE = """
SELECT first_published FROM story INDEXED BY story_first_published
WHERE first_published IS NOT NULL ORDER BY first_published DESC LIMIT 1 OFFSET :skip
"""
_ENTITY_STORIES_WALK = """
SELECT s.id, s.title, s.first_published, s.last_published, s.article_count, s.source_count, ab.weight
FROM story s INDEXED BY story_first_published
JOIN rel_about ab ON ab.start_id = s.id AND ab.end_id = :id
WHERE s.first_published >= :since
ORDER BY s.first_published DESC, s.id
LIMIT :limit
"""

# counted per outlet id first: one index seek per mention, and the outlet rows read for the top ones only
_ENTITY_OUTLETS = """
SELECT o.id, o.name, o.bias, c.articles FROM (
    SELECT pub.start_id AS id, count(*) AS articles
    FROM rel_mentions m
    JOIN rel_published pub ON pub.end_id = m.start_id
    WHERE m.end_id = :id
    GROUP BY pub.start_id
    ORDER BY articles DESC, pub.start_id
    LIMIT :limit
) c JOIN outlet o ON o.id = c.id
ORDER BY c.articles DESC, o.id
"""

_OUTLET_STORIES = """
SELECT s.id, s.title, s.first_published, s.last_published, s.article_count, s.source_count
FROM rel_covered c JOIN story s ON s.id = c.end_id
WHERE c.start_id = :id
ORDER BY s.first_published DESC, s.id
LIMIT :limit
"""

_OUTLET_ENTITIES = """
SELECT e.id, e.name, e.type, count(*) AS articles
FROM rel_published pub
JOIN rel_mentions m ON m.start_id = pub.end_id
JOIN entity e ON e.id = m.end_id
WHERE pub.start_id = :id
GROUP BY e.id
ORDER BY articles DESC, e.id
LIMIT :limit
"""

# shared_stories: stories both outlets covered
_OUTLET_NEIGHBOURS = """
SELECT o.id, o.name, o.bias, count(*) AS shared_stories
FROM rel_covered c1
JOIN rel_covered c2 ON c2.end_id = c1.end_id AND c2.start_id <> c1.start_id
JOIN outlet o ON o.id = c2.start_id
WHERE c1.start_id = :id
GROUP BY o.id
ORDER BY shared_stories DESC, o.id
LIMIT :limit
"""

_OUTLET_NEIGHBOUR_BIAS = """
SELECT coalesce(o.bias, 'unrated') AS bias, count(DISTINCT o.id) AS outlets
FROM rel_covered c1
JOIN rel_covered c2 ON c2.end_id = c1.end_id AND c2.start_id <> c1.start_id
JOIN outlet o ON o.id = c2.start_id
WHERE c1.start_id = :id
GROUP BY coalesce(o.bias, 'unrated')
ORDER BY bias
"""
