"""Merging raters' verdicts onto outlets, and the ratings import built on it.

Each rater's verdict is kept on ``Outlet.ratings[rater]``; the outlet's
effective ``bias``/``bias_score`` and ``factuality`` come from the most
preferred rater that rates them (bias and factuality chosen separately), and
``rating_source`` names that rater, or ``"<bias rater>+<factuality rater>"``
when they differ. Raters missing from the preference order come after it, in
name order.

>>> from newsgraph.engine.models import Bias, Factuality, Rating
>>> o = merge_rating(None, "cnn.com", Rating("mbfc", "cnn.com", "cnn.com", Bias.LEFT, -2, Factuality.MIXED),
...                  ["allsides", "mbfc"])
>>> o = merge_rating(o, "cnn.com", Rating("allsides", "CNN (Online News)", None, Bias.LEAN_LEFT, -1),
...                  ["allsides", "mbfc"])
>>> o.bias.value, o.factuality.value, o.rating_source, o.name
('lean_left', 'mixed', 'allsides+mbfc', 'CNN')
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Sequence

from newsgraph.engine.errors import InputError
from newsgraph.engine.models import Bias, Factuality, Outlet, Rating
from newsgraph.engine.ratings.resolve import OutletResolver, name_facet, split_name

__all__ = ["ImportResult", "import_ratings", "merge_rating", "rating_fields"]


def rating_fields(rating: Rating) -> dict[str, Any]:
    """What ``Outlet.ratings[rater]`` keeps of a rating: plain, JSON-serialisable values.

    >>> rating_fields(Rating("allsides", "Reuters", bias=Bias.CENTER, bias_score=0, raw={"bias_label": "Center"}))
    {'name': 'Reuters', 'bias': 'center', 'bias_score': 0, 'factuality': 'unrated', 'bias_label': 'Center'}
    """
    out: dict[str, Any] = {
        "name": rating.name,
        "bias": rating.bias.value,
        "bias_score": rating.bias_score,
        "factuality": rating.factuality.value,
    }
    if rating.ownership is not None:
        out["ownership"] = rating.ownership.value
    if rating.country:
        out["country"] = rating.country
    # The rater's own words, for people checking a mapping; never the file line,
    # so the same verdict read from another file stores the same thing.
    for key in ("bias_label", "factuality_label", "adfontes_bias", "adfontes_reliability", "news_link"):
        value = rating.raw.get(key)
        if value not in (None, ""):
            out[key] = value
    return out


def _order(raters: Iterable[str], preference: Sequence[str]) -> list[str]:
    rank = {r: i for i, r in enumerate(preference)}
    return sorted(raters, key=lambda r: (rank.get(r, len(rank)), r))


def merge_rating(existing: Outlet | None, outlet_id: str, rating: Rating, preference: Sequence[str]) -> Outlet:
    """The outlet with ``rating`` merged in: stored under its rater, effective values recomputed.

    Parameters
    ----------
    existing : Outlet or None
        The outlet as stored, or ``None`` to create it.
    outlet_id : str
        The outlet's id (registrable domain), as resolved for ``rating``.
    rating : Rating
        The verdict to store; it replaces the same rater's earlier verdict.
    preference : sequence of str
        Raters, most trusted first (``Settings.rating_order``).

    Returns
    -------
    Outlet
        A new outlet. Merging the same rating twice gives an equal outlet.

    Notes
    -----
    The name is kept if the outlet has one (a name that is just its id does
    not count), else the rating's name (without a news qualifier); a rater's other spellings of the name
    are added to ``aliases``, so later imports resolve them. Ownership and
    country are taken from the rating when it gives them. When no rater rates
    bias (or factuality), the outlet keeps the value it had.

    Examples
    --------
    >>> r = Rating("adfontes", "Reuters", bias=Bias.CENTER, bias_score=-0.1, factuality=Factuality.VERY_HIGH)
    >>> o = merge_rating(None, "reuters.com", r, ["allsides", "adfontes"])
    >>> o == merge_rating(o, "reuters.com", r, ["allsides", "adfontes"])
    True
    >>> o.ratings["adfontes"]["factuality"], o.rating_source
    ('very_high', 'adfontes')
    """
    base = existing if existing is not None else Outlet(outlet_id)
    ratings = {**base.ratings, rating.rater: rating_fields(rating)}
    order = _order(ratings, preference)
    bias_rater = next((r for r in order if ratings[r].get("bias", "unrated") != Bias.UNRATED.value), None)
    fact_rater = next((r for r in order if ratings[r].get("factuality", "unrated") != Factuality.UNRATED.value), None)

    bias, bias_score = base.bias, base.bias_score
    if bias_rater is not None:
        bias = Bias(ratings[bias_rater]["bias"])
        bias_score = ratings[bias_rater].get("bias_score")
        if bias_score is None:
            bias_score = bias.score
    factuality = Factuality(ratings[fact_rater]["factuality"]) if fact_rater else base.factuality

    if bias_rater and fact_rater and bias_rater != fact_rater:
        source = f"{bias_rater}+{fact_rater}"
    else:
        source = bias_rater or fact_rater or base.rating_source

    # "CNN (Online News)" names CNN's news desk; the outlet is plain "CNN".
    given = split_name(rating.name)[0] if name_facet(rating.name) == "news" else rating.name
    name = base.name if base.name and base.name != outlet_id else given
    aliases = set(base.aliases)
    if rating.name not in (name, outlet_id):
        aliases.add(rating.name)
    return replace(
        base,
        id=outlet_id,
        name=name,
        bias=bias,
        bias_score=bias_score,
        factuality=factuality,
        ownership=rating.ownership if rating.ownership is not None else base.ownership,
        country=rating.country or base.country,
        rating_source=source,
        aliases=tuple(sorted(aliases - {name})),
        ratings=ratings,
    )


@dataclass(frozen=True)
class ImportResult:
    """What a ratings import changed and what it could not place.

    Attributes
    ----------
    outlets : list of Outlet
        Outlets to upsert: new ones and changed ones (unchanged ones are left out).
    matched : int
        Ratings applied to an outlet.
    unmatched : list of str
        Names of ratings with no domain and a name no outlet answers to.
    errors : list of InputError
        Bad rows, with file and line.
    skipped : list of str
        Ratings deliberately kept off outlets, each ``"name: why"``: people
        (authors, columnists, cartoonists), opinion sections, and a rater's
        second verdict on an outlet it already rated in this import.
    """

    outlets: list[Outlet]
    matched: int
    unmatched: list[str]
    errors: list[InputError]
    skipped: list[str] = field(default_factory=list)


# Which of a rater's verdicts on one outlet wins: an explicit news desk over an
# unqualified name, then a name that itself resolves to the outlet, then a
# rater-given domain over a name match, then the earlier row.
_FACET_RANK = {"news": 0, None: 1}


def import_ratings(
    ratings: Iterable[Rating | InputError], known: Iterable[Outlet], preference: Sequence[str]
) -> ImportResult:
    """Resolve ratings to outlets and merge them in; a pure function, the caller stores the result.

    Parameters
    ----------
    ratings : iterable of Rating or InputError
        What :func:`~engine.ratings.readers.read_ratings` yields.
    known : iterable of Outlet
        The outlets in the store.
    preference : sequence of str
        Raters, most trusted first.

    Returns
    -------
    ImportResult

    Notes
    -----
    A rating with a domain creates its outlet if it is unknown. A rating with
    only a name is placed through :class:`OutletResolver`; if the name
    resolves nowhere it is reported in ``unmatched`` and not stored. Rows the
    rater marks as people and names qualified as opinion ("(Opinion)",
    "- Editorial") are reported in ``skipped``: an outlet's rating is its
    news desk's. When one rater rates an outlet more than once, one verdict
    wins whatever the row order (see ``_FACET_RANK``) and the rest are skipped.

    Examples
    --------
    >>> from newsgraph.engine.models import Bias, Rating
    >>> rows = [Rating("allsides", "New York Times (Opinion)", bias=Bias.LEFT),
    ...         Rating("allsides", "New York Times (News)", bias=Bias.LEAN_LEFT),
    ...         Rating("allsides", "Dennis Prager", bias=Bias.RIGHT)]
    >>> result = import_ratings(rows, [], ["allsides"])
    >>> [(o.id, o.bias.value) for o in result.outlets], result.unmatched
    ([('nytimes.com', 'lean_left')], ['Dennis Prager'])
    >>> result.skipped
    ['New York Times (Opinion): opinion section']
    """
    known = list(known)
    by_id = {o.id: o for o in known}
    resolver = OutletResolver(known)
    errors: list[InputError] = []
    unmatched: list[str] = []
    skipped: list[str] = []
    best: dict[tuple[str, str], tuple[tuple[int, ...], Rating]] = {}

    for position, item in enumerate(ratings):
        if isinstance(item, InputError):
            errors.append(item)
            continue
        facet = name_facet(item.name)
        if item.raw.get("kind") == "person" or facet == "person":
            skipped.append(f"{item.name}: a person, not an outlet")
            continue
        if facet == "opinion":
            skipped.append(f"{item.name}: opinion section")
            continue
        outlet_id = resolver.resolve(item)
        if outlet_id is None:
            unmatched.append(item.name)
            continue
        rank = (
            _FACET_RANK.get(facet, 1),
            0 if resolver.resolve_name(item.name) == outlet_id else 1,  # "Our.News" over its author
            0 if item.outlet_id else 1,
            position,
        )
        key = (outlet_id, item.rater)
        if key in best:
            loser, winner = sorted([best[key], (rank, item)], key=lambda pair: pair[0], reverse=True)
            skipped.append(f"{loser[1].name}: {item.rater} also rates {outlet_id} as {winner[1].name!r}")
            best[key] = winner
        else:
            best[key] = (rank, item)

    updated: dict[str, Outlet] = {}
    for (outlet_id, _), (_, rating) in sorted(best.items(), key=lambda kv: kv[1][0][-1]):
        current = updated.get(outlet_id, by_id.get(outlet_id))
        updated[outlet_id] = merge_rating(current, outlet_id, rating, preference)
    changed = [o for oid, o in updated.items() if by_id.get(oid) != o]
    return ImportResult(changed, len(best), unmatched, errors, skipped)
