"""Outlet resolution: which outlet (registrable domain) a rater's row is about.

A rating that names a domain is about that domain. A rating that names only an
outlet ("New York Times (News)", "CNN (Online News)") is looked up by its
normalised name, first among the known outlets' names and aliases, then in the
built-in alias table ``engine/data/outlet_aliases.csv``.

>>> from newsgraph.engine.models import Outlet, Rating
>>> r = OutletResolver([Outlet("reuters.com", name="Reuters")])
>>> r.resolve(Rating("allsides", "Reuters"))
'reuters.com'
>>> r.resolve(Rating("allsides", "New York Times (News)"))
'nytimes.com'
>>> r.resolve(Rating("mbfc", "x", outlet_id="https://www.cnn.com/world"))
'cnn.com'
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from importlib import resources
from typing import Iterable

from newsgraph.engine.models import Outlet, Rating

__all__ = ["OutletResolver", "load_aliases", "name_facet", "normalise_domain", "normalise_name", "split_name"]

# Qualifiers raters append to a name ("CNN (Online News)", "The Week - Opinion"),
# by what they say about the row. Opinion sections and people are rated apart
# from the outlet's news desk, so the importer keeps them off the outlet.
_FACETS = {
    "news": "news", "online news": "news", "online": "news", "web news": "news", "web": "news",
    "opinion": "opinion", "opinions": "opinion", "editorial": "opinion", "opinion editorial": "opinion",
    "cartoonist": "person", "author": "person", "columnist": "person", "youtuber": "person",
}
_PAREN_TAIL = re.compile(r"\s*\(([^()]*)\)\s*$")
_DASH_TAIL = re.compile(r"\s+-\s+([^-]+)$")


def split_name(name: str) -> tuple[str, str | None]:
    """A rater's name split into the outlet part and a trailing qualifier.

    A parenthesised tail is always a qualifier; a `` - X`` tail only when X
    is a known facet (News, Opinion, Editorial), since "The Center Square -
    Texas" names an edition, not a facet.

    >>> split_name("CNN (Online News)")
    ('CNN', 'Online News')
    >>> split_name("Wall Street Journal - Editorial")
    ('Wall Street Journal', 'Editorial')
    >>> split_name("Falls Church News - Press")
    ('Falls Church News - Press', None)
    """
    name = name.strip()
    m = _PAREN_TAIL.search(name)
    if m and m.start() > 0:
        return name[: m.start()].strip(), m.group(1).strip()
    m = _DASH_TAIL.search(name)
    if m and _facet_key(m.group(1)) in _FACETS:
        return name[: m.start()].strip(), m.group(1).strip()
    return name, None


def _facet_key(text: str) -> str:
    return re.sub(r"[^a-z]+", " ", text.casefold()).strip()


def name_facet(name: str) -> str | None:
    """What a name's qualifier says the row rates: ``news``, ``opinion``, ``person`` or ``None``.

    >>> name_facet("New York Times (Opinion)"), name_facet("Ted Rall (cartoonist)"), name_facet("Reuters")
    ('opinion', 'person', None)
    """
    qualifier = split_name(name)[1]
    return _FACETS.get(_facet_key(qualifier)) if qualifier else None


def normalise_name(name: str) -> str:
    """A name in the form names are compared in.

    Case-folded, accents and punctuation dropped, ``&`` read as ``and``, a
    leading "The" dropped. Qualifiers are not removed here (see
    :func:`split_name`).

    >>> normalise_name("The Wall Street Journal")
    'wall street journal'
    >>> normalise_name("Le Monde")
    'le monde'
    >>> normalise_name("AT&T's  Café!")
    'at and ts cafe'
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("&", " and ").replace("'", "").replace("\u2019", "")
    text = re.sub(r"[^0-9a-z]+", " ", text).strip()
    return re.sub(r"^the\s+", "", text)


@functools.lru_cache(maxsize=1)
def _extractor():
    import tldextract

    # Offline: the public-suffix snapshot bundled with tldextract, no fetch, no cache dir.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def normalise_domain(value: str) -> str | None:
    """The registrable domain of a domain, host or URL; ``None`` if it has none.

    >>> normalise_domain("http://www.nytimes.com/section/opinion")
    'nytimes.com'
    >>> normalise_domain("BBC.co.uk")
    'bbc.co.uk'
    >>> normalise_domain("not a domain") is None
    True
    """
    value = value.strip()
    if not value or " " in value:
        return None
    parts = _extractor()(value.lower())
    if not parts.domain or not parts.suffix:
        return None
    return f"{parts.domain}.{parts.suffix}"


def _looks_like_domain(text: str) -> bool:
    return bool(re.fullmatch(r"[\w.-]+\.[a-z]{2,}", text.strip().lower()))


@functools.lru_cache(maxsize=1)
def load_aliases() -> dict[str, str]:
    """The built-in alias table: normalised outlet name -> registrable domain.

    >>> load_aliases()["new york times"]
    'nytimes.com'
    """
    text = resources.files("newsgraph.engine").joinpath("data", "outlet_aliases.csv").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(text)):
        domain = normalise_domain(row["domain"])
        if domain:
            table[normalise_name(row["name"])] = domain
    return table


class OutletResolver:
    """Finds the outlet id a rating is about, among known outlets and built-in aliases.

    Parameters
    ----------
    known : iterable of Outlet
        Outlets already in the store; their names and aliases are looked up
        before the built-in table. A name that two known outlets share is
        ambiguous and resolves through neither.
    use_builtin_aliases : bool
        Also look names up in ``engine/data/outlet_aliases.csv``.

    Examples
    --------
    >>> from newsgraph.engine.models import Outlet, Rating
    >>> r = OutletResolver([Outlet("bbc.co.uk", name="BBC", aliases=("BBC News",))])
    >>> r.resolve(Rating("adfontes", "BBC News"))
    'bbc.co.uk'
    >>> r.resolve(Rating("allsides", "Dennis Prager")) is None
    True
    """

    def __init__(self, known: Iterable[Outlet], *, use_builtin_aliases: bool = True):
        names: dict[str, str | None] = {}
        for outlet in known:
            for name in (outlet.name, *outlet.aliases):
                if not name:
                    continue
                for key in {normalise_name(name), normalise_name(split_name(name)[0])}:
                    if key:
                        # Two outlets answering to one name: resolve neither, rather than guess.
                        names[key] = outlet.id if names.get(key, outlet.id) == outlet.id else None
        self._known = names
        self._builtin = load_aliases() if use_builtin_aliases else {}

    def resolve(self, rating: Rating) -> str | None:
        """The outlet id of ``rating``: its domain if it has one, else its name's outlet."""
        if rating.outlet_id:
            return normalise_domain(rating.outlet_id)
        return self.resolve_name(rating.name)

    def resolve_name(self, name: str) -> str | None:
        """The outlet id a name stands for, or ``None``.

        The whole name is tried first, then the name without its qualifier;
        a qualifier that is itself a domain ("Bergen Record (northjersey.com)")
        or a name that is a domain ("Vox.com") gives that domain.
        """
        base, qualifier = split_name(name)
        for candidate in (name, base):
            if _looks_like_domain(candidate):
                return normalise_domain(candidate)
        if qualifier and _looks_like_domain(qualifier):
            return normalise_domain(qualifier)
        for key in dict.fromkeys((normalise_name(name), normalise_name(base))):
            if not key:
                continue
            if key in self._known:
                return self._known[key]
            if key in self._builtin:
                return self._builtin[key]
        return None
