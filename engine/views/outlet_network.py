"""The outlet network drawn: the outlet-network analysis's outlets, edges and communities, coloured by bias.

The view draws what :func:`~engine.analysis.outlet_network.outlet_network`
finds (its weight, backbone filter and communities), so the picture and
``/api/analyses/outlet-network`` with the same parameters never disagree.

>>> from datetime import datetime, timezone
>>> from newsgraph.engine.analysis import outlet_network as analyse
>>> from newsgraph.engine.store.base import CoverageRow
>>> t = datetime(2025, 4, 1, tzinfo=timezone.utc)
>>> rows = [CoverageRow(s, s, o, b, None, t, 1) for s, o, b in
...         [("s1", "a.com", "left"), ("s1", "b.com", "right"), ("s2", "a.com", "left"), ("s2", "b.com", "right"),
...          ("s3", "c.com", "center")]]
>>> net, legend, notes = outlet_network(analyse(rows, backbone="none"))
>>> [(e["from"], e["to"], e["value"]) for e in net.edges], [(n["id"], n["community"]) for n in net.nodes]
([('a.com', 'b.com', 2.0)], [('a.com', 1), ('b.com', 1), ('c.com', 2)])
"""

from __future__ import annotations

from typing import Mapping
from urllib.parse import quote

from pyvis.network import Network

from newsgraph.engine.analysis.outlet_network import OutletNetwork
from newsgraph.engine.views.html import base_network
from newsgraph.engine.views.palette import BIAS_LABELS, SHAPES, bias_colour, bias_legend

EDGES_PER_OUTLET = 4
"Only the heaviest edges are drawn, this many per drawn outlet, so the picture stays legible."
WEIGHT_WORDS = {"shared": "stories in common", "jaccard": "Jaccard index of their stories",
                "cosine": "cosine similarity of their stories"}


def outlet_network(
    network: OutletNetwork,
    *,
    names: Mapping[str, str | None] | None = None,
    max_nodes: int = 60,
) -> tuple[Network, list[tuple[str, str]], list[str]]:
    """The network, legend and notes of the outlets of ``network`` that covered the most stories.

    Parameters
    ----------
    network : OutletNetwork
        The outlet-network analysis's result: its graph's nodes carry ``bias`` and ``stories``, its edges
        ``weight`` and ``shared``; its communities give the shapes.
    names : mapping, optional
        Outlet id -> display name.
    max_nodes : int
        Outlets drawn: those covering the most stories. Communities are the analysis's, over all outlets.

    Each node carries its community's number (``community``, from 1, in the
    analysis's order), which its tooltip names. Edge width is the analysis's
    edge weight.
    """
    names = names or {}
    G = network.graph
    community = network.community_of()
    covered = dict(G.nodes(data="stories"))
    kept = sorted(sorted(G, key=lambda o: (-covered[o], o))[:max_nodes])
    drawn = G.subgraph(kept)
    edges = sorted(((min(a, b), max(a, b), d) for a, b, d in drawn.edges(data=True)),
                   key=lambda e: (-e[2]["weight"], e[0], e[1]))[: EDGES_PER_OUTLET * max(1, len(kept))]
    settings = network.settings
    weight_name = settings.get("weight", "shared")

    net = base_network()
    top = max(covered.values(), default=1) or 1
    for o in kept:
        bias = G.nodes[o].get("bias") or "unrated"
        c = community[o]
        net.add_node(o, label=names.get(o) or o, size=10 + 25 * covered[o] / top, color=bias_colour(bias),
                     shape=SHAPES[c % len(SHAPES)], community=c + 1,
                     title=f"{names.get(o) or o}\nbias: {BIAS_LABELS.get(bias, bias)}\n{covered[o]} stories\n"
                           f"community {c + 1}",
                     href=f"/outlets/{quote(o, safe='')}")
    for a, b, d in edges:
        title = f"{d['shared']} stories in common"
        if weight_name != "shared":
            title += f", {weight_name} {d['weight']:.2f}"
        net.add_edge(a, b, value=d["weight"], title=title)
    algorithm = settings.get("algorithm", "louvain").capitalize()
    backbone = settings.get("backbone")
    kept_by = "every co-covering pair" if backbone == "none" else f"{backbone} backbone, alpha {settings.get('alpha')}"
    notes = [f"Size: stories covered. Edge width: {WEIGHT_WORDS.get(weight_name, weight_name)} ({len(edges)} links "
             f"drawn, the strongest of the {G.number_of_edges()} kept: {kept_by}). Shape: community "
             f"({len(network.communities)} found by {algorithm}, resolution {settings.get('resolution')}, "
             f"seed {settings.get('seed')})."]
    if G.number_of_nodes() > len(kept):
        notes.append(f"{G.number_of_nodes() - len(kept)} outlets with fewer stories left out.")
    return net, bias_legend(), notes
