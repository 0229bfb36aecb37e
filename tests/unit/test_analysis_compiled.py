"""The compiled paths (igraph/leidenalg communities, bitmap edge swaps, one-key hypergeometric tails) give the
answers of the pure-networkx reference and of the plain definitions, with fixed seeds."""

import csv
import importlib
import io
import statistics
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta, timezone
from itertools import combinations
from multiprocessing import get_context

import networkx as nx
import numpy as np
import pytest
from scipy.stats import hypergeom

from newsgraph.engine.analysis import bias_clusters, outlet_network
from newsgraph.engine.analysis.outlet_network import communities, partition
from newsgraph.engine.store.base import CoverageRow
from tests import corpus
from tests.unit.test_analysis_outlet_network import LEFT, RIGHT, planted
from tests.unit.test_analysis_scale import random_rows

swaps = importlib.import_module("newsgraph.engine.analysis.bias_clusters")  # the module, not the function
T = datetime(2025, 4, 1, tzinfo=timezone.utc)


def known_answer_rows() -> list[CoverageRow]:
    """The shared test corpus as coverage: four rated outlets, each in every one of the three stories."""
    bias = {r["domain"]: r["bias"] for r in csv.DictReader(io.StringIO(corpus.OUTLETS_CSV))}
    return [CoverageRow(a["gold"], a["gold"], a["outlet"], bias[a["outlet"]], None, T, 1) for a in corpus.articles()]


def three_groups() -> nx.Graph:
    G = nx.Graph()
    for group in "abc":
        G.add_edges_from(combinations([f"{group}{i}" for i in range(5)], 2), weight=1.0)
    G.add_edge("a0", "b0", weight=1.0)
    G.add_edge("b1", "c1", weight=1.0)
    return G


@pytest.mark.parametrize("seed", [0, 1, 7, 12345])
def test_compiled_and_networkx_louvain_agree_on_the_known_answer_corpora(seed):
    # the planted two-sided network, the shared test corpus and three cliques: one right answer each
    planted_net = outlet_network(planted(), seed=seed)
    reference = outlet_network(planted(), seed=seed, implementation="networkx")
    assert planted_net.communities == reference.communities == (LEFT, RIGHT)
    assert planted_net.modularity == reference.modularity == pytest.approx(0.5)
    shared = outlet_network(known_answer_rows(), backbone="none", seed=seed)
    assert shared.communities == outlet_network(known_answer_rows(), backbone="none", seed=seed,
                                                implementation="networkx").communities
    assert shared.communities == (("cnn.com", "foxnews.com", "nytimes.com", "reuters.com"),)
    G = three_groups()
    expected = tuple(tuple(f"{g}{i}" for i in range(5)) for g in "abc")
    assert communities(G, seed=seed) == communities(G, seed=seed, implementation="networkx") == expected


def test_compiled_louvain_reaches_the_reference_modularity_on_random_coverage():
    """On coverage without one right answer the two Louvains may split differently, never worse:
    the compiled one's modularity is at least the reference's, less 0.01, seed for seed."""
    for rows_seed in (3, 5):
        G = outlet_network(random_rows(rows_seed, n_outlets=60, n_stories=300), backbone="none", seed=0).graph
        for seed in range(4):
            fast = communities(G, seed=seed)
            slow = communities(G, seed=seed, implementation="networkx")
            q_fast = nx.community.modularity(G, [set(c) for c in fast], weight="weight")
            q_slow = nx.community.modularity(G, [set(c) for c in slow], weight="weight")
            assert q_fast >= q_slow - 0.01, (rows_seed, seed, q_fast, q_slow)
            assert sorted(n for c in fast for n in c) == sorted(G)


def _labels_in_a_fresh_process(args):
    n, u, v, w, algorithm, seed = args
    return partition(n, u, v, w, algorithm=algorithm, seed=seed).tolist()


@pytest.mark.parametrize("algorithm", ["louvain", "leiden"])
def test_a_seed_gives_the_same_partition_on_every_run_and_in_every_process(algorithm):
    G = nx.gnm_random_graph(400, 3000, seed=2)
    u, v = (np.array(x) for x in zip(*G.edges()))
    w = np.random.default_rng(0).integers(1, 5, len(u)).astype(float)
    here = [partition(400, u, v, w, algorithm=algorithm, seed=s).tolist() for s in (5, 5, 6)]
    assert here[0] == here[1] and here[0] != here[2]  # a random graph has many near-optimal splits
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        assert pool.submit(_labels_in_a_fresh_process, (400, u, v, w, algorithm, 5)).result() == here[0]
    assert here[0][0] == 0 and max(here[0]) + 1 == len(set(here[0]))  # numbered from 0 by first occurrence


