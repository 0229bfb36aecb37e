"""``newsgraph analyze NAME`` and ``newsgraph export graph``: the analyses and graph exports on the command line.

Every analysis reads rows from the store, filtered by ``--since``/``--until``
(dates or ISO times, UTC), ``--entity`` (stories about it) and ``--outlet``
(stories it covered); thresholds default to the settings
(``NEWSGRAPH_*``, see docs/settings.md) and can be given as options.
"""

from __future__ import annotations

import csv
import sys
from datetime import datetime, time, timezone
from pathlib import Path
from typing import Any, Optional

import typer

analyze_app = typer.Typer(help="Coverage analyses: blindspots, outlet networks, bias clusters, entities, ...",
                          no_args_is_help=True)

StoreOpt = typer.Option(None, "--store", envvar="NEWSGRAPH_STORE",
                        help="Store URL: sqlite:///PATH (default sqlite:///newsgraph.db) or bolt://HOST:PORT.")
JsonOpt = typer.Option(False, "--json", help="Print machine-readable JSON.")
SinceOpt = typer.Option(None, "--since", help="Only coverage published on or after this date/time (UTC).")
UntilOpt = typer.Option(None, "--until", help="Only coverage published on or before this date/time (UTC).")
EntityOpt = typer.Option(None, "--entity", help="Only stories about this entity id (e.g. gpe:finland).")
OutletOpt = typer.Option(None, "--outlet", help="Only stories this outlet (domain) covered.")
SeedOpt = typer.Option(None, "--seed", help="Random seed [NEWSGRAPH_ANALYSIS_SEED].")


def register(app: typer.Typer) -> None:
    """Add ``analyze`` and ``export graph`` to the ``newsgraph`` app."""
    app.add_typer(analyze_app, name="analyze")
    export = next(g.typer_instance for g in app.registered_groups if g.name == "export")
    export.command("graph")(export_graph)


def _cli():
    from newsgraph.engine import cli

    return cli


def parse_when(text: str | None, *, end_of_day: bool = False) -> datetime | None:
    """A ``--since``/``--until`` value as an aware UTC datetime; a bare date means its start (or end).

    >>> parse_when("2025-04-01", end_of_day=True).isoformat()
    '2025-04-01T23:59:59+00:00'
    """
    if not text:
        return None
    from newsgraph.engine.errors import ConfigError

    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as e:
        raise ConfigError(f"cannot read {text!r} as a date or time: use YYYY-MM-DD or YYYY-MM-DDTHH:MM") from e
    if len(text) <= 10 and end_of_day:
        value = datetime.combine(value.date(), time(23, 59, 59))
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _run(store: str | None, as_json: bool, name: str, filters: tuple, render, **params: Any) -> None:
    """Open the store, run analysis ``name`` (engine.analysis.registry), print: JSON or text.

    ``filters`` is (since, until, entity, outlet) as given; options not given (``None``) fall through
    to the settings; user mistakes end as one line (exit 2).
    """
    from newsgraph.engine.analysis import registry

    cli = _cli()
    with cli._store(store) as (st, settings):
        try:
            result = registry.run(name, st, settings, _filters(*filters), params)
        except ValueError as e:  # a value the analysis itself rejects
            cli._fail(str(e), cli.EXIT_USAGE)
        if as_json:
            cli._emit_json(result.to_dict())
        else:
            typer.echo(render(result))


def _filters(since, until, entity, outlet) -> dict[str, Any]:
    return {"since": parse_when(since), "until": parse_when(until, end_of_day=True), "entity": entity,
            "outlet": outlet}


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


