"""Bias clusters: how well the outlets' rated bias explains the outlet network.

Four scores, each next to the same score on degree-preserving randomisations
of the network (Salloum, Chen & Kivela 2022: such scores are high even on
random graphs, so only their distance from a null model means something):

- ``bias_modularity``: modularity of the partition by rated side (left /
  center / right), weighted;
- ``bias_assortativity``: weighted Pearson correlation of ``bias_score``
  across the ends of edges;
- ``nmi`` and ``ari``: agreement between the Louvain communities (Leiden's
  with ``algorithm="leiden"``) and the rated sides (normalised mutual
  information, adjusted Rand index); on each randomised graph they are found
  again.

Only rated outlets count. Randomised graphs swap the ends of two edges at a
time (each edge keeps its weight), so every outlet keeps its degree. The
swaps run on integer edge arrays, many disjoint swaps per numpy step (which
pairs are edges is a bitmap while the network is small enough), Louvain runs
on the same arrays in compiled code (igraph; ``implementation="networkx"``
runs networkx's Louvain, the reference) and the scores are computed from
them; randomisations are spread over processes. Between randomisations a
caller that no longer waits for the result stops the rest
(:func:`~engine.cancel.checkpoint`).
Outliers are rated outlets whose side differs from the majority side of their
community.

Edge swaps keep degrees but not strengths (weighted degrees), and on large
sparse graphs the communities of randomised graphs come out shaped unlike the
real ones, which can make NMI and ARI look far from their null when ratings
are random. So NMI and ARI have a second null that asks the plainer
question, "do the communities agree with the ratings more than with the same
ratings dealt out at random?": ``nmi_shuffled_sides`` and
``ari_shuffled_sides`` keep the communities and shuffle the rated sides among
the rated outlets (``n_random`` times, from the same seed).
"""

from __future__ import annotations

import math
import multiprocessing
import os
import threading
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass
from typing import Any, Sequence

import networkx as nx
import numpy as np

from newsgraph.engine.analysis.outlet_network import (ALGORITHMS, IMPLEMENTATIONS, communities as find_communities,
                                                      edge_arrays, partition)
from newsgraph.engine.analysis.preconditions import requires_graph
from newsgraph.engine.cancel import checkpoint
from newsgraph.engine.models import SIDES

SCORES = ("bias_modularity", "bias_assortativity", "nmi", "ari")
SHUFFLED = {"nmi_shuffled_sides": "nmi", "ari_shuffled_sides": "ari"}
"Scores whose null shuffles the rated sides over fixed communities (see the module's notes)."
SIDE_CODES = {side: i for i, side in enumerate(SIDES)}
BITMAP_PAIRS = 1 << 26
"Node pairs up to which edge swaps look edges up in a bitmap (one byte a pair) rather than a sorted array."
PARALLEL_WORK = 200_000
"Edges times randomisations above which ``workers=None`` uses every core (below, starting processes costs more)."


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
    workers: int | None = None,
    algorithm: str = "louvain",
    implementation: str = "igraph",
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
    algorithm
        The community algorithm, here and on every randomised graph: ``louvain`` or ``leiden``
        (see :func:`~engine.analysis.outlet_network.communities`).
    implementation
        ``igraph`` (compiled, the default) or ``networkx`` (the reference Louvain, many times
        slower); see :func:`~engine.analysis.outlet_network.louvain`.
    workers
        Processes for the randomisations (``None``: every core when the work is big enough
        and this process has no other threads, else one).
        Randomisation ``r`` draws from its own stream, spawned from ``seed``, so the result
        is the same for any number of workers.

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
    if algorithm not in ALGORITHMS:
        raise ValueError(f"algorithm must be one of {', '.join(ALGORITHMS)}, not {algorithm!r}")
    if implementation not in IMPLEMENTATIONS:
        raise ValueError(f"implementation must be one of {', '.join(IMPLEMENTATIONS)}, not {implementation!r}")
    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    rated_mask = np.array([G.nodes[n]["side"] in SIDES for n in nodes], dtype=bool)
    rated = [n for n, r in zip(nodes, rated_mask) if r]
    side = {n: G.nodes[n]["side"] for n in rated}
    side_code = np.array([SIDE_CODES.get(G.nodes[n]["side"], -1) for n in nodes], dtype=np.int64)
    value = np.array([_score_of(G.nodes[n]) if r else np.nan for n, r in zip(nodes, rated_mask)], dtype=float)
    u, v, w = edge_arrays(G, index)
    if communities is None:
        communities = find_communities(G, algorithm=algorithm, resolution=resolution, seed=seed,
                                       implementation=implementation)
    community = {n: i for i, c in enumerate(communities) for n in c}
    net = _Network(nodes, rated_mask, side_code, value, w, w.tolist())
    observed = net.measure(u, v, [community[n] for n in rated])
    seeds = np.random.SeedSequence(seed).spawn(n_random)
    jobs = [(s, seed + r + 1) for r, s in enumerate(seeds)]
    null: dict[str, list[float]] = {k: [] for k in SCORES}
    for result in _run_null(net, u, v, jobs, swaps_per_edge, (algorithm, resolution, implementation), workers):
        for k, x in result.items():
            if x is not None:
                null[k].append(x)
    comm = [community[n] for n in rated]
    labels = side_code[rated_mask].tolist()
    shuffle_rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(n_random + 1)[-1])
    for k, score in zip(SHUFFLED, (nmi, ari)):
        observed[k] = observed[SHUFFLED[k]]
        null[k] = [score(comm, shuffle_rng.permutation(labels).tolist()) for _ in range(n_random)] if labels else []
    scores = [_score(k, observed[k], null[k]) for k in (*SCORES, *SHUFFLED)]
    rated_edges = int(np.count_nonzero(rated_mask[u] & rated_mask[v]))
    return BiasClusters(tuple(scores), _outliers(communities, side), len(rated), rated_edges, n_random, seed)


