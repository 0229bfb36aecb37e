"""Do outlets that cover the same stories share a rated bias, more than chance would give?

Usage:
    python scripts/bias_clusters.py [--store URL] [--out FILE.png|DIR] [--since DATE] [--until DATE]
        [--entity ID] [--outlet DOMAIN] [--seed N] [--null-models N] [--weight W] [--backbone B]
        [--alpha A] [--min-shared K] [--resolution R] [--algorithm louvain|leiden]

Builds the outlet network (outlets linked by the stories they both cover,
edges kept by the backbone filter) and scores how well the outlets' rated
sides explain it: bias modularity, bias-score assortativity, NMI and ARI of
the communities (Louvain, or Leiden with ``--algorithm leiden``) against
degree-preserving randomisations, and NMI and ARI against the rated sides
shuffled over the same communities (``nmi_shuffled_sides``,
``ari_shuffled_sides``, the null to read them against), each with the null
model's mean, standard deviation and z. The picture shows the
network laid out (spring layout, ``--seed``), each outlet filled with its
rated bias and outlined with its community's colour, next to the scores
table and the outliers (outlets whose side differs from their community's
majority). The same numbers are printed, as ``newsgraph analyze
bias-clusters`` prints them. Example:

    python scripts/bias_clusters.py --store sqlite:///newsgraph-demo.db --out bias_clusters.png
"""

from __future__ import annotations

import networkx as nx
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

import _report as rep
from newsgraph.engine.analysis import bias_clusters, outlet_network
from newsgraph.engine.analysis.bias_clusters import BiasClusters
from newsgraph.engine.analysis.outlet_network import OutletNetwork
from newsgraph.engine.views.palette import bias_colour, bias_legend

