"""``newsgraph neo4j start|stop|status``: the local Neo4j server for development and CI.

Mounted in the main app as ``app.add_typer(neo4j_app, name="neo4j")``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Optional

import typer

from engine import neo4j_server
from engine.errors import ConfigError, StoreUnavailable

neo4j_app = typer.Typer(
    help="A local Neo4j Community server (Java 17 and Maven needed; built and cached on first start).",
    no_args_is_help=True,
)

DataOpt = typer.Option(
    None, "--data", envvar="NEWSGRAPH_NEO4J_DATA", file_okay=False,
    help="The server's home: databases, logs and its state file (default ~/.local/share/newsgraph/neo4j).",
)
JsonOpt = typer.Option(False, "--json", help="Print machine-readable JSON.")


def _fail(message: str, code: int) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@neo4j_app.command()
def start(
    port: int = typer.Option(neo4j_server.DEFAULT_PORT, "--port", envvar="NEWSGRAPH_NEO4J_PORT",
                             help="Bolt port on 127.0.0.1."),
    data: Optional[Path] = DataOpt,
    password: Optional[str] = typer.Option(
        None, "--password", envvar="NEWSGRAPH_NEO4J_PASSWORD",
        help="Password of user neo4j (8+ characters); without one, authentication is off (loopback only)."),
    timeout: float = typer.Option(120.0, "--timeout", help="Seconds to wait for Bolt to answer."),
    as_json: bool = JsonOpt,
) -> None:
    """Start the local Neo4j in the background and wait until Bolt answers."""
    try:
        state = neo4j_server.start(port=port, data=data, password=password or None, timeout=timeout)
    except ConfigError as e:
        _fail(str(e), 2)
    except StoreUnavailable as e:
        _fail(str(e), 3)
    if as_json:
        typer.echo(json.dumps({**asdict(state), "url": state.url}))
    else:
        typer.echo(f"Neo4j is running at {state.url} (pid {state.pid}, data {state.data})")
        typer.echo(f"use it: NEWSGRAPH_STORE={state.url}")


@neo4j_app.command()
def stop(data: Optional[Path] = DataOpt, as_json: bool = JsonOpt) -> None:
    """Stop the local Neo4j (it shuts down cleanly)."""
    try:
        was_running = neo4j_server.stop(data)
    except StoreUnavailable as e:
        _fail(str(e), 3)
    if as_json:
        typer.echo(json.dumps({"stopped": was_running}))
    else:
        typer.echo("Neo4j stopped" if was_running else "Neo4j was not running")


@neo4j_app.command()
def status(data: Optional[Path] = DataOpt, as_json: bool = JsonOpt) -> None:
    """Whether the local Neo4j runs, and where; exits 1 when it does not."""
    try:
        st = neo4j_server.status(data)
    except ConfigError as e:
        _fail(str(e), 2)
    if as_json:
        typer.echo(json.dumps(asdict(st)))
    elif st.running:
        typer.echo(f"Neo4j is running at {st.url} (pid {st.pid}, data {st.data}, log {st.log})")
    else:
        typer.echo(f"Neo4j is not running (data {st.data})")
    if not st.running:
        raise typer.Exit(1)
