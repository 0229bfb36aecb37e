"""``newsgraph cluster``: a Dask cluster for NER, started on this machine to try it or to use its cores."""

from __future__ import annotations

import typer

from newsgraph.engine.cli.common import EXIT_USAGE, JsonOpt, emit_json, fail

app = typer.Typer(name="cluster", help="Run NER on a Dask cluster (docs/scaling.md).", no_args_is_help=True)


@app.command("local")
def local(
    workers: int = typer.Option(2, "--workers", min=1, max=256, help="Worker processes (one thread each)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Interface the scheduler and workers listen on."),
    port: int = typer.Option(8786, "--port", min=0, max=65535, help="Scheduler port (0: any free port)."),
    as_json: bool = JsonOpt,
):
    """Start a Dask scheduler and N NER workers here; print the address for ingest --cluster; Ctrl-C stops them."""
    import signal
    import threading

    from newsgraph.engine.cluster.client import local_cluster
    from newsgraph.engine.config import get_settings

    settings = get_settings()
    try:
        cluster = local_cluster(workers, host=host, port=port)
    except (OSError, RuntimeError) as e:
        fail(f"cannot start a Dask cluster on {host}:{port}: {e}", EXIT_USAGE)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        from distributed import Client

        from newsgraph.engine.cluster.worker import NerModelPlugin

        with Client(cluster, set_as_default=False) as client:
            # the workers load the model now, so the first ingest does not wait for it
            client.register_plugin(NerModelPlugin(settings.spacy_model), name=f"newsgraph-ner-{settings.spacy_model}")
        address = cluster.scheduler_address
        if as_json:
            emit_json({"address": address, "workers": workers, "model": settings.spacy_model})
        else:
            typer.echo(address)
            typer.echo(f"{workers} worker(s) with {settings.spacy_model}; use: newsgraph ingest FILES "
                       f"--cluster {address}   (Ctrl-C stops them)", err=True)
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
    finally:
        cluster.close()
