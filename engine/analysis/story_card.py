"""The story card: one story's coverage the way a story page shows it.

Counts are over sources (distinct outlets), as Ground News and AllSides
count them: "33 articles, 12 sources, 44% of the sources are Center".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Mapping

from newsgraph.engine.models import SIDES, UNRATED_SIDE, Bias, Factuality, side_of


@dataclass(frozen=True)
class StoryCard:
    """One story's coverage by bias, factuality and ownership of its sources."""

    id: str
    title: str
    first_published: datetime | None
    last_published: datetime | None
    article_count: int
    source_count: int
    bias_counts: dict[str, int]
    side_counts: dict[str, int]
    side_shares: dict[str, float]
    rated_sources: int
    unrated_sources: int
    factuality_counts: dict[str, int]
    ownership_counts: dict[str, int]
    first_reported_by: dict[str, Any] | None
    top_entities: list[dict[str, Any]]
    articles: list[dict[str, Any]]
    # the story page's summary sections (engine.story_sections): filled when the caller computed them
    key_points: list[dict[str, Any]] = field(default_factory=list)
    "Key points, in order of first appearance: ``{text, article_id, sources, sides, outlets, score}``."
    key_points_from_headlines: bool = False
    sides: dict[str, dict[str, Any]] = field(default_factory=dict)
    "Per side: the central article's headline, distinctive terms and entities, key points only it carries."
    related: list[dict[str, Any]] = field(default_factory=list)
    "Other stories sharing the most distinctive entities: ``{id, title, shared_entities, ...}``."
    sections_computed_at: str | None = None
    "When the key points and sides were computed (ISO 8601 UTC): at ingest, normally, not when shown."
    # wire copies: articles whose text is mostly an earlier one's (engine/stories/copies.py)
    original_reports: int = 0
    "Articles that are not copies of another article."
    copies: list[dict[str, Any]] = field(default_factory=list)
    "Each copy among the articles: ``article_id``, ``copy_of``, ``original_id`` (the first of a chain), ``overlap``."
    counted: str = "all sources"
    "What the bias, factuality and ownership counts count: ``all sources`` or ``original reports``."

    @property
    def headline(self) -> str:
        """The plain-language summary, e.g. ``44% of the sources are Center``."""
        if not self.rated_sources:
            return "no rated sources"
        side = max(SIDES, key=lambda s: (self.side_shares[s], s == "center"))
        return f"{round(100 * self.side_shares[side])}% of the sources are {side.capitalize()}"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["headline"] = self.headline
        for k in ("first_published", "last_published"):
            d[k] = d[k].isoformat() if d[k] else None
        if d["first_reported_by"]:
            d["first_reported_by"]["published_at"] = d["first_reported_by"]["published_at"].isoformat()
        for a in d["articles"]:
            a["published_at"] = a["published_at"].isoformat()
        return d


