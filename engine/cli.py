"""The ``newsgraph`` command line.

Every command takes ``--json`` for machine-readable output and ``--store``
(env ``NEWSGRAPH_STORE``). Exit codes: 0 success; 1 some input records were
rejected (the good ones landed); 2 a user mistake (unreadable path, unknown
format, bad option, unknown id); 3 the store cannot be opened.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Optional

import typer

from newsgraph.engine.cli_neo4j import neo4j_app
from newsgraph.engine.config import get_settings
from newsgraph.engine.errors import NewsgraphError, NotFound, StoreUnavailable

app = typer.Typer(help="newsgraph: who covers which story, and how outlets cluster by what they cover.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
outlets_app = typer.Typer(help="Outlets and their ratings.", no_args_is_help=True)
stories_app = typer.Typer(help="Stories: one news event, many articles.", no_args_is_help=True)
export_app = typer.Typer(help="Export the graph's records.", no_args_is_help=True)
app.add_typer(outlets_app, name="outlets")
app.add_typer(stories_app, name="stories")
app.add_typer(export_app, name="export")
app.add_typer(neo4j_app, name="neo4j")
from newsgraph.engine.cli_evaluate import register as register_evaluate; register_evaluate(app)  # noqa: E402,E702
from newsgraph.engine.cli_web import register as register_web; register_web(app)  # noqa: E402,E702
from newsgraph.engine.cli_neo4j import register as register_neo4j_tools; register_neo4j_tools(app)  # noqa: E402,E702
from newsgraph.engine.cli_analysis import register as register_analysis; register_analysis(app)  # noqa: E402,E702

StoreOpt = typer.Option(None, "--store", envvar="NEWSGRAPH_STORE",
                        help="Store URL: sqlite:///PATH (default sqlite:///newsgraph.db) or bolt://HOST:PORT.")
JsonOpt = typer.Option(False, "--json", help="Print machine-readable JSON.")

EXIT_REJECTED, EXIT_USAGE, EXIT_STORE = 1, 2, 3


def _fail(message: str, code: int) -> None:
    # one line, whatever the wrapped driver or parser message looked like
    typer.echo("error: " + " ".join(message.split()), err=True)
    raise typer.Exit(code)


@contextmanager
def _store(url: str | None) -> Iterator:
    """Open the store named by ``--store``/settings; user mistakes end as one line, no traceback."""
    from newsgraph.engine.store import open_store

    try:
        settings = get_settings(store=url)
        store = open_store(settings.store, settings)
    except StoreUnavailable as e:
        _fail(str(e), EXIT_STORE)
    except NewsgraphError as e:
        _fail(str(e), EXIT_USAGE)
    try:
        yield store, settings
    except NotFound as e:
        _fail(str(e), EXIT_USAGE)
    except StoreUnavailable as e:
        _fail(str(e), EXIT_STORE)
    except NewsgraphError as e:
        _fail(str(e), EXIT_USAGE)
    finally:
        store.close()


def _emit_json(data) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@contextmanager
def _progress(label: str, enabled: bool):
    """A rich progress bar on a terminal; nothing when piped or with --json."""
    if not (enabled and sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda n: bar.update(task, completed=n)


# -- ingest ---------------------------------------------------------------
def run_ingest(store, settings, paths: List[str], fmt: str, mapping: dict | None, show_progress: bool):
    from newsgraph.engine.pipeline import Ingestor

    with _progress("ingesting", show_progress) as tick:
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

    with _store(store) as (st, settings):
        mapping = parse_mapping(map) if map else None
        report = run_ingest(st, settings, paths, format, mapping, not as_json)
        if as_json:
            _emit_json(report.to_dict())
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


# -- outlets --------------------------------------------------------------
def run_outlet_import(store, settings, path: str, scheme: str):
    from newsgraph.engine.ratings import import_ratings, read_ratings

    result = import_ratings(read_ratings(path, scheme), store.get_outlets(), settings.rating_order)
    store.upsert_outlets(result.outlets)
    return result


@outlets_app.command("import")
def outlets_import(
    path: str = typer.Argument(..., help="A ratings file."),
    scheme: str = typer.Option(..., "--scheme", help="allsides|mbfc|adfontes|csv"),
    store: Optional[str] = StoreOpt,
    as_json: bool = JsonOpt,
):
    """Import outlet ratings (AllSides, MBFC, Ad Fontes or the generic CSV) onto outlets."""
    with _store(store) as (st, settings):
        result = run_outlet_import(st, settings, path, scheme)
        if as_json:
            _emit_json({"outlets": len(result.outlets), "matched": result.matched,
                        "unmatched": result.unmatched, "skipped": result.skipped,
                        "rejected": [e.location_text() for e in result.errors]})
        else:
            for e in result.errors:
                typer.echo(f"rejected {e.location_text()}", err=True)
            typer.echo(f"{len(result.outlets)} outlets updated; {result.matched} ratings matched, "
                       f"{len(result.unmatched)} unmatched, {len(result.skipped)} skipped (people, opinion "
                       f"sections, repeats), {len(result.errors)} rejected")
            if result.unmatched:
                typer.echo("unmatched: " + "; ".join(result.unmatched[:30])
                           + (" ..." if len(result.unmatched) > 30 else ""))
        if result.errors:
            raise typer.Exit(EXIT_REJECTED)


@outlets_app.command("list")
def outlets_list(
    limit: int = typer.Option(50, "--limit", min=1),
    offset: int = typer.Option(0, "--offset", min=0),
    store: Optional[str] = StoreOpt,
    as_json: bool = JsonOpt,
):
    """List outlets with their ratings, most articles first."""
    with _store(store) as (st, _):
        rows, count = st.list_outlets(limit=limit, offset=offset)
        if as_json:
            _emit_json({"data": rows, "count": count})
            return
        for r in rows:
            typer.echo(f"{r['id']:<28} {r['bias']:<10} {r['factuality']:<14} {r['articles']:>5} articles "
                       f"{r['stories']:>5} stories  {r['name'] or ''}")
        typer.echo(f"({len(rows)} of {count})")


@outlets_app.command("show")
def outlets_show(outlet_id: str, store: Optional[str] = StoreOpt, as_json: bool = JsonOpt):
    """Show one outlet: ratings by rater, articles and stories covered."""
    from newsgraph.engine.store.sqlite import outlet_dict

    with _store(store) as (st, _):
        prof = st.outlet_profile(outlet_id)
        data = {**outlet_dict(prof["outlet"]), "articles": prof["articles"], "stories": prof["stories"]}
        if as_json:
            _emit_json(data)
            return
        o = prof["outlet"]
        typer.echo(f"{o.id}  {o.name or ''}")
        typer.echo(f"  bias {o.bias.value} (score {o.bias_score}), factuality {o.factuality.value}, "
                   f"ownership {o.ownership.value}, country {o.country or '?'}, source {o.rating_source or '-'}")
        for rater, r in sorted(o.ratings.items()):
            typer.echo(f"  {rater}: " + ", ".join(f"{k}={v}" for k, v in r.items() if v is not None))
        typer.echo(f"  {prof['articles']} articles, {prof['stories']} stories")


# -- stories --------------------------------------------------------------
@stories_app.command("list")
def stories_list(
    limit: int = typer.Option(20, "--limit", min=1),
    offset: int = typer.Option(0, "--offset", min=0),
    store: Optional[str] = StoreOpt,
    as_json: bool = JsonOpt,
):
    """List stories, most sources first."""
    with _store(store) as (st, _):
        rows, count = st.list_stories(limit=limit, offset=offset)
        if as_json:
            _emit_json({"data": rows, "count": count})
            return
        for r in rows:
            typer.echo(f"{r['id']}  {r['source_count']:>3} sources {r['article_count']:>3} articles  "
                       f"{r['first_published']:%Y-%m-%d}  {r['title']}")
        typer.echo(f"({len(rows)} of {count})")


@stories_app.command("show")
def stories_show(story_id: str, store: Optional[str] = StoreOpt, as_json: bool = JsonOpt):
    """Show a story card: counts, bias bar, factuality, ownership, first reporter, entities, articles."""
    from newsgraph.engine.analysis import story_card
    from newsgraph.engine.render import story_card_text

    with _store(store) as (st, _):
        card = story_card(st.story_rows(story_id))
        if as_json:
            _emit_json(card.to_dict())
        else:
            typer.echo(story_card_text(card))


# -- stats and export -----------------------------------------------------
@app.command()
def stats(store: Optional[str] = StoreOpt, as_json: bool = JsonOpt):
    """Count nodes by label and relationships by type."""
    with _store(store) as (st, _):
        data = st.stats()
        if as_json:
            _emit_json(data)
            return
        for group, counts in data.items():
            typer.echo(group + ": " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@export_app.command("articles")
def export_articles(
    format: str = typer.Option("jsonl", "--format", help="jsonl"),
    out: Optional[Path] = typer.Option(None, "--out", help="Write here instead of standard output."),
    store: Optional[str] = StoreOpt,
    as_json: bool = JsonOpt,
):
    """Export every stored article with its outlet, story id, entities and extra fields."""
    if format != "jsonl":
        _fail(f"unknown export format {format!r}: use jsonl", EXIT_USAGE)
    with _store(store) as (st, _):
        sink = open(out, "w", encoding="utf-8") if out else sys.stdout
        n = 0
        try:
            for row in st.export_articles():
                sink.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
        finally:
            if out:
                sink.close()
        if out:
            if as_json:
                _emit_json({"exported": n, "path": str(out)})
            else:
                typer.echo(f"exported {n} articles to {out}")


# -- demo -----------------------------------------------------------------
@app.command()
def demo(
    db: Path = typer.Option(Path("newsgraph-demo.db"), "--db", help="Where to build the demo's embedded store."),
    top: int = typer.Option(5, "--top", min=1, help="How many stories to show."),
    as_json: bool = JsonOpt,
):
    """Build a fresh embedded store from the shipped AllSides roundups and show the best-covered stories."""
    from newsgraph.engine.analysis import story_card
    from newsgraph.engine.demo import demo_paths
    from newsgraph.engine.render import story_summary

    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    articles, outlets = demo_paths()
    url = f"sqlite:///{db}"
    with _store(url) as (st, settings):
        rated = run_outlet_import(st, settings, str(outlets), "csv")
        report = run_ingest(st, settings, [str(articles)], "auto", None, not as_json)
        rows, _ = st.list_stories(limit=top)
        cards = [story_card(st.story_rows(r["id"])) for r in rows]
        counts = st.stats()
    if as_json:
        _emit_json({"store": url, "outlets_rated": len(rated.outlets), "ingest": report.to_dict(),
                    "stats": counts, "stories": [c.to_dict() for c in cards]})
        return
    typer.echo(f"Rated {len(rated.outlets)} outlets; read {report.read} articles: stored {report.stored}, "
               f"{report.duplicates} duplicates, {report.rejected} rejected.")
    typer.echo("Graph: " + ", ".join(f"{v} {k}" for k, v in {**counts['nodes'], **counts['relationships']}.items()))
    typer.echo(f"\nThe {len(cards)} stories with most sources:\n")
    for c in cards:
        typer.echo("\n".join(story_summary(c)))
        typer.echo(f"  newsgraph stories show {c.id} --store {url}\n")
    typer.echo(f"The store is {db.resolve()}. Try next:")
    typer.echo(f"  newsgraph stories list --store {url}")
    typer.echo(f"  newsgraph outlets list --store {url}")
    typer.echo(f"  newsgraph export articles --store {url} --out articles.jsonl")


from newsgraph.engine.cli_feeds import register as register_feeds; register_feeds(app)  # noqa: E402,E702


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
