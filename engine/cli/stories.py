"""``newsgraph stories list|show``: stories, one news event each, and their cards."""

from __future__ import annotations

from typing import Optional

import typer

from newsgraph.engine.cli.common import JsonOpt, StoreOpt, emit_json, store_session

app = typer.Typer(name="stories", help="Stories: one news event, many articles.", no_args_is_help=True)


@app.command("list")
def stories_list(
    limit: int = typer.Option(20, "--limit", min=1),
    offset: int = typer.Option(0, "--offset", min=0),
    store: Optional[str] = StoreOpt,
    as_json: bool = JsonOpt,
):
    """List stories, most sources first."""
    with store_session(store) as (st, _):
        rows, count = st.search_stories(limit=limit, offset=offset)
        if as_json:
            emit_json({"data": rows, "count": count})
            return
        for r in rows:
            typer.echo(f"{r['id']}  {r['source_count']:>3} sources {r['article_count']:>3} articles  "
                       f"{r['first_published']:%Y-%m-%d}  {r['title']}")
        typer.echo(f"({len(rows)} of {count})")


@app.command("show")
def stories_show(
    story_id: str,
    originals: Optional[bool] = typer.Option(
        None, "--originals/--all-sources",
        help="Count only outlets with an original report in the bias bar (wire copies left out). "
             "[env var: NEWSGRAPH_COUNT_ORIGINALS]"),
    store: Optional[str] = StoreOpt,
    as_json: bool = JsonOpt,
):
    """Show a story card: key points with their sources, the sides' headlines, then counts, bias bar,
    factuality, ownership, first reporter, entities, articles, wire copies and related stories."""
    from newsgraph.engine.analysis import story_card
    from newsgraph.engine.render import story_card_text
    from newsgraph.engine.story_sections import story_sections

    with store_session(store) as (st, settings):
        rows = st.story_rows(story_id)
        card = story_card(rows, sections=story_sections(st, rows, settings),
                          originals=settings.count_originals if originals is None else originals)
        if as_json:
            emit_json(card.to_dict())
        else:
            typer.echo(story_card_text(card))


@app.command("summarize")
def stories_summarize(
    story_ids: Optional[list[str]] = typer.Argument(None, help="Stories to summarize (default: --all)."),
    all_stories: bool = typer.Option(False, "--all", help="Every story in the store."),
    force: bool = typer.Option(False, "--force", help="Compute again even where the stored sections are current."),
    store: Optional[str] = StoreOpt,
    as_json: bool = JsonOpt,
):
    """Compute and store the key points and sides of stories that lack them or whose stored ones are stale
    (a store written by an older version, or by an ingest that was stopped); ingest does this for the
    stories it changes and outlets import for the stories whose outlets' bias changed, so this is rarely
    needed."""
    from newsgraph.engine.cli.common import EXIT_USAGE, fail, progress
    from newsgraph.engine.story_sections import summarize_stories

    if bool(story_ids) == all_stories:
        fail("name the stories to summarize or give --all (not both)", EXIT_USAGE)
    with store_session(store) as (st, _):
        ids = list(story_ids) if story_ids else [r["id"] for r in st.iter_nodes("Story")]
        with progress("summarizing", not as_json, total=len(ids)) as tick:
            report = summarize_stories(st, ids, force=force, on_progress=tick)
        if as_json:
            emit_json({"stories": len(ids), **report.to_dict()})
            return
        typer.echo(f"{len(ids)} stories: {report.computed} summarized, {report.up_to_date} already up to date"
                   + (f", {report.missing} not in the store" if report.missing else "")
                   + (f", {len(report.failed)} failed" if report.failed else ""))
        for line in report.failed:
            typer.echo(f"  failed: {line}")
