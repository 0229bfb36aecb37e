"""Model objects as the flat property rows both stores write, and read rows as model objects.

Each backend only chooses how a time is written (``to_time``) and read
(``from_time``); the rest of a row is the same everywhere, so the stores
cannot drift apart. Times as text are :func:`to_iso` (SQLite columns, exports).

>>> from_iso(to_iso(datetime.fromisoformat("2021-05-01T14:00:00+02:00")))
datetime.datetime(2021, 5, 1, 12, 0, tzinfo=datetime.timezone.utc)
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Callable, Mapping, Sequence

from newsgraph.engine.models import Bias, Entity, Factuality, Outlet, Ownership
from newsgraph.engine.store.base import ArticleRow, CoverageRow, MentionRow, StoredArticle


def to_iso(dt: datetime) -> str:
    """UTC ISO 8601 with a ``Z``, whole seconds, so text order is time order.

    >>> to_iso(datetime(2021, 5, 1, 12, 0, tzinfo=timezone.utc))
    '2021-05-01T12:00:00Z'
    """
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_iso(text: str) -> datetime:
    """The aware datetime of a :func:`to_iso` text."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def outlet_row(o: Outlet) -> dict[str, Any]:
    """An outlet's node properties; lists and maps as JSON text."""
    return {
        "id": o.id,
        "name": o.name,
        "bias": o.bias.value,
        "bias_score": None if o.bias_score is None else float(o.bias_score),
        "factuality": o.factuality.value,
        "ownership": o.ownership.value,
        "country": o.country,
        "rating_source": o.rating_source,
        "aliases": json.dumps(list(o.aliases)),
        "ratings": json.dumps(o.ratings, sort_keys=True),
    }


def entity_row(e: Entity) -> dict[str, Any]:
    """An entity's node properties."""
    return {"id": e.id, "name": e.name, "type": e.type, "aliases": json.dumps(list(e.aliases))}


