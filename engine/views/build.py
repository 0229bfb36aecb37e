"""Views built from a store: the HTML documents the CLI writes and the web app serves."""

from __future__ import annotations

from typing import Any, Mapping

from newsgraph.engine.analysis import registry
from newsgraph.engine.config import Settings
from newsgraph.engine.errors import NotEnoughData
from newsgraph.engine.store.base import GraphStore
from newsgraph.engine.views.entity_graph import entity_graph
from newsgraph.engine.views.html import base_network, render_html
from newsgraph.engine.views.outlet_network import outlet_network
from newsgraph.engine.views.story_graph import story_graph


def entity_view(store: GraphStore, entity_id: str, *, max_nodes: int = 60, links: bool = False) -> str:
    """An entity and its neighbourhood; raises ``NotFound`` for an unknown id."""
    # one more than can be drawn, so the view can say that some were left out
    hood = store.entity_neighbourhood(entity_id, limit=max_nodes, graph_only=True)  # the view draws no stories
    net, legend, notes = entity_graph(hood, max_nodes=max_nodes)
    name = hood["entity"]["name"] or entity_id
    return render_html(net, title=f"{name}: entities mentioned with it", legend=legend, notes=notes, links=links)


def story_view(store: GraphStore, story_id: str, *, max_nodes: int = 60, links: bool = False) -> str:
    """A story, its outlets coloured by bias and its entities; raises ``NotFound`` for an unknown id."""
    rows = store.story_rows(story_id)
    net, legend, notes = story_graph(rows, max_nodes=max_nodes)
    title = rows["story"].get("title") or story_id
    return render_html(net, title=f"Coverage of: {title}", legend=legend, notes=notes, links=links)


def outlets_view(
    store: GraphStore,
    settings: Settings,
    *,
    filters: Mapping[str, Any] | None = None,
    params: Mapping[str, Any] | None = None,
    max_nodes: int = 60,
    links: bool = False,
) -> str:
    """The outlet co-coverage network, coloured by rated bias and shaped by community.

    It draws the ``outlet-network`` analysis run through the registry, with
    ``params`` and story ``filters`` (defaults from ``settings``), exactly as
    ``newsgraph analyze outlet-network`` and ``/api/analyses/outlet-network``
    run it: the same edges, the same communities. Raises ``ConfigError`` for
    a bad parameter.
    """
    title = "Outlets by the stories they cover"
    try:
        network = registry.run("outlet-network", store, settings, filters, params)
    except NotEnoughData as e:  # an empty store, or filters that match nothing: an empty picture that says so
        return render_html(base_network(), title=title, notes=[str(e)], links=links)
    names = {o.id: o.name for o in store.get_outlets()}
    net, legend, notes = outlet_network(network, names=names, max_nodes=max_nodes)
    return render_html(net, title=title, legend=legend, notes=notes, links=links)
