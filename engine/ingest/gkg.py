"""GDELT Global Knowledge Graph 2.1 files: one article per record, with GDELT's own entities.

A GKG 2.1 file is tab-separated, has no header and 27 columns per record
(GKGRECORDID, DATE, SourceCollectionIdentifier, SourceCommonName,
DocumentIdentifier, ..., V2Themes, ..., V2Persons, ..., V2Tone, ..., Extras).
It carries no text: the article's entities come from V2Persons,
V2Organizations and V2Locations, and its title from ``<PAGE_TITLE>`` in the
extras or, failing that, from the URL's last path segment.

>>> title_from_url("https://x.co.uk/news/23627957.hunt-for-suspects-after-shooting/")
'Hunt for suspects after shooting'
>>> located_entities("1#Lithuania#LH#LH##55#24#LH#10;4#Vilnius, Vilniaus Apskritis, Lithuania#LH#LH57##54.6#25.3#-2#44")
[('Lithuania', 'GPE', 1), ('Vilnius', 'GPE', 1)]
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO, Iterator
from urllib.parse import unquote, urlsplit

from newsgraph.engine.errors import InputError
from newsgraph.engine.ingest.files import DAMAGED, numbered_lines, open_binary
from newsgraph.engine.ingest.validate import Located, article_from_fields
from newsgraph.engine.nlp.canonical import canonical_entity

COLUMNS = (
    "GKGRECORDID", "DATE", "SourceCollectionIdentifier", "SourceCommonName", "DocumentIdentifier",
    "Counts", "V2Counts", "Themes", "V2Themes", "Locations", "V2Locations", "Persons", "V2Persons",
    "Organizations", "V2Organizations", "V2Tone", "Dates", "GCAM", "SharingImage", "RelatedImages",
    "SocialImageEmbeds", "SocialVideoEmbeds", "Quotations", "AllNames", "Amounts", "TranslationInfo", "Extras",
)
_COL = {name: i for i, name in enumerate(COLUMNS)}
_WEB = "1"  # SourceCollectionIdentifier of web articles; others have no URL in DocumentIdentifier
_TONE_FIELDS = ("tone", "positive", "negative", "polarity", "activity_density", "self_group_density", "word_count")
_PAGE_TITLE = re.compile(r"<PAGE_TITLE>(.*?)</PAGE_TITLE>", re.DOTALL)
_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$")
_ZIP_MAGIC = b"PK\x03\x04"
# GKG location types: 1 country, 2 US state, 3 US city, 4 world city, 5 world state (ADM1);
# all are places with a government, spaCy's GPE
_GPE_TYPES = frozenset("12345")
_SLUG_NOISE = re.compile(r"^\d+[.\-_]|\.(s?html?|php|aspx?|cms)$|[-_.]\d{4,}$", re.IGNORECASE)


def open_gkg(path: str | Path) -> BinaryIO:
    """The GKG file's bytes: the one data member of a ``.zip``, else plain or gzip."""
    f = open_binary(path)
    try:
        head = f.peek(4)[:4]
    except DAMAGED:
        # gzip damaged at its very start: numbered_lines reports it at line 1 as a bad record
        return f
    if head != _ZIP_MAGIC:
        return f
    f.close()
    try:
        archive = zipfile.ZipFile(path)
        members = [m for m in archive.infolist() if not m.is_dir() and not m.filename.startswith("__MACOSX/")]
    except zipfile.BadZipFile as e:
        raise InputError(f"not a readable zip file: {e}", source=str(path)) from e
    try:
        if len(members) != 1:
            raise InputError(f"expected one GKG file in the zip, found {len(members)}", source=str(path))
        # the member keeps the file open until it is closed itself
        return io.BufferedReader(archive.open(members[0]))  # type: ignore[arg-type]
    finally:
        archive.close()


def read_gkg(path: str | Path) -> Iterator[Located | InputError]:
    """Valid articles (with given entities) as :class:`Located`, bad records as :class:`InputError`.

    Streams record by record; memory stays flat whatever the file size. A
    file that cannot be opened (a broken zip, a zip of several files) raises
    :class:`InputError` now, before iteration.
    """
    return _records(open_gkg(path), str(path))


def _records(f: BinaryIO, source: str) -> Iterator[Located | InputError]:
    with f:
        for line_no, raw in numbered_lines(f, source):
            if isinstance(raw, InputError):
                yield raw
                return
            if not raw.strip():
                continue
            try:
                yield record_to_located(raw, source, line_no)
            except InputError as e:
                yield e


