"""Which people, places and organisations are reported together?

Usage:
    python scripts/entity_network.py [--ego ID] [--store URL] [--out FILE.png|DIR] [--since DATE]
        [--until DATE] [--entity ID] [--outlet DOMAIN] [--seed N] [--level article|story]
        [--min-count K] [--top N] [--draw N]

Builds the entity co-occurrence network (entities linked when at least
``--min-count`` articles, or stories, mention both; links weighted by NPMI,
only positive ones kept) and draws its most central part: the ``--draw``
entities with the highest PageRank, or with ``--ego ID`` that entity and its
strongest neighbours. Node size is how many articles mention an entity,
colour its type, link width and darkness its NPMI. Beside the picture: the
entities by PageRank and the strongest pairs (or the ego's neighbours). The
layout is random, so it takes ``--seed``. Example:

    python scripts/entity_network.py --store sqlite:///newsgraph-demo.db --ego gpe:afghanistan --out afghanistan.png
"""

from __future__ import annotations

import networkx as nx
from matplotlib.patches import Patch

import _report as rep
from newsgraph.engine.analysis import entity_network
from newsgraph.engine.analysis.entities import EntityNetwork

TYPE_COLOURS = {"PERSON": "#e69f00", "ORG": "#56b4e9", "GPE": "#009e73", "NORP": "#cc79a7", "LOC": "#0072b2",
                "FAC": "#d55e00", "EVENT": "#f0e442", "LAW": "#8c564b", "PRODUCT": "#17becf",
                "WORK_OF_ART": "#bcbd22"}
OTHER_COLOUR = "#bbbbbb"


def summary(net: EntityNetwork) -> str:
    """The printed report: network size, entities by PageRank, top pairs, the ego's neighbours."""
    unit = net.settings["level"]
    G = net.graph
    lines = [f"{G.number_of_nodes()} entities in {net.units} {unit}s, {G.number_of_edges()} NPMI links "
             f"(at least {net.settings['min_count']} shared {unit}s)", "entities by PageRank:"]
    lines += [f"  {r['pagerank']:.4f}  {r['name']} ({r['id']}), {r['count']} {unit}s, degree {r['degree']}"
              for r in net.ranking]
    lines.append("top pairs (NPMI):")
    lines += [f"  {p['npmi']:.3f}  {p['a']} + {p['b']} ({p['units']} {unit}s)" for p in net.top_pairs]
    if net.ego:
        lines.append(f"neighbours of {net.ego['name']} ({net.ego['id']}, {net.ego['count']} {unit}s):")
        lines += [f"  {n['npmi']:.3f}  {n['name']} ({n['id']}), {n['units']} {unit}s" for n in net.ego["neighbours"]]
    return "\n".join(lines)


def drawn_nodes(net: EntityNetwork, n: int) -> list[str]:
    """The entities to draw: the ego and its ``n - 1`` strongest neighbours, or the ``n`` highest by PageRank."""
    if net.ego:
        return [net.ego["id"]] + [v["id"] for v in net.ego["neighbours"][: n - 1]]
    return [r["id"] for r in net.ranking[:n]]


