"""Duplicate detection within one run: same canonical URL, or same outlet, title and day.

>>> from datetime import datetime, timezone
>>> from engine.models import Article
>>> t = datetime(2021, 5, 1, 9, tzinfo=timezone.utc)
>>> d = Deduplicator()
>>> d.check(Article("a", "https://x.com/1", "Big News!", t, outlet_id="x.com"), "f:1") is None
True
>>> d.check(Article("b", "https://x.com/2", "big news", t, outlet_id="x.com"), "f:2").reason
'same outlet, title and day as f:1'
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass

from engine.ingest.canonical_url import url_hash
from engine.models import Article

_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Verdict:
    """Why a record is not new; ``conflict`` when it reuses a given id with other content."""

    reason: str
    conflict: bool = False


def normalise_title(title: str) -> str:
    """Case, accents, punctuation and spacing folded away.

    >>> normalise_title("  Biden’s  Plan: PASSED! ")
    'biden s plan passed'
    """
    folded = unicodedata.normalize("NFKD", title).casefold()
    return _NON_WORD.sub(" ", folded).strip()


def title_key(article: Article) -> str:
    """``outlet|normalised title|UTC day``; empty when the outlet is unknown."""
    if not article.outlet_id:
        return ""
    return f"{article.outlet_id}|{normalise_title(article.title)}|{article.published_at:%Y-%m-%d}"


def content_hash(article: Article) -> str:
    """Hash of what an article says, to tell a repeat from a conflicting record with the same id."""
    payload = json.dumps(
        [article.url, article.title, article.published_at.isoformat(), article.outlet_id, article.lead,
         article.text, article.extra],
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def id_is_derived(article: Article) -> bool:
    """True when the article's id is the hash of its URL rather than an id the source gave."""
    return article.url is not None and article.id == url_hash(article.url)


def repeat_verdict(article: Article, same_content: bool, where: str) -> Verdict:
    """The verdict on an article whose id was already seen at ``where``.

    A repeated record is a duplicate; so is another record of the same URL.
    A given id reused for other content is a conflict: the later record is rejected.
    """
    if same_content:
        return Verdict(f"exact duplicate of {where}")
    if id_is_derived(article):
        return Verdict(f"same URL as {where}")
    return Verdict(f"id {article.id!r} already used by {where} with different content", conflict=True)


class Deduplicator:
    """Remembers the ids, content hashes and title keys seen in a run (keys only, no texts)."""

    def __init__(self) -> None:
        self._ids: dict[str, tuple[str, str]] = {}
        self._titles: dict[str, str] = {}

    def check(self, article: Article, where: str) -> Verdict | None:
        """``None`` for a new article (now remembered), else a :class:`Verdict`."""
        digest = content_hash(article)
        if article.id in self._ids:
            seen_hash, seen_where = self._ids[article.id]
            return repeat_verdict(article, digest == seen_hash, seen_where)
        key = title_key(article)
        if key and key in self._titles:
            return Verdict(f"same outlet, title and day as {self._titles[key]}")
        self._ids[article.id] = (digest, where)
        if key:
            self._titles[key] = where
        return None
