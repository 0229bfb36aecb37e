"""The outlet network: outlets linked by the stories they both covered, coloured by bias, shaped by community.

>>> rows = [{"outlet_id": o, "story_id": s, "articles": 1} for o, s in
...         [("a.com", "s1"), ("b.com", "s1"), ("a.com", "s2"), ("b.com", "s2"), ("c.com", "s3")]]
>>> net, legend, notes = outlet_network(rows, {"a.com": "left", "b.com": "right"})
>>> [(e["from"], e["to"], e["value"]) for e in net.edges]
[('a.com', 'b.com', 2)]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations
from typing import Any, Iterable, Mapping
from urllib.parse import quote

import networkx as nx
from pyvis.network import Network

from newsgraph.engine.views.html import base_network
from newsgraph.engine.views.palette import BIAS_LABELS, SHAPES, bias_colour, bias_legend


def outlet_network(
    coverage: Iterable[Any],
    biases: Mapping[str, str],
    *,
    names: Mapping[str, str | None] | None = None,
    max_nodes: int = 60,
    seed: int = 0,
) -> tuple[Network, list[tuple[str, str]], list[str]]:
    """The network, legend and notes of the outlets that covered the most stories.

    Parameters
    ----------
    coverage : iterable
        ``COVERED`` rows (``CoverageRow`` or dicts) with ``outlet_id`` and ``story_id``.
    biases : mapping
        Outlet id -> 5-point bias; missing means unrated.
    names : mapping, optional
        Outlet id -> display name.
    max_nodes : int
        Outlets kept: those covering the most stories.
    seed : int
        Seed of the Louvain community detection that gives the shapes.

    Edge width is the number of stories both outlets covered; only the
    heaviest edges (four per outlet) are drawn, so the picture stays legible.
    """
    names = names or {}
    stories: dict[str, set[str]] = defaultdict(set)
    for row in coverage:
        get = row.get if isinstance(row, Mapping) else lambda k: getattr(row, k)
        stories[get("story_id")].add(get("outlet_id"))
    covered = Counter(o for members in stories.values() for o in members)
    kept = set(sorted(covered, key=lambda o: (-covered[o], o))[:max_nodes])
    shared: Counter[tuple[str, str]] = Counter()
    for members in stories.values():
        for pair in combinations(sorted(members & kept), 2):
            shared[pair] += 1
    edges = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[: 4 * max(1, len(kept))]
    graph = nx.Graph()
    graph.add_nodes_from(sorted(kept))
    graph.add_weighted_edges_from((a, b, w) for (a, b), w in edges)
    communities = sorted(nx.community.louvain_communities(graph, weight="weight", seed=seed),
                         key=lambda c: (-len(c), min(c)))
    community = {o: i for i, members in enumerate(communities) for o in members}

    net = base_network()
    top = max(covered.values(), default=1)
    for o in sorted(kept):
        bias = biases.get(o) or "unrated"
        net.add_node(o, label=names.get(o) or o, size=10 + 25 * covered[o] / top, color=bias_colour(bias),
                     shape=SHAPES[community[o] % len(SHAPES)],
                     title=f"{names.get(o) or o}\nbias: {BIAS_LABELS.get(bias, bias)}\n{covered[o]} stories\n"
                           f"community {community[o] + 1}",
                     href=f"/outlets/{quote(o, safe='')}")
    for (a, b), w in edges:
        net.add_edge(a, b, value=w, title=f"{w} stories in common")
    notes = [f"Size: stories covered. Edge width: stories both covered (the {len(edges)} strongest links). "
             f"Shape: community ({len(communities)} found by Louvain, seed {seed})."]
    if len(covered) > len(kept):
        notes.append(f"{len(covered) - len(kept)} outlets with fewer stories left out.")
    return net, bias_legend(), notes
