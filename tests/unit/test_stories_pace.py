"""Story clustering in a quiet stream: days in which little else was published weigh less against the same
event (real AllSides roundups), while a busy stream keeps the time curve as it is."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timedelta, timezone
from importlib import resources

import pytest

from newsgraph.engine.errors import ConfigError
from newsgraph.engine.stories import StoryCandidate, StoryClusterer
from newsgraph.engine.stories.clusterer import time_decay


def roundups() -> list[dict]:
    raw = resources.files("newsgraph.engine").joinpath("data", "demo", "roundups.jsonl.gz").read_bytes()
    return [json.loads(line) for line in gzip.decompress(raw).decode("utf-8").splitlines()]


def candidate(row: dict, when: datetime) -> StoryCandidate:
    return StoryCandidate(row["url"], row["title"], row["lead"], when, (), row["outlet"], row["text"])


def two_events_over_six_days(clusterer: StoryClusterer) -> tuple[set[str], set[str]]:
    """Story ids of two coronavirus roundups' reports, one report a day (day-only dates), alternating.

    The travel rules (the US to require vaccination of foreign travellers) and the vaccine doses (the US to
    share 60 million doses abroad): the same actors and words (US, vaccine, Covid), two events, two days
    between one event's reports, nothing else in the stream.
    """
    rows = roundups()
    travel = [r for r in rows if r["roundup_id"] == "5614"]
    doses = [r for r in rows if r["roundup_id"] == "6100"]
    assert len(travel) == len(doses) == 3
    start = datetime(2021, 8, 5, tzinfo=timezone.utc)
    out = {}
    for day, row in enumerate(r for pair in zip(travel, doses) for r in pair):
        out[row["url"]] = clusterer.assign([candidate(row, start + timedelta(days=day))])[0].story_id
    return {out[r["url"]] for r in travel}, {out[r["url"]] for r in doses}


def test_in_a_quiet_stream_each_event_reported_over_five_days_is_one_story_of_its_own():
    travel, doses = two_events_over_six_days(StoryClusterer())
    assert len(travel) == 1 and len(doses) == 1
    assert travel != doses
    # with the time curve of a busy stream, a report two days after the previous one of its event splits off
    travel, doses = two_events_over_six_days(StoryClusterer(busy_rate=0))
    assert len(travel) > 1 or len(doses) > 1


def test_a_busy_stream_keeps_the_time_curve_as_it_is():
    # the roundups as published: about eight articles a day, above the busy rate from the second day on
    rows = sorted(roundups(), key=lambda r: r["published_at"])[:600]
    batch = [candidate(r, datetime.fromisoformat(r["published_at"].replace("Z", "+00:00"))) for r in rows]
    default = StoryClusterer().assign(batch)
    busy_off = StoryClusterer(busy_rate=0).assign(batch)
    assert default == busy_off
    # a busy rate no feed reaches makes the same stream quiet, and stories change
    assert StoryClusterer(busy_rate=1_000).assign(batch) != default


def test_the_pace_weakens_only_the_slow_part_of_the_time_term():
    hour, day = timedelta(hours=1), timedelta(days=1)
    assert time_decay(day, pace=1.0) == time_decay(day)
    shares = [time_decay(2 * day, pace=p) for p in (1.0, 0.5, 0.25, 0.0)]
    assert shares == sorted(shares) and shares[-1] == 1.0
    # within the news cycle the fast part still decides: a weak match must come within hours
    assert time_decay(hour, pace=0.5) == time_decay(hour)


def test_a_negative_busy_rate_is_refused():
    with pytest.raises(ConfigError, match="busy rate"):
        StoryClusterer(busy_rate=-1)
