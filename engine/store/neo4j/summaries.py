"""Stored story summaries on Neo4j: a story's key points and sides, by fingerprint.

A part of :class:`~newsgraph.engine.store.neo4j.Neo4jStore`, the twin of
:class:`~newsgraph.engine.store.sqlite.summaries.SQLiteSummaries`. They are
``StorySummary`` nodes keyed by the story's id, outside the graph's labels like
the ingest ledger's ``IngestedFile``; the Cypher is in :mod:`graph_schema.cypher`.
"""

from __future__ import annotations

import json
from typing import Any, Iterator, Sequence

from newsgraph.engine.store.neo4j.connection import Neo4jConnection, chunks
from newsgraph.engine.store.neo4j.values import to_neo4j_time
from newsgraph.engine.store.rows import summary_rows
from newsgraph.graph_schema import cypher as q


class Neo4jSummaries(Neo4jConnection):
    """``story_summaries``, ``save_story_summaries``, ``iter_story_summaries``."""

    def story_summaries(self, story_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        if not story_ids:
            return {}
        return {r["id"]: _summary(r) for r in self._read(q.STORY_SUMMARIES, ids=list(story_ids))}

    def save_story_summaries(self, rows: Sequence[dict[str, Any]]) -> None:
        out = summary_rows(rows, to_neo4j_time)
        if not out:
            return

        def work(tx):
            for chunk in chunks(out, self.batch_size):
                tx.run(q.MERGE_STORY_SUMMARIES, rows=chunk).consume()

        self._write(f"storing {len(out)} story summaries", work)

    def iter_story_summaries(self) -> Iterator[dict[str, Any]]:
        for r in self._stream(q.ALL_STORY_SUMMARIES):
            yield {"id": r["id"], **_summary(r)}


def _summary(r: dict[str, Any]) -> dict[str, Any]:
    return {"fingerprint": r["fingerprint"], "sections": json.loads(r["sections"]), "computed_at": r["computed_at"]}
