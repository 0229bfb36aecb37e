"""Pick a reader by format (given, or recognised from the file name)."""

from __future__ import annotations

from itertools import chain
from pathlib import Path
from typing import Iterator, Sequence

from newsgraph.engine.errors import InputError, UnknownFormat
from newsgraph.engine.ingest.csv_reader import read_csv
from newsgraph.engine.ingest.feeds import is_url, read_feeds
from newsgraph.engine.ingest.fetch import FetchPolicy
from newsgraph.engine.ingest.files import check_readable, logical_name
from newsgraph.engine.ingest.gkg import read_gkg
from newsgraph.engine.ingest.html_pages import read_pages
from newsgraph.engine.ingest.jsonl import read_jsonl
from newsgraph.engine.ingest.validate import DEFAULT_MAX_TEXT_CHARS, Located

FORMATS = ("jsonl", "csv", "gkg", "feed", "html")
_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv",
             ".rss": "feed", ".atom": "feed", ".opml": "feed", ".html": "html", ".htm": "html"}
# GDELT names its files 20230702153000.gkg.csv(.zip) and 20230702153000.translation.gkg.csv(.zip)
_GKG_NAMES = (".gkg.csv", ".gkg.csv.zip")


def detect_format(path: str | Path, format: str = "auto") -> str:
    """The reader format for ``path``: ``format`` itself, or recognised from the file name.

    Parameters
    ----------
    path : str or Path
        The input file; a ``.gz`` suffix is looked through.
    format : str
        ``auto``, or one of :data:`FORMATS`.

    Raises
    ------
    UnknownFormat
        When ``format`` is not known, or ``auto`` cannot tell from the name.

    Examples
    --------
    >>> detect_format("articles.jsonl.gz")
    'jsonl'
    >>> detect_format("export.CSV")
    'csv'
    """
    if format != "auto":
        if format not in FORMATS:
            raise UnknownFormat(f"unknown format {format!r}; use auto, {', '.join(FORMATS)}", source=str(path))
        return format
    name = logical_name(path)
    if name.endswith(_GKG_NAMES):
        return "gkg"
    if is_url(path):
        return "feed"
    found = _SUFFIXES.get(Path(name).suffix)
    if found is None:
        raise UnknownFormat(f"cannot tell the format from the file name; pass --format {'|'.join(FORMATS)}",
                            source=str(path))
    return found


def read_articles(path: str | Path, *, format: str = "auto", mapping: dict[str, str] | None = None,
                  max_text_chars: int = DEFAULT_MAX_TEXT_CHARS,
                  fetch_policy: FetchPolicy | None = None) -> Iterator[Located | InputError]:
    """The records of one input file, read lazily.

    Everything that makes the whole file unusable is checked now, before
    iteration starts, so a caller can reject a path before reading others.

    Parameters
    ----------
    path : str or Path
        A JSONL or CSV file, plain or gzip; a GDELT GKG file; a feed file, OPML list or feed URL;
        a saved page or a folder of them.
    format : str
        ``auto`` (from the file name), or one of :data:`FORMATS`.
    mapping : dict, optional
        CSV only: canonical field -> column (see :func:`~engine.ingest.csv_reader.parse_mapping`).
    max_text_chars : int
        Longer article text is cut.
    fetch_policy : FetchPolicy, optional
        Feeds only: deadline, size cap and address rules of every fetch (default: the settings' defaults).

    Returns
    -------
    Iterator of Located or InputError
        Valid articles with their ``file:line``, and bad records as errors.

    Raises
    ------
    InputError
        The path is missing, a directory or unreadable; or a CSV header lacks a mapped column.
    UnknownFormat
        The format is unknown, or ``mapping`` is given for JSONL.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "empty.jsonl"
    >>> _ = path.write_bytes(b"")
    >>> list(read_articles(path))
    []
    """
    if not is_url(path) and not (format == "html" and Path(path).is_dir()):
        # a missing path or a directory says so, rather than "unknown format"
        check_readable(path)
    fmt = detect_format(path, format)
    if mapping and fmt != "csv":
        raise UnknownFormat("--map applies to CSV input only", source=str(path))
    if fmt == "feed":
        return read_feeds(path, policy=fetch_policy)
    if fmt == "html":
        return read_pages(path)
    if fmt == "gkg":
        return read_gkg(path)
    if fmt == "csv":
        return read_csv(path, mapping=mapping, max_text_chars=max_text_chars)
    return read_jsonl(path, max_text_chars=max_text_chars)


def read_records(paths: Sequence[str | Path], *, format: str = "auto", mapping: dict[str, str] | None = None,
                 max_text_chars: int = DEFAULT_MAX_TEXT_CHARS,
                 fetch_policy: FetchPolicy | None = None) -> Iterator[Located | InputError]:
    """The records of every file in ``paths``, one after the other, as :meth:`Ingestor.ingest_records` takes them.

    Every path is checked (see :func:`read_articles`) before any record is
    read, so a missing third file stops a run before the first is ingested.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.jsonl").write_text('{"id": 1, "title": "A", "published_at": "2021-05-01"}\\n')
    >>> read_records([folder / "a.jsonl", folder / "missing.jsonl"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    newsgraph.engine.errors.InputError: .../missing.jsonl: no such file
    """
    readers = [read_articles(p, format=format, mapping=mapping, max_text_chars=max_text_chars,
                             fetch_policy=fetch_policy) for p in paths]
    return chain.from_iterable(readers)