COMMUNITY_COLOURS = ("#e6a100", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#4d4d4d", "#8c564b", "#17becf")
"Outline colours of the largest communities (Okabe-Ito and tab10 shades); smaller ones are drawn thin grey."

LISTED_OUTLIERS = 22
"Outliers listed in the table (and labelled in bold); the printed summary lists them all."


def summary(result: BiasClusters, net: OutletNetwork) -> str:
    """The printed report: network size, the scores table, the outliers."""
    G = net.graph
    lines = [f"outlet network: {G.number_of_nodes()} outlets, {G.number_of_edges()} of {net.candidate_edges} "
             f"co-coverage edges kept ({net.settings['backbone']}), {len(net.communities)} communities",
             f"{result.rated_outlets} rated outlets, {result.edges} edges among them, "
             f"{result.n_random} randomised networks, seed {result.seed}",
             f"  {'score':<20}{'observed':>10}{'null mean':>11}{'null sd':>9}{'z':>8}"]
    for s in result.scores:
        lines.append(f"  {s.name:<20}{rep.fmt(s.observed):>10}{rep.fmt(s.null_mean):>11}{rep.fmt(s.null_sd):>9}"
                     f"{rep.fmt(s.z):>8}")
    lines.append(f"{len(result.outliers)} outliers (side differs from their community's majority):")
    lines += [f"  {o['outlet']} ({o['side']}) in community {o['community']} ({o['community_side']})"
              for o in result.outliers]
    return "\n".join(lines)


def draw(net: OutletNetwork, result: BiasClusters, *, seed: int, title: str):
    """The figure: network on the left, scores and outliers on the right."""
    G = net.graph
    method = net.settings.get("algorithm", "louvain").capitalize()
    drawn = G.subgraph([n for n in G if G.degree(n) > 0])
    fig = rep.plt.figure(figsize=(17, 10.5))
    grid = fig.add_gridspec(2, 2, width_ratios=(2.1, 1), height_ratios=(1, 2.6), wspace=0.05, hspace=0.12,
                            left=0.02, right=0.98, top=0.92, bottom=0.03)
    ax = fig.add_subplot(grid[:, 0])
    fig.suptitle(rep.plain(title), fontsize=15, fontweight="bold", x=0.02, ha="left")
    ax.set_axis_off()
    community = net.community_of()
    big = [i for i, c in enumerate(net.communities) if len(c) > 1][: len(COMMUNITY_COLOURS)]
    outline = {i: COMMUNITY_COLOURS[k] for k, i in enumerate(big)}
    if drawn.number_of_nodes():
        pos = rep.component_layout(drawn, seed=seed)
        weights = [d["weight"] for *_, d in drawn.edges(data=True)]
        top_w = max(weights) if weights else 1.0
        nx.draw_networkx_edges(drawn, pos, ax=ax, edge_color="#9a9a9a", alpha=0.45,
                               width=[0.6 + 2.4 * w / top_w for w in weights])
        nodes = list(drawn)
        sizes = [90 + 360 * (drawn.degree(n) / max(dict(drawn.degree()).values())) for n in nodes]
        nx.draw_networkx_nodes(
            drawn, pos, ax=ax, nodelist=nodes, node_size=sizes,
            node_color=[bias_colour(drawn.nodes[n]["bias"]) for n in nodes],
            edgecolors=[outline.get(community[n], "#bbbbbb") for n in nodes],
            linewidths=[3.2 if community[n] in outline else 1.0 for n in nodes])
        outliers = {o["outlet"] for o in result.outliers[:LISTED_OUTLIERS]}
        ax.margins(0.06)
        shown = _labelled(drawn, outliers)
        rep.node_labels(ax, {n: (pos[n][0], pos[n][1] + 0.12) for n in shown}, {n: n for n in shown},
                        font_size=7.5, weights={n: "bold" for n in outliers})
    else:
        ax.text(0.5, 0.5, "no edge passed the backbone filter:\nnothing to lay out", ha="center", va="center",
                fontsize=13, transform=ax.transAxes)
    hidden = G.number_of_nodes() - drawn.number_of_nodes()
    fig.text(0.02, 0.01, f"{drawn.number_of_nodes()} outlets with a kept edge drawn ({hidden} without one not drawn); "
            f"backbone {net.settings['backbone']}, weight {net.settings['weight']}; node size: degree; "
            f"bold label: outlier; layout seed {seed}", fontsize=8.5, color="#444444")
    bias_handles = [Patch(facecolor=colour, edgecolor="#666666", label=label) for colour, label in bias_legend()]
    comm_handles = [Line2D([], [], marker="o", linestyle="", markersize=11, markerfacecolor="white",
                           markeredgewidth=3, markeredgecolor=outline[i],
                           label=f"community {i}: {len(net.communities[i])} outlets "
                                 f"(L{net.community_sides[i]['left']} C{net.community_sides[i]['center']} "
                                 f"R{net.community_sides[i]['right']})")
                    for i in big]
    first = ax.legend(handles=bias_handles, title="rated bias (fill)", loc="upper left", fontsize=9, framealpha=0.9)
    ax.add_artist(first)
    if comm_handles:
        ax.legend(handles=comm_handles, title=f"{method} community (outline)", loc="lower right", fontsize=8.5,
                  framealpha=0.9)
    score_rows = [(s.name, rep.fmt(s.observed), rep.fmt(s.null_mean), rep.fmt(s.null_sd), rep.fmt(s.z, 2))
                  for s in result.scores]
    scores_ax = fig.add_subplot(grid[0, 1])
    rep.table(scores_ax, ("score", "observed", "null mean", "null sd", "z"), score_rows,
              title=f"Scores vs {result.n_random} randomisations\n"
                    f"({result.rated_outlets} rated outlets, {result.edges} edges among them)",
              col_widths=(0.36, 0.16, 0.18, 0.15, 0.12), font_size=10)
    scores_ax.text(0.02, 0.0, "null: degree-preserving edge swaps, except *_shuffled_sides: the rated sides\n"
                   "shuffled over the same communities (the null to read NMI and ARI against)",
                   transform=scores_ax.transAxes, fontsize=8.5, color="#444444", va="bottom")
    out_rows = [(o["outlet"], o["side"], f"{o['community']} ({o['community_side']})")
                for o in result.outliers[:LISTED_OUTLIERS]]
    more = len(result.outliers) - len(out_rows)
    rep.table(fig.add_subplot(grid[1, 1]), ("outlier", "side", "community (majority)"), out_rows,
              title=f"{len(result.outliers)} outliers" + (f" (first {LISTED_OUTLIERS} shown)" if more > 0 else ""),
              col_widths=(0.5, 0.18, 0.32), font_size=8.5)
    return fig


def _labelled(G: nx.Graph, outliers: set[str], *, all_up_to: int = 90, most: int = 40) -> list[str]:
    """Which outlets get a label: every one of a network up to ``all_up_to`` outlets, else the ``most`` with the
    largest weighted degree plus the listed outliers outside the largest component (inside it they would bury it)."""
    if G.number_of_nodes() <= all_up_to:
        return list(G)
    best = sorted(G, key=lambda n: (-G.degree(n, weight="weight"), n))[:most]
    largest = max(nx.connected_components(G), key=len)
    return best + sorted(outliers.intersection(G) - largest - set(best))


def main(argv: list[str] | None = None) -> int:
    """Parse the options, compute, print the summary, write the PNG; the exit code."""
    p = rep.parser(__doc__, default_out="bias_clusters.png")
    p.add_argument("--null-models", type=int, default=None, help="randomised networks [NEWSGRAPH_NULL_MODELS, 100]")
    p.add_argument("--weight", default=None, help="edge weight: shared, jaccard or cosine [NEWSGRAPH_NETWORK_WEIGHT]")
    p.add_argument("--backbone", default=None,
                   help="edge filter: hypergeometric, disparity or none [NEWSGRAPH_NETWORK_BACKBONE]")
    p.add_argument("--alpha", type=float, default=None, help="backbone significance level per edge [0.05]")
    p.add_argument("--min-shared", type=int, default=None, help="fewest shared stories for an edge [1]")
    p.add_argument("--resolution", type=float, default=None, help="Louvain resolution [1.0]")
    p.add_argument("--algorithm", default=None, choices=("louvain", "leiden"),
                   help="community algorithm [NEWSGRAPH_COMMUNITY_ALGORITHM, louvain]")
    args = p.parse_args(argv)
    path = rep.out_path(args.out, "bias_clusters.png")
    overrides = dict(analysis_seed=args.seed, null_models=args.null_models, network_weight=args.weight,
                     network_backbone=args.backbone, network_alpha=args.alpha, network_min_shared=args.min_shared,
                     louvain_resolution=args.resolution, community_algorithm=args.algorithm)
    with rep.opened_store(args, **overrides) as (store, s):
        rows = list(store.coverage_rows(**rep.row_filters(args)))
        net = outlet_network(rows, weight=s.network_weight, backbone=s.network_backbone, alpha=s.network_alpha,
                             min_shared=s.network_min_shared, resolution=s.louvain_resolution, seed=s.analysis_seed,
                             algorithm=s.community_algorithm)
        result = bias_clusters(net.graph, net.communities, n_random=s.null_models, resolution=s.louvain_resolution,
                               seed=s.analysis_seed, algorithm=s.community_algorithm)
    print(summary(result, net))
    z = result.score("bias_modularity").z
    title = (f"Outlet network by rated bias: bias modularity z = {rep.fmt(z, 2)}"
             if z is not None else "Outlet network by rated bias")
    rep.save(draw(net, result, seed=s.analysis_seed, title=title), path)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