def _tied_with(first: Mapping[str, Any], articles: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The other sources whose article came out at the same time as the first one (ties are common:
    many feeds give minutes only), each once, in article order."""
    seen = {first.get("outlet_id")}
    out = []
    for a in articles:
        if a["published_at"] == first["published_at"] and a.get("outlet_id") not in seen:
            seen.add(a.get("outlet_id"))
            out.append({"outlet_id": a.get("outlet_id"), "outlet_name": a.get("outlet_name")})
    return out


def _copies(copy_rows, articles: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The story's copies, each with its outlet and its original (followed to the first of a chain)."""
    by_id = {a["id"]: a for a in articles}
    target = {c["article_id"]: c["copy_of"] for c in copy_rows}
    out = []
    here = [c for c in copy_rows if c["article_id"] in by_id]
    for c in sorted(here, key=lambda c: (by_id[c["article_id"]]["published_at"], c["article_id"])):
        root, seen = c["copy_of"], {c["article_id"]}
        while root in target and root not in seen:
            seen.add(root)
            root = target[root]
        a, orig = by_id[c["article_id"]], by_id.get(root)
        out.append({"article_id": c["article_id"], "copy_of": c["copy_of"], "original_id": root,
                    "overlap": c["overlap"], "outlet_id": a.get("outlet_id"), "outlet_name": a.get("outlet_name"),
                    "title": a.get("title"),
                    "original_outlet_id": orig.get("outlet_id") if orig else c.get("original_outlet_id"),
                    "original_outlet_name": orig.get("outlet_name") if orig else c.get("original_outlet_name"),
                    "original_title": orig.get("title") if orig else c.get("original_title"),
                    "original_in_story": orig is not None})
    return out


def story_card(
    rows: Mapping[str, Any], *, sections: Mapping[str, Any] | None = None, originals: bool = False,
) -> StoryCard:
    """Build a :class:`StoryCard` from a store's ``story_rows`` result.

    ``sections`` (from :func:`newsgraph.engine.story_sections.story_sections`) adds the key points, the
    sides' comparison and the related stories.

    With ``originals`` the bias, factuality and ownership counts are over the
    outlets with at least one original report in the story: an outlet that
    only reprinted another's article is left out of them. ``source_count``
    counts every outlet either way.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> t = datetime(2021, 5, 1, tzinfo=timezone.utc)
    >>> arts = [dict(id=str(i), title="t", url=None, published_at=t, outlet_id=o, outlet_name=o,
    ...              bias=b, factuality="high", ownership="unknown", similarity=1.0)
    ...         for i, (o, b) in enumerate([("a.com", "left"), ("b.com", "center"), ("c.com", "center"),
    ...                                     ("d.com", "unrated")])]
    >>> card = story_card({"story": {"id": "s1", "title": "t"}, "articles": arts, "entities": []})
    >>> card.headline, card.unrated_sources
    ('67% of the sources are Center', 1)

    All four came out at once, so the first report names the others too:

    >>> card.first_reported_by["outlet_id"], [t["outlet_id"] for t in card.first_reported_by["tied_with"]]
    ('a.com', ['b.com', 'c.com', 'd.com'])
    """
    story = rows["story"]
    articles = sorted(rows["articles"], key=lambda a: (a["published_at"], a["id"]))
    copies = _copies(rows.get("copies") or [], articles)
    copy_ids = {c["article_id"] for c in copies}
    sources: dict[str, dict[str, Any]] = {}
    for a in articles:
        key = a.get("outlet_id") or a.get("outlet_name")
        if key:
            sources.setdefault(key, a)
    all_sources = len(sources)
    if originals:
        sources = {k: a for k, a in sources.items() if any(
            (b.get("outlet_id") or b.get("outlet_name")) == k and b["id"] not in copy_ids for b in articles)}
    bias_counts = Counter({b.value: 0 for b in Bias})
    factuality_counts = Counter({f.value: 0 for f in Factuality})
    ownership_counts: Counter[str] = Counter()
    for s in sources.values():
        bias_counts[s.get("bias") or "unrated"] += 1
        factuality_counts[s.get("factuality") or "unrated"] += 1
        ownership_counts[s.get("ownership") or "unknown"] += 1
    side_counts = Counter({side: 0 for side in (*SIDES, UNRATED_SIDE)})
    for b, n in bias_counts.items():
        side_counts[side_of(b)] += n
    unrated = side_counts.pop(UNRATED_SIDE)
    rated = sum(side_counts.values())
    shares = {side: (side_counts[side] / rated if rated else 0.0) for side in SIDES}
    first = articles[0] if articles else None
    return StoryCard(
        id=story["id"],
        title=story.get("title") or "",
        first_published=story.get("first_published") or (first["published_at"] if first else None),
        last_published=story.get("last_published") or (articles[-1]["published_at"] if articles else None),
        article_count=len(articles),
        source_count=all_sources,
        bias_counts=dict(bias_counts),
        side_counts=dict(side_counts),
        side_shares=shares,
        rated_sources=rated,
        unrated_sources=unrated,
        factuality_counts=dict(factuality_counts),
        ownership_counts=dict(ownership_counts),
        first_reported_by=(
            {"outlet_id": first.get("outlet_id"), "outlet_name": first.get("outlet_name"),
             "published_at": first["published_at"], "tied_with": _tied_with(first, articles)}
            if first
            else None
        ),
        top_entities=list(rows.get("entities", [])),
        articles=[
            {k: a.get(k) for k in ("id", "title", "url", "published_at", "outlet_id", "outlet_name", "bias",
                                   "factuality")}
            for a in articles
        ],
        **(dict(sections) if sections else {}),
        original_reports=len(articles) - len(copy_ids),
        copies=copies,
        counted="original reports" if originals else "all sources",
    )
