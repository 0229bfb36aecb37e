"""The one table that maps each rater's labels onto newsgraph's rating scales.

newsgraph's scales are those of ``engine.models``: a 5-point bias scale plus
``unrated`` (bias_score in [-2, 2]), Media Bias/Fact Check's 6-point
factuality scale plus ``unrated``, and a short ownership enum. Every rater's
spelling is listed here, once; readers look labels up with :func:`bias_label`,
:func:`factuality_label` and :func:`ownership_label`, and ``docs/ratings.md``
embeds :func:`scales_markdown` (a test keeps the two equal).

Labels are compared after :func:`label_key`: case-folded, with ``-``, ``_``
and runs of spaces made one space, so ``Lean Left``, ``lean-left`` and
``lean_left`` are the same label.

>>> bias_label("allsides", "Lean Right")
<Bias.LEAN_RIGHT: 'lean_right'>
>>> bias_label("mbfc", "extreme-left")
<Bias.LEFT: 'left'>
>>> factuality_label("mbfc", "Mostly Factual")
<Factuality.MOSTLY_FACTUAL: 'mostly_factual'>
>>> adfontes_bias(-12.0)
(<Bias.LEAN_LEFT: 'lean_left'>, -1.0)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsgraph.engine.models import Bias, Factuality, Ownership

__all__ = [
    "ADFONTES_BIAS_BANDS",
    "BiasBand",
    "ReliabilityBand",
    "ADFONTES_RELIABILITY_BANDS",
    "BIAS_LABELS",
    "FACTUALITY_LABELS",
    "OWNERSHIP_LABELS",
    "adfontes_bias",
    "adfontes_factuality",
    "bias_label",
    "factuality_label",
    "label_key",
    "ownership_label",
    "scales_markdown",
]


def label_key(label: str) -> str:
    """A rater's label in the form the tables are keyed by.

    >>> label_key("  Left-Center ")
    'left center'
    >>> label_key("very_high")
    'very high'
    """
    return re.sub(r"[\s_\-]+", " ", label.strip().casefold()).strip()


# -- bias ------------------------------------------------------------------
# (scheme, rater's label, newsgraph value, note). "csv" is the generic CSV: it
# also accepts every AllSides and MBFC spelling (see _scheme_labels).
BIAS_LABELS: tuple[tuple[str, str, Bias, str], ...] = (
    ("allsides", "left", Bias.LEFT, ""),
    ("allsides", "lean left", Bias.LEAN_LEFT, "2023 site spelling"),
    ("allsides", "left-center", Bias.LEAN_LEFT, "2019 spelling"),
    ("allsides", "center", Bias.CENTER, ""),
    ("allsides", "lean right", Bias.LEAN_RIGHT, "2023 site spelling"),
    ("allsides", "right-center", Bias.LEAN_RIGHT, "2019 spelling"),
    ("allsides", "right", Bias.RIGHT, ""),
    ("allsides", "mixed", Bias.UNRATED, "AllSides gives no single position"),
    ("allsides", "allsides", Bias.UNRATED, "2019: AllSides' own products, not a bias"),
    ("mbfc", "extreme-left", Bias.LEFT, "MBFC's extreme is folded into the end of the 5-point scale"),
    ("mbfc", "far-left", Bias.LEFT, "synonym of extreme-left"),
    ("mbfc", "left", Bias.LEFT, "also the 3-class (ACL 2020) left, which holds MBFC left and extreme-left"),
    ("mbfc", "left-center", Bias.LEAN_LEFT, ""),
    ("mbfc", "center", Bias.CENTER, "also the 3-class center"),
    ("mbfc", "least biased", Bias.CENTER, "MBFC site spelling of center"),
    ("mbfc", "right-center", Bias.LEAN_RIGHT, ""),
    ("mbfc", "right", Bias.RIGHT, "also the 3-class (ACL 2020) right, which holds MBFC right and extreme-right"),
    ("mbfc", "far-right", Bias.RIGHT, "synonym of extreme-right"),
    ("mbfc", "extreme-right", Bias.RIGHT, "MBFC's extreme is folded into the end of the 5-point scale"),
    ("csv", "left", Bias.LEFT, "newsgraph's own values"),
    ("csv", "lean_left", Bias.LEAN_LEFT, ""),
    ("csv", "center", Bias.CENTER, ""),
    ("csv", "lean_right", Bias.LEAN_RIGHT, ""),
    ("csv", "right", Bias.RIGHT, ""),
    ("csv", "unrated", Bias.UNRATED, "an empty cell is unrated too"),
)

# -- factuality ------------------------------------------------------------
FACTUALITY_LABELS: tuple[tuple[str, str, Factuality, str], ...] = (
    ("mbfc", "very high", Factuality.VERY_HIGH, ""),
    ("mbfc", "high", Factuality.HIGH, "also the Baly et al. 3-class high"),
    ("mbfc", "mostly factual", Factuality.MOSTLY_FACTUAL, ""),
    ("mbfc", "mixed", Factuality.MIXED, "also the Baly et al. 3-class mixed"),
    ("mbfc", "low", Factuality.LOW, "also the Baly et al. 3-class low"),
    ("mbfc", "very low", Factuality.VERY_LOW, ""),
    ("csv", "very_high", Factuality.VERY_HIGH, "newsgraph's own values"),
    ("csv", "high", Factuality.HIGH, ""),
    ("csv", "mostly_factual", Factuality.MOSTLY_FACTUAL, ""),
    ("csv", "mixed", Factuality.MIXED, ""),
    ("csv", "low", Factuality.LOW, ""),
    ("csv", "very_low", Factuality.VERY_LOW, ""),
    ("csv", "unrated", Factuality.UNRATED, "an empty cell is unrated too"),
)

# -- ownership (generic CSV only) --------------------------------------------
OWNERSHIP_LABELS: tuple[tuple[str, Ownership], ...] = (
    ("independent", Ownership.INDEPENDENT),
    ("corporation", Ownership.CORPORATION),
    ("corporate", Ownership.CORPORATION),
    ("public company", Ownership.CORPORATION),
    ("media conglomerate", Ownership.MEDIA_CONGLOMERATE),
    ("conglomerate", Ownership.MEDIA_CONGLOMERATE),
    ("private equity", Ownership.PRIVATE_EQUITY),
    ("hedge fund", Ownership.PRIVATE_EQUITY),
    ("government", Ownership.GOVERNMENT),
    ("state", Ownership.GOVERNMENT),
    ("state owned", Ownership.GOVERNMENT),
    ("billionaire", Ownership.BILLIONAIRE),
    ("nonprofit", Ownership.NONPROFIT),
    ("non profit", Ownership.NONPROFIT),
    ("not for profit", Ownership.NONPROFIT),
    ("other", Ownership.OTHER),
    ("unknown", Ownership.UNKNOWN),
)


# -- Ad Fontes (numeric) -----------------------------------------------------
@dataclass(frozen=True)
class BiasBand:
    """Ad Fontes bias with ``|bias| <= upto`` (and above the previous band) maps to ``left``/``right``."""

    upto: float
    name: str
    left: Bias
    right: Bias


@dataclass(frozen=True)
class ReliabilityBand:
    """Ad Fontes reliability ``>= at_least`` (and below the previous band) maps to ``value``."""

    at_least: float
    name: str
    value: Factuality


# Ad Fontes Media's own chart bands on its bias axis (-42..42, left negative):
# "Middle or Balanced" within 6, "Skews" to 18, "Hyper-Partisan" to 30, "Most
# Extreme" beyond. The two outer bands both fold into left/right, "Skews" is lean.
ADFONTES_BIAS_BANDS: tuple[BiasBand, ...] = (
    BiasBand(6.0, "Middle or Balanced Bias", Bias.CENTER, Bias.CENTER),
    BiasBand(18.0, "Skews Left / Skews Right", Bias.LEAN_LEFT, Bias.LEAN_RIGHT),
    BiasBand(30.0, "Hyper-Partisan Left / Right", Bias.LEFT, Bias.RIGHT),
    BiasBand(42.0, "Most Extreme Left / Right", Bias.LEFT, Bias.RIGHT),
)

# Ad Fontes' reliability axis (0..64) comes in 8-point chart bands; newsgraph's
# six factuality steps take two bands each at the ends and one in the middle.
ADFONTES_RELIABILITY_BANDS: tuple[ReliabilityBand, ...] = (
    ReliabilityBand(48.0, "Original Fact Reporting / Fact Reporting", Factuality.VERY_HIGH),
    ReliabilityBand(40.0, "Mix of Fact Reporting and Analysis", Factuality.HIGH),
    ReliabilityBand(32.0, "Analysis, or High Variation in Reliability", Factuality.MOSTLY_FACTUAL),
    ReliabilityBand(24.0, "Opinion, Fair Persuasion, or Wide Variation in Reliability", Factuality.MIXED),
    ReliabilityBand(16.0, "Selective or Incomplete Story, Unfair Persuasion, Propaganda", Factuality.LOW),
    ReliabilityBand(0.0, "Inaccurate or Fabricated Information", Factuality.VERY_LOW),
)

# Knots of the piecewise-linear map from |Ad Fontes bias| to |bias_score|.
# The band edges 6 and 18 land on 0.5 and 1.5, halfway between two scale
# points, so the score and the band label tell the same story.
_ADFONTES_SCORE_KNOTS = ((0.0, 0.0), (6.0, 0.5), (18.0, 1.5), (42.0, 2.0))


def adfontes_bias(value: float) -> tuple[Bias, float]:
    """Ad Fontes bias (-42..42) as a 5-point label and a bias_score in [-2, 2].

    Raises ``ValueError`` outside -42..42.

    >>> adfontes_bias(4.0)
    (<Bias.CENTER: 'center'>, 0.333)
    >>> adfontes_bias(-27.27)
    (<Bias.LEFT: 'left'>, -1.693)
    """
    if not -42.0 <= value <= 42.0:
        raise ValueError(f"Ad Fontes bias {value} is outside -42..42")
    magnitude = abs(value)
    band = next(b for b in ADFONTES_BIAS_BANDS if magnitude <= b.upto)
    for (x0, y0), (x1, y1) in zip(_ADFONTES_SCORE_KNOTS, _ADFONTES_SCORE_KNOTS[1:]):
        if magnitude <= x1:
            score = y0 + (magnitude - x0) * (y1 - y0) / (x1 - x0)
            break
    return (band.left, round(-score, 3)) if value < 0 else (band.right, round(score, 3))


def adfontes_factuality(value: float) -> Factuality:
    """Ad Fontes reliability (0..64) on newsgraph's factuality scale.

    Raises ``ValueError`` outside 0..64.

    >>> adfontes_factuality(46.64)
    <Factuality.HIGH: 'high'>
    >>> adfontes_factuality(48.0)
    <Factuality.VERY_HIGH: 'very_high'>
    """
    if not 0.0 <= value <= 64.0:
        raise ValueError(f"Ad Fontes reliability {value} is outside 0..64")
    return next(b.value for b in ADFONTES_RELIABILITY_BANDS if value >= b.at_least)


# -- lookups -----------------------------------------------------------------
def _scheme_labels(table, scheme: str) -> dict:
    own = {label_key(label): value for s, label, value, _ in table if s == scheme}
    if scheme != "csv":
        return own
    # The generic CSV takes newsgraph's values and every rater's spelling.
    merged = {label_key(label): value for _, label, value, _ in table}
    merged.update(own)
    return merged


_BIAS = {s: _scheme_labels(BIAS_LABELS, s) for s in ("allsides", "mbfc", "csv")}
_FACT = {s: _scheme_labels(FACTUALITY_LABELS, s) for s in ("mbfc", "csv")}
_OWNERSHIP = {label_key(label): value for label, value in OWNERSHIP_LABELS}


def bias_label(scheme: str, label: str) -> Bias:
    """A rater's bias label on the 5-point scale; ``KeyError`` if the label is unknown.

    >>> bias_label("csv", "Left-Center")
    <Bias.LEAN_LEFT: 'lean_left'>
    """
    return _BIAS[scheme][label_key(label)]


def factuality_label(scheme: str, label: str) -> Factuality:
    """A rater's factuality label on newsgraph's scale; ``KeyError`` if unknown.

    >>> factuality_label("csv", "very high")
    <Factuality.VERY_HIGH: 'very_high'>
    """
    return _FACT[scheme][label_key(label)]


def ownership_label(label: str) -> Ownership:
    """Ownership text (generic CSV) as an :class:`Ownership`; ``KeyError`` if unknown.

    >>> ownership_label("Media Conglomerate")
    <Ownership.MEDIA_CONGLOMERATE: 'media_conglomerate'>
    """
    return _OWNERSHIP[label_key(label)]


# -- documentation -----------------------------------------------------------
def scales_markdown() -> str:
    """The mapping tables as Markdown; ``docs/ratings.md`` embeds exactly this text.

    >>> "| allsides | `Lean Left` |" in scales_markdown()
    False
    >>> "| allsides | `lean left` | `lean_left` |" in scales_markdown()
    True
    """
    lines = ["### Bias labels", "", "| rater | label | newsgraph bias | note |", "|---|---|---|---|"]
    lines += [f"| {s} | `{label}` | `{v.value}` | {note} |" for s, label, v, note in BIAS_LABELS]
    lines += ["", "A rater that gives only a label gets `bias_score` = that point's score "
              "(left -2, lean_left -1, center 0, lean_right 1, right 2).", ""]
    lines += ["### Factuality labels", "", "| rater | label | newsgraph factuality | note |", "|---|---|---|---|"]
    lines += [f"| {s} | `{label}` | `{v.value}` | {note} |" for s, label, v, note in FACTUALITY_LABELS]
    lines += ["", "### Ad Fontes bias (-42..42; bands are Ad Fontes Media's own chart bands)", "",
              "| Ad Fontes band | \\|bias\\| | left of 0 | right of 0 |", "|---|---|---|---|"]
    low = 0.0
    for b in ADFONTES_BIAS_BANDS:
        lines.append(f"| {b.name} | {_span(low, b.upto)} | `{b.left.value}` | `{b.right.value}` |")
        low = b.upto
    knots = ", ".join(f"{x:g} -> {y:g}" for x, y in _ADFONTES_SCORE_KNOTS)
    lines += ["", f"`bias_score` is piecewise linear in \\|bias\\| through {knots} (sign kept), "
              "so a band edge falls halfway between two scale points.", ""]
    lines += ["### Ad Fontes reliability (0..64)", "", "| Ad Fontes band | reliability | newsgraph factuality |",
              "|---|---|---|"]
    high = 64.0
    for r in ADFONTES_RELIABILITY_BANDS:
        lines.append(f"| {r.name} | {r.at_least:g} <= r {'<=' if high == 64.0 else '<'} {high:g} | `{r.value.value}` |")
        high = r.at_least
    lines += ["", "### Ownership (generic CSV)", "", "| text | newsgraph ownership |", "|---|---|"]
    lines += [f"| `{label}` | `{v.value}` |" for label, v in OWNERSHIP_LABELS]
    return "\n".join(lines) + "\n"


def _span(low: float, high: float) -> str:
    return f"0 <= \\|b\\| <= {high:g}" if low == 0 else f"{low:g} < \\|b\\| <= {high:g}"
