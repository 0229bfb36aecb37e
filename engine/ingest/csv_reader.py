"""CSV articles with a column mapping (``--map title=TITLE,url=URL,...``).

>>> parse_mapping("title=headline, url=link")
{'title': 'headline', 'url': 'link'}
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Iterator

from newsgraph.engine.errors import InputError
from newsgraph.engine.ingest.files import DAMAGED, open_binary
from newsgraph.engine.ingest.validate import CANONICAL_FIELDS, DEFAULT_MAX_TEXT_CHARS, Located, article_from_fields

# Article texts can be far longer than the csv module's default field limit
# (128 KiB); the limit is process-wide, so it is raised once, here.
csv.field_size_limit(2**31 - 1)


_SURROGATE = re.compile("[\udc80-\udcff]")


def _not_utf8(cells: list[str]) -> bool:
    # bytes that are not UTF-8 come through the surrogateescape decoder as lone surrogates
    return any(_SURROGATE.search(cell) for cell in cells)


def parse_mapping(text: str) -> dict[str, str]:
    """The ``--map`` option: comma-separated ``FIELD=COLUMN`` pairs.

    Parameters
    ----------
    text : str
        E.g. ``title=HEADLINE,url=LINK``; ``FIELD`` is one of the canonical fields.

    Returns
    -------
    dict
        Canonical field -> CSV column.

    Raises
    ------
    InputError
        For a pair without ``=``, an unknown field, or an empty mapping.

    Examples
    --------
    >>> parse_mapping("title=HEADLINE,url=LINK")
    {'title': 'HEADLINE', 'url': 'LINK'}
    """
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


def read_csv(path: str | Path, *, mapping: dict[str, str] | None = None, source_name: str | None = None,
             max_text_chars: int = DEFAULT_MAX_TEXT_CHARS) -> Iterator[Located | InputError]:
    """Read a CSV file (plain or gzip) with a header row, row by row.

    Unmapped canonical fields come from a column of the same name when there
    is one; every other column is kept, as text, in ``extra``.

    Parameters
    ----------
    path : str or Path
        The file; gzip is recognised by its content.
    mapping : dict, optional
        Canonical field -> column, as :func:`parse_mapping` returns.
    source_name : str, optional
        The name errors and locations use; default ``str(path)``.
    max_text_chars : int
        Longer ``text`` is cut (see ``NEWSGRAPH_MAX_TEXT_CHARS``).

    Returns
    -------
    Iterator of Located or InputError
        Valid articles with their location, and bad rows as errors whose
        ``line`` is the physical line where the row starts.

    Raises
    ------
    InputError
        Now, before any row is read, when the file cannot be read, its header
        is unreadable, or a mapped column is not in the header.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = path.write_text("HEAD,url,published_at,desk\\nHi,https://cnn.com/a,2021-05-01,world\\n")
    >>> [(r.article.title, r.article.extra) for r in read_csv(path, mapping={"title": "HEAD"})]
    [('Hi', {'desk': 'world'})]
    >>> read_csv(path, mapping={"title": "TITLE"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    newsgraph.engine.errors.InputError: ...:1: mapped column(s) 'TITLE' not in the header (columns: HEAD, url, published_at, desk)
    """
    source = source_name or str(path)
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
    except DAMAGED as e:
        text.close()
        # damage is a bad record, not a bad path: reported like damage further into the file
        return iter([InputError(f"the file is corrupt or ends early: {e}", source=source, line=1)])
    header = [h.strip().lstrip("\ufeff") for h in header]
    if _not_utf8(header):
        text.close()
        raise InputError("the header row is not UTF-8", source=source, line=1)
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
            except DAMAGED as e:
                yield InputError(f"the file is corrupt or ends early: {e}", source=source, line=line_no)
                return
            if not any(cell.strip() for cell in row):
                continue
            if _not_utf8(row):
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