def _score(name: str, observed: float | None, null: list[float]) -> Score:
    mean = float(np.mean(null)) if null else None
    sd = float(np.std(null, ddof=1)) if len(null) > 1 else None
    z = (observed - mean) / sd if observed is not None and mean is not None and sd else None
    return Score(name, observed, mean, sd, z)


def randomise(G: nx.Graph, *, swaps_per_edge: int = 10, rng: np.random.Generator | None = None) -> nx.Graph:
    """A degree-preserving randomisation of ``G``: double edge swaps, each edge keeping its weight.

    >>> G = nx.cycle_graph(8)
    >>> R = randomise(G, rng=np.random.default_rng(0))
    >>> sorted(d for _, d in R.degree()) == sorted(d for _, d in G.degree())
    True
    """
    nodes = list(G)
    u, v, w = edge_arrays(G, {n: i for i, n in enumerate(nodes)})
    u, v = swap_edges(u, v, len(nodes), swaps_per_edge=swaps_per_edge, rng=rng or np.random.default_rng(0))
    R = nx.Graph()
    R.add_nodes_from(G.nodes(data=True))
    R.add_weighted_edges_from(zip([nodes[i] for i in u.tolist()], [nodes[j] for j in v.tolist()], w.tolist()))
    return R


def swap_edges(u: np.ndarray, v: np.ndarray, n: int, *, swaps_per_edge: int = 10,
               rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Degree-preserving double edge swaps on the edge list ``u[i]-v[i]`` of a simple graph on ``n`` nodes.

    Each round pairs every edge with another at random (a random orientation
    each) and proposes ``u-v, x-y -> u-y, x-v`` for all pairs at once; a
    proposal is dropped when it would make a loop, an edge already present, or
    an edge another proposal of the round also makes. Two rounds per
    ``swaps_per_edge`` make as many attempts as ``swaps_per_edge * m`` single
    swaps. Edge ``i`` keeps its index, so anything indexed by edge (a weight)
    moves with it.

    >>> u, v = swap_edges(np.array([0, 1, 2, 3]), np.array([1, 2, 3, 0]), 4, rng=np.random.default_rng(1))
    >>> np.bincount(np.concatenate([u, v])).tolist()
    [2, 2, 2, 2]
    """
    m = len(u)
    if m < 2 or n * n > BITMAP_PAIRS:
        return _swap_edges_sorted(u, v, n, swaps_per_edge=swaps_per_edge, rng=rng)
    # which pairs are edges: a bitmap over all pairs, one lookup per proposal, kept up to date as
    # edges move. Node ids and pair keys fit 32 bits (n * n <= BITMAP_PAIRS), which halves what
    # each step reads and writes; each edge's key is kept, not recomputed
    u, v = np.array(u, dtype=np.int32), np.array(v, dtype=np.int32)
    key = _keys(u, v, n)
    bitmap = np.zeros(n * n, dtype=bool)
    bitmap[key] = True
    taken = np.zeros(n * n, dtype=bool)
    half = m // 2
    for _ in range(2 * swaps_per_edge):
        perm = rng.permutation(m)
        a, b = perm[:half], perm[half:2 * half]
        flip = rng.random(half) < 0.5
        p, q, ub, vb = u.take(a), v.take(a), u.take(b), v.take(b)
        x, y = np.where(flip, vb, ub), np.where(flip, ub, vb)
        k1, k2 = _keys(p, y, n), _keys(x, q, n)
        # p == x or q == y would make edge b again, which the bitmap rejects: only loops need a test
        ok = bitmap.take(k1)
        ok |= bitmap.take(k2)
        np.logical_not(ok, out=ok)
        ok &= p != y
        ok &= q != x
        i = np.flatnonzero(ok)
        n1, n2 = k1.take(i), k2.take(i)
        twice = _repeated(np.concatenate([n1, n2]))
        if len(twice):
            taken[twice] = True
            clash = taken.take(n1)
            clash |= taken.take(n2)
            taken[twice] = False
            keep = np.flatnonzero(~clash)
            i, n1, n2 = i.take(keep), n1.take(keep), n2.take(keep)
        ia, ib = a.take(i), b.take(i)
        bitmap[key.take(ia)] = False
        bitmap[key.take(ib)] = False
        bitmap[n1] = True
        bitmap[n2] = True
        key[ia], key[ib] = n1, n2
        u[ia], v[ia], u[ib], v[ib] = p.take(i), y.take(i), x.take(i), q.take(i)
    return u.astype(np.int64), v.astype(np.int64)


def _swap_edges_sorted(u: np.ndarray, v: np.ndarray, n: int, *, swaps_per_edge: int,
                       rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """:func:`swap_edges` for networks too big for a bitmap of pairs: a sorted array of pair keys each round."""
    u, v = np.array(u, dtype=np.int64), np.array(v, dtype=np.int64)
    m = len(u)
    if m < 2:
        return u, v
    half = m // 2
    for _ in range(2 * swaps_per_edge):
        perm = rng.permutation(m)
        a, b = perm[:half], perm[half:2 * half]
        flip = rng.random(half) < 0.5
        p, q = u[a], v[a]
        x = np.where(flip, v[b], u[b])
        y = np.where(flip, u[b], v[b])
        k1, k2 = _keys(p, y, n), _keys(x, q, n)
        ok = (p != x) & (p != y) & (q != x) & (q != y)
        present = np.sort(_keys(u, v, n))
        ok &= ~_contains(present, k1) & ~_contains(present, k2)
        new = np.concatenate([k1[ok], k2[ok]])
        values, counts = np.unique(new, return_counts=True)
        taken_twice = values[counts > 1]
        if len(taken_twice):
            ok &= ~np.isin(k1, taken_twice) & ~np.isin(k2, taken_twice)
        a, b = a[ok], b[ok]
        u[a], v[a], u[b], v[b] = p[ok], y[ok], x[ok], q[ok]
    return u, v


def _repeated(keys: np.ndarray) -> np.ndarray:
    """The keys that occur more than once in ``keys`` (a repeated key may be listed more than once)."""
    ordered = np.sort(keys)
    return ordered[1:][ordered[1:] == ordered[:-1]]


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


@dataclass(frozen=True)
class _Network:
    """What the scores need of a graph besides its edge ends: node order, ratings, edge weights."""

    nodes: list
    rated: np.ndarray
    side: np.ndarray
    value: np.ndarray
    weight: np.ndarray
    weight_list: list[float]
    "``weight`` as a list, made once: what igraph reads fastest, and the same on every randomised graph."

    def measure(self, u: np.ndarray, v: np.ndarray, comm: Sequence[int]) -> dict[str, float | None]:
        """The four scores of the graph with edges ``u[i]-v[i]`` (weights ``self.weight``), over rated nodes."""
        both = self.rated[u] & self.rated[v]
        u, v, w = u[both], v[both], self.weight[both]
        labels = self.side[self.rated].tolist()
        return {
            "bias_modularity": _partition_modularity(u, v, w, self.side),
            "bias_assortativity": _weighted_assortativity(u, v, w, self.value),
            "nmi": nmi(comm, labels) if labels else None,
            "ari": ari(comm, labels) if labels else None,
        }

    def null_scores(self, u: np.ndarray, v: np.ndarray, job: tuple[np.random.SeedSequence, int],
                    swaps_per_edge: int, community: tuple[str, float, str]) -> dict[str, float | None]:
        """The scores of one randomisation: swap edges with the job's stream, find communities with its seed."""
        stream, louvain_seed = job
        algorithm, resolution, implementation = community
        n = len(self.nodes)
        ru, rv = swap_edges(u, v, n, swaps_per_edge=swaps_per_edge, rng=np.random.default_rng(stream))
        if implementation == "networkx":
            R = nx.Graph()
            R.add_nodes_from(range(n))  # integer nodes in G's order: Louvain visits them alike
            R.add_weighted_edges_from(zip(ru.tolist(), rv.tolist(), self.weight.tolist()))
            found = find_communities(R, algorithm=algorithm, resolution=resolution, seed=louvain_seed,
                                     implementation=implementation)
            label = np.empty(n, dtype=np.int64)
            for i, members in enumerate(found):
                label[list(members)] = i
        else:  # straight from the edge arrays: no networkx graph to build
            label = partition(n, ru, rv, self.weight_list, algorithm=algorithm, resolution=resolution,
                              seed=louvain_seed)
        return self.measure(ru, rv, label[self.rated].tolist())


_WORKER: dict[str, Any] = {}


def _init_worker(net: _Network, u: np.ndarray, v: np.ndarray, swaps_per_edge: int,
                 community: tuple[str, float, str]) -> None:
    _WORKER.update(net=net, u=u, v=v, swaps_per_edge=swaps_per_edge, community=community)


def _null_in_worker(job: tuple[np.random.SeedSequence, int]) -> dict[str, float | None]:
    w = _WORKER
    return w["net"].null_scores(w["u"], w["v"], job, w["swaps_per_edge"], w["community"])


def _run_null(net: _Network, u: np.ndarray, v: np.ndarray, jobs: list, swaps_per_edge: int,
              community: tuple[str, float, str], workers: int | None) -> list[dict[str, float | None]]:
    """Each job's scores, in job order, computed here or in ``workers`` processes."""
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    context = _start_context(explicit=workers is not None)
    if workers is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        workers = cores if context is not None and len(u) * len(jobs) >= PARALLEL_WORK else 1
    workers = min(workers, len(jobs))
    # between randomisations the caller may say nobody waits for the result any more (a web client
    # that went away): then no further one starts
    if workers <= 1:
        scores = []
        for job in jobs:
            checkpoint()
            scores.append(net.null_scores(u, v, job, swaps_per_edge, community))
        return scores
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                               initargs=(net, u, v, swaps_per_edge, community))
    try:
        # one job at a time: each is heavy (that is why there are workers), and the last chunk of
        # a bigger chunksize leaves the other cores idle while one worker finishes it
        futures = [pool.submit(_null_in_worker, job) for job in jobs]
        scores = []
        for future in futures:
            while not wait((future,), timeout=0.1).done:  # asked while the workers start and compute
                checkpoint()
            checkpoint()
            scores.append(future.result())
    except BaseException:
        # stopped early (or failed): the jobs not started are dropped, and the caller does not wait for
        # the workers to finish the ones they hold
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return scores


