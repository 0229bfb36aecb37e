"""The outlet network: outlets linked by the stories they both cover.

The outlet-story bipartite graph is held as a sparse incidence matrix ``B``
(outlets x stories, 1 where the outlet covered the story) and projected as
``B @ B.T``: the cost grows with the number of co-coverage pairs, never with
outlets squared. An edge's weight is the number of shared stories, their
Jaccard index, or their cosine similarity. Outlets that cover many stories
share some with everyone, so edges are kept only when they pass a null model:

- ``hypergeometric``: the shared count is improbably high for two outlets with
  these numbers of stories, drawn at random from the same stories
  (``P(X >= k) < alpha``);
- ``disparity``: Serrano, Boguna & Vespignani's (2009) backbone, where an edge
  is kept if it carries an improbably large share of either end's strength.

Communities are Louvain's, with a seed; ``algorithm="leiden"`` uses Traag,
Waltman & van Eck's (2019) Leiden instead (docs/analyses.md compares them).
Both run in compiled code (igraph's multilevel Louvain, leidenalg's Leiden)
on integer edge arrays; networkx's pure-Python Louvain stays as the
reference (``implementation="networkx"``), which finds partitions of the same
modularity but not always the same ones, as the two draw different random
visiting orders from the same seed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

import random
import threading

import networkx as nx
import numpy as np
from scipy import sparse
from scipy.special import gammaln
from scipy.stats import hypergeom

from newsgraph.engine.analysis.preconditions import require_rows
from newsgraph.engine.errors import ConfigError
from newsgraph.engine.models import SIDES, UNRATED_SIDE, side_of
from newsgraph.engine.store.base import CoverageRow

WEIGHTS = ("shared", "jaccard", "cosine")
BACKBONES = ("hypergeometric", "disparity", "none")
ALGORITHMS = ("louvain", "leiden")
IMPLEMENTATIONS = ("igraph", "networkx")
"Where communities are found: compiled (igraph/leidenalg, the default) or networkx's Louvain (the reference)."
_RNG_LOCK = threading.Lock()


@dataclass(frozen=True)
class OutletNetwork:
    """The filtered outlet projection, its communities and their rated-bias mix."""

    graph: nx.Graph = field(repr=False)
    communities: tuple[tuple[str, ...], ...]
    community_sides: tuple[dict[str, int], ...]
    modularity: float
    candidate_edges: int
    settings: dict[str, Any]

    def community_of(self) -> dict[str, int]:
        """Outlet -> index of its community."""
        return {o: i for i, c in enumerate(self.communities) for o in c}

    def to_dict(self) -> dict[str, Any]:
        G = self.graph
        return {
            "settings": self.settings,
            "outlets": G.number_of_nodes(),
            "candidate_edges": self.candidate_edges,
            "edges": G.number_of_edges(),
            "modularity": self.modularity,
            "communities": [
                {"outlets": list(c), "sides": s} for c, s in zip(self.communities, self.community_sides)
            ],
            "edge_list": [
                {"source": u, "target": v, **d} for u, v, d in sorted(G.edges(data=True))
            ],
        }


def coverage_matrix(rows: Iterable[CoverageRow]) -> tuple[sparse.csr_matrix, list[str], list[str]]:
    """The binary outlets x stories incidence matrix, with its row and column labels (sorted).

    >>> from datetime import datetime, timezone
    >>> t = datetime(2025, 4, 1, tzinfo=timezone.utc)
    >>> B, outlets, stories = coverage_matrix([CoverageRow("s1", "", "a", "left", None, t, 2),
    ...                                        CoverageRow("s2", "", "a", "left", None, t, 1)])
    >>> B.toarray().tolist(), outlets, stories
    ([[1.0, 1.0]], ['a'], ['s1', 's2'])
    """
    pairs = {(r.outlet_id, r.story_id) for r in rows}
    outlets = sorted({o for o, _ in pairs})
    stories = sorted({s for _, s in pairs})
    oi = {o: i for i, o in enumerate(outlets)}
    si = {s: i for i, s in enumerate(stories)}
    r = np.fromiter((oi[o] for o, _ in pairs), dtype=np.int64, count=len(pairs))
    c = np.fromiter((si[s] for _, s in pairs), dtype=np.int64, count=len(pairs))
    B = sparse.csr_matrix((np.ones(len(pairs)), (r, c)), shape=(len(outlets), len(stories)))
    return B, outlets, stories


def outlet_network(
    rows: Iterable[CoverageRow],
    *,
    weight: str = "shared",
    backbone: str = "hypergeometric",
    alpha: float = 0.05,
    min_shared: int = 1,
    resolution: float = 1.0,
    seed: int = 0,
    algorithm: str = "louvain",
    implementation: str = "igraph",
) -> OutletNetwork:
    """Project outlet-story coverage onto outlets, keep significant edges, find communities.

    Parameters
    ----------
    rows
        Coverage rows, as from ``store.coverage_rows()``.
    weight
        ``shared`` (stories in common), ``jaccard`` or ``cosine``.
    backbone
        ``hypergeometric``, ``disparity`` or ``none`` (keep every pair with ``min_shared`` stories).
    alpha
        Significance level of the backbone filter, per edge.
    min_shared
        Pairs sharing fewer stories are never linked.
    resolution, seed
        Louvain's resolution and random seed.
    algorithm
        ``louvain`` or ``leiden``; see :func:`communities`.
    implementation
        ``igraph`` (compiled, the default) or ``networkx`` (the reference Louvain); see :func:`louvain`.

    Examples
    --------
    Two groups of three outlets, each group covering its own four stories:

    >>> from datetime import datetime, timezone
    >>> t = datetime(2025, 4, 1, tzinfo=timezone.utc)
    >>> rows = [CoverageRow(f"{g}{s}", "", f"{g}{o}", "center", 0.0, t, 1)
    ...         for g in "ab" for s in range(4) for o in range(3)]
    >>> net = outlet_network(rows, backbone="none", seed=1)
    >>> net.communities
    (('a0', 'a1', 'a2'), ('b0', 'b1', 'b2'))
    """
    if weight not in WEIGHTS:
        raise ValueError(f"weight must be one of {', '.join(WEIGHTS)}, not {weight!r}")
    if backbone not in BACKBONES:
        raise ValueError(f"backbone must be one of {', '.join(BACKBONES)}, not {backbone!r}")
    if algorithm not in ALGORITHMS:
        raise ValueError(f"algorithm must be one of {', '.join(ALGORITHMS)}, not {algorithm!r}")
    rows = require_rows(rows, "outlet-network")
    rating = {r.outlet_id: (r.bias, r.bias_score) for r in rows}
    B, outlets, stories = coverage_matrix(rows)
    n_stories = len(stories)
    deg = np.asarray(B.sum(axis=1)).ravel()
    shared = sparse.triu(B @ B.T, k=1).tocoo()
    i, j, k = shared.row, shared.col, shared.data
    keep = k >= min_shared
    i, j, k = i[keep], j[keep], k[keep]
    di, dj = deg[i], deg[j]
    if weight == "shared":
        w = k.astype(float)
    elif weight == "jaccard":
        w = k / (di + dj - k)
    else:
        w = k / np.sqrt(di * dj)
    candidates = len(k)
    if backbone == "hypergeometric":
        p = _hypergeom_sf(k, n_stories, di, dj, alpha=alpha)
        keep = p < alpha
    elif backbone == "disparity":
        p = _disparity_p(i, j, w, len(outlets))
        keep = p < alpha
    else:
        p = np.zeros(len(k))
        keep = np.ones(len(k), dtype=bool)

    G = nx.Graph()
    for o, d in zip(outlets, deg):
        bias, score = rating[o]
        G.add_node(o, bias=bias, side=side_of(bias), stories=int(d),
                   **({"bias_score": float(score)} if score is not None else {}))
    G.add_edges_from((outlets[a], outlets[b], {"weight": wt, "shared": kk, "p_value": pp}) for a, b, wt, kk, pp in zip(
        i[keep].tolist(), j[keep].tolist(), w[keep].astype(float).tolist(), k[keep].astype(int).tolist(),
        p[keep].astype(float).tolist()))

    found = communities(G, algorithm=algorithm, resolution=resolution, seed=seed, implementation=implementation)
    sides = tuple(_side_mix(G, c) for c in found)
    Q = _modularity(i[keep], j[keep], w[keep], _labels(outlets, found)) if keep.any() else 0.0
    settings = {"weight": weight, "backbone": backbone, "alpha": alpha, "min_shared": min_shared,
                "resolution": resolution, "seed": seed}
    if algorithm != "louvain":  # the default leaves the settings as they always were
        settings["algorithm"] = algorithm
    return OutletNetwork(G, found, sides, float(Q), int(candidates), settings)


def communities(G: nx.Graph, *, algorithm: str = "louvain", resolution: float = 1.0, seed: int = 0,
                implementation: str = "igraph") -> tuple[tuple[str, ...], ...]:
    """``G``'s communities by ``algorithm`` (``louvain`` or ``leiden``), as :func:`louvain` orders them.

    >>> communities(nx.Graph([("a", "b"), ("c", "d")]), algorithm="louvain")
    (('a', 'b'), ('c', 'd'))
    """
    if algorithm == "louvain":
        return louvain(G, resolution=resolution, seed=seed, implementation=implementation)
    if algorithm == "leiden":
        return leiden(G, resolution=resolution, seed=seed)
    raise ValueError(f"algorithm must be one of {', '.join(ALGORITHMS)}, not {algorithm!r}")


def louvain(G: nx.Graph, *, resolution: float = 1.0, seed: int = 0,
            implementation: str = "igraph") -> tuple[tuple[str, ...], ...]:
    """Louvain communities as sorted tuples, largest first (ties by first member), isolated nodes alone.

    ``implementation="igraph"`` (the default) runs igraph's multilevel Louvain,
    ``"networkx"`` networkx's (the reference, many times slower); both are
    deterministic for a seed.

    >>> louvain(nx.Graph([("a", "b"), ("c", "d")]), seed=0)
    (('a', 'b'), ('c', 'd'))
    >>> louvain(nx.Graph([("a", "b"), ("c", "d")]), seed=0, implementation="networkx")
    (('a', 'b'), ('c', 'd'))
    """
    if implementation not in IMPLEMENTATIONS:
        raise ValueError(f"implementation must be one of {', '.join(IMPLEMENTATIONS)}, not {implementation!r}")
    if implementation == "networkx":
        if G.number_of_edges() == 0:
            found = [{n} for n in G]
        else:
            found = nx.community.louvain_communities(G, weight="weight", resolution=resolution, seed=seed)
        return _ordered(found)
    return _from_graph(G, "louvain", resolution, seed)


def leiden(G: nx.Graph, *, resolution: float = 1.0, seed: int = 0) -> tuple[tuple[str, ...], ...]:
    """Leiden communities (leidenalg, modularity with ``resolution``), ordered as :func:`louvain`'s.

    >>> leiden(nx.Graph([("a", "b"), ("c", "d")]), seed=0)
    (('a', 'b'), ('c', 'd'))
    """
    return _from_graph(G, "leiden", resolution, seed)


def partition(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray | list[float], *, algorithm: str = "louvain",
              resolution: float = 1.0, seed: int = 0) -> np.ndarray:
    """Community labels of nodes ``0..n-1`` of the graph with edges ``u[i]-v[i]`` (weights ``w``), in compiled code.

    ``w`` is an array or a list of floats (the list is read faster: pass it when partitioning many
    graphs with the same weights).

    Louvain is igraph's multilevel algorithm (its last, best level), Leiden is
    leidenalg's with the modularity of resolution ``resolution``; each draws
    from a generator seeded with ``seed`` alone, so the labels are the same on
    every run and in any process. Labels are numbered by first occurrence.

    >>> partition(4, np.array([0, 2]), np.array([1, 3]), np.ones(2)).tolist()
    [0, 0, 1, 1]
    """
    igraph, leidenalg = _compiled()
    if len(u) == 0:
        return np.arange(n, dtype=np.int64)
    # igraph walks a NumPy edge array row by row: plain pairs of ints build the same graph in about half the time
    g = igraph.Graph(n=n, edges=list(zip(np.asarray(u).tolist(), np.asarray(v).tolist())))
    # igraph reads a list of floats about three times faster than a NumPy array: a caller that
    # partitions many graphs with the same weights (bias_clusters) passes the list, made once
    weights = w if isinstance(w, list) else np.asarray(w, dtype=float).tolist()
    if algorithm == "louvain":
        with _RNG_LOCK:  # igraph's generator is process-wide: seed it, run, put the default back
            igraph.set_random_number_generator(random.Random(seed))
            try:
                # the compiled call under Graph.community_multilevel, without the clustering object it wraps
                membership = igraph.GraphBase.community_multilevel(g, weights, return_levels=False,
                                                                   resolution=resolution)
            finally:
                igraph.set_random_number_generator(random)
    elif algorithm == "leiden":
        membership = leidenalg.find_partition(g, leidenalg.RBConfigurationVertexPartition, weights=weights,
                                              resolution_parameter=resolution, seed=seed).membership
    else:
        raise ValueError(f"algorithm must be one of {', '.join(ALGORITHMS)}, not {algorithm!r}")
    _, first, label = np.unique(np.asarray(membership, dtype=np.int64), return_index=True, return_inverse=True)
    return np.argsort(np.argsort(first))[label.ravel()]


def _compiled():
    try:
        import igraph
        import leidenalg
    except ImportError as e:
        raise ConfigError("community detection needs igraph and leidenalg, which newsgraph depends on: "
                          "reinstall it (pip install newsgraph) or pip install igraph leidenalg") from e
    return igraph, leidenalg


def edge_arrays(G: nx.Graph, index: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``G``'s edges as arrays: the ends' positions in ``index`` and the weights (1.0 where there is none)."""
    m = G.number_of_edges()
    u = np.empty(m, dtype=np.int64)
    v = np.empty(m, dtype=np.int64)
    w = np.empty(m, dtype=float)
    for k, (a, b, wt) in enumerate(G.edges(data="weight", default=1.0)):
        u[k], v[k], w[k] = index[a], index[b], wt
    return u, v, w


