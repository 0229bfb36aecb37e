"""Outlet ratings: raters' files read onto newsgraph's scales, resolved to outlets, merged.

>>> from newsgraph.engine.ratings import read_ratings, import_ratings, OutletResolver, merge_rating
"""

from newsgraph.engine.ratings.merge import ImportResult, import_ratings, merge_rating, rating_fields
from newsgraph.engine.ratings.readers import SCHEMES, link_kind, read_ratings
from newsgraph.engine.ratings.resolve import (
    OutletResolver,
    load_aliases,
    name_facet,
    normalise_domain,
    normalise_name,
    split_name,
)
from newsgraph.engine.ratings.scales import scales_markdown

__all__ = [
    "SCHEMES",
    "ImportResult",
    "OutletResolver",
    "import_ratings",
    "link_kind",
    "load_aliases",
    "merge_rating",
    "name_facet",
    "normalise_domain",
    "normalise_name",
    "rating_fields",
    "read_ratings",
    "scales_markdown",
    "split_name",
]
