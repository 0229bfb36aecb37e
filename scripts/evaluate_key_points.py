"""Score story key points against AllSides' editorial summaries with ROUGE, next to two baselines.

Usage: python scripts/evaluate_key_points.py DATA/allsides-roundups/roundups.jsonl
       [--reference event|all] [--split all|dev|test] [--seed S] [--json]

DATA is the data directory holding the AllSides roundups. For each event with
a center article it prints the mean ROUGE-1/2/L F1 of the key points, of the
center article's first three sentences and of three random sentences of the
event (seeded), and whether the key points beat both baselines on all three.
``dev`` are the events with an even id (the ones the defaults were chosen on),
``test`` those with an odd id.
"""

from __future__ import annotations

import argparse
import json

from newsgraph.engine.key_point_evaluation import METRICS, evaluate_key_points, roundup_events

SPLITS = {"all": lambda e: True, "dev": lambda e: e["id"] % 2 == 0, "test": lambda e: e["id"] % 2 == 1}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("path", help="roundups.jsonl")
    p.add_argument("--reference", choices=("event", "all"), default="event",
                   help="the summary's first paragraph (the event), or all its paragraphs")
    p.add_argument("--split", choices=tuple(SPLITS), default="all")
    p.add_argument("--seed", type=int, default=0, help="seed of the random-sentences baseline")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    table = evaluate_key_points(roundup_events(args.path), reference=args.reference, seed=args.seed,
                                keep=SPLITS[args.split])
    if args.json:
        print(json.dumps({"events": table.events, "reference": table.reference, "split": args.split,
                          "scores": table.scores, "beats_baselines": table.beats_baselines(),
                          "metrics": list(METRICS)}, indent=2))
        return
    print(f"split {args.split}, seed {args.seed}")
    print("\n".join(table.lines()))
    print("key points above both baselines on all three:", "yes" if table.beats_baselines() else "no")


if __name__ == "__main__":
    main()
