"""``newsgraph ingest``: read articles into the graph."""

from __future__ import annotations

from typing import List, Optional

import typer

from newsgraph.engine.cli.common import EXIT_REJECTED, JsonOpt, StoreOpt, emit_json, progress, store_session

app = typer.Typer()


def run_ingest(store, settings, paths: List[str], fmt: str, mapping: dict | None, show_progress: bool):
    """Ingest ``paths`` into ``store``, with a progress bar when ``show_progress`` and on a terminal."""
    from newsgraph.engine.pipeline import Ingestor

    with progress("ingesting", show_progress) as tick:
        return Ingestor(store, settings, on_progress=tick).ingest(paths, format=fmt, mapping=mapping)


@app.command()
def ingest(
    paths: List[str] = typer.Argument(..., help="Input files (.jsonl, .csv, optionally .gz; GDELT .gkg.csv[.zip]; "
                                                "feed files, OPML lists or feed URLs; saved .html pages or folders)."),
    format: str = typer.Option("auto", "--format", help="auto|jsonl|csv|gkg|feed|html"),
    map: Optional[str] = typer.Option(None, "--map", help="CSV column mapping: title=TITLE,url=URL,..."),
    store: Optional[str] = StoreOpt,
    as_json: bool = JsonOpt,
):
    """Read articles into the graph: validate, de-duplicate, find entities, group into stories."""
    from newsgraph.engine.ingest import parse_mapping

    with store_session(store) as (st, settings):
        mapping = parse_mapping(map) if map else None
        report = run_ingest(st, settings, paths, format, mapping, not as_json)
        if as_json:
            emit_json(report.to_dict())
        else:
            for p in report.problems:
                typer.echo(f"rejected {p}", err=True)
            for n in report.notes:
                typer.echo(f"note {n}", err=True)
            typer.echo(
                f"read {report.read}: stored {report.stored}, already stored {report.already_stored}, "
                f"duplicates {report.duplicates}, rejected {report.rejected}; "
                f"stories: {report.stories_new} new, {report.stories_touched} touched"
            )
        if report.rejected:
            raise typer.Exit(EXIT_REJECTED)
