"""The screen ``newsgraph cypher`` puts before the server: what a read-only query may not do."""

import re
from pathlib import Path

import pytest

from newsgraph.engine.errors import QueryRefused
from newsgraph.engine.store.neo4j.query_guard import check_read_only

DOC = Path(__file__).resolve().parents[2] / "docs" / "cypher.md"


@pytest.mark.parametrize("query, says", [
    ("LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", "LOAD CSV"),
    ("load csv with headers from 'http://127.0.0.1:9/x' as row return row", "LOAD CSV"),
    ("MATCH (n) WITH n LIMIT 1 LOAD /* split */ CSV FROM 'file:///etc/hostname' AS l RETURN l", "LOAD CSV"),
    ("CALL { LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l } RETURN l", "LOAD CSV"),
    ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "TERMINATE"),
    ("SHOW TRANSACTIONS YIELD transactionId TERMINATE TRANSACTIONS transactionId", "refuses SHOW"),
    ("SHOW USERS", "SHOW"),
    ("CREATE DATABASE evil", "start with MATCH"),
    ("DROP DATABASE neo4j", "start with MATCH"),
    ("ALTER USER neo4j SET PASSWORD 'x'", "start with MATCH"),
    ("CREATE ROLE evil", "start with MATCH"),
    ("GRANT ROLE admin TO reader", "GRANT"),
    ("USE system MATCH (n) RETURN n", "USE"),
    ("MATCH (n) CALL apoc.load.json('file:///etc/passwd') YIELD value RETURN value", "procedure apoc.load.json"),
    ("CALL `apoc`.`export`.`csv`.`all`('/tmp/x.csv', {})", "procedure apoc.export.csv.all"),
    ("CALL dbms.listConfig()", "procedure dbms.listConfig"),
    ("CALL dbms.security.createUser('x', 'y')", "procedure dbms.security.createUser"),
    ("CALL db.clearQueryCaches()", "procedure db.clearQueryCaches"),
    ("RETURN apoc.text.join(['a'], ',')", "function apoc.text.join"),
    ("MATCH (n) RETURN `apoc.util.sha1`([n.id])", "function apoc.util.sha1"),
    ("RETURN apoc . load . jsonParams ('http://x', {}, null)", "function apoc.load.jsonParams"),
    ("EXPLAIN LOAD CSV FROM 'file:///x' AS l RETURN l", "LOAD CSV"),
    ("", "needs a query"),
])
def test_queries_that_reach_beyond_the_graph_are_refused(query, says):
    with pytest.raises(QueryRefused, match=re.escape(says)):
        check_read_only(query)


@pytest.mark.parametrize("query", [
    "MATCH (s:Story) RETURN s.title AS title ORDER BY s.source_count DESC LIMIT 5",
    "CALL db.labels() YIELD label RETURN label",
    "CALL db.relationshipTypes()",
    "CALL db.propertyKeys",
    "CALL db.schema.visualization()",
    "MATCH (o:Outlet) WHERE o.name CONTAINS 'LOAD CSV' RETURN o  // LOAD CSV, TERMINATE, apoc.load.json()",
    "MATCH (a:Article) RETURN date.truncate('month', a.published_at) AS month, count(*) AS n",
    "MATCH (a:Article)-[:PART_OF]->(s:Story) RETURN s {.id, .title}, duration.between(a.published_at, s.last_published)",
    "MATCH (s:Story) CALL { WITH s MATCH (s)<-[:PART_OF]-(a) RETURN count(a) AS n } RETURN s.id, n",
    "PROFILE MATCH (n:Entity {type: 'GPE'}) RETURN n.load, n.show, n.use",
    "UNWIND $ids AS id MATCH (o:Outlet {id: id}) RETURN o.name",
    "OPTIONAL MATCH (o:Outlet {id: $id}) RETURN coalesce(o.name, 'none') AS name",
])
def test_reading_queries_pass(query):
    check_read_only(query)


def test_the_docs_worked_queries_pass():
    queries = re.findall(r"```cypher\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert queries
    for query in queries:
        check_read_only(query)