# -- blindspots -----------------------------------------------------------
@analyze_app.command("blindspots")
def blindspots_cmd(
    min_sources: Optional[int] = typer.Option(None, "--min-sources", help="Fewest rated sources [6]."),
    max_weak_share: Optional[float] = typer.Option(None, "--max-weak-share", help="Largest weaker-side share [0.2]."),
    min_gap: Optional[float] = typer.Option(None, "--min-gap", help="Smallest left-right gap [0.3]."),
    alpha: Optional[float] = typer.Option(None, "--alpha", help="Binomial test level [0.05]."),
    show_all: bool = typer.Option(False, "--all", help="List every story, not only blindspots."),
    limit: int = typer.Option(20, "--limit", min=1, help="How many stories to print (text output)."),
    since: Optional[str] = SinceOpt, until: Optional[str] = UntilOpt,
    entity: Optional[str] = EntityOpt, outlet: Optional[str] = OutletOpt,
    store: Optional[str] = StoreOpt, as_json: bool = JsonOpt,
):
    """Stories one side barely covers, with each part of the rule per story."""
    def render(r):
        shown = r.stories if show_all else r.blindspots
        lines = [f"{len(r.blindspots)} blindspots among {len(r.stories)} stories; corpus baseline "
                 + ", ".join(f"{k} {_pct(v)}" for k, v in r.baseline.items())]
        for s in shown[:limit]:
            parts = " ".join(f"{k}={'yes' if v else 'no'}" for k, v in s.checks.items())
            lines.append(f"{'BLINDSPOT ' if s.is_blindspot else ''}for the {s.weaker_side}: {s.title}")
            lines.append(f"  {s.story_id}  L{s.side_counts['left']} C{s.side_counts['center']} "
                         f"R{s.side_counts['right']} of {s.rated_sources} rated; gap {_pct(s.gap)}, "
                         f"p={s.p_value:.3g}; {parts}")
        return "\n".join(lines)

    _run(store, as_json, "blindspots", (since, until, entity, outlet), render, min_sources=min_sources,
         max_weak_share=max_weak_share, min_gap=min_gap, alpha=alpha)


# -- outlet network and bias clusters ---------------------------------------
WeightOpt = typer.Option(None, "--weight", help="Edge weight: shared, jaccard or cosine.")
BackboneOpt = typer.Option(None, "--backbone", help="Edge filter: hypergeometric, disparity or none.")
AlphaOpt = typer.Option(None, "--alpha", help="Backbone significance level per edge [0.05].")
MinSharedOpt = typer.Option(None, "--min-shared", help="Fewest shared stories for an edge [1].")
ResolutionOpt = typer.Option(None, "--resolution", help="Louvain resolution [1.0].")
AlgorithmOpt = typer.Option(None, "--algorithm", help="Communities: louvain or leiden (the leiden extra) [louvain].")


@analyze_app.command("outlet-network")
def outlet_network_cmd(
    weight: Optional[str] = WeightOpt, backbone: Optional[str] = BackboneOpt, alpha: Optional[float] = AlphaOpt,
    min_shared: Optional[int] = MinSharedOpt, resolution: Optional[float] = ResolutionOpt,
    algorithm: Optional[str] = AlgorithmOpt, seed: Optional[int] = SeedOpt,
    since: Optional[str] = SinceOpt, until: Optional[str] = UntilOpt,
    entity: Optional[str] = EntityOpt, outlet: Optional[str] = OutletOpt,
    store: Optional[str] = StoreOpt, as_json: bool = JsonOpt,
):
    """Outlets linked by shared stories (significant edges only), their communities and bias mix."""
    def render(net):
        lines = [f"{net.graph.number_of_nodes()} outlets, {net.graph.number_of_edges()} of {net.candidate_edges} "
                 f"co-coverage edges kept ({net.settings['backbone']}), {len(net.communities)} communities, "
                 f"modularity {net.modularity:.3f}"]
        for i, (c, mix) in enumerate(zip(net.communities, net.community_sides)):
            lines.append(f"  community {i}: {len(c)} outlets, " + ", ".join(f"{k} {v}" for k, v in mix.items() if v)
                         + "  " + ", ".join(c[:8]) + (" ..." if len(c) > 8 else ""))
        return "\n".join(lines)

    _run(store, as_json, "outlet-network", (since, until, entity, outlet), render, weight=weight,
         backbone=backbone, alpha=alpha, min_shared=min_shared, resolution=resolution, algorithm=algorithm,
         seed=seed)


