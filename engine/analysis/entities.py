"""The entity network: canonical entities linked when they occur together.

Units are articles (or stories, with ``level="story"``); two entities are
linked when at least ``min_count`` units mention both, weighted by normalised
pointwise mutual information,
``NPMI = log(p(a,b) / (p(a) p(b))) / -log p(a,b)``, which is 1 for entities
that always occur together, 0 for independent ones and negative for entities
that avoid each other; only pairs above ``min_npmi`` are kept. Pair counts come
from a sparse ``units x entities`` matrix (ids coded once, pairs counted with
numpy, so a million mentions cost seconds). PageRank runs on NPMI weights.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from typing import Any, Iterable

import networkx as nx
import numpy as np
from scipy import sparse

from newsgraph.engine.analysis.preconditions import require_rows
from newsgraph.engine.errors import NotFound
from newsgraph.engine.store.base import CoMentionCounts, MentionRow


@dataclass(frozen=True)
class EntityNetwork:
    """The co-occurrence network, entities ranked by PageRank, the strongest pairs, and an ego network."""

    graph: nx.Graph = field(repr=False)
    units: int
    ranking: tuple[dict[str, Any], ...]
    top_pairs: tuple[dict[str, Any], ...]
    ego: dict[str, Any] | None
    settings: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"settings": self.settings, "units": self.units, "entities": self.graph.number_of_nodes(),
                "edges": self.graph.number_of_edges(), "ranking": list(self.ranking),
                "top_pairs": list(self.top_pairs), "ego": self.ego}


def npmi(pair: int, a: int, b: int, n: int) -> float:
    """Normalised PMI of two events seen ``a`` and ``b`` times, together ``pair`` times, in ``n`` units.

    >>> npmi(5, 5, 5, 10), npmi(1, 2, 5, 10)
    (1.0, 0.0)
    """
    if pair == 0:
        return -1.0
    p_ab = pair / n
    if p_ab == 1.0:
        return 1.0
    return math.log(p_ab / ((a / n) * (b / n))) / -math.log(p_ab)


def entity_network(
    rows: Iterable[MentionRow] | CoMentionCounts,
    *,
    level: str = "article",
    min_count: int = 2,
    min_npmi: float = 0.0,
    ego: str | None = None,
    top: int = 20,
) -> EntityNetwork:
    """Build the entity co-occurrence network and rank its entities.

    Parameters
    ----------
    rows
        Mention rows, as from ``store.mention_rows()``, or the counts a store keeps
        (``store.co_mention_counts(level=..., min_count=...)``): the same network, without reading every mention.
    level
        ``article`` or ``story``: what counts as occurring together.
    min_count
        Fewest units two entities must share to be linked.
    min_npmi
        Pairs with NPMI at or below this are not linked.
    ego
        An entity id whose neighbours to list (radius 1).
    top
        How many entities and pairs to report.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> t = datetime(2025, 4, 1, tzinfo=timezone.utc)
    >>> def m(art, ent):
    ...     return MentionRow(art, "s", "o", "left", ent, ent.upper(), "GPE", t)
    >>> rows = [m("1", "fi"), m("1", "lt"), m("2", "fi"), m("2", "lt"), m("3", "us"), m("4", "us")]
    >>> net = entity_network(rows, ego="fi")
    >>> [(p["a"], p["b"], p["units"], p["npmi"]) for p in net.top_pairs]
    [('fi', 'lt', 2, 1.0)]
    >>> [n["id"] for n in net.ego["neighbours"]]
    ['lt']
    """
    if level not in ("article", "story"):
        raise ValueError(f"level must be article or story, not {level!r}")
    if isinstance(rows, CoMentionCounts):
        return _from_counts(rows, level=level, min_count=min_count, min_npmi=min_npmi, ego=ego, top=top)
    rows = require_rows(rows, "entities")
    unit_of = (lambda r: r.article_id) if level == "article" else (lambda r: r.story_id)
    units, unit_code = _codes(unit_of(r) for r in rows)
    ents, ent_code = _codes(r.entity_id for r in rows)
    # the name and type of an entity are those of its last row
    last = np.zeros(len(ents), dtype=np.int64)
    np.maximum.at(last, ent_code, np.arange(len(rows)))
    names = {e: (rows[i].entity_name, rows[i].entity_type) for e, i in zip(ents, last.tolist())}
    pair_key = np.unique(unit_code.astype(np.int64) * len(ents) + ent_code)
    B = sparse.csr_matrix((np.ones(len(pair_key)), (pair_key // len(ents), pair_key % len(ents))),
                          shape=(len(units), len(ents)))
    count = np.asarray(B.sum(axis=0)).ravel().astype(int).tolist()
    co = sparse.triu(B.T @ B, k=1).tocoo()
    linked = co.data >= min_count
    # in pair order, as the kept counts come: the same graph is built the same way from either
    order = np.lexsort((co.col[linked], co.row[linked]))
    pairs = [(ents[a], ents[b], c) for a, b, c in zip(co.row[linked][order].tolist(), co.col[linked][order].tolist(),
                                                      co.data[linked][order].astype(int).tolist())]
    return _network(ents, names, dict(zip(ents, count)), pairs, len(units), level=level, min_count=min_count,
                    min_npmi=min_npmi, ego=ego, top=top)


def _from_counts(counts: CoMentionCounts, **options) -> EntityNetwork:
    """The network from counts a store keeps (``GraphStore.co_mention_counts``) rather than from every mention."""
    if not counts.entities:
        require_rows([], "entities")
    ents = [e for e, _, _, _ in counts.entities]
    names = {e: (name, kind) for e, name, kind, _ in counts.entities}
    count = {e: n for e, _, _, n in counts.entities}
    pairs = sorted(p for p in counts.pairs if p[2] >= options["min_count"])
    return _network(ents, names, count, pairs, counts.units, **options)


def _network(ents: list[str], names: dict[str, tuple[str, str]], count: dict[str, int],
             pairs: Iterable[tuple[str, str, int]], n: int, *, level: str, min_count: int, min_npmi: float,
             ego: str | None, top: int) -> EntityNetwork:
    """NPMI-weighted graph of entities ``ents`` (sorted) and ``pairs`` (a, b, units in common), ranked."""
    G = nx.Graph()
    G.add_nodes_from((e, {"name": names[e][0], "type": names[e][1], "count": count[e]}) for e in ents)
    for a, b, c in pairs:
        score = npmi(c, count[a], count[b], n)
        if score > min_npmi:
            G.add_edge(a, b, weight=score, units=c)
    rank = nx.pagerank(G, weight="weight") if G.number_of_edges() else {e: 1 / len(ents) for e in ents}
    # only the reported entities and pairs become dicts: nsmallest is sorted()[:top]
    ranking = [{"id": e, "name": G.nodes[e]["name"], "type": G.nodes[e]["type"], "count": G.nodes[e]["count"],
                "degree": G.degree(e), "pagerank": rank[e]}
               for e in heapq.nsmallest(top, ents, key=lambda e: (-rank[e], -G.nodes[e]["count"], e))]
    top_pairs = [{"a": u, "b": v, "units": d["units"], "npmi": d["weight"]}
                 for u, v, d in heapq.nsmallest(top, G.edges(data=True),
                                                key=lambda e: (-e[2]["weight"], -e[2]["units"], e[0], e[1]))]
    ego_info = None
    if ego is not None:
        if ego not in G:
            raise NotFound("entity", ego)
        neigh = sorted(G[ego].items(), key=lambda kv: (-kv[1]["weight"], kv[0]))
        ego_info = {"id": ego, "name": G.nodes[ego]["name"], "count": G.nodes[ego]["count"],
                    "neighbours": [{"id": v, "name": G.nodes[v]["name"], "units": d["units"], "npmi": d["weight"]}
                                   for v, d in neigh]}
    settings = {"level": level, "min_count": min_count, "min_npmi": min_npmi, "top": top}
    return EntityNetwork(G, n, tuple(ranking), tuple(top_pairs), ego_info, settings)


def _codes(values: Iterable[str]) -> tuple[list[str], np.ndarray]:
    """The distinct values, sorted, and each value's index among them."""
    first: dict[str, int] = {}
    seen = np.fromiter((first.setdefault(v, len(first)) for v in values), dtype=np.int64)
    distinct = sorted(first)
    rank = np.empty(len(distinct), dtype=np.int64)
    rank[[first[v] for v in distinct]] = np.arange(len(distinct))
    return distinct, rank[seen]
