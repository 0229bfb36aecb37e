"""Raters compared: each story's left/center/right shares under each rater's bias ratings.

Where several raters are imported (AllSides, Media Bias/Fact Check, Ad
Fontes, ...), each outlet keeps each rater's verdict. A story's majority
side (the side with most rated sources, ``None`` on a tie) can differ
between raters; those stories are listed as flips.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Iterable, Sequence

import numpy as np

from newsgraph.engine.analysis.preconditions import require_rows
from newsgraph.engine.models import SIDES, Outlet, side_of
from newsgraph.engine.store.base import CoverageRow


@dataclass(frozen=True)
class RaterComparison:
    """Per story and rater: side counts and majority; the stories whose majority flips."""

    raters: tuple[str, ...]
    stories: tuple[dict[str, Any], ...]
    flips: tuple[dict[str, Any], ...]
    rated_outlets: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def raters(rows: Iterable[CoverageRow], outlets: Sequence[Outlet]) -> RaterComparison:
    """Compare each story's bias mix under every rater found on ``outlets``.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> t = datetime(2025, 4, 1, tzinfo=timezone.utc)
    >>> outs = [Outlet("a", ratings={"allsides": {"bias": "left"}, "mbfc": {"bias": "center"}}),
    ...         Outlet("b", ratings={"allsides": {"bias": "center"}, "mbfc": {"bias": "center"}}),
    ...         Outlet("c", ratings={"allsides": {"bias": "left"}, "mbfc": {"bias": "right"}})]
    >>> rows = [CoverageRow("s1", "S", o, "unrated", None, t, 1) for o in "abc"]
    >>> result = raters(rows, outs)
    >>> result.flips[0]["majority"]
    {'allsides': 'left', 'mbfc': 'center'}
    """
    rows = require_rows(rows, "raters")
    verdicts: dict[str, dict[str, str]] = {}
    for o in outlets:
        for rater, fields in o.ratings.items():
            s = side_of(fields.get("bias"))
            if s in SIDES:
                verdicts.setdefault(rater, {})[o.id] = s
    names = tuple(sorted(verdicts))
    titles: dict[str, str] = {}
    pairs = set()
    for r in rows:
        pairs.add((r.story_id, r.outlet_id))
        titles[r.story_id] = r.story_title
    story_ids = sorted(titles)
    # side counts of every story under every rater as one bincount each, not a Counter per story
    story_code = {sid: i for i, sid in enumerate(story_ids)}
    outlet_ids = sorted({o for _, o in pairs})
    outlet_code = {o: i for i, o in enumerate(outlet_ids)}
    st = np.fromiter((story_code[sid] for sid, _ in pairs), dtype=np.int64, count=len(pairs))
    ot = np.fromiter((outlet_code[o] for _, o in pairs), dtype=np.int64, count=len(pairs))
    side_code = {side: i for i, side in enumerate(SIDES)}
    counts = {}
    for rater in names:
        side = np.array([side_code.get(verdicts[rater].get(o), -1) for o in outlet_ids], dtype=np.int64)[ot]
        rated = side >= 0
        counts[rater] = np.bincount(st[rated] * len(SIDES) + side[rated],
                                    minlength=len(story_ids) * len(SIDES)).reshape(-1, len(SIDES)).tolist()
    stories, flips = [], []
    for i, story_id in enumerate(story_ids):
        per = {}
        majority = {}
        for rater in names:
            row = counts[rater][i]
            rated = sum(row)
            top = max(row)
            majority[rater] = SIDES[row.index(top)] if rated and row.count(top) == 1 else None
            per[rater] = {"counts": dict(zip(SIDES, row)),
                          "shares": {s: c / rated if rated else 0.0 for s, c in zip(SIDES, row)}}
        entry = {"story_id": story_id, "title": titles[story_id], "by_rater": per, "majority": majority}
        stories.append(entry)
        if len({m for m in majority.values() if m is not None}) > 1:
            flips.append(entry)
    return RaterComparison(names, tuple(stories), tuple(flips), {r: len(v) for r, v in verdicts.items()})
