"""The analyses' bulk rows in the embedded store.

The methods of the :class:`~newsgraph.engine.store.base.GraphStore`
protocol's "bulk rows" section; the Neo4j twin is
:class:`~newsgraph.engine.store.neo4j.analysis_rows.Neo4jAnalysisRows`, with
the same rows in the same order. The filters select stories: published in
``[since, until]`` (the outlet's first article, or the article itself),
covered by ``outlet``, about ``entity``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterator

from newsgraph.engine.store.base import ArticleRow, CoverageRow, MentionRow
from newsgraph.engine.store.rows import article_row_from, coverage_row_from, from_iso, mention_row_from, to_iso
from newsgraph.engine.store.sqlite.connection import SQLiteConnection


class SQLiteAnalysisRows(SQLiteConnection):
    """Coverage, article and mention rows for the analyses."""

    def coverage_rows(self, *, since=None, until=None, outlet=None, entity=None) -> Iterator[CoverageRow]:
        for r in self.db.execute(_COVERAGE_ROWS, _filters(since, until, outlet, entity)):
            yield coverage_row_from(r, from_iso)

    def article_rows(self, *, since=None, until=None, outlet=None, entity=None) -> Iterator[ArticleRow]:
        for r in self.db.execute(_ARTICLE_ROWS, _filters(since, until, outlet, entity)):
            yield article_row_from(r, from_iso)

    def mention_rows(self, *, since=None, until=None, outlet=None, entity=None) -> Iterator[MentionRow]:
        for r in self.db.execute(_MENTION_ROWS, _filters(since, until, outlet, entity)):
            yield mention_row_from(r, from_iso)


def _filters(since: datetime | None, until: datetime | None, outlet: str | None,
             entity: str | None) -> dict[str, Any]:
    return {"since": to_iso(since) if since else None, "until": to_iso(until) if until else None,
            "outlet": outlet, "entity": entity}


_STORY_FILTER = """
    (:outlet IS NULL OR {story} IN (SELECT end_id FROM rel_covered WHERE start_id = :outlet))
    AND (:entity IS NULL OR {story} IN (SELECT start_id FROM rel_about WHERE end_id = :entity))
"""

_COVERAGE_ROWS = f"""
SELECT c.end_id AS story_id, s.title AS story_title, c.start_id AS outlet_id,
       coalesce(o.bias, 'unrated') AS bias, o.bias_score, c.first_published AS published_at, c.articles
FROM rel_covered c
JOIN story s ON s.id = c.end_id
JOIN outlet o ON o.id = c.start_id
WHERE (:since IS NULL OR c.first_published >= :since) AND (:until IS NULL OR c.first_published <= :until)
  AND {_STORY_FILTER.format(story="c.end_id")}
ORDER BY c.end_id, c.start_id
"""

_ARTICLE_ROWS = f"""
SELECT a.id AS article_id, p.end_id AS story_id, pub.start_id AS outlet_id,
       coalesce(o.bias, 'unrated') AS bias, a.published_at
FROM rel_part_of p
JOIN article a ON a.id = p.start_id
LEFT JOIN rel_published pub ON pub.end_id = a.id
LEFT JOIN outlet o ON o.id = pub.start_id
WHERE (:since IS NULL OR a.published_at >= :since) AND (:until IS NULL OR a.published_at <= :until)
  AND {_STORY_FILTER.format(story="p.end_id")}
ORDER BY p.end_id, a.id
"""

_MENTION_ROWS = f"""
SELECT a.id AS article_id, p.end_id AS story_id, pub.start_id AS outlet_id,
       coalesce(o.bias, 'unrated') AS bias, e.id AS entity_id, e.name AS entity_name, e.type AS entity_type,
       a.published_at
FROM rel_part_of p
JOIN article a ON a.id = p.start_id
JOIN rel_mentions m ON m.start_id = a.id
JOIN entity e ON e.id = m.end_id
LEFT JOIN rel_published pub ON pub.end_id = a.id
LEFT JOIN outlet o ON o.id = pub.start_id
WHERE (:since IS NULL OR a.published_at >= :since) AND (:until IS NULL OR a.published_at <= :until)
  AND {_STORY_FILTER.format(story="p.end_id")}
ORDER BY p.end_id, a.id, e.id
"""
