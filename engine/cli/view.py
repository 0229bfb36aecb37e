"""``newsgraph view entity|story|outlets``: interactive graph views, written as self-contained HTML files."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from newsgraph.engine.cli.common import JsonOpt, StoreOpt, emit_json, store_session

app = typer.Typer(name="view", help="Interactive graph views, written as self-contained HTML files.",
                  no_args_is_help=True)

OutOpt = typer.Option(..., "--out", dir_okay=False, help="The HTML file to write.")
MaxNodesOpt = typer.Option(None, "--max-nodes", min=2, envvar="NEWSGRAPH_VIEW_MAX_NODES",
                           help="Keep at most this many nodes (default 60).")


def _write(kind: str, key: Optional[str], out: Path, store: Optional[str], max_nodes: Optional[int],
           as_json: bool) -> None:
    from newsgraph.engine.views import entity_view, outlets_view, story_view

    with store_session(store) as (st, settings):
        n = max_nodes or settings.view_max_nodes
        if kind == "entity":
            page = entity_view(st, key, max_nodes=n)
        elif kind == "story":
            page = story_view(st, key, max_nodes=n)
        else:
            page = outlets_view(st, settings, max_nodes=n)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    if as_json:
        emit_json({"view": kind, "id": key, "path": str(out), "bytes": len(page.encode())})
    else:
        typer.echo(f"wrote the {kind} view to {out}")


@app.command("entity")
def view_entity(entity_id: str = typer.Argument(..., help="Entity id, e.g. gpe:finland."), out: Path = OutOpt,
                store: Optional[str] = StoreOpt, max_nodes: Optional[int] = MaxNodesOpt, as_json: bool = JsonOpt):
    """An entity and the entities most often mentioned with it."""
    _write("entity", entity_id, out, store, max_nodes, as_json)


@app.command("story")
def view_story(story_id: str = typer.Argument(..., help="Story id."), out: Path = OutOpt,
               store: Optional[str] = StoreOpt, max_nodes: Optional[int] = MaxNodesOpt, as_json: bool = JsonOpt):
    """A story: the outlets that covered it, coloured by bias, and its entities."""
    _write("story", story_id, out, store, max_nodes, as_json)


@app.command("outlets")
def view_outlets(out: Path = OutOpt, store: Optional[str] = StoreOpt, max_nodes: Optional[int] = MaxNodesOpt,
                 as_json: bool = JsonOpt):
    """Outlets linked by the stories they both covered, coloured by bias, shaped by community."""
    _write("outlets", None, out, store, max_nodes, as_json)
