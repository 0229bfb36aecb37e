"""The analyses' bulk rows on Neo4j: a mixin for :class:`~engine.store.neo4j.Neo4jStore`.

The methods are those of the :class:`~engine.store.base.GraphStore` protocol's
"bulk rows" section and return what :class:`~engine.store.sqlite.SQLiteStore`
returns, in the same order. They use the store's ``_stream`` reader, so rows
are pulled from the server as they are consumed. The filters select stories:
published in ``[since, until]``, covered by ``outlet``, about ``entity``.

>>> "UNWIND" not in COVERAGE_ROWS and "$since" in COVERAGE_ROWS
True
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterator

from newsgraph.engine.store.base import ArticleRow, CoverageRow, MentionRow

_STORY_FILTER = """
($outlet IS NULL OR EXISTS { MATCH (:Outlet {id: $outlet})-[:COVERED]->(s) })
AND ($entity IS NULL OR EXISTS { MATCH (s)-[:ABOUT]->(:Entity {id: $entity}) })
"""

COVERAGE_ROWS = f"""
MATCH (o:Outlet)-[c:COVERED]->(s:Story)
WHERE ($since IS NULL OR c.first_published >= $since) AND ($until IS NULL OR c.first_published <= $until)
  AND {_STORY_FILTER}
RETURN s.id AS story_id, s.title AS story_title, o.id AS outlet_id, coalesce(o.bias, 'unrated') AS bias,
       o.bias_score AS bias_score, c.first_published AS published_at, c.articles AS articles
ORDER BY story_id, outlet_id
"""

ARTICLE_ROWS = f"""
MATCH (a:Article)-[:PART_OF]->(s:Story)
WHERE ($since IS NULL OR a.published_at >= $since) AND ($until IS NULL OR a.published_at <= $until)
  AND {_STORY_FILTER}
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
RETURN a.id AS article_id, s.id AS story_id, o.id AS outlet_id, coalesce(o.bias, 'unrated') AS bias,
       a.published_at AS published_at
ORDER BY story_id, article_id
"""

MENTION_ROWS = f"""
MATCH (a:Article)-[:PART_OF]->(s:Story)
WHERE ($since IS NULL OR a.published_at >= $since) AND ($until IS NULL OR a.published_at <= $until)
  AND {_STORY_FILTER}
MATCH (a)-[:MENTIONS]->(e:Entity)
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
RETURN a.id AS article_id, s.id AS story_id, o.id AS outlet_id, coalesce(o.bias, 'unrated') AS bias,
       e.id AS entity_id, e.name AS entity_name, e.type AS entity_type, a.published_at AS published_at
ORDER BY story_id, article_id, entity_id
"""


class Neo4jAnalysisRows:
    """Bulk rows for the analyses; mixed into the Neo4j store, which provides ``_stream``."""

    def _filtered(self, query: str, since: datetime | None, until: datetime | None, outlet: str | None,
                  entity: str | None) -> Iterator[dict[str, Any]]:
        from newsgraph.engine.store.neo4j import to_neo4j_time

        params = {
            "since": to_neo4j_time(since) if since else None,
            "until": to_neo4j_time(until) if until else None,
            "outlet": outlet,
            "entity": entity,
        }
        return self._stream(query, **params)  # type: ignore[attr-defined]

    def coverage_rows(self, *, since=None, until=None, outlet=None, entity=None) -> Iterator[CoverageRow]:
        for r in self._filtered(COVERAGE_ROWS, since, until, outlet, entity):
            yield CoverageRow(
                story_id=r["story_id"], story_title=r["story_title"] or "", outlet_id=r["outlet_id"],
                bias=r["bias"], bias_score=None if r["bias_score"] is None else float(r["bias_score"]),
                published_at=r["published_at"], articles=r["articles"],
            )

    def article_rows(self, *, since=None, until=None, outlet=None, entity=None) -> Iterator[ArticleRow]:
        for r in self._filtered(ARTICLE_ROWS, since, until, outlet, entity):
            yield ArticleRow(
                article_id=r["article_id"], story_id=r["story_id"], outlet_id=r["outlet_id"], bias=r["bias"],
                published_at=r["published_at"],
            )

    def mention_rows(self, *, since=None, until=None, outlet=None, entity=None) -> Iterator[MentionRow]:
        for r in self._filtered(MENTION_ROWS, since, until, outlet, entity):
            yield MentionRow(
                article_id=r["article_id"], story_id=r["story_id"], outlet_id=r["outlet_id"], bias=r["bias"],
                entity_id=r["entity_id"], entity_name=r["entity_name"] or "", entity_type=r["entity_type"] or "",
                published_at=r["published_at"],
            )
