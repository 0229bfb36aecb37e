"""The graph model of newsgraph, declared once as data.

Neo4j constraints and indexes (:mod:`graph_schema.cypher`) and the SQLite
tables (:mod:`graph_schema.sqlite`) are generated from these declarations.

>>> LABELS["Outlet"].key
'id'
>>> RELATIONSHIPS["PART_OF"].start, RELATIONSHIPS["PART_OF"].end
('Article', 'Story')
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Property:
    """A property of a node or relationship.

    ``type`` is one of ``text``, ``int``, ``float``, ``bool``, ``datetime``
    (ISO 8601 UTC text in SQLite, a temporal value in Neo4j) or ``json``
    (a JSON-encoded string in both stores).
    """

    name: str
    type: str = "text"
    indexed: bool = False
    required: bool = False


@dataclass(frozen=True)
class NodeLabel:
    """A node label with its unique key property and its other properties."""

    name: str
    key: str
    properties: tuple[Property, ...]

    @property
    def table(self) -> str:
        return self.name.lower()

    @property
    def property_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.properties)


@dataclass(frozen=True)
class RelationshipType:
    """A relationship type between two labels; ``derived`` ones are recomputed, never ingested."""

    name: str
    start: str
    end: str
    properties: tuple[Property, ...] = ()
    derived: bool = False
    one_per_start: bool = False
    "At most one such relationship leaves a node (an article is part of one story)."
    pair: bool = False
    """Undirected: one relationship per pair of nodes, from the smaller key to the larger; each end's
    neighbours are indexed heaviest first by the first property."""
    end_keeps: str | None = None
    """Neo4j only: the end node keeps the keys of its start nodes by this type in the list property of this
    name, written with every relationship, so counting many end nodes by their start reads one property of
    each instead of expanding their relationships (a hub's outlets: the publishers of 18,000 articles)."""

    @property
    def table(self) -> str:
        return "rel_" + self.name.lower()

    @property
    def property_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.properties)


P = Property

LABELS: dict[str, NodeLabel] = {
    n.name: n
    for n in (
        NodeLabel(
            "Outlet",
            key="id",
            properties=(
                P("id", required=True),
                P("name", indexed=True),
                P("bias", indexed=True),
                P("bias_score", "float"),
                P("factuality"),
                P("ownership"),
                P("country"),
                P("rating_source"),
                P("aliases", "json"),
                P("ratings", "json"),
            ),
        ),
        NodeLabel(
            "Article",
            key="id",
            properties=(
                P("id", required=True),
                P("url", indexed=True),
                P("title", required=True),
                P("lead"),
                P("text"),
                P("published_at", "datetime", indexed=True, required=True),
                P("language"),
                P("word_count", "int"),
                P("outlet_name"),
                P("title_key", indexed=True),
                P("content_hash"),
                P("extra", "json"),
            ),
        ),
        NodeLabel(
            "Entity",
            key="id",
            properties=(
                P("id", required=True),
                P("name", indexed=True),
                P("type", indexed=True),
                P("aliases", "json"),
            ),
        ),
        NodeLabel(
            "Story",
            key="id",
            properties=(
                P("id", required=True),
                P("title"),
                P("first_published", "datetime", indexed=True),
                P("last_published", "datetime"),
                P("article_count", "int"),
                P("source_count", "int", indexed=True),
            ),
        ),
        # wire copies: an article's MinHash signature, keyed by the article's id (engine/stories/copies.py)
        NodeLabel(
            "Fingerprint",
            key="id",
            properties=(
                P("id", required=True),
                P("minhash", required=True),
                P("shingles", "int"),
                P("published_at", "datetime", indexed=True, required=True),
                P("outlet_id"),
            ),
        ),
    )
}

RELATIONSHIPS: dict[str, RelationshipType] = {
    r.name: r
    for r in (
        RelationshipType("PUBLISHED", "Outlet", "Article", end_keeps="outlet_ids"),
        RelationshipType("MENTIONS", "Article", "Entity", (P("count", "int"), P("in_title", "bool"))),
        RelationshipType("PART_OF", "Article", "Story", (P("similarity", "float"),), one_per_start=True),
        RelationshipType(
            "COVERED",
            "Outlet",
            "Story",
            (P("articles", "int"), P("first_published", "datetime")),
            derived=True,
        ),
        RelationshipType("ABOUT", "Story", "Entity", (P("weight", "float"),), derived=True),
        # -- co-mentions: kept up to date at ingest (engine/store/co_mentions.py), so a neighbourhood is an index read
        RelationshipType(
            "CO_MENTIONED",
            "Entity",
            "Entity",
            (P("articles", "int"), P("stories", "int")),
            derived=True,
            pair=True,
        ),
        # a wire copy points at the earliest article with its text; overlap: the share of its shingles
        RelationshipType("COPY_OF", "Article", "Article", (P("overlap", "float"),), one_per_start=True),
    )
}


def check_label(name: str) -> NodeLabel:
    """The declared label ``name``; raises ``ValueError`` for anything else.

    Labels spliced into a query are checked here first.

    >>> check_label("Story").key
    'id'
    """
    try:
        return LABELS[name]
    except KeyError:
        raise ValueError(f"unknown node label {name!r}; known: {', '.join(LABELS)}") from None


def check_relationship(name: str) -> RelationshipType:
    """The declared relationship type ``name``; raises ``ValueError`` for anything else."""
    try:
        return RELATIONSHIPS[name]
    except KeyError:
        raise ValueError(f"unknown relationship type {name!r}; known: {', '.join(RELATIONSHIPS)}") from None


# -- the ingest ledger ----------------------------------------------------------------------------
# Bookkeeping of bulk runs, not part of the graph: which input files a run read to the end with
# every batch stored, so that a run started again skips them. Keyed on the file's size and content
# hash (engine.ingest.files.FileIdentity); kept out of LABELS, so stats, sync and exports ignore it.
INGESTED_FILE = NodeLabel(
    "IngestedFile",
    key="id",
    properties=(
        P("id", required=True),
        P("path"),
        P("size", "int"),
        P("records", "int"),
        P("ingested_at", "datetime"),
    ),
)


# -- stored story summaries ---------------------------------------------------------------------
# A story's key points and sides (engine.story_sections) as JSON, with the fingerprint of the story
# they were computed from: ingest computes them for the stories it changed, reads use them while the
# fingerprint matches. Derived bookkeeping, not part of the graph: kept out of LABELS like the ledger.
STORY_SUMMARY = NodeLabel(
    "StorySummary",
    key="id",
    properties=(
        P("id", required=True),
        P("fingerprint", required=True),
        P("sections", "json", required=True),
        P("computed_at", "datetime"),
    ),
)
