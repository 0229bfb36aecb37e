"""The entity network: canonical entities linked when they occur together.

Units are articles (or stories, with ``level="story"``); two entities are
linked when at least ``min_count`` units mention both, weighted by normalised
pointwise mutual information,
``NPMI = log(p(a,b) / (p(a) p(b))) / -log p(a,b)``, which is 1 for entities
that always occur together, 0 for independent ones and negative for entities
that avoid each other; only pairs above ``min_npmi`` are kept. Pair counts come
from a sparse ``units x entities`` matrix. PageRank runs on NPMI weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable

import networkx as nx
import numpy as np
from scipy import sparse

from engine.analysis.preconditions import require_rows
from engine.errors import NotFound
from engine.store.base import MentionRow


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
    rows: Iterable[MentionRow],
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
        Mention rows, as from ``store.mention_rows()``.
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
    rows = require_rows(rows, "entities")
    names = {r.entity_id: (r.entity_name, r.entity_type) for r in rows}
    pairs = {(r.article_id if level == "article" else r.story_id, r.entity_id) for r in rows}
    units = sorted({u for u, _ in pairs})
    ents = sorted(names)
    ui = {u: i for i, u in enumerate(units)}
    ei = {e: i for i, e in enumerate(ents)}
    B = sparse.csr_matrix(
        (np.ones(len(pairs)), ([ui[u] for u, _ in pairs], [ei[e] for _, e in pairs])), shape=(len(units), len(ents))
    )
    count = np.asarray(B.sum(axis=0)).ravel().astype(int)
    co = sparse.triu(B.T @ B, k=1).tocoo()
    n = len(units)

    G = nx.Graph()
    for e in ents:
        G.add_node(e, name=names[e][0], type=names[e][1], count=int(count[ei[e]]))
    for a, b, c in zip(co.row, co.col, co.data):
        c = int(c)
        if c < min_count:
            continue
        score = npmi(c, int(count[a]), int(count[b]), n)
        if score > min_npmi:
            G.add_edge(ents[a], ents[b], weight=score, units=c)
    rank = nx.pagerank(G, weight="weight") if G.number_of_edges() else {e: 1 / len(ents) for e in ents}
    ranking = sorted(
        ({"id": e, "name": G.nodes[e]["name"], "type": G.nodes[e]["type"], "count": G.nodes[e]["count"],
          "degree": G.degree(e), "pagerank": rank[e]} for e in ents),
        key=lambda r: (-r["pagerank"], -r["count"], r["id"]),
    )[:top]
    top_pairs = sorted(
        ({"a": u, "b": v, "units": d["units"], "npmi": d["weight"]} for u, v, d in G.edges(data=True)),
        key=lambda p: (-p["npmi"], -p["units"], p["a"], p["b"]),
    )[:top]
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
