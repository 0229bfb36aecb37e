"""Outlet network and bias clusters on a planted two-community network, with fixed seeds."""

from datetime import datetime, timezone

import networkx as nx
import pytest
from scipy.stats import hypergeom

from newsgraph.engine.analysis import bias_clusters, outlet_network
from newsgraph.engine.analysis.bias_clusters import ari, nmi, randomise
from newsgraph.engine.store.base import CoverageRow

T = datetime(2025, 4, 1, tzinfo=timezone.utc)
LEFT = ("l1.com", "l2.com", "l3.com", "l4.com")
RIGHT = ("r1.com", "r2.com", "r3.com", "r4.com")


def planted() -> list[CoverageRow]:
    """Left outlets share six stories, right outlets six others; one bridge story has l1 and r1;
    r4 is rated left, though it covers what the right covers."""
    rows = []

    def cov(story, outlet, bias, score):
        rows.append(CoverageRow(story, story, outlet, bias, score, T, 1))

    for s in range(6):
        for o in LEFT:
            cov(f"L{s}", o, "left", -2.0)
        for o in RIGHT:
            bias, score = ("lean_left", -1.0) if o == "r4.com" else ("right", 2.0)
            cov(f"R{s}", o, bias, score)
    cov("bridge", "l1.com", "left", -2.0)
    cov("bridge", "r1.com", "right", 2.0)
    return rows


@pytest.fixture(scope="module")
def net():
    return outlet_network(planted(), seed=7)


def test_hypergeometric_backbone_keeps_within_group_edges_only(net):
    G = net.graph
    assert net.candidate_edges == 13  # 6 + 6 within the groups, and l1-r1 through the bridge
    assert G.number_of_edges() == 12 and not G.has_edge("l1.com", "r1.com")
    # l2 and l3: 6 shared stories, 6 each, out of 13
    assert G["l2.com"]["l3.com"]["p_value"] == pytest.approx(hypergeom.sf(5, 13, 6, 6))
    assert G["l2.com"]["l3.com"]["weight"] == 6 and G["l1.com"]["l2.com"]["shared"] == 6
    assert G.nodes["l1.com"]["stories"] == 7 and G.nodes["r4.com"]["side"] == "left"


def test_seeded_louvain_recovers_the_planted_partition(net):
    assert net.communities == (LEFT, RIGHT)
    assert net.community_sides == ({"left": 4, "center": 0, "right": 0, "unrated": 0},
                                   {"left": 1, "center": 0, "right": 3, "unrated": 0})
    assert net.modularity == pytest.approx(0.5)
    assert outlet_network(planted(), seed=7).communities == net.communities


def test_weights_and_no_backbone():
    full = outlet_network(planted(), backbone="none", weight="jaccard", seed=7)
    assert full.graph.number_of_edges() == 13
    assert full.graph["l1.com"]["r1.com"]["weight"] == pytest.approx(1 / 13)  # 1 shared, 7 + 7 - 1 in union
    cos = outlet_network(planted(), backbone="none", weight="cosine", seed=7)
    assert cos.graph["l1.com"]["l2.com"]["weight"] == pytest.approx(6 / (7 * 6) ** 0.5)
    with pytest.raises(ValueError, match="weight must be"):
        outlet_network(planted(), weight="dice")


def test_disparity_backbone_drops_the_weak_bridge():
    net = outlet_network(planted(), backbone="disparity", alpha=0.5, seed=7)
    assert not net.graph.has_edge("l1.com", "r1.com")


def test_bias_clusters_scores_and_outlier(net):
    result = bias_clusters(net.graph, net.communities, n_random=30, seed=3)
    assert result.rated_outlets == 8 and result.edges == 12
    assert result.score("nmi").observed == pytest.approx(nmi([0] * 4 + [1] * 4, ["left"] * 5 + ["right"] * 3))
    assert result.score("ari").observed == pytest.approx(ari([0] * 4 + [1] * 4, ["left"] * 5 + ["right"] * 3))
    # the bias partition is well above what random networks with these degrees give
    mod = result.score("bias_modularity")
    assert mod.observed == pytest.approx(nx.community.modularity(
        net.graph, [set(LEFT) | {"r4.com"}, set(RIGHT) - {"r4.com"}], weight="weight"))
    assert mod.null_mean < 0 < mod.observed and mod.z > 1.5
    assert [o["outlet"] for o in result.outliers] == ["r4.com"]
    assert result.outliers[0]["community_side"] == "right"
    again = bias_clusters(net.graph, net.communities, n_random=30, seed=3)
    assert again == result


def test_shuffled_sides_null_keeps_the_communities_and_deals_the_ratings_anew(net):
    result = bias_clusters(net.graph, net.communities, n_random=200, seed=3)
    shuffled = result.score("nmi_shuffled_sides")
    assert shuffled.observed == result.score("nmi").observed
    # 5 left and 3 right over two groups of four: dealt at random they rarely split this cleanly
    assert shuffled.null_mean < shuffled.observed and shuffled.z > 1.5
    assert result.score("ari_shuffled_sides").z > 1.5


def test_shuffled_sides_null_finds_nothing_when_ratings_ignore_the_network():
    import random

    rng = random.Random(11)
    rows, outlets = [], [f"o{i}.com" for i in range(40)]
    side = {o: rng.choice(["left", "center", "right"]) for o in outlets}
    for s in range(120):
        for o in rng.sample(outlets[:20] if s % 2 else outlets[20:], 5):
            rows.append(CoverageRow(f"s{s}", "", o, side[o], None, T, 1))
    n = outlet_network(rows, seed=1)
    result = bias_clusters(n.graph, n.communities, n_random=100, seed=2)
    assert abs(result.score("nmi_shuffled_sides").z) < 2.5
    assert abs(result.score("ari_shuffled_sides").z) < 2.5


def test_randomisation_keeps_degrees_and_weights():
    G = outlet_network(planted(), backbone="none", seed=7).graph
    import numpy as np

    R = randomise(G, rng=np.random.default_rng(5))
    assert dict(R.degree()) == dict(G.degree())
    assert sorted(d["weight"] for *_, d in R.edges(data=True)) == sorted(d["weight"] for *_, d in G.edges(data=True))
    assert set(R.edges()) != set(G.edges())


def test_nmi_and_ari_match_known_values():
    # by hand: H(a) = ln 3, H(b) = MI = ln 3 - (2/3) ln 2; ARI = (3 - 7/5) / (5 - 7/5)
    import math

    h_b = math.log(3) - 2 / 3 * math.log(2)
    assert nmi([0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 1, 1]) == pytest.approx(h_b / ((math.log(3) + h_b) / 2))
    assert ari([0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 1, 1]) == pytest.approx(4 / 9)
