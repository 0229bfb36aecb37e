"""Canonical JSONL: one article per line (see docs/input-format.md).

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.jsonl"
>>> _ = path.write_text('{"url": "https://cnn.com/a", "title": "A", "published_at": "2021-05-01"}\\n{"title": 1}\\n')
>>> [r.location if isinstance(r, Located) else r.reason for r in read_jsonl(path, source_name="a.jsonl")]
['a.jsonl:1', 'title must be a string, not int']
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from newsgraph.engine.errors import InputError
from newsgraph.engine.ingest.files import numbered_lines, open_binary
from newsgraph.engine.ingest.validate import DEFAULT_MAX_TEXT_CHARS, Located, article_from_fields

_BOM = b"\xef\xbb\xbf"


def _no_constants(name: str):
    # NaN and Infinity are not JSON; letting them into extra would break every later JSON export
    raise ValueError(f"{name} is not valid JSON")


def read_jsonl(path: str | Path, *, source_name: str | None = None,
               max_text_chars: int = DEFAULT_MAX_TEXT_CHARS) -> Iterator[Located | InputError]:
    """Read a JSONL file (plain or gzip) line by line.

    Each line is decoded and parsed on its own, so a bad line (cut-off JSON,
    bytes that are not UTF-8, not an object, a failed check) is reported and
    the next line is read; blank lines are skipped.

    Parameters
    ----------
    path : str or Path
        The file; gzip is recognised by its content.
    source_name : str, optional
        The name errors and locations use; default ``str(path)``.
    max_text_chars : int
        Longer ``text`` is cut (see ``NEWSGRAPH_MAX_TEXT_CHARS``).

    Yields
    ------
    Located or InputError
        A valid article with its location, or a bad record's error with
        ``source`` and the 1-based ``line``.

    Raises
    ------
    InputError
        When the file cannot be opened (raised on the first ``next``).
    """
    source = source_name or str(path)
    with open_binary(path) as f:
        for line_no, raw in numbered_lines(f, source):
            if isinstance(raw, InputError):
                yield raw
                return
            if line_no == 1 and raw.startswith(_BOM):
                raw = raw[len(_BOM):]
            if not raw.strip():
                continue
            try:
                yield Located(_parse(raw, source, line_no, max_text_chars), source, line_no)
            except InputError as e:
                yield e


def _parse(raw: bytes, source: str, line_no: int, max_text_chars: int):
    def bad(reason: str) -> InputError:
        return InputError(reason, source=source, line=line_no)

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise bad(f"not UTF-8 (byte {e.start}: {raw[e.start:e.start + 1]!r})") from None
    try:
        record = json.loads(text, parse_constant=_no_constants)
    except json.JSONDecodeError as e:
        raise bad(f"invalid JSON ({e.msg} at column {e.colno})") from None
    except ValueError as e:
        raise bad(f"invalid JSON ({e})") from None
    except RecursionError:
        raise bad("invalid JSON (nested too deeply)") from None
    if not isinstance(record, dict):
        raise bad(f"expected a JSON object, got {type(record).__name__}")
    return article_from_fields(record, source=source, line=line_no, max_text_chars=max_text_chars)
