"""SQLite tables generated from the schema, for the embedded store.

Each label is a table keyed on its key property; each relationship is a
table keyed on (start, end), with a foreign key to both ends.

>>> print(sqlite_ddl()[0].splitlines()[0])
CREATE TABLE IF NOT EXISTS outlet (
>>> sorted(n for n in sqlite_objects() if n.startswith("article"))[:3]
['article', 'article_published_at', 'article_title_key']
"""

from __future__ import annotations

import re

from newsgraph.graph_schema.model import INGESTED_FILE, LABELS, STORY_SUMMARY, RELATIONSHIPS, SCHEMA_VERSION

_SQL_TYPES = {"text": "TEXT", "int": "INTEGER", "float": "REAL", "bool": "INTEGER", "datetime": "TEXT", "json": "TEXT"}


def sqlite_ddl() -> list[str]:
    """``CREATE TABLE``/``CREATE INDEX`` statements for every label and relationship."""
    out = []
    for label in (*LABELS.values(), INGESTED_FILE, STORY_SUMMARY):
        cols = []
        for p in label.properties:
            col = f"    {p.name} {_SQL_TYPES[p.type]}"
            if p.name == label.key:
                col += " PRIMARY KEY"
            elif p.required:
                col += " NOT NULL"
            cols.append(col)
        out.append(f"CREATE TABLE IF NOT EXISTS {label.table} (\n" + ",\n".join(cols) + "\n)")
        for p in label.properties:
            if p.indexed and p.name != label.key:
                out.append(f"CREATE INDEX IF NOT EXISTS {label.table}_{p.name} ON {label.table}({p.name})")
    for rel in RELATIONSHIPS.values():
        start, end = LABELS[rel.start], LABELS[rel.end]
        if rel.pair:
            # counted from MENTIONS rows written in the same transaction, whose ends the foreign keys there
            # checked: checking both ends again on every count would be most of the cost of keeping them
            cols = ["    start_id TEXT NOT NULL", "    end_id TEXT NOT NULL"]
        else:
            cols = [
                f"    start_id TEXT NOT NULL REFERENCES {start.table}({start.key}) ON DELETE CASCADE",
                f"    end_id TEXT NOT NULL REFERENCES {end.table}({end.key}) ON DELETE CASCADE",
            ]
        cols += [f"    {p.name} {_SQL_TYPES[p.type]}" for p in rel.properties]
        cols.append("    PRIMARY KEY (start_id)" if rel.one_per_start else "    PRIMARY KEY (start_id, end_id)")
        out.append(f"CREATE TABLE IF NOT EXISTS {rel.table} (\n" + ",\n".join(cols) + "\n) WITHOUT ROWID")
        if rel.pair:
            out += _pair_indexes(rel)
        else:
            out.append(f"CREATE INDEX IF NOT EXISTS {rel.table}_end ON {rel.table}(end_id)")
    # the story list's order (most sources first), so that a page deep in the list is an index walk
    out.append("CREATE INDEX IF NOT EXISTS story_rank "
               "ON story(source_count DESC, article_count DESC, first_published DESC, id)")
    # related stories (the stories sharing a story's entities within a time window): an entity's stories with
    # their weights, and a story's dates by its id, each read from an index alone (about 3x faster on hubs)
    out.append("CREATE INDEX IF NOT EXISTS rel_about_end_weight ON rel_about(end_id, start_id, weight)")
    out.append("CREATE INDEX IF NOT EXISTS story_span ON story(id, last_published, first_published)")
    out += related_ddl()
    out.append("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
    out.append(
        f"INSERT INTO meta(key, value) VALUES ('schema_version', '{SCHEMA_VERSION}') "
        "ON CONFLICT(key) DO NOTHING"
    )
    return out


# Kept by triggers for the related stories (the other stories about a story's entities within a time window):
# each ABOUT row with its story's span, so that an entity's stories in a window are one index range instead
# of a look-up of every story of the entity, and each entity's number of stories, so that telling the
# entities too common to relate stories by is a key read instead of a count. Every write of ABOUT rows and
# story spans keeps them, whatever path it takes (ingest, sync, a rewrite); a bulk load drops the triggers
# and fills the tables once at its end (RELATED_FILL).
RELATED_TRIGGERS = ("rel_about_span_insert", "rel_about_span_delete", "rel_about_span_update",
                    "story_span_insert", "story_span_update")

_SPAN_OF_NEW = """INSERT INTO about_span (story_id, entity_id, weight, first_published, last_published)
        SELECT NEW.start_id, NEW.end_id, NEW.weight, s.first_published, s.last_published
        FROM story s WHERE s.id = NEW.start_id;
    INSERT INTO entity_story_count (entity_id, stories) VALUES (NEW.end_id, 1)
        ON CONFLICT(entity_id) DO UPDATE SET stories = stories + 1;"""

_SPAN_OF_OLD = """DELETE FROM about_span WHERE story_id = OLD.start_id AND entity_id = OLD.end_id;
    UPDATE entity_story_count SET stories = stories - 1 WHERE entity_id = OLD.end_id;"""


def related_ddl() -> list[str]:
    """The tables, index and triggers that keep :data:`RELATED_TRIGGERS`' copies of ABOUT rows and counts."""
    return [
        "CREATE TABLE IF NOT EXISTS about_span (\n    story_id TEXT NOT NULL,\n    entity_id TEXT NOT NULL,\n"
        "    weight REAL,\n    first_published TEXT,\n    last_published TEXT,\n"
        "    PRIMARY KEY (story_id, entity_id)\n) WITHOUT ROWID",
        "CREATE INDEX IF NOT EXISTS about_span_window "
        "ON about_span(entity_id, last_published, first_published, story_id, weight)",
        "CREATE TABLE IF NOT EXISTS entity_story_count (\n    entity_id TEXT PRIMARY KEY,\n"
        "    stories INTEGER NOT NULL\n) WITHOUT ROWID",
        *related_triggers(),
    ]


def related_triggers() -> list[str]:
    """``CREATE TRIGGER`` statements of :data:`RELATED_TRIGGERS`, in that order."""
    return [
        f"CREATE TRIGGER IF NOT EXISTS rel_about_span_insert AFTER INSERT ON rel_about BEGIN\n    {_SPAN_OF_NEW}\nEND",
        f"CREATE TRIGGER IF NOT EXISTS rel_about_span_delete AFTER DELETE ON rel_about BEGIN\n    {_SPAN_OF_OLD}\nEND",
        # an upsert that writes a row again as it was (an idempotent rewrite, a sync of the same graph) costs nothing
        "CREATE TRIGGER IF NOT EXISTS rel_about_span_update AFTER UPDATE ON rel_about\n"
        "    WHEN OLD.start_id IS NOT NEW.start_id OR OLD.end_id IS NOT NEW.end_id OR OLD.weight IS NOT NEW.weight\n"
        f"BEGIN\n    {_SPAN_OF_OLD}\n    {_SPAN_OF_NEW}\nEND",
        # a story written after its ABOUT rows (a copy that orders them so) gives them its span then
        "CREATE TRIGGER IF NOT EXISTS story_span_insert AFTER INSERT ON story BEGIN\n"
        "    INSERT OR IGNORE INTO about_span (story_id, entity_id, weight, first_published, last_published)\n"
        "        SELECT ab.start_id, ab.end_id, ab.weight, NEW.first_published, NEW.last_published\n"
        "        FROM rel_about ab WHERE ab.start_id = NEW.id;\nEND",
        "CREATE TRIGGER IF NOT EXISTS story_span_update AFTER UPDATE OF first_published, last_published ON story\n"
        "    WHEN OLD.first_published IS NOT NEW.first_published OR OLD.last_published IS NOT NEW.last_published\n"
        "BEGIN\n"
        "    UPDATE about_span SET first_published = NEW.first_published, last_published = NEW.last_published\n"
        "        WHERE story_id = NEW.id;\nEND",
    ]


RELATED_FILL = (
    "DELETE FROM about_span",
    "INSERT INTO about_span (story_id, entity_id, weight, first_published, last_published) "
    "SELECT ab.start_id, ab.end_id, ab.weight, s.first_published, s.last_published "
    "FROM rel_about ab JOIN story s ON s.id = ab.start_id",
    "DELETE FROM entity_story_count",
    "INSERT INTO entity_story_count (entity_id, stories) SELECT end_id, count(*) FROM rel_about GROUP BY end_id",
)
"Statements that fill the tables of :func:`related_ddl` from the ABOUT rows and stories as they are."


def _pair_indexes(rel) -> list[str]:
    """Indexes of an undirected pair relationship (``CO_MENTIONED``): each end's neighbours, heaviest (first
    property) first, so that the top neighbours of a hub are an index walk from either end."""
    heaviest = rel.properties[0].name
    return [
        f"CREATE INDEX IF NOT EXISTS {rel.table}_start_{heaviest} ON {rel.table}(start_id, {heaviest} DESC)",
        f"CREATE INDEX IF NOT EXISTS {rel.table}_end_{heaviest} ON {rel.table}(end_id, {heaviest} DESC)",
    ]


def sqlite_added_columns(columns: dict[str, set[str]]) -> list[str]:
    """``ALTER TABLE ... ADD COLUMN`` for the properties a store made by an older release lacks.

    ``columns`` maps each existing table to its column names (``CREATE TABLE IF NOT EXISTS``
    leaves an existing table as it was, so a property added to the schema since needs this).

    >>> sqlite_added_columns({"article": {"id", "title"}})[:1]
    ['ALTER TABLE article ADD COLUMN url TEXT']
    """
    out = []
    for label in LABELS.values():
        have = columns.get(label.table)
        if have is None:
            continue
        out += [f"ALTER TABLE {label.table} ADD COLUMN {p.name} {_SQL_TYPES[p.type]}"
                for p in label.properties if p.name not in have]
    return out


_CREATES = re.compile(r"CREATE (?:TABLE|INDEX|TRIGGER) IF NOT EXISTS (\w+)")


def sqlite_objects() -> set[str]:
    """The names of the tables, indexes and triggers :func:`sqlite_ddl` creates.

    A store that has them all and the current ``schema_version`` needs no DDL,
    so opening it can stay a read.
    """
    return {m.group(1) for stmt in sqlite_ddl() if (m := _CREATES.match(stmt))}
