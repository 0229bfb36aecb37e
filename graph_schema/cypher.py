"""All the Cypher the Neo4j store runs, generated from the schema or kept here as named constants.

Values always travel as ``$parameters``. A label or relationship type that
has to be spliced into a query text is checked against the schema first
(:func:`~graph_schema.model.check_label`, :func:`~graph_schema.model.check_relationship`).
Writes take a batch as ``$rows`` and ``UNWIND`` it.

>>> constraint_statements()[0]
'CREATE CONSTRAINT outlet_id_unique IF NOT EXISTS FOR (n:Outlet) REQUIRE n.id IS UNIQUE'
>>> print(merge_nodes("Entity"))
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
SET n += row
"""

from __future__ import annotations

from typing import Iterable

from newsgraph.graph_schema.model import INGESTED_FILE, LABELS, STORY_SUMMARY, RELATIONSHIPS, check_label, check_relationship


def constraint_statements() -> list[str]:
    """Idempotent ``CREATE CONSTRAINT`` / ``CREATE INDEX`` statements, one per key and indexed property."""
    out = []
    for label in (*LABELS.values(), INGESTED_FILE, STORY_SUMMARY):
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
    for rel in RELATIONSHIPS.values():
        for prop in rel.properties:
            if prop.indexed:
                out.append(
                    f"CREATE INDEX {rel.table}_{prop.name} IF NOT EXISTS "
                    f"FOR ()-[r:{rel.name}]-() ON (r.{prop.name})"
                )
    out.append(PAIR_KEY_CONSTRAINT)
    out += STORY_RANK_INDEXES
    return out


# -- a story's place in time under each of its entities: the related read seeks it ----------------------------

# Each ABOUT relationship keeps, as an indexed string, where its story lies in time among its entity's stories:
# span = entity id, RANK_SEP, 'S' for a story whose articles lie within SHORT_SPAN_SECONDS of each other or 'L'
# for a longer one, then 12 digits of its last article's epoch seconds + SPAN_OFFSET (dates before 1970 sort
# too). The stories of an entity in a window [lo, hi] are then two seeks: the short ones whose last article is
# in [lo, hi + SHORT_SPAN_SECONDS], and the long ones (few) from lo on; a filter on the dates keeps those that
# overlap it. A story without dates has no span. Kept by every write of ABOUT and of a story's dates.
SHORT_SPAN_SECONDS = 7 * 86400
SPAN_OFFSET = 100_000_000_000
SPAN_INDEXES = ["CREATE INDEX rel_about_span IF NOT EXISTS FOR ()-[r:ABOUT]-() ON (r.span)"]
SPAN_INDEX_PRESENT = "SHOW INDEXES YIELD name WHERE name = 'rel_about_span' RETURN count(*) AS n"


def set_about_span(rel: str = "r", story: str = "a", entity: str = "b") -> str:
    """The ``SET`` of the span of relationship ``rel`` from ``story`` to ``entity`` (see :data:`SHORT_SPAN_SECONDS`).

    >>> print(set_about_span("ab", "s", "e"))  # doctest: +ELLIPSIS
    SET ab.span = CASE WHEN s.first_published IS NULL OR s.last_published IS NULL THEN null ELSE e.id + '\\u0001' ...
    """
    first, last = f"{story}.first_published.epochSeconds", f"{story}.last_published.epochSeconds"
    return (f"SET {rel}.span = CASE WHEN {story}.first_published IS NULL OR {story}.last_published IS NULL THEN null"
            f" ELSE {entity}.id + '\\u0001' + CASE WHEN {last} - {first} <= {SHORT_SPAN_SECONDS} THEN 'S' ELSE 'L' END"
            f" + right('000000000000' + toString({last} + {SPAN_OFFSET}), 12) END")


def _span_digits(seconds: int) -> str:
    return _right("000000000000" + str(seconds + SPAN_OFFSET), 12)


def about_span(entity_id: str, first_seconds: int | None, last_seconds: int | None) -> str | None:
    """The span :func:`set_about_span` sets, from the story's first and last article in epoch seconds (rounded
    down): what an offline import writes.

    >>> about_span("gpe:finland", 0, 86400)
    'gpe:finland\\x01S100000086400'
    >>> about_span("gpe:finland", -86400 * 30, 0)
    'gpe:finland\\x01L100000000000'
    >>> about_span("gpe:finland", None, None) is None
    True
    """
    if first_seconds is None or last_seconds is None:
        return None
    kind = "S" if last_seconds - first_seconds <= SHORT_SPAN_SECONDS else "L"
    return entity_id + RANK_SEP + kind + _span_digits(last_seconds)


def about_span_ranges(entity_ids: Iterable[str], lo_seconds: int, hi_seconds: int) -> list[list[str]]:
    """``[from, to]`` (both included) of the spans of each entity's stories that may overlap the window
    ``[lo, hi]`` (epoch seconds, rounded down): two per entity, as ``RELATED_STORIES_OF`` takes them.

    >>> about_span_ranges(["org:nato"], 0, 86400)
    [['org:nato\\x01S100000000000', 'org:nato\\x01S100000691200'], ['org:nato\\x01L100000000000', 'org:nato\\x01L999999999999']]
    """
    out = []
    for entity_id in entity_ids:
        head = entity_id + RANK_SEP
        out.append([head + "S" + _span_digits(lo_seconds), head + "S" + _span_digits(hi_seconds + SHORT_SPAN_SECONDS)])
        out.append([head + "L" + _span_digits(lo_seconds), head + "L" + "9" * 12])
    return out


# the ABOUT relationships of a database written before they kept their spans (run outside a managed transaction)
FILL_ABOUT_SPANS = f"""
MATCH (s:Story)-[ab:ABOUT]->(e:Entity) WHERE ab.span IS NULL AND s.first_published IS NOT NULL
CALL (s, ab, e) {{ {set_about_span("ab", "s", "e")} }} IN TRANSACTIONS OF 10000 ROWS
"""


# -- writes ---------------------------------------------------------------


def merge_nodes(label: str) -> str:
    """Upsert a batch of nodes on their key; each row is the node's full property map.

    ``SET n += row`` replaces every property given and removes those given as
    ``null``, as an SQL upsert of the whole row does.
    """
    spec = check_label(label)
    query = f"UNWIND $rows AS row\nMERGE (n:{spec.name} {{{spec.key}: row.{spec.key}}})\nSET n += row"
    if spec.name == "Story":  # the story list's indexed order key (see STORY_RANK)
        query += f"\nWITH n AS s\nSET s.rank = {STORY_RANK}"
    return query


# merge_nodes("Article") that counts the rows it wrote: new articles, or ones whose content changed. MERGE
# locks the key, so of two transactions writing one article the later sees the earlier's content_hash.
MERGE_ARTICLES = """
UNWIND $rows AS row
MERGE (n:Article {id: row.id})
WITH n, row, n.content_hash AS before
SET n += row
RETURN count(CASE WHEN before IS NULL OR before <> row.content_hash THEN 1 END) AS written
"""


