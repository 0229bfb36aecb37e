"""The fast paths of the analyses give the answers of the plain definitions, on random coverage."""

import statistics
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from itertools import combinations

import networkx as nx
import numpy as np
import pytest
from scipy.stats import hypergeom

from newsgraph.engine.analysis import bias_clusters, lead_lag, outlet_network
from newsgraph.engine.analysis.bias_clusters import swap_edges
from newsgraph.engine.analysis.outlet_network import _hypergeom_sf, communities
from newsgraph.engine.errors import ConfigError
from newsgraph.engine.models import side_of
from newsgraph.engine.store.base import CoverageRow

T = datetime(2025, 4, 1, tzinfo=timezone.utc)
BIASES = ("left", "lean_left", "center", "lean_right", "right", "unrated")
SCORE = {"left": -2.0, "lean_left": -1.0, "center": 0.0, "lean_right": 1.0, "right": 2.0}


def random_rows(seed: int, n_outlets: int = 40, n_stories: int = 120) -> list[CoverageRow]:
    """Coverage with long-tailed outlet activity, ratings and whole-hour times (so ties happen)."""
    rng = np.random.default_rng(seed)
    activity = 1 / np.arange(1, n_outlets + 1)
    rows = []
    for s in range(n_stories):
        size = int(rng.integers(1, 9))
        for o in sorted(set(rng.choice(n_outlets, size=size, p=activity / activity.sum()).tolist())):
            rows.append(CoverageRow(f"s{s}", f"story {s}", f"o{o:02d}", BIASES[o % 6], SCORE.get(BIASES[o % 6]),
                                    T + timedelta(hours=int(rng.integers(0, 6))), 1))
    return rows


def lead_lag_by_definition(rows, min_stories=1, top=20):
    """Lead-lag pair by pair, story by story, as the module docstring defines it."""
    times = defaultdict(dict)
    side = {}
    for r in rows:
        times[r.story_id][r.outlet_id] = r.published_at
        side[r.outlet_id] = side_of(r.bias)
    shared, lags = Counter(), defaultdict(list)
    for t in times.values():
        for a, b in combinations(sorted(t), 2):
            shared[(a, b)] += 1
            hours = (t[b] - t[a]).total_seconds() / 3600
            if hours:
                lags[(a, b) if hours > 0 else (b, a)].append(abs(hours))
    edges, pairs = {}, []
    for (a, b), n in shared.items():
        if n < min_stories:
            continue
        ab, ba = lags[(a, b)], lags[(b, a)]
        for u, v, ls in ((a, b, ab), (b, a, ba)):
            if ls:
                edges[(u, v)] = (len(ls), statistics.median(ls))
        lead, follow, x, y = (a, b, ab, ba) if len(ab) >= len(ba) else (b, a, ba, ab)
        pairs.append((lead, follow, n, len(x), len(y), statistics.median(x) if x else None))
    pairs.sort(key=lambda p: (-p[2], -(p[3] - p[4]), p[0], p[1]))
    first = Counter()
    for t in times.values():
        early = min(t.values())
        if len(t) > 1 and max(t.values()) > early:
            first.update(o for o, x in t.items() if x == early)
    return edges, pairs[:top], first


@pytest.mark.parametrize("seed,min_stories", [(1, 1), (2, 2), (3, 3)])
def test_lead_lag_matches_the_pairwise_definition(seed, min_stories):
    rows = random_rows(seed)
    result = lead_lag(rows, min_stories=min_stories, top=15)
    edges, pairs, first = lead_lag_by_definition(rows, min_stories, 15)
    got = {(u, v): (d["weight"], d["median_lag_hours"]) for u, v, d in result.graph.edges(data=True)}
    assert got == edges and len(edges) > 20
    assert [(p["leader"], p["follower"], p["shared_stories"], p["leads"], p["lags"], p["median_lag_hours"])
            for p in result.pairs] == pairs
    assert {d["outlet"]: d["stories_first"] for d in result.first_reporters} == dict(first.most_common(15))
    stories = Counter(r.outlet_id for r in rows)
    assert all(d["stories"] == stories[d["outlet"]] for d in result.first_reporters)
    assert sum(sum(c.values()) for c in result.leads_by_side.values()) == sum(n for n, _ in edges.values())


