"""The story card's summary sections: key points, how each side tells it, related stories.

Reads what the analyses need from the store and runs them
(:mod:`~newsgraph.engine.analysis.key_points`,
:mod:`~newsgraph.engine.analysis.story_sides`,
:mod:`~newsgraph.engine.analysis.related_stories`). The text analyses
depend only on the story's articles, so :func:`story_fingerprint` names
their input: a cache keyed by it (the web app's) computes them once per
change of the story, not per page view.
"""

from __future__ import annotations

import hashlib
from typing import Any, Callable, Hashable, Mapping

from newsgraph.engine.analysis.key_points import key_points
from newsgraph.engine.analysis.related_stories import related_stories
from newsgraph.engine.analysis.story_sides import story_sides
from newsgraph.engine.config import Settings
from newsgraph.engine.store.base import GraphStore


def story_fingerprint(rows: Mapping[str, Any]) -> str:
    """A digest of a story's ``story_rows``: its articles, their outlets' ratings and its entities.

    >>> from datetime import datetime, timezone
    >>> t = datetime(2021, 5, 1, tzinfo=timezone.utc)
    >>> a = {"story": {"id": "s"}, "articles": [{"id": "1", "outlet_id": "x", "bias": "left", "published_at": t}]}
    >>> story_fingerprint(a) == story_fingerprint({**a, "articles": [{**a["articles"][0], "bias": "right"}]})
    False
    """
    h = hashlib.sha256(str(rows["story"]["id"]).encode())
    for a in rows["articles"]:
        h.update(repr((a["id"], a.get("title"), a.get("outlet_id"), a.get("bias"), a["published_at"])).encode())
    for e in rows.get("entities", ()):
        h.update(repr((e.get("id"), e.get("name"))).encode())
    return h.hexdigest()[:24]


def text_sections(store: GraphStore, rows: Mapping[str, Any]) -> dict[str, Any]:
    """The key points and the sides' comparison of the story whose ``story_rows`` are ``rows``."""
    texts = store.story_texts(rows["story"]["id"])
    kp = key_points(texts) if len(texts) >= 2 else None
    sides = story_sides(texts, kp, rows.get("entities", ()))
    return {
        "key_points": [p.to_dict() for p in kp.points] if kp else [],
        "key_points_from_headlines": bool(kp and kp.from_headlines),
        "sides": sides.to_dict(),
    }


def related_section(store: GraphStore, story_id: str, settings: Settings, *, limit: int = 5) -> list[dict[str, Any]]:
    """The stories related to ``story_id`` (shared distinctive entities, within the settings' window)."""
    rows = store.related_story_rows(story_id, days=settings.related_window_days)
    return [r.to_dict() for r in related_stories(rows, limit=limit)]


def story_sections(
    store: GraphStore,
    rows: Mapping[str, Any],
    settings: Settings,
    *,
    cached: Callable[[Hashable, Callable[[], Any]], Any] | None = None,
) -> dict[str, Any]:
    """All three sections for :func:`~newsgraph.engine.analysis.story_card`'s ``sections``.

    ``cached(key, compute)`` (e.g. a ``ResultCache.get``) keeps the text sections by the story's fingerprint.
    """
    compute = lambda: text_sections(store, rows)  # noqa: E731
    text = cached(("story-sections", story_fingerprint(rows)), compute) if cached else compute()
    return {**text, "related": related_section(store, rows["story"]["id"], settings)}
