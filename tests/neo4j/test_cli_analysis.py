"""``newsgraph analyze NAME --json`` on a Neo4j store gives the answers it gives on SQLite.

The known-answer corpus is imported and ingested through the CLI into an
embedded store and into the test Neo4j server; then every analysis the CLI
offers runs on both, with its defaults and with options and filters, and the
JSON must be the same.
"""

import json

import pytest
from typer.testing import CliRunner

from newsgraph.engine.cli import app
from newsgraph.engine.cli.analyze import app as analyze_app
from newsgraph.engine.store.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j

runner = CliRunner()

CASES = {
    "blindspots": [(), ("--all",), ("--min-sources", 4, "--max-weak-share", 0.25, "--min-gap", 0.25),
                   ("--since", "2025-04-02"), ("--until", "2025-04-02"), ("--entity", "gpe:finland")],
    "outlet-network": [(), ("--backbone", "none"), ("--backbone", "none", "--weight", "jaccard"),
                       ("--backbone", "disparity", "--alpha", 0.9), ("--backbone", "none", "--since", "2025-04-02")],
    "bias-clusters": [("--backbone", "none", "--null-models", 5),
                      ("--backbone", "none", "--null-models", 5, "--seed", 3, "--entity", "gpe:finland")],
    "entities": [(), ("--ego", "gpe:finland"), ("--level", "story", "--min-count", 1)],
    "entity-framing": [(), ("--prior", 10)],
    "gaps": [("--outlet", "foxnews.com"), ("--outlet", "cnn.com", "--min-sources", 2, "--since", "2025-04-02")],
    "lead-lag": [(), ("--min-stories", 2, "--top", 3)],
    "timeline": [(), ("--since", "2025-04-02")],
    "raters": [(), ("--outlet", "cnn.com")],
    "syndication": [(), ("--min-articles", 1, "--min-share", 0.1, "--top", 3)],
}


def run(*args, env=None):
    result = runner.invoke(app, [str(a) for a in args], env=env)
    assert result.exit_code == 0, result.output
    return result


def load(url: str, corpus_files, env=None) -> None:
    jsonl, outlets = corpus_files
    run("outlets", "import", outlets, "--scheme", "csv", "--store", url, env=env)
    run("ingest", jsonl, "--store", url, env=env)


@pytest.fixture(scope="module")
def stores(corpus_files, tmp_path_factory, neo4j_server_info, neo4j_driver):
    """``analyze(store, name, *options)``: the JSON answer on ``"sqlite"`` or ``"neo4j"``, both holding the corpus."""
    lite = f"sqlite:///{tmp_path_factory.mktemp('cli-analysis-neo4j') / 'g.db'}"
    load(lite, corpus_files)
    Neo4jStore(neo4j_driver, neo4j_server_info.database, 100, url=neo4j_server_info.url).clear()
    env = {"NEWSGRAPH_NEO4J_USER": neo4j_server_info.user, "NEWSGRAPH_NEO4J_PASSWORD": neo4j_server_info.password,
           "NEWSGRAPH_NEO4J_DATABASE": neo4j_server_info.database}
    load(neo4j_server_info.url, corpus_files, env)
    urls = {"sqlite": (lite, None), "neo4j": (neo4j_server_info.url, env)}

    def analyze(kind: str, name: str, *options):
        url, kind_env = urls[kind]
        return json.loads(run("analyze", name, *options, "--json", "--store", url, env=kind_env).stdout)

    return analyze


def test_every_analysis_is_covered():
    assert set(CASES) == {c.name for c in analyze_app.registered_commands}


@pytest.mark.parametrize("name,options", [(n, o) for n, cases in CASES.items() for o in cases],
                         ids=lambda x: " ".join(map(str, x)) if isinstance(x, tuple) else x)
def test_neo4j_gives_the_sqlite_answer(stores, name, options):
    on_neo4j = stores("neo4j", name, *options)
    assert on_neo4j == stores("sqlite", name, *options)


def test_the_answers_are_the_known_ones_on_neo4j(stores):
    """The comparison above is between real answers, not two empty ones."""
    spots = stores("neo4j", "blindspots")
    assert len(spots["stories"]) == 3 and spots["baseline"] == {"left": 0.5, "center": 0.25, "right": 0.25}
    assert len(stores("neo4j", "blindspots", "--since", "2025-04-02")["stories"]) == 2
    net = stores("neo4j", "outlet-network", "--backbone", "none")
    assert (net["outlets"], net["edges"]) == (4, 6) and all(e["weight"] == 3 for e in net["edge_list"])
    bc = stores("neo4j", "bias-clusters", "--backbone", "none", "--null-models", 5)
    assert bc["rated_outlets"] == 4 and {o["outlet"] for o in bc["outliers"]} == {"reuters.com", "foxnews.com"}
    ents = stores("neo4j", "entities", "--ego", "gpe:finland")
    assert ents["units"] == 12 and "gpe:lithuania" in [n["id"] for n in ents["ego"]["neighbours"]]
    assert stores("neo4j", "entity-framing")["articles"] == {"left": 6, "right": 3, "center": 3}
    assert stores("neo4j", "gaps", "--outlet", "foxnews.com")["covered"] == 3
    ll = stores("neo4j", "lead-lag")
    assert ll["first_reporters"] == [{"outlet": "cnn.com", "side": "left", "stories_first": 3, "stories": 3}]
    assert [d["day"] for d in stores("neo4j", "timeline")["days"]] == ["2025-04-01", "2025-04-02", "2025-04-03"]
    assert len(stores("neo4j", "raters")["stories"]) == 3