def article_rows(
    articles: Sequence[StoredArticle], to_time: Callable[[datetime], Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[tuple[str, str]]]:
    """Article node rows, outlet stub rows (one per outlet) and ``(outlet_id, article_id)`` PUBLISHED pairs."""
    rows, stubs, published = [], {}, []
    for sa in articles:
        a = sa.article
        rows.append(
            {
                "id": a.id,
                "url": a.url,
                "title": a.title,
                "lead": a.lead,
                "text": a.text,
                "published_at": to_time(a.published_at),
                "language": a.language,
                "word_count": a.word_count,
                "outlet_name": a.outlet_name,
                "title_key": sa.title_key,
                "content_hash": sa.content_hash,
                "extra": json.dumps(a.extra, sort_keys=True, ensure_ascii=False),
            }
        )
        if a.outlet_id:
            stubs.setdefault(a.outlet_id, {"id": a.outlet_id, "name": a.outlet_name})
            published.append((a.outlet_id, a.id))
    return rows, list(stubs.values()), published


# -- read rows as model objects ----------------------------------------------


def outlet_from_row(r: Mapping[str, Any]) -> Outlet:
    """An outlet from its node properties; a missing rating reads as unrated.

    >>> outlet_from_row({"id": "bbc.co.uk", "aliases": '["BBC"]'})
    Outlet(id='bbc.co.uk', name=None, bias=<Bias.UNRATED: 'unrated'>, bias_score=None, \
factuality=<Factuality.UNRATED: 'unrated'>, ownership=<Ownership.UNKNOWN: 'unknown'>, country=None, \
rating_source=None, aliases=('BBC',), ratings={})
    """
    return Outlet(
        id=r["id"],
        name=r.get("name"),
        bias=Bias(r.get("bias") or "unrated"),
        bias_score=r.get("bias_score"),
        factuality=Factuality(r.get("factuality") or "unrated"),
        ownership=Ownership(r.get("ownership") or "unknown"),
        country=r.get("country"),
        rating_source=r.get("rating_source"),
        aliases=tuple(json.loads(r.get("aliases") or "[]")),
        ratings=json.loads(r.get("ratings") or "{}"),
    )


def story_dict(r: Mapping[str, Any], from_time: Callable[[Any], datetime]) -> dict[str, Any]:
    """A story row with its first and last publication times read as datetimes."""
    d = dict(r)
    for k in ("first_published", "last_published"):
        if d.get(k):
            d[k] = from_time(d[k])
    return d


def export_row(
    a: Mapping[str, Any], *, published_at: str | None, outlet_id: str | None, story_id: str | None,
    entity_ids: Sequence[str],
) -> dict[str, Any]:
    """An article as ``newsgraph export`` writes it: its properties ``a``, its outlet, story and entities.

    The source's own fields (``extra``) come last, as they were read.
    """
    return {
        "id": a["id"],
        "url": a.get("url"),
        "title": a.get("title"),
        "lead": a.get("lead"),
        "outlet": outlet_id,
        "outlet_name": a.get("outlet_name"),
        "published_at": published_at,
        "language": a.get("language"),
        "story_id": story_id,
        "entities": list(entity_ids),
        **(json.loads(a["extra"]) if a.get("extra") else {}),
    }


def coverage_row_from(r: Mapping[str, Any], from_time: Callable[[Any], datetime]) -> CoverageRow:
    """A ``COVERED`` edge with its outlet's rating, from the coverage query's columns."""
    return CoverageRow(
        story_id=r["story_id"], story_title=r["story_title"] or "", outlet_id=r["outlet_id"],
        bias=r["bias"], bias_score=None if r["bias_score"] is None else float(r["bias_score"]),
        published_at=from_time(r["published_at"]), articles=r["articles"],
    )


def article_row_from(r: Mapping[str, Any], from_time: Callable[[Any], datetime]) -> ArticleRow:
    """An article of a story with its outlet's rating, from the article query's columns."""
    return ArticleRow(
        article_id=r["article_id"], story_id=r["story_id"], outlet_id=r["outlet_id"], bias=r["bias"],
        published_at=from_time(r["published_at"]),
    )


def mention_row_from(r: Mapping[str, Any], from_time: Callable[[Any], datetime]) -> MentionRow:
    """A ``MENTIONS`` edge of a story's article, from the mention query's columns."""
    return MentionRow(
        article_id=r["article_id"], story_id=r["story_id"], outlet_id=r["outlet_id"], bias=r["bias"],
        entity_id=r["entity_id"], entity_name=r["entity_name"] or "", entity_type=r["entity_type"] or "",
        published_at=from_time(r["published_at"]),
    )


def entity_cap(stories: int, max_entity_stories: int, max_entity_share: float, min_common: int) -> int:
    """The most stories an entity may be about and still relate stories: ``max_entity_share`` of all
    ``stories`` (but at least ``min_common``), never above ``max_entity_stories``.

    >>> entity_cap(506, 500, 0.1, 5), entity_cap(12, 500, 0.1, 5), entity_cap(10**6, 500, 0.1, 5)
    (50, 5, 500)
    """
    return min(max_entity_stories, max(min_common, int(max_entity_share * stories)))


def summary_rows(rows: Sequence[Mapping[str, Any]], to_time: Callable[[datetime], Any]) -> list[dict[str, Any]]:
    """Story summary rows as a store writes them: sections as JSON text, ``computed_at`` now when not given.

    >>> summary_rows([{"id": "s1", "fingerprint": "f", "sections": {"key_points": []},
    ...                "computed_at": datetime(2025, 4, 1, tzinfo=timezone.utc)}], str)[0]["sections"]
    '{"key_points": []}'
    """
    now = datetime.now(timezone.utc)
    return [{"id": r["id"], "fingerprint": r["fingerprint"],
             "sections": json.dumps(r["sections"], ensure_ascii=False),
             "computed_at": to_time(r.get("computed_at") or now)} for r in rows]
