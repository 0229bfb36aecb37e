"""``newsgraph analyze`` and ``newsgraph export graph`` end to end on the known-answer corpus."""

import csv
import json

import networkx as nx
import pytest
from typer.testing import CliRunner

from newsgraph.engine.cli import app

runner = CliRunner()


def run(*args, code=0, env=None):
    result = runner.invoke(app, [str(a) for a in args], env=env)
    assert result.exit_code == code, result.output
    return result


def as_json(*args, code=0, env=None):
    return json.loads(run(*args, "--json", code=code, env=env).stdout)


@pytest.fixture(scope="module")
def url(tmp_path_factory, corpus_files):
    jsonl, outlets = corpus_files
    url = f"sqlite:///{tmp_path_factory.mktemp('cli-analysis') / 'g.db'}"
    run("outlets", "import", outlets, "--scheme", "csv", "--store", url)
    run("ingest", jsonl, "--store", url)
    return url


def test_blindspots_report_each_story_and_the_rule(url):
    out = as_json("analyze", "blindspots", "--store", url)
    assert out["blindspot_count"] == 0 and len(out["stories"]) == 3
    assert out["baseline"] == {"left": 0.5, "center": 0.25, "right": 0.25}
    for s in out["stories"]:
        assert s["side_counts"] == {"left": 2, "center": 1, "right": 1} and s["weaker_side"] == "right"
        assert s["checks"]["min_rated_sources"] is False  # 4 rated sources < 6
    loose = as_json("analyze", "blindspots", "--min-sources", 4, "--max-weak-share", 0.25, "--min-gap", 0.25,
                    "--store", url)
    assert loose["settings"]["min_rated_sources"] == 4
    # 1 right source of 4 where the corpus has 25% right: not significant, so still no blindspot
    assert loose["stories"][0]["checks"] == {"min_rated_sources": True, "weak_share": True, "gap": True,
                                             "significant": False}
    assert loose["stories"][0]["p_value"] == pytest.approx(0.75**4 + 4 * 0.25 * 0.75**3)
    text = run("analyze", "blindspots", "--all", "--store", url).stdout
    assert text.startswith("0 blindspots among 3 stories") and "for the right" in text


def test_filters_select_stories(url):
    assert len(as_json("analyze", "blindspots", "--entity", "gpe:finland", "--store", url)["stories"]) == 1
    assert len(as_json("analyze", "blindspots", "--since", "2025-04-02", "--store", url)["stories"]) == 2
    assert len(as_json("analyze", "blindspots", "--until", "2025-04-02", "--store", url)["stories"]) == 2
    assert len(as_json("analyze", "blindspots", "--outlet", "cnn.com", "--store", url)["stories"]) == 3


def test_outlet_network_and_bias_clusters(url):
    # every outlet covers all 3 stories: sharing them is exactly what chance gives, so no edge survives
    assert as_json("analyze", "outlet-network", "--store", url)["edges"] == 0
    net = as_json("analyze", "outlet-network", "--backbone", "none", "--store", url)
    assert net["outlets"] == 4 and net["edges"] == 6
    assert all(e["weight"] == 3 for e in net["edge_list"])
    assert net["communities"] == [{"outlets": ["cnn.com", "foxnews.com", "nytimes.com", "reuters.com"],
                                   "sides": {"left": 2, "center": 1, "right": 1, "unrated": 0}}]
    bc = as_json("analyze", "bias-clusters", "--backbone", "none", "--null-models", 5, "--store", url)
    assert bc["rated_outlets"] == 4 and bc["n_random"] == 5
    assert set(bc["scores"]) == {"bias_modularity", "bias_assortativity", "nmi", "ari",
                                 "nmi_shuffled_sides", "ari_shuffled_sides"}
    assert {o["outlet"] for o in bc["outliers"]} == {"reuters.com", "foxnews.com"}


def test_entities_and_framing(url):
    out = as_json("analyze", "entities", "--ego", "gpe:finland", "--store", url)
    assert out["units"] == 12
    assert "gpe:lithuania" in [n["id"] for n in out["ego"]["neighbours"]]
    assert out["ranking"][0]["pagerank"] >= out["ranking"][-1]["pagerank"]
    framing = as_json("analyze", "entity-framing", "--store", url)
    assert framing["stories"] == 3 and framing["articles"] == {"left": 6, "right": 3, "center": 3}