def draw(net: EntityNetwork, nodes: list[str], *, seed: int, title: str):
    """The figure: the network on the left, the tables on the right."""
    G = net.graph.subgraph(nodes)
    fig = rep.plt.figure(figsize=(17, 10.5))
    grid = fig.add_gridspec(2, 2, width_ratios=(2, 1), wspace=0.06, hspace=0.15, left=0.02, right=0.98,
                            top=0.92, bottom=0.04)
    fig.suptitle(rep.plain(title), fontsize=15, fontweight="bold", x=0.02, ha="left")
    ax = fig.add_subplot(grid[:, 0])
    ax.set_axis_off()
    ego = net.ego["id"] if net.ego else None
    if G.number_of_edges() == 0 and not ego:
        ax.text(0.5, 0.5, "no pair of entities passes the co-occurrence threshold", ha="center", va="center",
                fontsize=13, transform=ax.transAxes)
    else:
        pos = (nx.spring_layout(G, seed=seed, weight="weight", center=(0, 0), iterations=300, k=1.5 / len(G) ** 0.5)
               if ego else rep.component_layout(G, seed=seed))
        if ego:
            pos[ego] = (0.0, 0.0)
        weights = [d["weight"] for *_, d in G.edges(data=True)]
        nx.draw_networkx_edges(G, pos, ax=ax, width=[0.5 + 4 * w for w in weights], edge_color=weights,
                               edge_cmap=rep.plt.cm.Greys, edge_vmin=-0.3, edge_vmax=1.0, alpha=0.7)
        counts = [G.nodes[n]["count"] for n in G]
        top = max(counts)
        nx.draw_networkx_nodes(G, pos, ax=ax, nodelist=list(G),
                               node_size=[80 + 1100 * (c / top) ** 0.5 for c in counts],
                               node_color=[TYPE_COLOURS.get(G.nodes[n]["type"], OTHER_COLOUR) for n in G],
                               edgecolors=["#000000" if n == ego else "#555555" for n in G],
                               linewidths=[3 if n == ego else 0.6 for n in G])
        ax.margins(0.08)
        rep.node_labels(ax, pos, {n: G.nodes[n]["name"] for n in G}, font_size=8.5,
                        weights={ego: "bold"} if ego else None)
    types = sorted({G.nodes[n]["type"] for n in G}, key=lambda t: (t not in TYPE_COLOURS, t))
    ax.legend(handles=[Patch(facecolor=TYPE_COLOURS.get(t, OTHER_COLOUR), edgecolor="#555555", label=t)
                       for t in types], title="entity type", loc="upper left", fontsize=9, framealpha=0.9)
    unit = net.settings["level"]
    fig.text(0.02, 0.01, f"{G.number_of_nodes()} of {net.graph.number_of_nodes()} entities drawn; node size: "
             f"{unit}s mentioning it; link width and darkness: NPMI (links need {net.settings['min_count']} "
             f"shared {unit}s and NPMI > 0); layout seed {seed}", fontsize=8.5, color="#444444")
    rank_rows = [(rep.plain(r["name"], 30), r["type"], str(r["count"]), str(r["degree"]), f"{r['pagerank']:.4f}")
                 for r in net.ranking[:20]]
    rep.table(fig.add_subplot(grid[0, 1]), ("entity", "type", unit + "s", "degree", "PageRank"), rank_rows,
              title="Entities by PageRank (NPMI weights)", col_widths=(0.44, 0.14, 0.13, 0.13, 0.16), font_size=8.5)
    names = nx.get_node_attributes(net.graph, "name")
    if net.ego:
        pair_rows = [(rep.plain(v["name"], 34), str(v["units"]), f"{v['npmi']:.3f}") for v in net.ego["neighbours"][:20]]
        header, pair_title = ("neighbour", unit + "s", "NPMI"), f"Neighbours of {rep.plain(net.ego['name'])}"
        widths = (0.6, 0.2, 0.2)
    else:
        pair_rows = [(rep.plain(names[p["a"]], 24), rep.plain(names[p["b"]], 24), str(p["units"]), f"{p['npmi']:.3f}")
                     for p in net.top_pairs[:20]]
        header, pair_title, widths = ("entity", "entity", unit + "s", "NPMI"), "Strongest pairs (NPMI)", (
            0.38, 0.38, 0.12, 0.12)
    rep.table(fig.add_subplot(grid[1, 1]), header, pair_rows, title=pair_title, col_widths=widths, font_size=8.5)
    return fig


def main(argv: list[str] | None = None) -> int:
    """Parse the options, compute, print the summary, write the PNG; the exit code."""
    p = rep.parser(__doc__, default_out="entity_network.png")
    p.add_argument("--ego", help="draw this entity (id, e.g. gpe:finland) and its neighbours")
    p.add_argument("--level", default=None, help="co-occurrence within: article or story [NEWSGRAPH_ENTITY_LEVEL]")
    p.add_argument("--min-count", type=int, default=None, help="fewest shared units for a link [2]")
    p.add_argument("--top", type=int, default=20, help="entities and pairs to list [%(default)s]")
    p.add_argument("--draw", type=int, default=40, help="entities to draw [%(default)s]")
    args = p.parse_args(argv)
    if args.draw < 2 or args.top < 1:
        rep.fail("--draw needs at least 2 entities and --top at least 1")
    path = rep.out_path(args.out, "entity_network.png")
    with rep.opened_store(args, analysis_seed=args.seed, entity_level=args.level,
                          entity_min_count=args.min_count) as (store, s):
        net = entity_network(store.mention_rows(**rep.row_filters(args)), level=s.entity_level,
                             min_count=s.entity_min_count, ego=args.ego, top=max(args.top, args.draw))
    print(summary(_trimmed(net, args.top)))
    title = (f"Entities reported with {net.ego['name']}" if net.ego
             else f"Entity co-occurrence network: the {min(args.draw, net.graph.number_of_nodes())} entities "
                  f"with the highest PageRank")
    rep.save(draw(net, drawn_nodes(net, args.draw), seed=s.analysis_seed, title=title), path)
    print(f"wrote {path}")
    return 0


def _trimmed(net: EntityNetwork, top: int) -> EntityNetwork:
    from dataclasses import replace

    return replace(net, ranking=net.ranking[:top], top_pairs=net.top_pairs[:top])


if __name__ == "__main__":
    raise SystemExit(main())
