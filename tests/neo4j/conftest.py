"""Fixtures of the tests that copy a whole graph into Neo4j (``newsgraph sync``, ``newsgraph neo4j import``)."""

import pytest
from typer.testing import CliRunner

from newsgraph.engine.cli import app


def neo4j_env(info):
    """The environment the CLI needs to log in to the session's Neo4j."""
    return {"NEWSGRAPH_NEO4J_USER": info.user, "NEWSGRAPH_NEO4J_PASSWORD": info.password,
            "NEWSGRAPH_NEO4J_DATABASE": info.database}


@pytest.fixture(scope="module")
def lite_url(tmp_path_factory, corpus_files):
    """The corpus ingested into SQLite through the CLI (its stories' key points stored with it)."""
    jsonl, outlets = corpus_files
    url = f"sqlite:///{tmp_path_factory.mktemp('graph') / 'g.db'}"
    runner = CliRunner()
    for args in (["outlets", "import", str(outlets), "--scheme", "csv", "--store", url],
                 ["ingest", str(jsonl), "--store", url]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    return url


@pytest.fixture()
def empty_neo4j(backend_store, tmp_path, neo4j_server_info):
    """The session's Neo4j, emptied, and the environment the CLI needs to log in."""
    store = backend_store("neo4j", tmp_path)
    return store, neo4j_server_info.url, neo4j_env(neo4j_server_info)
