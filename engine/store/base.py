"""The ``GraphStore`` protocol: the one interface the engine uses for storage.

Both backends implement it and pass the same contract tests. Writes are
idempotent upserts in batches (one transaction per batch); reads return
plain rows (dicts and model dataclasses) that analyses turn into graphs.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Hashable, Iterable, Iterator, Protocol, Sequence, runtime_checkable

from newsgraph.engine.models import Article, Assignment, Entity, Mention, Outlet, Story

@dataclass(frozen=True)
class StoredArticle:
    """An article as written: the article plus the keys used to spot duplicates."""

    article: Article
    title_key: str
    content_hash: str


@dataclass(frozen=True)
class ClusterRow:
    """A stored article as the story clusterer needs it to extend existing stories."""

    article_id: str
    title: str
    lead: str | None
    published_at: datetime
    outlet_id: str | None
    entity_ids: tuple[str, ...]
    story_id: str
    # the start of the body, so a later run weighs a stored article as the run that placed it did: the
    # stores return no more of it than the clusterer reads (the lead's length and BODY_CHARS more)
    text: str | None = None


@dataclass(frozen=True)
class CoverageRow:
    """One outlet's coverage of one story (a ``COVERED`` edge) with the outlet's rating.

    ``published_at`` is the outlet's first article on the story; ``articles``
    how many it published there.
    """

    story_id: str
    story_title: str
    outlet_id: str
    bias: str
    bias_score: float | None
    published_at: datetime
    articles: int


@dataclass(frozen=True)
class ArticleRow:
    """One article of a story, with its outlet's rating."""

    article_id: str
    story_id: str
    outlet_id: str | None
    bias: str
    published_at: datetime


@dataclass(frozen=True)
class MentionRow:
    """An article of a story mentioning an entity (one ``MENTIONS`` edge)."""

    article_id: str
    story_id: str
    outlet_id: str | None
    bias: str
    entity_id: str
    entity_name: str
    entity_type: str
    published_at: datetime


# -- co-mention counts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoMentionCounts:
    """What the entity network counts, read from the kept ``CO_MENTIONED`` counts instead of every mention.

    ``units``: articles (or stories) mentioning any entity; ``entities``:
    ``(id, name, type, units mentioning it)`` by id; ``pairs``: ``(a, b, units
    mentioning both)`` with ``a < b``, for the pairs at or above the asked minimum.
    """

    units: int
    entities: tuple[tuple[str, str, str, int], ...]
    pairs: tuple[tuple[str, str, int], ...]

@dataclass(frozen=True)
class CopyRow:
    """A wire copy (one ``COPY_OF`` edge) with the outlets of the copy and of its original."""

    article_id: str
    outlet_id: str | None
    copy_of: str
    original_outlet_id: str | None
    overlap: float
    published_at: datetime