@analyze_app.command("bias-clusters")
def bias_clusters_cmd(
    null_models: Optional[int] = typer.Option(None, "--null-models", help="Randomised networks [100]."),
    weight: Optional[str] = WeightOpt, backbone: Optional[str] = BackboneOpt, alpha: Optional[float] = AlphaOpt,
    min_shared: Optional[int] = MinSharedOpt, resolution: Optional[float] = ResolutionOpt,
    algorithm: Optional[str] = AlgorithmOpt, seed: Optional[int] = SeedOpt,
    since: Optional[str] = SinceOpt, until: Optional[str] = UntilOpt,
    entity: Optional[str] = EntityOpt, outlet: Optional[str] = OutletOpt,
    store: Optional[str] = StoreOpt, as_json: bool = JsonOpt,
):
    """How well rated bias explains the outlet network, against degree-preserving random networks."""
    def fmt(x):
        return "-" if x is None else f"{x:.3f}"

    def render(r):
        lines = [f"{r.rated_outlets} rated outlets, {r.edges} edges among them, {r.n_random} randomised networks",
                 f"  {'score':<20}{'observed':>10}{'null mean':>11}{'null sd':>9}{'z':>8}"]
        for sc in r.scores:
            lines.append(f"  {sc.name:<20}{fmt(sc.observed):>10}{fmt(sc.null_mean):>11}{fmt(sc.null_sd):>9}"
                         f"{fmt(sc.z):>8}")
        lines.append(f"{len(r.outliers)} outliers (side differs from their community's majority):")
        for o in r.outliers[:30]:
            lines.append(f"  {o['outlet']} ({o['side']}) in community {o['community']} ({o['community_side']})")
        return "\n".join(lines)

    _run(store, as_json, "bias-clusters", (since, until, entity, outlet), render, null_models=null_models,
         weight=weight, backbone=backbone, alpha=alpha, min_shared=min_shared, resolution=resolution,
         algorithm=algorithm, seed=seed)


# -- entities -------------------------------------------------------------
@analyze_app.command("entities")
def entities_cmd(
    level: Optional[str] = typer.Option(None, "--level", help="Co-occurrence within: article or story."),
    min_count: Optional[int] = typer.Option(None, "--min-count", help="Fewest shared units for a link [2]."),
    ego: Optional[str] = typer.Option(None, "--ego", help="List this entity's neighbours (entity id)."),
    top: int = typer.Option(20, "--top", min=1, help="How many entities and pairs to list."),
    since: Optional[str] = SinceOpt, until: Optional[str] = UntilOpt,
    entity: Optional[str] = EntityOpt, outlet: Optional[str] = OutletOpt,
    store: Optional[str] = StoreOpt, as_json: bool = JsonOpt,
):
    """Entity co-occurrence network (NPMI): PageRank, top pairs, an ego network."""
    def render(net):
        lines = [f"{net.graph.number_of_nodes()} entities in {net.units} {net.settings['level']}s, "
                 f"{net.graph.number_of_edges()} links"]
        lines += [f"  {r['pagerank']:.4f}  {r['name']} ({r['type']}), {r['count']} {net.settings['level']}s, "
                  f"degree {r['degree']}" for r in net.ranking]
        lines.append("Top pairs (NPMI):")
        lines += [f"  {p['npmi']:.3f}  {p['a']} + {p['b']} ({p['units']})" for p in net.top_pairs]
        if net.ego:
            lines.append(f"Neighbours of {net.ego['name']}:")
            lines += [f"  {n['npmi']:.3f}  {n['name']} ({n['units']})" for n in net.ego["neighbours"][:top]]
        return "\n".join(lines)

    _run(store, as_json, "entities", (since, until, entity, outlet), render, level=level, min_count=min_count,
         ego=ego, top=top)


