"""The graph's single source of truth: labels, keys, properties, relationships."""

from newsgraph.graph_schema.model import (
    LABELS,
    RELATIONSHIPS,
    SCHEMA_VERSION,
    NodeLabel,
    Property,
    RelationshipType,
    check_label,
    check_relationship,
)
from newsgraph.graph_schema.cypher import constraint_statements
from newsgraph.graph_schema.sqlite import sqlite_ddl, sqlite_objects

__all__ = [
    "LABELS",
    "RELATIONSHIPS",
    "SCHEMA_VERSION",
    "NodeLabel",
    "Property",
    "RelationshipType",
    "check_label",
    "check_relationship",
    "constraint_statements",
    "sqlite_ddl",
    "sqlite_objects",
]
