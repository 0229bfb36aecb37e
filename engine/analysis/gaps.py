"""Coverage gaps: widely covered stories that one outlet did not cover.

For one outlet, the stories with at least ``min_sources`` sources that it did
not cover, each with its left/center/right source counts and the side that
covered it most; and how many of the outlet's gaps lean each way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any, Iterable

from newsgraph.engine.analysis.preconditions import require_rows
from newsgraph.engine.errors import NotFound
from newsgraph.engine.models import SIDES, side_of
from newsgraph.engine.store.base import CoverageRow


@dataclass(frozen=True)
class Gap:
    """A story the outlet missed."""

    story_id: str
    title: str
    sources: int
    side_counts: dict[str, int]
    leaning: str | None


@dataclass(frozen=True)
class Gaps:
    """One outlet's missed stories, most sources first, and their count by leaning."""

    outlet: str
    covered: int
    eligible: int
    stories: tuple[Gap, ...]
    by_leaning: dict[str, int]
    min_sources: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def gaps(rows: Iterable[CoverageRow], outlet: str, *, min_sources: int = 3) -> Gaps:
    """Stories with at least ``min_sources`` sources that ``outlet`` did not cover.

    A story's leaning is the side with most rated sources (``None`` on a tie
    or with none rated).

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> t = datetime(2025, 4, 1, tzinfo=timezone.utc)
    >>> rows = [CoverageRow(s, s, o, b, None, t, 1) for s, o, b in [
    ...     ("s1", "me", "left"), ("s1", "r1", "right"), ("s1", "r2", "right"),
    ...     ("s2", "r1", "right"), ("s2", "r2", "right"), ("s2", "c1", "center")]]
    >>> g = gaps(rows, "me")
    >>> [(x.story_id, x.leaning) for x in g.stories], g.by_leaning["right"]
    ([('s2', 'right')], 1)
    """
    rows = require_rows(rows, "gaps")
    by_story: dict[str, dict[str, str]] = {}
    titles = {}
    for r in rows:
        by_story.setdefault(r.story_id, {})[r.outlet_id] = side_of(r.bias)
        titles[r.story_id] = r.story_title
    if not any(outlet in outlets for outlets in by_story.values()):
        raise NotFound("outlet with coverage in these rows", outlet)
    missed, eligible = [], 0
    for story_id, outlets in by_story.items():
        if len(outlets) < min_sources:
            continue
        eligible += 1
        if outlet in outlets:
            continue
        counts = Counter({s: 0 for s in SIDES})
        counts.update(s for s in outlets.values() if s in SIDES)
        ranked = counts.most_common()
        leaning = ranked[0][0] if ranked[0][1] and ranked[0][1] > ranked[1][1] else None
        missed.append(Gap(story_id, titles[story_id], len(outlets), dict(counts), leaning))
    missed.sort(key=lambda g: (-g.sources, g.story_id))
    by_leaning = Counter({s: 0 for s in (*SIDES, "none")})
    by_leaning.update(g.leaning or "none" for g in missed)
    covered = sum(1 for outlets in by_story.values() if outlet in outlets)
    return Gaps(outlet, covered, eligible, tuple(missed), dict(by_leaning), min_sources)
