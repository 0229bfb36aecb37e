"""The Neo4j store's reads behind the web API and the graph views.

A mixin of :class:`~engine.store.neo4j.Neo4jStore` (it uses the store's
``_read``), twin of :class:`~engine.store.sqlite_web.SQLiteWebQueries`: same
shapes, same order. Cypher is kept here as named constants; values travel as
``$parameters`` only. Text search lowers the query in Python and the stored
text with ``toLower``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from newsgraph.engine.errors import NotFound
from newsgraph.engine.store.base import SIDE_BIASES

_STORY_FIELDS = (
    "s.id AS id, s.title AS title, s.first_published AS first_published, s.last_published AS last_published, "
    "s.article_count AS article_count, s.source_count AS source_count"
)

# one condition per story filter; only the given ones go into the WHERE clause, so an
# unfiltered list does not evaluate (or plan around) subqueries for every story
STORY_CONDITIONS = {
    "since": "s.last_published >= $since",
    "until": "s.first_published <= $until",
    "outlet": "EXISTS { MATCH (o:Outlet)-[:COVERED]->(s) WHERE o.id = $outlet }",
    "biases": "EXISTS { MATCH (o:Outlet)-[:COVERED]->(s) WHERE o.bias IN $biases }",
    "entity": "EXISTS { MATCH (s)-[:ABOUT]->(e:Entity) WHERE e.id = $entity }",
    "q": """(toLower(s.title) CONTAINS $q
       OR EXISTS { MATCH (a:Article)-[:PART_OF]->(s) WHERE toLower(a.title) CONTAINS $q })""",
}


def story_where(params: dict[str, Any]) -> str:
    """``WHERE`` with the condition of each filter given in ``params`` (empty when none is)."""
    given = [cond for name, cond in STORY_CONDITIONS.items() if params.get(name) is not None]
    return "WHERE " + "\n  AND ".join(given) if given else ""


# Stories without a first_published sort last, as NULLs do in SQL's DESC order.
STORY_ORDER = "ORDER BY source_count DESC, article_count DESC, first_published IS NULL, first_published DESC, id"

ENTITY_FILTER = """
WHERE ($q IS NULL OR toLower(e.name) CONTAINS $q OR toLower(e.id) CONTAINS $q)
  AND ($type IS NULL OR e.type = $type)
"""

COUNT_SEARCH_ENTITIES = f"MATCH (e:Entity) {ENTITY_FILTER} RETURN count(e) AS total"

SEARCH_ENTITIES = f"""
MATCH (e:Entity) {ENTITY_FILTER}
WITH e, COUNT {{ (:Article)-[:MENTIONS]->(e) }} AS articles, COUNT {{ (:Story)-[:ABOUT]->(e) }} AS stories
RETURN e.id AS id, e.name AS name, e.type AS type, articles, stories
ORDER BY articles DESC, id
SKIP $offset LIMIT $limit
"""

GET_ENTITY = """
MATCH (e:Entity {id: $id})
RETURN e.id AS id, e.name AS name, e.type AS type, e.aliases AS aliases,
       COUNT { (:Article)-[:MENTIONS]->(e) } AS articles, COUNT { (:Story)-[:ABOUT]->(e) } AS stories
