"""Pairwise and BCubed clustering scores against values computed by hand."""

from __future__ import annotations

import pytest

from newsgraph.engine.stories import clustering_scores

# six items in gold clusters of 3, 2 and 1
GOLD = {"a": "X", "b": "X", "c": "X", "d": "Y", "e": "Y", "f": "Z"}


def scores(pred):
    s = clustering_scores(pred, GOLD)
    return (s.pairwise_precision, s.pairwise_recall, s.pairwise_f1,
            s.bcubed_precision, s.bcubed_recall, s.bcubed_f1)


def test_perfect_clustering_scores_one_whatever_the_labels():
    pred = {"a": 7, "b": 7, "c": 7, "d": 8, "e": 8, "f": 9}
    assert scores(pred) == (1.0, 1.0, 1.0, 1.0, 1.0, 1.0)
    s = clustering_scores(pred, GOLD)
    assert (s.n_items, s.n_pred_clusters, s.n_gold_clusters) == (6, 3, 3)


def test_all_in_one_cluster():
    # 15 pairs put together, 4 of them right (3 in X, 1 in Y)
    # BCubed precision: (3 * 3/6 + 2 * 2/6 + 1 * 1/6) / 6 = 14/36; recall 1
    pw_p, pw_r, pw_f, b_p, b_r, b_f = scores({k: 0 for k in GOLD})
    assert pw_p == pytest.approx(4 / 15)
    assert pw_r == 1.0
    assert pw_f == pytest.approx(2 * (4 / 15) / (1 + 4 / 15))
    assert b_p == pytest.approx(14 / 36)
    assert b_r == 1.0
    assert b_f == pytest.approx(2 * (14 / 36) / (1 + 14 / 36))


def test_all_singletons():
    # no pair claimed: precision 1 by convention, recall 0
    # BCubed recall: (3 * 1/3 + 2 * 1/2 + 1 * 1) / 6 = 3/6
    pw_p, pw_r, pw_f, b_p, b_r, b_f = scores({k: k for k in GOLD})
    assert (pw_p, pw_r, pw_f) == (1.0, 0.0, 0.0)
    assert b_p == 1.0
    assert b_r == pytest.approx(0.5)
    assert b_f == pytest.approx(2 / 3)


def test_mixed_case():
    # pred {a, b} {c, d, e} {f}: pairs claimed 1 + 3 = 4; right: (a, b) and (d, e) = 2; gold pairs 3 + 1 = 4
    # BCubed precision per item: a, b 1; c 1/3; d, e 2/3; f 1 -> (2 + 1/3 + 4/3 + 1) / 6 = 14/18
    # BCubed recall per item: a, b 2/3; c 1/3; d, e 1; f 1 -> (4/3 + 1/3 + 2 + 1) / 6 = 14/18
    pred = {"a": 1, "b": 1, "c": 2, "d": 2, "e": 2, "f": 3}
    pw_p, pw_r, pw_f, b_p, b_r, b_f = scores(pred)
    assert (pw_p, pw_r, pw_f) == (0.5, 0.5, 0.5)
    assert b_p == pytest.approx(14 / 18)
    assert b_r == pytest.approx(14 / 18)
    assert b_f == pytest.approx(14 / 18)


def test_precision_and_recall_swap_when_pred_and_gold_do():
    pred = {"a": 1, "b": 1, "c": 2, "d": 2, "e": 1, "f": 3}
    s, t = clustering_scores(pred, GOLD), clustering_scores(GOLD, pred)
    assert (s.pairwise_precision, s.bcubed_precision) == pytest.approx((t.pairwise_recall, t.bcubed_recall))


def test_mappings_must_label_the_same_items():
    with pytest.raises(ValueError, match="1 only in gold"):
        clustering_scores({k: 0 for k in "abcde"}, GOLD)
    with pytest.raises(ValueError):
        clustering_scores({}, {})
