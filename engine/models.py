"""Plain dataclasses and rating scales shared by the whole engine.

The rating scales are those of DESIGN.md: a 5-point bias scale (the one
AllSides and Ground News use) with a three-way rollup, Media Bias/Fact Check's
factuality scale with a three-way rollup, and a short ownership enum.

>>> Bias.LEAN_LEFT.side, side_of("lean_right"), side_of(None)
('left', 'right', 'unrated')
>>> Bias.LEAN_RIGHT.score
1
>>> Factuality.MOSTLY_FACTUAL.rollup
'high'
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any


class Bias(str, enum.Enum):
    """Political bias on the 5-point scale, plus ``unrated``."""

    LEFT = "left"
    LEAN_LEFT = "lean_left"
    CENTER = "center"
    LEAN_RIGHT = "lean_right"
    RIGHT = "right"
    UNRATED = "unrated"

    @property
    def score(self) -> int | None:
        """Numeric position in [-2, 2]; ``None`` when unrated."""
        return _BIAS_SCORES.get(self)

    @property
    def side(self) -> str:
        """Three-way rollup: ``left``, ``center``, ``right`` or ``unrated`` (see :func:`side_of`)."""
        return side_of(self)

    @classmethod
    def from_score(cls, score: float) -> "Bias":
        """The nearest point of the scale to a score in [-2, 2].

        >>> Bias.from_score(-1.4)
        <Bias.LEAN_LEFT: 'lean_left'>
        """
        nearest = min(_BIAS_SCORES.items(), key=lambda kv: abs(kv[1] - score))
        return nearest[0]


_BIAS_SCORES = {Bias.LEFT: -2, Bias.LEAN_LEFT: -1, Bias.CENTER: 0, Bias.LEAN_RIGHT: 1, Bias.RIGHT: 2}
SIDES = ("left", "center", "right")
"The rated sides of the three-way rollup."
UNRATED_SIDE = "unrated"
"The side of everything off the 5-point scale: ``unrated``, no rating, an unknown value."

# keyed by the values: a Bias is a str equal to its value, so one lookup serves both (and runs once per row)
_SIDE_OF: dict[str | None, str] = {
    Bias.LEFT.value: "left",
    Bias.LEAN_LEFT.value: "left",
    Bias.CENTER.value: "center",
    Bias.LEAN_RIGHT.value: "right",
    Bias.RIGHT.value: "right",
}


def side_of(bias: str | None) -> str:
    """The three-way side of a bias (a :class:`Bias` or its value): ``left``, ``center``, ``right`` or ``unrated``.

    Anything off the 5-point scale is ``unrated``: the ``unrated`` value, ``None`` (a missing rating) and values
    newsgraph does not know. Counts over rated sources keep the sides in :data:`SIDES`.

    >>> side_of("lean_left"), side_of(Bias.RIGHT), side_of("unrated"), side_of(None), side_of("far_left")
    ('left', 'right', 'unrated', 'unrated', 'unrated')
    """
    return _SIDE_OF.get(bias, UNRATED_SIDE)


SIDE_BIASES: dict[str, tuple[str, ...]] = {
    side: tuple(b.value for b in Bias if side_of(b) == side) for side in SIDES
}
"The 5-point bias values of each rated side, e.g. ``SIDE_BIASES['left'] == ('left', 'lean_left')``."


class Factuality(str, enum.Enum):
    """Factual reporting on Media Bias/Fact Check's scale, plus ``unrated``."""

    VERY_HIGH = "very_high"
    HIGH = "high"
    MOSTLY_FACTUAL = "mostly_factual"
    MIXED = "mixed"
    LOW = "low"
    VERY_LOW = "very_low"
    UNRATED = "unrated"

    @property
    def rollup(self) -> str | None:
        """Three-way rollup: ``high``, ``mixed``, ``low`` or ``None``."""
        return _FACT_ROLLUP.get(self)


_FACT_ROLLUP = {
    Factuality.VERY_HIGH: "high",
    Factuality.HIGH: "high",
    Factuality.MOSTLY_FACTUAL: "high",
    Factuality.MIXED: "mixed",
    Factuality.LOW: "low",
    Factuality.VERY_LOW: "low",
}


