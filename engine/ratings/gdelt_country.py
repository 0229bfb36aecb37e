"""GDELT's domain-country table as outlet countries (scheme ``gdelt-country``).

The table (``domain,countrycode,cnt``; plain CSV or a ``.zip`` holding one)
has a row per outlet domain and country: how often that outlet's articles
mention places in the country. An outlet's country is the one it mentions
most, GDELT's own heuristic for where an outlet is based. Country codes stay
as GDELT writes them, FIPS 10-4 (``UK`` United Kingdom, ``GM`` Germany,
``SG`` Senegal), the same codes as GKG's locations.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "domain-country.csv"
>>> _ = p.write_text("domain,countrycode,cnt\\nbbc.co.uk,US,336\\nbbc.co.uk,UK,1761\\ncnn.com,US,x\\n")
>>> [(r.outlet_id, r.country) if isinstance(r, Rating) else r.location_text()
...  for r in read_gdelt_countries(p)]  # doctest: +ELLIPSIS
['...domain-country.csv:4: cnt is not a whole number: x', ('bbc.co.uk', 'UK')]
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from typing import Iterator, TextIO

from newsgraph.engine.errors import InputError
from newsgraph.engine.models import Rating
from newsgraph.engine.ratings.resolve import normalise_domain

RATER = "gdelt"
_COLUMNS = ("domain", "countrycode", "cnt")


def _open_text(source: str) -> TextIO:
    try:
        if zipfile.is_zipfile(source):
            with zipfile.ZipFile(source) as archive:  # the member keeps the file open until it is closed
                members = [m for m in archive.infolist()
                           if not m.is_dir() and not m.filename.startswith("__MACOSX/")]
                if len(members) != 1:
                    raise InputError(f"expected one CSV file in the zip, found {len(members)}", source=source)
                return io.TextIOWrapper(archive.open(members[0]), encoding="utf-8-sig", newline="")
        return open(source, encoding="utf-8-sig", newline="")
    except OSError as e:
        raise InputError(f"cannot read the domain-country table: {e.strerror or e}", source=source) from e


def read_gdelt_countries(path: str | os.PathLike) -> Iterator[Rating | InputError]:
    """One :class:`Rating` per domain carrying its most-mentioned country; bad rows as :class:`InputError`.

    The header is checked at once; rows are read as the iterator is consumed.
    The ratings come after the whole table is read (a domain's rows need not
    be adjacent), one small entry per domain in memory.
    """
    source = os.fspath(path)
    f = _open_text(source)
    try:
        header = [c.strip().casefold() for c in next(csv.reader([f.readline()]), [])]
    except UnicodeDecodeError as e:
        f.close()
        raise InputError("not UTF-8 text", source=source, line=1) from e
    if header[:3] != list(_COLUMNS):
        f.close()
        raise InputError(f"header ({', '.join(header)}) is not GDELT's domain,countrycode,cnt",
                         source=source, line=1)
    return _ratings(f, source)


def _ratings(f: TextIO, source: str) -> Iterator[Rating | InputError]:
    best: dict[str, tuple[int, str, int, int]] = {}  # outlet -> (count, country, line, total)
    with f:
        for line, cells in enumerate(csv.reader(f), start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) < 3:
                yield InputError(f"{len(cells)} fields, expected domain,countrycode,cnt", source=source, line=line)
                continue
            domain, country, count_text = (c.strip() for c in cells[:3])
            outlet = normalise_domain(domain)
            if outlet is None:
                yield InputError(f"not a domain: {domain!r}", source=source, line=line)
                continue
            if not country.isalpha() or len(country) != 2:
                yield InputError(f"country code {country!r} is not two letters", source=source, line=line)
                continue
            try:
                count = int(count_text)
            except ValueError:
                yield InputError(f"cnt is not a whole number: {count_text}", source=source, line=line)
                continue
            top = best.get(outlet)
            total = (top[3] if top else 0) + count
            if top is None or count > top[0]:
                best[outlet] = (count, country.upper(), line, total)
            else:
                best[outlet] = (*top[:3], total)
    for outlet, (count, country, line, total) in best.items():
        share = round(count / total, 3) if total else None
        yield Rating(RATER, outlet, outlet_id=outlet, country=country,
                     raw={"line": line, "kind": "outlet", "country_code": "FIPS 10-4", "country_share": share})