def keep_start(rel: str) -> list[str]:
    """The ``SET`` that adds a written relationship's start key to its end's ``end_keeps`` list, or nothing for
    a type that keeps none. Once: a relationship that existed already adds nothing, so writing it again keeps the
    list as it was; an end with several starts lists each of them, as it has a relationship from each.

    >>> keep_start("MENTIONS")
    []
    """
    spec = check_relationship(rel)
    if spec.end_keeps is None:
        return []
    key, kept = f"a.{check_label(spec.start).key}", f"b.{spec.end_keeps}"
    return [f"SET {kept} = CASE WHEN {key} IN {kept} THEN {kept} ELSE coalesce({kept}, []) + {key} END"]


def merge_relationships(rel: str) -> str:
    """Upsert a batch of relationships; rows are ``{start_id, end_id, props}``.

    Both ends must exist: the query returns how many rows it wrote, and the
    caller fails the transaction when that is fewer than it sent. For a type
    declared ``one_per_start`` (an article is part of one story) the start
    node's other relationships of the type are deleted first; the caller sends
    at most one row per start node in a batch (rows of a batch are not applied
    one after the other).

    The end of a type that ``end_keeps`` its starts' keys gets the start's key added (see :func:`keep_start`).

    >>> print(merge_relationships("PUBLISHED"))
    UNWIND $rows AS row
    MATCH (a:Outlet {id: row.start_id})
    MATCH (b:Article {id: row.end_id})
    MERGE (a)-[r:PUBLISHED]->(b)
    SET r += row.props
    SET b.outlet_ids = CASE WHEN a.id IN b.outlet_ids THEN b.outlet_ids ELSE coalesce(b.outlet_ids, []) + a.id END
    RETURN count(*) AS written
    """
    spec = check_relationship(rel)
    start, end = check_label(spec.start), check_label(spec.end)
    lines = [
        "UNWIND $rows AS row",
        f"MATCH (a:{start.name} {{{start.key}: row.start_id}})",
        f"MATCH (b:{end.name} {{{end.key}: row.end_id}})",
    ]
    if spec.one_per_start:
        lines.append(f"CALL (a, b) {{ MATCH (a)-[old:{spec.name}]->(other) WHERE other <> b DELETE old }}")
    if spec.pair:  # found by its unique key, not by expanding one end's relationships (a hub has thousands)
        lines += [f"MERGE (a)-[r:{spec.name} {{key: {PAIR_KEY}}}]->(b)", "SET r += row.props", f"SET {PAIR_RANKS}"]
    else:
        lines += [f"MERGE (a)-[r:{spec.name}]->(b)", "SET r += row.props"]
    lines += keep_start(spec.name) + _kept_on(spec.name)
    lines.append("RETURN count(*) AS written")
    return "\n".join(lines)


def _kept_on(rel: str) -> list[str]:
    """What a write of a ``rel`` relationship ``r`` from ``a`` to ``b`` keeps on it beyond its properties."""
    return [set_about_span()] if rel == "ABOUT" else []


# An article's publisher, known only by domain until its ratings arrive: never overwrite a rated outlet.
MERGE_OUTLET_STUBS = """
UNWIND $rows AS row
MERGE (o:Outlet {id: row.id})
ON CREATE SET o.bias = 'unrated', o.factuality = 'unrated', o.ownership = 'unknown'
SET o.name = coalesce(o.name, row.name)
"""

# Derived data of the stories in $ids, recomputed from their articles (one transaction, in this order).
REFRESH_STORIES = """
UNWIND $ids AS sid
MATCH (s:Story {id: sid})
CALL (s) {
    OPTIONAL MATCH (a:Article)-[:PART_OF]->(s)
    OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
    RETURN count(DISTINCT a) AS articles, count(DISTINCT o) AS sources,
           min(a.published_at) AS first, max(a.published_at) AS last
}
SET s.article_count = articles, s.source_count = sources, s.first_published = first, s.last_published = last
"""

# a story whose articles all moved to other stories is no story any more
DELETE_EMPTY_STORIES = """
UNWIND $ids AS sid
MATCH (s:Story {id: sid})
WHERE NOT EXISTS { MATCH (:Article)-[:PART_OF]->(s) }
DETACH DELETE s
"""

# the stored key points of a story that is no more
DELETE_ORPHAN_STORY_SUMMARIES = """
UNWIND $ids AS sid
MATCH (m:StorySummary {id: sid})
WHERE NOT EXISTS { MATCH (:Story {id: sid}) }
DELETE m
"""

DELETE_DERIVED = """
UNWIND $ids AS sid
MATCH (s:Story {id: sid})
CALL (s) { MATCH (:Outlet)-[c:COVERED]->(s) DELETE c }
CALL (s) { MATCH (s)-[ab:ABOUT]->(:Entity) DELETE ab }
"""

REFRESH_COVERED = """
UNWIND $ids AS sid
MATCH (s:Story {id: sid})<-[:PART_OF]-(a:Article)<-[:PUBLISHED]-(o:Outlet)
WITH s, o, count(*) AS articles, min(a.published_at) AS first
CREATE (o)-[:COVERED {articles: articles, first_published: first}]->(s)
"""

# weight: the share of the story's articles that mention the entity
REFRESH_ABOUT = """
UNWIND $ids AS sid
MATCH (s:Story {id: sid})<-[:PART_OF]-(:Article)-[:MENTIONS]->(e:Entity)
WITH s, e, count(*) AS mentions
CREATE (s)-[ab:ABOUT {weight: toFloat(mentions) / s.article_count}]->(e)
""" + set_about_span("ab", "s", "e")

# after a sync's write of stories: their ABOUT relationships' spans follow their dates (rows with the id)
REFRESH_ABOUT_SPANS = """
UNWIND $rows AS row
MATCH (s:Story {id: row.id})-[ab:ABOUT]->(e:Entity)
""" + set_about_span("ab", "s", "e")

# Tests only: empties the database in small transactions (must run outside a managed transaction).
CLEAR_GRAPH = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS"


# -- ingest lookups ---------------------------------------------------------

EXISTING_ARTICLES = """
UNWIND $ids AS id
MATCH (a:Article {id: id})-[:PART_OF]->(:Story)
RETURN a.id AS id, a.content_hash AS content_hash
"""

EXISTING_TITLE_KEYS = """
MATCH (a:Article) WHERE a.title_key IN $keys
RETURN a.title_key AS title_key, a.id AS id
"""

STORY_TITLES = """
UNWIND $ids AS id
MATCH (s:Story {id: id})
RETURN s.id AS id, s.title AS title
"""

