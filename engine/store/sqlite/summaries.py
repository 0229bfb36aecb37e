"""Stored story summaries in the embedded store: a story's key points and sides, by fingerprint.

A part of :class:`~newsgraph.engine.store.sqlite.SQLiteStore`; the Neo4j twin is
:class:`~newsgraph.engine.store.neo4j.summaries.Neo4jSummaries`. The table
(``storysummary``) is outside the graph, like the ingest ledger: stats and
exports do not count it; sync copies it on its own (engine/sync.py).
"""

from __future__ import annotations

import json
from typing import Any, Iterator, Sequence

from newsgraph.engine.store.rows import from_iso, summary_rows, to_iso
from newsgraph.engine.store.sqlite.connection import SQLiteConnection
from newsgraph.engine.store.sqlite.upserts import node_upsert_summary


class SQLiteSummaries(SQLiteConnection):
    """``story_summaries``, ``save_story_summaries``, ``iter_story_summaries``."""

    def story_summaries(self, story_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        cur = self.db.execute(
            "SELECT id, fingerprint, sections, computed_at FROM storysummary "
            "WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(list(story_ids)),))
        return {r["id"]: _summary(r) for r in cur}

    def save_story_summaries(self, rows: Sequence[dict[str, Any]]) -> None:
        self._rows_or_fail(node_upsert_summary(), summary_rows(rows, to_iso), "story summary")

    def iter_story_summaries(self) -> Iterator[dict[str, Any]]:
        for r in self.db.execute("SELECT id, fingerprint, sections, computed_at FROM storysummary ORDER BY id"):
            yield {"id": r["id"], **_summary(r)}


def _summary(r) -> dict[str, Any]:
    return {"fingerprint": r["fingerprint"], "sections": json.loads(r["sections"]),
            "computed_at": from_iso(r["computed_at"]) if r["computed_at"] else None}
