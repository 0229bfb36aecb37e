"""Colours and shapes that carry meaning in the views, and the legends that say what.

>>> BIAS_COLOURS["left"], bias_colour(None) == BIAS_COLOURS["unrated"]
('#1f4e9c', True)
"""

from __future__ import annotations

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
