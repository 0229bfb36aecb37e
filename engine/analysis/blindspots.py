"""Blindspots: stories that one side of the spectrum barely covers.

Ground News flags "blindspots" without publishing its rule; newsgraph states
its rule and reports each part of it per story. Counts are over rated sources
(distinct outlets), rolled up to left / center / right. A story is a
blindspot for its weaker side (the one of left and right with fewer sources)
when all four hold:

1. it has at least ``min_rated_sources`` rated sources;
2. the weaker side's share of them is at most ``max_weak_share``;
3. the left-right gap (difference of the two shares) is at least ``min_gap``;
4. a one-sided binomial test says the weaker side's count is lower than that
   side's share of all rated coverage in the same rows would give
   (``P(X <= k) < alpha`` for ``X ~ Binomial(rated sources, baseline share)``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cached_property
from typing import Any, Iterable

import numpy as np
from scipy.stats import binom

from newsgraph.engine.analysis.preconditions import require_rows
from newsgraph.engine.models import SIDES, side_of
from newsgraph.engine.store.base import CoverageRow


@dataclass(frozen=True)
class StoryBalance:
    """One story's left/center/right coverage and the parts of the blindspot rule."""

    story_id: str
    title: str
    sources: int
    rated_sources: int
    side_counts: dict[str, int]
    side_shares: dict[str, float]
    weaker_side: str
    gap: float
    p_value: float
    checks: dict[str, bool]

    @property
    def is_blindspot(self) -> bool:
        """True when every part of the rule holds."""
        return all(self.checks.values())


@dataclass(frozen=True)
class Blindspots:
    """Every story's balance, blindspots first and strongest first, and the corpus baseline."""

    stories: tuple[StoryBalance, ...]
    baseline: dict[str, float]
    settings: dict[str, float]

    @cached_property
    def blindspots(self) -> tuple[StoryBalance, ...]:
        """Only the stories flagged as blindspots, strongest first."""
        return tuple(s for s in self.stories if s.is_blindspot)

    def blindspot(self, story_id: str) -> StoryBalance | None:
        """The story's balance if it is a blindspot, else ``None``: one lookup, not a pass over every story
        (a story page asks this of a result kept for the whole store)."""
        return self._blindspot_by_id.get(story_id)

    @cached_property
    def _blindspot_by_id(self) -> dict[str, StoryBalance]:
        by_id: dict[str, StoryBalance] = {}
        for s in self.blindspots:
            by_id.setdefault(s.story_id, s)
        return by_id

    def to_dict(self) -> dict[str, Any]:
        return {
            "baseline": self.baseline,
            "settings": self.settings,
            "blindspot_count": len(self.blindspots),
            "stories": [{**asdict(s), "is_blindspot": s.is_blindspot} for s in self.stories],
        }


def blindspots(
    rows: Iterable[CoverageRow],
    *,
    min_rated_sources: int = 6,
    max_weak_share: float = 0.2,
    min_gap: float = 0.3,
    alpha: float = 0.05,
) -> Blindspots:
    """Each story's coverage balance and whether it is a blindspot.

    Parameters
    ----------
    rows
        Coverage rows (one per outlet and story), as from ``store.coverage_rows()``.
    min_rated_sources, max_weak_share, min_gap, alpha
        The four parts of the rule (see the module docstring).

    Returns
    -------
    Blindspots
        Stories sorted blindspots first, then by gap (largest first), then by p-value.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> t = datetime(2025, 4, 1, tzinfo=timezone.utc)
    >>> def cov(story, outlet, bias):
    ...     return CoverageRow(story, story, outlet, bias, None, t, 1)
    >>> rows = [cov("s1", f"r{i}", "right") for i in range(6)] + [cov("s1", "c0", "center")]
    >>> rows += [cov("s2", f"l{i}", "left") for i in range(8)] + [cov("s2", f"r{i}", "right") for i in range(4)]
    >>> result = blindspots(rows)
    >>> [(s.story_id, s.weaker_side, s.is_blindspot) for s in result.stories]
    [('s1', 'left', True), ('s2', 'right', False)]
    """
    rows = require_rows(rows, "blindspots")
    by_story: dict[str, dict[str, str]] = {}
    titles: dict[str, str] = {}
    for r in rows:
        by_story.setdefault(r.story_id, {})[r.outlet_id] = side_of(r.bias)
        titles[r.story_id] = r.story_title
    stories = []
    for story_id, outlets in by_story.items():
        counts = dict.fromkeys(SIDES, 0)  # a plain dict: a Counter per story costs more than the counting
        for side in outlets.values():
            if side in counts:
                counts[side] += 1
        stories.append((story_id, len(outlets), counts))
    totals = {s: sum(c[s] for _, _, c in stories) for s in SIDES}
    rated_total = sum(totals.values())
    baseline = {s: (totals[s] / rated_total if rated_total else 0.0) for s in SIDES}
    # one vectorised binomial test for all stories: a per-story call is slow on big corpora
    weak_side = ["left" if c["left"] <= c["right"] else "right" for _, _, c in stories]
    k = np.array([c[w] for (_, _, c), w in zip(stories, weak_side)])
    n = np.array([sum(c.values()) for _, _, c in stories])
    p_side = np.array([baseline[w] for w in weak_side])
    p_values = np.where(n > 0, binom.cdf(k, n, p_side), 1.0)

    out = []
    for (story_id, sources, counts), weaker, p in zip(stories, weak_side, p_values.tolist()):
        rated = sum(counts.values())
        shares = {s: (counts[s] / rated if rated else 0.0) for s in SIDES}
        gap = abs(shares["left"] - shares["right"])
        checks = {
            "min_rated_sources": rated >= min_rated_sources,
            "weak_share": rated > 0 and shares[weaker] <= max_weak_share + 1e-12,
            "gap": gap >= min_gap - 1e-12,
            "significant": p < alpha,
        }
        out.append(StoryBalance(story_id, titles[story_id], sources, rated, dict(counts), shares, weaker,
                                gap, float(p), checks))
    out.sort(key=lambda s: (not s.is_blindspot, -s.gap, s.p_value, s.story_id))
    settings = {"min_rated_sources": min_rated_sources, "max_weak_share": max_weak_share, "min_gap": min_gap,
                "alpha": alpha}
    return Blindspots(tuple(out), baseline, settings)
