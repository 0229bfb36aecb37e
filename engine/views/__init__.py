"""pyvis views of the graph, rendered as self-contained HTML (no request leaves the page)."""

from newsgraph.engine.views.build import entity_view, outlets_view, story_view
from newsgraph.engine.views.entity_graph import entity_graph
from newsgraph.engine.views.html import render_html
from newsgraph.engine.views.outlet_network import outlet_network
from newsgraph.engine.views.story_graph import story_graph

__all__ = [
    "entity_graph",
    "entity_view",
    "outlet_network",
    "outlets_view",
    "render_html",
    "story_graph",
    "story_view",
]
