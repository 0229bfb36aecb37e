"""``newsgraph serve`` (the web app) and ``newsgraph view entity|story|outlets`` (graph views as HTML files).

Mounted in the main app by ``register(app)``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

view_app = typer.Typer(help="Interactive graph views, written as self-contained HTML files.", no_args_is_help=True)

StoreOpt = typer.Option(None, "--store", envvar="NEWSGRAPH_STORE",
                        help="Store URL: sqlite:///PATH (default sqlite:///newsgraph.db) or bolt://HOST:PORT.")
OutOpt = typer.Option(..., "--out", dir_okay=False, help="The HTML file to write.")
MaxNodesOpt = typer.Option(None, "--max-nodes", min=2, envvar="NEWSGRAPH_VIEW_MAX_NODES",
                           help="Keep at most this many nodes (default 60).")
JsonOpt = typer.Option(False, "--json", help="Print machine-readable JSON.")


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``view`` to the ``newsgraph`` app."""
    app.command()(serve)
    app.add_typer(view_app, name="view")


def serve(
    host: str = typer.Option("127.0.0.1", "--host", envvar="NEWSGRAPH_HOST", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, envvar="NEWSGRAPH_PORT", help="TCP port."),
    store: Optional[str] = StoreOpt,
    workers: int = typer.Option(1, "--workers", min=1, max=64, envvar="NEWSGRAPH_WORKERS",
                                help="Server processes; each keeps its own cache, so one process's writes reach "
                                     "the others' cached answers within 30 s."),
    access_log: bool = typer.Option(True, "--access-log/--no-access-log", help="Log every request."),
):
    """Serve the JSON API, story pages and graph views over HTTP (uvicorn)."""
    import os

    import uvicorn

    from newsgraph.api.app import create_app
    from newsgraph.engine.cli import EXIT_STORE, EXIT_USAGE, _fail
    from newsgraph.engine.config import get_settings
    from newsgraph.engine.errors import NewsgraphError, StoreUnavailable

    try:
        app = create_app(get_settings(store=store))
    except StoreUnavailable as e:
        _fail(str(e), EXIT_STORE)
    except NewsgraphError as e:
        _fail(str(e), EXIT_USAGE)
    typer.echo(f"newsgraph on http://{host}:{port}/ (API docs at /docs)", err=True)
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="info", access_log=access_log)
        return
    # each worker process builds its own app from the settings, which it reads from the environment
    if store:
        os.environ["NEWSGRAPH_STORE"] = store
    uvicorn.run("newsgraph.api.app:create_app", factory=True, workers=workers, host=host, port=port, log_level="info",
                access_log=access_log)


def _write(kind: str, key: Optional[str], out: Path, store: Optional[str], max_nodes: Optional[int],
           as_json: bool) -> None:
    from newsgraph.engine.cli import _store
    from newsgraph.engine.views import entity_view, outlets_view, story_view

    with _store(store) as (st, settings):
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
        typer.echo(json.dumps({"view": kind, "id": key, "path": str(out), "bytes": len(page.encode())}))
    else:
        typer.echo(f"wrote the {kind} view to {out}")


@view_app.command("entity")
def view_entity(entity_id: str = typer.Argument(..., help="Entity id, e.g. gpe:finland."), out: Path = OutOpt,
                store: Optional[str] = StoreOpt, max_nodes: Optional[int] = MaxNodesOpt, as_json: bool = JsonOpt):
    """An entity and the entities most often mentioned with it."""
    _write("entity", entity_id, out, store, max_nodes, as_json)


@view_app.command("story")
def view_story(story_id: str = typer.Argument(..., help="Story id."), out: Path = OutOpt,
               store: Optional[str] = StoreOpt, max_nodes: Optional[int] = MaxNodesOpt, as_json: bool = JsonOpt):
    """A story: the outlets that covered it, coloured by bias, and its entities."""
    _write("story", story_id, out, store, max_nodes, as_json)


@view_app.command("outlets")
def view_outlets(out: Path = OutOpt, store: Optional[str] = StoreOpt, max_nodes: Optional[int] = MaxNodesOpt,
                 as_json: bool = JsonOpt):
    """Outlets linked by the stories they both covered, coloured by bias, shaped by community."""
    _write("outlets", None, out, store, max_nodes, as_json)
