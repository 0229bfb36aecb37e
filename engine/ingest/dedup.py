"""Duplicate detection within one run: same canonical URL, or same outlet, title and day.

>>> from datetime import datetime, timezone
>>> from newsgraph.engine.models import Article
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
from typing import Iterable, Mapping

from newsgraph.engine.ingest.canonical_url import url_hash
from newsgraph.engine.models import Article

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
    >>> normalise_title("Résumé") == normalise_title("RESUME")
    True
    """
    decomposed = unicodedata.normalize("NFKD", title)
    # accents come apart as combining marks; dropped, so "é" folds to "e" rather than to "e "
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", bare.casefold()).strip()


def title_key(article: Article) -> str:
    """The key under which one outlet's same headline on the same UTC day is a duplicate.

    Parameters
    ----------
    article : Article
        Its ``published_at`` is UTC, so the day is the UTC day.

    Returns
    -------
    str
        ``outlet|normalised title|YYYY-MM-DD``, the form stores persist; empty
        when the outlet is unknown or the title is only punctuation, since such
        articles cannot be told apart by title.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> title_key(Article("1", None, "Big News!", datetime(2021, 5, 1, 23, tzinfo=timezone.utc), outlet_id="cnn.com"))
    'cnn.com|big news|2021-05-01'
    """
    title = normalise_title(article.title)
    if not article.outlet_id or not title:
        return ""
    return f"{article.outlet_id}|{title}|{article.published_at:%Y-%m-%d}"


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
    """Remembers the ids, content hashes and title keys seen in a run (keys only, no texts).

    Duplicates are (a) a second record with the same article id, so the same
    canonical URL or the same given id, and (b) the same outlet, normalised
    title and UTC day (:func:`title_key`). Articles already stored can be
    loaded with :meth:`seed`, so that a new run recognises them too.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> t = datetime(2021, 5, 1, tzinfo=timezone.utc)
    >>> d = Deduplicator()
    >>> d.check(Article("x1", None, "A", t), "f:1") is None
    True
    >>> d.check(Article("x1", None, "A", t), "f:2").reason
    'exact duplicate of f:1'
    >>> d.check(Article("x1", None, "B", t), "f:3")
    Verdict(reason="id 'x1' already used by f:1 with different content", conflict=True)
    """

    def __init__(self) -> None:
        self._ids: dict[str, tuple[str, str]] = {}
        self._titles: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def seed(self, ids: Mapping[str, str] | Iterable[tuple[str, str]] = (), title_keys: Iterable[str] = (),
             where: str = "an article already stored") -> None:
        """Remember articles seen before this run.

        Parameters
        ----------
        ids : mapping or iterable of pairs
            Article id -> :func:`content_hash`, as a store keeps them.
        title_keys : iterable of str
            :func:`title_key` values of those articles.
        where : str
            How verdicts name them.

        Examples
        --------
        >>> from datetime import datetime, timezone
        >>> a = Article("x1", None, "A", datetime(2021, 5, 1, tzinfo=timezone.utc), outlet_id="cnn.com")
        >>> d = Deduplicator()
        >>> d.seed({"x1": content_hash(a)}, [title_key(a)])
        >>> d.check(a, "f:9").reason
        'exact duplicate of an article already stored'
        """
        pairs = ids.items() if isinstance(ids, Mapping) else ids
        for article_id, digest in pairs:
            self._ids.setdefault(article_id, (digest, where))
        for key in title_keys:
            if key:
                self._titles.setdefault(key, where)

    def check(self, article: Article, where: str) -> Verdict | None:
        """Whether ``article`` repeats one seen before; a new one is remembered.

        Parameters
        ----------
        article : Article
            A validated article.
        where : str
            Its location (``file:line``), named by later verdicts.

        Returns
        -------
        Verdict or None
            ``None`` for a new article. Otherwise the reason: ``exact
            duplicate of ...``, ``same URL as ...`` (the same canonical URL with
            other content, e.g. an edited headline), ``same outlet, title and
            day as ...``, or, with ``conflict=True``, a given id reused for
            different content.
        """
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