def test_bias_clusters_reference_and_compiled_paths_agree():
    net = outlet_network(planted(), seed=7)
    fast = bias_clusters(net.graph, net.communities, n_random=20, seed=3)
    slow = bias_clusters(net.graph, net.communities, n_random=20, seed=3, implementation="networkx")
    # the same randomised networks: every score that does not rest on their communities is identical
    for name in ("bias_modularity", "bias_assortativity", "nmi_shuffled_sides", "ari_shuffled_sides"):
        assert fast.score(name) == slow.score(name)
    assert fast.outliers == slow.outliers and fast.score("nmi").observed == slow.score("nmi").observed
    # communities found again on each: the two Louvains agree closely on graphs this small
    for name in ("nmi", "ari"):
        assert fast.score(name).null_mean == pytest.approx(slow.score(name).null_mean, abs=0.05)
    with pytest.raises(ValueError, match="implementation must be one of igraph, networkx"):
        bias_clusters(net.graph, n_random=0, implementation="graph-tool")


@pytest.mark.parametrize("n,m", [(60, 400), (300, 1500)])
def test_bitmap_and_sorted_edge_swaps_make_the_same_graphs(monkeypatch, n, m):
    G = nx.gnm_random_graph(n, m, seed=n)
    u, v = (np.array(x) for x in zip(*G.edges()))
    bitmap = swaps.swap_edges(u, v, n, swaps_per_edge=5, rng=np.random.default_rng(1))
    monkeypatch.setattr(swaps, "BITMAP_PAIRS", 0)  # as for a network too big for a bitmap
    sorted_keys = swaps.swap_edges(u, v, n, swaps_per_edge=5, rng=np.random.default_rng(1))
    assert np.array_equal(bitmap[0], sorted_keys[0]) and np.array_equal(bitmap[1], sorted_keys[1])
    assert not (np.array_equal(bitmap[0], u) and np.array_equal(bitmap[1], v))


def swaps_by_definition(u, v, n, swaps_per_edge, rng):
    """The edge swaps as the docstring defines them, one proposal at a time over a set of edges:
    the same draws, every proposal of a round checked against the edges at its start."""
    u, v = [int(x) for x in u], [int(x) for x in v]
    m, half = len(u), len(u) // 2
    for _ in range(2 * swaps_per_edge):
        perm = rng.permutation(m).tolist()
        flip = (rng.random(half) < 0.5).tolist()
        edges = {frozenset(e) for e in zip(u, v)}
        proposals = []
        for a, b, f in zip(perm[:half], perm[half:2 * half], flip):
            p, q = u[a], v[a]
            x, y = (v[b], u[b]) if f else (u[b], v[b])
            loop = p == x or p == y or q == x or q == y
            if not loop and frozenset((p, y)) not in edges and frozenset((x, q)) not in edges:
                proposals.append((a, b, p, q, x, y))
        made = Counter(e for *_, p, q, x, y in proposals for e in (frozenset((p, y)), frozenset((x, q))))
        for a, b, p, q, x, y in proposals:
            if made[frozenset((p, y))] == 1 and made[frozenset((x, q))] == 1:
                u[a], v[a], u[b], v[b] = p, y, x, q
    return np.array(u), np.array(v)


