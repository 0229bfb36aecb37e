"""One record's fields -> a validated :class:`~engine.models.Article`, for every reader.

>>> a = article_from_fields({"url": "https://www.cnn.com/x?utm_medium=rss", "title": " Hi ",
...                          "published_at": "2021-05-01", "section": "world"}, source="f.jsonl", line=1)
>>> (a.url, a.title, a.outlet_id, a.extra)
('https://cnn.com/x', 'Hi', 'cnn.com', {'section': 'world'})
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Mapping

from newsgraph.engine.config import Settings
from newsgraph.engine.errors import InputError, location
from newsgraph.engine.ingest.canonical_url import article_id, canonicalize_url, normalise_domain, outlet_id_from_url
from newsgraph.engine.ingest.dates import parse_published_at
from newsgraph.engine.models import Article

CANONICAL_FIELDS = ("id", "url", "title", "published_at", "text", "lead", "outlet", "outlet_name", "language")
_TEXT_FIELDS = ("title", "text", "lead", "outlet", "outlet_name", "language", "url")
_WORD = re.compile(r"\S+")
DEFAULT_MAX_TEXT_CHARS = Settings.max_text_chars


@dataclass(frozen=True)
class Located:
    """A valid article with where it was read: a file and line, or a list and index.

    ``entities`` is ``None`` for articles whose entities NER finds in their
    text; a reader whose source names the entities itself (GDELT GKG) gives
    them as ``(text, label, count)`` with spaCy labels, and NER is skipped.
    ``notes`` say, with the location, which fields were cut to their caps.
    """

    article: Article
    source: str
    line: int | None
    entities: tuple[tuple[str, str, int], ...] | None = None
    index: int | None = None
    notes: tuple[str, ...] = ()

    @property
    def location(self) -> str:
        """``file:line`` (or ``list[index]``), the form bad records are reported in."""
        return location(self.source, line=self.line, index=self.index)

    def error(self, reason: str) -> InputError:
        """An :class:`InputError` at this record's location, for a valid article rejected later (a conflict)."""
        return InputError(reason, source=self.source, line=self.line, index=self.index)


@dataclass(frozen=True)
class Record:
    """One input record's fields, not yet checked, with where it came from.

    What a caller holding parsed data (an API request, a fetched document)
    gives :meth:`~engine.pipeline.Ingestor.ingest_records`, which checks it as
    a reader checks a line. ``line`` places a record in a file (1-based),
    ``index`` in a list (0-based).

    Examples
    --------
    >>> good = Record({"url": "https://cnn.com/a", "title": "A", "published_at": "2021-05-01"}, "in.jsonl", line=4)
    >>> (good.check().article.outlet_id, good.check().location)
    ('cnn.com', 'in.jsonl:4')
    >>> Record({"title": "A", "published_at": "2021-05-01"}, "articles", index=2).check()
    Traceback (most recent call last):
    ...
    newsgraph.engine.errors.InputError: articles[2]: missing required field url (or id)
    """

    fields: Mapping[str, Any]
    source: str
    line: int | None = None
    index: int | None = None

    @property
    def location(self) -> str:
        """``file:line`` or ``list[index]``."""
        return location(self.source, line=self.line, index=self.index)

    def check(self, max_text_chars: int = DEFAULT_MAX_TEXT_CHARS) -> Located:
        """The record validated into a :class:`Located` article; raises :class:`InputError` at its location."""
        if not isinstance(self.fields, Mapping):
            raise InputError(f"expected an object of fields, got {type(self.fields).__name__}",
                             source=self.source, line=self.line, index=self.index)
        article = article_from_fields(self.fields, source=self.source, line=self.line, index=self.index,
                                      max_text_chars=max_text_chars)
        return Located(article, self.source, self.line, index=self.index)


def _text(fields: Mapping[str, Any], name: str) -> str | None:
    value = fields.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{name} must be a string, not {type(value).__name__}")
    value = value.strip()
    return value or None


