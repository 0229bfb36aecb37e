"""Copy a whole graph from one store to another (SQLite <-> Neo4j, or the same kind).

Nodes go first, label by label, then relationships, type by type, each in
batches of ``batch_size`` rows (one transaction per batch). Every write is an
upsert on the key, so syncing twice changes nothing, and an interrupted sync
is finished by running it again. Nothing in the target is deleted: syncing
into a store that already holds other articles gives the union.

The stories' stored key points and sides (``StorySummary``, outside the
graph) are copied after the graph, with the fingerprints they were computed from.

Derived relationships (``COVERED``, ``ABOUT``, the kept co-mention counts
``CO_MENTIONED``) and story counts are copied as they are, so a copy of a
consistent store is consistent. Into an empty store every row is new, and the
bulk path creates it without looking for it first (both stores build their
secondary indexes once, at the end: `GraphStore.bulk_load`).

>>> from newsgraph.engine.store import SQLiteStore
>>> a, b = SQLiteStore(":memory:"), SQLiteStore(":memory:")
>>> from newsgraph.engine.models import Entity
>>> a.upsert_entities([Entity("gpe:finland", "Finland", "GPE")])
>>> sync(a, b).nodes["Entity"]
1
>>> next(b.iter_nodes("Entity"))["name"]
'Finland'
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import islice
from typing import Callable, Iterable, Iterator

from newsgraph.engine.store.base import GraphStore
from newsgraph.graph_schema import LABELS, RELATIONSHIPS


@dataclass
class SyncReport:
    """How many nodes (by label) and relationships (by type) a sync copied."""

    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    summaries: int = 0
    "Stored story summaries (key points and sides, outside the graph) copied with it."

    @property
    def total(self) -> int:
        return sum(self.nodes.values()) + sum(self.relationships.values())

    def to_dict(self) -> dict:
        return {"nodes": self.nodes, "relationships": self.relationships, "total": self.total,
                "summaries": self.summaries}


def graph_size(store: GraphStore) -> int:
    """Nodes plus relationships in ``store``: the length of a sync's progress bar."""
    counts = store.stats()
    return sum(counts["nodes"].values()) + sum(counts["relationships"].values())


def _batches(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def sync(
    source: GraphStore,
    target: GraphStore,
    *,
    batch_size: int = 5000,
    on_progress: Callable[[int], None] | None = None,
) -> SyncReport:
    """Upsert every node and relationship of ``source`` into ``target``.

    Parameters
    ----------
    source, target : GraphStore
        Any two stores; ``source`` is only read.
    batch_size : int
        Rows per write transaction.
    on_progress : callable, optional
        Called with the number of graph elements copied so far after each batch.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    report = SyncReport()
    done = 0
    # into an empty store every row is new: the bulk path creates instead of merging (Neo4j)
    fresh = graph_size(target) == 0

    def copy(rows: Iterable[dict], write: Callable[[list[dict]], None]) -> int:
        nonlocal done
        n = 0
        for batch in _batches(rows, batch_size):
            write(batch)
            n += len(batch)
            done += len(batch)
            if on_progress:
                on_progress(done)
        return n

    with target.bulk_load() if fresh else nullcontext():
        for label in LABELS:
            report.nodes[label] = copy(
                source.iter_nodes(label), lambda b, lb=label: target.write_nodes(lb, b, fresh=fresh)
            )
        for rel in RELATIONSHIPS:
            report.relationships[rel] = copy(
                source.iter_relationships(rel), lambda b, r=rel: target.write_relationships(r, b, fresh=fresh)
            )
    # the stories' stored key points and sides go with them: their fingerprints name the same stories in the
    # target, so its reads use them (a story the target already held differently gets them computed when read)
    for batch in _batches(source.iter_story_summaries(), batch_size):
        target.save_story_summaries(batch)
        report.summaries += len(batch)
    return report
