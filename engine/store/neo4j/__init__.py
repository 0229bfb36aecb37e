"""The Neo4j store: a ``GraphStore`` on a Neo4j 5 server, handed a driver."""

from newsgraph.engine.store.neo4j.store import Neo4jStore

__all__ = ["Neo4jStore"]
