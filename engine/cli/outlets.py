"""``newsgraph outlets import|list|show``: outlets and their ratings."""

from __future__ import annotations

from typing import Optional

import typer

from newsgraph.engine.cli.common import EXIT_REJECTED, JsonOpt, StoreOpt, emit_json, store_session

app = typer.Typer(name="outlets", help="Outlets and their ratings.", no_args_is_help=True)


def run_outlet_import(store, settings, path: str, scheme: str):
    """Read the ratings file ``path`` (rater ``scheme``) and merge it onto ``store``'s outlets."""
    from newsgraph.engine.ratings import import_ratings, read_ratings

    result = import_ratings(read_ratings(path, scheme), store.get_outlets(), settings.rating_order)
    store.upsert_outlets(result.outlets)
    return result


def stories_of_rerated(store, before: dict, outlets) -> set[str]:
    """The stories covered by ``outlets`` whose bias differs from ``before`` (outlet id -> bias): the stories
    whose stored sides were computed from the old ratings."""
    changed = [o.id for o in outlets if o.id in before and before[o.id] != o.bias]
    return {row.story_id for oid in changed for row in store.coverage_rows(outlet=oid)}


@app.command("import")
def outlets_import(
    path: str = typer.Argument(..., help="A ratings file."),
    scheme: str = typer.Option(..., "--scheme", help="allsides|mbfc|adfontes|csv"),
    summarize: bool = typer.Option(True, "--summarize/--no-summarize",
                                   help="Compute again the key points and sides of the stories whose outlets' "
                                        "bias changed."),
    store: Optional[str] = StoreOpt,
    as_json: bool = JsonOpt,
):
    """Import outlet ratings (AllSides, MBFC, Ad Fontes or the generic CSV) onto outlets.

    The stored key points and sides of the stories whose outlets' bias changed are computed again, so
    their pages show the new sides without computing them on every read."""
    from newsgraph.engine.cli.common import progress
    from newsgraph.engine.story_sections import summarize_stories

    with store_session(store) as (st, settings):
        before = {o.id: o.bias for o in st.get_outlets()}
        result = run_outlet_import(st, settings, path, scheme)
        stale = sorted(stories_of_rerated(st, before, result.outlets)) if summarize else []
        with progress("summarizing", not as_json and len(stale) > 200, total=len(stale)) as tick:
            summary = summarize_stories(st, stale, on_progress=tick)
        if as_json:
            emit_json({"outlets": len(result.outlets), "matched": result.matched,
                       "unmatched": result.unmatched, "skipped": result.skipped,
                       "rejected": [e.location_text() for e in result.errors],
                       "stories_summarized": summary.computed})
        else:
            for e in result.errors:
                typer.echo(f"rejected {e.location_text()}", err=True)
            typer.echo(f"{len(result.outlets)} outlets updated; {result.matched} ratings matched, "
                       f"{len(result.unmatched)} unmatched, {len(result.skipped)} skipped (people, opinion "
                       f"sections, repeats), {len(result.errors)} rejected")
            if result.unmatched:
                typer.echo("unmatched: " + "; ".join(result.unmatched[:30])
                           + (" ..." if len(result.unmatched) > 30 else ""))
            if summary.computed:
                typer.echo(f"{summary.computed} stories' key points and sides computed again: their outlets' "
                           "bias changed")
            elif not summarize:
                typer.echo("the stories' stored key points and sides were left as they were: "
                           "newsgraph stories summarize --all brings them up to date")
        if result.errors:
            raise typer.Exit(EXIT_REJECTED)


@app.command("list")
def outlets_list(
    limit: int = typer.Option(50, "--limit", min=1),
    offset: int = typer.Option(0, "--offset", min=0),
    store: Optional[str] = StoreOpt,
    as_json: bool = JsonOpt,
):
    """List outlets with their ratings, most articles first."""
    with store_session(store) as (st, _):
        rows, count = st.list_outlets(limit=limit, offset=offset)
        if as_json:
            emit_json({"data": rows, "count": count})
            return
        for r in rows:
            typer.echo(f"{r['id']:<28} {r['bias']:<10} {r['factuality']:<14} {r['articles']:>5} articles "
                       f"{r['stories']:>5} stories  {r['name'] or ''}")
        typer.echo(f"({len(rows)} of {count})")


@app.command("show")
def outlets_show(outlet_id: str, store: Optional[str] = StoreOpt, as_json: bool = JsonOpt):
    """Show one outlet: ratings by rater, articles and stories covered."""
    with store_session(store) as (st, _):
        prof = st.outlet_profile(outlet_id)
        data = {**prof["outlet"].to_dict(), "articles": prof["articles"], "stories": prof["stories"]}
        if as_json:
            emit_json(data)
            return
        o = prof["outlet"]
        typer.echo(f"{o.id}  {o.name or ''}")
        typer.echo(f"  bias {o.bias.value} (score {o.bias_score}), factuality {o.factuality.value}, "
                   f"ownership {o.ownership.value}, country {o.country or '?'}, source {o.rating_source or '-'}")
        for rater, r in sorted(o.ratings.items()):
            typer.echo(f"  {rater}: " + ", ".join(f"{k}={v}" for k, v in r.items() if v is not None))
        typer.echo(f"  {prof['articles']} articles, {prof['stories']} stories")
