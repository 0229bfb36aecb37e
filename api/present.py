"""Small presentation helpers shared by the pages and the API: sides, plurals, whole percentages."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from newsgraph.engine.models import SIDES, Bias


def side_of(bias: str | None) -> str:
    """``left``/``center``/``right`` of a 5-point bias, else ``unrated``.

    >>> side_of("lean_right"), side_of(None)
    ('right', 'unrated')
    """
    try:
        return Bias(bias or "unrated").side or "unrated"
    except ValueError:
        return "unrated"


def plural(n: int, word: str) -> str:
    """``1 story``, ``2 stories``, ``3 articles``.

    >>> plural(1, "story"), plural(2, "story"), plural(0, "article")
    ('1 story', '2 stories', '0 articles')
    """
    if n == 1:
        return f"{n} {word}"
    return f"{n} {word[:-1]}ies" if word.endswith("y") else f"{n} {word}s"


def percentages(card) -> dict[str, int]:
    """Each side's share of the rated sources, in whole percent (as the API's ``side_shares`` rounds)."""
    return {s: round(100 * card.side_shares[s]) for s in SIDES}


def blindspot_reason(story, baseline: dict[str, float], rule: dict[str, float]) -> str:
    """The blindspot rule's parts in words, with one story's figures (``story`` is a ``StoryBalance``).

    >>> from newsgraph.engine.analysis import StoryBalance
    >>> s = StoryBalance("s", "S", 12, 12, {"left": 1, "center": 1, "right": 10},
    ...                  {"left": 1 / 12, "center": 1 / 12, "right": 10 / 12}, "left", 0.75, 0.009,
    ...                  {"min_rated_sources": True, "weak_share": True, "gap": True, "significant": True})
    >>> print(blindspot_reason(s, {"left": 0.45, "center": 0.2, "right": 0.35},
    ...                        {"min_rated_sources": 6, "max_weak_share": 0.2, "min_gap": 0.3, "alpha": 0.05}))
    1 of 12 rated sources is left (8%; at most 20%); the left-right gap is 75 points (at least 30); the 45% left share of all rated coverage would give 5.4, so 1 or fewer has p = 0.009 (below 0.05); 12 rated sources (at least 6).
    """
    weak = story.weaker_side
    k, n = story.side_counts[weak], story.rated_sources

    def pct(x: float) -> str:
        return f"{round(100 * x)}%"

    verb = "is" if k == 1 else "are"
    return (f"{k} of {n} rated sources {verb} {weak} ({pct(story.side_shares[weak])}; at most "
            f"{pct(rule['max_weak_share'])}); the left-right gap is {round(100 * story.gap)} points (at least "
            f"{round(100 * rule['min_gap'])}); the {pct(baseline[weak])} {weak} share of all rated coverage would "
            f"give {baseline[weak] * n:.1f}, so {k} or fewer has p = {story.p_value:.2g} "
            f"({'below' if story.p_value < rule['alpha'] else 'not below'} {rule['alpha']:g}); "
            f"{n} rated sources (at least {rule['min_rated_sources']}).")


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data: numpy scalars as numbers, NaN and infinities as ``None``, tuples and sets
    as lists, datetimes as ISO text.

    >>> import numpy as np
    >>> plain({"a": (np.float64(0.5), float("nan")), "b": {np.int64(2)}})
    {'a': [0.5, None], 'b': [2]}
    """
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(plain(v) for v in value)
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value