CLUSTER_ROWS = """
MATCH (a:Article)-[:PART_OF]->(s:Story)
WHERE a.published_at >= $since AND a.published_at <= $until
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
RETURN a.id AS id, a.title AS title, a.lead AS lead,
       left(a.text, coalesce(size(a.lead), 0) + $body_chars) AS text,
       a.published_at AS published_at, o.id AS outlet_id, s.id AS story_id,
       COLLECT { MATCH (a)-[:MENTIONS]->(e:Entity) RETURN e.id ORDER BY e.id } AS entity_ids
ORDER BY a.published_at, a.id
"""


# -- reads ------------------------------------------------------------------


def count_all() -> str:
    """One query counting every label and relationship type (from Neo4j's count store).

    >>> print(count_all().splitlines()[0])
    CALL () { MATCH (n:Outlet) RETURN count(n) AS n_Outlet }
    """
    lines = [f"CALL () {{ MATCH (n:{check_label(name).name}) RETURN count(n) AS n_{name} }}" for name in LABELS]
    lines += [
        f"CALL () {{ MATCH ()-[r:{check_relationship(name).name}]->() RETURN count(r) AS r_{name} }}"
        for name in RELATIONSHIPS
    ]
    returned = [f"n_{name}" for name in LABELS] + [f"r_{name}" for name in RELATIONSHIPS]
    lines.append("RETURN " + ", ".join(returned))
    return "\n".join(lines)


COUNT_OUTLETS = "MATCH (o:Outlet) RETURN count(o) AS total"

GET_OUTLETS = """
MATCH (o:Outlet) WHERE $ids IS NULL OR o.id IN $ids
RETURN o {.*} AS outlet
ORDER BY o.id
"""

LIST_OUTLETS = """
MATCH (o:Outlet)
WITH o, COUNT { (o)-[:PUBLISHED]->(:Article) } AS articles, COUNT { (o)-[:COVERED]->(:Story) } AS stories
RETURN o.id AS id, o.name AS name, o.bias AS bias, o.bias_score AS bias_score, o.factuality AS factuality,
       o.ownership AS ownership, o.country AS country, o.rating_source AS rating_source,
       articles, stories
ORDER BY articles DESC, id
SKIP $offset LIMIT $limit
"""

OUTLET_COUNTS = """
MATCH (o:Outlet {id: $id})
RETURN COUNT { (o)-[:PUBLISHED]->(:Article) } AS articles, COUNT { (o)-[:COVERED]->(:Story) } AS stories
"""

_STORY_FIELDS = (
    "s.id AS id, s.title AS title, s.first_published AS first_published, s.last_published AS last_published, "
    "s.article_count AS article_count, s.source_count AS source_count"
)

GET_STORY = f"MATCH (s:Story {{id: $id}}) RETURN {_STORY_FIELDS}"

# published_at as epoch seconds, as in STORY_LIST_FIELDS: a large story's card has hundreds of them
STORY_ARTICLES = """
MATCH (a:Article)-[p:PART_OF]->(:Story {id: $id})
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
RETURN a.id AS id, a.url AS url, a.title AS title, a.published_at.epochSeconds AS published_at,
       p.similarity AS similarity,
       o.id AS outlet_id, coalesce(o.name, a.outlet_name) AS outlet_name,
       coalesce(o.bias, 'unrated') AS bias, coalesce(o.factuality, 'unrated') AS factuality,
       coalesce(o.ownership, 'unknown') AS ownership, o.country AS country, o.rating_source AS rating_source
ORDER BY a.published_at, a.id
"""

STORY_ENTITIES = """
MATCH (:Story {id: $id})-[ab:ABOUT]->(e:Entity)
RETURN e.id AS id, e.name AS name, e.type AS type, ab.weight AS weight
ORDER BY weight DESC, id
LIMIT 15
"""

EXPORT_ARTICLES = """
MATCH (a:Article)
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
OPTIONAL MATCH (a)-[:PART_OF]->(s:Story)
RETURN a {.*} AS article, o.id AS outlet_id, s.id AS story_id,
       COLLECT { MATCH (a)-[:MENTIONS]->(e:Entity) RETURN e.id ORDER BY e.id } AS entity_ids
ORDER BY a.published_at, a.id
"""


# -- reads behind the web API and the graph views ----------------------------

# one condition per story filter; only the given ones go into the WHERE clause, so an
# unfiltered list does not evaluate (or plan around) subqueries for every story
STORY_CONDITIONS = {
    "since": "s.last_published >= $since",
    "until": "s.first_published <= $until",
    "outlet": "EXISTS { MATCH (o:Outlet)-[:COVERED]->(s) WHERE o.id = $outlet }",
    "biases": "EXISTS { MATCH (o:Outlet)-[:COVERED]->(s) WHERE o.bias IN $biases }",
    "entity": "EXISTS { MATCH (s)-[:ABOUT]->(e:Entity) WHERE e.id = $entity }",
    "q": """(toLower(s.title) CONTAINS $q
       OR EXISTS { MATCH (a:Article)-[:PART_OF]->(s) WHERE toLower(a.title) CONTAINS $q })""",
}


def story_where(filters: Iterable[str]) -> str:
    """``WHERE`` with the condition of each of the given ``filters`` (empty when none is given).

    >>> story_where(["since"]), story_where([])
    ('WHERE s.last_published >= $since', '')
    >>> story_where(["limit"])
    Traceback (most recent call last):
    ...
    ValueError: unknown story filter limit; known: since, until, outlet, biases, entity, q
    """
    names = set(filters)
    unknown = names - STORY_CONDITIONS.keys()
    if unknown:
        raise ValueError(f"unknown story filter {', '.join(sorted(unknown))}; known: {', '.join(STORY_CONDITIONS)}")
    given = [cond for name, cond in STORY_CONDITIONS.items() if name in names]
    return "WHERE " + "\n  AND ".join(given) if given else ""


# Stories without a first_published sort last, as NULLs do in SQL's DESC order.
STORY_ORDER = "ORDER BY source_count DESC, article_count DESC, first_published IS NULL, first_published DESC, id"


def count_stories(filters: Iterable[str]) -> str:
    """How many stories the given ``filters`` (names in ``STORY_CONDITIONS``) select, as ``total``.

    >>> print(count_stories(["outlet"]))
    MATCH (s:Story) WHERE EXISTS { MATCH (o:Outlet)-[:COVERED]->(s) WHERE o.id = $outlet } RETURN count(s) AS total
    """
    return f"MATCH (s:Story) {story_where(filters)} RETURN count(s) AS total"


