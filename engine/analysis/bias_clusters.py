"""Bias clusters: how well the outlets' rated bias explains the outlet network.

Four scores, each next to the same score on degree-preserving randomisations
of the network (Salloum, Chen & Kivela 2022: such scores are high even on
random graphs, so only their distance from a null model means something):

- ``bias_modularity``: modularity of the partition by rated side (left /
  center / right), weighted;
- ``bias_assortativity``: weighted Pearson correlation of ``bias_score``
  across the ends of edges;
- ``nmi`` and ``ari``: agreement between the Louvain communities and the
  rated sides (normalised mutual information, adjusted Rand index); on each
  randomised graph Louvain runs again.

Only rated outlets count. Randomised graphs swap the ends of two edges at a
time (each edge keeps its weight), so every outlet keeps its degree.
Outliers are rated outlets whose side differs from the majority side of their
community.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any, Sequence

import networkx as nx
import numpy as np

from engine.analysis.outlet_network import louvain
from engine.analysis.preconditions import requires_graph

SCORES = ("bias_modularity", "bias_assortativity", "nmi", "ari")


@dataclass(frozen=True)
class Score:
    """One score on the network and on its randomisations: mean, standard deviation, z."""

    name: str
    observed: float | None
    null_mean: float | None
    null_sd: float | None
    z: float | None


@dataclass(frozen=True)
class BiasClusters:
    """The scores, the outliers, and how many rated outlets and randomisations they rest on."""

    scores: tuple[Score, ...]
    outliers: tuple[dict[str, Any], ...]
    rated_outlets: int
    edges: int
    n_random: int
    seed: int

    def score(self, name: str) -> Score:
        """The score called ``name``."""
        return next(s for s in self.scores if s.name == name)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["scores"] = {s.name: {k: v for k, v in asdict(s).items() if k != "name"} for s in self.scores}
        return d


@requires_graph(node_attrs=("side",))
def bias_clusters(
    G: nx.Graph,
    communities: Sequence[Sequence[str]] | None = None,
    *,
    n_random: int = 100,
    swaps_per_edge: int = 10,
    resolution: float = 1.0,
    seed: int = 0,
) -> BiasClusters:
    """Score the rated-bias structure of an outlet network against degree-preserving null models.

    Parameters
    ----------
    G
        An outlet network (as :func:`~engine.analysis.outlet_network.outlet_network` builds):
        node attributes ``side`` (``left``/``center``/``right``/``unrated``) and, where rated,
        ``bias_score``; edge attribute ``weight``.
    communities
        The network's communities; Louvain's (with ``resolution`` and ``seed``) when not given.
    n_random
        How many randomised graphs make the null model (0 for none).
    swaps_per_edge
        Edge swaps per edge in each randomisation.
    resolution, seed
        Louvain's resolution; the seed of the randomisations and of Louvain.

    Examples
    --------
    Two triangles, one of left outlets and one of right outlets, joined by one edge:

    >>> G = nx.Graph([("l1", "l2"), ("l2", "l3"), ("l1", "l3"), ("r1", "r2"), ("r2", "r3"),
    ...               ("r1", "r3"), ("l3", "r1")])
    >>> for n in G:
    ...     G.nodes[n].update(side="left" if n[0] == "l" else "right", bias_score=-2 if n[0] == "l" else 2)
    >>> result = bias_clusters(G, n_random=20, seed=1)
    >>> round(result.score("bias_modularity").observed, 3), result.score("nmi").observed
    (0.357, 1.0)
    >>> result.outliers
    ()
    """
    rated = [n for n, d in G.nodes(data=True) if d["side"] in ("left", "center", "right")]
    H = G.subgraph(rated).copy()
    side = {n: H.nodes[n]["side"] for n in H}
    score = {n: H.nodes[n].get("bias_score") for n in H}
    if communities is None:
        communities = louvain(G, resolution=resolution, seed=seed)
    community = {n: i for i, c in enumerate(communities) for n in c}

    def measure(graph: nx.Graph, comm: dict[str, int]) -> dict[str, float | None]:
        return {
            "bias_modularity": _partition_modularity(graph, side),
            "bias_assortativity": _weighted_assortativity(graph, score),
            "nmi": nmi([comm[n] for n in rated], [side[n] for n in rated]) if rated else None,
            "ari": ari([comm[n] for n in rated], [side[n] for n in rated]) if rated else None,
        }

    observed = measure(H, community)
    rng = np.random.default_rng(seed)
    null: dict[str, list[float]] = {k: [] for k in SCORES}
    for r in range(n_random):
        R = randomise(G, swaps_per_edge=swaps_per_edge, rng=rng)
        comm = {n: i for i, c in enumerate(louvain(R, resolution=resolution, seed=seed + r + 1)) for n in c}
        for k, v in measure(R.subgraph(rated), comm).items():
            if v is not None:
                null[k].append(v)
    scores = []
    for k in SCORES:
        vals = null[k]
        mean = float(np.mean(vals)) if vals else None
        sd = float(np.std(vals, ddof=1)) if len(vals) > 1 else None
        obs = observed[k]
        z = (obs - mean) / sd if obs is not None and mean is not None and sd else None
        scores.append(Score(k, obs, mean, sd, z))
    return BiasClusters(tuple(scores), _outliers(communities, side), len(rated), H.number_of_edges(), n_random, seed)


def randomise(G: nx.Graph, *, swaps_per_edge: int = 10, rng: np.random.Generator | None = None) -> nx.Graph:
    """A degree-preserving randomisation of ``G``: double edge swaps, each edge keeping its weight.

    >>> G = nx.cycle_graph(8)
    >>> R = randomise(G, rng=np.random.default_rng(0))
    >>> sorted(d for _, d in R.degree()) == sorted(d for _, d in G.degree())
    True
    """
    rng = rng or np.random.default_rng(0)
    edges = [[u, v, d.get("weight", 1.0)] for u, v, d in G.edges(data=True)]
    present = {frozenset(e[:2]) for e in edges}
    m = len(edges)
    if m >= 2:
        for _ in range(swaps_per_edge * m):
            a, b = rng.integers(m, size=2)
            if a == b:
                continue
            (u, v, _), (x, y, _) = edges[a], edges[b]
            if rng.random() < 0.5:
                x, y = y, x
            # u-v, x-y  ->  u-y, x-v, unless that makes a loop or a double edge
            if len({u, v, x, y}) < 4 or frozenset((u, y)) in present or frozenset((x, v)) in present:
                continue
            present -= {frozenset((u, v)), frozenset((x, y))}
            present |= {frozenset((u, y)), frozenset((x, v))}
            edges[a][:2], edges[b][:2] = [u, y], [x, v]
    R = nx.Graph()
    R.add_nodes_from(G.nodes(data=True))
    R.add_weighted_edges_from(edges)
    return R


def nmi(a: Sequence, b: Sequence) -> float:
    """Normalised mutual information of two labelings (arithmetic mean normalisation, as scikit-learn).

    >>> nmi([0, 0, 1, 1], ["x", "x", "y", "y"]), nmi([0, 0, 0, 0], [0, 0, 1, 1])
    (1.0, 0.0)
    """
    n = len(a)
    ca, cb, cab = Counter(a), Counter(b), Counter(zip(a, b))
    ha = -sum(c / n * math.log(c / n) for c in ca.values())
    hb = -sum(c / n * math.log(c / n) for c in cb.values())
    mi = sum(c / n * math.log(c * n / (ca[x] * cb[y])) for (x, y), c in cab.items())
    if ha == 0 and hb == 0:
        return 1.0
    denom = (ha + hb) / 2
    return max(0.0, min(1.0, mi / denom)) if denom else 0.0


def ari(a: Sequence, b: Sequence) -> float:
    """Adjusted Rand index of two labelings.

    >>> ari([0, 0, 1, 1], ["x", "x", "y", "y"]), round(ari([0, 0, 1, 1], [0, 1, 0, 1]), 3)
    (1.0, -0.5)
    """
    n = len(a)

    def pairs(x: float) -> float:
        return x * (x - 1) / 2

    index = sum(pairs(c) for c in Counter(zip(a, b)).values())
    sa = sum(pairs(c) for c in Counter(a).values())
    sb = sum(pairs(c) for c in Counter(b).values())
    expected = sa * sb / pairs(n) if n > 1 else 0.0
    top = (sa + sb) / 2
    if top == expected:
        return 1.0
    return (index - expected) / (top - expected)


def _partition_modularity(G: nx.Graph, label: dict[str, str]) -> float | None:
    if G.number_of_edges() == 0:
        return None
    groups: dict[str, set] = {}
    for n in G:
        groups.setdefault(label[n], set()).add(n)
    return float(nx.community.modularity(G, groups.values(), weight="weight"))


def _weighted_assortativity(G: nx.Graph, value: dict[str, float | None]) -> float | None:
    xs, ys, ws = [], [], []
    for u, v, d in G.edges(data=True):
        if value.get(u) is None or value.get(v) is None:
            continue
        w = d.get("weight", 1.0)
        xs += [value[u], value[v]]
        ys += [value[v], value[u]]
        ws += [w, w]
    if len(xs) < 2:
        return None
    x, y, w = np.array(xs, float), np.array(ys, float), np.array(ws, float)
    mx = np.average(x, weights=w)
    var = np.average((x - mx) ** 2, weights=w)
    if var == 0:
        return None
    return float(np.average((x - mx) * (y - mx), weights=w) / var)


def _outliers(communities: Sequence[Sequence[str]], side: dict[str, str]) -> tuple[dict[str, Any], ...]:
    out = []
    for i, members in enumerate(communities):
        counts = Counter(side[n] for n in members if n in side)
        if not counts:
            continue
        ranked = counts.most_common()
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            continue  # no majority side, so no one disagrees with it
        majority = ranked[0][0]
        for n in sorted(members):
            if n in side and side[n] != majority:
                out.append({"outlet": n, "side": side[n], "community": i, "community_side": majority,
                            "community_sides": dict(counts)})
    return tuple(out)