@analyze_app.command("entity-framing")
def entity_framing_cmd(
    prior: Optional[float] = typer.Option(None, "--prior", help="Dirichlet prior pseudo-count [100]."),
    top: int = typer.Option(20, "--top", min=1, help="Entities at each end of the ranking."),
    since: Optional[str] = SinceOpt, until: Optional[str] = UntilOpt,
    entity: Optional[str] = EntityOpt, outlet: Optional[str] = OutletOpt,
    store: Optional[str] = StoreOpt, as_json: bool = JsonOpt,
):
    """Entities left-rated vs right-rated outlets mention more in the same stories (log-odds, z)."""
    def render(r):
        lines = [f"{r.stories} stories covered by both sides; articles " +
                 ", ".join(f"{k} {v}" for k, v in r.articles.items()),
                 "z > 0: left mentions more; z < 0: right mentions more"]
        lines += [f"  z {e['z']:+.2f}  {e['name']} (L{e['left_articles']} R{e['right_articles']})" for e in r.entities]
        lines.append(f"{len(r.one_sided)} one-sided entities:")
        lines += [f"  {e['side']} {_pct(e['share'])}  {e['name']}" for e in r.one_sided[:top]]
        return "\n".join(lines)

    _run(store, as_json, "entity-framing", (since, until, entity, outlet), render, prior=prior, top=top)


# -- gaps, lead-lag, timeline, raters ---------------------------------------
@analyze_app.command("gaps")
def gaps_cmd(
    outlet: str = typer.Option(..., "--outlet", help="The outlet (domain) whose missed stories to list."),
    min_sources: Optional[int] = typer.Option(None, "--min-sources", help="Fewest sources of a listed story [3]."),
    limit: int = typer.Option(20, "--limit", min=1),
    since: Optional[str] = SinceOpt, until: Optional[str] = UntilOpt, entity: Optional[str] = EntityOpt,
    store: Optional[str] = StoreOpt, as_json: bool = JsonOpt,
):
    """Widely covered stories that one outlet did not cover, by which side covered them."""
    def render(g):
        lines = [f"{g.outlet} covered {g.covered} stories; missed {len(g.stories)} of the {g.eligible} with "
                 f">= {g.min_sources} sources; missed by leaning: "
                 + ", ".join(f"{k} {v}" for k, v in g.by_leaning.items())]
        lines += [f"  {x.sources:>3} sources, leaning {x.leaning or '-'}: {x.title}  ({x.story_id})"
                  for x in g.stories[:limit]]
        return "\n".join(lines)

    _run(store, as_json, "gaps", (since, until, entity, None), render, outlet=outlet, min_sources=min_sources)


@analyze_app.command("lead-lag")
def lead_lag_cmd(
    min_stories: int = typer.Option(1, "--min-stories", min=1, help="Fewest shared stories of a listed pair."),
    top: int = typer.Option(20, "--top", min=1),
    since: Optional[str] = SinceOpt, until: Optional[str] = UntilOpt,
    entity: Optional[str] = EntityOpt, outlet: Optional[str] = OutletOpt,
    store: Optional[str] = StoreOpt, as_json: bool = JsonOpt,
):
    """Who reports stories first: pairs of outlets, first reporters, and leads by side."""
    def render(r):
        lines = ["First to report, by side: " + ", ".join(f"{k} {v}" for k, v in r.first_by_side.items())]
        lines += [f"  {f['outlet']} ({f['side']}) first on {f['stories_first']} of {f['stories']} stories"
                  for f in r.first_reporters]
        lines.append("Pairs (most shared stories first):")
        for p in r.pairs:
            lag = "-" if p["median_lag_hours"] is None else f"{p['median_lag_hours']:.1f} h"
            lines.append(f"  {p['leader']} before {p['follower']}: {p['leads']} vs {p['lags']} of "
                         f"{p['shared_stories']} shared, median lead {lag}")
        return "\n".join(lines)

    _run(store, as_json, "lead-lag", (since, until, entity, outlet), render, min_stories=min_stories, top=top)


@analyze_app.command("timeline")
def timeline_cmd(
    story: Optional[str] = typer.Option(None, "--story", help="Only this story's articles."),
    since: Optional[str] = SinceOpt, until: Optional[str] = UntilOpt,
    entity: Optional[str] = EntityOpt, outlet: Optional[str] = OutletOpt,
    store: Optional[str] = StoreOpt, as_json: bool = JsonOpt,
):
    """Articles per day by side, for a story, an entity's stories or everything."""
    def render(t):
        lines = [f"{'day':<12}{'left':>6}{'center':>8}{'right':>7}{'unrated':>9}{'total':>7}"]
        lines += [f"{d['day']:<12}{d['left']:>6}{d['center']:>8}{d['right']:>7}{d['unrated']:>9}{d['total']:>7}"
                  for d in t.days]
        return "\n".join(lines)

    _run(store, as_json, "timeline", (since, until, entity, outlet), render, story=story)


