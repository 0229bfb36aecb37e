"""The Neo4j store's reads behind the web API and the graph views.

A part of :class:`~newsgraph.engine.store.neo4j.Neo4jStore`, twin of
:class:`~newsgraph.engine.store.sqlite.web_queries.SQLiteWebQueries`: same
shapes, same order. The Cypher is in :mod:`graph_schema.cypher`; values travel
as ``$parameters`` only. Text search lowers the query in Python and the stored
text with ``toLower``. The outlets of an entity are counted off the publishers'
ids each article keeps (written with every ``PUBLISHED`` relationship); a
database written before they were kept gets them when the store connects.
"""

from __future__ import annotations

import json
from datetime import datetime
from operator import itemgetter
from typing import Any

from newsgraph.engine.errors import NotFound
from newsgraph.engine.models import SIDE_BIASES
from newsgraph.engine.store.neo4j.connection import Neo4jConnection
from newsgraph.engine.store.neo4j.values import from_epoch_seconds, to_neo4j_time
from newsgraph.graph_schema import cypher


# an entity in more stories than this has its newest ones found by a walk of the story date index
_WALK_FROM = 500
_ENDS = itemgetter("source", "target")


class Neo4jWebQueries(Neo4jConnection):
    """Filtered story lists, entity search and neighbourhoods, outlet coverage (see ``GraphStore``)."""

    def _migrate(self) -> None:
        """A database written before the articles kept their publishers' ids (read by the outlets of an entity's
        neighbourhood) gets them from its ``PUBLISHED`` relationships, once."""
        super()._migrate()
        if any(r["unlisted"] for r in self._read(cypher.LAST_PUBLISHED_UNLISTED)):
            with self._errors("listing the articles' publishers"):
                with self.driver.session(database=self.database) as session:
                    session.run(cypher.LIST_PUBLISHERS).consume()

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
            "since": to_neo4j_time(since) if since else None,
            "until": to_neo4j_time(until) if until else None,
            "outlet": outlet,
            "biases": list(SIDE_BIASES[side]) if side else None,
            "entity": entity,
            "q": q.lower() if q else None,
        }
        given = {k: v for k, v in params.items() if v is not None}
        # the count and the page from one snapshot (one transaction), so that they agree during an ingest
        [total], rows = self._read_together(lambda read: (
            read(cypher.count_stories(given), **given),
            read(cypher.search_stories(given), limit=limit, offset=offset, **given)))
        for row in rows:  # the times come as epoch seconds (cypher.STORY_LIST_FIELDS)
            for name in cypher.STORY_LIST_TIMES:
                if row[name] is not None:
                    row[name] = from_epoch_seconds(row[name])
        return rows, total["total"]

    def search_entities(
        self, *, q: str | None = None, type: str | None = None, limit: int = 20, offset: int = 0
    ) -> tuple[list[dict[str, Any]], int]:
        params = {"q": q.lower() if q else None, "type": type}
        [total], rows = self._read_together(lambda read: (
            read(cypher.COUNT_SEARCH_ENTITIES, **params),
            read(cypher.SEARCH_ENTITIES, limit=limit, offset=offset, **params)))
        return rows, total["total"]

    def entity_neighbourhood(self, entity_id: str, *, limit: int = 25, graph_only: bool = False) -> dict[str, Any]:
        return self._read_together(lambda read: self._neighbourhood(read, entity_id, limit, graph_only))

    def _neighbourhood(self, read, entity_id: str, limit: int, graph_only: bool) -> dict[str, Any]:
        """The reads of :meth:`entity_neighbourhood`, in one transaction (``read`` as :meth:`_read`)."""
        found = read(cypher.GET_ENTITY, id=entity_id)
        if not found:
            raise NotFound("entity", entity_id)
        entity = {**found[0], "aliases": json.loads(found[0]["aliases"] or "[]")}
        neighbours = read(cypher.CO_MENTIONED, prefix=cypher.pair_rank_prefix(entity_id), limit=limit)
        ids = sorted({entity_id, *(n["id"] for n in neighbours)})
        pairs = {cypher.pair_key(a, b): (a, b) for i, a in enumerate(ids) for b in ids[i + 1:]}
        [found] = read(cypher.LINKS_AMONG, keys=list(pairs))
        # a pair starts at its smaller id (see pair_key); ordered by source, then target
        links = [{"source": pairs[k][0], "target": pairs[k][1], "weight": n} for k, n in found["links"]]
        links.sort(key=_ENDS)
        if graph_only:
            return {"entity": entity, "neighbours": neighbours, "links": links, "stories": [], "outlets": []}
        stories = []
        if entity["stories"] > _WALK_FROM:  # an entity in many stories: walk the stories newest first
            since = read(cypher.ENTITY_STORIES_SINCE, skip=entity["stories"] - 1)
            if since:
                stories = read(cypher.ENTITY_STORIES_WALK, id=entity_id, since=to_neo4j_time(since[0]["since"]),
                               limit=limit)
        if len(stories) < min(limit, entity["stories"]):  # not a hub, or its newest stories are not recent
            stories = read(cypher.ENTITY_STORIES, id=entity_id, limit=limit)
        outlets = read(cypher.ENTITY_OUTLETS, id=entity_id, limit=limit)
        return {"entity": entity, "neighbours": neighbours, "links": links, "stories": stories, "outlets": outlets}

    def outlet_coverage(self, outlet_id: str, *, limit: int = 10) -> dict[str, Any]:
        return self._read_together(lambda read: self._coverage(read, outlet_id, limit))

    def _coverage(self, read, outlet_id: str, limit: int) -> dict[str, Any]:
        """The reads of :meth:`outlet_coverage`, in one transaction (``read`` as :meth:`_read`)."""
        if not read(cypher.OUTLET_EXISTS, id=outlet_id):
            raise NotFound("outlet", outlet_id)
        stories = read(cypher.OUTLET_STORIES, id=outlet_id, limit=limit)
        entities = read(cypher.OUTLET_ENTITIES, id=outlet_id, limit=limit)
        neighbours = read(cypher.OUTLET_NEIGHBOURS, id=outlet_id, limit=limit)
        by_bias = {r["bias"]: r["outlets"] for r in read(cypher.OUTLET_NEIGHBOUR_BIAS, id=outlet_id)}
        return {"stories": stories, "top_entities": entities, "neighbours": neighbours, "neighbours_by_bias": by_bias}
