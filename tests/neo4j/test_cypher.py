"""``newsgraph cypher`` against a real Neo4j server, and the worked queries of docs/cypher.md.

The doc's queries run here on the known-answer corpus, so the doc stays honest.
"""

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.engine.cli import app
from tests.store_backends import TEST_BATCH_SIZE

pytestmark = pytest.mark.neo4j

runner = CliRunner()
DOC = Path(__file__).resolve().parents[2] / "docs" / "cypher.md"

# a fourth story that only outlets rated left and lean left report
HEATWAVE = [
    {"url": "https://www.cnn.com/2025/04/05/heatwave-0.html", "outlet": "cnn.com",
     "title": "Heatwave breaks April temperature records across Spain",
     "lead": "Spain recorded its hottest April day as a heatwave broke temperature records in Seville.",
     "published_at": "2025-04-05T09:00:00Z"},
    {"url": "https://www.nytimes.com/2025/04/05/heatwave-1.html", "outlet": "nytimes.com",
     "title": "Spain heatwave shatters April temperature records",
     "lead": "Seville and Cordoba set April temperature records as a heatwave swept Spain.",
     "published_at": "2025-04-05T10:00:00Z"},
]


def cli(*args, env=None, code=0):
    result = runner.invoke(app, [str(a) for a in args], env=env)
    assert result.exit_code == code, result.output
    return result


def doc_queries() -> list[str]:
    return re.findall(r"```cypher\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


@pytest.fixture(scope="module")
def neo(tmp_path_factory, corpus_files, neo4j_server_info, neo4j_driver):
    """The corpus plus the heatwave story, ingested into SQLite and synced into the session's Neo4j."""
    from newsgraph.engine.store.neo4j import Neo4jStore

    jsonl, outlets = corpus_files
    extra = tmp_path_factory.mktemp("cypher") / "heatwave.jsonl"
    extra.write_text("".join(json.dumps(a) + "\n" for a in HEATWAVE), encoding="utf-8")
    lite = f"sqlite:///{extra.parent / 'g.db'}"
    cli("outlets", "import", outlets, "--scheme", "csv", "--store", lite)
    cli("ingest", jsonl, extra, "--store", lite)
    Neo4jStore(neo4j_driver, neo4j_server_info.database, TEST_BATCH_SIZE, url=neo4j_server_info.url).clear()
    info = neo4j_server_info
    env = {"NEWSGRAPH_NEO4J_USER": info.user, "NEWSGRAPH_NEO4J_PASSWORD": info.password,
           "NEWSGRAPH_NEO4J_DATABASE": info.database, "NEWSGRAPH_STORE": info.url}
    cli("sync", "--from", lite, "--to", info.url, env=env)
    return env, lite


def query(env, text, *params, code=0):
    args = ["cypher", text, "--json"]
    for p in params:
        args += ["--param", p]
    return json.loads(cli(*args, env=env, code=code).stdout)


def test_the_doc_has_the_three_worked_queries():
    assert len(doc_queries()) == 3


def test_outlets_covering_the_ottawa_convention_by_bias(neo):
    env, _ = neo
    out = query(env, doc_queries()[0], "name=Ottawa Convention")
    assert out["columns"] == ["bias", "outlets", "names"]
    assert {r["bias"]: r["names"] for r in out["data"]} == {
        "center": ["Reuters"], "lean_left": ["The New York Times"], "left": ["CNN"], "right": ["Fox News"]}


def test_entities_co_mentioned_with_russia(neo):
    env, _ = neo
    out = query(env, doc_queries()[1], "entity=gpe:russia")
    top = {r["id"]: r["articles"] for r in out["data"][:2]}
    assert top == {"gpe:finland": 3, "gpe:lithuania": 3}
    assert "gpe:russia" not in {r["id"] for r in out["data"]}


def test_stories_only_one_side_covered(neo):
    env, _ = neo
    out = query(env, doc_queries()[2])
    assert [(r["covered_by"], r["left"], r["right"]) for r in out["data"]] == [("left", 2, 0)]
    assert "heatwave" in out["data"][0]["title"].lower()


def test_table_output_and_parameters(neo):
    env, _ = neo
    text = cli("cypher", "MATCH (o:Outlet {id: $id}) RETURN o.name AS name, o.bias AS bias", "--param", "id=cnn.com",
               env=env).stdout
    assert text.splitlines() == ["name\tbias", "CNN\tleft", "(1 rows)"]
    nodes = query(env, "MATCH (s:Story) RETURN s ORDER BY s.first_published LIMIT 1")
    assert nodes["data"][0]["s"]["labels"] == ["Story"]
    assert nodes["data"][0]["s"]["first_published"].startswith("2025-04-01T")


@pytest.mark.parametrize("write", [
    "CREATE (n:Outlet {id: 'evil.com'})",
    "MATCH (n) DETACH DELETE n",
    "MATCH (o:Outlet {id: 'cnn.com'}) SET o.bias = 'right' RETURN o",
    "MERGE (e:Entity {id: 'x'}) RETURN e",
    "CREATE INDEX evil IF NOT EXISTS FOR (n:Outlet) ON (n.country)",
])
def test_writes_are_refused_with_one_line(neo, write):
    env, _ = neo
    before = query(env, "MATCH (n) RETURN count(n) AS n")["data"]
    result = runner.invoke(app, ["cypher", write], env=env)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert query(env, "MATCH (n) RETURN count(n) AS n")["data"] == before
    assert query(env, "MATCH (o:Outlet {id: 'cnn.com'}) RETURN o.bias AS bias")["data"] == [{"bias": "left"}]


def test_a_malformed_query_is_one_line(neo):
    env, _ = neo
    result = runner.invoke(app, ["cypher", "MATCH (n RETURN n"], env=env)
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and "rejected the query" in result.output


def test_cypher_on_a_sqlite_store_says_what_to_do(neo):
    _, lite = neo
    result = runner.invoke(app, ["cypher", "MATCH (n) RETURN n", "--store", lite])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert "needs a Neo4j store" in result.output and "newsgraph sync" in result.output


def refused(env, text, *args):
    """The one error line of a refused query (exit status 2)."""
    result = runner.invoke(app, ["cypher", text, *args], env=env)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


@pytest.mark.parametrize("text, says", [
    ("LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", "LOAD CSV"),
    ("LOAD CSV FROM 'file:///etc/hostname' AS l RETURN l", "LOAD CSV"),
    ("MATCH (o:Outlet) WITH o LIMIT 1 LOAD CSV FROM 'http://127.0.0.1:9/x.csv' AS l RETURN l", "LOAD CSV"),
    ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "TERMINATE"),
    ("CREATE DATABASE evil", "start with MATCH"),
    ("SHOW USERS", "SHOW"),
    ("CALL dbms.listConfig() YIELD name RETURN name", "procedure dbms.listConfig"),
    ("CALL dbms.components() YIELD name RETURN name", "procedure dbms.components"),
    ("RETURN apoc.version() AS v", "function apoc.version"),
])
def test_what_reaches_beyond_the_graph_is_refused(neo, text, says):
    env, _ = neo
    line = refused(env, text)
    assert says in line and "root:" not in line, line