@analyze_app.command("raters")
def raters_cmd(
    limit: int = typer.Option(20, "--limit", min=1),
    since: Optional[str] = SinceOpt, until: Optional[str] = UntilOpt,
    entity: Optional[str] = EntityOpt, outlet: Optional[str] = OutletOpt,
    store: Optional[str] = StoreOpt, as_json: bool = JsonOpt,
):
    """Each story's bias mix under each imported rater; stories whose majority side flips."""
    def render(r):
        lines = ["raters: " + ", ".join(f"{k} ({v} outlets)" for k, v in r.rated_outlets.items()),
                 f"{len(r.flips)} of {len(r.stories)} stories change majority side between raters"]
        for f in r.flips[:limit]:
            lines.append(f"  {f['title']}: " + ", ".join(f"{k} {v or 'tie'}" for k, v in f["majority"].items()))
        return "\n".join(lines)

    _run(store, as_json, "raters", (since, until, entity, outlet), render)


# -- export graph -----------------------------------------------------------
GRAPH_FORMATS = ("graphml", "gexf", "csv", "parquet")
DIRECTORY_FORMATS = ("csv", "parquet")
GRAPH_WHATS = ("outlet-network", "entities", "full")


def export_graph(
    format: str = typer.Option("graphml", "--format", help="graphml, gexf, csv (nodes.csv + edges.csv) or parquet "
                                                          "(nodes.parquet + edges.parquet)."),
    what: str = typer.Option("outlet-network", "--what", help="outlet-network, entities or full."),
    out: Optional[Path] = typer.Option(None, "--out", help="File (graphml/gexf) or directory (csv/parquet); default "
                                                            "stdout for graphml/gexf."),
    since: Optional[str] = SinceOpt, until: Optional[str] = UntilOpt,
    entity: Optional[str] = EntityOpt, outlet: Optional[str] = OutletOpt,
    store: Optional[str] = StoreOpt, as_json: bool = JsonOpt,
):
    """Export a graph for Gephi, Cytoscape or pandas: the outlet network, the entity network or the full graph."""
    cli = _cli()
    if format not in GRAPH_FORMATS:
        cli._fail(f"unknown graph format {format!r}: use {', '.join(GRAPH_FORMATS)}", cli.EXIT_USAGE)
    if what not in GRAPH_WHATS:
        cli._fail(f"unknown graph {what!r}: use {', '.join(GRAPH_WHATS)}", cli.EXIT_USAGE)
    if format in DIRECTORY_FORMATS and out is None:
        cli._fail(f"--format {format} writes nodes.{format} and edges.{format}: give a directory with --out",
                  cli.EXIT_USAGE)
    with cli._store(store) as (st, settings):
        filters = _filters(since, until, entity, outlet)
        if what in ("outlet-network", "entities"):
            from newsgraph.engine.analysis import registry

            G = registry.run(what, st, settings, filters).graph
        else:
            G = full_graph(st.coverage_rows(**filters), st.article_rows(**filters), st.mention_rows(**filters))
        G = exportable(G)
        write_graph(G, format, out)
    if as_json:
        cli._emit_json({"format": format, "what": what, "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
                        "path": str(out) if out else None})
    elif out:
        typer.echo(f"exported {what}: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges to {out}")


