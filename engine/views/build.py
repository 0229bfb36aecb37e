"""Views built from a store: the HTML documents the CLI writes and the web app serves."""

from __future__ import annotations

from newsgraph.engine.store.base import GraphStore
from newsgraph.engine.views.entity_graph import entity_graph
from newsgraph.engine.views.html import render_html
from newsgraph.engine.views.outlet_network import outlet_network
from newsgraph.engine.views.story_graph import story_graph


def entity_view(store: GraphStore, entity_id: str, *, max_nodes: int = 60, links: bool = False) -> str:
    """An entity and its neighbourhood; raises ``NotFound`` for an unknown id."""
    # one more than can be drawn, so the view can say that some were left out
    hood = store.entity_neighbourhood(entity_id, limit=max_nodes)
    net, legend, notes = entity_graph(hood, max_nodes=max_nodes)
    name = hood["entity"]["name"] or entity_id
    return render_html(net, title=f"{name}: entities mentioned with it", legend=legend, notes=notes, links=links)


def story_view(store: GraphStore, story_id: str, *, max_nodes: int = 60, links: bool = False) -> str:
    """A story, its outlets coloured by bias and its entities; raises ``NotFound`` for an unknown id."""
    rows = store.story_rows(story_id)
    net, legend, notes = story_graph(rows, max_nodes=max_nodes)
    title = rows["story"].get("title") or story_id
    return render_html(net, title=f"Coverage of: {title}", legend=legend, notes=notes, links=links)


def outlets_view(store: GraphStore, *, max_nodes: int = 60, seed: int = 0, links: bool = False) -> str:
    """The outlet co-coverage network, coloured by rated bias and shaped by community."""
    outlets = store.get_outlets()
    net, legend, notes = outlet_network(
        store.coverage_rows(),
        {o.id: o.bias.value for o in outlets},
        names={o.id: o.name for o in outlets},
        max_nodes=max_nodes,
        seed=seed,
    )
    return render_html(net, title="Outlets by the stories they cover", legend=legend, notes=notes, links=links)