"""

# weight: how many articles mention both
CO_MENTIONED = """
MATCH (:Entity {id: $id})<-[:MENTIONS]-(a:Article)-[:MENTIONS]->(e:Entity)
WHERE e.id <> $id
RETURN e.id AS id, e.name AS name, e.type AS type, count(a) AS weight
ORDER BY weight DESC, id
LIMIT $limit
"""

LINKS_AMONG = """
MATCH (e1:Entity) WHERE e1.id IN $ids
MATCH (e1)<-[:MENTIONS]-(a:Article)-[:MENTIONS]->(e2:Entity)
WHERE e2.id IN $ids AND e1.id < e2.id
RETURN e1.id AS source, e2.id AS target, count(a) AS weight
ORDER BY source, target
"""

ENTITY_STORIES = f"""
MATCH (s:Story)-[ab:ABOUT]->(:Entity {{id: $id}})
RETURN {_STORY_FIELDS}, ab.weight AS weight
ORDER BY first_published IS NULL, first_published DESC, id
LIMIT $limit
"""

ENTITY_OUTLETS = """
MATCH (:Entity {id: $id})<-[:MENTIONS]-(a:Article)<-[:PUBLISHED]-(o:Outlet)
RETURN o.id AS id, o.name AS name, o.bias AS bias, count(a) AS articles
ORDER BY articles DESC, id
LIMIT $limit
"""

OUTLET_EXISTS = "MATCH (o:Outlet {id: $id}) RETURN o.id AS id"

OUTLET_STORIES = f"""
MATCH (:Outlet {{id: $id}})-[:COVERED]->(s:Story)
RETURN {_STORY_FIELDS}
ORDER BY first_published IS NULL, first_published DESC, id
LIMIT $limit
"""

OUTLET_ENTITIES = """
MATCH (:Outlet {id: $id})-[:PUBLISHED]->(:Article)-[:MENTIONS]->(e:Entity)
RETURN e.id AS id, e.name AS name, e.type AS type, count(*) AS articles
ORDER BY articles DESC, id
LIMIT $limit
"""

# shared_stories: stories both outlets covered
OUTLET_NEIGHBOURS = """
MATCH (me:Outlet {id: $id})-[:COVERED]->(s:Story)<-[:COVERED]-(o:Outlet)
WHERE o <> me
RETURN o.id AS id, o.name AS name, o.bias AS bias, count(s) AS shared_stories
ORDER BY shared_stories DESC, id
LIMIT $limit
"""

OUTLET_NEIGHBOUR_BIAS = """
MATCH (me:Outlet {id: $id})-[:COVERED]->(:Story)<-[:COVERED]-(o:Outlet)
WHERE o <> me
WITH DISTINCT o
RETURN coalesce(o.bias, 'unrated') AS bias, count(o) AS outlets
ORDER BY bias
"""


class Neo4jWebQueries:
    """Filtered story lists, entity search and neighbourhoods, outlet coverage (see ``GraphStore``)."""

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
        from newsgraph.engine.store.neo4j import to_neo4j_time

        params = {
            "since": to_neo4j_time(since) if since else None,
            "until": to_neo4j_time(until) if until else None,
            "outlet": outlet,
            "biases": list(SIDE_BIASES[side]) if side else None,
            "entity": entity,
            "q": q.lower() if q else None,
        }
        where = story_where(params)
        given = {k: v for k, v in params.items() if v is not None}
        [total] = self._read(f"MATCH (s:Story) {where} RETURN count(s) AS total", **given)
        rows = self._read(f"MATCH (s:Story) {where} RETURN {_STORY_FIELDS} {STORY_ORDER} SKIP $offset LIMIT $limit",
                          limit=limit, offset=offset, **given)
        return rows, total["total"]

    def search_entities(
        self, *, q: str | None = None, type: str | None = None, limit: int = 20, offset: int = 0
    ) -> tuple[list[dict[str, Any]], int]:
        params = {"q": q.lower() if q else None, "type": type}
        [total] = self._read(COUNT_SEARCH_ENTITIES, **params)
        rows = self._read(SEARCH_ENTITIES, limit=limit, offset=offset, **params)
        return rows, total["total"]

    def entity_neighbourhood(self, entity_id: str, *, limit: int = 25) -> dict[str, Any]:
        found = self._read(GET_ENTITY, id=entity_id)
        if not found:
            raise NotFound("entity", entity_id)
        entity = {**found[0], "aliases": json.loads(found[0]["aliases"] or "[]")}
        neighbours = self._read(CO_MENTIONED, id=entity_id, limit=limit)
        links = self._read(LINKS_AMONG, ids=[entity_id] + [n["id"] for n in neighbours])
        stories = self._read(ENTITY_STORIES, id=entity_id, limit=limit)
        outlets = self._read(ENTITY_OUTLETS, id=entity_id, limit=limit)
        return {"entity": entity, "neighbours": neighbours, "links": links, "stories": stories, "outlets": outlets}

    def outlet_coverage(self, outlet_id: str, *, limit: int = 10) -> dict[str, Any]:
        if not self._read(OUTLET_EXISTS, id=outlet_id):
            raise NotFound("outlet", outlet_id)
        stories = self._read(OUTLET_STORIES, id=outlet_id, limit=limit)
        entities = self._read(OUTLET_ENTITIES, id=outlet_id, limit=limit)
        neighbours = self._read(OUTLET_NEIGHBOURS, id=outlet_id, limit=limit)
        by_bias = {r["bias"]: r["outlets"] for r in self._read(OUTLET_NEIGHBOUR_BIAS, id=outlet_id)}
        return {"stories": stories, "top_entities": entities, "neighbours": neighbours, "neighbours_by_bias": by_bias}
