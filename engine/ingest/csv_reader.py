"""CSV articles with a column mapping (``--map title=TITLE,url=URL,...``).

>>> parse_mapping("title=headline, url=link")
{'title': 'headline', 'url': 'link'}
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterator

from engine.errors import InputError
from engine.ingest.files import open_binary
from engine.ingest.validate import CANONICAL_FIELDS, Located, article_from_fields

# article texts can be far longer than the csv module's default field limit
csv.field_size_limit(2**31 - 1)


def parse_mapping(text: str) -> dict[str, str]:
    """``field=COLUMN`` pairs, comma-separated; raises :class:`InputError` for anything else."""
    mapping: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        field, sep, column = part.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not field or not column:
            raise InputError(f"--map: {part.strip()!r} is not FIELD=COLUMN")
        if field not in CANONICAL_FIELDS:
            raise InputError(f"--map: unknown field {field!r}; fields: {', '.join(CANONICAL_FIELDS)}")
        mapping[field] = column
    if not mapping:
        raise InputError("--map is empty")
    return mapping


def read_csv(path: str | Path, *, mapping: dict[str, str] | None = None,
             max_text_chars: int = 1_000_000) -> Iterator[Located | InputError]:
    """Valid articles as :class:`Located`, bad rows as :class:`InputError`.

    Unmapped canonical fields come from a column of the same name when there
    is one; every other column is kept in ``extra``. A mapped column missing
    from the header raises :class:`InputError` before any row is read.
    """
    source = str(path)
    mapping = dict(mapping or {})
    raw = open_binary(path)
    text = io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape", newline="")
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        text.close()
        return iter(())
    except csv.Error as e:
        text.close()
        raise InputError(f"unreadable CSV header: {e}", source=source, line=1) from e
    header = [h.strip().lstrip("\ufeff") for h in header]
    missing = [c for c in mapping.values() if c not in header]
    if missing:
        text.close()
        raise InputError(f"mapped column(s) {', '.join(map(repr, missing))} not in the header "
                         f"(columns: {', '.join(header)})", source=source, line=1)
    for field in CANONICAL_FIELDS:
        if field not in mapping and field in header:
            mapping[field] = field
    return _rows(reader, text, header, {c: f for f, c in mapping.items()}, source, max_text_chars)


def _rows(reader, text, header: list[str], column_to_field: dict[str, str], source: str,
          max_text_chars: int) -> Iterator[Located | InputError]:
    try:
        while True:
            line_no = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                yield InputError(f"malformed CSV row: {e}", source=source, line=line_no)
                continue
            except (OSError, EOFError) as e:
                yield InputError(f"the file is corrupt or ends early: {e}", source=source, line=line_no)
                return
            if not any(cell.strip() for cell in row):
                continue
            if any("\udc80" <= ch <= "\udcff" for cell in row for ch in cell):
                yield InputError("not UTF-8", source=source, line=line_no)
                continue
            if len(row) != len(header):
                yield InputError(f"{len(row)} cells where the header has {len(header)}", source=source,
                                 line=line_no)
                continue
            fields = {column_to_field.get(col, col): cell for col, cell in zip(header, row)}
            try:
                yield Located(article_from_fields(fields, source=source, line=line_no,
                                                  max_text_chars=max_text_chars), source, line_no)
            except InputError as e:
                yield e
    finally:
        text.close()
