"""One record's fields -> a validated :class:`~engine.models.Article`, for every reader.

>>> a = article_from_fields({"url": "https://www.cnn.com/x?utm_medium=rss", "title": " Hi ",
...                          "published_at": "2021-05-01", "section": "world"}, source="f.jsonl", line=1)
>>> (a.url, a.title, a.outlet_id, a.extra)
('https://cnn.com/x', 'Hi', 'cnn.com', {'section': 'world'})
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from engine.errors import InputError
from engine.ingest.canonical_url import article_id, canonicalize_url, normalise_domain, outlet_id_from_url
from engine.ingest.dates import parse_published_at
from engine.models import Article

CANONICAL_FIELDS = ("id", "url", "title", "published_at", "text", "lead", "outlet", "outlet_name", "language")
_TEXT_FIELDS = ("title", "text", "lead", "outlet", "outlet_name", "language", "url")


@dataclass(frozen=True)
class Located:
    """A valid article with where it was read."""

    article: Article
    source: str
    line: int

    @property
    def location(self) -> str:
        return f"{self.source}:{self.line}"


def _text(fields: Mapping[str, Any], name: str) -> str | None:
    value = fields.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{name} must be a string, not {type(value).__name__}")
    value = value.strip()
    return value or None


def article_from_fields(fields: Mapping[str, Any], *, source: str, line: int,
                        max_text_chars: int = 1_000_000) -> Article:
    """Validate one record; raises :class:`InputError` (with ``source`` and ``line``) saying what is wrong."""
    try:
        return _article(fields, max_text_chars)
    except InputError as e:
        raise InputError(e.reason, source=source, line=line) from None


def _article(fields: Mapping[str, Any], max_text_chars: int) -> Article:
    values = {name: _text(fields, name) for name in _TEXT_FIELDS}
    given_id = fields.get("id")
    if given_id is not None and not isinstance(given_id, (str, int)) or isinstance(given_id, bool):
        raise InputError(f"id must be a string or an integer, not {type(given_id).__name__}")
    if isinstance(given_id, str) and not given_id.strip():
        given_id = None
    if not values["title"]:
        raise InputError("missing required field title")
    if "published_at" not in fields or fields["published_at"] in (None, ""):
        raise InputError("missing required field published_at")
    if not values["url"] and given_id is None:
        raise InputError("missing required field url (or id)")
    url = canonicalize_url(values["url"]) if values["url"] else None
    published_at = parse_published_at(fields["published_at"])
    if values["outlet"]:
        outlet_id = normalise_domain(values["outlet"])
    else:
        outlet_id = outlet_id_from_url(url) if url else None
    text = values["text"]
    if text and len(text) > max_text_chars:
        text = text[:max_text_chars]
    body = text or values["lead"] or values["title"]
    return Article(
        id=article_id(url, given_id),
        url=url,
        title=values["title"],
        published_at=published_at,
        outlet_id=outlet_id,
        outlet_name=values["outlet_name"],
        lead=values["lead"],
        text=text,
        language=values["language"],
        word_count=len(body.split()),
        extra={k: v for k, v in fields.items() if k not in CANONICAL_FIELDS},
    )
