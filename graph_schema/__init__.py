"""The graph's single source of truth: labels, keys, properties, relationships."""

from graph_schema.model import (
    LABELS,
    RELATIONSHIPS,
    SCHEMA_VERSION,
    NodeLabel,
    Property,
    RelationshipType,
    check_label,
    check_relationship,
)
from graph_schema.cypher import constraint_statements
from graph_schema.sqlite import sqlite_ddl

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
]