def test_lead_lag_gaps_timeline_raters(url):
    ll = as_json("analyze", "lead-lag", "--store", url)
    assert ll["first_reporters"] == [{"outlet": "cnn.com", "side": "left", "stories_first": 3, "stories": 3}]
    cnn_fox = next(p for p in ll["pairs"] if (p["leader"], p["follower"]) == ("cnn.com", "foxnews.com"))
    assert (cnn_fox["leads"], cnn_fox["median_lag_hours"]) == (3, 3.0)
    g = as_json("analyze", "gaps", "--outlet", "foxnews.com", "--store", url)
    assert g["covered"] == 3 and g["stories"] == []
    t = as_json("analyze", "timeline", "--store", url)
    assert [(d["day"], d["left"], d["center"], d["right"]) for d in t["days"]] == [
        ("2025-04-01", 2, 1, 1), ("2025-04-02", 2, 1, 1), ("2025-04-03", 2, 1, 1)]
    r = as_json("analyze", "raters", "--store", url)
    assert r["flips"] == [] and len(r["stories"]) == 3


def test_export_graph_opens_in_networkx(url, tmp_path):
    full = tmp_path / "full.graphml"
    meta = as_json("export", "graph", "--what", "full", "--out", full, "--store", url)
    G = nx.read_graphml(full)
    labels = [d["label"] for _, d in G.nodes(data=True)]
    assert (labels.count("Outlet"), labels.count("Story"), labels.count("Article")) == (4, 3, 12)
    assert meta["nodes"] == G.number_of_nodes() and labels.count("Entity") >= 8
    types = [d["type"] for *_, d in G.edges(data=True)]
    assert (types.count("COVERED"), types.count("PUBLISHED"), types.count("PART_OF")) == (12, 12, 12)
    gexf = tmp_path / "outlets.gexf"
    run("export", "graph", "--format", "gexf", "--out", gexf, "--store", url,
        env={"NEWSGRAPH_NETWORK_BACKBONE": "none"})
    H = nx.read_gexf(gexf)
    assert H.number_of_nodes() == 4 and H.number_of_edges() == 6
    run("export", "graph", "--format", "csv", "--what", "entities", "--out", tmp_path / "ents", "--store", url)
    with open(tmp_path / "ents" / "nodes.csv", newline="") as f:
        nodes = list(csv.DictReader(f))
    assert "gpe:finland" in {n["id"] for n in nodes}
    stdout = run("export", "graph", "--store", url).stdout
    assert stdout.startswith("<?xml")


def test_export_graph_as_parquet_round_trips_in_pandas(url, tmp_path):
    import pandas as pd

    meta = as_json("export", "graph", "--what", "full", "--format", "parquet", "--out", tmp_path / "pq",
                   "--store", url)
    nodes = pd.read_parquet(tmp_path / "pq" / "nodes.parquet")
    edges = pd.read_parquet(tmp_path / "pq" / "edges.parquet")
    assert (len(nodes), len(edges)) == (meta["nodes"], meta["edges"])
    assert nodes["id"].is_unique and nodes["label"].value_counts()[["Outlet", "Story", "Article"]].tolist() == [4, 3, 12]
    assert edges["type"].value_counts()[["COVERED", "PUBLISHED", "PART_OF"]].tolist() == [12, 12, 12]
    fox = nodes.set_index("id").loc["Outlet:foxnews.com"]
    assert (fox["key"], fox["bias"]) == ("foxnews.com", "right")
    assert nodes.set_index("id").loc["Entity:gpe:finland", "name"] == "Finland"
    assert set(edges["source"]) | set(edges["target"]) <= set(nodes["id"])
    # the same graph as GraphML: the same nodes and edges
    run("export", "graph", "--what", "full", "--out", tmp_path / "full.graphml", "--store", url)
    G = nx.read_graphml(tmp_path / "full.graphml")
    assert set(G.nodes) == set(nodes["id"]) and G.number_of_edges() == len(edges)
    net = tmp_path / "net"
    run("export", "graph", "--format", "parquet", "--out", net, "--store", url,
        env={"NEWSGRAPH_NETWORK_BACKBONE": "none"})
    outlet_edges = pd.read_parquet(net / "edges.parquet")
    assert len(outlet_edges) == 6 and (outlet_edges["weight"] == 3).all()


