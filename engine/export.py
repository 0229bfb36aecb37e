"""Exports of the graph for other tools: articles as JSON lines; a graph for Gephi, Cytoscape or pandas.

A graph export is the outlet network or the entity network (as their analyses
build them, with the same settings and filters) or the whole property graph,
written as GraphML, GEXF, or a nodes table and an edges table (CSV or Parquet).

>>> import io, networkx as nx
>>> sink = io.BytesIO()
>>> write_graph(exportable(nx.path_graph(3)), "graphml", sink)
>>> nx.read_graphml(io.BytesIO(sink.getvalue())).number_of_edges()
2
"""

from __future__ import annotations

import csv
import json
import os
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Iterable, Mapping

from newsgraph.engine.errors import ConfigError

GRAPH_FORMATS = ("graphml", "gexf", "csv", "parquet")
TABLE_FORMATS = ("csv", "parquet")
"Formats written as two files, ``nodes.FORMAT`` and ``edges.FORMAT``, in a directory."
GRAPHS = ("outlet-network", "entities", "full")


def write_articles(rows: Iterable[Mapping[str, Any]], sink: IO[str]) -> int:
    """Write ``rows`` (``GraphStore.export_articles``) to ``sink`` as JSON lines; returns how many.

    >>> import io
    >>> sink = io.StringIO()
    >>> write_articles([{"id": "a1", "title": "Ålesund"}], sink), sink.getvalue()
    (1, '{"id": "a1", "title": "Ålesund"}\\n')
    """
    n = 0
    for row in rows:
        sink.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def check_graph_export(format: str, what: str) -> None:
    """:class:`ConfigError` unless ``format`` is one of :data:`GRAPH_FORMATS` and ``what`` one of :data:`GRAPHS`.

    >>> check_graph_export("xlsx", "full")
    Traceback (most recent call last):
    ...
    newsgraph.engine.errors.ConfigError: unknown graph format 'xlsx': use graphml, gexf, csv, parquet
    """
    _one_of("graph format", format, GRAPH_FORMATS)
    _one_of("graph", what, GRAPHS)


def _one_of(kind: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ConfigError(f"unknown {kind} {value!r}: use {', '.join(allowed)}")


def export_graph(store, settings, *, what: str = "outlet-network", format: str = "graphml",
                 out: Path | IO[bytes], filters: Mapping[str, Any] | None = None):
    """Build graph ``what`` from ``store``'s rows and write it to ``out``; returns the graph as written.

    Parameters
    ----------
    store : GraphStore
    settings : Settings
        The analyses' settings (backbone, weights, ...) for ``outlet-network`` and ``entities``.
    what : str
        ``outlet-network``, ``entities`` or ``full`` (outlets, stories, articles, entities).
    format : str
        ``graphml`` or ``gexf`` (a file path or a binary stream), ``csv`` or ``parquet`` (a directory).
    filters : mapping, optional
        Story filters ``since``, ``until``, ``entity``, ``outlet``, as the row queries take them.
    """
    check_graph_export(format, what)
    G = exportable(build_graph(store, settings, what, filters or {}))
    write_graph(G, format, out)
    return G


def build_graph(store, settings, what: str, filters: Mapping[str, Any]):
    """Graph ``what`` (one of :data:`GRAPHS`) from ``store``'s rows selected by ``filters``."""
    _one_of("graph", what, GRAPHS)
    if what == "full":
        return full_graph(store.coverage_rows(**filters), store.article_rows(**filters),
                          store.mention_rows(**filters))
    from newsgraph.engine.analysis import registry

    return registry.run(what, store, settings, filters).graph


def full_graph(coverage, articles, mentions):
    """The property graph as one directed networkx graph: outlets, stories, articles, entities.

    Node ids are ``label:key`` so that keys of different labels never clash; each node has
    ``label`` and ``key``, each edge ``type``.
    """
    import networkx as nx

    G = nx.DiGraph()
    for r in coverage:
        G.add_node(f"Outlet:{r.outlet_id}", label="Outlet", key=r.outlet_id, bias=r.bias, bias_score=r.bias_score)
        G.add_node(f"Story:{r.story_id}", label="Story", key=r.story_id, title=r.story_title)
        G.add_edge(f"Outlet:{r.outlet_id}", f"Story:{r.story_id}", type="COVERED", articles=r.articles,
                   first_published=r.published_at)
    for r in articles:
        a = f"Article:{r.article_id}"
        G.add_node(a, label="Article", key=r.article_id, published_at=r.published_at)
        G.add_node(f"Story:{r.story_id}", label="Story", key=r.story_id)
        G.add_edge(a, f"Story:{r.story_id}", type="PART_OF")
        if r.outlet_id:
            G.add_node(f"Outlet:{r.outlet_id}", label="Outlet", key=r.outlet_id, bias=r.bias)
            G.add_edge(f"Outlet:{r.outlet_id}", a, type="PUBLISHED")
    for r in mentions:
        e = f"Entity:{r.entity_id}"
        G.add_node(e, label="Entity", key=r.entity_id, name=r.entity_name, type=r.entity_type)
        G.add_edge(f"Article:{r.article_id}", e, type="MENTIONS")
    return G


def exportable(G):
    """A copy of ``G`` whose attributes GraphML and GEXF can hold: no ``None``, datetimes as ISO text.

    >>> import networkx as nx
    >>> from datetime import timezone
    >>> G = nx.Graph(); G.add_node("a", x=None, t=datetime(2025, 4, 1, tzinfo=timezone.utc))
    >>> exportable(G).nodes["a"]
    {'t': '2025-04-01T00:00:00+00:00'}
    """
    H = G.__class__()

    def clean(d):
        return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in d.items() if v is not None}

    H.add_nodes_from((n, clean(d)) for n, d in G.nodes(data=True))
    H.add_edges_from((u, v, clean(d)) for u, v, d in G.edges(data=True))
    return H


