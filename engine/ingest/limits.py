"""Caps on every field of a record, so that no single value can cost a batch its good records.

A title over spaCy's ``max_length`` (1,000,000 characters) fails the whole
NER batch (E088); a 50 MB extra field is stored and exported in full. Every
article passes :func:`cap_fields` before NER: text-like fields are cut (and
the cut is noted with the record's location), fields that name something
(url, id, outlet, outlet name, language) are never cut, since that would
rename them, so a too-long one makes the record bad.

>>> from datetime import datetime, timezone
>>> from newsgraph.engine.models import Article
>>> a = Article("a1", None, "x" * 30, datetime(2025, 4, 9, tzinfo=timezone.utc), extra={"note": "y" * 50})
>>> capped = cap_fields(Located(a, "in.jsonl", 3), FieldLimits(title=10, extra=20))
>>> len(capped.article.title), capped.article.extra
(10, {'note': 'yyyyyyyyyyyyyy'})
>>> for note in capped.notes:
...     print(note)
in.jsonl:3: title cut to 10 characters (it had 30)
in.jsonl:3: extra field note cut to 14 characters (the extra fields may hold 20)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from newsgraph.engine.config import Settings
from newsgraph.engine.errors import InputError
from newsgraph.engine.ingest.validate import Located, word_count


@dataclass(frozen=True)
class FieldLimits:
    """The caps of ``NEWSGRAPH_MAX_*_CHARS``, in characters (see docs/input-format.md)."""

    text: int = Settings.max_text_chars
    title: int = Settings.max_title_chars
    lead: int = Settings.max_lead_chars
    extra: int = Settings.max_extra_chars
    name: int = Settings.max_name_chars

    @classmethod
    def of(cls, settings: Settings) -> "FieldLimits":
        return cls(text=settings.max_text_chars, title=settings.max_title_chars, lead=settings.max_lead_chars,
                   extra=settings.max_extra_chars, name=settings.max_name_chars)


_NAMES = (("url", "url", "NEWSGRAPH_MAX_NAME_CHARS"), ("id", "id", "NEWSGRAPH_MAX_NAME_CHARS"),
          ("outlet", "outlet_id", "NEWSGRAPH_MAX_NAME_CHARS"),
          ("outlet_name", "outlet_name", "NEWSGRAPH_MAX_NAME_CHARS"),
          ("language", "language", "NEWSGRAPH_MAX_NAME_CHARS"))


def _json_size(value: Any) -> int:
    if isinstance(value, str):
        return len(value) + 2
    return len(json.dumps(value, ensure_ascii=False))


def _cap_extra(extra: dict[str, Any], room: int, notes: list[str]) -> dict[str, Any]:
    """The extra fields in order while they fit in ``room`` characters of JSON; a text field that overflows is cut."""
    if sum(len(str(k)) + _json_size(v) for k, v in extra.items()) <= room:
        return extra  # the common case costs one pass and no copy
    kept: dict[str, Any] = {}
    left = room
    for key, value in extra.items():
        need = len(str(key)) + _json_size(value)
        if need <= left:
            kept[key] = value
            left -= need
            continue
        space = left - len(str(key)) - 2
        if isinstance(value, str) and space > 0:
            kept[key] = value[:space]
            left = 0
            notes.append(f"extra field {str(key)[:80]} cut to {space} characters (the extra fields may hold {room})")
        else:
            notes.append(f"extra field {str(key)[:80]} dropped: the extra fields may hold {room} characters as JSON")
    return kept


def cap_fields(located: Located, limits: FieldLimits) -> Located | InputError:
    """``located`` with every field within ``limits``, each cut noted; a too-long name gives its :class:`InputError`."""
    a = located.article
    for label, attr, setting in _NAMES:
        value = getattr(a, attr)
        if value is not None and len(value) > limits.name:
            return located.error(f"{label} is {len(value)} characters long, more than {setting} ({limits.name})")
    notes: list[str] = []
    changes: dict[str, Any] = {}
    for attr, limit in (("title", limits.title), ("lead", limits.lead), ("text", limits.text)):
        value = getattr(a, attr)
        if value is not None and len(value) > limit:
            changes[attr] = value[:limit]
            notes.append(f"{attr} cut to {limit} characters (it had {len(value)})")
    extra = _cap_extra(a.extra, limits.extra, notes)
    if extra is not a.extra:
        changes["extra"] = extra
    if not changes:
        return located
    article = replace(a, **changes)
    if changes.keys() & {"title", "lead", "text"}:
        article = replace(article, word_count=word_count(article.text or article.lead or article.title))
    where = located.location
    return replace(located, article=article, notes=located.notes + tuple(f"{where}: {n}" for n in notes))
