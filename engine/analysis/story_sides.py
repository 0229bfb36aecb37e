"""How each side tells a story: its most central headline, the words it uses more, the points only it makes.

For each side (left, center, right) of a story's rated outlets:

- the headline of its most central article: the one whose text (headline,
  lead, body) is most like the whole story's (TF-IDF cosine to the centroid);
- the terms and entities it uses more than the other sides of the same story:
  the weighted log-odds ratio with an informative Dirichlet prior (Monroe,
  Colaresi & Quinn 2008), the side's counts against the other sides' pooled,
  the prior being ``prior`` pseudo-counts spread as the story's own word
  frequencies; a term is listed when its z-score reaches ``min_z``. A side
  with fewer than ``min_words`` words (or the others together) is not
  compared: too few words to say, and the result says so;
- the key points only that side's outlets carry (when another side covers
  the story too).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from newsgraph.engine.analysis.entity_framing import log_odds_z
from newsgraph.engine.analysis.key_points import KeyPoints
from newsgraph.engine.analysis.sentences import tfidf_matrix, words
from newsgraph.engine.models import SIDES, side_of


@dataclass(frozen=True)
class SideView:
    """One side's telling of a story; ``distinctive_terms`` is empty and ``note`` says why when not compared."""

    side: str
    articles: int
    words: int
    headline: str | None
    article_id: str | None
    outlet: str | None
    distinctive_terms: tuple[dict[str, Any], ...]
    only_here: tuple[str, ...]
    "Key points carried only by this side's outlets."
    note: str | None


@dataclass(frozen=True)
class StorySides:
    """The story's sides, left, center and right (a side without articles has ``articles == 0``)."""

    sides: dict[str, SideView]
    settings: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {s: asdict(v) for s, v in self.sides.items()}


def _full_text(a: Mapping[str, Any]) -> str:
    return " ".join(p for p in (a.get("title"), a.get("lead"), a.get("text")) if p)


def _entity_counts(text: str, patterns: Sequence[tuple[str, re.Pattern]]) -> Counter:
    c: Counter[str] = Counter()
    for name, pat in patterns:
        n = len(pat.findall(text))
        if n:
            c[name] += n
    return c


def _distinct(counts: dict[str, Counter], side: str, prior: float, min_z: float, top: int, kind: str
              ) -> list[dict[str, Any]]:
    mine = counts[side]
    others = Counter()
    for s, c in counts.items():
        if s != side:
            others.update(c)
    pooled = mine + others
    total = sum(pooled.values())
    n_mine, n_other = sum(mine.values()), sum(others.values())
    if len(pooled) < 2 or not n_mine or not n_other:  # one word, or one side silent: no odds to compare
        return []
    out = []
    for w in pooled:
        a_w = prior * pooled[w] / total
        delta, z = log_odds_z(mine[w], n_mine, others[w], n_other, a_w, prior)
        if z >= min_z and mine[w] >= 2:
            out.append({"term": w, "kind": kind, "count": mine[w], "others": others[w],
                        "log_odds": round(delta, 4), "z": round(z, 3)})
    out.sort(key=lambda d: (-d["z"], d["term"]))
    return out[:top]


def story_sides(
    articles: Sequence[Mapping[str, Any]],
    key_points: KeyPoints | None = None,
    entities: Sequence[Mapping[str, Any]] = (),
    *,
    prior: float = 100.0,
    min_words: int = 150,
    min_z: float = 1.96,
    top: int = 8,
) -> StorySides:
    """Each side's headline, distinctive terms and entities, and its own key points.

    ``articles`` are rows as for :func:`~newsgraph.engine.analysis.key_points.key_points`; ``entities``
    the story's entities (``{id, name}``), counted where their names occur in each side's text.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> t = datetime(2021, 5, 1, tzinfo=timezone.utc)
    >>> arts = [dict(id="l", title="Tax cut for the rich", text="tax cut rich wealthy " * 60, bias="left",
    ...              outlet_id="l.com", published_at=t),
    ...         dict(id="r", title="Tax cut for families", text="tax cut families jobs " * 60, bias="right",
    ...              outlet_id="r.com", published_at=t)]
    >>> sides = story_sides(arts).sides
    >>> sides["left"].headline, [d["term"] for d in sides["left"].distinctive_terms]
    ('Tax cut for the rich', ['rich', 'wealthy'])
    >>> sides["center"].articles, sides["center"].note
    (0, 'no center-rated outlet covers this story')
    """
    by_side: dict[str, list[Mapping[str, Any]]] = {s: [] for s in SIDES}
    for a in articles:
        s = side_of(a.get("bias") or "unrated")
        if s in by_side:
            by_side[s].append(a)
    texts = [_full_text(a) for a in articles]
    vecs = tfidf_matrix([words(t) for t in texts]) if texts else np.zeros((0, 1))
    centroid = vecs.sum(axis=0) if len(texts) else None
    index = {id(a): i for i, a in enumerate(articles)}
    patterns = [(e["name"], re.compile(r"(?<!\w)" + re.escape(e["name"]) + r"(?!\w)", re.IGNORECASE))
                for e in entities if e.get("name") and len(e["name"]) > 2]
    term_counts = {s: Counter(w for a in arts for w in words(_full_text(a))) for s, arts in by_side.items()}
    entity_counts = {s: _entity_counts(" ".join(_full_text(a) for a in arts), patterns) for s, arts in by_side.items()}
    covered = {s for s, arts in by_side.items() if arts}
    views = {}
    for side, arts in by_side.items():
        n_words = sum(term_counts[side].values())
        if not arts:
            views[side] = SideView(side, 0, 0, None, None, None, (), (), f"no {side}-rated outlet covers this story")
            continue
        central = max(arts, key=lambda a: (float(vecs[index[id(a)]] @ centroid), -index[id(a)]))
        other_words = sum(sum(term_counts[s].values()) for s in SIDES if s != side)
        note = None
        distinct: list[dict[str, Any]] = []
        if len(covered) < 2:
            note = f"only {side}-rated outlets cover this story: nothing to compare with"
        elif n_words < min_words or other_words < min_words:
            few = side if n_words < min_words else "the other sides"
            note = (f"too few words to compare ({few}: {n_words if few == side else other_words}; "
                    f"at least {min_words} needed)")
        else:
            named = _distinct(entity_counts, side, prior, min_z, top, "entity")
            seen = {d["term"].lower() for d in named}
            distinct = (named + [d for d in _distinct(term_counts, side, prior, min_z, top, "term")
                                 if d["term"] not in seen])[:top]
            if not distinct:
                note = f"no term or entity stands out (none reaches z {min_z:g})"
        only = ()
        if key_points is not None and len(covered) >= 2:
            only = tuple(p.text for p in key_points.points if {s for s in p.sides if s in SIDES} == {side})
        views[side] = SideView(side, len(arts), n_words, central.get("title"), central["id"],
                               central.get("outlet_name") or central.get("outlet_id"), tuple(distinct), only, note)
    return StorySides(views, {"prior": prior, "min_words": min_words, "min_z": min_z, "top": top})
