"""Model objects as the flat property rows both stores write.

Each backend only chooses how a time is written (``to_time``); the rest of a
row is the same everywhere, so the stores cannot drift apart.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Callable, Sequence

from newsgraph.engine.models import Entity, Outlet
from newsgraph.engine.store.base import StoredArticle


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