def write_graph(G, format: str, out: Path | IO[bytes]) -> None:
    """Write ``G`` as GraphML or GEXF (to a file or binary stream ``out``), or as nodes + edges tables in ``out``."""
    import networkx as nx

    if format in TABLE_FORMATS:
        if not isinstance(out, (str, os.PathLike)):
            raise ConfigError(f"{format} writes nodes.{format} and edges.{format}: it needs a directory, not a stream")
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        if format == "parquet":
            nodes, edges = graph_frames(G)
            nodes.to_parquet(out / "nodes.parquet", index=False)
            edges.to_parquet(out / "edges.parquet", index=False)
        else:
            _write_csv(out / "nodes.csv", ["id"], [{"id": n, **d} for n, d in G.nodes(data=True)])
            _write_csv(out / "edges.csv", ["source", "target"],
                       [{"source": u, "target": v, **d} for u, v, d in G.edges(data=True)])
        return
    writer = nx.write_graphml if format == "graphml" else nx.write_gexf
    writer(G, str(out) if isinstance(out, (str, os.PathLike)) else out)


def graph_frames(G):
    """``G`` as two pandas frames: nodes (``id`` + attributes), edges (``source``, ``target`` + attributes).

    >>> import networkx as nx
    >>> G = nx.Graph(); G.add_edge("a", "b", weight=2); G.nodes["a"]["side"] = "left"
    >>> nodes, edges = graph_frames(G)
    >>> nodes.to_dict("records"), edges.to_dict("records")
    ([{'id': 'a', 'side': 'left'}, {'id': 'b', 'side': None}], [{'source': 'a', 'target': 'b', 'weight': 2}])
    """
    import pandas as pd

    def frame(first: list[str], rows: list[dict[str, Any]]):
        columns = first + sorted({k for r in rows for k in r} - set(first))
        # object columns keep an absent attribute as None (a null in Parquet); pyarrow infers each column's type
        return pd.DataFrame({c: pd.Series([r.get(c) for r in rows], dtype=object) for c in columns},
                            columns=columns)

    return (frame(["id"], [{"id": n, **d} for n, d in G.nodes(data=True)]),
            frame(["source", "target"], [{"source": u, "target": v, **d} for u, v, d in G.edges(data=True)]))


def _write_csv(path: Path, first: list[str], rows: list[dict[str, Any]]) -> None:
    columns = first + sorted({k for r in rows for k in r} - set(first))
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=columns)
        w.writeheader()
        w.writerows(rows)