def search_stories(filters: Iterable[str]) -> str:
    """A page (``$offset``, ``$limit``) of the stories the given ``filters`` select, most sources first.

    With no filter, a page of the whole story list.
    """
    # the rank key sorts as STORY_ORDER and is indexed, so a page is read off the index in order
    where = story_where(filters)
    where = f"{where}\n  AND s.rank IS NOT NULL" if where else "WHERE s.rank IS NOT NULL"
    return f"MATCH (s:Story) {where} RETURN {STORY_LIST_FIELDS} ORDER BY s.rank SKIP $offset LIMIT $limit"


# _STORY_FIELDS with the two times as whole seconds since the epoch (the store keeps them to the second): the
# Python driver builds a neo4j.time.DateTime for each DateTime it receives, which took most of a page's read
# (40 of them: 11.4 ms against 5.6 ms as epoch numbers); the store makes them datetimes itself
STORY_LIST_FIELDS = (
    "s.id AS id, s.title AS title, s.first_published.epochSeconds AS first_published, "
    "s.last_published.epochSeconds AS last_published, s.article_count AS article_count, "
    "s.source_count AS source_count"
)
STORY_LIST_TIMES = ("first_published", "last_published")


ENTITY_FILTER = """
WHERE ($q IS NULL OR toLower(e.name) CONTAINS $q OR toLower(e.id) CONTAINS $q)
  AND ($type IS NULL OR e.type = $type)
"""

COUNT_SEARCH_ENTITIES = f"MATCH (e:Entity) {ENTITY_FILTER} RETURN count(e) AS total"

SEARCH_ENTITIES = f"""
MATCH (e:Entity) {ENTITY_FILTER}
WITH e, COUNT {{ (:Article)-[:MENTIONS]->(e) }} AS articles, COUNT {{ (:Story)-[:ABOUT]->(e) }} AS stories
RETURN e.id AS id, e.name AS name, e.type AS type, articles, stories
ORDER BY articles DESC, id
SKIP $offset LIMIT $limit
"""

# MENTIONS come only from articles and ABOUT only from stories: counted as the node's degree, not by
# reading the label of every article of a hub
GET_ENTITY = """
MATCH (e:Entity {id: $id})
RETURN e.id AS id, e.name AS name, e.type AS type, e.aliases AS aliases,
       COUNT { ()-[:MENTIONS]->(e) } AS articles, COUNT { ()-[:ABOUT]->(e) } AS stories
"""

# weight: how many articles mention both, read from the kept counts. The pairs where the entity is the start
# and those where it is the end are each the first $limit entries of an index under the prefix
# pair_rank_prefix($id) (see PAIR_RANKS), already in the order weight DESC, id: a hub's tens of thousands
# of pairs are not read.
CO_MENTIONED = """
CALL () {
    MATCH ()-[r:CO_MENTIONED]->(e) WHERE r.start_rank STARTS WITH $prefix
    WITH r, e ORDER BY r.start_rank LIMIT $limit
    RETURN r, e
  UNION ALL
    MATCH (e)-[r:CO_MENTIONED]->() WHERE r.end_rank STARTS WITH $prefix
    WITH r, e ORDER BY r.end_rank LIMIT $limit
    RETURN r, e
}
WITH e.id AS id, e.name AS name, e.type AS type, r.articles AS weight
ORDER BY weight DESC, id
LIMIT $limit
RETURN id, name, type, weight
"""

# $keys: pair_key() of every pair among the entities: an index seek per key (one per row of the UNWIND, which
# the planner seeks by equality: about half the time of one seek with `key IN $keys`), not an expansion of each
# hub. The pairs come back as one record, [key, articles] each: a view's 60 entities have some 1,800 links,
# and the driver reads each record as a message of its own (as one list they cost a fifth as much to read).
# The key names the pair, so no entity node is read; the caller knows which pair each key is.
LINKS_AMONG = """
UNWIND $keys AS k
MATCH ()-[r:CO_MENTIONED {key: k}]->()
WHERE r.articles > 0
RETURN collect([k, r.articles]) AS links
"""

ENTITY_STORIES = f"""
MATCH (s:Story)-[ab:ABOUT]->(:Entity {{id: $id}})
RETURN {_STORY_FIELDS}, ab.weight AS weight
ORDER BY first_published IS NULL, first_published DESC, id
LIMIT $limit
"""

# ENTITY_STORIES of an entity in many stories: the stories walked newest first off the date index until $limit
# are about it, among those published since the $skip-th newest ($skip: the entity's stories less one, so
# the walk never reads more stories than the join would). When it finds fewer than $limit (an entity
# whose stories are old), ENTITY_STORIES answers instead. The stories come off the index newest first and the
# final order only breaks ties among equal dates, so the walk stops a few stories after the $limit-th match
# (a partial top); ordered by date and id at once, every story since $since was expanded first (a hub about
# 4,000 stories: 311,000 db hits in the expansion, 2,000 now).
ENTITY_STORIES_SINCE = """
MATCH (s:Story) WHERE s.first_published IS NOT NULL
WITH s.first_published AS since ORDER BY since DESC SKIP $skip LIMIT 1
RETURN since
"""

ENTITY_STORIES_WALK = f"""
MATCH (s:Story) USING INDEX s:Story(first_published)
WHERE s.first_published >= $since
WITH s ORDER BY s.first_published DESC
MATCH (s)-[ab:ABOUT]->(e:Entity) WHERE e.id = $id
WITH s, ab ORDER BY s.first_published DESC, s.id LIMIT $limit
RETURN {_STORY_FIELDS}, ab.weight AS weight
"""

# the publishers' ids each article keeps (RelationshipType.end_keeps: one per PUBLISHED relationship)
_PUBLISHERS = RELATIONSHIPS["PUBLISHED"].end_keeps

# counted per publisher id read off each article that mentions the entity (MENTIONS come only from articles),
# the outlet nodes read for the top $limit only: expanding each of a hub's 18,000 articles to its publisher
# walked all of the article's relationships. An article without a publisher keeps no list and counts nowhere.
ENTITY_OUTLETS = f"""
MATCH (:Entity {{id: $id}})<-[:MENTIONS]-(a)
UNWIND a.{_PUBLISHERS} AS id
WITH id, count(*) AS articles
ORDER BY articles DESC, id
LIMIT $limit
MATCH (o:Outlet {{id: id}})
RETURN id, o.name AS name, o.bias AS bias, articles
ORDER BY articles DESC, id
"""

# A database written before the articles kept their publishers' ids gets them in the order of the article ids,
# each article whole in one transaction (run outside a managed transaction), so an interrupted fill has listed
# the articles up to some id and none after: whether the article with the greatest id that has a publisher
# lists it tells a database that needs the fill (finished where it stopped) from one that does not, read off
# the end of the id index on every connect instead of looking at every article.
LAST_PUBLISHED_UNLISTED = f"""
MATCH (a:Article) WHERE a.id IS NOT NULL AND EXISTS {{ (:Outlet)-[:PUBLISHED]->(a) }}
WITH a ORDER BY a.id DESC LIMIT 1
RETURN a.{_PUBLISHERS} IS NULL AS unlisted
"""

