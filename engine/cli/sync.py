"""``newsgraph sync``: copy a whole graph between stores, e.g. the embedded one into Neo4j."""

from __future__ import annotations

import typer

from newsgraph.engine.cli.common import EXIT_USAGE, JsonOpt, emit_json, fail, progress, store_session

app = typer.Typer()


@app.command("sync")
def sync_command(
    source: str = typer.Option(..., "--from", envvar="NEWSGRAPH_SYNC_FROM",
                               help="Store to copy from: sqlite:///PATH, bolt://HOST:PORT or neo4j://HOST:PORT."),
    target: str = typer.Option(..., "--to", envvar="NEWSGRAPH_SYNC_TO", help="Store to copy into (created if new)."),
    batch_size: int = typer.Option(5000, "--batch-size", min=1, envvar="NEWSGRAPH_SYNC_BATCH_SIZE",
                                   help="Rows per write transaction (into an empty Neo4j also per UNWIND)."),
    as_json: bool = JsonOpt,
) -> None:
    """Copy a whole graph between stores (e.g. SQLite into Neo4j); running it again changes nothing."""
    from newsgraph.engine.sync import graph_size, sync

    if source == target:
        fail("--from and --to name the same store", EXIT_USAGE)
    with store_session(source) as (src, _), store_session(target) as (dst, _):
        with progress("syncing", not as_json, total=graph_size(src)) as tick:
            report = sync(src, dst, batch_size=batch_size, on_progress=tick)
        after = dst.stats()
    if as_json:
        emit_json({"from": source, "to": target, "copied": report.to_dict(), "target_stats": after})
        return
    copied = {**report.nodes, **report.relationships}
    typer.echo(f"copied {report.total} graph elements from {source} to {target}: "
               + ", ".join(f"{k} {v}" for k, v in copied.items()))
    held = {**after["nodes"], **after["relationships"]}
    typer.echo("target now holds: " + ", ".join(f"{k} {v}" for k, v in held.items()))
