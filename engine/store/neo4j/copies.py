"""Wire-copy reads on Neo4j: fingerprints in a time range, copy edges.

A part of :class:`~newsgraph.engine.store.neo4j.Neo4jStore`, the twin of
:class:`~newsgraph.engine.store.sqlite.copies.SQLiteCopies`, with the same rows
in the same order; the Cypher is in :mod:`graph_schema.cypher`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterator, Sequence

from newsgraph.engine.store.base import CopyRow
from newsgraph.engine.store.neo4j.connection import Neo4jConnection
from newsgraph.engine.store.neo4j.values import to_neo4j_time
from newsgraph.graph_schema import cypher as q


class Neo4jCopies(Neo4jConnection):
    """``fingerprint_rows``, ``copies_of``, ``copy_rows``."""

    def fingerprint_rows(self, since: datetime, until: datetime) -> Iterator[dict[str, Any]]:
        return self._stream(q.FINGERPRINT_ROWS, since=to_neo4j_time(since), until=to_neo4j_time(until))

    def copies_of(self, article_ids: Sequence[str]) -> list[dict[str, Any]]:
        return self._read(q.COPIES_OF, ids=list(article_ids))

    def copy_rows(self) -> Iterator[CopyRow]:
        for r in self._stream(q.COPY_ROWS):
            yield CopyRow(r["article_id"], r["outlet_id"], r["copy_of"], r["original_outlet_id"], r["overlap"],
                          r["published_at"])
