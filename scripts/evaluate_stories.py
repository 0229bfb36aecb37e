"""Score newsgraph's story clustering on labelled articles.

Usage: python scripts/evaluate_stories.py FILE... --gold FIELD [--json] [--headline-only]
       [--threshold X] [--window-hours H] [--jitter-days N --seed S] [--compress K] [--runs K]
       [--spread-days D] [--day-only-share X]

The same as ``newsgraph evaluate stories``: prints pairwise and BCubed
precision, recall and F1 and the cluster counts. Example (the demo data
carries AllSides' roundup id as its gold label):

    python scripts/evaluate_stories.py engine/data/demo/roundups.jsonl.gz --gold roundup_id
"""

from __future__ import annotations

import argparse
import json

from newsgraph.engine.config import get_settings
from newsgraph.engine.evaluation import evaluate_stories


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("paths", nargs="+")
    p.add_argument("--gold", required=True, help="field holding the gold story label")
    p.add_argument("--headline-only", action="store_true", help="drop lead and text before ingesting")
    p.add_argument("--threshold", type=float, default=None)
    p.add_argument("--window-hours", type=float, default=None)
    p.add_argument("--jitter-days", type=float, default=0.0, help="move dates by a seeded random 0..N days")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--compress", type=float, default=1.0, help="compress the timeline K-fold")
    p.add_argument("--spread-days", type=float, default=0.0, help="give each gold story its own slot, D days apart")
    p.add_argument("--day-only-share", type=float, default=0.5, help="share of jittered dates left day-only")
    p.add_argument("--runs", type=int, default=1, help="ingest in K consecutive runs")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    settings = get_settings(story_threshold=args.threshold, story_window_hours=args.window_hours)
    ev = evaluate_stories(args.paths, args.gold, settings, headline_only=args.headline_only,
                          jitter_days=args.jitter_days, seed=args.seed, compress=args.compress, runs=args.runs,
                          spread_days=args.spread_days, day_only_share=args.day_only_share)
    if args.json:
        print(json.dumps(ev.to_dict(settings), indent=2))
        return
    print(f"threshold {settings.story_threshold}, window {settings.story_window_hours} h")
    print("\n".join(ev.summary_lines()))


if __name__ == "__main__":
    main()
