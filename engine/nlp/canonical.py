"""Canonicalisation of entity mentions into stable ``type:slug`` ids.

Possessives, a leading "the", case and whitespace are normalised; titles and
roles are stripped ("Deputy Defence Minister Karolis Aleksa" is Karolis
Aleksa, "Chair of Finland's" is Finland) and a mention made of nothing but
titles names no one; then the alias table (:mod:`engine.nlp.aliases`) maps
countries, their codes and demonyms, treaties, organisations and people onto
one canonical name and type, so "Finnish" and "Finland" are one node, and so
are "Mine Ban Treaty" and "the Ottawa Convention".

Within a story, a surname alone joins the full name already seen
(:func:`surname_joins`): "Aleksa" -> "Karolis Aleksa".

>>> canonical_entity("Finnish", "NORP")
Entity(id='gpe:finland', name='Finland', type='GPE', aliases=())
>>> canonical_entity("the Ottawa Convention", "ORG").id
'law:ottawa-convention'
>>> canonical_entity("Russia’s", "GPE").id
'gpe:russia'
>>> canonical_entity("the U.S.", "GPE").id
'gpe:united-states'
>>> canonical_entity("Lithuanian Deputy Defence Minister Karolis Aleksa", "PERSON").id
'person:karolis-aleksa'
>>> canonical_entity("Chair of Finland's", "ORG").id
'gpe:finland'
>>> canonical_entity("Lithuanian Deputy Defence", "WORK_OF_ART") is None
True
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache
from typing import Callable, Iterable, Mapping

from newsgraph.engine.models import Entity, Mention
from newsgraph.engine.nlp.aliases import AliasTable, alias_key, default_aliases

# spaCy labels that name things; numbers, dates and amounts are not entities here
ENTITY_TYPES = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)

# Words that make a role: a mention that starts with them names the holder
# (stripped), and a mention made only of them and their modifiers names no one.
ROLE_HEADS = frozenset(
    """
    president minister secretary senator sen rep representative congressman congresswoman gov governor chair
    chairman chairwoman chairperson speaker leader judge justice attorney general gen col colonel capt captain
    adm admiral sgt lt lieutenant king queen prince princess pope chancellor mayor ceo ambassador commissioner
    director spokesperson spokesman spokeswoman mr mrs ms dr prof professor sir dame mp mep lawmaker sheikh
    commander premier envoy deputy vice prime chief head
    """.split()
)
# Words that qualify a role ("Deputy Defence Minister", "Senate Majority Leader")
ROLE_MODIFIERS = frozenset(
    """
    former ex acting interim then first foreign defence defense finance interior health trade education energy
    state homeland security economy economic affairs majority minority house senate parliament parliamentary
    opposition crown supreme top federal national county district us uk eu un of the
    """.split()
)

_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$", re.IGNORECASE)
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")
_SPACES = re.compile(r"\s+")
# "World Health Organization (WHO)", and NER's cut "World Health Organization (WHO"
_PARENTHESIS = re.compile(r"\s*\([^)]*(?:\)|$)")


def clean_surface(text: str) -> str:
    """Surface text without possessive, leading "the", parentheses, edge punctuation or extra spaces.

    >>> clean_surface("  The  New York Times's ")
    'New York Times'
    >>> clean_surface("World Health Organization (WHO"), clean_surface("Islamic State (ISIS) group")
    ('World Health Organization', 'Islamic State group')
    """
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    text = _PARENTHESIS.sub("", text) if "(" in text and not text.startswith("(") else text
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


def _role_word(token: str, aliases: AliasTable) -> bool:
    key = alias_key(token).strip(",")
    return key in ROLE_HEADS or key in ROLE_MODIFIERS or aliases.is_demonym(token)


def strip_titles(name: str, label: str, aliases: AliasTable | None = None) -> str | None:
    """``name`` without leading titles and roles; ``None`` when nothing but titles is left.

    A person's name loses any leading run of role words (with nationality
    adjectives), other names only a leading "role of" ("Chair of Finland's"),
    since "General Motors" is not a general.

    >>> strip_titles("Lithuanian Deputy Defence Minister Karolis Aleksa", "PERSON")
    'Karolis Aleksa'
    >>> strip_titles("President of the European Commission", "ORG")
    'European Commission'
    >>> strip_titles("General Motors", "ORG"), strip_titles("Prime Minister", "PERSON")
    ('General Motors', None)
    """
    aliases = aliases or active_aliases()
    tokens = name.split()
    run = 0
    while run < len(tokens) and _role_word(tokens[run], aliases):
        run += 1
    heads = [i for i in range(run) if alias_key(tokens[i]).strip(",") in ROLE_HEADS]
    if not heads:
        return name
    if run == len(tokens):
        return None
    if label == "PERSON":
        return " ".join(tokens[run:])
    of = [i for i in range(heads[0], run) if alias_key(tokens[i]) == "of"]
    if of:
        cut = of[0] + 1
        while cut < len(tokens) and alias_key(tokens[cut]) == "the":
            cut += 1
        rest = " ".join(tokens[cut:])
        return rest or None
    return name


def active_aliases() -> AliasTable:
    """The alias table in force: the shipped one, extended by ``NEWSGRAPH_ENTITY_ALIASES`` when set."""
    # settings are read again only when the variable changes: this runs once per mention
    return _aliases_for(os.environ.get("NEWSGRAPH_ENTITY_ALIASES", ""))


@lru_cache(maxsize=8)
def _aliases_for(_env_value: str) -> AliasTable:
    from newsgraph.engine.config import get_settings

    return default_aliases(get_settings().entity_aliases or None)


def canonical_entity(text: str, label: str, aliases: AliasTable | None = None) -> Entity | None:
    """The canonical :class:`~engine.models.Entity` for a mention, or ``None`` if it names nothing.

    ``aliases`` defaults to :func:`active_aliases`.
    """
    if label not in ENTITY_TYPES:
        return None
    return _canonical(text, label, aliases or active_aliases())


@lru_cache(maxsize=200_000)
def _canonical(text: str, label: str, aliases: AliasTable) -> Entity | None:
    # news repeats its names: most mentions are answered from this cache
    name = clean_surface(text)
    if name:
        name = strip_titles(name, label, aliases)
        name = clean_surface(name) if name else None
    if not name or not any(ch.isalpha() for ch in name):
        return None
    known = aliases.lookup(name, label)
    if known is not None:
        name, label = known.name, known.type
    slug = slugify(name)
    if not slug:
        return None
    return Entity(id=f"{label.lower()}:{slug}", name=name, type=label)


# types whose one-word mentions may be a person's surname that NER labelled wrongly ("Aleksa" as GPE)
_SURNAME_TYPES = ("person", "norp", "gpe", "org")


def surname_joins(groups: Mapping[str, Iterable[str]], aliases: AliasTable | None = None) -> dict[tuple[str, str], str]:
    """Within each group (a story), one-word mentions that are the surname of one full name seen there.

    ``groups`` maps a group id to the entity ids seen in it. Returns
    ``{(group, short id): full person id}``. A surname shared by two full
    names in the group is left alone, and so is a word that names a place.

    >>> surname_joins({"s1": ["person:karolis-aleksa", "gpe:aleksa", "person:autto", "person:heikki-autto",
    ...                       "gpe:finland"]})
    {('s1', 'gpe:aleksa'): 'person:karolis-aleksa', ('s1', 'person:autto'): 'person:heikki-autto'}
    """
    aliases = aliases or active_aliases()
    out: dict[tuple[str, str], str] = {}
    for group, ids in groups.items():
        ids = set(ids)
        by_surname: dict[str, set[str]] = {}
        for eid in ids:
            kind, _, slug = eid.partition(":")
            if kind == "person" and "-" in slug:
                by_surname.setdefault(slug.rsplit("-", 1)[1], set()).add(eid)
        for eid in sorted(ids):
            kind, _, slug = eid.partition(":")
            if kind not in _SURNAME_TYPES or "-" in slug or slug not in by_surname:
                continue
            if len(by_surname[slug]) != 1 or aliases.is_place(slug):
                continue
            out[(group, eid)] = next(iter(by_surname[slug]))
    return out


def join_surnames(entities: Mapping[str, Entity], mentions: Iterable[Mention], story_of: Mapping[str, str],
                  story_entities: Callable[[str], Iterable[str]]) -> tuple[dict[str, Entity], list[Mention]]:
    """Rewrite mentions of a lone surname to the full name their story holds.

    ``story_of`` maps each article to its story, ``story_entities`` gives the
    entity ids a story already holds from earlier articles. Mentions of one
    article that land on the same entity are added up; entities no mention
    uses any more are left out of the returned ``entities``.
    """
    mentions = list(mentions)
    groups: dict[str, set[str]] = {}
    for m in mentions:
        sid = story_of[m.article_id]
        if sid not in groups:
            groups[sid] = set(story_entities(sid))
        groups[sid].add(m.entity_id)
    joins = surname_joins(groups)
    if not joins:
        return dict(entities), mentions
    merged: dict[tuple[str, str], Mention] = {}
    for m in mentions:
        eid = joins.get((story_of[m.article_id], m.entity_id), m.entity_id)
        prev = merged.get((m.article_id, eid))
        merged[(m.article_id, eid)] = Mention(
            m.article_id, eid, count=m.count + (prev.count if prev else 0),
            in_title=m.in_title or (prev.in_title if prev else False))
    used = {eid for _, eid in merged}
    return {k: e for k, e in entities.items() if k in used}, list(merged.values())
