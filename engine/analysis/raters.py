"""Raters compared: each story's left/center/right shares under each rater's bias ratings.

Where several raters are imported (AllSides, Media Bias/Fact Check, Ad
Fontes, ...), each outlet keeps each rater's verdict. A story's majority
side (the side with most rated sources, ``None`` on a tie) can differ
between raters; those stories are listed as flips.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any, Iterable, Sequence

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
    by_story: dict[str, set[str]] = {}
    titles = {}
    for r in rows:
        by_story.setdefault(r.story_id, set()).add(r.outlet_id)
        titles[r.story_id] = r.story_title
    stories, flips = [], []
    for story_id in sorted(by_story):
        per = {}
        majority = {}
        for rater in names:
            counts = Counter({s: 0 for s in SIDES})
            counts.update(verdicts[rater][o] for o in by_story[story_id] if o in verdicts[rater])
            rated = sum(counts.values())
            ranked = counts.most_common()
            majority[rater] = ranked[0][0] if rated and ranked[0][1] > ranked[1][1] else None
            per[rater] = {"counts": dict(counts), "shares": {s: counts[s] / rated if rated else 0.0 for s in SIDES}}
        entry = {"story_id": story_id, "title": titles[story_id], "by_rater": per, "majority": majority}
        stories.append(entry)
        if len({m for m in majority.values() if m is not None}) > 1:
            flips.append(entry)
    return RaterComparison(names, tuple(stories), tuple(flips), {r: len(v) for r, v in verdicts.items()})
