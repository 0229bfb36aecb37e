"""``newsgraph export articles|graph``: the graph's records as JSON lines, a graph for Gephi, Cytoscape or pandas.

What is exported and how is :mod:`engine.export`; here are the options.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from newsgraph.engine.cli.common import EXIT_USAGE, JsonOpt, StoreOpt, emit_json, fail, store_session
from newsgraph.engine.cli.filters import OPTIONS as FILTER, story_filters

STDOUT = Path("-")
"``--out -``: standard output, as most Unix tools read it, never a file named ``-``."

app = typer.Typer(name="export", help="Export the graph's records.", no_args_is_help=True)


@app.command("articles")
def export_articles(
    format: str = typer.Option("jsonl", "--format", help="jsonl"),
    out: Optional[Path] = typer.Option(None, "--out", help="Write here instead of standard output (- is standard "
                                                             "output)."),
    store: Optional[str] = StoreOpt,
    as_json: bool = JsonOpt,
):
    """Export every stored article with its outlet, story id, entities and extra fields."""
    from newsgraph.engine.export import write_articles

    if format != "jsonl":
        fail(f"unknown export format {format!r}: use jsonl", EXIT_USAGE)
    if out == STDOUT:
        out = None
    with store_session(store) as (st, _):
        if out is None:
            write_articles(st.export_articles(), sys.stdout)
            return
        with open(out, "w", encoding="utf-8") as sink:
            n = write_articles(st.export_articles(), sink)
    if as_json:
        emit_json({"exported": n, "path": str(out)})
    else:
        typer.echo(f"exported {n} articles to {out}")


@app.command("graph")
def export_graph(
    format: str = typer.Option("graphml", "--format", help="graphml, gexf, csv (nodes.csv + edges.csv) or parquet "
                                                          "(nodes.parquet + edges.parquet)."),
    what: str = typer.Option("outlet-network", "--what", help="outlet-network, entities or full."),
    out: Optional[Path] = typer.Option(None, "--out", help="File (graphml/gexf) or directory (csv/parquet); default "
                                                            "stdout for graphml/gexf (also with -)."),
    since: Optional[str] = FILTER["since"], until: Optional[str] = FILTER["until"],
    entity: Optional[str] = FILTER["entity"], outlet: Optional[str] = FILTER["outlet"],
    store: Optional[str] = StoreOpt, as_json: bool = JsonOpt,
):
    """Export a graph for Gephi, Cytoscape or pandas: the outlet network, the entity network or the full graph."""
    from newsgraph.engine import export
    from newsgraph.engine.errors import ConfigError

    try:
        export.check_graph_export(format, what)
    except ConfigError as e:
        fail(str(e), EXIT_USAGE)
    if out == STDOUT:
        out = None
    if format in export.TABLE_FORMATS and out is None:
        fail(f"--format {format} writes nodes.{format} and edges.{format}: give a directory with --out", EXIT_USAGE)
    with store_session(store) as (st, settings):
        G = export.export_graph(st, settings, what=what, format=format, out=out or sys.stdout.buffer,
                                filters=story_filters(since, until, entity, outlet))
    if out is None:
        sys.stdout.buffer.flush()
    if as_json:
        emit_json({"format": format, "what": what, "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
                   "path": str(out) if out else None})
    elif out:
        typer.echo(f"exported {what}: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges to {out}")
