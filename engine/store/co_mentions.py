"""Co-mention counts kept at ingest: how many articles and stories mention both entities of a pair.

Both stores keep one ``CO_MENTIONED {articles, stories}`` relationship per pair
of entities (from the smaller id to the larger) and change it by deltas:

- ``articles``: when an article gains mentions, every pair among its entities
  that involves a new one counts one more article. A mention already stored
  adds nothing, so writing the same mentions again changes nothing.
- ``stories``: when a story's ``ABOUT`` set changes (refreshed from its
  articles), the pairs it gained count one more story and the pairs it lost one
  less; an article moved to another story moves its pairs with it.

A pair whose counts both reach zero is deleted. :func:`pair_counts` counts
them all afresh, for a store built before the counts were kept.

>>> sorted(article_deltas({"a1": {"x"}}, {"a1": {"x", "y"}, "a2": {"x", "z"}}).items())
[(('x', 'y'), 1), (('x', 'z'), 1)]
>>> sorted(story_deltas({"s1": {"x", "y"}}, {"s1": {"x", "z"}}).items())
[(('x', 'y'), -1), (('x', 'z'), 1)]
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Iterator, Mapping

import numpy as np
from scipy import sparse


def _pairs_with(entities: set[str], new: set[str]) -> Iterable[tuple[str, str]]:
    """The pairs (smaller id first) among ``entities`` with at least one end in ``new`` (a subset of them).

    Made from the new ends outwards, so a story that gains one entity costs its size, not its size squared.
    """
    for x in new:
        for y in entities:
            if y != x and (y not in new or x < y):
                yield (x, y) if x < y else (y, x)


def article_deltas(stored: Mapping[str, set[str]], given: Mapping[str, Iterable[str]]) -> Counter:
    """Articles to add per pair when ``given`` mentions (article -> entities) are written over ``stored`` ones."""
    out: Counter = Counter()
    for article, entities in given.items():
        before = stored.get(article, set())
        new = set(entities) - before
        if new:
            out.update(_pairs_with(before | new, new))
    return out


def story_deltas(before: Mapping[str, set[str]], after: Mapping[str, set[str]]) -> Counter:
    """Stories to add (or, negative, remove) per pair when stories' entity sets go from ``before`` to ``after``."""
    out: Counter = Counter()
    for story in before.keys() | after.keys():
        old, new = before.get(story, set()), after.get(story, set())
        if old == new:
            continue
        out.update(_pairs_with(new, new - old))
        out.subtract(_pairs_with(old, old - new))
    return Counter({pair: n for pair, n in out.items() if n})


def delta_rows(articles: Counter, stories: Counter) -> list[dict]:
    """``{start_id, end_id, articles, stories}`` rows of both deltas, in pair order (writers lock in one order)."""
    return [{"start_id": a, "end_id": b, "articles": articles.get((a, b), 0), "stories": stories.get((a, b), 0)}
            for a, b in sorted(articles.keys() | stories.keys())]


def _counts(unit_entity: Iterable[tuple[str, str]], code: dict[str, int]) -> sparse.coo_matrix:
    """Upper triangle of the entity x entity matrix of units in common (units x entities, squared)."""
    units: dict[str, int] = {}
    rows, cols = [], []
    for unit, entity in unit_entity:
        rows.append(units.setdefault(unit, len(units)))
        cols.append(code[entity])
    if not rows:
        return sparse.coo_matrix((len(code), len(code)), dtype=np.int64)
    key = np.unique(np.asarray(rows, dtype=np.int64) * len(code) + np.asarray(cols, dtype=np.int64))
    B = sparse.csr_matrix((np.ones(len(key), dtype=np.int64), (key // len(code), key % len(code))),
                          shape=(len(units), len(code)))
    return sparse.triu(B.T @ B, k=1).tocoo()


def pair_counts(article_entity: Iterable[tuple[str, str]], story_entity: Iterable[tuple[str, str]]) -> Iterator[dict]:
    """Every pair's ``{start_id, end_id, articles, stories}`` from (article, entity) and (story, entity) rows.

    >>> list(pair_counts([("a1", "x"), ("a1", "y"), ("a2", "x"), ("a2", "y")], [("s1", "x"), ("s1", "y"), ("s1", "z")]))
    [{'start_id': 'x', 'end_id': 'y', 'articles': 2, 'stories': 1}, \
{'start_id': 'x', 'end_id': 'z', 'articles': 0, 'stories': 1}, \
{'start_id': 'y', 'end_id': 'z', 'articles': 0, 'stories': 1}]
    """
    article_entity, story_entity = list(article_entity), list(story_entity)
    ids = sorted({e for _, e in article_entity} | {e for _, e in story_entity})
    code = {e: i for i, e in enumerate(ids)}
    by_article, by_story = _counts(article_entity, code), _counts(story_entity, code)
    n = np.int64(len(ids))
    keys = [m.row.astype(np.int64) * n + m.col.astype(np.int64) for m in (by_article, by_story)]
    every = np.union1d(keys[0], keys[1])
    counts = []
    for key, m in zip(keys, (by_article, by_story)):
        at = np.zeros(len(every), dtype=np.int64)
        at[np.searchsorted(every, key)] = m.data
        counts.append(at.tolist())
    return ({"start_id": ids[k // len(ids)], "end_id": ids[k % len(ids)], "articles": a, "stories": s}
            for k, a, s in zip(every.tolist(), counts[0], counts[1]))
