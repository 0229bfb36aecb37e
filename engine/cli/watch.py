"""``newsgraph watch``: follow RSS/Atom feeds on a schedule and ingest their new entries."""

from __future__ import annotations

import time
from pathlib import Path
from typing import List, Optional

import typer

from newsgraph.engine.cli.common import EXIT_REJECTED, EXIT_USAGE, JsonOpt, StoreOpt, emit_json, fail, store_session

app = typer.Typer()


@app.command()
def watch(
    feeds: List[str] = typer.Argument(..., help="Feed URLs, feed files, or OPML files listing feeds."),
    interval: str = typer.Option("15m", "--interval", envvar="NEWSGRAPH_FEED_INTERVAL",
                                 help="Time between polls of a feed: 30s, 15m, 1h."),
    once: bool = typer.Option(False, "--once", help="Poll every due feed once and exit (for cron)."),
    state: Optional[Path] = typer.Option(None, "--state", envvar="NEWSGRAPH_FEED_STATE",
                                         help="JSON file keeping ETag/Last-Modified and backoff between runs."),
    store: Optional[str] = StoreOpt,
    as_json: bool = JsonOpt,
):
    """Poll feeds (conditional requests, per-feed backoff) and ingest only their new entries; --once for cron."""
    from newsgraph.engine.config import get_settings
    from newsgraph.engine.errors import NewsgraphError
    from newsgraph.engine.ingest.watch import FeedWatcher, parse_interval

    try:
        seconds = parse_interval(interval)
        watcher = FeedWatcher.for_settings(feeds, get_settings(store=store), interval=seconds, state_path=state)
    except NewsgraphError as e:
        fail(str(e), EXIT_USAGE)
    with store_session(store) as (st, settings):
        try:
            last = _rounds(watcher, st, settings, once, as_json)
        except KeyboardInterrupt:  # the usual way to stop watching; the state is already saved
            typer.echo("stopped", err=True)
            return
    if any(r["outcome"] == "failed" or r.get("rejected") for r in last):
        raise typer.Exit(EXIT_REJECTED)  # with --once: cron sees that a feed failed or had bad entries


def _rounds(watcher, st, settings, once: bool, as_json: bool) -> list[dict]:
    from newsgraph.engine.pipeline import Ingestor

    while True:
        rounds = []
        for result in watcher.poll(healthy_now=once):
            row = {"feed": result.feed, "outcome": result.outcome}
            if result.error is not None:
                row["error"] = result.error.location_text()
            if result.body is not None:
                report = Ingestor(st, settings).ingest_feed(result.feed, result.body)
                row.update(stored=report.stored, already_stored=report.already_stored,
                           duplicates=report.duplicates, rejected=report.rejected,
                           problems=report.problems)
            rounds.append(row)
        _print_round(rounds, as_json)
        if once:
            return rounds
        time.sleep(max(1.0, watcher.seconds_to_next()))


def _print_round(rows: list[dict], as_json: bool) -> None:
    if as_json:
        emit_json({"feeds": rows})
        return
    for row in rows:
        if row["outcome"] == "fetched":
            for p in row["problems"]:
                typer.echo(f"rejected {p}", err=True)
            typer.echo(f"{row['feed']}: {row['stored']} new, {row['already_stored']} already stored, "
                       f"{row['rejected']} rejected")
        elif row["outcome"] == "failed":
            typer.echo(f"{row['feed']}: failed ({row['error']}); backing off", err=True)
        elif row["outcome"] == "not_modified":
            typer.echo(f"{row['feed']}: not modified")