LIST_PUBLISHERS = f"""
MATCH (a:Article) WHERE a.id IS NOT NULL
WITH a ORDER BY a.id
WHERE a.{_PUBLISHERS} IS NULL AND EXISTS {{ (:Outlet)-[:PUBLISHED]->(a) }}
CALL (a) {{
    SET a.{_PUBLISHERS} = COLLECT {{ MATCH (o:Outlet)-[:PUBLISHED]->(a) RETURN o.id ORDER BY o.id }}
}} IN TRANSACTIONS OF 10000 ROWS
"""

OUTLET_EXISTS = "MATCH (o:Outlet {id: $id}) RETURN o.id AS id"

OUTLET_STORIES = f"""
MATCH (:Outlet {{id: $id}})-[:COVERED]->(s:Story)
RETURN {_STORY_FIELDS}
ORDER BY first_published IS NULL, first_published DESC, id
LIMIT $limit
"""

OUTLET_ENTITIES = """
MATCH (:Outlet {id: $id})-[:PUBLISHED]->(:Article)-[:MENTIONS]->(e:Entity)
RETURN e.id AS id, e.name AS name, e.type AS type, count(*) AS articles
ORDER BY articles DESC, id
LIMIT $limit
"""

# shared_stories: stories both outlets covered
OUTLET_NEIGHBOURS = """
MATCH (me:Outlet {id: $id})-[:COVERED]->(s:Story)<-[:COVERED]-(o:Outlet)
WHERE o <> me
RETURN o.id AS id, o.name AS name, o.bias AS bias, count(s) AS shared_stories
ORDER BY shared_stories DESC, id
LIMIT $limit
"""

OUTLET_NEIGHBOUR_BIAS = """
MATCH (me:Outlet {id: $id})-[:COVERED]->(:Story)<-[:COVERED]-(o:Outlet)
WHERE o <> me
WITH DISTINCT o
RETURN coalesce(o.bias, 'unrated') AS bias, count(o) AS outlets
ORDER BY bias
"""


# -- bulk rows for the analyses ------------------------------------------------

# The analyses' filters select stories: covered by $outlet, about $entity.
_ANALYSIS_STORY_FILTER = """
($outlet IS NULL OR EXISTS { MATCH (:Outlet {id: $outlet})-[:COVERED]->(s) })
AND ($entity IS NULL OR EXISTS { MATCH (s)-[:ABOUT]->(:Entity {id: $entity}) })
"""

COVERAGE_ROWS = f"""
MATCH (o:Outlet)-[c:COVERED]->(s:Story)
WHERE ($since IS NULL OR c.first_published >= $since) AND ($until IS NULL OR c.first_published <= $until)
  AND {_ANALYSIS_STORY_FILTER}
RETURN s.id AS story_id, s.title AS story_title, o.id AS outlet_id, coalesce(o.bias, 'unrated') AS bias,
       o.bias_score AS bias_score, c.first_published AS published_at, c.articles AS articles
ORDER BY story_id, outlet_id
"""

ARTICLE_ROWS = f"""
MATCH (a:Article)-[:PART_OF]->(s:Story)
WHERE ($since IS NULL OR a.published_at >= $since) AND ($until IS NULL OR a.published_at <= $until)
  AND {_ANALYSIS_STORY_FILTER}
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
RETURN a.id AS article_id, s.id AS story_id, o.id AS outlet_id, coalesce(o.bias, 'unrated') AS bias,
       a.published_at AS published_at
ORDER BY story_id, article_id
"""

MENTION_ROWS = f"""
MATCH (a:Article)-[:PART_OF]->(s:Story)
WHERE ($since IS NULL OR a.published_at >= $since) AND ($until IS NULL OR a.published_at <= $until)
  AND {_ANALYSIS_STORY_FILTER}
MATCH (a)-[:MENTIONS]->(e:Entity)
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
RETURN a.id AS article_id, s.id AS story_id, o.id AS outlet_id, coalesce(o.bias, 'unrated') AS bias,
       e.id AS entity_id, e.name AS entity_name, e.type AS entity_type, a.published_at AS published_at
ORDER BY story_id, article_id, entity_id
"""


# -- whole-graph rows (sync, comparisons) -------------------------------------


def node_rows(label: str) -> str:
    """Every node of ``label`` as one row of its declared properties, ordered by key.

    A property the node lacks comes back as ``null``, as a NULL column does in SQL.

    >>> print(node_rows("Entity"))
    MATCH (n:Entity)
    RETURN n.id AS id, n.name AS name, n.type AS type, n.aliases AS aliases
    ORDER BY n.id
    """
    spec = check_label(label)
    fields = ", ".join(f"n.{p} AS {p}" for p in spec.property_names)
    return f"MATCH (n:{spec.name})\nRETURN {fields}\nORDER BY n.{spec.key}"


def relationship_rows(rel: str) -> str:
    """Every relationship of ``rel`` as ``{start_id, end_id, <properties>}``, ordered by its ends.

    >>> print(relationship_rows("PART_OF"))
    MATCH (a:Article)-[r:PART_OF]->(b:Story)
    RETURN a.id AS start_id, b.id AS end_id, r.similarity AS similarity
    ORDER BY start_id, end_id
    """
    spec = check_relationship(rel)
    start, end = check_label(spec.start), check_label(spec.end)
    fields = [f"a.{start.key} AS start_id", f"b.{end.key} AS end_id"]
    fields += [f"r.{p} AS {p}" for p in spec.property_names]
    return (
        f"MATCH (a:{start.name})-[r:{spec.name}]->(b:{end.name})\n"
        f"RETURN {', '.join(fields)}\nORDER BY start_id, end_id"
    )


# -- co-mention counts, kept by deltas at ingest (engine/store/co_mentions.py) ----------------------------

def pair_key(a: str, b: str) -> str:
    """The ``key`` Neo4j keeps on the ``CO_MENTIONED`` relationship of entities ``a < b`` (unique: see
    ``PAIR_KEY_CONSTRAINT``); the embedded store's key is the pair itself.

    >>> pair_key("gpe:finland", "gpe:russia")
    'gpe:finland gpe:russia'
    """
    return f"{a} {b}"


# pair_key() of a row {start_id, end_id}, in Cypher
PAIR_KEY = "row.start_id + ' ' + row.end_id"

# unique, so MERGE finds a pair by an index seek that locks its key, however many pairs its ends have
PAIR_KEY_CONSTRAINT = ("CREATE CONSTRAINT rel_co_mentioned_key_unique IF NOT EXISTS "
                       "FOR ()-[r:CO_MENTIONED]-() REQUIRE r.key IS UNIQUE")

# the plain index on the key that databases written by an earlier version have (the constraint replaces it)
DROP_OLD_PAIR_KEY_INDEX = "DROP INDEX rel_co_mentioned_key IF EXISTS"

