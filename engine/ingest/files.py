"""Opening inputs: plain or gzip (recognised by its magic bytes), with clear errors."""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path
from typing import BinaryIO, Iterator

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
