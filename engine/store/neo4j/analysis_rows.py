"""The analyses' bulk rows on Neo4j.

A part of :class:`~newsgraph.engine.store.neo4j.Neo4jStore`: the methods of the
:class:`~newsgraph.engine.store.base.GraphStore` protocol's "bulk rows"
section, returning what
:class:`~newsgraph.engine.store.sqlite.analysis_rows.SQLiteAnalysisRows`
returns, in the same order. Rows are pulled from the server as they are
consumed. The filters select stories: published in ``[since, until]``,
covered by ``outlet``, about ``entity``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterator

from newsgraph.engine.store.base import ArticleRow, CoverageRow, MentionRow
from newsgraph.engine.store.neo4j.connection import Neo4jConnection
from newsgraph.engine.store.neo4j.values import from_neo4j, to_neo4j_time
from newsgraph.engine.store.rows import article_row_from, coverage_row_from, mention_row_from
from newsgraph.graph_schema import cypher


class Neo4jAnalysisRows(Neo4jConnection):
    """Coverage, article and mention rows for the analyses."""

    def _filtered(self, query: str, since: datetime | None, until: datetime | None, outlet: str | None,
                  entity: str | None) -> Iterator[dict[str, Any]]:
        params = {
            "since": to_neo4j_time(since) if since else None,
            "until": to_neo4j_time(until) if until else None,
            "outlet": outlet,
            "entity": entity,
        }
        return self._stream(query, **params)

    def coverage_rows(self, *, since=None, until=None, outlet=None, entity=None) -> Iterator[CoverageRow]:
        for r in self._filtered(cypher.COVERAGE_ROWS, since, until, outlet, entity):
            yield coverage_row_from(r, from_neo4j)

    def article_rows(self, *, since=None, until=None, outlet=None, entity=None) -> Iterator[ArticleRow]:
        for r in self._filtered(cypher.ARTICLE_ROWS, since, until, outlet, entity):
            yield article_row_from(r, from_neo4j)

    def mention_rows(self, *, since=None, until=None, outlet=None, entity=None) -> Iterator[MentionRow]:
        for r in self._filtered(cypher.MENTION_ROWS, since, until, outlet, entity):
            yield mention_row_from(r, from_neo4j)
