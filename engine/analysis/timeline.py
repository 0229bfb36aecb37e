"""Timeline: articles per day by side, for a story, an entity or the whole corpus.

Which articles count is decided by the rows given (the store's filters
select a story's, an entity's stories' or every article); ``story`` narrows
them to one story. Days without articles between the first and the last are
listed with zeros, so the series can be plotted as it is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any, Iterable

from newsgraph.engine.analysis.preconditions import require_rows
from newsgraph.engine.models import SIDES, UNRATED_SIDE, side_of
from newsgraph.engine.store.base import ArticleRow

COLUMNS = (*SIDES, UNRATED_SIDE)


@dataclass(frozen=True)
class Timeline:
    """One row per day (UTC): articles by side and in total."""

    days: tuple[dict[str, Any], ...]
    totals: dict[str, int]
    story: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def timeline(rows: Iterable[ArticleRow], *, story: str | None = None) -> Timeline:
    """Count articles per UTC day and side.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> t = datetime(2025, 4, 1, 9, tzinfo=timezone.utc)
    >>> rows = [ArticleRow("a1", "s1", "x", "left", t), ArticleRow("a2", "s1", "y", "right", t + timedelta(days=2))]
    >>> [(d["day"], d["left"], d["right"], d["total"]) for d in timeline(rows).days]
    [('2025-04-01', 1, 0, 1), ('2025-04-02', 0, 0, 0), ('2025-04-03', 0, 1, 1)]
    """
    rows = [r for r in require_rows(rows, "timeline") if story is None or r.story_id == story]
    require_rows(rows, f"timeline of story {story}")
    counts: dict[date, Counter] = {}
    for r in {r.article_id: r for r in rows}.values():
        counts.setdefault(r.published_at.date(), Counter())[side_of(r.bias)] += 1
    first, last = min(counts), max(counts)
    days = []
    for i in range((last - first).days + 1):
        day = first + timedelta(days=i)
        c = counts.get(day, Counter())
        days.append({"day": day.isoformat(), **{k: c[k] for k in COLUMNS}, "total": sum(c.values())})
    totals = {k: sum(d[k] for d in days) for k in (*COLUMNS, "total")}
    return Timeline(tuple(days), totals, story)
