"""Co-mention counts on Neo4j (``CO_MENTIONED`` relationships), kept by deltas at ingest.

A part of :class:`~newsgraph.engine.store.neo4j.Neo4jStore`, twin of
:class:`~newsgraph.engine.store.sqlite.co_mentions.SQLiteCoMentions`; the rules
are in :mod:`newsgraph.engine.store.co_mentions`. A database filled before the
counts were kept gets them counted once, when the store connects to it.
"""

from __future__ import annotations

from collections import Counter
from itertools import islice
from typing import Iterable

import neo4j

from newsgraph.engine.store.base import CoMentionCounts
from newsgraph.engine.store.co_mentions import article_deltas, delta_rows, pair_counts
from newsgraph.engine.store.neo4j.connection import Neo4jConnection, chunks
from newsgraph.graph_schema import cypher as q


class Neo4jCoMentions(Neo4jConnection):
    """Co-mention deltas inside the ingest transactions, the one-off count, and the counts the analyses read."""

    def _sets(self, tx: neo4j.ManagedTransaction, query: str, ids: Iterable[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for chunk in chunks(sorted(set(ids)), self.batch_size):
            for r in tx.run(query, ids=chunk):
                out[r["unit"]] = set(r["entities"])
        return out

    def _count_new_mentions(self, tx: neo4j.ManagedTransaction, given: dict[str, set[str]]) -> None:
        """Inside a write transaction, before ``given`` mentions (article -> entities) are written."""
        self._apply(tx, article_deltas(self._sets(tx, q.MENTION_SETS, given), given), {})

    def _apply(self, tx: neo4j.ManagedTransaction, articles: Counter, stories: Counter) -> None:
        """Add the deltas; inside :meth:`atomic` to the unit's, written once per pair just before it commits
        (a pair a batch touches through its mentions and its stories is one update, not two)."""
        batch = self._batch()
        if batch is None:
            self._write_deltas(tx, articles, stories)
            return
        kept = batch.kept.setdefault("co_mentions", (Counter(), Counter()))
        kept[0].update(articles)
        kept[1].update(stories)

    def _before_commit(self, tx: neo4j.Transaction, kept: dict) -> None:
        super()._before_commit(tx, kept)
        if "co_mentions" in kept:
            self._write_deltas(tx, *kept.pop("co_mentions"))

    def _write_deltas(self, tx, articles: Counter, stories: Counter) -> None:
        """One row per pair, in pair order (writers lock pairs in one order); those that may empty a pair apart."""
        rows = [r for r in delta_rows(articles, stories) if r["articles"] or r["stories"]]
        self._run_batches(tx, q.ADD_CO_MENTIONS, [r for r in rows if r["articles"] >= 0 and r["stories"] >= 0])
        self._run_batches(tx, q.CHANGE_CO_MENTIONS, [r for r in rows if r["articles"] < 0 or r["stories"] < 0])

    def rebuild_co_mentions(self) -> int:
        """Count every pair afresh from the stored mentions and stories; how many pairs there are."""
        with self._errors("counting co-mentions"):
            with self.driver.session(database=self.database) as session:
                session.run(q.DELETE_CO_MENTIONS).consume()
        rows = pair_counts(((r["unit"], r["entity"]) for r in self._stream(q.ARTICLE_ENTITY)),
                           ((r["unit"], r["entity"]) for r in self._stream(q.STORY_ENTITY)))
        n = 0
        while batch := list(islice(rows, 50_000)):
            self._write("writing co-mentions", lambda tx, b=batch: self._run_batches(tx, q.CREATE_CO_MENTIONS, b))
            n += len(batch)
        return n

    def _migrate(self) -> None:
        super()._migrate()
        [counts] = self._read(q.COUNT_CO_MENTIONS)
        if counts["pairs"] == 0 and counts["mentions"] > 0:
            self.rebuild_co_mentions()
        self._rank_pairs()
        if self._read(q.UNRANKED_STORY):
            with self._errors("ranking stories"):
                with self.driver.session(database=self.database) as session:
                    session.run(q.RANK_STORIES).consume()

    def _rank_pairs(self) -> None:
        """A database written before the pairs kept their neighbourhood ranks gets them, then their indexes."""
        self._fill_then_index("ranking co-mentions", q.PAIR_RANK_INDEXES_PRESENT, q.RANK_PAIRS, q.PAIR_RANK_INDEXES)

    def co_mention_counts(self, *, level: str = "article", min_count: int = 1) -> CoMentionCounts | None:
        if level == "article" and self._read(q.LOOSE_MENTIONS):
            return None  # the analyses count articles that are part of a story; the kept counts hold every one
        [units] = self._read(q.UNITS[level])
        entities = tuple((r["id"], r["name"], r["type"], r["n"]) for r in self._stream(q.ENTITY_UNITS[level]))
        pairs = tuple((r["a"], r["b"], r["n"]) for r in self._stream(q.CO_MENTION_PAIRS[level], min=max(1, min_count)))
        return CoMentionCounts(units=units["n"], entities=entities, pairs=pairs)
