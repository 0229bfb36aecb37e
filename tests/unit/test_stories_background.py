"""Story clustering in a sparse stream: the background term frequencies shipped with newsgraph weigh the words
of an event reported over several days, when the week before holds little else (real AllSides roundups)."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timedelta, timezone
from importlib import resources

import pytest

from newsgraph.engine.stories import StoryCandidate, StoryClusterer
from newsgraph.engine.stories.features import DocumentFrequencies, background_frequencies


def roundup(roundup_id: str) -> list[dict]:
    raw = resources.files("newsgraph.engine").joinpath("data", "demo", "roundups.jsonl.gz").read_bytes()
    rows = [json.loads(line) for line in gzip.decompress(raw).decode("utf-8").splitlines()]
    return [r for r in rows if r["roundup_id"] == roundup_id]


def one_report_a_day(rows: list[dict], clusterer: StoryClusterer) -> set[str]:
    """The story ids of the roundup's reports, published one a day with day-only dates, nothing else around."""
    out = []
    for i, r in enumerate(rows):
        day = datetime(2021, 8, 5, tzinfo=timezone.utc) + timedelta(days=i)
        out += clusterer.assign([StoryCandidate(r["url"], r["title"], r["lead"], day, (), r["outlet"], r["text"])])
    return {a.story_id for a in out}


@pytest.mark.parametrize("roundup_id", ["5805", "5693"])  # the eviction moratorium; Afghan refugees resettled
def test_an_event_reported_over_three_days_alone_in_the_stream_is_one_story(roundup_id):
    rows = roundup(roundup_id)
    assert len(rows) == 3
    assert len(one_report_a_day(rows, StoryClusterer())) == 1
    # weighed by the few articles of the week alone, the words the reports share look common, and it splits
    assert len(one_report_a_day(rows, StoryClusterer(idf_prior=0))) > 1


def test_background_frequencies_are_shipped_and_a_full_week_outweighs_them():
    n, df = background_frequencies()
    assert n == 37_554 and len(df) > 10_000
    assert df["president"] > df["flood"] > 0
    busy = DocumentFrequencies(prior_documents=100)
    for _ in range(5_000):
        busy.add(["flood"])  # a week where every article is about one flood
    plain = DocumentFrequencies()
    for _ in range(5_000):
        plain.add(["flood"])
    assert busy.idf("flood") == pytest.approx(plain.idf("flood"), rel=0.05)
    assert busy.idf("flood") < busy.idf("president")
