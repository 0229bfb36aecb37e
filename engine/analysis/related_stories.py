"""Related stories: the other stories that share a story's most distinctive entities, near it in time.

An entity is distinctive when few stories are about it: each shared entity
counts its inverse story frequency, ``log(N / n)`` for ``N`` stories of which
``n`` are about it, times the smaller of its weights (the share of each
story's articles mentioning it). Entities that more than ``max_share`` of all
stories are about ("United States") link nothing, once more than ``min_common``
stories are about them (in a small store every entity is in a large share).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping


@dataclass(frozen=True)
class RelatedStory:
    """Another story, its score and the shared entities (most distinctive first)."""

    id: str
    title: str
    first_published: datetime | None
    source_count: int
    score: float
    shared_entities: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        # built field by field: dataclasses.asdict deep-copies every value, a story page's related
        # stories included, which cost more than reading them
        return {
            "id": self.id,
            "title": self.title,
            "first_published": self.first_published.isoformat() if self.first_published else None,
            "source_count": self.source_count,
            "score": self.score,
            "shared_entities": [dict(e) for e in self.shared_entities],
        }


def related_stories(
    rows: Mapping[str, Any], *, limit: int = 5, max_share: float = 0.1, min_common: int = 5, min_score: float = 0.0,
    entities: int = 3,
) -> tuple[RelatedStory, ...]:
    """Rank the stories of a store's ``related_story_rows`` result by the distinctive entities they share.

    Parameters
    ----------
    rows
        ``{stories, rows}`` as ``store.related_story_rows(story_id)`` returns it.
    limit
        How many stories to return.
    max_share, min_common
        Entities more than this share of all stories are about do not count, when more than ``min_common``
        stories are about them.
    min_score
        Stories scoring no more than this are left out.
    entities
        How many shared entities each related story names.

    Examples
    --------
    >>> r = lambda s, e, n: dict(story_id=s, title=s.upper(), first_published=None, source_count=3, entity_id=e,
    ...                          entity_name=e, weight=0.5, other_weight=1.0, entity_stories=n)
    >>> out = related_stories({"stories": 100, "rows": [r("b", "gpe:us", 20), r("c", "person:powell", 2),
    ...                        r("b", "org:nato", 5), r("c", "org:nato", 5)]})
    >>> [(s.id, [e["id"] for e in s.shared_entities]) for s in out]
    [('c', ['person:powell', 'org:nato']), ('b', ['org:nato'])]
    """
    n = max(1, int(rows.get("stories") or 0))
    by_story: dict[str, dict[str, Any]] = {}
    for r in rows.get("rows", ()):
        df = int(r["entity_stories"] or 1)
        if df > max(max_share * n, min_common):
            continue
        idf = math.log(n / df)
        weight = idf * min(float(r["weight"] or 0.0), float(r["other_weight"] or 0.0))
        s = by_story.setdefault(r["story_id"], {"title": r["title"], "first_published": r["first_published"],
                                                "source_count": r["source_count"] or 0, "score": 0.0, "shared": []})
        s["score"] += weight
        s["shared"].append((weight, r["entity_id"], r["entity_name"]))
    ranked = sorted(by_story.items(), key=lambda kv: (-kv[1]["score"], kv[0]))
    out = []
    for sid, s in ranked:
        if s["score"] <= min_score:
            continue
        shared = sorted(s["shared"], key=lambda t: (-t[0], t[1]))[:entities]
        out.append(RelatedStory(sid, s["title"] or "", s["first_published"], int(s["source_count"]),
                                round(s["score"], 6), tuple({"id": e, "name": name} for _, e, name in shared)))
        if len(out) == limit:
            break
    return tuple(out)
