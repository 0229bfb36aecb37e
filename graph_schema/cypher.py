"""Cypher generated from the schema: constraints and indexes for Neo4j 5.

>>> constraint_statements()[0]
'CREATE CONSTRAINT outlet_id_unique IF NOT EXISTS FOR (n:Outlet) REQUIRE n.id IS UNIQUE'
"""

from __future__ import annotations

from graph_schema.model import LABELS


def constraint_statements() -> list[str]:
    """Idempotent ``CREATE CONSTRAINT`` / ``CREATE INDEX`` statements, one per key and indexed property."""
    out = []
    for label in LABELS.values():
        out.append(
            f"CREATE CONSTRAINT {label.table}_{label.key}_unique IF NOT EXISTS "
            f"FOR (n:{label.name}) REQUIRE n.{label.key} IS UNIQUE"
        )
    for label in LABELS.values():
        for prop in label.properties:
            if prop.indexed and prop.name != label.key:
                out.append(
                    f"CREATE INDEX {label.table}_{prop.name} IF NOT EXISTS "
                    f"FOR (n:{label.name}) ON (n.{prop.name})"
                )
    return out
