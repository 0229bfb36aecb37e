"""The ``GraphStore`` protocol: the one interface the engine uses for storage.

Both backends implement it and pass the same contract tests. Writes are
idempotent upserts in batches (one transaction per batch); reads return
plain rows (dicts and model dataclasses) that analyses turn into graphs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Iterator, Protocol, Sequence, runtime_checkable

from engine.models import Article, Assignment, Entity, Mention, Outlet, Story


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


@runtime_checkable
class GraphStore(Protocol):
    """Batched idempotent upserts, the queries behind the CLI and API, and bulk rows."""

    url: str

    # writes: each call is one transaction; a failure raises StoreError
    def upsert_outlets(self, outlets: Sequence[Outlet]) -> None: ...
    def upsert_articles(self, articles: Sequence[StoredArticle]) -> None: ...
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

    # reads
    def stats(self) -> dict[str, dict[str, int]]: ...
    def get_outlets(self, ids: Sequence[str] | None = None) -> list[Outlet]: ...
    def list_outlets(self, *, limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]: ...
    def outlet_profile(self, outlet_id: str) -> dict[str, Any]: ...
    def list_stories(
        self, *, limit: int = 20, offset: int = 0, since: datetime | None = None, until: datetime | None = None
    ) -> tuple[list[dict[str, Any]], int]: ...
    def story_rows(self, story_id: str) -> dict[str, Any]: ...
    def export_articles(self) -> Iterator[dict[str, Any]]: ...

    def close(self) -> None: ...
