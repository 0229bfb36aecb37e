"""The embedded store's ``INSERT ... ON CONFLICT`` upserts, generated from the schema.

A node row is keyed on its label's key, a relationship row on (start, end),
or on its start alone for a type declared ``one_per_start``.

>>> node_upsert("Entity")
'INSERT INTO entity (id, name, type, aliases) VALUES (:id, :name, :type, :aliases) \
ON CONFLICT(id) DO UPDATE SET name = excluded.name, type = excluded.type, aliases = excluded.aliases'
"""

from __future__ import annotations

from typing import Sequence

from newsgraph.graph_schema import LABELS, RELATIONSHIPS
from newsgraph.graph_schema.model import INGESTED_FILE, STORY_SUMMARY


def _upsert_sql(table: str, columns: Sequence[str], key: Sequence[str], *, positional: bool = False,
                fresh: bool = False) -> str:
    placeholders = ", ".join("?" if positional else f":{c}" for c in columns)
    if fresh:  # none of the rows is stored yet: a plain insert, which fails on a row that is
        return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in key)
    conflict = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders}) "
        f"ON CONFLICT({', '.join(key)}) {conflict}"
    )


def node_upsert(label: str, *, positional: bool = False, fresh: bool = False) -> str:
    """Upsert of one node row of ``label``: every declared property (``positional``: as ``?`` in their order;
    ``fresh``: a plain insert, for rows known to be new).

    >>> node_upsert("Entity", positional=True).split(" ON ")[0]
    'INSERT INTO entity (id, name, type, aliases) VALUES (?, ?, ?, ?)'
    """
    spec = LABELS[label]
    return _upsert_sql(spec.table, spec.property_names, (spec.key,), positional=positional, fresh=fresh)


def rel_upsert(rel: str, *, positional: bool = False, fresh: bool = False) -> str:
    """Upsert of one ``{start_id, end_id, <properties>}`` row of ``rel`` (``positional``, ``fresh``: as for
    :func:`node_upsert`)."""
    spec = RELATIONSHIPS[rel]
    key = ("start_id",) if spec.one_per_start else ("start_id", "end_id")
    return _upsert_sql(spec.table, ("start_id", "end_id", *spec.property_names), key, positional=positional,
                       fresh=fresh)


# An article's publisher, known only by domain until its ratings arrive: never overwrite a rated outlet.
OUTLET_STUB = (
    f"INSERT INTO {LABELS['Outlet'].table} (id, name, bias, factuality, ownership) "
    "VALUES (:id, :name, 'unrated', 'unrated', 'unknown') "
    "ON CONFLICT(id) DO UPDATE SET name = coalesce(outlet.name, excluded.name)"
)


def node_upsert_ledger() -> str:
    """Upsert of one row of the ingest ledger (:data:`~graph_schema.model.INGESTED_FILE`)."""
    return _upsert_sql(INGESTED_FILE.table, INGESTED_FILE.property_names, (INGESTED_FILE.key,))


def node_upsert_summary() -> str:
    """Upsert of a stored story summary (:data:`~graph_schema.model.STORY_SUMMARY`)."""
    return _upsert_sql(STORY_SUMMARY.table, STORY_SUMMARY.property_names, (STORY_SUMMARY.key,))
