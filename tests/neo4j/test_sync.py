"""``newsgraph sync`` between the embedded store and a real Neo4j server, on the known-answer corpus."""

import json

import pytest
from typer.testing import CliRunner

from newsgraph.engine.cli import app
from newsgraph.engine.store import open_store
from newsgraph.graph_schema import LABELS, RELATIONSHIPS

pytestmark = pytest.mark.neo4j

runner = CliRunner()


def cli(*args, env=None, code=0):
    result = runner.invoke(app, [str(a) for a in args], env=env)
    assert result.exit_code == code, result.output
    return result


def graph_rows(store):
    """Every node and relationship row of ``store``: what two equal graphs agree on."""
    return {
        **{label: list(store.iter_nodes(label)) for label in LABELS},
        **{rel: list(store.iter_relationships(rel)) for rel in RELATIONSHIPS},
    }


def assert_same_graph(a, b):
    assert a.stats() == b.stats()
    assert list(a.export_articles()) == list(b.export_articles())
    stories, _ = a.search_stories(limit=1000)
    assert b.search_stories(limit=1000) == a.search_stories(limit=1000)
    for s in stories:
        assert a.story_rows(s["id"]) == b.story_rows(s["id"])
    assert graph_rows(a) == graph_rows(b)


def test_sync_sqlite_to_neo4j_copies_everything_and_twice_changes_nothing(lite_url, empty_neo4j):
    neo, url, env = empty_neo4j
    out = json.loads(cli("sync", "--from", lite_url, "--to", url, "--json", env=env).stdout)
    lite = open_store(lite_url)
    try:
        counts = lite.stats()
        assert out["copied"]["nodes"] == counts["nodes"]
        assert out["copied"]["relationships"] == counts["relationships"]
        assert out["target_stats"] == counts
        assert counts["nodes"]["Article"] == 12 and counts["nodes"]["Story"] == 3
        assert_same_graph(lite, neo)
        before = graph_rows(neo)
        cli("sync", "--from", lite_url, "--to", url, env=env)
        assert graph_rows(neo) == before
        assert neo.stats() == counts
    finally:
        lite.close()


def test_sync_back_from_neo4j_gives_the_same_sqlite_store(lite_url, empty_neo4j, tmp_path):
    neo, url, env = empty_neo4j
    cli("sync", "--from", lite_url, "--to", url, "--json", env=env)
    copy_url = f"sqlite:///{tmp_path / 'copy.db'}"
    text = cli("sync", "--from", url, "--to", copy_url, env=env).stdout
    assert text.startswith("copied ")
    lite, copy = open_store(lite_url), open_store(copy_url)
    try:
        assert_same_graph(lite, copy)
    finally:
        lite.close()
        copy.close()


def test_sync_to_an_unreachable_store_is_one_clear_line(lite_url):
    from newsgraph.engine.neo4j_server import free_port

    result = runner.invoke(app, ["sync", "--from", lite_url, "--to", f"bolt://127.0.0.1:{free_port()}"])
    assert result.exit_code == 3
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot reach the Neo4j backend")


def test_sync_carries_the_stored_key_points_and_the_target_reads_them(lite_url, empty_neo4j):
    from newsgraph.engine.story_sections import story_fingerprint

    neo, url, env = empty_neo4j
    out = json.loads(cli("sync", "--from", lite_url, "--to", url, "--json", env=env).stdout)
    lite = open_store(lite_url)
    try:
        carried = list(lite.iter_story_summaries())
        assert out["copied"]["summaries"] == len(carried) == 3
        assert list(neo.iter_story_summaries()) == carried
        # the fingerprints name the same stories in the target: its reads use the carried sections
        for row in carried:
            assert story_fingerprint(neo.story_rows(row["id"])) == row["fingerprint"]
    finally:
        lite.close()


def schema_state(neo):
    """Every index of the database by name, with its state."""
    from newsgraph.graph_schema import cypher as q

    return {r["name"]: r["state"] for r in neo._read(q.SCHEMA_STATE)}


def busiest_entity(lite):
    """The entity most articles mention: the hub whose neighbourhood is the largest read."""
    counts = {}
    for row in lite.iter_relationships("MENTIONS"):
        counts[row["end_id"]] = counts.get(row["end_id"], 0) + 1
    return max(sorted(counts), key=counts.get)


def test_the_bulk_path_into_an_empty_neo4j_gives_the_graph_the_merge_path_gives(lite_url, empty_neo4j):
    from newsgraph.graph_schema import cypher as q

    neo, url, env = empty_neo4j
    indexes = schema_state(neo)
    assert {"rel_co_mentioned_start_rank", "story_rank", "rel_co_mentioned_key_unique"} <= set(indexes)
    cli("sync", "--from", lite_url, "--to", url, env=env)  # empty: the bulk path
    bulk = graph_rows(neo)
    after = schema_state(neo)
    assert after == {name: "ONLINE" for name in indexes}  # every index dropped for the load is back, online
    lite = open_store(lite_url)
    try:
        hub = busiest_entity(lite)
        bulk_hub = neo.entity_neighbourhood(hub)
        assert bulk_hub["neighbours"] and bulk_hub == lite.entity_neighbourhood(hub)
        # the same graph written row by row with upserts, every index kept up to date as it goes
        neo.clear()
        for label in LABELS:
            neo.write_nodes(label, list(lite.iter_nodes(label)))
        for rel in RELATIONSHIPS:
            neo.write_relationships(rel, list(lite.iter_relationships(rel)))
        assert graph_rows(neo) == bulk
        assert neo.entity_neighbourhood(hub) == bulk_hub
        # the neighbourhood is still read from the rank index rebuilt at the end of the load
        plan = neo.driver.execute_query("EXPLAIN " + q.CO_MENTIONED, prefix=q.pair_rank_prefix(hub),
                                        limit=25, database_=neo.database).summary.plan
        seeks = []

        def walk(op):
            if "IndexSeek" in op["operatorType"]:
                seeks.append(op["args"].get("Details", ""))
            for child in op.get("children", []):
                walk(child)

        walk(plan)
        assert any("start_rank" in d for d in seeks) and any("end_rank" in d for d in seeks), seeks
    finally:
        lite.close()


def test_a_bulk_load_that_fails_midway_still_ends_with_every_index_online(lite_url, empty_neo4j):
    from newsgraph.engine.errors import StoreError

    neo, _, _ = empty_neo4j
    indexes = schema_state(neo)
    lite = open_store(lite_url)
    try:
        rows = list(lite.iter_relationships("MENTIONS"))
        bad = rows[: len(rows) // 2] + [{**rows[0], "end_id": "gpe:nowhere"}] + rows[len(rows) // 2 :]
        with pytest.raises(StoreError, match="refer to a node that does not exist"):
            with neo.bulk_load():
                for label in LABELS:
                    neo.write_nodes(label, list(lite.iter_nodes(label)), fresh=True)
                neo.write_relationships("MENTIONS", bad, fresh=True)
    finally:
        lite.close()
    assert schema_state(neo) == {name: "ONLINE" for name in indexes}
    assert neo.stats()["relationships"]["MENTIONS"] == 0  # the failed batch left nothing behind
