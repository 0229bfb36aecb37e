"""The ``newsgraph`` command line, assembled from one module per command group.

Each module of this package holds a ``typer.Typer`` called ``app``: a named one
is a command group (``newsgraph outlets ...``), an unnamed one adds its
commands at the top level (``newsgraph ingest``). Every command that prints
a result takes ``--json``, every one that opens the graph ``--store`` (env
``NEWSGRAPH_STORE``); the exit codes are those of :mod:`engine.cli.common`.
"""

from __future__ import annotations

import typer

from newsgraph.engine.cli import (analyze, cluster, cypher, demo, evaluate, export, ingest, neo4j, outlets, serve,
                                  stats, stories, sync, view, watch)

app = typer.Typer(help="newsgraph: who covers which story, and how outlets cluster by what they cover.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

for _module in (ingest, watch, stats, demo, serve, sync, cypher,
                outlets, stories, export, analyze, view, evaluate, neo4j, cluster):
    app.add_typer(_module.app)


def main() -> None:
    """Console-script entry point."""
    app()
