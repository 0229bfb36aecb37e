"""Wire-copy reads in the embedded store: fingerprints in a time range, copy edges.

A part of :class:`~newsgraph.engine.store.sqlite.SQLiteStore`; the Neo4j twin is
:class:`~newsgraph.engine.store.neo4j.copies.Neo4jCopies`. The rows are written
with ``write_nodes("Fingerprint", ...)`` and ``write_relationships("COPY_OF", ...)``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Iterator, Sequence

from newsgraph.engine.store.base import CopyRow
from newsgraph.engine.store.rows import from_iso, to_iso
from newsgraph.engine.store.sqlite.connection import SQLiteConnection


class SQLiteCopies(SQLiteConnection):
    """``fingerprint_rows``, ``copies_of``, ``copy_rows``."""

    def fingerprint_rows(self, since: datetime, until: datetime) -> Iterator[dict[str, Any]]:
        cur = self.db.execute(
            "SELECT id, minhash, shingles, published_at, outlet_id FROM fingerprint "
            "WHERE published_at >= ? AND published_at <= ? ORDER BY published_at, id",
            (to_iso(since), to_iso(until)),
        )
        for r in cur:
            yield {**dict(r), "published_at": from_iso(r["published_at"])}

    def copies_of(self, article_ids: Sequence[str]) -> list[dict[str, Any]]:
        cur = self.db.execute(_COPIES_OF, (json.dumps(list(article_ids)),))
        return [{**dict(r), "original_published_at": from_iso(r["original_published_at"])} for r in cur]

    def copy_rows(self) -> Iterator[CopyRow]:
        for r in self.db.execute(_COPY_ROWS):
            yield CopyRow(r["article_id"], r["outlet_id"], r["copy_of"], r["original_outlet_id"], r["overlap"],
                          from_iso(r["published_at"]))


_COPIES_OF = """
SELECT c.start_id AS article_id, c.end_id AS copy_of, c.overlap, o.published_at AS original_published_at,
       o.title AS original_title, pub.start_id AS original_outlet_id,
       coalesce(out.name, o.outlet_name) AS original_outlet_name
FROM rel_copy_of c
JOIN article o ON o.id = c.end_id
LEFT JOIN rel_published pub ON pub.end_id = o.id
LEFT JOIN outlet out ON out.id = pub.start_id
WHERE c.start_id IN (SELECT value FROM json_each(?))
ORDER BY c.start_id
"""

_COPY_ROWS = """
SELECT c.start_id AS article_id, cp.start_id AS outlet_id, c.end_id AS copy_of, op.start_id AS original_outlet_id,
       c.overlap, a.published_at
FROM rel_copy_of c
JOIN article a ON a.id = c.start_id
LEFT JOIN rel_published cp ON cp.end_id = c.start_id
LEFT JOIN rel_published op ON op.end_id = c.end_id
ORDER BY c.start_id
"""
