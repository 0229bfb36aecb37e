"""``newsgraph ingest``: read articles into the graph."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import Callable, Iterator, List, Optional

import typer

from newsgraph.engine.cli.common import EXIT_REJECTED, JsonOpt, StoreOpt, emit_json, store_session

app = typer.Typer()


@contextmanager
def _rate_bar(enabled: bool) -> Iterator[Callable[[int, int | None], None] | None]:
    """A progress bar with articles/s and, once the number of records is known, the time remaining."""
    if not (enabled and sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
               TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
    start = time.monotonic()
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("ingesting", total=None, rate="")

        def tick(done: int, total: int | None) -> None:
            elapsed = max(time.monotonic() - start, 1e-9)
            bar.update(task, completed=done, total=total, rate=f"{done / elapsed:,.1f} articles/s")

        yield tick


def run_ingest(store, settings, paths: List[str], fmt: str, mapping: dict | None, show_progress: bool,
               resume: bool = True):
    """Ingest ``paths`` into ``store``, with a progress bar when ``show_progress`` and on a terminal."""
    from newsgraph.engine.pipeline import Ingestor

    with _rate_bar(show_progress) as tick:
        ingestor = Ingestor(store, settings)
        if tick is not None:
            ingestor.on_progress = lambda n: tick(n, ingestor.expected)
        try:
            return ingestor.ingest(paths, format=fmt, mapping=mapping, resume=resume)
        finally:
            ingestor.close()


@app.command()
def ingest(
    paths: List[str] = typer.Argument(..., help="Input files (.jsonl, .csv, optionally .gz; GDELT .gkg.csv[.zip]; "
                                                "feed files, OPML lists or feed URLs; saved .html pages or folders); "
                                                "folders of them, glob patterns ('data/**/*.jsonl.gz') and "
                                                "@LIST files naming one path a line."),
    format: str = typer.Option("auto", "--format", help="auto|jsonl|csv|gkg|feed|html"),
    map: Optional[str] = typer.Option(None, "--map", help="CSV column mapping: title=TITLE,url=URL,..."),
    cluster: Optional[str] = typer.Option(None, "--cluster", envvar="NEWSGRAPH_CLUSTER",
                                          help="Dask scheduler (tcp://HOST:8786) whose workers run NER "
                                               "(see newsgraph cluster local)."),
    resume: bool = typer.Option(True, "--resume/--no-resume",
                                help="Skip files that an earlier run into this store read to the end "
                                     "(the store's ingest ledger, by content hash)."),
    store: Optional[str] = StoreOpt,
    as_json: bool = JsonOpt,
):
    """Read articles into the graph: validate, de-duplicate, find entities, group into stories."""
    from dataclasses import replace

    from newsgraph.engine.ingest import parse_mapping

    with store_session(store) as (st, settings):
        if cluster:
            settings = replace(settings, cluster=cluster)
        mapping = parse_mapping(map) if map else None
        started = time.monotonic()
        report = run_ingest(st, settings, paths, format, mapping, not as_json, resume)
        seconds = time.monotonic() - started
        if as_json:
            emit_json({**report.to_dict(), "seconds": round(seconds, 3),
                       "articles_per_second": round(report.read / seconds, 2) if seconds > 0 else None})
        else:
            for p in report.problems:
                typer.echo(f"rejected {p}", err=True)
            for n in report.notes:
                typer.echo(f"note {n}", err=True)
            if report.files_skipped:
                typer.echo(f"skipped {len(report.files_skipped)} file(s) an earlier run stored whole "
                           "(--no-resume reads them again)", err=True)
            typer.echo(
                f"read {report.read}: stored {report.stored}, already stored {report.already_stored}, "
                f"duplicates {report.duplicates}, rejected {report.rejected}; "
                f"stories: {report.stories_new} new, {report.stories_touched} touched"
            )
        if report.rejected:
            raise typer.Exit(EXIT_REJECTED)