def full_graph(coverage, articles, mentions):
    """The property graph as one directed networkx graph: outlets, stories, articles, entities.

    Node ids are ``label:key`` so that keys of different labels never clash; each node has
    ``label`` and ``key``, each edge ``type``.
    """
    import networkx as nx

    G = nx.DiGraph()
    for r in coverage:
        G.add_node(f"Outlet:{r.outlet_id}", label="Outlet", key=r.outlet_id, bias=r.bias, bias_score=r.bias_score)
        G.add_node(f"Story:{r.story_id}", label="Story", key=r.story_id, title=r.story_title)
        G.add_edge(f"Outlet:{r.outlet_id}", f"Story:{r.story_id}", type="COVERED", articles=r.articles,
                   first_published=r.published_at)
    for r in articles:
        a = f"Article:{r.article_id}"
        G.add_node(a, label="Article", key=r.article_id, published_at=r.published_at)
        G.add_node(f"Story:{r.story_id}", label="Story", key=r.story_id)
        G.add_edge(a, f"Story:{r.story_id}", type="PART_OF")
        if r.outlet_id:
            G.add_node(f"Outlet:{r.outlet_id}", label="Outlet", key=r.outlet_id, bias=r.bias)
            G.add_edge(f"Outlet:{r.outlet_id}", a, type="PUBLISHED")
    for r in mentions:
        e = f"Entity:{r.entity_id}"
        G.add_node(e, label="Entity", key=r.entity_id, name=r.entity_name, type=r.entity_type)
        G.add_edge(f"Article:{r.article_id}", e, type="MENTIONS")
    return G


def exportable(G):
    """A copy of ``G`` whose attributes GraphML and GEXF can hold: no ``None``, datetimes as ISO text.

    >>> import networkx as nx
    >>> G = nx.Graph(); G.add_node("a", x=None, t=datetime(2025, 4, 1, tzinfo=timezone.utc))
    >>> exportable(G).nodes["a"]
    {'t': '2025-04-01T00:00:00+00:00'}
    """
    H = G.__class__()

    def clean(d):
        return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in d.items() if v is not None}

    H.add_nodes_from((n, clean(d)) for n, d in G.nodes(data=True))
    H.add_edges_from((u, v, clean(d)) for u, v, d in G.edges(data=True))
    return H


def write_graph(G, format: str, out: Path | None) -> None:
    """Write ``G`` as GraphML, GEXF (to ``out`` or stdout), or as nodes + edges tables (csv, parquet) in ``out``."""
    import networkx as nx

    if format == "parquet":
        out.mkdir(parents=True, exist_ok=True)
        nodes, edges = graph_frames(G)
        nodes.to_parquet(out / "nodes.parquet", index=False)
        edges.to_parquet(out / "edges.parquet", index=False)
        return
    if format == "csv":
        out.mkdir(parents=True, exist_ok=True)
        _write_csv(out / "nodes.csv", ["id"], [{"id": n, **d} for n, d in G.nodes(data=True)])
        _write_csv(out / "edges.csv", ["source", "target"],
                   [{"source": u, "target": v, **d} for u, v, d in G.edges(data=True)])
        return
    writer = nx.write_graphml if format == "graphml" else nx.write_gexf
    if out is None:
        writer(G, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        writer(G, str(out))


def graph_frames(G):
    """``G`` as two pandas frames: nodes (``id`` + attributes), edges (``source``, ``target`` + attributes).

    >>> import networkx as nx
    >>> G = nx.Graph(); G.add_edge("a", "b", weight=2); G.nodes["a"]["side"] = "left"
    >>> nodes, edges = graph_frames(G)
    >>> nodes.to_dict("records"), edges.to_dict("records")
    ([{'id': 'a', 'side': 'left'}, {'id': 'b', 'side': None}], [{'source': 'a', 'target': 'b', 'weight': 2}])
    """
    import pandas as pd

    def frame(first: list[str], rows: list[dict[str, Any]]):
        columns = first + sorted({k for r in rows for k in r} - set(first))
        # object columns keep an absent attribute as None (a null in Parquet); pyarrow infers each column's type
        return pd.DataFrame({c: pd.Series([r.get(c) for r in rows], dtype=object) for c in columns},
                            columns=columns)

    return (frame(["id"], [{"id": n, **d} for n, d in G.nodes(data=True)]),
            frame(["source", "target"], [{"source": u, "target": v, **d} for u, v, d in G.edges(data=True)]))


def _write_csv(path: Path, first: list[str], rows: list[dict[str, Any]]) -> None:
    columns = first + sorted({k for r in rows for k in r} - set(first))
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=columns)
        w.writeheader()
        w.writerows(rows)