# Each pair with articles in common keeps its place in the neighbourhood of either end as an indexed string:
# start_rank = start id, RANK_SEP, 10 digits of (9999999999 - articles), end id (end_rank the same from the end),
# so the entries under one entity's prefix sort as its neighbours do (most articles first, then by id).
# A pair with no article in common has none (it is no neighbour). Kept by every write of the relationship.
RANK_SEP = "\x01"
PAIR_RANKS = (
    "r.start_rank = CASE WHEN r.articles > 0 THEN a.id + '\\u0001'"
    " + right('0000000000' + toString(9999999999 - r.articles), 10) + b.id END,"
    " r.end_rank = CASE WHEN r.articles > 0 THEN b.id + '\\u0001'"
    " + right('0000000000' + toString(9999999999 - r.articles), 10) + a.id END"
)


def pair_ranks(start_id: str, end_id: str, articles: int | None) -> tuple[str | None, str | None]:
    """``(start_rank, end_rank)`` of a pair, as :data:`PAIR_RANKS` sets them: what an offline import writes.

    >>> pair_ranks("gpe:finland", "org:nato", 3)
    ('gpe:finland\\x019999999996org:nato', 'org:nato\\x019999999996gpe:finland')
    >>> pair_ranks("gpe:finland", "org:nato", 0)
    (None, None)
    """
    if articles is None or articles <= 0:
        return None, None
    order = _right("0000000000" + str(9999999999 - articles), 10)
    return start_id + RANK_SEP + order + end_id, end_id + RANK_SEP + order + start_id


def _right(text: str, n: int) -> str:
    """Cypher's ``right(text, n)``: the last ``n`` characters (all of a shorter text)."""
    return text[-n:] if n else ""


def pair_rank_prefix(entity_id: str) -> str:
    """Where ``entity_id``'s entries begin in the pair rank indexes (:data:`PAIR_RANKS`).

    >>> pair_rank_prefix("gpe:finland")
    'gpe:finland\\x01'
    """
    return entity_id + RANK_SEP


PAIR_RANK_INDEXES = [
    "CREATE INDEX rel_co_mentioned_start_rank IF NOT EXISTS FOR ()-[r:CO_MENTIONED]-() ON (r.start_rank)",
    "CREATE INDEX rel_co_mentioned_end_rank IF NOT EXISTS FOR ()-[r:CO_MENTIONED]-() ON (r.end_rank)",
]

# how many of the rank indexes exist: a database written before they were kept has neither
PAIR_RANK_INDEXES_PRESENT = """
SHOW INDEXES YIELD name WHERE name IN ['rel_co_mentioned_start_rank', 'rel_co_mentioned_end_rank']
RETURN count(*) AS n
"""

# the pairs of a database written before the ranks were kept (run outside a managed transaction)
RANK_PAIRS = f"""
MATCH (a)-[r:CO_MENTIONED]->(b) WHERE r.articles > 0 AND (r.start_rank IS NULL OR r.end_rank IS NULL)
CALL (a, r, b) {{ SET {PAIR_RANKS} }} IN TRANSACTIONS OF 10000 ROWS
"""

# the entities each article of $ids mentions, before new mentions are written
MENTION_SETS = """
UNWIND $ids AS id
MATCH (:Article {id: id})-[:MENTIONS]->(e:Entity)
RETURN id AS unit, collect(e.id) AS entities
"""

ABOUT_SETS = """
UNWIND $ids AS id
MATCH (:Story {id: id})-[:ABOUT]->(e:Entity)
RETURN id AS unit, collect(e.id) AS entities
"""

# rows {start_id, end_id, articles, stories} of deltas, none negative (a unit's summed deltas, in pair order)
ADD_CO_MENTIONS = f"""
UNWIND $rows AS row
MATCH (a:Entity {{id: row.start_id}})
MATCH (b:Entity {{id: row.end_id}})
MERGE (a)-[r:CO_MENTIONED {{key: row.start_id + ' ' + row.end_id}}]->(b)
SET r.articles = coalesce(r.articles, 0) + row.articles, r.stories = coalesce(r.stories, 0) + row.stories
SET {PAIR_RANKS}
"""

# rows of deltas with a negative one (a story lost a pair): added as above, and a pair left with no article
# and no story goes
CHANGE_CO_MENTIONS = ADD_CO_MENTIONS + """WITH r WHERE r.articles <= 0 AND r.stories <= 0
DELETE r
"""

# rows {start_id, end_id, articles, stories} of fresh counts into a database holding none
CREATE_CO_MENTIONS = f"""
UNWIND $rows AS row
MATCH (a:Entity {{id: row.start_id}})
MATCH (b:Entity {{id: row.end_id}})
CREATE (a)-[r:CO_MENTIONED {{articles: row.articles, stories: row.stories, key: row.start_id + ' ' + row.end_id}}]->(b)
SET {PAIR_RANKS}
"""

# must run outside a managed transaction
DELETE_CO_MENTIONS = "MATCH ()-[r:CO_MENTIONED]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS"

COUNT_CO_MENTIONS = """
CALL () { MATCH ()-[r:CO_MENTIONED]->() RETURN count(r) AS pairs }
CALL () { MATCH ()-[m:MENTIONS]->() RETURN count(m) AS mentions }
RETURN pairs, mentions
"""

ARTICLE_ENTITY = "MATCH (a:Article)-[:MENTIONS]->(e:Entity) RETURN a.id AS unit, e.id AS entity"
STORY_ENTITY = "MATCH (s:Story)-[:ABOUT]->(e:Entity) RETURN s.id AS unit, e.id AS entity"

# an article with mentions but no story: the kept article counts hold it, the analyses' rows do not
LOOSE_MENTIONS = """
MATCH (a:Article) WHERE NOT (a)-[:PART_OF]->(:Story) AND EXISTS { (a)-[:MENTIONS]->(:Entity) }
RETURN a.id AS id LIMIT 1
"""

ENTITY_UNITS = {
    "article": """
MATCH (e:Entity)
WITH e, COUNT { (:Article)-[:MENTIONS]->(e) } AS n WHERE n > 0
RETURN e.id AS id, e.name AS name, e.type AS type, n ORDER BY id
""",
    "story": """
MATCH (e:Entity)
WITH e, COUNT { (:Story)-[:ABOUT]->(e) } AS n WHERE n > 0
RETURN e.id AS id, e.name AS name, e.type AS type, n ORDER BY id
""",
}

UNITS = {
    "article": "MATCH (a:Article) WHERE EXISTS { (a)-[:MENTIONS]->(:Entity) } RETURN count(a) AS n",
    "story": "MATCH (s:Story) WHERE EXISTS { (s)-[:ABOUT]->(:Entity) } RETURN count(s) AS n",
}