def test_hypergeometric_tail_matches_scipy_above_and_below_the_mean():
    rng = np.random.default_rng(0)
    n = 5000
    di, dj = rng.integers(1, 1500, 3000), rng.integers(1, 1500, 3000)
    k = np.maximum(1, np.minimum(np.minimum(di, dj), rng.poisson(di * dj / n * 1.3 + 1)))
    exact = hypergeom.sf(k - 1, n, di, dj)
    assert np.allclose(_hypergeom_sf(k, n, di, dj), exact, rtol=1e-9, atol=1e-300)
    # with alpha <= 0.5, pairs at or below the mean are never kept, whatever their exact p
    quick = _hypergeom_sf(k, n, di, dj, alpha=0.05)
    assert ((quick < 0.05) == (exact < 0.05)).all() and (exact < 0.05).sum() > 100


def test_swaps_keep_degrees_weights_and_a_simple_graph():
    G = nx.gnm_random_graph(300, 1500, seed=4)
    u, v = (np.array(x) for x in zip(*G.edges()))
    ru, rv = swap_edges(u, v, 300, swaps_per_edge=10, rng=np.random.default_rng(9))
    assert np.array_equal(np.bincount(np.r_[ru, rv], minlength=300), np.bincount(np.r_[u, v], minlength=300))
    pairs = {frozenset(p) for p in zip(ru.tolist(), rv.tolist())}
    assert len(pairs) == len(ru) and all(len(p) == 2 for p in pairs)  # no double edges, no loops
    assert len(pairs & {frozenset(e) for e in G.edges()}) < 0.1 * len(ru)  # well mixed
    again = swap_edges(u, v, 300, swaps_per_edge=10, rng=np.random.default_rng(9))
    assert np.array_equal(again[0], ru) and np.array_equal(again[1], rv)


@pytest.fixture(scope="module")
def rated_network():
    """An outlet network from random coverage with bias scores, plenty of edges."""
    return outlet_network(random_rows(5, n_outlets=60, n_stories=300), backbone="none", seed=2)


def test_observed_scores_are_the_textbook_ones(rated_network):
    G = rated_network.graph
    result = bias_clusters(G, rated_network.communities, n_random=0)
    rated = [n for n, d in G.nodes(data=True) if d["side"] != "unrated"]
    H = G.subgraph(rated)
    by_side = defaultdict(set)
    for n in rated:
        by_side[G.nodes[n]["side"]].add(n)
    assert result.score("bias_modularity").observed == pytest.approx(
        nx.community.modularity(H, by_side.values(), weight="weight"), abs=1e-12)
    x, y, w = [], [], []
    for a, b, d in H.edges(data=True):
        sa, sb = G.nodes[a]["bias_score"], G.nodes[b]["bias_score"]
        x += [sa, sb]
        y += [sb, sa]
        w += [d["weight"]] * 2
    assert result.score("bias_assortativity").observed == pytest.approx(np.corrcoef(
        np.repeat(x, w), np.repeat(y, w))[0, 1], abs=1e-12)  # integer weights: repeat = weight
    assert result.edges == H.number_of_edges() and result.rated_outlets == len(rated)


def test_null_model_is_the_same_for_any_number_of_workers(rated_network):
    G = rated_network.graph
    one = bias_clusters(G, rated_network.communities, n_random=6, seed=11, workers=1)
    two = bias_clusters(G, rated_network.communities, n_random=6, seed=11, workers=2)
    assert one == two
    assert all(s.null_sd and s.null_sd > 0 for s in one.scores)
    other = bias_clusters(G, rated_network.communities, n_random=6, seed=12, workers=1)
    assert other.score("bias_modularity").null_mean != one.score("bias_modularity").null_mean
    with pytest.raises(ValueError, match="workers"):
        bias_clusters(G, n_random=2, workers=0)


def test_leiden_finds_the_planted_groups_with_a_seed():
    G = nx.Graph()
    for group in ("a", "b", "c"):
        G.add_edges_from(combinations([f"{group}{i}" for i in range(5)], 2), weight=1.0)
    G.add_edge("a0", "b0", weight=1.0)
    G.add_edge("b1", "c1", weight=1.0)
    expected = tuple(tuple(f"{g}{i}" for i in range(5)) for g in "abc")
    assert communities(G, algorithm="leiden", seed=3) == expected == communities(G, algorithm="louvain", seed=3)
    with pytest.raises(ValueError, match="algorithm must be one of louvain, leiden"):
        communities(G, algorithm="infomap")


def test_community_detection_without_igraph_says_how_to_install_it(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "leidenalg", None)  # as if not installed
    for algorithm in ("leiden", "louvain"):
        with pytest.raises(ConfigError, match=r"pip install igraph leidenalg"):
            communities(nx.Graph([("a", "b")]), algorithm=algorithm)
    # the reference Louvain needs networkx alone
    assert communities(nx.Graph([("a", "b")]), implementation="networkx") == (("a", "b"),)
