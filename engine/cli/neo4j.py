"""``newsgraph neo4j start|stop|status|import``: the local Neo4j server, and building its database offline."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Optional

import typer

from newsgraph.engine import neo4j_server
from newsgraph.engine.cli.common import (EXIT_NOT_RUNNING, EXIT_STORE, EXIT_USAGE, JsonOpt, emit_json, exit_code, fail,
                                         progress, store_session)
from newsgraph.engine.config import get_settings
from newsgraph.engine.errors import ConfigError, NewsgraphError, StoreUnavailable

app = typer.Typer(
    name="neo4j",
    help="A local Neo4j Community server (Java 17 and Maven needed; built and cached on first start).",
    no_args_is_help=True,
)

DataOpt = typer.Option(
    None, "--data", envvar="NEWSGRAPH_NEO4J_DATA", file_okay=False,
    help="The server's home: databases, logs and its state file (default ~/.local/share/newsgraph/neo4j).",
)


@app.command()
def start(
    port: int = typer.Option(neo4j_server.DEFAULT_PORT, "--port", envvar="NEWSGRAPH_NEO4J_PORT",
                             help="Bolt port on 127.0.0.1."),
    data: Optional[Path] = DataOpt,
    password: Optional[str] = typer.Option(
        None, "--password", envvar="NEWSGRAPH_NEO4J_PASSWORD",
        help="Password of user neo4j (8+ characters); without one, authentication is off (loopback only)."),
    timeout: float = typer.Option(120.0, "--timeout", help="Seconds to wait for Bolt to answer."),
    pagecache: Optional[str] = typer.Option(
        None, "--pagecache",
        help="Page cache size, e.g. 512m or 2g (default: NEWSGRAPH_NEO4J_PAGECACHE, 256m)."),
    as_json: bool = JsonOpt,
) -> None:
    """Start the local Neo4j in the background and wait until Bolt answers."""
    try:
        cache = get_settings(neo4j_pagecache=pagecache).neo4j_pagecache
        state = neo4j_server.start(port=port, data=data, password=password or None, timeout=timeout,
                                   pagecache=cache)
    except (ConfigError, StoreUnavailable) as e:
        fail(str(e), exit_code(e))
    if as_json:
        typer.echo(json.dumps({**asdict(state), "url": state.url}))
    else:
        typer.echo(f"Neo4j is running at {state.url} (pid {state.pid}, data {state.data})")
        typer.echo(f"use it: NEWSGRAPH_STORE={state.url}")


@app.command()
def stop(data: Optional[Path] = DataOpt, as_json: bool = JsonOpt) -> None:
    """Stop the local Neo4j (it shuts down cleanly)."""
    try:
        was_running = neo4j_server.stop(data)
    except StoreUnavailable as e:
        fail(str(e), EXIT_STORE)
    if as_json:
        typer.echo(json.dumps({"stopped": was_running}))
    else:
        typer.echo("Neo4j stopped" if was_running else "Neo4j was not running")


@app.command()
def status(data: Optional[Path] = DataOpt, as_json: bool = JsonOpt) -> None:
    """Whether the local Neo4j runs, and where; exits 1 when it does not."""
    try:
        st = neo4j_server.status(data)
    except ConfigError as e:
        fail(str(e), EXIT_USAGE)
    if as_json:
        typer.echo(json.dumps(asdict(st)))
    elif st.running:
        typer.echo(f"Neo4j is running at {st.url} (pid {st.pid}, data {st.data}, log {st.log})")
    else:
        typer.echo(f"Neo4j is not running (data {st.data})")
    if not st.running:
        raise typer.Exit(EXIT_NOT_RUNNING)


@app.command("import")
def import_command(
    source: str = typer.Option(..., "--from", envvar="NEWSGRAPH_SYNC_FROM",
                               help="Store to build the database from: sqlite:///PATH (or bolt://HOST:PORT)."),
    data: Optional[Path] = DataOpt,
    replace: bool = typer.Option(False, "--replace",
                                 help="Delete the database the data directory already has and build it again."),
    start_after: bool = typer.Option(True, "--start/--no-start",
                                     help="Start the server on the new database and wait until its indexes are online."),
    port: int = typer.Option(neo4j_server.DEFAULT_PORT, "--port", envvar="NEWSGRAPH_NEO4J_PORT",
                             help="Bolt port on 127.0.0.1 (with --start)."),
    password: Optional[str] = typer.Option(
        None, "--password", envvar="NEWSGRAPH_NEO4J_PASSWORD",
        help="Password of user neo4j (with --start; 8+ characters); without one, authentication is off."),
    pagecache: Optional[str] = typer.Option(
        None, "--pagecache", help="Page cache size of the started server (default: NEWSGRAPH_NEO4J_PAGECACHE, 256m)."),
    timeout: float = typer.Option(600.0, "--timeout", help="Seconds to wait for the server and its indexes."),
    as_json: bool = JsonOpt,
) -> None:
    """Build the stopped local Neo4j's database from a whole store in one offline import (much faster than sync)."""
    from newsgraph.engine.neo4j_import import check_target, import_graph
    from newsgraph.engine.sync import graph_size

    home = Path(data or neo4j_server.default_data_dir()).resolve()
    if source.startswith("sqlite:///") and not Path(source[len("sqlite:///"):]).is_file():
        fail(f"no store at {source}: name an existing one with --from", EXIT_USAGE)
    try:
        cache = get_settings(neo4j_pagecache=pagecache).neo4j_pagecache
        check_target(home, replace=replace)  # before the source is opened: a refusal costs nothing
    except NewsgraphError as e:
        fail(str(e), exit_code(e))
    with store_session(source, read_only=True) as (src, _):
        def stage(line: str) -> None:
            if not as_json and sys.stderr.isatty():
                typer.echo(line + "...", err=True)

        with progress("writing the import files", not as_json, total=graph_size(src)) as tick:
            report = import_graph(src, home, replace=replace, start=start_after, port=port,
                                  password=password or None, pagecache=cache, timeout=timeout, on_progress=tick,
                                  on_stage=stage)
    url = f"bolt://127.0.0.1:{port}"
    if as_json:
        emit_json({"from": source, "data": str(home), "imported": report.to_dict(),
                   "url": url if start_after else None})
        return
    elements = ", ".join(f"{k} {v}" for k, v in {**report.nodes, **report.relationships}.items())
    seconds = sum(report.seconds.values())
    typer.echo(f"imported {report.total} graph elements and {report.summaries} story summaries from {source} "
               f"into {home} in {seconds:.1f} s: {elements}")
    if start_after:
        typer.echo(f"Neo4j is running at {url}, every index online; use it: NEWSGRAPH_STORE={url}")
    else:
        typer.echo(f"start it: newsgraph neo4j start --data {home}")
