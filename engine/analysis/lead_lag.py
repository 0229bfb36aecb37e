"""Lead and lag: which outlets report a story before which others (agenda-setting).

For every story and every pair of outlets that both covered it, the one whose
first article came earlier leads, by the difference in hours (simultaneous
first articles lead neither way). Over all stories this gives a directed
network, ``u -> v`` weighted by how often ``u`` led ``v``, with the median
lag; who reported each story first (those whose first article is the
earliest, when not every source published at the same time); and both
summed up by side. Pairs are made per story with numpy, so the cost grows
with the co-coverage pairs, and only the reported pairs become dicts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable

import networkx as nx
import numpy as np

from newsgraph.engine.analysis.preconditions import require_rows
from newsgraph.engine.models import SIDES, UNRATED_SIDE, side_of
from newsgraph.engine.store.base import CoverageRow

SIDE_NAMES = (*SIDES, UNRATED_SIDE)
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_NAIVE_EPOCH = datetime(1970, 1, 1)
_MICROSECOND = timedelta(microseconds=1)


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
        side[r.outlet_id] = side_of(r.bias)
    names = sorted(side)
    code = {o: i for i, o in enumerate(names)}
    story, outlet, micros = _coverage_arrays(by_story, code)
    first, covered = _first_reporters(story, outlet, micros, len(names))
    pair = _pairs(story, outlet, micros, len(names))
    G = nx.DiGraph()
    G.add_nodes_from((o, {"side": s}) for o, s in side.items())
    keep = pair["shared"] >= min_stories
    G.add_edges_from(
        (names[u], names[v], {"weight": n, "median_lag_hours": med})
        for a, b, ab, ba, mab, mba in zip(*(pair[k][keep].tolist() for k in ("a", "b", "ab", "ba", "med_ab", "med_ba")))
        for u, v, n, med in ((a, b, ab, mab), (b, a, ba, mba)) if n
    )
    leads_by_side = _leads_by_side(pair, keep, [side[o] for o in names])
    top_pairs = _top_pairs(pair, keep, top)
    pairs = tuple({"leader": names[lead], "follower": names[follow], "shared_stories": n, "leads": leads,
                   "lags": lags, "median_lag_hours": med if leads else None}
                  for lead, follow, n, leads, lags, med in top_pairs)
    first_reporters = sorted(({"outlet": names[o], "side": side[names[o]], "stories_first": int(first[o]),
                               "stories": int(covered[o])} for o in np.flatnonzero(first).tolist()),
                             key=lambda d: (-d["stories_first"], d["outlet"]))
    first_by_side = Counter({s: 0 for s in SIDE_NAMES})
    for o in np.flatnonzero(first).tolist():
        first_by_side[side[names[o]]] += int(first[o])
    return LeadLag(G, pairs, tuple(first_reporters[:top]), dict(first_by_side), leads_by_side,
                   {"min_stories": min_stories, "top": top})


def _coverage_arrays(by_story: dict[str, dict[str, datetime]], code: dict[str, int]
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Story rank (order of first appearance), outlet code and first-article time in microseconds,
    sorted by story, then outlet."""
    story, outlet, micros = [], [], []
    for rank, times in enumerate(by_story.values()):
        for o, t in times.items():
            story.append(rank)
            outlet.append(code[o])
            micros.append((t - (_NAIVE_EPOCH if t.tzinfo is None else _EPOCH)) // _MICROSECOND)
    story_a, outlet_a = np.array(story, dtype=np.int64), np.array(outlet, dtype=np.int64)
    order = np.lexsort((outlet_a, story_a))
    return story_a[order], outlet_a[order], np.array(micros, dtype=np.int64)[order]


def _first_reporters(story: np.ndarray, outlet: np.ndarray, micros: np.ndarray, n: int
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Per outlet: stories it reported first (not counting stories where everyone was simultaneous), stories."""
    starts = np.flatnonzero(np.r_[True, story[1:] != story[:-1]])
    size = np.diff(np.r_[starts, len(story)])
    earliest = np.repeat(np.minimum.reduceat(micros, starts), size)
    latest = np.repeat(np.maximum.reduceat(micros, starts), size)
    first = (np.repeat(size, size) > 1) & (latest > earliest) & (micros == earliest)
    return np.bincount(outlet[first], minlength=n), np.bincount(outlet, minlength=n)


def _pairs(story: np.ndarray, outlet: np.ndarray, micros: np.ndarray, n: int) -> dict[str, np.ndarray]:
    """Every pair of outlets with a story in common, in order of first appearance.

    ``a < b`` (outlet codes); ``shared`` stories; ``ab``/``ba`` how often ``a``
    led ``b`` and ``b`` led ``a``; ``med_ab``/``med_ba`` the median lags in
    hours (NaN without leads). Pairs within a story are made with numpy, so
    the cost is that of the pairs themselves.
    """
    starts = np.flatnonzero(np.r_[True, story[1:] != story[:-1]])
    end = np.repeat(np.r_[starts[1:], len(story)], np.diff(np.r_[starts, len(story)]))
    after = end - np.arange(len(story)) - 1  # partners later in the same story
    i = np.repeat(np.arange(len(story)), after)
    j = i + 1 + np.arange(len(i)) - np.repeat(np.cumsum(after) - after, after)
    a, b = outlet[i], outlet[j]
    key = a * n + b
    keys, first_seen, shared = np.unique(key, return_index=True, return_counts=True)
    order = np.argsort(first_seen, kind="stable")
    keys, shared = keys[order], shared[order]
    lag = micros[j] - micros[i]
    led = lag != 0
    directed = np.where(lag > 0, a * n + b, b * n + a)[led]
    hours = np.abs(lag[led]) / 10**6 / 3600
    by = np.lexsort((hours, directed))
    directed, hours = directed[by], hours[by]
    dkeys, dstart, dcount = np.unique(directed, return_index=True, return_counts=True)
    median = (hours[dstart + (dcount - 1) // 2] + hours[dstart + dcount // 2]) / 2 if len(hours) else hours

    def lookup(k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        at = np.minimum(np.searchsorted(dkeys, k), max(len(dkeys) - 1, 0))
        hit = (dkeys[at] == k) if len(dkeys) else np.zeros(len(k), dtype=bool)
        return (np.where(hit, dcount[at], 0) if len(dkeys) else np.zeros(len(k), dtype=np.int64),
                np.where(hit, median[at], np.nan) if len(dkeys) else np.full(len(k), np.nan))

    pa, pb = keys // n, keys % n
    ab, med_ab = lookup(pa * n + pb)
    ba, med_ba = lookup(pb * n + pa)
    return {"a": pa, "b": pb, "shared": shared, "ab": ab, "ba": ba, "med_ab": med_ab, "med_ba": med_ba}


def _leads_by_side(pair: dict[str, np.ndarray], keep: np.ndarray, sides: list[str]) -> dict[str, dict[str, int]]:
    """Leads summed from side to side, each side's targets in the order they first occur among the pairs."""
    out: dict[str, Counter] = {s: Counter() for s in SIDE_NAMES}
    a, b, ab, ba = (pair[k][keep].tolist() for k in ("a", "b", "ab", "ba"))
    for x, y, n_xy, n_yx in zip(a, b, ab, ba):
        if n_xy:
            out[sides[x]][sides[y]] += n_xy
        if n_yx:
            out[sides[y]][sides[x]] += n_yx
    return {s: dict(c) for s, c in out.items()}


def _top_pairs(pair: dict[str, np.ndarray], keep: np.ndarray, top: int) -> list[tuple]:
    """The ``top`` pairs by shared stories, then by lead margin, then by leader and follower."""
    a, b, n, ab, ba = (pair[k][keep] for k in ("a", "b", "shared", "ab", "ba"))
    med_ab, med_ba = pair["med_ab"][keep], pair["med_ba"][keep]
    forward = ab >= ba
    lead, follow = np.where(forward, a, b), np.where(forward, b, a)
    leads, lags = np.where(forward, ab, ba), np.where(forward, ba, ab)
    med = np.where(forward, med_ab, med_ba)
    order = np.lexsort((follow, lead, -(leads - lags), -n))[:top]
    return list(zip(lead[order].tolist(), follow[order].tolist(), n[order].tolist(), leads[order].tolist(),
                    lags[order].tolist(), med[order].tolist()))
