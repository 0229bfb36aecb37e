"""The Neo4j store's reads behind a story's key points, sides and related stories.

A part of :class:`~newsgraph.engine.store.neo4j.Neo4jStore`, twin of
:class:`~newsgraph.engine.store.sqlite.story_reads.SQLiteStoryReads`: same shapes, same order.
"""

from __future__ import annotations

from datetime import timedelta
from operator import itemgetter
from typing import Any

from newsgraph.engine.errors import NotFound
from newsgraph.engine.store.neo4j.connection import Neo4jConnection
from newsgraph.engine.store.neo4j.values import from_epoch_seconds, to_epoch_seconds, to_neo4j_time
from newsgraph.engine.store.rows import entity_cap
from newsgraph.graph_schema import cypher


class Neo4jStoryReads(Neo4jConnection):
    """A story's article texts, and the stories sharing its entities (see ``GraphStore``)."""

    def story_texts(self, story_id: str) -> list[dict[str, Any]]:
        if not self._read(cypher.GET_STORY, id=story_id):
            raise NotFound("story", story_id)
        return self._read(cypher.STORY_TEXTS, id=story_id)

    def related_story_rows(self, story_id: str, *, days: float = 14.0, max_entity_stories: int = 500,
                           max_entity_share: float = 0.1, min_common: int = 5) -> dict[str, Any]:
        return self._read_together(lambda read: self._related(read, story_id, days, max_entity_stories,
                                                              max_entity_share, min_common))

    def _related(self, read, story_id: str, days: float, max_entity_stories: int, max_entity_share: float,
                 min_common: int) -> dict[str, Any]:
        found = read(cypher.GET_STORY, id=story_id)
        if not found:
            raise NotFound("story", story_id)
        [count] = read(cypher.COUNT_STORIES)
        first, last = found[0]["first_published"], found[0]["last_published"]
        if first is None:
            return {"stories": count["total"], "rows": []}
        cap = entity_cap(count["total"], max_entity_stories, max_entity_share, min_common)
        [found] = read(cypher.RELATED_ENTITIES, id=story_id, max_df=cap)
        mine = {e[0]: dict(zip(_ENTITY_FIELDS, e)) for e in found["entities"]}
        rows = []
        if mine:
            lo, hi = first - timedelta(days=days), (last or first) + timedelta(days=days)
            # each entity's stories that may overlap the window, off the span index (see SHORT_SPAN_SECONDS)
            ranges = cypher.about_span_ranges(sorted(mine), to_epoch_seconds(lo), to_epoch_seconds(hi))
            [found] = read(cypher.RELATED_STORIES_OF, id=story_id, ranges=ranges,
                           lo=to_neo4j_time(lo), hi=to_neo4j_time(hi))
            # one row per (other story, shared entity), ordered by both, as the embedded store gives them
            for other_id, title, first_seconds, sources, shared in sorted(found["stories"], key=_FIRST):
                story = {"story_id": other_id, "title": title, "source_count": sources,
                         "first_published": None if first_seconds is None else from_epoch_seconds(first_seconds)}
                for entity_id, other_weight in sorted(shared, key=_FIRST):
                    rows.append({**mine[entity_id], **story, "other_weight": other_weight})
        return {"stories": count["total"], "rows": rows}

    def _migrate(self) -> None:
        """A database written before the ``ABOUT`` relationships kept their stories' spans gets them, then the
        span index."""
        super()._migrate()
        self._fill_then_index("keeping the stories' spans", cypher.SPAN_INDEX_PRESENT, cypher.FILL_ABOUT_SPANS,
                              cypher.SPAN_INDEXES)


_FIRST = itemgetter(0)
_ENTITY_FIELDS = ("entity_id", "entity_name", "weight", "entity_stories")
"The fields of RELATED_ENTITIES' lists, in their order."
