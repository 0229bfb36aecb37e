"""How well a clustering matches a gold one: pairwise and BCubed precision, recall and F1.

Both are computed from the contingency table (how many items each predicted
cluster shares with each gold cluster), in time linear in the number of
items, never by enumerating pairs.

- Pairwise: over all pairs of items, precision is the share of pairs put
  together that belong together, recall the share of pairs that belong
  together that were put together. Large clusters dominate it.
- BCubed (Bagga and Baldwin 1998; Amigó et al. 2009): per item, precision is
  the share of its predicted cluster that is in its gold cluster, recall the
  share of its gold cluster that is in its predicted cluster, averaged over
  items. Every item counts the same.

When no pair is put together (or none belongs together), pairwise precision
(or recall) is 1.0: nothing was claimed, so nothing was wrong.

>>> s = clustering_scores({"a": 1, "b": 1, "c": 2}, {"a": "x", "b": "y", "c": "y"})
>>> s.pairwise_precision, s.pairwise_recall
(0.0, 0.0)
>>> round(s.bcubed_precision, 3), round(s.bcubed_recall, 3)
(0.667, 0.667)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Hashable, Mapping


@dataclass(frozen=True)
class ClusteringScores:
    """Pairwise and BCubed precision, recall and F1 of a predicted clustering against a gold one."""

    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    n_items: int
    n_pred_clusters: int
    n_gold_clusters: int


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def clustering_scores(pred: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> ClusteringScores:
    """Score the clustering ``pred`` (item -> cluster) against ``gold`` (item -> cluster).

    Parameters
    ----------
    pred, gold : mapping
        Cluster label of every item; both must label the same items. Labels
        are only compared for equality within one mapping.

    Returns
    -------
    ClusteringScores

    Raises
    ------
    ValueError
        When the two mappings do not label the same items, or label none.

    Examples
    --------
    >>> gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    >>> clustering_scores(gold, gold).pairwise_f1
    1.0
    >>> s = clustering_scores({"a": 1, "b": 1, "c": 1, "d": 2}, gold)
    >>> round(s.pairwise_precision, 3), s.pairwise_recall, s.n_pred_clusters
    (0.333, 0.5, 2)
    """
    if pred.keys() != gold.keys():
        only_pred = len(pred.keys() - gold.keys())
        only_gold = len(gold.keys() - pred.keys())
        raise ValueError(f"pred and gold must label the same items ({only_pred} only in pred, {only_gold} only in gold)")
    n = len(gold)
    if n == 0:
        raise ValueError("no items to score")
    cells = Counter((pred[item], gold[item]) for item in gold)
    pred_sizes = Counter(pred.values())
    gold_sizes = Counter(gold.values())

    together = sum(_pairs(c) for c in cells.values())
    pred_pairs = sum(_pairs(c) for c in pred_sizes.values())
    gold_pairs = sum(_pairs(c) for c in gold_sizes.values())
    pw_p = together / pred_pairs if pred_pairs else 1.0
    pw_r = together / gold_pairs if gold_pairs else 1.0

    # each of the c items of a cell sees c of its predicted cluster's items in its gold cluster
    b3_p = sum(c * c / pred_sizes[p] for (p, _), c in cells.items()) / n
    b3_r = sum(c * c / gold_sizes[g] for (_, g), c in cells.items()) / n

    return ClusteringScores(
        pairwise_precision=pw_p,
        pairwise_recall=pw_r,
        pairwise_f1=_f1(pw_p, pw_r),
        bcubed_precision=b3_p,
        bcubed_recall=b3_r,
        bcubed_f1=_f1(b3_p, b3_r),
        n_items=n,
        n_pred_clusters=len(pred_sizes),
        n_gold_clusters=len(gold_sizes),
    )
