"""Entity framing: which entities left-rated and right-rated outlets mention more, in the same stories.

Only stories covered by both a left and a right outlet count, so that the
comparison is within the same news events and not between agendas. For each
entity, ``y_left``/``y_right`` are the numbers of left/right articles that
mention it; the log-odds ratio with an informative Dirichlet prior (Monroe,
Colaresi & Quinn 2008, "Fightin' Words") and its z-score say which side
mentions it more than the other, shrinking rare entities towards zero. The
prior's pseudo-counts are ``prior`` times each entity's share of all mentions
(all sides). Positive z: the left mentions it more.

An entity-level blindspot is an entity mentioned in at least ``min_articles``
left or right articles of which one side's share, after dividing each side's
count by that side's number of articles, is at least ``one_sided_share``.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from typing import Any, Iterable

from newsgraph.engine.analysis.preconditions import require_rows
from newsgraph.engine.errors import NotEnoughData
from newsgraph.engine.models import SIDES, side_of
from newsgraph.engine.store.base import MentionRow


@dataclass(frozen=True)
class EntityFraming:
    """Entities by log-odds z-score (left-leaning first), the one-sided entities, and what was compared."""

    entities: tuple[dict[str, Any], ...]
    one_sided: tuple[dict[str, Any], ...]
    stories: int
    articles: dict[str, int]
    settings: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def log_odds_z(y_a: float, n_a: float, y_b: float, n_b: float, alpha_w: float, alpha_0: float) -> tuple[float, float]:
    """Monroe et al.'s log-odds ratio of a word in corpus a vs b, with Dirichlet prior, and its z-score.

    >>> d, z = log_odds_z(10, 100, 10, 100, 1, 10)
    >>> d, z
    (0.0, 0.0)
    """
    delta = math.log((y_a + alpha_w) / (n_a + alpha_0 - y_a - alpha_w)) - math.log(
        (y_b + alpha_w) / (n_b + alpha_0 - y_b - alpha_w)
    )
    var = 1 / (y_a + alpha_w) + 1 / (y_b + alpha_w)
    return delta, delta / math.sqrt(var)


def entity_framing(
    rows: Iterable[MentionRow],
    *,
    prior: float = 100.0,
    min_articles: int = 5,
    one_sided_share: float = 0.9,
    top: int = 20,
) -> EntityFraming:
    """Which entities each side mentions more within the same stories.

    Parameters
    ----------
    rows
        Mention rows, as from ``store.mention_rows()``.
    prior
        Total pseudo-count of the informative Dirichlet prior.
    min_articles, one_sided_share
        The entity-blindspot rule (see the module docstring).
    top
        How many entities to report at each end of the ranking.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> t = datetime(2025, 4, 1, tzinfo=timezone.utc)
    >>> rows = [MentionRow(f"{b}{i}", "s1", b, b, e, e, "GPE", t)
    ...         for b, ents in [("left", ["x", "y"]), ("right", ["x", "z"])] for i in range(6) for e in ents]
    >>> f = entity_framing(rows, prior=10)
    >>> [e["id"] for e in f.entities], [(e["id"], e["side"]) for e in f.one_sided]
    (['y', 'x', 'z'], [('y', 'left'), ('z', 'right')])
    """
    rows = require_rows(rows, "entity-framing")
    story_sides: dict[str, set] = defaultdict(set)
    for r in rows:
        s = side_of(r.bias)
        if s in SIDES:
            story_sides[r.story_id].add(s)
    both = {s for s, sides in story_sides.items() if {"left", "right"} <= sides}
    if not both:
        raise NotEnoughData("entity-framing needs stories covered by both left and right outlets; none match")
    names: dict[str, tuple[str, str]] = {}
    mentioned: dict[str, Counter] = {"left": Counter(), "right": Counter(), "all": Counter()}
    articles: dict[str, set] = {"left": set(), "right": set(), "center": set()}
    for r in {(r.article_id, r.entity_id, r.bias, r.story_id, r.entity_name, r.entity_type) for r in rows}:
        article, entity, bias, story, name, etype = r
        if story not in both:
            continue
        names[entity] = (name, etype)
        mentioned["all"][entity] += 1
        s = side_of(bias)
        if s in SIDES:
            articles[s].add(article)
        if s in ("left", "right"):
            mentioned[s][entity] += 1
    if len(names) < 2:
        # one entity is all either side mentions: there is nothing to mention it more than
        raise NotEnoughData(f"entity-framing compares entities with each other; the stories covered by both sides "
                            f"mention {len(names)}")
    n_left, n_right = sum(mentioned["left"].values()), sum(mentioned["right"].values())
    total = sum(mentioned["all"].values())
    out = []
    for e in sorted(names):
        y_l, y_r = mentioned["left"][e], mentioned["right"][e]
        a_w = prior * mentioned["all"][e] / total
        delta, z = log_odds_z(y_l, n_left, y_r, n_right, a_w, prior)
        out.append({"id": e, "name": names[e][0], "type": names[e][1], "left_articles": y_l, "right_articles": y_r,
                    "log_odds": delta, "z": z})
    out.sort(key=lambda d: (-d["z"], d["id"]))
    ranked = out if len(out) <= 2 * top else out[:top] + out[-top:]
    art_l, art_r = len(articles["left"]), len(articles["right"])
    one_sided = []
    for d in out:
        if d["left_articles"] + d["right_articles"] < min_articles or not (art_l and art_r):
            continue
        rate_l, rate_r = d["left_articles"] / art_l, d["right_articles"] / art_r
        share_l = rate_l / (rate_l + rate_r)
        if max(share_l, 1 - share_l) >= one_sided_share:
            one_sided.append({"id": d["id"], "name": d["name"], "side": "left" if share_l > 0.5 else "right",
                              "share": max(share_l, 1 - share_l), "left_articles": d["left_articles"],
                              "right_articles": d["right_articles"]})
    one_sided.sort(key=lambda d: (-d["share"], -(d["left_articles"] + d["right_articles"]), d["id"]))
    settings = {"prior": prior, "min_articles": min_articles, "one_sided_share": one_sided_share, "top": top}
    return EntityFraming(tuple(ranked), tuple(one_sided), len(both),
                         {s: len(a) for s, a in articles.items()}, settings)
