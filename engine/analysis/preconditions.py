"""Graph preconditions of the analyses, checked in one place (as networkx's ``not_implemented_for``).

>>> import networkx as nx
>>> @requires_graph(node_attrs=("side",))
... def sides(G):
...     return sorted(nx.get_node_attributes(G, "side").values())
>>> sides(nx.Graph([(1, 2)]))
Traceback (most recent call last):
...
newsgraph.engine.errors.NotEnoughData: sides needs node attribute 'side' on every node; 2 nodes lack it
"""

from __future__ import annotations

import functools
from typing import Callable, Sequence

import networkx as nx

from newsgraph.engine.errors import NotEnoughData


def check_graph(G: nx.Graph, what: str, *, min_nodes: int = 1, min_edges: int = 0, directed: bool = False,
                node_attrs: Sequence[str] = ()) -> None:
    """Raise :class:`~engine.errors.NotEnoughData` unless ``G`` suits the analysis ``what``."""
    if not isinstance(G, nx.Graph):
        raise TypeError(f"{what} needs a networkx graph, not {type(G).__name__}")
    if G.is_directed() != directed or G.is_multigraph():
        kind = "a simple directed" if directed else "a simple undirected"
        raise TypeError(f"{what} needs {kind} graph")
    if G.number_of_nodes() < min_nodes:
        raise NotEnoughData(f"{what} needs at least {min_nodes} nodes; the graph has {G.number_of_nodes()}")
    if G.number_of_edges() < min_edges:
        raise NotEnoughData(f"{what} needs at least {min_edges} edges; the graph has {G.number_of_edges()}")
    for attr in node_attrs:
        missing = sum(1 for _, d in G.nodes(data=True) if attr not in d)
        if missing:
            raise NotEnoughData(f"{what} needs node attribute {attr!r} on every node; {missing} nodes lack it")


def requires_graph(**conditions) -> Callable:
    """Decorator: check the function's first argument with :func:`check_graph` before calling it."""

    def wrap(func: Callable) -> Callable:
        @functools.wraps(func)
        def checked(G, *args, **kwargs):
            check_graph(G, func.__name__, **conditions)
            return func(G, *args, **kwargs)

        return checked

    return wrap


def require_rows(rows: list, what: str) -> list:
    """``rows`` as a list, or :class:`~engine.errors.NotEnoughData` when there are none."""
    rows = list(rows)
    if not rows:
        raise NotEnoughData(f"{what}: no rows match (check --since/--until/--entity/--outlet, or ingest first)")
    return rows
