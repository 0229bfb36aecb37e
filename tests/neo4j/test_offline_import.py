"""``newsgraph neo4j import``: the local Neo4j's database built offline comes out as ``newsgraph sync`` makes it."""

import neo4j
import pytest
from typer.testing import CliRunner

from newsgraph.engine import neo4j_server
from newsgraph.engine.cli import app
from newsgraph.engine.store import open_store
from newsgraph.engine.store.neo4j import Neo4jStore
from newsgraph.graph_schema import cypher as q

pytestmark = pytest.mark.neo4j

runner = CliRunner()


def cli(*args, env=None, code=0):
    result = runner.invoke(app, [str(a) for a in args], env=env)
    assert result.exit_code == code, result.output
    return result


def everything(driver, database="neo4j"):
    """Every node (labels, all properties), relationship (type, end keys, all properties) and index, sorted:
    what two databases that answer every query alike agree on, the Neo4j-only keys and lists included."""
    def run(query):
        return driver.execute_query(query, database_=database).records

    nodes = sorted((tuple(sorted(r["labels"])), sorted((k, repr(v)) for k, v in r["props"].items()))
                   for r in run("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"))
    rels = sorted((r["type"], r["a"], r["b"], sorted((k, repr(v)) for k, v in r["props"].items()))
                  for r in run("MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS a, b.id AS b, "
                               "properties(r) AS props"))
    indexes = sorted((r["name"], r["state"]) for r in run(q.SCHEMA_STATE))
    return nodes, rels, indexes


def test_an_offline_import_gives_the_database_that_sync_gives(lite_url, empty_neo4j, tmp_path):
    neo, url, env = empty_neo4j
    cli("sync", "--from", lite_url, "--to", url, env=env)
    synced = everything(neo.driver, neo.database)
    home, port = tmp_path / "imported", neo4j_server.free_port()
    out = cli("neo4j", "import", "--from", lite_url, "--data", home, "--port", port, "--password", "imported-pw")
    assert f"Neo4j is running at bolt://127.0.0.1:{port}" in out.output
    driver = neo4j.GraphDatabase.driver(f"bolt://127.0.0.1:{port}", auth=("neo4j", "imported-pw"))
    lite = open_store(lite_url)
    try:
        imported = everything(driver)
        assert [len(part) for part in imported] == [len(part) for part in synced]
        assert any(("StorySummary",) == labels for labels, _ in imported[0])  # the key points came along
        assert imported == synced
        # the stories' spans the related read seeks (engine/neo4j_import.py computes them as the writes do)
        spans = [dict(props).get("span") for kind, _, _, props in imported[1] if kind == "ABOUT"]
        assert spans and all(spans)
        assert all(state == "ONLINE" for _, state in imported[2])
        # and what a reader sees: the story list, a hub's neighbourhood, a story's page rows and related stories
        store = Neo4jStore(driver, "neo4j", url=f"bolt://127.0.0.1:{port}")
        stories, total = lite.search_stories(limit=1000)
        assert store.search_stories(limit=1000) == (stories, total)
        mentions = {}
        for row in lite.iter_relationships("MENTIONS"):
            mentions[row["end_id"]] = mentions.get(row["end_id"], 0) + 1
        hub = max(sorted(mentions), key=mentions.get)  # the largest neighbourhood, read off the imported ranks
        assert store.entity_neighbourhood(hub)["neighbours"]
        assert store.entity_neighbourhood(hub) == lite.entity_neighbourhood(hub)
        assert store.story_summaries([s["id"] for s in stories]) == lite.story_summaries([s["id"] for s in stories])
        assert [store.related_story_rows(s["id"]) for s in stories] == [lite.related_story_rows(s["id"])
                                                                         for s in stories]
    finally:
        lite.close()
        driver.close()
        neo4j_server.stop(home)


def test_an_import_never_overwrites_by_accident(lite_url, tmp_path):
    home = tmp_path / "local"
    first = cli("neo4j", "import", "--from", lite_url, "--data", home, "--no-start", "--json")
    assert '"url": null' in first.output
    # a database is there now: importing again must be asked for, and says how
    refused = cli("neo4j", "import", "--from", lite_url, "--data", home, "--no-start", code=2)
    assert "already has a Neo4j database" in refused.output and "--replace" in refused.output
    # a server running on it is never written under
    port = neo4j_server.free_port()
    neo4j_server.start(port=port, data=home, timeout=180)
    try:
        running = cli("neo4j", "import", "--from", lite_url, "--data", home, "--replace", "--no-start", code=2)
        assert "is running: stop it first" in running.output
        driver = neo4j.GraphDatabase.driver(f"bolt://127.0.0.1:{port}", auth=None)
        before = everything(driver)
        lite = open_store(lite_url)
        stats = lite.stats()
        lite.close()
        counted = {r["label"]: r["n"] for r in driver.execute_query(
            "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n").records}
        assert {k: counted.get(k, 0) for k in stats["nodes"]} == stats["nodes"]
        driver.close()
    finally:
        neo4j_server.stop(home)
    # --replace builds it again: the same database as before
    cli("neo4j", "import", "--from", lite_url, "--data", home, "--replace", "--port", port)
    driver = neo4j.GraphDatabase.driver(f"bolt://127.0.0.1:{port}", auth=None)
    try:
        assert everything(driver)[:2] == before[:2]
    finally:
        driver.close()
        neo4j_server.stop(home)


def test_an_import_from_a_store_that_is_not_there_says_so_and_writes_nothing(tmp_path):
    home = tmp_path / "local"
    out = cli("neo4j", "import", "--from", f"sqlite:///{tmp_path / 'missing.db'}", "--data", home, code=2)
    assert "no store at" in out.output
    assert not (tmp_path / "missing.db").exists() and not home.exists()


def test_a_relationship_to_a_node_the_source_lacks_is_named_and_nothing_is_imported(lite_url, tmp_path):
    import shutil
    import sqlite3

    copy = tmp_path / "broken.db"
    shutil.copy(lite_url[len("sqlite:///"):], copy)
    with sqlite3.connect(copy) as db:  # written past the store's foreign keys, as another tool might
        article = db.execute("SELECT id FROM article ORDER BY id LIMIT 1").fetchone()[0]
        db.execute("INSERT INTO rel_mentions (start_id, end_id, count) VALUES (?, 'gpe:atlantis', 1)", (article,))
    home = tmp_path / "local"
    out = cli("neo4j", "import", "--from", f"sqlite:///{copy}", "--data", home, code=2)
    assert "MENTIONS relationship of the source refers to Entity 'gpe:atlantis'" in out.output
    assert not (home / "data" / "databases" / "neo4j").exists()
