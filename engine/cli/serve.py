"""``newsgraph serve``: the JSON API, story pages and graph views over HTTP."""

from __future__ import annotations

from typing import Optional

import typer

from newsgraph.engine.cli.common import StoreOpt, exit_code, fail

app = typer.Typer()


# The web app sits above the engine (api -> engine), so the command names it the way
# uvicorn addresses any app, by its import string, instead of importing it.
APP_FACTORY = "newsgraph.api.app:create_app"
WORKER_START_SECONDS = 120


@app.command()
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
    from uvicorn.importer import import_from_string

    from newsgraph.engine.config import get_settings
    from newsgraph.engine.errors import NewsgraphError

    try:
        web_app = import_from_string(APP_FACTORY)(get_settings(store=store))
    except NewsgraphError as e:
        fail(str(e), exit_code(e))
    typer.echo(f"newsgraph on http://{host}:{port}/ (API docs at /docs)", err=True)
    if workers == 1:
        uvicorn.run(web_app, host=host, port=port, log_level="info", access_log=access_log)
        return
    # each worker process builds its own app from the settings, which it reads from the environment
    if store:
        os.environ["NEWSGRAPH_STORE"] = store
    # a worker process that builds its app on a busy machine can take far longer than uvicorn's 5 s to
    # answer its first health ping; killed for it, its replacement is too, and the server never serves
    uvicorn.run(APP_FACTORY, factory=True, workers=workers, host=host, port=port, log_level="info",
                access_log=access_log, timeout_worker_healthcheck=WORKER_START_SECONDS)