def test_user_mistakes_are_one_line_and_exit_2(url):
    bad_date = run("analyze", "blindspots", "--since", "yesterday", "--store", url, code=2).output
    assert "YYYY-MM-DD" in bad_date and bad_date.count("\n") == 1
    assert "weight must be" in run("analyze", "outlet-network", "--weight", "dice", "--store", url, code=2).output
    assert "no rows" in run("analyze", "entities", "--entity", "gpe:atlantis", "--store", url, code=2).output
    assert "--out" in run("export", "graph", "--format", "parquet", "--store", url, code=2).output
    assert "format" in run("export", "graph", "--format", "xlsx", "--store", url, code=2).output
    assert "min_sources must be >= 0" in run("analyze", "blindspots", "--min-sources", -1, "--store", url,
                                              code=2).output


def test_leiden_is_a_choice_of_community_algorithm(url):
    leiden = as_json("analyze", "outlet-network", "--backbone", "none", "--algorithm", "leiden", "--store", url)
    louvain = as_json("analyze", "outlet-network", "--backbone", "none", "--store", url)
    assert leiden["settings"]["algorithm"] == "leiden" and "algorithm" not in louvain["settings"]
    outlets = {"cnn.com", "nytimes.com", "reuters.com", "foxnews.com"}
    assert {o for c in leiden["communities"] for o in c["outlets"]} == outlets
    assert leiden["communities"] == louvain["communities"]  # four outlets that cover the same stories: one group
    bad = run("analyze", "bias-clusters", "--algorithm", "walktrap", "--store", url, code=2)
    assert "louvain, leiden" in bad.output


def test_options_defaults_and_help_are_the_registrys(url):
    """Each analysis parameter is an option named after it; --help shows its registry default and setting."""
    from newsgraph.engine.analysis import registry
    from newsgraph.engine.config import Settings

    shipped = Settings()
    for spec in registry.ANALYSES.values():
        text = run("analyze", spec.name, "--help", env={"COLUMNS": "300"}).stdout
        for p in spec.params:
            assert "--" + p.name.replace("_", "-") in text, (spec.name, p.name)
            if p.setting:
                assert p.env in text and f"[default: {p.default_in(shipped)}]" in text, (spec.name, p.name)
    # entity-framing's parameters that the hand-written command lacked are options too
    framing = as_json("analyze", "entity-framing", "--one-sided-share", 0.5, "--min-articles", 1, "--store", url)
    assert framing["settings"]["one_sided_share"] == 0.5
    # the setting behind a default is the default, as it is for the API
    four = as_json("analyze", "blindspots", "--store", url, env={"NEWSGRAPH_BLINDSPOT_MIN_SOURCES": "4"})
    assert four["settings"]["min_rated_sources"] == 4 and four["stories"][0]["checks"]["min_rated_sources"] is True


def test_every_analysis_prints_text(url):
    from newsgraph.engine.analysis import registry

    first_words = {"blindspots": "0 blindspots", "outlet-network": "4 outlets", "bias-clusters": "4 rated outlets",
                   "entities": "", "entity-framing": "3 stories", "gaps": "foxnews.com covered 3",
                   "lead-lag": "First to report", "timeline": "day", "raters": "raters:",
                   "syndication": "0 of 12 articles are wire copies"}
    assert set(first_words) == set(registry.ANALYSES)
    for name, start in first_words.items():
        options = {"gaps": ("--outlet", "foxnews.com"), "bias-clusters": ("--null-models", 5)}.get(name, ())
        text = run("analyze", name, *options, "--store", url).stdout
        assert text.startswith(start) and not text.startswith("{"), (name, text)
    entities = run("analyze", "entities", "--ego", "gpe:finland", "--top", 1, "--store", url).stdout
    assert " entities in 12 articles" in entities.splitlines()[0] and "Neighbours of Finland:" in entities
    assert len(entities.split("Neighbours of Finland:")[1].strip().splitlines()) == 1
