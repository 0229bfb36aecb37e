"""Small presentation helpers shared by the pages and the API: sides, plurals, whole percentages."""

from __future__ import annotations

from engine.models import SIDES, Bias


def side_of(bias: str | None) -> str:
    """``left``/``center``/``right`` of a 5-point bias, else ``unrated``.

    >>> side_of("lean_right"), side_of(None)
    ('right', 'unrated')
    """
    try:
        return Bias(bias or "unrated").side or "unrated"
    except ValueError:
        return "unrated"


def plural(n: int, word: str) -> str:
    """``1 story``, ``2 stories``, ``3 articles``.

    >>> plural(1, "story"), plural(2, "story"), plural(0, "article")
    ('1 story', '2 stories', '0 articles')
    """
    if n == 1:
        return f"{n} {word}"
    return f"{n} {word[:-1]}ies" if word.endswith("y") else f"{n} {word}s"


def percentages(card) -> dict[str, int]:
    """Each side's share of the rated sources, in whole percent (as the API's ``side_shares`` rounds)."""
    return {s: round(100 * card.side_shares[s]) for s in SIDES}
