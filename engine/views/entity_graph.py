"""The entity graph: an entity and the entities most often mentioned with it.

>>> hood = {"entity": {"id": "gpe:finland", "name": "Finland", "type": "GPE", "articles": 4, "stories": 1},
...         "neighbours": [{"id": "gpe:russia", "name": "Russia", "type": "GPE", "weight": 3}],
...         "links": [{"source": "gpe:finland", "target": "gpe:russia", "weight": 3}], "stories": [], "outlets": []}
>>> net, legend, notes = entity_graph(hood)
>>> [n["id"] for n in net.nodes], [(e["from"], e["to"], e["value"]) for e in net.edges]
(['gpe:finland', 'gpe:russia'], [('gpe:finland', 'gpe:russia', 3)])
"""

from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import quote

from pyvis.edge import Edge
from pyvis.network import Network

from newsgraph.engine.views.html import base_network
from newsgraph.engine.views.palette import TYPE_COLOURS, type_colour


def entity_graph(
    hood: Mapping[str, Any], *, max_nodes: int = 60
) -> tuple[Network, list[tuple[str, str]], list[str]]:
    """The network, legend and notes of an entity's neighbourhood (``GraphStore.entity_neighbourhood``).

    Node size is the number of articles mentioning the entity together with
    the centre one (the centre: all its articles); colour is the entity type;
    an edge's width is the number of articles mentioning both ends. At most
    ``max_nodes`` nodes are kept, the most co-mentioned first.
    """
    centre = hood["entity"]
    neighbours = sorted(hood["neighbours"], key=lambda n: (-n["weight"], n["id"]))[: max(0, max_nodes - 1)]
    net = base_network()
    top = max([n["weight"] for n in neighbours] + [1])
    net.add_node(
        centre["id"], label=centre["name"] or centre["id"], shape="star", size=38, color=type_colour(centre["type"]),
        title=f"{centre['name']} ({centre['type']})\n{centre.get('articles', 0)} articles, "
              f"{centre.get('stories', 0)} stories",
        href=f"/entities/{quote(centre['id'], safe='')}",
    )
    for n in neighbours:
        net.add_node(
            n["id"], label=n["name"] or n["id"], size=12 + 26 * n["weight"] / top, color=type_colour(n["type"]),
            title=f"{n['name']} ({n['type']})\nmentioned with {centre['name']} in {n['weight']} articles",
            href=f"/entities/{quote(n['id'], safe='')}",
        )
    kept = {centre["id"], *(n["id"] for n in neighbours)}
    # each link is one pair, so pyvis's add_edge, which looks through every edge for a duplicate
    # (quadratic: seconds for the 1,800 links among a hub's 60 neighbours), is not needed
    for link in hood["links"]:
        if link["source"] in kept and link["target"] in kept:
            net.edges.append(Edge(link["source"], link["target"], value=link["weight"],
                                  title=f"{link['weight']} articles mention both").options)
    types = sorted({centre["type"], *(n["type"] for n in neighbours)} - {None})
    legend = [(type_colour(t), t if t in TYPE_COLOURS else f"{t} (other)") for t in types]
    notes = ["Star: the entity. Size: articles mentioning it with the entity; edge width: articles mentioning both."]
    if len(hood["neighbours"]) > len(neighbours):
        notes.append(f"Only the {len(neighbours)} most co-mentioned entities are shown.")
    return net, legend, notes
