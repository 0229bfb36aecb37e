"""What every ``newsgraph`` command shares: the ``--store`` and ``--json`` options, exit codes, output helpers.

A leaf of the CLI package: the command modules import it, it imports none of them.

Exit codes: 0 success; 1 some input records were rejected (the good ones
landed); 2 a user mistake (unreadable path, unknown format, bad option,
unknown id); 3 the store cannot be opened or reached, or another writer kept it
locked past the busy timeout.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from typing import Any, Callable, Iterator, NoReturn

import typer

from newsgraph.engine.errors import NewsgraphError, StoreUnavailable

EXIT_OK = 0
EXIT_REJECTED = 1
"Some records (or feeds) were rejected; the good ones were stored."
EXIT_USAGE = 2
EXIT_STORE = 3
EXIT_NOT_RUNNING = 1
"``neo4j status`` answers like ``test``: 1 when the server does not run."

StoreOpt = typer.Option(None, "--store", envvar="NEWSGRAPH_STORE",
                        help="Store URL: sqlite:///PATH (default sqlite:///newsgraph.db) or bolt://HOST:PORT.")
JsonOpt = typer.Option(False, "--json", help="Print machine-readable JSON.")


def fail(message: str, code: int) -> NoReturn:
    """Print ``error: MESSAGE`` on one line to standard error and exit with ``code``."""
    # one line, whatever the wrapped driver or parser message looked like
    typer.echo("error: " + " ".join(message.split()), err=True)
    raise typer.Exit(code)


def exit_code(error: NewsgraphError) -> int:
    """The exit code for an error a command did not handle itself: 3 if the store is unavailable, else 2."""
    return EXIT_STORE if isinstance(error, StoreUnavailable) else EXIT_USAGE


@contextmanager
def store_session(url: str | None, *, read_only: bool = False) -> Iterator[tuple[Any, Any]]:
    """``(store, settings)`` for ``--store URL`` (or the settings' store), closed at the end.

    ``read_only``: the command only reads, so opening the store writes no schema.

    A newsgraph error, on opening or inside the block, ends the command as one line
    and its exit code (:func:`exit_code`), no traceback.
    """
    from newsgraph.engine.config import get_settings
    from newsgraph.engine.store import open_store

    try:
        settings = get_settings(store=url)
        store = open_store(settings.store, settings, read_only=read_only)
    except NewsgraphError as e:
        fail(str(e), exit_code(e))
    try:
        yield store, settings
    except NewsgraphError as e:
        fail(str(e), exit_code(e))
    finally:
        store.close()


def emit_json(data: Any) -> None:
    """Print ``data`` as indented JSON (dates and other values as text)."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@contextmanager
def progress(label: str, enabled: bool, total: int | None = None) -> Iterator[Callable[[int], None] | None]:
    """A rich progress bar on a terminal, yielding ``tick(done)``; ``None`` when piped or with ``--json``.

    With ``total`` it is a bar with the time remaining, without one a spinner with the count so far.
    """
    if not (enabled and sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)

    columns = ((TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
               if total is not None else
               (SpinnerColumn(), TextColumn("{task.description}"), MofNCompleteColumn(), TimeElapsedColumn()))
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.update(task, completed=n)
