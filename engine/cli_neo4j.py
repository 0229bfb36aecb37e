"""``newsgraph neo4j start|stop|status``: the local Neo4j server for development and CI.

Mounted in the main app as ``app.add_typer(neo4j_app, name="neo4j")``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Optional

import typer

from newsgraph.engine import neo4j_server
from newsgraph.engine.errors import ConfigError, StoreUnavailable

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


# -- sync and cypher: registered on the main app by register(app) -------------------------------

def register(app: typer.Typer) -> None:
    """Add ``newsgraph sync`` and ``newsgraph cypher`` to the main app."""
    app.command("sync")(sync_command)
    app.command("cypher")(cypher_command)


def _open(url: str):
    from newsgraph.engine.config import get_settings
    from newsgraph.engine.errors import NewsgraphError
    from newsgraph.engine.store import open_store

    try:
        settings = get_settings(store=url)
        return open_store(settings.store, settings)
    except StoreUnavailable as e:
        _fail(_one_line(str(e)), 3)
    except NewsgraphError as e:
        _fail(_one_line(str(e)), 2)


def _one_line(message: str) -> str:
    return " ".join(message.split())


def sync_command(
    source: str = typer.Option(..., "--from", envvar="NEWSGRAPH_SYNC_FROM",
                               help="Store to copy from: sqlite:///PATH, bolt://HOST:PORT or neo4j://HOST:PORT."),
    target: str = typer.Option(..., "--to", envvar="NEWSGRAPH_SYNC_TO", help="Store to copy into (created if new)."),
    batch_size: int = typer.Option(5000, "--batch-size", min=1, envvar="NEWSGRAPH_SYNC_BATCH_SIZE",
                                   help="Rows per write transaction."),
    as_json: bool = JsonOpt,
) -> None:
    """Copy a whole graph between stores (e.g. SQLite into Neo4j); running it again changes nothing."""
    import sys

    from newsgraph.engine.errors import NewsgraphError
    from newsgraph.engine.sync import graph_size, sync

    if source == target:
        _fail("--from and --to name the same store", 2)
    src = _open(source)
    try:
        dst = _open(target)
        try:
            with _progress("syncing", graph_size(src), enabled=not as_json and sys.stderr.isatty()) as tick:
                report = sync(src, dst, batch_size=batch_size, on_progress=tick)
            after = dst.stats()
        except StoreUnavailable as e:
            _fail(_one_line(str(e)), 3)
        except NewsgraphError as e:
            _fail(_one_line(str(e)), 2)
        finally:
            dst.close()
    finally:
        src.close()
    if as_json:
        typer.echo(json.dumps({"from": source, "to": target, "copied": report.to_dict(), "target_stats": after},
                              indent=2))
        return
    copied = {**report.nodes, **report.relationships}
    typer.echo(f"copied {report.total} graph elements from {source} to {target}: "
               + ", ".join(f"{k} {v}" for k, v in copied.items()))
    typer.echo("target now holds: " + ", ".join(f"{k} {v}" for k, v in {**after['nodes'], **after['relationships']}.items()))


def cypher_command(
    query: str = typer.Argument(..., help='A read-only Cypher query, e.g. "MATCH (s:Story) RETURN s.title LIMIT 5".'),
    param: Optional[list[str]] = typer.Option(
        None, "--param", "-p", help="A query parameter NAME=VALUE (VALUE read as JSON if it parses, else text); repeatable."),
    store: Optional[str] = typer.Option(None, "--store", envvar="NEWSGRAPH_STORE",
                                        help="A Neo4j store URL: bolt://HOST:PORT or neo4j://HOST:PORT."),
    as_json: bool = JsonOpt,
) -> None:
    """Run a read-only Cypher query against a Neo4j store; writes are refused."""
    from newsgraph.engine.config import get_settings
    from newsgraph.engine.errors import ConfigError, NewsgraphError
    from newsgraph.engine.store.open import NEO4J_SCHEMES

    try:
        url = get_settings(store=store).store
    except ConfigError as e:
        _fail(_one_line(str(e)), 2)
    if url.split("://", 1)[0] not in NEO4J_SCHEMES:
        _fail(f"cypher needs a Neo4j store and the store is {url}; copy the graph into Neo4j first: "
              f"newsgraph sync --from {url} --to bolt://HOST:PORT, then --store bolt://HOST:PORT", 2)
    params = _parse_params(param or [])
    st = _open(url)
    try:
        columns, rows = st.run_read_query(query, params)
    except StoreUnavailable as e:
        _fail(_one_line(str(e)), 3)
    except NewsgraphError as e:
        _fail(_one_line(str(e)), 2)
    finally:
        st.close()
    if as_json:
        typer.echo(json.dumps({"columns": columns, "data": [dict(zip(columns, r)) for r in rows], "count": len(rows)},
                              indent=2, ensure_ascii=False, default=str))
        return
    typer.echo("\t".join(columns))
    for r in rows:
        typer.echo("\t".join(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str) for v in r))
    typer.echo(f"({len(rows)} rows)")


def _parse_params(items: list[str]) -> dict:
    """``NAME=VALUE`` pairs as query parameters; a VALUE that parses as JSON is that value.

    >>> _parse_params(["entity=law:ottawa-convention", "n=3", 'ids=["a","b"]'])
    {'entity': 'law:ottawa-convention', 'n': 3, 'ids': ['a', 'b']}
    """
    out = {}
    for item in items:
        name, sep, raw = item.partition("=")
        if not sep or not name.isidentifier():
            _fail(f"--param {item!r} is not NAME=VALUE", 2)
        try:
            out[name] = json.loads(raw)
        except ValueError:
            out[name] = raw
    return out


class _progress:
    """A rich progress bar with a known total on a terminal; a no-op callback otherwise."""

    def __init__(self, label: str, total: int, *, enabled: bool):
        self.label, self.total, self.enabled = label, total, enabled
        self.bar = None

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            console=Console(stderr=True), transient=True)
        self.bar.__enter__()
        task = self.bar.add_task(self.label, total=self.total)
        return lambda n: self.bar.update(task, completed=n)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)
        return False
