"""Readers of raters' files: each row becomes a :class:`Rating` on newsgraph's scales.

One reader per scheme, chosen by ``read_ratings(path, scheme)``:

- ``allsides``: AllSides ratings, in the 2019 layout (``news_source, rating,
  rating_num, type, ...``; names only) or the 2023 layout (``news_source,
  news_link, bias_rating, community_feedback``), told apart by the header.
- ``mbfc``: Media Bias/Fact Check labels in the Baly et al. layout
  (``source_url, source_url_normalized, ref, fact, bias``; tab-separated),
  7-class or 3-class bias.
- ``adfontes``: Ad Fontes Media scores (``source, reliability, bias``).
- ``csv``: newsgraph's generic layout (``domain, name, bias, factuality,
  ownership, country`` and optional ``bias_score``, ``rating_source``).

A bad row (unknown label, no name, a number that is not one) comes out as an
:class:`InputError` carrying the file and physical line, and reading goes on.
A file that cannot be read, or whose header fits no layout of the scheme,
raises :class:`InputError` at once.

Every rating's ``raw`` holds ``line`` (physical line), ``kind`` (``outlet``
or ``person``: a row the rater itself marks as a person, which the importer
keeps off outlets) and the rater's own labels.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "adfontes.csv"
>>> _ = p.write_text("source,reliability,bias\\nReuters,49.5,-1.2\\nOops,high,0\\n")
>>> [r.bias.value if isinstance(r, Rating) else r.location_text() for r in read_ratings(p, "adfontes")]  # doctest: +ELLIPSIS
['center', '...adfontes.csv:3: reliability is not a number: high']
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Callable, Iterator
from urllib.parse import urlsplit

from newsgraph.engine.errors import InputError, UnknownFormat
from newsgraph.engine.models import Bias, Factuality, Rating
from newsgraph.engine.ratings.resolve import normalise_domain
from newsgraph.engine.ratings.scales import (
    adfontes_bias,
    adfontes_factuality,
    bias_label,
    factuality_label,
    label_key,
    ownership_label,
)

__all__ = ["SCHEMES", "link_kind", "read_ratings"]


class _BadRow(Exception):
    """A row that cannot become a rating; turned into an InputError with its location."""


RowParser = Callable[[dict[str, str], int], Rating]


@dataclass(frozen=True)
class _Layout:
    name: str
    required: frozenset[str]
    parse: RowParser


# -- AllSides ----------------------------------------------------------------
def _allsides_bias(label: str) -> Bias:
    try:
        return bias_label("allsides", label)
    except KeyError:
        raise _BadRow(f"unknown AllSides rating {label!r}") from None


def _allsides_2019(row: dict[str, str], line: int) -> Rating:
    name = _required(row, "news_source")
    bias = _allsides_bias(row.get("rating", ""))
    # The 2019 table types each row; "Author" rows rate a person, not an outlet.
    kind = "person" if label_key(row.get("type", "")) == "author" else "outlet"
    raw = {"line": line, "kind": kind, "bias_label": row.get("rating", ""), "type": row.get("type", "")}
    return Rating("allsides", name, bias=bias, bias_score=bias.score, raw=raw)


# Hosts where a link points at a profile or channel, never at an outlet's own site.
_PLATFORMS = frozenset({
    "twitter.com", "x.com", "facebook.com", "instagram.com", "linkedin.com", "youtube.com", "youtu.be",
    "tiktok.com", "wikipedia.org", "medium.com", "substack.com", "muckrack.com", "allsides.com",
    "patreon.com", "rumble.com", "apple.com", "spotify.com", "google.com", "blogspot.com", "wordpress.com",
})
# First path segments of author/profile pages on an outlet's site.
_AUTHOR_SEGMENTS = frozenset({
    "author", "authors", "by", "people", "person", "profile", "profiles", "staff", "contributor",
    "contributors", "columnist", "columnists", "writer", "writers", "bio", "journalist", "journalists",
})
_HOME_PATHS = frozenset({"", "index.html", "index.htm", "index.php", "home", "en", "us"})


def link_kind(link: str) -> tuple[str, str | None]:
    """What a 2023 AllSides ``news_link`` points at, and the domain if it is a home page.

    ``home`` (a site's front page: the row rates that domain), ``author``
    (an author page on a site: the row rates a person), ``platform`` (a
    social or reference site), ``section`` (any other page of a site: the
    row is resolved by name, since a section is not the whole domain) or
    ``none``.

    >>> link_kind("http://www.nytimes.com/")
    ('home', 'nytimes.com')
    >>> link_kind("https://www.foxnews.com/person/m/karol-markowicz")
    ('author', None)
    >>> link_kind("https://www.cnn.com/opinions")
    ('section', None)
    >>> link_kind("https://twitter.com/ConversationUS")
    ('platform', None)
    """
    link = link.strip()
    if not link:
        return "none", None
    parts = urlsplit(link if "://" in link else "http://" + link)
    domain = normalise_domain(parts.hostname or "")
    if domain is None:
        return "none", None
    if domain in _PLATFORMS:
        return "platform", None
    segments = [s for s in PurePosixPath(parts.path).parts if s != "/"]
    if not segments or (len(segments) == 1 and segments[0].lower() in _HOME_PATHS):
        return "home", domain
    if any(s.lower() in _AUTHOR_SEGMENTS for s in segments[:2]):
        return "author", None
    return "section", None


def _allsides_2023(row: dict[str, str], line: int) -> Rating:
    name = _required(row, "news_source")
    bias = _allsides_bias(row.get("bias_rating", ""))
    link = row.get("news_link", "").strip()
    kind_of_link, domain = link_kind(link)
    raw = {"line": line, "kind": "person" if kind_of_link == "author" else "outlet",
           "bias_label": row.get("bias_rating", ""), "news_link": link, "link": kind_of_link}
    return Rating("allsides", name, outlet_id=domain, bias=bias, bias_score=bias.score, raw=raw)


# -- MBFC (Baly et al.) ------------------------------------------------------
def _mbfc(row: dict[str, str], line: int) -> Rating:
    url, normalized = row.get("source_url", "").strip(), row.get("source_url_normalized", "").strip()
    if not url and not normalized:
        raise _BadRow("missing source_url")
    # The full URL first: Baly's normalised ids fold paths in ("itv.com-news").
    domain = (url and normalise_domain(url)) or (normalized and normalise_domain(normalized))
    if not domain:
        raise _BadRow(f"no domain in {url or normalized!r}")
    host = (urlsplit(url if "://" in url else "http://" + url).hostname or "") if url else normalized
    if domain in _PLATFORMS and host.removeprefix("www.") != domain:
        # One blog on the platform; the platform itself (wikipedia.org) is a fine outlet.
        raise _BadRow(f"{url or normalized} is one site on a shared platform ({domain}), not an outlet domain")
    bias_text, fact_text = row.get("bias", "").strip(), row.get("fact", "").strip()
    try:
        bias = bias_label("mbfc", bias_text) if bias_text else Bias.UNRATED
    except KeyError:
        raise _BadRow(f"unknown MBFC bias {bias_text!r}") from None
    try:
        fact = factuality_label("mbfc", fact_text) if fact_text else Factuality.UNRATED
    except KeyError:
        raise _BadRow(f"unknown MBFC factuality {fact_text!r}") from None
    # MBFC's files carry no outlet name; the domain stands in until another rater names it.
    raw = {"line": line, "kind": "outlet", "bias_label": bias_text, "factuality_label": fact_text,
           "mbfc_page": row.get("ref", "").strip()}
    return Rating("mbfc", domain, outlet_id=domain, bias=bias, bias_score=bias.score, factuality=fact, raw=raw)


# -- Ad Fontes ---------------------------------------------------------------
def _number(row: dict[str, str], column: str) -> float | None:
    text = row.get(column, "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise _BadRow(f"{column} is not a number: {text}") from None


def _adfontes(row: dict[str, str], line: int) -> Rating:
    name = _required(row, "source")
    bias_value, reliability = _number(row, "bias"), _number(row, "reliability")
    try:
        bias, score = adfontes_bias(bias_value) if bias_value is not None else (Bias.UNRATED, None)
        fact = adfontes_factuality(reliability) if reliability is not None else Factuality.UNRATED
    except ValueError as e:
        raise _BadRow(str(e)) from None
    raw = {"line": line, "kind": "outlet", "adfontes_bias": bias_value, "adfontes_reliability": reliability}
    return Rating("adfontes", name, bias=bias, bias_score=score, factuality=fact, raw=raw)


# -- generic CSV -------------------------------------------------------------
def _generic(row: dict[str, str], line: int) -> Rating:
    given_domain = row.get("domain", "").strip()
    domain = normalise_domain(given_domain) if given_domain else None
    if given_domain and domain is None:
        raise _BadRow(f"not a domain: {given_domain!r}")
    name = row.get("name", "").strip() or domain
    if not name:
        raise _BadRow("neither domain nor name")
    bias_text, fact_text = row.get("bias", "").strip(), row.get("factuality", "").strip()
    own_text = row.get("ownership", "").strip()
    try:
        bias = bias_label("csv", bias_text) if bias_text else Bias.UNRATED
    except KeyError:
        raise _BadRow(f"unknown bias {bias_text!r}") from None
    try:
        fact = factuality_label("csv", fact_text) if fact_text else Factuality.UNRATED
    except KeyError:
        raise _BadRow(f"unknown factuality {fact_text!r}") from None
    try:
        ownership = ownership_label(own_text) if own_text else None
    except KeyError:
        raise _BadRow(f"unknown ownership {own_text!r}") from None
    score = _number(row, "bias_score")
    if score is not None and not -2.0 <= score <= 2.0:
        raise _BadRow(f"bias_score {score} is outside [-2, 2]")
    if score is None:
        score = bias.score
    elif bias is Bias.UNRATED:
        bias = Bias.from_score(score)
    rater = row.get("rating_source", "").strip().casefold() or "csv"
    raw = {"line": line, "kind": "outlet", "bias_label": bias_text, "factuality_label": fact_text}
    return Rating(rater, name, outlet_id=domain, bias=bias, bias_score=score, factuality=fact,
                  ownership=ownership, country=row.get("country", "").strip() or None, raw=raw)


def _required(row: dict[str, str], column: str) -> str:
    value = row.get(column, "").strip()
    if not value:
        raise _BadRow(f"missing {column}")
    return value


_LAYOUTS: dict[str, tuple[_Layout, ...]] = {
    "allsides": (
        _Layout("AllSides 2023 (news_source, news_link, bias_rating)",
                frozenset({"news_source", "news_link", "bias_rating"}), _allsides_2023),
        _Layout("AllSides 2019 (news_source, rating, type, ...)",
                frozenset({"news_source", "rating"}), _allsides_2019),
    ),
    "mbfc": (
        _Layout("MBFC, Baly et al. (source_url, source_url_normalized, ref, fact, bias)",
                frozenset({"source_url", "fact", "bias"}), _mbfc),
    ),
    "adfontes": (_Layout("Ad Fontes (source, reliability, bias)", frozenset({"source", "reliability", "bias"}),
                         _adfontes),),
    "csv": (
        _Layout("generic CSV (domain, name, bias, factuality, ...)", frozenset({"domain"}), _generic),
        _Layout("generic CSV (name, bias, factuality, ...)", frozenset({"name"}), _generic),
    ),
}
SCHEMES: tuple[str, ...] = (*_LAYOUTS, "gdelt-country")


def read_ratings(path: str | os.PathLike, scheme: str) -> Iterator[Rating | InputError]:
    """The ratings in a rater's file, with bad rows as :class:`InputError` in their place.

    Parameters
    ----------
    path : str or path-like
        The file; comma- or tab-separated (told apart by its first line),
        UTF-8 with or without a byte-order mark.
    scheme : {"allsides", "mbfc", "adfontes", "csv"}
        Whose layout and labels the file uses.

    Raises
    ------
    UnknownFormat
        ``scheme`` is not one of :data:`SCHEMES`.
    InputError
        The file cannot be read, or its header fits no layout of ``scheme``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "allsides.csv"
    >>> _ = p.write_text("news_source,news_link,bias_rating,community_feedback\\n"
    ...                  "CNN (Online News),http://www.cnn.com,Lean Left,1/2\\n")
    >>> [(r.name, r.outlet_id, r.bias.value) for r in read_ratings(p, "allsides")]
    [('CNN (Online News)', 'cnn.com', 'lean_left')]
    """
    source = os.fspath(path)
    if scheme == "gdelt-country":  # GDELT's domain-country table: outlet countries only
        from newsgraph.engine.ratings.gdelt_country import read_gdelt_countries

        return read_gdelt_countries(source)
    if scheme not in _LAYOUTS:
        raise UnknownFormat(f"unknown ratings scheme {scheme!r}; use one of {', '.join(SCHEMES)}", source=source)
    header, delimiter = _header(source)
    columns = {c.strip().casefold() for c in header}
    layout = next((lay for lay in _LAYOUTS[scheme] if lay.required <= columns), None)
    if layout is None:
        wanted = " or ".join(lay.name for lay in _LAYOUTS[scheme])
        raise InputError(f"header ({', '.join(header)}) fits no {scheme} layout; expected {wanted}",
                         source=source, line=1)
    return _rows(source, delimiter, layout)


def _open(source: str):
    try:
        return open(source, newline="", encoding="utf-8-sig")
    except OSError as e:
        raise InputError(f"cannot read ratings file: {e.strerror or e}", source=source) from e


def _header(source: str) -> tuple[list[str], str]:
    with _open(source) as f:
        try:
            first = f.readline()
        except UnicodeDecodeError as e:
            raise InputError("not UTF-8 text", source=source) from e
    if not first.strip():
        raise InputError("empty file: no header line", source=source, line=1)
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    return next(csv.reader([first], delimiter=delimiter)), delimiter


def _rows(source: str, delimiter: str, layout: _Layout) -> Iterator[Rating | InputError]:
    with _open(source) as f:
        reader = csv.reader(f, delimiter=delimiter)
        try:
            columns = [c.strip().casefold() for c in next(reader)]
            while True:
                line = reader.line_num + 1  # a quoted cell may span lines: report where the row starts
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as e:
                    yield InputError(f"unreadable row: {e}", source=source, line=line)
                    continue
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
                    yield InputError(f"{len(cells)} fields, the header has {len(columns)}", source=source, line=line)
                    continue
                row = dict(zip(columns, cells))
                try:
                    yield layout.parse(row, line)
                except _BadRow as e:
                    yield InputError(str(e), source=source, line=line)
        except UnicodeDecodeError as e:
            raise InputError("not UTF-8 text", source=source, line=reader.line_num + 1) from e