def _from_graph(G: nx.Graph, algorithm: str, resolution: float, seed: int) -> tuple[tuple[str, ...], ...]:
    nodes = list(G)
    u, v, w = edge_arrays(G, {n: i for i, n in enumerate(nodes)})
    label = partition(len(nodes), u, v, w, algorithm=algorithm, resolution=resolution, seed=seed)
    return _ordered(_groups(nodes, label))


def _groups(nodes: list, label: np.ndarray) -> list[list]:
    order = np.argsort(label, kind="stable")
    bounds = np.flatnonzero(np.diff(label[order])) + 1
    return [[nodes[i] for i in part.tolist()] for part in np.split(order, bounds)] if len(nodes) else []


def _ordered(found: Iterable[Iterable[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted((tuple(sorted(c)) for c in found), key=lambda c: (-len(c), c[0])))


def _labels(nodes: list[str], found: Iterable[Iterable[str]]) -> np.ndarray:
    of = {n: c for c, members in enumerate(found) for n in members}
    return np.array([of[n] for n in nodes], dtype=np.int64)


def _modularity(i: np.ndarray, j: np.ndarray, w: np.ndarray, label: np.ndarray) -> float:
    """Weighted modularity (resolution 1) of the partition ``label`` of the graph with edges ``i-j``, as networkx's."""
    total = w.sum()
    li, lj = label[i], label[j]
    inside = w[li == lj].sum()
    degree = np.bincount(li, weights=w, minlength=len(label)) + np.bincount(lj, weights=w, minlength=len(label))
    return float(inside / total - np.sum((degree / (2 * total)) ** 2))


def _side_mix(G: nx.Graph, members: Iterable[str]) -> dict[str, int]:
    counts = Counter({s: 0 for s in (*SIDES, UNRATED_SIDE)})
    counts.update(G.nodes[o]["side"] for o in members)
    return dict(counts)


def _hypergeom_sf(k: np.ndarray, n: int, di: np.ndarray, dj: np.ndarray, *, alpha: float = 1.0) -> np.ndarray:
    """``P(X >= k)`` for hypergeometric ``X``, computed once per distinct ``(k, di, dj)``.

    Long-tailed coverage repeats the same triples many times, so the distinct
    ones are enough. Above the mean (nearly every co-covering pair: shared
    stories are rare) the tail is summed with numpy, as scipy's ``sf`` costs
    tens of microseconds per element on thousands of stories; below it, where
    ``P >= 0.5``, scipy's ``sf`` is used, or 1.0 when ``alpha <= 0.5`` makes
    the exact value moot (such a pair is never kept).

    >>> k, di, dj = np.array([1, 3, 5, 1]), np.array([4, 6, 5, 9]), np.array([5, 6, 9, 9])
    >>> bool(np.allclose(_hypergeom_sf(k, 20, di, dj), hypergeom.sf(k - 1, 20, di, dj), rtol=1e-10))
    True
    """
    k, di, dj = (np.asarray(x, dtype=np.int64) for x in (k, di, dj))
    base = int(max(k.max(initial=0), di.max(initial=0), dj.max(initial=0))) + 1
    if base ** 3 < 2**62:  # one integer per triple: a 1-d unique is many times faster than unique columns
        keys, inverse = np.unique((k * base + di) * base + dj, return_inverse=True)
        kk, a, b = keys // (base * base), keys // base % base, keys % base
    else:
        triples, inverse = np.unique(np.stack([k, di, dj]), axis=1, return_inverse=True)
        kk, a, b = triples
    p = np.ones(len(kk))
    upper = kk > np.floor(a * b / n)
    if alpha > 0.5:
        p[~upper] = hypergeom.sf(kk[~upper] - 1, n, a[~upper], b[~upper])
    p[upper] = _upper_tail(kk[upper], n, a[upper], b[upper])
    return p[inverse.ravel()]


def _upper_tail(k: np.ndarray, n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``P(X >= k)`` for ``k`` above the mean: the pmf at ``k`` (log-gamma), then the terms' ratio
    recurrence, summed until the terms no longer change the sum (relative error about 1e-10)."""
    term = np.exp(_log_choose(a, k) + _log_choose(n - a, b - k) - _log_choose(n, b))
    total = term.copy()
    x = k.astype(float)
    last = np.minimum(a, b)
    active = np.flatnonzero((x < last) & (term > 0))
    while len(active):
        xa, aa, ba = x[active], a[active], b[active]
        term[active] *= (aa - xa) * (ba - xa) / ((xa + 1) * (n - aa - ba + xa + 1))
        total[active] += term[active]
        x[active] += 1
        active = active[(x[active] < last[active]) & (term[active] > total[active] * 1e-17)]
    return np.minimum(total, 1.0)


def _log_choose(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return gammaln(x + 1) - gammaln(y + 1) - gammaln(x - y + 1)


def _disparity_p(i: np.ndarray, j: np.ndarray, w: np.ndarray, n: int) -> np.ndarray:
    """Serrano et al.'s p-value of each edge, the smaller of its two ends' ``(1 - w/s)^(k-1)``."""
    strength = np.bincount(i, weights=w, minlength=n) + np.bincount(j, weights=w, minlength=n)
    degree = np.bincount(i, minlength=n) + np.bincount(j, minlength=n)

    def end(x: np.ndarray) -> np.ndarray:
        kx = degree[x]
        pv = np.power(1.0 - w / strength[x], kx - 1)
        return np.where(kx > 1, pv, 1.0)  # a node with one edge cannot single it out

    return np.minimum(end(i), end(j))
