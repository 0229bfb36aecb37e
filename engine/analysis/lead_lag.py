"""Lead and lag: which outlets report a story before which others (agenda-setting).

For every story and every pair of outlets that both covered it, the one whose
first article came earlier leads, by the difference in hours (simultaneous
first articles lead neither way). Over all stories this gives a directed
network, ``u -> v`` weighted by how often ``u`` led ``v``, with the median
lag; who reported each story first (those whose first article is the
earliest, when not every source published at the same time); and both
summed up by side.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Iterable

import networkx as nx

from engine.analysis.blindspots import side_of
from engine.analysis.preconditions import require_rows
from engine.store.base import CoverageRow


@dataclass(frozen=True)
class LeadLag:
    """The lead network, the pairs with most stories in common, first reporters and leads by side."""

    graph: nx.DiGraph = field(repr=False)
    pairs: tuple[dict[str, Any], ...]
    first_reporters: tuple[dict[str, Any], ...]
    first_by_side: dict[str, int]
    leads_by_side: dict[str, dict[str, int]]
    settings: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"settings": self.settings, "pairs": list(self.pairs), "first_reporters": list(self.first_reporters),
                "first_by_side": self.first_by_side, "leads_by_side": self.leads_by_side,
                "edges": [{"source": u, "target": v, **d} for u, v, d in sorted(self.graph.edges(data=True))]}


def lead_lag(rows: Iterable[CoverageRow], *, min_stories: int = 1, top: int = 20) -> LeadLag:
    """Who publishes first, pair by pair and overall.

    Parameters
    ----------
    rows
        Coverage rows; ``published_at`` is each outlet's first article on the story.
    min_stories
        Pairs of outlets with fewer stories in common are left out of ``pairs`` and the network.
    top
        How many pairs and first reporters to report.

    Examples
    --------
    >>> from datetime import datetime, timedelta, timezone
    >>> t = datetime(2025, 4, 1, tzinfo=timezone.utc)
    >>> rows = [CoverageRow(s, s, o, b, None, t + timedelta(hours=h), 1) for s, o, b, h in [
    ...     ("s1", "a", "left", 0), ("s1", "b", "right", 2), ("s2", "a", "left", 1), ("s2", "b", "right", 5)]]
    >>> result = lead_lag(rows)
    >>> p = result.pairs[0]
    >>> (p["leader"], p["follower"], p["leads"], p["lags"], p["median_lag_hours"])
    ('a', 'b', 2, 0, 3.0)
    """
    rows = require_rows(rows, "lead-lag")
    by_story: dict[str, dict[str, Any]] = defaultdict(dict)
    side = {}
    for r in rows:
        by_story[r.story_id][r.outlet_id] = r.published_at
        side[r.outlet_id] = side_of(r.bias) or "unrated"
    lags: dict[tuple[str, str], list[float]] = defaultdict(list)
    shared: Counter = Counter()
    first: Counter = Counter()
    for story, times in by_story.items():
        earliest = min(times.values())
        if len(times) > 1 and max(times.values()) > earliest:  # all at once: nobody was first
            first.update(o for o, t in times.items() if t == earliest)
        for a, b in combinations(sorted(times), 2):
            shared[(a, b)] += 1
            hours = (times[b] - times[a]).total_seconds() / 3600
            if hours > 0:
                lags[(a, b)].append(hours)
            elif hours < 0:
                lags[(b, a)].append(-hours)
    G = nx.DiGraph()
    G.add_nodes_from((o, {"side": s}) for o, s in side.items())
    pairs = []
    leads_by_side = {s: Counter() for s in ("left", "center", "right", "unrated")}
    for (a, b), n in shared.items():
        if n < min_stories:
            continue
        ab, ba = lags.get((a, b), []), lags.get((b, a), [])
        for u, v, ls in ((a, b, ab), (b, a, ba)):
            if ls:
                G.add_edge(u, v, weight=len(ls), median_lag_hours=statistics.median(ls))
                leads_by_side[side[u]][side[v]] += len(ls)
        leader, follower, lead, lag = (a, b, ab, ba) if len(ab) >= len(ba) else (b, a, ba, ab)
        pairs.append({"leader": leader, "follower": follower, "shared_stories": n, "leads": len(lead),
                      "lags": len(lag), "median_lag_hours": statistics.median(lead) if lead else None})
    pairs.sort(key=lambda p: (-p["shared_stories"], -(p["leads"] - p["lags"]), p["leader"], p["follower"]))
    first_reporters = sorted(({"outlet": o, "side": side[o], "stories_first": n, "stories": sum(
        1 for t in by_story.values() if o in t)} for o, n in first.items()),
        key=lambda d: (-d["stories_first"], d["outlet"]))
    first_by_side = Counter({s: 0 for s in ("left", "center", "right", "unrated")})
    for o, n in first.items():
        first_by_side[side[o]] += n
    return LeadLag(G, tuple(pairs[:top]), tuple(first_reporters[:top]), dict(first_by_side),
                   {s: dict(c) for s, c in leads_by_side.items()}, {"min_stories": min_stories, "top": top})