def _start_context(*, explicit: bool):
    """How to start worker processes, or ``None`` when only asked-for workers should be started.

    ``fork`` starts at once and does not re-run the caller's script, but is only
    safe while this process has no other threads (one might hold a lock); then
    ``forkserver``/``spawn`` are used for workers that were asked for.
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if not explicit:
        return None
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _score_of(d: dict) -> float:
    s = d.get("bias_score")
    return np.nan if s is None else float(s)


def _keys(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """One integer per unordered pair of nodes (of ``a``'s type: int32 ends make int32 keys)."""
    k = np.minimum(a, b)
    k *= a.dtype.type(n)
    k += np.maximum(a, b)
    return k


def _contains(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    at = np.searchsorted(sorted_keys, keys)
    return sorted_keys[np.minimum(at, len(sorted_keys) - 1)] == keys


def _partition_modularity(u: np.ndarray, v: np.ndarray, w: np.ndarray, label: np.ndarray) -> float | None:
    """Weighted modularity of the partition by ``label`` (as networkx's ``modularity``, resolution 1)."""
    if len(u) == 0:
        return None
    total = w.sum()
    lu, lv = label[u], label[v]
    k = int(label.max()) + 1
    inside = np.bincount(lu[lu == lv], weights=w[lu == lv], minlength=k)
    degree = np.bincount(lu, weights=w, minlength=k) + np.bincount(lv, weights=w, minlength=k)
    return float(np.sum(inside / total - (degree / (2 * total)) ** 2))


def _weighted_assortativity(u: np.ndarray, v: np.ndarray, w: np.ndarray, value: np.ndarray) -> float | None:
    """Weighted Pearson correlation of ``value`` across edge ends, over edges with both ends valued."""
    ok = ~np.isnan(value[u]) & ~np.isnan(value[v])
    if not ok.any():
        return None
    a, b, ww = value[u[ok]], value[v[ok]], w[ok]
    x, y, wt = np.concatenate([a, b]), np.concatenate([b, a]), np.concatenate([ww, ww])
    mx = np.average(x, weights=wt)
    var = np.average((x - mx) ** 2, weights=wt)
    if var == 0:
        return None
    return float(np.average((x - mx) * (y - mx), weights=wt) / var)


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