@runtime_checkable
class GraphStore(Protocol):
    """Batched idempotent upserts, the queries behind the CLI and API, and bulk rows."""

    url: str

    # writes: each call is one transaction; a failure raises StoreError
    def upsert_outlets(self, outlets: Sequence[Outlet]) -> None: ...
    def upsert_articles(self, articles: Sequence[StoredArticle]) -> int:
        """Upsert ``articles`` and their PUBLISHED edges; how many this call wrote: articles not stored
        before, or stored with other content. Two runs that store the same articles at once count each
        article in one of them only."""
        ...
    def upsert_entities(self, entities: Sequence[Entity]) -> None: ...
    def upsert_mentions(self, mentions: Sequence[Mention]) -> None: ...
    def upsert_stories(self, stories: Sequence[Story], assignments: Sequence[Assignment]) -> None: ...
    def refresh_derived(self, story_ids: Iterable[str]) -> None: ...

    # lookups used while ingesting
    def existing_articles(self, ids: Sequence[str]) -> dict[str, str]:
        """Content hash by id of the stored articles among ``ids`` that are part of a story."""
        ...
    def existing_title_keys(self, keys: Sequence[str]) -> dict[str, str]: ...
    def cluster_rows(self, since: datetime, until: datetime) -> Iterator[ClusterRow]: ...
    def story_titles(self, story_ids: Sequence[str]) -> dict[str, str]: ...

    # the ingest ledger: input files a bulk run stored whole, by FileIdentity key (not part of the graph)
    def ingested_files(self, ids: Sequence[str]) -> dict[str, str]:
        """Path (as first entered) by key, of the files among ``ids`` the ledger holds."""
        ...
    def record_ingested_file(self, id: str, path: str, size: int, records: int | None) -> None:
        """Enter a file read to its end, every batch of it stored (one transaction; entering it again updates it)."""
        ...

    # reads
    def stats(self) -> dict[str, dict[str, int]]: ...
    def get_outlets(self, ids: Sequence[str] | None = None) -> list[Outlet]: ...
    def list_outlets(self, *, limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]: ...
    def outlet_profile(self, outlet_id: str) -> dict[str, Any]: ...
    def story_rows(self, story_id: str) -> dict[str, Any]: ...
    def export_articles(self) -> Iterator[dict[str, Any]]: ...
    def story_texts(self, story_id: str) -> list[dict[str, Any]]:
        """A story's articles with their headline, lead and text and their outlet's bias, oldest first."""
        ...
    def related_story_rows(self, story_id: str, *, days: float = 14.0, max_entity_stories: int = 500,
                           max_entity_share: float = 0.1, min_common: int = 5) -> dict[str, Any]:
        """``{stories, rows}``: how many stories there are, and one row per (other story, shared entity) for
        the stories within ``days`` of this one about its entities that few stories are about (see
        :func:`~newsgraph.engine.store.rows.entity_cap`)."""
        ...

    # bulk rows of the whole graph, the same in every store (sync, comparisons, analyses):
    # a node row holds every declared property of its label, a relationship row
    # ``start_id``, ``end_id`` and its properties; datetimes are aware UTC datetimes,
    # booleans bools, JSON properties JSON text, absent properties None
    def iter_nodes(self, label: str) -> Iterator[dict[str, Any]]:
        """Every node of ``label``, ordered by its key."""
        ...
    def iter_relationships(self, rel: str) -> Iterator[dict[str, Any]]:
        """Every relationship of type ``rel``, ordered by (start_id, end_id)."""
        ...
    def write_nodes(self, label: str, rows: Sequence[dict[str, Any]], *, fresh: bool = False) -> None:
        """Upsert whole node rows of ``label`` (one transaction); ``fresh``: none of them is stored yet (a bulk
        copy into an empty store may then create instead of looking up)."""
        ...
    def write_relationships(self, rel: str, rows: Sequence[dict[str, Any]], *, fresh: bool = False) -> None:
        """Upsert relationship rows of ``rel`` (one transaction); both ends must exist; ``fresh`` as for nodes."""
        ...
    def bulk_load(self) -> AbstractContextManager:
        """A context in which an empty store is filled with whole-graph rows (``newsgraph sync`` into an empty
        store): what the store can leave to the end is done once, when it closes, even on an error (the
        embedded store builds its secondary indexes then, not row by row; Neo4j drops its read indexes first and
        builds them then, online before the context closes)."""
        ...

    # reads behind the web API and the graph views
    def search_stories(
        self,
        *,
        limit: int = 20,
        offset: int = 0,
        since: datetime | None = None,
        until: datetime | None = None,
        outlet: str | None = None,
        side: str | None = None,
        entity: str | None = None,
        q: str | None = None,
    ) -> tuple[list[dict[str, Any]], int]:
        """Stories, most sources first (then most articles, latest first, id), filtered by the given filters only:
        overlapping [``since``, ``until``], covered by ``outlet`` / by an outlet of ``side``, about ``entity``,
        with ``q`` in the story's or one of its articles' titles (case-insensitive). No filter lists them all."""
        ...
    def search_entities(
        self, *, q: str | None = None, type: str | None = None, limit: int = 20, offset: int = 0
    ) -> tuple[list[dict[str, Any]], int]:
        """Entities whose name or id contains ``q`` (case-insensitive), most mentioning articles first."""
        ...
    def entity_neighbourhood(self, entity_id: str, *, limit: int = 25, graph_only: bool = False) -> dict[str, Any]:
        """An entity, its most co-mentioned entities with the links among them, its stories and outlets
        (``graph_only``: empty lists of stories and outlets, not read, for a view that draws only the graph)."""
        ...
    def outlet_coverage(self, outlet_id: str, *, limit: int = 10) -> dict[str, Any]:
        """An outlet's latest stories, top entities, co-coverage neighbours and their count by bias."""
        ...

    # bulk rows for the analyses. The filters select stories: published in
    # [since, until] (the outlet's first article, or the article itself), covered
    # by ``outlet``, about ``entity``; ordered by story, then outlet or article.
    def coverage_rows(
        self, *, since: datetime | None = None, until: datetime | None = None,
        outlet: str | None = None, entity: str | None = None,
    ) -> Iterator[CoverageRow]: ...
    def article_rows(
        self, *, since: datetime | None = None, until: datetime | None = None,
        outlet: str | None = None, entity: str | None = None,
    ) -> Iterator[ArticleRow]: ...
    def mention_rows(
        self, *, since: datetime | None = None, until: datetime | None = None,
        outlet: str | None = None, entity: str | None = None,
    ) -> Iterator[MentionRow]: ...

    # co-mention counts, kept at ingest (engine/store/co_mentions.py)
    def co_mention_counts(self, *, level: str = "article", min_count: int = 1) -> CoMentionCounts | None:
        """The unfiltered entity network's counts at ``level`` (``article`` or ``story``), pairs sharing at least
        ``min_count`` units; ``None`` when the kept counts would not give the answer the mention rows give."""
        ...
    def rebuild_co_mentions(self) -> int:
        """Count every ``CO_MENTIONED`` pair afresh from the mentions and stories; how many pairs there are."""
        ...
    # wire copies (engine/stories/copies.py): Fingerprint nodes and COPY_OF edges are written with
    # write_nodes / write_relationships; these read them
    def fingerprint_rows(self, since: datetime, until: datetime) -> Iterator[dict[str, Any]]:
        """``Fingerprint`` node rows published in [``since``, ``until``], by time then id."""
        ...
    def copies_of(self, article_ids: Sequence[str]) -> list[dict[str, Any]]:
        """The ``COPY_OF`` edges leaving ``article_ids``: ``article_id``, ``copy_of``, ``overlap`` and the
        original's ``original_published_at``, ``original_title``, ``original_outlet_id``,
        ``original_outlet_name``; ordered by article id."""
        ...
    def copy_rows(self) -> Iterator[CopyRow]:
        """Every copy with its outlet and its original's outlet, ordered by article id."""
        ...

    # stored story summaries (engine/story_sections.py): key points and sides by the fingerprint of the
    # story they were computed from; outside the graph, like the ingest ledger
    def story_summaries(self, story_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """``{fingerprint, sections, computed_at}`` by story id, of the stories among ``story_ids`` that have one."""
        ...
    def save_story_summaries(self, rows: Sequence[dict[str, Any]]) -> None:
        """Store ``{id, fingerprint, sections[, computed_at]}`` rows (one transaction; a stored one is replaced)."""
        ...
    def iter_story_summaries(self) -> Iterator[dict[str, Any]]:
        """Every stored summary as ``{id, fingerprint, sections, computed_at}``, ordered by id."""
        ...

    def atomic(self) -> AbstractContextManager:
        """A context in which several writes land together or not at all, where the store can."""
        ...

    def data_version(self) -> Hashable | None:
        """A token that changes whenever a write is committed, by this process or any other (compare it for
        equality only); ``None`` when the store cannot tell. Cheap: readers ask it to know whether what they
        cached still describes the store."""
        ...

    def close(self) -> None: ...