def record_to_located(raw: bytes, source: str, line: int) -> Located:
    """One GKG record (a line's bytes) as a :class:`Located` article; raises :class:`InputError`."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"not UTF-8 (byte {e.start})", source=source, line=line) from None
    cells = text.rstrip("\r\n").split("\t")
    if len(cells) != len(COLUMNS):
        raise InputError(f"{len(cells)} tab-separated columns where GKG 2.1 has {len(COLUMNS)}",
                         source=source, line=line)
    cell = {name: cells[i].strip() for name, i in _COL.items()}
    record_id, document = cell["GKGRECORDID"], cell["DocumentIdentifier"]
    if not record_id:
        raise InputError("missing GKGRECORDID", source=source, line=line)
    match = _DATE.match(cell["DATE"])
    if not match:
        raise InputError(f"DATE {cell['DATE']!r} is not YYYYMMDDHHMMSS", source=source, line=line)
    y, mo, d, h, mi, s = match.groups()
    web = cell["SourceCollectionIdentifier"] == _WEB
    if web and not document:
        raise InputError("missing DocumentIdentifier (the article's URL)", source=source, line=line)
    title, title_source = page_title(cell["Extras"]), "page_title"
    if not title and web:
        title, title_source = title_from_url(document), "url"
    fields = {
        # web records are keyed by their URL, so the same article read from a feed is the same node
        "id": None if web else record_id,
        "url": document if web else None,
        "title": title or f"GKG record {record_id}",
        "published_at": f"{y}-{mo}-{d}T{h}:{mi}:{s}Z",
        "outlet": cell["SourceCommonName"] if web and cell["SourceCommonName"] else None,
        "outlet_name": None if web else cell["SourceCommonName"] or None,
        "language": _source_language(cell["TranslationInfo"]),
        "gkg_id": record_id,
        "gkg_title_source": title_source if title else "record_id",
        "gkg_themes": themes(cell["V2Themes"]),
        "gkg_tone": tone(cell["V2Tone"]),
    }
    if not web:
        fields["gkg_document"] = document
    article = article_from_fields(fields, source=source, line=line)
    words = fields["gkg_tone"].get("word_count")
    if isinstance(words, int):
        article = replace(article, word_count=words)
    entities = (
        named_entities(cell["V2Persons"], "PERSON")
        + named_entities(cell["V2Organizations"], "ORG")
        + located_entities(cell["V2Locations"])
    )
    return Located(article, source, line, entities=tuple(entities))


def page_title(extras: str) -> str | None:
    """The ``<PAGE_TITLE>`` of a record's extras, HTML entities decoded.

    >>> page_title("<PAGE_LINKS>x</PAGE_LINKS><PAGE_TITLE>Baltimore &#x2013; 2 dead</PAGE_TITLE>")
    'Baltimore – 2 dead'
    """
    match = _PAGE_TITLE.search(extras)
    if not match:
        return None
    return " ".join(html.unescape(match.group(1)).split()) or None


def title_from_url(url: str) -> str | None:
    """A readable title from the URL's last meaningful path segment, or ``None``."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    for segment in reversed(segments):
        words = _SLUG_NOISE.sub("", unquote(segment))
        words = " ".join(re.split(r"[-_+.]+", words)).strip()
        if sum(ch.isalpha() for ch in words) >= 8 and " " in words:
            return words[0].upper() + words[1:]
    return None


def _offsets_names(field: str) -> Iterator[str]:
    for item in field.split(";"):
        name, _, _ = item.rpartition(",")
        name = name.strip()
        if name:
            yield name


def named_entities(field: str, label: str) -> list[tuple[str, str, int]]:
    """``Name,offset;...`` (V2Persons, V2Organizations) as ``(name, label, count)``, first seen first.

    >>> named_entities("Joe Biden,10;Vladimir Putin,55;Joe Biden,200", "PERSON")
    [('Joe Biden', 'PERSON', 2), ('Vladimir Putin', 'PERSON', 1)]
    """
    counts = Counter(_offsets_names(field))
    return [(name, label, n) for name, n in counts.items()]


def located_entities(field: str) -> list[tuple[str, str, int]]:
    """V2Locations (``type#full name#country#adm1#adm2#lat#long#feature#offset;...``) as entities.

    A country keeps its name; a state or city is named by the first part of
    its full name ("Kansas, United States" -> "Kansas").

    >>> located_entities("1#Americans#US#US##39.8#-98.6#US#1505;2#Kansas, United States#US#USKS##38.5#-96.8#KS#9")
    [('United States', 'GPE', 1), ('Kansas', 'GPE', 1)]
    """
    counts: Counter[tuple[str, str]] = Counter()
    for item in field.split(";"):
        parts = item.split("#")
        if len(parts) < 2 or not parts[1].strip():
            continue
        kind, full = parts[0].strip(), parts[1].strip()
        name = _country_name(full) if kind == "1" else full.split(",")[0].strip()
        counts[(name, "GPE" if kind in _GPE_TYPES else "LOC")] += 1
    return [(name, label, n) for (name, label), n in counts.items()]


def _country_name(name: str) -> str:
    # GKG sometimes names a country by the word the text used ("Americans" for the United States)
    as_people = canonical_entity(name, "NORP")
    return as_people.name if as_people is not None and as_people.type == "GPE" else name


def themes(field: str) -> list[str]:
    """V2Themes (``THEME,offset;...``) as distinct theme names, first seen first.

    >>> themes("KILL,10;WOUND,3;KILL,99")
    ['KILL', 'WOUND']
    """
    return list(dict.fromkeys(_offsets_names(field)))


def tone(field: str) -> dict[str, float | int]:
    """V1.5 tone (``tone,positive,negative,polarity,activity,self-group,word count``) by name.

    >>> tone("-4.9,2.6,7.5,10.1,26.1,1.3,279")["word_count"]
    279
    """
    out: dict[str, float | int] = {}
    for name, value in zip(_TONE_FIELDS, field.split(",")):
        try:
            out[name] = int(value) if name == "word_count" else float(value)
        except ValueError:
            continue
    return out


def _source_language(translation: str) -> str | None:
    # translated records say "srclc:fra;eng:..."; GDELT's English stream leaves the field empty
    for part in translation.split(";"):
        key, _, value = part.partition(":")
        if key.strip() == "srclc" and value.strip():
            return value.strip()
    return None