CO_MENTION_PAIRS = {
    "article": """
MATCH (a:Entity)-[r:CO_MENTIONED]->(b:Entity) WHERE r.articles >= $min
RETURN a.id AS a, b.id AS b, r.articles AS n ORDER BY a, b
""",
    "story": """
MATCH (a:Entity)-[r:CO_MENTIONED]->(b:Entity) WHERE r.stories >= $min
RETURN a.id AS a, b.id AS b, r.stories AS n ORDER BY a, b
""",
}


# -- the story list's order as one indexed key: any page of the list is a walk of the index ----------------

# sorts as STORY_ORDER does: most sources, most articles, latest first (none last), then id
STORY_RANK = (
    "right('000000000' + toString(999999999 - coalesce(s.source_count, 0)), 9)"
    " + right('000000000' + toString(999999999 - coalesce(s.article_count, 0)), 9)"
    " + CASE WHEN s.first_published IS NULL THEN '1'"
    " ELSE '0' + right('00000000000000000' + toString(99999999999999999 - s.first_published.epochMillis), 17) END"
    " + s.id"
)

def story_rank(story_id: str, source_count: int | None, article_count: int | None,
               first_published_millis: int | None) -> str:
    """A story's ``rank`` as :data:`STORY_RANK` computes it (``first_published`` as milliseconds since the
    epoch, or None): what an offline import writes.

    >>> story_rank("s-1", 3, 5, 0)
    '999999996999999994099999999999999999s-1'
    >>> story_rank("s-2", None, None, None)
    '9999999999999999991s-2'
    """
    key = (_right("000000000" + str(999999999 - (source_count or 0)), 9)
           + _right("000000000" + str(999999999 - (article_count or 0)), 9))
    if first_published_millis is None:
        return key + "1" + story_id
    return key + "0" + _right("00000000000000000" + str(99999999999999999 - first_published_millis), 17) + story_id


STORY_RANK_INDEXES = ["CREATE INDEX story_rank IF NOT EXISTS FOR (s:Story) ON (s.rank)"]

# stories written before the key was kept (run outside a managed transaction)
RANK_STORIES = f"""
MATCH (s:Story) WHERE s.rank IS NULL
CALL (s) {{ SET s.rank = {STORY_RANK} }} IN TRANSACTIONS OF 10000 ROWS
"""

UNRANKED_STORY = "MATCH (s:Story) WHERE s.rank IS NULL RETURN s.id AS id LIMIT 1"

SET_STORY_RANK = f"UNWIND $ids AS sid MATCH (s:Story {{id: sid}}) SET s.rank = {STORY_RANK}"


# -- bulk writes into an empty database (newsgraph sync): CREATE, no lookup of what is there ------------------


def create_nodes(label: str) -> str:
    """Create a batch of nodes (rows as for :func:`merge_nodes`) known not to exist yet.

    >>> print(create_nodes("Entity"))
    UNWIND $rows AS row
    CREATE (n:Entity)
    SET n = row
    """
    spec = check_label(label)
    query = f"UNWIND $rows AS row\nCREATE (n:{spec.name})\nSET n = row"
    if spec.name == "Story":
        query += f"\nWITH n AS s\nSET s.rank = {STORY_RANK}"
    return query


def create_relationships(rel: str) -> str:
    """Create a batch of relationships (rows as for :func:`merge_relationships`) known not to exist yet.

    >>> print(create_relationships("PUBLISHED"))
    UNWIND $rows AS row
    MATCH (a:Outlet {id: row.start_id})
    MATCH (b:Article {id: row.end_id})
    CREATE (a)-[r:PUBLISHED]->(b)
    SET r = row.props
    SET b.outlet_ids = CASE WHEN a.id IN b.outlet_ids THEN b.outlet_ids ELSE coalesce(b.outlet_ids, []) + a.id END
    RETURN count(*) AS written
    """
    spec = check_relationship(rel)
    start, end = check_label(spec.start), check_label(spec.end)
    return _create_relationships(spec, f"(a:{start.name} {{{start.key}: row.start_id}})",
                                 f"(b:{end.name} {{{end.key}: row.end_id}})", "row.props",
                                 "row.start_id + ' ' + row.end_id")


def _create_relationships(spec, start: str, end: str, props: str, pair_key: str) -> str:
    """The CREATE of a batch of ``spec`` relationships between the MATCHed ``start`` (a) and ``end`` (b)."""
    lines = [
        "UNWIND $rows AS row",
        f"MATCH {start}",
        f"MATCH {end}",
        f"CREATE (a)-[r:{spec.name}]->(b)",
        f"SET r = {props}",
    ]
    if spec.pair:
        lines[-1] += f", r.key = {pair_key}"
        lines.append(f"SET {PAIR_RANKS}")
    lines += keep_start(spec.name) + _kept_on(spec.name)
    lines.append("RETURN count(*) AS written")
    return "\n".join(lines)


# -- a bulk load into an empty database: the indexes that serve only reads are built once, at the end --------

# waits until every index is ONLINE (a failed one raises); $seconds bounds the wait
AWAIT_INDEXES = "CALL db.awaitIndexes($seconds)"

# every index and constraint by name and state (the bulk load's checks, the tests)
SCHEMA_STATE = "SHOW INDEXES YIELD name, state RETURN name, state ORDER BY name"


def deferred_schema() -> list[tuple[str, str]]:
    """``(drop, create)`` statements of the schema a bulk load drops before it writes and creates after.

    Every secondary index (node and relationship properties, the story list's and the neighbourhoods'
    rank keys, the stories' spans) and the co-mention pair key's constraint: each write maintains them, and no write of the
    bulk path reads them. The node key constraints stay: the relationship writes find their ends by them.

    >>> deferred_schema()[-1]
    ('DROP CONSTRAINT rel_co_mentioned_key_unique IF EXISTS', 'CREATE CONSTRAINT rel_co_mentioned_key_unique IF NOT EXISTS FOR ()-[r:CO_MENTIONED]-() REQUIRE r.key IS UNIQUE')
    >>> ("DROP INDEX story_rank IF EXISTS", STORY_RANK_INDEXES[0]) in deferred_schema()
    True
    """
    out = []
    for statement in (*constraint_statements(), *PAIR_RANK_INDEXES, *SPAN_INDEXES):
        kind, name = statement.split()[1:3]
        if kind == "INDEX":
            out.append((f"DROP INDEX {name} IF EXISTS", statement))
    kind, name = PAIR_KEY_CONSTRAINT.split()[1:3]
    out.append((f"DROP CONSTRAINT {name} IF EXISTS", PAIR_KEY_CONSTRAINT))
    return out


