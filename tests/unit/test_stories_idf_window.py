"""Term weights of the story clusterer: the rolling week of document frequencies gives the weights a fresh count
of the seven days before would give, whatever order the days come in; similarities do not depend on dict order.

No spaCy: the articles are built here, with entities given.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from newsgraph.engine.stories import StoryCandidate, StoryClusterer
from newsgraph.engine.stories.clusterer import _IDF_DAYS
from newsgraph.engine.stories.features import DocumentFrequencies, dot, text_counts, weighted_vector

WORDS = ("senate bill vote budget court ruling storm flood dam governor strike teachers election poll "
         "border tariff trade summit missile launch vaccine virus protest police").split()


def corpus(n: int, seed: int) -> list[StoryCandidate]:
    """``n`` articles over six weeks, some days with many articles, some with none, day-only dates and times mixed."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        day = datetime(2024, 1, 1, tzinfo=timezone.utc) + timedelta(days=rng.choice(range(0, 42, rng.choice((1, 3)))))
        when = day if rng.random() < 0.5 else day + timedelta(hours=rng.randrange(1, 23))
        title = " ".join(rng.sample(WORDS, 5))
        body = " ".join(rng.choice(WORDS) for _ in range(40))
        ents = tuple(f"x:{w}" for w in rng.sample(WORDS, 2))
        out.append(StoryCandidate(f"a{i:04d}", title, None, when, ents, "cnn.com", body))
    return out


def fresh_week_weights(held: list[StoryCandidate], cand: StoryCandidate, prior: float) -> dict[str, float]:
    """The article's term vector with document frequencies counted afresh from the articles of its seven prior days
    (and the clusterer's share of the background frequencies)."""
    day = cand.published_at.date()
    week = DocumentFrequencies(prior_documents=prior)
    for c in held:
        if day - timedelta(days=_IDF_DAYS) <= c.published_at.date() < day:
            week.add(text_counts(c.title, c.lead, c.text))
    return weighted_vector(text_counts(cand.title, cand.lead, cand.text), week)


def test_rolling_week_gives_the_weights_of_a_fresh_count_in_any_order_of_days():
    articles = corpus(300, seed=3)
    rng = random.Random(5)
    # input in time order but with articles up to three days late, in batches: a batch adds articles to
    # days whose week the clusterer has already summed, and some batches jump back a long way
    late = {c.article_id: timedelta(days=rng.uniform(0, 3)) for c in articles}
    articles.sort(key=lambda c: c.published_at + late[c.article_id])
    batches = [articles[i:i + 37] for i in range(0, len(articles), 37)]
    batches[2], batches[5] = batches[5], batches[2]
    clusterer = StoryClusterer()
    held: list[StoryCandidate] = []
    checked = 0
    for batch in batches:
        clusterer.assign(batch)
        held.extend(batch)
        # the clusterer keeps the days up to a week before a window behind its newest article: ask within them
        horizon = (max(c.published_at for c in held) - clusterer.window).date()
        for cand in batch:
            day = cand.published_at.date()
            if day < horizon:
                continue
            text, _ = clusterer._vectors(text_counts(cand.title, cand.lead, cand.text), {}, day)
            assert text == fresh_week_weights(held, cand, clusterer.idf_prior), (cand.article_id, day)
            checked += 1
    assert checked > 20


def test_dot_is_exact_and_independent_of_key_order():
    rng = random.Random(1)
    a = {f"t{i}": rng.random() for i in range(200)}
    b = {f"t{i}": rng.random() for i in range(100, 400)}
    shuffled = dict(sorted(a.items(), key=lambda kv: rng.random()))
    assert dot(a, b) == dot(shuffled, b) == dot(b, shuffled)
    assert abs(dot(a, b) - sum(x * b[f] for f, x in a.items() if f in b)) < 1e-12
    assert dot(a, {"other": 1.0}) == 0.0