def test_schema_procedures_of_the_allow_list_run(neo):
    env, _ = neo
    labels = query(env, "CALL db.labels() YIELD label RETURN label ORDER BY label")
    assert [r["label"] for r in labels["data"]] == ["Article", "Entity", "Fingerprint", "IngestedFile", "Outlet", "Story", "StorySummary"]
    assert query(env, "CALL db.schema.visualization()")["count"] == 1


def test_a_query_past_the_timeout_is_stopped(neo):
    env, _ = neo
    slow = "UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x) AS n"
    line = refused(env, slow, "--timeout", "0.5")
    assert "ran longer than 0.5 s" in line and "--timeout" in line


def test_rows_stop_at_the_limit(neo):
    env, _ = neo
    out = query(env, "UNWIND range(1, 50) AS x RETURN x")
    assert out["count"] == 50 and out["truncated"] is False
    capped = json.loads(cli("cypher", "UNWIND range(1, 50) AS x RETURN x", "--json", "--max-rows", "10", env=env).stdout)
    assert [r["x"] for r in capped["data"]] == list(range(1, 11)) and capped["truncated"] is True
    text = cli("cypher", "UNWIND range(1, 50) AS x RETURN x", env={**env, "NEWSGRAPH_CYPHER_MAX_ROWS": "3"}).stdout
    assert text.splitlines()[1:4] == ["1", "2", "3"] and "row limit" in text.splitlines()[-1]


def test_the_cypher_command_writes_no_schema(neo, neo4j_driver, neo4j_server_info):
    from newsgraph.engine.store.neo4j import Neo4jStore

    env, _ = neo
    db = neo4j_server_info.database

    def schema() -> tuple[list[str], list[str]]:
        constraints = [r["name"] for r in neo4j_driver.execute_query("SHOW CONSTRAINTS YIELD name", database_=db)[0]]
        indexes = [r["name"] for r in neo4j_driver.execute_query(
            "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name", database_=db)[0]]
        return constraints, indexes

    constraints, indexes = schema()
    assert constraints, "the store made its constraints when it was opened for sync"
    try:
        for name in constraints:
            neo4j_driver.execute_query(f"DROP CONSTRAINT `{name}` IF EXISTS", database_=db)
        for name in schema()[1]:
            neo4j_driver.execute_query(f"DROP INDEX `{name}` IF EXISTS", database_=db)
        assert schema() == ([], [])
        assert query(env, "MATCH (o:Outlet) RETURN count(o) AS n")["data"] == [{"n": 4}]
        assert schema() == ([], [])
    finally:
        Neo4jStore(neo4j_driver, db, TEST_BATCH_SIZE, url=neo4j_server_info.url)  # puts the schema back
    assert sorted(schema()[0]) == sorted(constraints)
