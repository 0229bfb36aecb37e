"""Pick a reader by format (given, or recognised from the file name)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from engine.errors import UnknownFormat
from engine.ingest.csv_reader import read_csv
from engine.ingest.files import check_readable, logical_name
from engine.ingest.jsonl import read_jsonl
from engine.ingest.validate import Located
from engine.errors import InputError

FORMATS = ("jsonl", "csv")
_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".tsv": None}


def detect_format(path: str | Path, format: str = "auto") -> str:
    """The reader's format for ``path``; raises :class:`UnknownFormat` when it cannot tell.

    >>> detect_format("articles.jsonl.gz")
    'jsonl'
    """
    if format != "auto":
        if format not in FORMATS:
            raise UnknownFormat(f"unknown format {format!r}; use auto, {', '.join(FORMATS)}", source=str(path))
        return format
    found = _SUFFIXES.get(Path(logical_name(path)).suffix)
    if found is None:
        raise UnknownFormat("cannot tell the format from the file name; pass --format jsonl or csv",
                            source=str(path))
    return found


def read_articles(path: str | Path, *, format: str = "auto", mapping: dict[str, str] | None = None,
                  max_text_chars: int = 1_000_000) -> Iterator[Located | InputError]:
    """Records of one input file. The path and format are checked now, before iteration starts."""
    check_readable(path)
    fmt = detect_format(path, format)
    if mapping and fmt != "csv":
        raise UnknownFormat("--map applies to CSV input only", source=str(path))
    if fmt == "csv":
        return read_csv(path, mapping=mapping, max_text_chars=max_text_chars)
    return read_jsonl(path, max_text_chars=max_text_chars)
