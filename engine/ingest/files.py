"""Opening inputs: plain or gzip (recognised by its magic bytes), with clear errors; which files a run reads
(folders, patterns, list files) and what makes a file the same file for the ingest ledger."""

from __future__ import annotations

import gzip
import hashlib
import io
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator, Sequence

from newsgraph.engine.errors import InputError

_GZIP_MAGIC = b"\x1f\x8b"
# what a damaged compressed stream raises: gzip's own errors are OSError or EOFError, but damage inside
# the deflate data comes straight from zlib ("invalid distance too far back"), which is neither
DAMAGED = (OSError, EOFError, zlib.error)


def check_readable(path: str | Path) -> Path:
    """``path`` as a :class:`Path`; raises :class:`InputError` if it is missing, a directory or unreadable."""
    p = Path(path)
    if not p.exists():
        raise InputError("no such file", source=str(path))
    if p.is_dir():
        raise InputError("is a directory, not a file", source=str(path))
    try:
        with p.open("rb") as f:
            f.read(1)
    except OSError as e:
        raise InputError(f"cannot be read: {e.strerror or e}", source=str(path)) from e
    return p


def open_binary(path: str | Path) -> BinaryIO:
    """The file's bytes, decompressed when it is gzip."""
    p = check_readable(path)
    f = p.open("rb")
    if f.read(2) == _GZIP_MAGIC:
        f.close()
        return gzip.open(p, "rb")  # type: ignore[return-value]
    f.seek(0)
    return io.BufferedReader(f) if not isinstance(f, io.BufferedReader) else f


def logical_name(path: str | Path) -> str:
    """The file name without a ``.gz`` suffix, for recognising the format."""
    name = Path(path).name.lower()
    return name[:-3] if name.endswith(".gz") else name


def numbered_lines(f: BinaryIO, source: str) -> Iterator[tuple[int, bytes | InputError]]:
    """``(line number, bytes)``; a corrupt or cut-off compressed file ends with one :class:`InputError`."""
    line_no = 0
    try:
        for line_no, raw in enumerate(f, start=1):
            yield line_no, raw
    except DAMAGED as e:
        yield line_no + 1, InputError(f"the file is corrupt or ends early: {e}", source=source, line=line_no + 1)


# -- many inputs: folders, glob patterns, list files; and what makes a file the same file -----------

_DATA_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv", ".gkg.csv.zip", ".rss", ".atom", ".opml")
_LINE_FORMATS = (".jsonl", ".ndjson", ".json", ".csv")


def _is_glob(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def _data_files(folder: Path) -> list[Path]:
    """The input files under ``folder`` (recursively), by name: data suffixes, plain or ``.gz``."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and logical_name(p).endswith(_DATA_SUFFIXES))


def expand_inputs(paths: Sequence[str | Path], *, format: str = "auto") -> list[str | Path]:
    """The input files that ``paths`` name, in order, each once.

    A folder stands for its data files (``.jsonl``, ``.csv``, GKG, feed files, plain or
    ``.gz``; recursively, sorted by path), except with ``format="html"``, whose reader
    takes folders itself; a pattern with ``*``, ``?`` or ``[`` for the files it matches
    (``**`` for any depth, sorted); ``@LIST`` for the paths listed in the file LIST, one
    a line (blank lines and ``#`` comments skipped, relative paths from LIST's folder).
    Files come back as :class:`Path`; feed URLs and HTML folders as given (``str``).

    Raises :class:`InputError` for a pattern that matches nothing, a folder without data
    files, or a list file that cannot be read.

    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("b.jsonl", "a.jsonl.gz", "notes.txt"):
    ...     _ = (d / name).write_text("")
    >>> _ = (d / "list.txt").write_text("# two files\\nb.jsonl\\n\\na.jsonl.gz\\n")
    >>> [p.name for p in expand_inputs([d])]
    ['a.jsonl.gz', 'b.jsonl']
    >>> [p.name for p in expand_inputs([str(d / "*.jsonl"), "@" + str(d / "list.txt")])]
    ['b.jsonl', 'a.jsonl.gz']
    """
    out: list[str | Path] = []
    seen: set[str] = set()

    def add(item: str | Path) -> None:
        key = str(Path(item).resolve()) if isinstance(item, Path) else item
        if key not in seen:
            seen.add(key)
            out.append(item)

    for raw in paths:
        text = str(raw)
        if text.lower().startswith(("http://", "https://")):  # a feed URL (engine.ingest.feeds reads it)
            add(text)
        elif text.startswith("@") and not Path(text).exists():
            listing = Path(text[1:])
            try:
                lines = listing.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as e:
                raise InputError(f"cannot read the list of inputs: {getattr(e, 'strerror', None) or e}",
                                 source=str(listing)) from e
            for line in lines:
                line = line.strip()
                if line and not line.startswith("#"):
                    entry = Path(line) if Path(line).is_absolute() else listing.parent / line
                    add(entry)
        elif _is_glob(text) and not Path(text).exists():
            base, pattern = (Path(text).anchor, text[len(Path(text).anchor):]) if Path(text).is_absolute() \
                else (".", text)
            found = sorted(p for p in Path(base).glob(pattern) if p.is_file())
            if not found:
                raise InputError("the pattern matches no file", source=text)
            for p in found:
                add(p)
        elif Path(text).is_dir():
            if format == "html":
                add(text)
                continue
            found = _data_files(Path(text))
            if not found:
                raise InputError("the folder holds no input files (.jsonl, .csv, GKG or feed files)", source=text)
            for p in found:
                add(p)
        else:
            add(Path(text))
    return out


@dataclass(frozen=True)
class FileIdentity:
    """What the ingest ledger knows a file by: its size and the SHA-256 of its bytes (not its path or time).

    A file moved or copied elsewhere is the same file; a file written again with
    other content (a feed archive that grew) is another one and is read again.
    """

    key: str
    path: str
    size: int
    records: int | None
    "Lines of a JSONL or CSV file (less a CSV header), decompressed: the records it holds, for progress; else None."


def file_identity(path: Path) -> FileIdentity:
    """``path``'s :class:`FileIdentity`, from one pass over its bytes (and, for gzip'd line files, their lines).

    Raises :class:`InputError` when the file is missing or unreadable.
    """
    p = check_readable(path)
    digest = hashlib.sha256()
    size = 0
    with p.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
            size += len(block)
    records = None
    name = logical_name(p)
    if name.endswith(_LINE_FORMATS):
        try:
            with open_binary(p) as f:
                lines = 0
                last = b"\n"
                while block := f.read(1 << 20):
                    lines += block.count(b"\n")
                    last = block[-1:]
                lines += last != b"\n"
            records = max(0, lines - 1) if name.endswith(".csv") else lines
        except DAMAGED:
            records = None  # the reader says what is wrong with it
    return FileIdentity(f"sha256:{digest.hexdigest()}:{size}", str(path), size, records)
