"""``newsgraph demo``: the shipped AllSides roundups in a fresh embedded store, and their best-covered stories."""

from __future__ import annotations

from pathlib import Path

import typer

from newsgraph.engine.cli.common import JsonOpt, emit_json, store_session
from newsgraph.engine.cli.ingest import run_ingest
from newsgraph.engine.cli.outlets import run_outlet_import

app = typer.Typer()


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
    with store_session(url) as (st, settings):
        rated = run_outlet_import(st, settings, str(outlets), "csv")
        report = run_ingest(st, settings, [str(articles)], "auto", None, not as_json)
        rows, _ = st.search_stories(limit=top)
        cards = [story_card(st.story_rows(r["id"])) for r in rows]
        counts = st.stats()
    if as_json:
        emit_json({"store": url, "outlets_rated": len(rated.outlets), "ingest": report.to_dict(),
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
