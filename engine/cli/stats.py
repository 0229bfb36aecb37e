"""``newsgraph stats``: how many nodes and relationships the graph holds."""

from __future__ import annotations

from typing import Optional

import typer

from newsgraph.engine.cli.common import JsonOpt, StoreOpt, emit_json, store_session

app = typer.Typer()


@app.command()
def stats(store: Optional[str] = StoreOpt, as_json: bool = JsonOpt):
    """Count nodes by label and relationships by type."""
    with store_session(store) as (st, _):
        data = st.stats()
        if as_json:
            emit_json(data)
            return
        for group, counts in data.items():
            typer.echo(group + ": " + ", ".join(f"{k} {v}" for k, v in counts.items()))
