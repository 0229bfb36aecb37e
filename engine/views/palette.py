"""Colours and shapes that carry meaning in the views, the web pages and the report scripts, and the legends.

The side colours are those of the side's outer bias points, so a bar by side
and a graph by bias read alike (``api/static/newsgraph.css`` uses the same).

>>> BIAS_COLOURS["left"], bias_colour(None) == BIAS_COLOURS["unrated"], SIDE_COLOURS["right"] == BIAS_COLOURS["right"]
('#1f4e9c', True, True)
"""

from __future__ import annotations

from newsgraph.engine.models import SIDES, UNRATED_SIDE

BIAS_COLOURS = {
    "left": "#1f4e9c",
    "lean_left": "#6d9eeb",
    "center": "#8e8e8e",
    "lean_right": "#e8837c",
    "right": "#b3261e",
    "unrated": "#d9d9d9",
}
BIAS_LABELS = {
    "left": "Left",
    "lean_left": "Lean left",
    "center": "Center",
    "lean_right": "Lean right",
    "right": "Right",
    "unrated": "Unrated",
}
SIDE_COLOURS = {side: BIAS_COLOURS[side] for side in (*SIDES, UNRATED_SIDE)}
"Colour of each side of the three-way rollup."
SIDE_LABELS = {side: BIAS_LABELS[side] for side in (*SIDES, UNRATED_SIDE)}
"Label of each side of the three-way rollup."

TYPE_COLOURS = {
    "GPE": "#2e7d32",
    "LOC": "#66bb6a",
    "NORP": "#9ccc65",
    "ORG": "#ef6c00",
    "PERSON": "#6a1b9a",
    "LAW": "#00838f",
    "EVENT": "#c2185b",
    "FAC": "#795548",
    "PRODUCT": "#5d4037",
}
OTHER_TYPE = "#607d8b"
STORY_COLOUR = "#fbc02d"
SHAPES = ("dot", "square", "triangle", "diamond", "star", "triangleDown", "hexagon")


def bias_colour(bias: str | None) -> str:
    """The colour of a 5-point bias value (unrated for anything unknown)."""
    return BIAS_COLOURS.get(bias or "unrated", BIAS_COLOURS["unrated"])


def type_colour(kind: str | None) -> str:
    """The colour of an entity type (spaCy label)."""
    return TYPE_COLOURS.get(kind or "", OTHER_TYPE)


def bias_legend() -> list[tuple[str, str]]:
    """``(colour, label)`` for every bias value."""
    return [(BIAS_COLOURS[b], BIAS_LABELS[b]) for b in BIAS_COLOURS]
