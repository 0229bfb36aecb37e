"""Blindspots: the rule's four parts, on stories built to sit on either side of each threshold."""

from datetime import datetime, timezone
from math import comb

import pytest

from newsgraph.engine.analysis import blindspots
from newsgraph.engine.errors import NotEnoughData
from newsgraph.engine.store.base import CoverageRow

T = datetime(2025, 4, 1, tzinfo=timezone.utc)


def story(sid: str, left: int, center: int, right: int, unrated: int = 0) -> list[CoverageRow]:
    rows = []
    for bias, n in (("lean_left", left), ("center", center), ("right", right), ("unrated", unrated)):
        rows += [CoverageRow(sid, f"title {sid}", f"{sid}-{bias}-{i}.com", bias, None, T, 1) for i in range(n)]
    return rows


def binom_cdf(k: int, n: int, p: float) -> float:
    return sum(comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k + 1))


LEFT, RATED = 50, 112  # rated coverage over all stories below, and how much of it is left


@pytest.fixture(scope="module")
def result():
    rows = (
        story("one-sided", 1, 1, 10, unrated=3)  # 12 rated: left 8%, gap 75 points, p = 0.009
        + story("share-above", 6, 0, 18)  # 24 rated: left 25% > 20%, though gap and test pass
        + story("too-few", 0, 1, 4)  # 5 rated < 6
        + story("not-significant", 1, 1, 4)  # 6 rated: left 17%, gap 50 points, but p = 0.17
        + story("filler", 42, 23, 0)  # sets the baseline; itself a blindspot for the right
    )
    return blindspots(rows)


def test_one_sided_story_is_a_blindspot_with_every_part_reported(result):
    s = next(s for s in result.stories if s.story_id == "one-sided")
    assert s.is_blindspot and s.weaker_side == "left"
    assert s.sources == 15 and s.rated_sources == 12
    assert s.side_counts == {"left": 1, "center": 1, "right": 10}
    assert s.gap == pytest.approx(0.75)
    assert s.p_value == pytest.approx(binom_cdf(1, 12, LEFT / RATED))
    assert s.checks == {"min_rated_sources": True, "weak_share": True, "gap": True, "significant": True}


def test_stories_near_the_thresholds_are_not_blindspots_and_say_why(result):
    by_id = {s.story_id: s for s in result.stories}
    assert by_id["share-above"].p_value == pytest.approx(binom_cdf(6, 24, LEFT / RATED))
    assert by_id["share-above"].p_value < 0.05
    assert by_id["share-above"].checks == {"min_rated_sources": True, "weak_share": False, "gap": True,
                                          "significant": True}
    assert by_id["too-few"].checks["min_rated_sources"] is False
    assert by_id["not-significant"].p_value == pytest.approx(binom_cdf(1, 6, LEFT / RATED))
    assert by_id["not-significant"].p_value > 0.05
    assert by_id["not-significant"].checks == {"min_rated_sources": True, "weak_share": True, "gap": True,
                                              "significant": False}
    # the feed: blindspots first, largest gap first
    assert [s.story_id for s in result.blindspots] == ["one-sided", "filler"]
    assert result.blindspots[1].weaker_side == "right"
    assert [s.story_id for s in result.stories][:2] == ["one-sided", "filler"]


def test_baseline_is_each_sides_share_of_rated_coverage(result):
    assert result.baseline == pytest.approx({"left": LEFT / RATED, "center": 26 / RATED, "right": 36 / RATED})


def test_a_share_exactly_at_the_threshold_counts():
    rows = story("edge", 4, 0, 16) + story("filler", 40, 30, 0)
    [edge] = [s for s in blindspots(rows).stories if s.story_id == "edge"]
    assert edge.side_shares["left"] == pytest.approx(0.2) and edge.checks["weak_share"]
    assert edge.is_blindspot
    stricter = blindspots(rows, max_weak_share=0.19)
    assert not next(s for s in stricter.stories if s.story_id == "edge").is_blindspot


def test_no_rows_is_a_clear_error():
    with pytest.raises(NotEnoughData, match="no rows"):
        blindspots([])