class Ownership(str, enum.Enum):
    """Who owns an outlet, in a few classes."""

    INDEPENDENT = "independent"
    CORPORATION = "corporation"
    MEDIA_CONGLOMERATE = "media_conglomerate"
    PRIVATE_EQUITY = "private_equity"
    GOVERNMENT = "government"
    BILLIONAIRE = "billionaire"
    NONPROFIT = "nonprofit"
    OTHER = "other"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Rating:
    """What one rater says about one outlet, already on newsgraph's scales.

    ``outlet_id`` is the registrable domain when the rater's data names one;
    otherwise it is ``None`` and ``name`` is resolved against known outlets.
    """

    rater: str
    name: str
    outlet_id: str | None = None
    bias: Bias = Bias.UNRATED
    bias_score: float | None = None
    factuality: Factuality = Factuality.UNRATED
    ownership: Ownership | None = None
    country: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outlet:
    """A publisher, keyed by its registrable domain (``nytimes.com``).

    ``ratings`` keeps each rater's own verdict (rater name -> fields), so
    several raters coexist; ``bias``/``factuality`` are the effective values
    and ``rating_source`` names the rater they come from.
    """

    id: str
    name: str | None = None
    bias: Bias = Bias.UNRATED
    bias_score: float | None = None
    factuality: Factuality = Factuality.UNRATED
    ownership: Ownership = Ownership.UNKNOWN
    country: str | None = None
    rating_source: str | None = None
    aliases: tuple[str, ...] = ()
    ratings: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The outlet as plain JSON-ready values, in field order.

        >>> Outlet("apnews.com", "AP News", bias=Bias.CENTER, aliases=("AP",)).to_dict()["bias"]
        'center'
        """
        return {
            "id": self.id,
            "name": self.name,
            "bias": self.bias.value,
            "bias_score": self.bias_score,
            "factuality": self.factuality.value,
            "ownership": self.ownership.value,
            "country": self.country,
            "rating_source": self.rating_source,
            "aliases": list(self.aliases),
            # copies: the caller may change the dict, not the frozen outlet
            "ratings": {rater: dict(verdict) for rater, verdict in self.ratings.items()},
        }


DAY = timedelta(days=1)


def published_interval(when: datetime) -> tuple[datetime, datetime]:
    """The instants a publication time may stand for: one instant, or a whole day for a day-only date.

    A date without a time (``2010-07-02``) is read as midnight UTC, and many
    feeds pad a bare date with exactly that time, so a time of exactly
    00:00:00 UTC is taken to be a day: the interval is that UTC day. A true
    midnight timestamp loses at most a day of precision; reading every bare
    date as an instant would put it up to a day away from its real time.
    Naive times are taken as UTC.

    >>> lo, hi = published_interval(datetime(2010, 7, 2, tzinfo=timezone.utc))
    >>> lo.isoformat(), hi.isoformat()
    ('2010-07-02T00:00:00+00:00', '2010-07-03T00:00:00+00:00')
    >>> lo, hi = published_interval(datetime(2010, 7, 2, 9, 30, tzinfo=timezone.utc))
    >>> lo == hi
    True
    """
    utc = when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)
    if (utc.hour, utc.minute, utc.second, utc.microsecond) == (0, 0, 0, 0):
        return utc, utc + DAY
    return utc, utc


@dataclass(frozen=True)
class Article:
    """One news article, keyed by a stable id (given, or a hash of the canonical URL).

    ``published_precision`` says whether ``published_at`` is an instant
    (``"time"``) or a day-only date (``"day"``, see :func:`published_interval`).
    """

    id: str
    url: str | None
    title: str
    published_at: datetime
    outlet_id: str | None = None
    outlet_name: str | None = None
    lead: str | None = None
    text: str | None = None
    language: str | None = None
    word_count: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def published_precision(self) -> str:
        lo, hi = published_interval(self.published_at)
        return "day" if hi > lo else "time"


@dataclass(frozen=True)
class Entity:
    """A canonical named entity, keyed ``type:slug`` (``gpe:finland``)."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """An article mentioning an entity ``count`` times (``in_title`` if in its title)."""

    article_id: str
    entity_id: str
    count: int = 1
    in_title: bool = False


@dataclass(frozen=True)
class Story:
    """One news event; many articles are ``PART_OF`` it."""

    id: str
    title: str
    first_published: datetime
    last_published: datetime
    article_count: int = 0
    source_count: int = 0


@dataclass(frozen=True)
class Assignment:
    """An article placed in a story, with the similarity that placed it there."""

    article_id: str
    story_id: str
    similarity: float