def _given_id(value: Any) -> str | int | None:
    # bool is an int subclass, but True is nobody's article id
    if value is None or isinstance(value, bool) or not isinstance(value, (str, int)):
        if value is not None:
            raise InputError(f"id must be a string or an integer, not {type(value).__name__}")
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _check_json(value: Any, name: str) -> None:
    # records that did not come through this project's JSON parser (an API body, a caller's dicts, a
    # "\ud800" escape) can hold what JSON and UTF-8 cannot carry, which would fail the store's batch or
    # every later JSON export rather than this one record
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"{name} is {value!r}, which is not valid JSON")
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as e:
            raise InputError(f"{name} is not UTF-8 (a lone surrogate at character {e.start})") from None
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _check_json(item, f"{name}.{key}")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _check_json(item, f"{name}[{i}]")


def _cut(text: str | None, limit: int) -> str | None:
    return text[:limit] if text is not None and len(text) > limit else text


def word_count(text: str) -> int:
    """Whitespace-separated words, counted without building a list of them.

    >>> word_count("  three  small\\nwords ")
    3
    """
    return sum(1 for _ in _WORD.finditer(text))


def article_from_fields(fields: Mapping[str, Any], *, source: str, line: int | None = None,
                        index: int | None = None, max_text_chars: int = DEFAULT_MAX_TEXT_CHARS) -> Article:
    """Validate one input record and build its :class:`~engine.models.Article`.

    Parameters
    ----------
    fields : Mapping
        The record: canonical fields (:data:`CANONICAL_FIELDS`) plus any others,
        which are kept unchanged in ``Article.extra``.
    source, line, index : str, int, int
        Where the record was read (a file's line, or a list's index),
        attached to the error when it is bad.
    max_text_chars : int
        ``text`` and ``lead`` longer than this are cut (the article still lands).

    Returns
    -------
    Article
        With the canonical URL, an id from :func:`article_id`, the outlet id
        (from ``outlet``, else from the URL, else ``None``) and a word count of
        the text (or lead, or title).

    Raises
    ------
    InputError
        Saying what is wrong, with ``source`` and ``line`` (or ``index``).

    Examples
    --------
    >>> article_from_fields({"id": 7, "title": "T", "published_at": "1850-01-01"}, source="f.csv", line=3)
    Traceback (most recent call last):
    ...
    newsgraph.engine.errors.InputError: f.csv:3: published_at '1850-01-01' is outside 1900-2100
    """
    try:
        return _article(fields, max_text_chars)
    except InputError as e:
        raise InputError(e.reason, source=source, line=line, index=index) from None


def _article(fields: Mapping[str, Any], max_text_chars: int) -> Article:
    for name, value in fields.items():
        _check_json(value, str(name))
    values = {name: _text(fields, name) for name in _TEXT_FIELDS}
    given_id = _given_id(fields.get("id"))
    if not values["title"]:
        raise InputError("missing required field title")
    if fields.get("published_at") in (None, ""):
        raise InputError("missing required field published_at")
    if not values["url"] and given_id is None:
        raise InputError("missing required field url (or id)")
    url = canonicalize_url(values["url"]) if values["url"] else None
    published_at = parse_published_at(fields["published_at"])
    if values["outlet"]:
        outlet_id = normalise_domain(values["outlet"])
    else:
        outlet_id = outlet_id_from_url(url) if url else None
    text = _cut(values["text"], max_text_chars)
    lead = _cut(values["lead"], max_text_chars)
    return Article(
        id=article_id(url, given_id),
        url=url,
        title=values["title"],
        published_at=published_at,
        outlet_id=outlet_id,
        outlet_name=values["outlet_name"],
        lead=lead,
        text=text,
        language=values["language"],
        word_count=word_count(text or lead or values["title"]),
        extra={k: v for k, v in fields.items() if k not in CANONICAL_FIELDS},
    )
