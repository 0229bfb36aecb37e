"""``newsgraph evaluate``: score story clustering on the user's own labelled articles."""

from __future__ import annotations

from typing import List, Optional

import typer

from newsgraph.engine.cli.common import EXIT_USAGE, JsonOpt, emit_json, fail

app = typer.Typer(name="evaluate", help="Score newsgraph against labelled data.", no_args_is_help=True)


@app.command("stories")
def evaluate_stories_cmd(
    paths: List[str] = typer.Argument(..., help="Labelled input files (.jsonl, .csv, optionally .gz)."),
    gold: str = typer.Option(..., "--gold", help="Input field holding each article's true story label."),
    headline_only: bool = typer.Option(False, "--headline-only",
                                       help="Drop lead and text first: score what titles alone give."),
    threshold: Optional[float] = typer.Option(None, "--threshold", envvar="NEWSGRAPH_STORY_THRESHOLD",
                                              help="Story similarity threshold (0-1)."),
    window_hours: Optional[float] = typer.Option(None, "--window-hours", envvar="NEWSGRAPH_STORY_WINDOW_HOURS",
                                                 help="Story time window in hours."),
    jitter_days: float = typer.Option(0.0, "--jitter-days", min=0.0,
                                      help="Move each date later by a seeded random 0..N days, half of them "
                                           "left day-only (a multi-day proxy); 0: dates as given."),
    seed: int = typer.Option(0, "--seed", help="Seed of --jitter-days."),
    compress: float = typer.Option(1.0, "--compress", min=0.0,
                                   help="Compress the timeline K-fold (a denser-feed proxy); 1: as given."),
    spread_days: float = typer.Option(0.0, "--spread-days", min=0.0,
                                      help="Give each gold story a time slot of its own, N days after the "
                                           "previous one's (a sparse-stream proxy); 0: dates as given."),
    day_only_share: float = typer.Option(0.5, "--day-only-share", min=0.0, max=1.0,
                                         help="Share (0-1) of articles --jitter-days leaves with a day-only date."),
    runs: int = typer.Option(1, "--runs", min=1,
                             help="Ingest in K consecutive runs and count articles placed differently "
                                  "from one run."),
    format: str = typer.Option("auto", "--format", help="auto|jsonl|csv"),
    map: Optional[str] = typer.Option(None, "--map", help="CSV column mapping: title=TITLE,url=URL,..."),
    as_json: bool = JsonOpt,
):
    """Ingest FILES into a temporary store; print pairwise and BCubed precision, recall, F1 and cluster counts."""
    from newsgraph.engine.config import get_settings
    from newsgraph.engine.errors import NewsgraphError
    from newsgraph.engine.evaluation import evaluate_stories
    from newsgraph.engine.ingest import parse_mapping

    try:
        settings = get_settings(story_threshold=threshold, story_window_hours=window_hours)
        mapping = parse_mapping(map) if map else None
        ev = evaluate_stories(paths, gold, settings, format=format, mapping=mapping, headline_only=headline_only,
                              jitter_days=jitter_days, seed=seed, compress=compress, runs=runs,
                              spread_days=spread_days, day_only_share=day_only_share)
    except (NewsgraphError, ValueError) as e:
        fail(str(e), EXIT_USAGE)
    if as_json:
        emit_json(ev.to_dict(settings))
        return
    typer.echo(f"threshold {settings.story_threshold}, window {settings.story_window_hours} h, "
               f"idf prior {settings.story_idf_prior}, busy rate {settings.story_busy_rate} articles a day, "
               f"NER reads {settings.nlp_max_chars} characters of text")
    for line in ev.summary_lines():
        typer.echo(line)

