"""One answer to "which side is this bias on", wherever a side is counted or shown."""

import re
from datetime import datetime, timezone
from pathlib import Path

import newsgraph.api

from newsgraph.engine.analysis import blindspots, story_card
from newsgraph.engine.models import SIDE_BIASES, UNRATED_SIDE, Bias, side_of
from newsgraph.engine.store.base import CoverageRow
from newsgraph.engine.views.palette import BIAS_COLOURS, SIDE_COLOURS

T = datetime(2025, 4, 1, tzinfo=timezone.utc)


def test_every_bias_has_one_side_and_the_table_agrees():
    assert {b: b.side for b in Bias} == {b: side_of(b.value) for b in Bias}
    assert Bias.UNRATED.side == side_of(None) == side_of("far_left") == UNRATED_SIDE
    assert sorted(v for biases in SIDE_BIASES.values() for v in biases) == sorted(
        b.value for b in Bias if b is not Bias.UNRATED)
    assert all(side_of(v) == side for side, biases in SIDE_BIASES.items() for v in biases)


def test_the_story_card_and_the_blindspots_count_the_same_rated_sources():
    biases = ["left", "lean_left", "center", "lean_right", "right", "unrated", "unrated"]
    outlets = [f"o{i}.com" for i in range(len(biases))]
    articles = [dict(id=o, title="t", url=None, published_at=T, outlet_id=o, outlet_name=o, bias=b,
                     factuality="high", ownership="unknown", similarity=1.0) for o, b in zip(outlets, biases)]
    card = story_card({"story": {"id": "s1", "title": "t"}, "articles": articles, "entities": []})
    [balance] = blindspots([CoverageRow("s1", "t", o, b, None, T, 1) for o, b in zip(outlets, biases)]).stories
    assert card.side_counts == balance.side_counts == {"left": 2, "center": 1, "right": 2}
    assert (card.rated_sources, card.unrated_sources) == (balance.rated_sources, balance.sources - 5) == (5, 2)


def test_the_web_pages_draw_sides_in_the_palette_colours():
    css = (Path(newsgraph.api.__file__).parent / "static" / "newsgraph.css").read_text(encoding="utf-8")
    assert dict(re.findall(r"--(left|center|right|unrated): (#[0-9a-f]{6})", css)) == SIDE_COLOURS
    assert SIDE_COLOURS["left"] == BIAS_COLOURS["left"] and SIDE_COLOURS[UNRATED_SIDE] == BIAS_COLOURS["unrated"]
