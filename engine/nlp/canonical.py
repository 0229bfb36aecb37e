"""First canonicalisation of entity mentions into stable ``type:slug`` ids.

Possessives, a leading "the", case and whitespace are normalised; nationality
adjectives (spaCy's ``NORP``) and common short forms of countries map onto the
country itself, so "Finnish" and "Finland" are one node.

>>> canonical_entity("Finnish", "NORP")
Entity(id='gpe:finland', name='Finland', type='GPE', aliases=())
>>> canonical_entity("the Ottawa Convention", "LAW").id
'law:ottawa-convention'
>>> canonical_entity("Russia’s", "GPE").id
'gpe:russia'
>>> canonical_entity("the U.S.", "GPE").id
'gpe:united-states'
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from importlib import resources

from engine.models import Entity

# spaCy labels that name things; numbers, dates and amounts are not entities here
ENTITY_TYPES = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)

_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$", re.IGNORECASE)
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")
_SPACES = re.compile(r"\s+")


def _lookup_key(text: str) -> str:
    # "U.S." and "US" are one key
    return text.casefold().replace(".", "")


@lru_cache(maxsize=1)
def _country_tables() -> tuple[dict[str, str], dict[str, str]]:
    def load(name: str, key: str) -> dict[str, str]:
        with resources.files("engine").joinpath("data", name).open(encoding="utf-8") as f:
            return {_lookup_key(row[key]): row["country"] for row in csv.DictReader(f)}

    return load("demonyms.csv", "demonym"), load("place_aliases.csv", "alias")


def clean_surface(text: str) -> str:
    """Surface text without possessive, leading "the", edge punctuation or extra spaces.

    >>> clean_surface("  The  New York Times's ")
    'New York Times'
    """
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    text = _POSSESSIVE.sub("", text)
    text = _LEADING_THE.sub("", text)
    return _EDGE_PUNCT.sub("", text).strip()


def slugify(text: str) -> str:
    """Lower-case ASCII-folded slug.

    >>> slugify("Côte d'Ivoire")
    'cote-d-ivoire'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.casefold()).strip("-")


def canonical_entity(text: str, label: str) -> Entity | None:
    """The canonical :class:`~engine.models.Entity` for a mention, or ``None`` if it names nothing."""
    if label not in ENTITY_TYPES:
        return None
    name = clean_surface(text)
    if not name or not any(ch.isalpha() for ch in name):
        return None
    demonyms, places = _country_tables()
    key = _lookup_key(name)
    if label == "NORP" and key.rstrip("s") in demonyms:
        name, label = demonyms[key.rstrip("s")], "GPE"
    elif label in {"GPE", "LOC", "NORP"} and (key in places or key in demonyms):
        name, label = places.get(key) or demonyms[key], "GPE"
    slug = slugify(name)
    if not slug:
        return None
    return Entity(id=f"{label.lower()}:{slug}", name=name, type=label)
