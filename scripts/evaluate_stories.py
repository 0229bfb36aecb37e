"""Score newsgraph's story clustering on labelled articles.

Usage: python scripts/evaluate_stories.py FILE... --gold FIELD [--json] [--threshold X] [--window-hours H]

Prints pairwise and BCubed precision, recall and F1 and the cluster counts.
Example (the demo data carries AllSides' roundup id as its gold label):

    python scripts/evaluate_stories.py engine/data/demo/roundups.jsonl.gz --gold roundup_id
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from engine.config import get_settings
from engine.evaluation import evaluate_stories


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("paths", nargs="+")
    p.add_argument("--gold", required=True, help="field holding the gold story label")
    p.add_argument("--threshold", type=float, default=None)
    p.add_argument("--window-hours", type=float, default=None)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    settings = get_settings(story_threshold=args.threshold, story_window_hours=args.window_hours)
    ev = evaluate_stories(args.paths, args.gold, settings)
    s = ev.scores
    if args.json:
        print(json.dumps({"scores": asdict(s), "missing_gold": ev.missing_gold, "seconds": ev.seconds,
                          "threshold": settings.story_threshold, "window_hours": settings.story_window_hours,
                          "ingest": {k: v for k, v in ev.ingest.to_dict().items() if k not in ("problems",
                                                                                            "duplicate_notes")}},
                         indent=2))
        return
    print(f"articles scored {s.n_items} (no gold label: {ev.missing_gold}); "
          f"threshold {settings.story_threshold}, window {settings.story_window_hours} h; {ev.seconds:.1f} s")
    print(f"clusters: predicted {s.n_pred_clusters}, gold {s.n_gold_clusters}")
    print(f"pairwise  P {s.pairwise_precision:.3f}  R {s.pairwise_recall:.3f}  F1 {s.pairwise_f1:.3f}")
    print(f"BCubed    P {s.bcubed_precision:.3f}  R {s.bcubed_recall:.3f}  F1 {s.bcubed_f1:.3f}")


if __name__ == "__main__":
    main()
