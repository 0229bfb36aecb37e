"""Gaps, lead-lag, timeline and raters on coverage built in code."""

from datetime import datetime, timedelta, timezone

import pytest

from newsgraph.engine.analysis import gaps, lead_lag, raters, timeline
from newsgraph.engine.errors import NotFound
from newsgraph.engine.models import Outlet
from newsgraph.engine.store.base import ArticleRow, CoverageRow

T = datetime(2025, 4, 1, 8, tzinfo=timezone.utc)
BIAS = {"cnn.com": "left", "nytimes.com": "lean_left", "reuters.com": "center", "foxnews.com": "right"}


def cov(story, outlet, hours):
    return CoverageRow(story, f"title {story}", outlet, BIAS.get(outlet, "unrated"), None,
                       T + timedelta(hours=hours), 1)


ROWS = [
    cov("s1", "cnn.com", 0), cov("s1", "nytimes.com", 1), cov("s1", "reuters.com", 3), cov("s1", "foxnews.com", 5),
    cov("s2", "foxnews.com", 0), cov("s2", "reuters.com", 2), cov("s2", "cnn.com", 4),
    cov("s3", "cnn.com", 0), cov("s3", "nytimes.com", 0), cov("s3", "reuters.com", 0),
    cov("s4", "cnn.com", 1), cov("s4", "foxnews.com", 1),
]


def test_gaps_lists_missed_stories_by_leaning():
    g = gaps(ROWS, "foxnews.com")
    assert g.covered == 3 and g.eligible == 3
    assert [(x.story_id, x.sources, x.leaning) for x in g.stories] == [("s3", 3, "left")]
    assert g.by_leaning == {"left": 1, "center": 0, "right": 0, "none": 0}
    assert gaps(ROWS, "foxnews.com", min_sources=4).stories == ()
    with pytest.raises(NotFound):
        gaps(ROWS, "nobody.com")


def test_lead_lag_counts_leads_lags_and_first_reporters():
    r = lead_lag(ROWS)
    G = r.graph
    # cnn before fox in s1 (5 h), fox before cnn in s2 (4 h); s4 at the same time: no lead
    assert G["cnn.com"]["foxnews.com"]["weight"] == 1 and G["foxnews.com"]["cnn.com"]["weight"] == 1
    assert G["cnn.com"]["foxnews.com"]["median_lag_hours"] == 5.0
    assert G["cnn.com"]["reuters.com"]["median_lag_hours"] == 3.0
    pair = next(p for p in r.pairs if {p["leader"], p["follower"]} == {"cnn.com", "reuters.com"})
    assert (pair["shared_stories"], pair["leads"], pair["lags"]) == (3, 1, 1)
    # s3 and s4 were published all at once: nobody counts as first there
    assert {f["outlet"]: f["stories_first"] for f in r.first_reporters} == {"cnn.com": 1, "foxnews.com": 1}
    assert r.first_by_side == {"left": 1, "center": 0, "right": 1, "unrated": 0}
    # left before right: cnn and nytimes before fox in s1; right before left: fox before cnn in s2
    assert r.leads_by_side["left"]["right"] == 2 and r.leads_by_side["right"]["left"] == 1


def test_timeline_counts_articles_per_day_and_side():
    rows = [ArticleRow(f"a{i}", "s1" if i < 3 else "s2", o, BIAS[o], T + timedelta(days=d))
            for i, (o, d) in enumerate([("cnn.com", 0), ("foxnews.com", 0), ("reuters.com", 2), ("cnn.com", 1)])]
    t = timeline(rows)
    assert [(d["day"], d["left"], d["center"], d["right"]) for d in t.days] == [
        ("2025-04-01", 1, 0, 1), ("2025-04-02", 1, 0, 0), ("2025-04-03", 0, 1, 0)]
    assert t.totals["total"] == 4
    assert [d["day"] for d in timeline(rows, story="s1").days] == ["2025-04-01", "2025-04-02", "2025-04-03"]
    assert timeline(rows, story="s1").totals["total"] == 3


def test_raters_flag_stories_whose_majority_side_flips():
    outlets = [
        Outlet("cnn.com", ratings={"allsides": {"bias": "left"}, "mbfc": {"bias": "lean_left"}}),
        Outlet("nytimes.com", ratings={"allsides": {"bias": "lean_left"}, "mbfc": {"bias": "center"}}),
        Outlet("reuters.com", ratings={"allsides": {"bias": "center"}, "mbfc": {"bias": "center"}}),
        Outlet("foxnews.com", ratings={"allsides": {"bias": "right"}}),
    ]
    r = raters(ROWS, outlets)
    assert r.raters == ("allsides", "mbfc") and r.rated_outlets == {"allsides": 4, "mbfc": 3}
    # s1: allsides left 2 of 4, mbfc center 2 of 3; s3: left 2 of 3 vs center 2 of 3; s2, s4: ties
    assert [f["story_id"] for f in r.flips] == ["s1", "s3"]
    s3 = r.flips[1]
    assert s3["majority"] == {"allsides": "left", "mbfc": "center"}
    assert s3["by_rater"]["mbfc"]["counts"] == {"left": 1, "center": 2, "right": 0}