def create_nodes_returning_ids(label: str) -> str:
    """:func:`create_nodes` that returns each new node's key and element id (a bulk load finds the ends of its
    relationships by them, not by the key index)."""
    spec = check_label(label)
    n = "s" if spec.name == "Story" else "n"  # create_nodes ranks stories as s
    return create_nodes(label) + f"\nRETURN {n}.{spec.key} AS key, elementId({n}) AS eid"


def create_relationships_by_ids(rel: str) -> str:
    """:func:`create_relationships` with rows ``[start element id, end element id, props]``: the ends found by
    id, no index seek, and rows as lists, which pack and unpack faster than maps.

    >>> print(create_relationships_by_ids("PUBLISHED"))
    UNWIND $rows AS row
    MATCH (a:Outlet) WHERE elementId(a) = row[0]
    MATCH (b:Article) WHERE elementId(b) = row[1]
    CREATE (a)-[r:PUBLISHED]->(b)
    SET r = row[2]
    SET b.outlet_ids = CASE WHEN a.id IN b.outlet_ids THEN b.outlet_ids ELSE coalesce(b.outlet_ids, []) + a.id END
    RETURN count(*) AS written
    """
    spec = check_relationship(rel)
    start, end = check_label(spec.start), check_label(spec.end)
    return _create_relationships(spec, f"(a:{start.name}) WHERE elementId(a) = row[0]",
                                 f"(b:{end.name}) WHERE elementId(b) = row[1]", "row[2]",
                                 f"a.{start.key} + ' ' + b.{end.key}")


# -- a story's texts and related stories ---------------------------------------

STORY_TEXTS = """
MATCH (a:Article)-[:PART_OF]->(:Story {id: $id})
OPTIONAL MATCH (o:Outlet)-[:PUBLISHED]->(a)
RETURN a.id AS id, a.title AS title, a.lead AS lead, a.text AS text, a.published_at AS published_at,
       o.id AS outlet_id, coalesce(o.name, a.outlet_name) AS outlet_name, coalesce(o.bias, 'unrated') AS bias
ORDER BY a.published_at, a.id
"""

COUNT_STORIES = "MATCH (s:Story) RETURN count(s) AS total"

# the story's entities about at most $max_df stories (counted off the entity's degree: ABOUT always starts at a
# story), with what the related stories need of each: one record, a list of [entity id, name, weight, stories]
# (the driver decodes one list of lists at a fraction of the cost of as many records)
RELATED_ENTITIES = """
MATCH (:Story {id: $id})-[ab:ABOUT]->(e:Entity)
WITH ab, e, COUNT { ()-[:ABOUT]->(e) } AS entity_stories
WHERE entity_stories <= $max_df
RETURN collect([e.id, e.name, ab.weight, entity_stories]) AS entities
"""

# the other stories in the window [$lo, $hi] about any of the entities, found by seeks of the span index
# ($ranges are about_span_ranges(entities, lo, hi)), as one record: a list of [story id, title, first published,
# sources, [[entity id, weight], ...]] (the store sorts them as the embedded store does). A story's title and dates are sent once, not once per
# shared entity; first published as epoch seconds, as in STORY_LIST_FIELDS (decoding dates and records is most
# of the read: a large story has hundreds of related ones)
RELATED_STORIES_OF = """
UNWIND $ranges AS range
MATCH (s:Story)-[ob:ABOUT]->(e:Entity) USING INDEX ob:ABOUT(span)
WHERE ob.span >= range[0] AND ob.span <= range[1]
WITH s, ob, e WHERE s.id <> $id AND s.last_published >= $lo AND s.first_published <= $hi
WITH s, collect([e.id, ob.weight]) AS shared
RETURN collect([s.id, s.title, s.first_published.epochSeconds, s.source_count, shared]) AS stories
"""


# -- wire copies (engine/stories/copies.py) -----------------------------------

FINGERPRINT_ROWS = """
MATCH (f:Fingerprint)
WHERE f.published_at >= $since AND f.published_at <= $until
RETURN f.id AS id, f.minhash AS minhash, f.shingles AS shingles, f.published_at AS published_at,
       f.outlet_id AS outlet_id
ORDER BY f.published_at, f.id
"""

# each copy c -[r:COPY_OF]-> o with its original's outlet, as COPIES_OF and STORY_COPIES return them
_COPY_WITH_ORIGINAL = """
OPTIONAL MATCH (out:Outlet)-[:PUBLISHED]->(o)
RETURN c.id AS article_id, o.id AS copy_of, r.overlap AS overlap, o.published_at AS original_published_at,
       o.title AS original_title, out.id AS original_outlet_id,
       coalesce(out.name, o.outlet_name) AS original_outlet_name
ORDER BY article_id
"""

COPIES_OF = """
UNWIND $ids AS id
MATCH (c:Article {id: id})-[r:COPY_OF]->(o:Article)""" + _COPY_WITH_ORIGINAL

# the copies among a story's articles, in COPIES_OF's shape
STORY_COPIES = """
MATCH (:Story {id: $id})<-[:PART_OF]-(c:Article)-[r:COPY_OF]->(o:Article)""" + _COPY_WITH_ORIGINAL

COPY_ROWS = """
MATCH (c:Article)-[r:COPY_OF]->(o:Article)
OPTIONAL MATCH (co:Outlet)-[:PUBLISHED]->(c)
OPTIONAL MATCH (oo:Outlet)-[:PUBLISHED]->(o)
RETURN c.id AS article_id, co.id AS outlet_id, o.id AS copy_of, oo.id AS original_outlet_id,
       r.overlap AS overlap, c.published_at AS published_at
ORDER BY article_id
"""


# -- the ingest ledger (files a bulk run stored whole) ----------------------------------------------

INGESTED_FILES = """
UNWIND $ids AS id
MATCH (f:IngestedFile {id: id})
RETURN f.id AS id, f.path AS path
"""

MERGE_INGESTED_FILE = """
MERGE (f:IngestedFile {id: $id})
SET f.path = $path, f.size = $size, f.records = $records, f.ingested_at = $ingested_at
"""


# -- stored story summaries (key points and sides by the story fingerprint they were computed from) ------

STORY_SUMMARIES = """
UNWIND $ids AS id
MATCH (s:StorySummary {id: id})
RETURN s.id AS id, s.fingerprint AS fingerprint, s.sections AS sections, s.computed_at AS computed_at
"""

MERGE_STORY_SUMMARIES = """
UNWIND $rows AS row
MERGE (s:StorySummary {id: row.id})
SET s.fingerprint = row.fingerprint, s.sections = row.sections, s.computed_at = row.computed_at
"""

ALL_STORY_SUMMARIES = """
MATCH (s:StorySummary)
RETURN s.id AS id, s.fingerprint AS fingerprint, s.sections AS sections, s.computed_at AS computed_at
ORDER BY id
"""


# an empty read: the bookmark its transaction gets back names the last transaction the server committed
DATA_VERSION_PROBE = "RETURN 1 AS probe"
