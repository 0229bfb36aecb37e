"""The embedded store's co-mention counts (``rel_co_mentioned``), kept by deltas at ingest.

A part of :class:`~newsgraph.engine.store.sqlite.SQLiteStore`; the rules are in
:mod:`newsgraph.engine.store.co_mentions`. A store made before the counts were
kept gets them counted once, when it is first opened.

>>> s = SQLiteCoMentions(":memory:")
>>> s.db.execute("SELECT value FROM meta WHERE key = 'co_mentioned'").fetchone()[0]
'kept'
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from itertools import islice
from typing import Iterable

from newsgraph.engine.store.base import CoMentionCounts
from newsgraph.engine.store.co_mentions import article_deltas, pair_counts
from newsgraph.engine.store.sqlite.connection import SQLiteConnection

# positional: a batch's tens of thousands of rows go in as tuples, not dicts looked up by name
_ADD = """
INSERT INTO rel_co_mentioned (start_id, end_id, articles, stories) VALUES (?, ?, ?, ?)
ON CONFLICT(start_id, end_id) DO UPDATE SET articles = articles + excluded.articles,
                                            stories = stories + excluded.stories
"""
# only the pairs a negative delta touched: a scan of every pair would cost the whole table per batch
_DROP_EMPTY = "DELETE FROM rel_co_mentioned WHERE start_id = ? AND end_id = ? AND articles <= 0 AND stories <= 0"
_INSERT = ("INSERT INTO rel_co_mentioned (start_id, end_id, articles, stories) "
           "VALUES (:start_id, :end_id, :articles, :stories)")


class SQLiteCoMentions(SQLiteConnection):
    """Co-mention deltas inside the ingest transactions, the one-off count, and the counts the analyses read."""

    def _sets(self, sql: str, ids: Iterable[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for start, end in self.db.execute(sql, (json.dumps(sorted(set(ids))),)):
            out[start].add(end)
        return out

    def _mention_sets(self, article_ids: Iterable[str]) -> dict[str, set[str]]:
        return self._sets("SELECT start_id, end_id FROM rel_mentions WHERE start_id IN (SELECT value FROM json_each(?))",
                          article_ids)

    def _about_sets(self, story_ids: Iterable[str]) -> dict[str, set[str]]:
        return self._sets("SELECT start_id, end_id FROM rel_about WHERE start_id IN (SELECT value FROM json_each(?))",
                          story_ids)

    def _count_new_mentions(self, given: dict[str, set[str]]) -> None:
        """Inside a write transaction, before ``given`` mentions (article -> entities) are written."""
        self._apply(article_deltas(self._mention_sets(given), given), {})

    def _apply(self, articles: Counter, stories: Counter) -> None:
        """Add the deltas to the ones the transaction holds; they are written once, just before it commits,
        so a pair a batch touches through its mentions and its stories is one row update, not two."""
        pending = self.__dict__.setdefault("_co_pending", (Counter(), Counter()))
        pending[0].update(articles)
        pending[1].update(stories)

    def _before_commit(self) -> None:
        """Write the summed deltas of the transaction about to commit (each pair once, in pair order)."""
        pending = self.__dict__.pop("_co_pending", None)
        if pending is None:
            return
        articles, stories = pending
        # pair order (the order delta_rows gives): writers lock and walk the index in one order
        rows = sorted((a, b, articles.get((a, b), 0), stories.get((a, b), 0))
                      for a, b in articles.keys() | stories.keys())
        rows = [r for r in rows if r[2] or r[3]]
        if rows:
            self.db.executemany(_ADD, rows)
            emptied = [r[:2] for r in rows if r[2] < 0 or r[3] < 0]
            if emptied:
                self.db.executemany(_DROP_EMPTY, emptied)

    def _after_rollback(self) -> None:
        self.__dict__.pop("_co_pending", None)

    def rebuild_co_mentions(self) -> int:
        """Count every pair afresh from the stored mentions and stories; how many pairs there are."""
        with self._tx():
            self.db.execute("DELETE FROM rel_co_mentioned")
            rows = pair_counts(self.db.execute("SELECT start_id, end_id FROM rel_mentions").fetchall(),
                               self.db.execute("SELECT start_id, end_id FROM rel_about").fetchall())
            n = 0
            while batch := list(islice(rows, 50_000)):
                self.db.executemany(_INSERT, batch)
                n += len(batch)
            self.db.execute("INSERT INTO meta(key, value) VALUES ('co_mentioned', 'kept') "
                            "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        return n

    def _migrate(self) -> None:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'co_mentioned'").fetchone()
        if row is None:
            self.rebuild_co_mentions()

    def co_mention_counts(self, *, level: str = "article", min_count: int = 1) -> CoMentionCounts | None:
        if level == "article":
            # the analyses count articles that are part of a story; the kept counts hold every article
            loose = self.db.execute(
                "SELECT 1 FROM rel_mentions m WHERE NOT EXISTS (SELECT 1 FROM rel_part_of p WHERE p.start_id = m.start_id) "
                "LIMIT 1").fetchone()
            if loose is not None:
                return None
            units = self.db.execute("SELECT count(DISTINCT start_id) FROM rel_mentions").fetchone()[0]
            per_entity = "SELECT end_id, count(*) AS n FROM rel_mentions GROUP BY end_id"
            column = "articles"
        else:
            units = self.db.execute("SELECT count(DISTINCT start_id) FROM rel_about").fetchone()[0]
            per_entity = "SELECT end_id, count(*) AS n FROM rel_about GROUP BY end_id"
            column = "stories"
        entities = tuple(
            (r[0], r[1], r[2], r[3]) for r in self.db.execute(
                f"SELECT e.id, e.name, e.type, c.n FROM ({per_entity}) c JOIN entity e ON e.id = c.end_id ORDER BY e.id"))
        pairs = tuple(
            (r[0], r[1], r[2]) for r in self.db.execute(
                f"SELECT start_id, end_id, {column} FROM rel_co_mentioned WHERE {column} >= ? ORDER BY start_id, end_id",
                (max(1, min_count),)))
        return CoMentionCounts(units=units, entities=entities, pairs=pairs)