@pytest.mark.parametrize("n,m,hubs", [(40, 300, False), (200, 3000, False), (120, 1400, True)])
def test_vectorised_edge_swaps_are_the_one_at_a_time_definition(n, m, hubs):
    # dense graphs, and one with hubs, so that proposals often hit an edge or clash with each other
    G = nx.barabasi_albert_graph(n, m // n, seed=n) if hubs else nx.gnm_random_graph(n, m, seed=n)
    u, v = (np.array(x) for x in zip(*G.edges()))
    for seed in (0, 1):
        fast = swaps.swap_edges(u, v, n, swaps_per_edge=3, rng=np.random.default_rng(seed))
        slow = swaps_by_definition(u, v, n, 3, np.random.default_rng(seed))
        assert np.array_equal(fast[0], slow[0]) and np.array_equal(fast[1], slow[1])
        assert fast[0].dtype == np.int64 and not np.array_equal(fast[0], u)


def outlet_network_by_definition(rows, alpha=0.05):
    """Every pair of outlets, their shared stories and hypergeometric p, the edges kept: loops, scipy."""
    stories = {}
    for r in rows:
        stories.setdefault(r.outlet_id, set()).add(r.story_id)
    n = len({r.story_id for r in rows})
    edges = {}
    for a, b in combinations(sorted(stories), 2):
        k = len(stories[a] & stories[b])
        if k:
            p = hypergeom.sf(k - 1, n, len(stories[a]), len(stories[b]))
            if p < alpha:
                edges[(a, b)] = (k, p)
    return edges


@pytest.mark.parametrize("seed", [1, 4, 9])
def test_outlet_network_edges_and_weights_are_the_pairwise_definition(seed):
    rows = random_rows(seed, n_outlets=50, n_stories=250)
    net = outlet_network(rows)
    expected = outlet_network_by_definition(rows)
    got = {tuple(sorted((a, b))): d for a, b, d in net.graph.edges(data=True)}
    assert set(got) == set(expected) and len(expected) > 15
    for pair, (k, p) in expected.items():
        assert got[pair]["shared"] == k and got[pair]["weight"] == float(k)
        assert got[pair]["p_value"] == pytest.approx(p, rel=1e-9)
    assert net.candidate_edges == sum(1 for a, b in combinations({r.outlet_id for r in rows}, 2)
                                      if {r.story_id for r in rows if r.outlet_id == a}
                                      & {r.story_id for r in rows if r.outlet_id == b})


def test_dense_stories_keep_every_pair():
    """A story covered by most outlets (as on an aggregator) links all of them: no cap drops its pairs."""
    rows = [CoverageRow("big", "", f"o{o:03d}", "center", 0.0, T + timedelta(hours=o), 1) for o in range(300)]
    rows += [CoverageRow(f"s{s}", "", f"o{o:03d}", "center", 0.0, T, 1) for s in range(20) for o in range(s, 300, 20)]
    net = outlet_network(rows, backbone="none")
    assert net.candidate_edges == 300 * 299 // 2
    shared = Counter(d["shared"] for *_, d in net.graph.edges(data=True))
    assert shared[2] == 20 * (15 * 14 // 2) and statistics.mean(shared.elements()) > 1


def raters_by_definition(rows, outlets):
    """Each story's majority side per rater, counted story by story with Counters."""
    from newsgraph.engine.models import SIDES, side_of

    verdicts = {}
    for o in outlets:
        for rater, fields in o.ratings.items():
            if side_of(fields.get("bias")) in SIDES:
                verdicts.setdefault(rater, {})[o.id] = side_of(fields.get("bias"))
    by_story = {}
    for r in rows:
        by_story.setdefault(r.story_id, set()).add(r.outlet_id)
    out = {}
    for story, members in by_story.items():
        for rater, v in verdicts.items():
            ranked = Counter()
            ranked.update(v[o] for o in members if o in v)
            counts = [ranked[s] for s in SIDES]
            top = sorted(counts, reverse=True)
            out[(story, rater)] = (counts, SIDES[counts.index(top[0])] if top[0] > top[1] else None)
    return out


def test_raters_counts_and_majorities_are_the_story_by_story_definition():
    from newsgraph.engine.analysis import raters
    from newsgraph.engine.models import Outlet

    rows = random_rows(7, n_outlets=40, n_stories=200)
    rng = np.random.default_rng(3)
    sides = ("left", "lean_left", "center", "lean_right", "right", "unrated")
    outlets = [Outlet(o, ratings={"a": {"bias": sides[int(rng.integers(6))]}, "b": {"bias": sides[int(rng.integers(6))]}})
               for o in sorted({r.outlet_id for r in rows})]
    result = raters(rows, outlets)
    expected = raters_by_definition(rows, outlets)
    got = {(s["story_id"], rater): (list(d["counts"].values()), s["majority"][rater])
           for s in result.stories for rater, d in s["by_rater"].items()}
    assert got == expected and len(result.flips) > 5
    assert [s["story_id"] for s in result.stories] == sorted({r.story_id for r in rows})
