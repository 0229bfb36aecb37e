"""The alias table: many surface names, one canonical entity.

Three sources, later ones winning on a clash:

1. countries from ``pycountry`` (short, common and official names; ISO 3166
   alpha-3 codes, and alpha-2 codes written in capitals), plus the
   demonyms of ``engine/data/demonyms.csv`` ("Finnish" -> Finland) and the
   short forms of ``engine/data/place_aliases.csv`` ("U.S.");
2. ``engine/data/entity_aliases.csv``, shipped with newsgraph: treaties,
   organisations, people and places ("Mine Ban Treaty" -> Ottawa Convention);
3. the user's own file, named by ``NEWSGRAPH_ENTITY_ALIASES`` (CSV or YAML,
   see :func:`read_alias_file`).

An alias fixes the canonical name and type whatever label NER gave the mention,
since NER labels one treaty ``LAW`` in one sentence and ``ORG`` in the next.

>>> table = default_aliases()
>>> table.lookup("Mine Ban Treaty", "ORG")
Canonical(name='Ottawa Convention', type='LAW')
>>> table.lookup("Republic of Finland", "GPE")
Canonical(name='Finland', type='GPE')
>>> table.lookup("Lithuanian", "NORP")
Canonical(name='Lithuania', type='GPE')
>>> table.lookup("LTU", "GPE"), table.lookup("Jordan", "PERSON")
(Canonical(name='Lithuania', type='GPE'), None)
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

from newsgraph.engine.errors import ConfigError

# labels under which a country's name or demonym is taken for the country; a
# PERSON called "Jordan" or "Georgia" is a person
PLACE_LABELS = frozenset({"GPE", "LOC", "NORP", "ORG", "FAC"})
_DEMONYM_LABELS = frozenset({"NORP", "GPE", "LOC"})


@dataclass(frozen=True)
class Canonical:
    """The canonical name and type (spaCy label) an alias stands for."""

    name: str
    type: str


def alias_key(text: str) -> str:
    """Lookup key of a name: case-folded, dots and a leading "the" dropped, spaces single.

    >>> alias_key("The  U.S.")
    'us'
    """
    key = " ".join(text.casefold().replace(".", "").split())
    return key[4:] if key.startswith("the ") else key


class AliasTable:
    """Name -> :class:`Canonical` lookups, with countries and demonyms kept apart from the rest.

    Build it with :func:`default_aliases`, or empty and :meth:`add` rows.
    """

    def __init__(self) -> None:
        self._names: dict[str, Canonical] = {}
        self._countries: dict[str, str] = {}
        self._codes: dict[str, str] = {}
        self._demonyms: dict[str, str] = {}

    def add(self, alias: str, canonical: str, type: str) -> None:
        """Make ``alias`` (and ``canonical`` itself) stand for ``canonical`` of ``type``."""
        target = Canonical(canonical.strip(), type.strip().upper())
        for name in (alias, canonical):
            if name and name.strip():
                self._names[alias_key(name)] = target

    def add_country(self, name: str, canonical: str) -> None:
        self._countries[alias_key(name)] = canonical

    def add_code(self, code: str, canonical: str) -> None:
        self._codes[code] = canonical

    def add_demonym(self, demonym: str, canonical: str) -> None:
        self._demonyms[alias_key(demonym)] = canonical

    def is_demonym(self, word: str) -> bool:
        """Whether ``word`` is a nationality adjective ("Lithuanian", "Finns")."""
        key = alias_key(word)
        return key in self._demonyms or (key.endswith("s") and key[:-1] in self._demonyms)

    def is_place(self, name: str) -> bool:
        """Whether ``name`` names a country, or a place in the table (whatever NER's label)."""
        key = alias_key(name)
        entry = self._names.get(key)
        return key in self._countries or key in self._demonyms or (entry is not None and entry.type == "GPE")

    def lookup(self, name: str, label: str) -> Canonical | None:
        """What ``name``, labelled ``label`` by NER, stands for; ``None`` when the table does not know it."""
        key = alias_key(name)
        entry = self._names.get(key)
        if entry is not None:
            if entry.type == "GPE" and label == "PERSON":
                return None
            return entry
        if label in PLACE_LABELS and key in self._countries:
            return Canonical(self._countries[key], "GPE")
        if label in {"GPE", "LOC"} and name.isupper() and name in self._codes:
            return Canonical(self._codes[name], "GPE")
        if label in _DEMONYM_LABELS:
            for k in (key, key[:-1] if key.endswith("s") else key):  # "Finns", "Lithuanians"
                if k in self._demonyms:
                    return Canonical(self._demonyms[k], "GPE")
        return None


def _packaged_rows(name: str) -> list[dict[str, str]]:
    with resources.files("newsgraph.engine").joinpath("data", name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def read_alias_file(path: str | Path) -> Iterator[tuple[str, str, str]]:
    """``(alias, canonical, type)`` rows of a user alias file.

    CSV: columns ``alias``, ``canonical``, ``type`` (the spaCy label of the
    canonical entity: ``LAW``, ``ORG``, ``PERSON``, ``GPE``...). YAML
    (``.yaml``/``.yml``): a list of ``{name, type, aliases: [...]}``.

    Raises :class:`~engine.errors.ConfigError` naming the file when it cannot be read.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"cannot read entity alias file {p}: {e.strerror}") from e
    if p.suffix.lower() in {".yaml", ".yml"}:
        import yaml

        try:
            items = yaml.safe_load(text) or []
        except yaml.YAMLError as e:
            raise ConfigError(f"entity alias file {p} is not valid YAML: {e}") from e
        if not isinstance(items, list):
            raise ConfigError(f"entity alias file {p}: expected a list of {{name, type, aliases}}")
        for i, item in enumerate(items, 1):
            if not isinstance(item, dict) or not item.get("name") or not item.get("type"):
                raise ConfigError(f"entity alias file {p}: entry {i} needs a name and a type")
            yield str(item["name"]), str(item["name"]), str(item["type"])
            for alias in item.get("aliases") or []:
                yield str(alias), str(item["name"]), str(item["type"])
        return
    rows = csv.DictReader(text.splitlines())
    if not {"alias", "canonical", "type"} <= set(rows.fieldnames or ()):
        raise ConfigError(f"entity alias file {p}: expected the columns alias, canonical, type")
    for line, row in enumerate(rows, 2):
        if not (row["alias"] or "").strip() or not (row["canonical"] or "").strip() or not (row["type"] or "").strip():
            raise ConfigError(f"entity alias file {p}, line {line}: alias, canonical and type are all needed")
        yield row["alias"], row["canonical"], row["type"]


def _country_entries(table: AliasTable, renames: dict[str, str]) -> None:
    import pycountry

    for c in pycountry.countries:
        short = getattr(c, "common_name", None) or c.name
        canonical = renames.get(alias_key(short), renames.get(alias_key(c.name), short))
        for name in (c.name, short, getattr(c, "official_name", None), canonical):
            if name:
                table.add_country(name, canonical)
        table.add_code(c.alpha_3, canonical)
        table.add_code(c.alpha_2, canonical)


def build_aliases(extra: Iterable[tuple[str, str, str]] = ()) -> AliasTable:
    """The shipped table (countries, demonyms, ``entity_aliases.csv``) plus ``extra`` rows."""
    table = AliasTable()
    shipped = [(r["alias"], r["canonical"], r["type"]) for r in _packaged_rows("entity_aliases.csv")]
    # shipped GPE rows rename pycountry's names too ("Russian Federation" -> Russia)
    renames = {alias_key(a): c for a, c, t in shipped if t == "GPE"}
    _country_entries(table, renames)
    for row in _packaged_rows("place_aliases.csv"):
        table.add_country(row["alias"], renames.get(alias_key(row["country"]), row["country"]))
    for row in _packaged_rows("demonyms.csv"):
        table.add_demonym(row["demonym"], renames.get(alias_key(row["country"]), row["country"]))
    for alias, canonical, type_ in [*shipped, *extra]:
        table.add(alias, canonical, type_)
    return table


@lru_cache(maxsize=4)
def default_aliases(user_file: str | None = None) -> AliasTable:
    """The shipped table, extended by ``user_file`` (CSV or YAML) when given; built once per file."""
    return build_aliases(read_alias_file(user_file) if user_file else ())
