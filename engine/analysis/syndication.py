"""Syndication: outlets that mostly republish other outlets' articles, and whose articles they take.

Wire copies are ``COPY_OF`` edges (see ``engine/stories/copies.py``): a copy
points at the earliest article with its text. An outlet's *copy share* is the
share of its articles that are copies; outlets with at least ``min_articles``
articles and a copy share of at least ``min_share`` are the ones that mostly
republish (aggregators, wire-fed sites). Each is listed with its top sources:
the outlets of the originals it copied, most copied first.

:func:`original_coverage` turns coverage rows into coverage by original
reports only, for the bias bar and the blindspot rule.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, replace
from typing import Any, Iterable

from newsgraph.engine.analysis.preconditions import require_rows
from newsgraph.engine.store.base import ArticleRow, CopyRow, CoverageRow


@dataclass(frozen=True)
class OutletSyndication:
    """One outlet's articles, how many are copies, and whose articles it copied."""

    outlet_id: str
    articles: int
    copies: int
    copy_share: float
    top_sources: list[dict[str, Any]]
    copied_by: int
    "How many of this outlet's own articles other outlets copied."


@dataclass(frozen=True)
class Syndication:
    """Outlets that mostly republish (``republishers``), and the most copied sources."""

    republishers: tuple[OutletSyndication, ...]
    most_copied: tuple[dict[str, Any], ...]
    articles: int
    copies: int
    settings: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"articles": self.articles, "copies": self.copies, "settings": self.settings,
                "republishers": [asdict(o) for o in self.republishers], "most_copied": list(self.most_copied)}


def syndication(articles: Iterable[ArticleRow], copies: Iterable[CopyRow], *, min_articles: int = 5,
                min_share: float = 0.5, top: int = 20, top_sources: int = 5) -> Syndication:
    """The outlets whose articles are mostly copies, with their top sources.

    Parameters
    ----------
    articles
        Article rows (``store.article_rows()``): each outlet's article count.
    copies
        Copy rows (``store.copy_rows()``).
    min_articles, min_share
        An outlet is listed with at least ``min_articles`` articles of which at least ``min_share`` are copies.
    top, top_sources
        How many outlets to list, and how many sources for each.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> t = datetime(2025, 4, 1, tzinfo=timezone.utc)
    >>> arts = [ArticleRow(f"w{i}", "s", "wire.com", "center", t) for i in range(4)]
    >>> arts += [ArticleRow(f"r{i}", "s", "reprints.com", "right", t) for i in range(4)]
    >>> cps = [CopyRow(f"r{i}", "reprints.com", f"w{i}", "wire.com", 0.97, t) for i in range(3)]
    >>> result = syndication(arts, cps, min_articles=2)
    >>> [(o.outlet_id, o.copy_share, o.top_sources) for o in result.republishers]
    [('reprints.com', 0.75, [{'outlet_id': 'wire.com', 'copies': 3}])]
    >>> result.most_copied[0]
    {'outlet_id': 'wire.com', 'copied': 3, 'by_outlets': 1}
    """
    counts = Counter(r.outlet_id for r in require_rows(articles, "syndication") if r.outlet_id)
    copies = list(copies)
    copied = Counter(c.outlet_id for c in copies if c.outlet_id)
    sources: dict[str, Counter] = defaultdict(Counter)
    copiers: dict[str, set] = defaultdict(set)
    taken = Counter()
    for c in copies:
        if c.outlet_id and c.original_outlet_id:
            sources[c.outlet_id][c.original_outlet_id] += 1
            copiers[c.original_outlet_id].add(c.outlet_id)
            taken[c.original_outlet_id] += 1
    outlets = []
    for outlet, n in counts.items():
        k = copied.get(outlet, 0)
        share = k / n if n else 0.0
        if n >= min_articles and k and share >= min_share - 1e-12:
            tops = [{"outlet_id": o, "copies": m}
                    for o, m in sorted(sources[outlet].items(), key=lambda kv: (-kv[1], kv[0]))[:top_sources]]
            outlets.append(OutletSyndication(outlet, n, k, share, tops, taken.get(outlet, 0)))
    outlets.sort(key=lambda o: (-o.copy_share, -o.copies, o.outlet_id))
    most = [{"outlet_id": o, "copied": m, "by_outlets": len(copiers[o])}
            for o, m in sorted(taken.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    settings = {"min_articles": min_articles, "min_share": min_share, "top": top}
    return Syndication(tuple(outlets[:top]), tuple(most), sum(counts.values()), len(copies), settings)


def original_coverage(coverage: Iterable[CoverageRow], articles: Iterable[ArticleRow],
                      copies: Iterable[CopyRow]) -> list[CoverageRow]:
    """Coverage by original reports only: an outlet whose every article in a story is a copy does not cover it.

    The rows kept count their outlet's original articles in the story, and start at the first of them.

    >>> from datetime import datetime, timezone
    >>> t = datetime(2025, 4, 1, tzinfo=timezone.utc)
    >>> cov = [CoverageRow("s", "S", "wire.com", "center", 0, t, 1), CoverageRow("s", "S", "copy.com", "right", 2, t, 1)]
    >>> arts = [ArticleRow("a", "s", "wire.com", "center", t), ArticleRow("b", "s", "copy.com", "right", t)]
    >>> [r.outlet_id for r in original_coverage(cov, arts, [CopyRow("b", "copy.com", "a", "wire.com", 1.0, t)])]
    ['wire.com']
    """
    copy_ids = {c.article_id for c in copies}
    originals: dict[tuple[str, str], list] = defaultdict(list)
    for a in articles:
        if a.article_id not in copy_ids and a.outlet_id:
            originals[(a.story_id, a.outlet_id)].append(a.published_at)
    out = []
    for r in coverage:
        own = originals.get((r.story_id, r.outlet_id))
        if own:
            out.append(replace(r, articles=len(own), published_at=min(own)) if len(own) != r.articles else r)
    return out
