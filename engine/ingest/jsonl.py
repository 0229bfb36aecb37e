"""Canonical JSONL: one article per line (see docs/input-format.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from engine.errors import InputError
from engine.ingest.files import numbered_lines, open_binary
from engine.ingest.validate import Located, article_from_fields


def read_jsonl(path: str | Path, *, max_text_chars: int = 1_000_000) -> Iterator[Located | InputError]:
    """Valid articles as :class:`Located`, bad lines as :class:`InputError`; streams line by line."""
    source = str(path)
    with open_binary(path) as f:
        for line_no, raw in numbered_lines(f, source):
            if isinstance(raw, InputError):
                yield raw
                return
            if not raw.strip():
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                yield InputError(f"not UTF-8 (byte {e.start}: {raw[e.start:e.start + 1]!r})", source=source,
                                 line=line_no)
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as e:
                yield InputError(f"invalid JSON ({e.msg} at column {e.colno})", source=source, line=line_no)
                continue
            if not isinstance(record, dict):
                yield InputError(f"expected a JSON object, got {type(record).__name__}", source=source,
                                 line=line_no)
                continue
            try:
                yield Located(article_from_fields(record, source=source, line=line_no,
                                                  max_text_chars=max_text_chars), source, line_no)
            except InputError as e:
                yield e
