"""Story clustering on a dozen hand-written articles in three stories (no spaCy)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from newsgraph.engine.errors import ConfigError, NotFound
from newsgraph.engine.stories import StoryCandidate, StoryClusterer, story_id_for

T0 = datetime(2025, 4, 1, 6, tzinfo=timezone.utc)

# (article id, story, hours after T0, title, lead, entity ids, outlet); the
# three stories interleave in time, as a day's feed does
ARTICLES = [
    ("m1", "mines", 0, "Finland and Lithuania quit the Ottawa Convention banning landmines",
     "Finland and Lithuania said they will leave the Ottawa Convention, citing the threat from Russia.",
     ("gpe:finland", "gpe:lithuania", "law:ottawa-convention", "gpe:russia"), "cnn.com"),
    ("c1", "court", 1, "Supreme Court sides with police officers in qualified immunity cases",
     "The Supreme Court ruled that police officers were entitled to qualified immunity in two cases.",
     ("org:supreme-court",), "cnn.com"),
    ("m2", "mines", 2, "Lithuania and Finland to leave landmine treaty over Russia threat",
     "Lithuanian and Finnish leaders said the Ottawa Convention no longer fits their security.",
     ("gpe:lithuania", "gpe:finland", "gpe:russia", "law:ottawa-convention"), "nytimes.com"),
    ("n1", "moon", 3, "NASA delays Artemis moon launch after fuel leak",
     "NASA postponed the Artemis rocket launch to the Moon after engineers found a hydrogen fuel leak.",
     ("org:nasa", "product:artemis", "loc:moon"), "cnn.com"),
    ("c2", "court", 4, "Supreme Court backs police on qualified immunity in two rulings",
     "In two unsigned opinions the Supreme Court granted qualified immunity to police officers.",
     ("org:supreme-court",), "nytimes.com"),
    ("n2", "moon", 5, "NASA scrubs Artemis launch to the Moon over hydrogen leak",
     "A hydrogen leak forced NASA to call off the Artemis moon rocket launch from Florida.",
     ("org:nasa", "product:artemis", "loc:moon", "gpe:florida"), "nytimes.com"),
    ("m3", "mines", 6, "Finland, Lithuania announce exit from Ottawa Convention on landmines",
     "Finland and Lithuania will withdraw from the Ottawa Convention on anti-personnel landmines.",
     ("gpe:finland", "gpe:lithuania", "law:ottawa-convention"), "reuters.com"),
    ("c3", "court", 7, "U.S. Supreme Court grants police qualified immunity in excessive force cases",
     "The Supreme Court on Monday said police officers accused of excessive force have qualified immunity.",
     ("gpe:united-states", "org:supreme-court"), "reuters.com"),
    ("n3", "moon", 8, "NASA postpones Artemis moon rocket launch due to fuel leak",
     "NASA said the Artemis launch to the Moon is postponed while engineers fix a fuel leak in Florida.",
     ("org:nasa", "product:artemis", "loc:moon", "gpe:florida"), "reuters.com"),
    ("m4", "mines", 9, "Finland and Lithuania ditch landmine ban as Russia looms",
     "Finnish and Lithuanian officials announced plans to exit the Ottawa Convention because of Russia.",
     ("gpe:finland", "gpe:lithuania", "gpe:russia", "law:ottawa-convention"), "foxnews.com"),
    ("c4", "court", 10, "Supreme Court hands police a win on qualified immunity",
     "The Supreme Court sided with police officers, ruling they have qualified immunity from lawsuits.",
     ("org:supreme-court",), "foxnews.com"),
    ("n4", "moon", 11, "Fuel leak grounds NASA Artemis moon rocket again",
     "NASA engineers detected a fuel leak, delaying the Artemis moon rocket launch once more.",
     ("org:nasa", "product:artemis", "loc:moon"), "foxnews.com"),
]

GOLD = {a[0]: a[1] for a in ARTICLES}


def candidates(*, entities: bool = True) -> list[StoryCandidate]:
    return [
        StoryCandidate(aid, title, lead, T0 + timedelta(hours=h), ents if entities else (), outlet)
        for aid, _, h, title, lead, ents, outlet in ARTICLES
    ]


def partition(assignments) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for a in assignments:
        groups.setdefault(a.story_id, set()).add(a.article_id)
    return {frozenset(g) for g in groups.values()}


GOLD_PARTITION = {frozenset(a for a, s in GOLD.items() if s == story) for story in ("mines", "court", "moon")}


@pytest.mark.parametrize("window_hours, threshold", [(120.0, 0.13), (24.0, 0.15)])
@pytest.mark.parametrize("entities", [True, False])
def test_exact_partition(window_hours, threshold, entities):
    out = StoryClusterer(window_hours=window_hours, threshold=threshold).assign(candidates(entities=entities))
    assert partition(out) == GOLD_PARTITION


def test_one_assignment_per_article_in_batch_order():
    batch = candidates()
    out = StoryClusterer().assign(batch)
    assert [a.article_id for a in out] == [c.article_id for c in batch]
    founders = {"m1", "c1", "n1"}
    for a in out:
        assert 0.0 < a.similarity <= 1.0
        assert (a.similarity == 1.0) == (a.article_id in founders)


def test_story_ids_are_stable_and_come_from_the_first_article():
    first = StoryClusterer().assign(candidates())
    second = StoryClusterer().assign(candidates())
    assert first == second
    assert {a.story_id for a in first} == {story_id_for("m1"), story_id_for("c1"), story_id_for("n1")}


def test_out_of_order_arrival_within_a_batch():
    shuffled = candidates()
    random.Random(7).shuffle(shuffled)
    in_order = {a.article_id: a for a in StoryClusterer().assign(candidates())}
    out = StoryClusterer().assign(shuffled)
    assert [a.article_id for a in out] == [c.article_id for c in shuffled]
    assert {a.article_id: a for a in out} == in_order


def test_seeded_run_extends_stories_like_one_run():
    batch = candidates()
    one_run = StoryClusterer().assign(batch)
    first_run = StoryClusterer().assign(batch[:6])
    story_of = {a.article_id: a.story_id for a in first_run}

    later = StoryClusterer()
    later.seed((c, story_of[c.article_id]) for c in batch[:6])
    second_run = later.assign(batch[6:])
    assert partition(first_run + second_run) == partition(one_run)
    assert {a.article_id: a.story_id for a in first_run + second_run} == {a.article_id: a.story_id for a in one_run}


def test_seeding_twice_changes_nothing():
    batch = candidates()
    story_of = {a.article_id: a.story_id for a in StoryClusterer().assign(batch[:6])}
    once, twice = StoryClusterer(), StoryClusterer()
    once.seed((c, story_of[c.article_id]) for c in batch[:6])
    twice.seed((c, story_of[c.article_id]) for c in batch[:6])
    twice.seed((c, story_of[c.article_id]) for c in batch[:6])
    assert once.assign(batch[6:]) == twice.assign(batch[6:])


def test_seeded_article_in_a_batch_keeps_its_story():
    batch = candidates()
    c = StoryClusterer()
    c.seed([(batch[0], "s-stored")])
    out = c.assign(batch[:3])
    assert out[0].story_id == "s-stored"
    assert out[2].story_id == "s-stored"  # m2 joins the stored landmines story


def test_article_outside_the_window_starts_a_new_story():
    c = StoryClusterer(window_hours=24)
    m1 = candidates()[0]
    first = c.assign([m1])[0]
    again = StoryCandidate("m9", m1.title, m1.lead, m1.published_at + timedelta(hours=30), m1.entity_ids)
    out = c.assign([again])[0]
    assert out.story_id != first.story_id
    assert out.story_id == story_id_for("m9")


def test_article_inside_the_window_joins_despite_the_gap():
    c = StoryClusterer(window_hours=24)
    m1 = candidates()[0]
    first = c.assign([m1])[0]
    again = StoryCandidate("m9", m1.title, m1.lead, m1.published_at + timedelta(hours=12), m1.entity_ids)
    assert c.assign([again])[0].story_id == first.story_id


def test_stories_past_the_window_are_forgotten():
    c = StoryClusterer(window_hours=24)
    old = c.assign(candidates()[:1])[0]
    later = candidates()[1]
    c.assign([StoryCandidate("x1", later.title, later.lead, T0 + timedelta(days=3), later.entity_ids)])
    # the caller of the assign() that moved time on can still ask for the forgotten story's title
    assert c.representative_title(old.story_id) == candidates()[0].title
    c.assign([StoryCandidate("x2", "Unrelated", None, T0 + timedelta(days=3, hours=1))])
    with pytest.raises(NotFound):
        c.representative_title(old.story_id)


def test_representative_title_is_a_member_headline():
    c = StoryClusterer()
    out = c.assign(candidates())
    titles = {a[0]: a[3] for a in ARTICLES}
    for a in out:
        rep = c.representative_title(a.story_id)
        assert rep in {titles[x] for x, s in GOLD.items() if s == GOLD[a.article_id]}
    with pytest.raises(NotFound):
        c.representative_title("s-unknown")


def test_naive_datetimes_are_taken_as_utc():
    naive = [StoryCandidate(c.article_id, c.title, c.lead, c.published_at.replace(tzinfo=None), c.entity_ids)
             for c in candidates()]
    assert StoryClusterer().assign(naive) == StoryClusterer().assign(candidates())


@pytest.mark.parametrize("kwargs", [{"window_hours": 0}, {"threshold": 1.5}, {"threshold": -0.1}])
def test_unusable_settings_are_refused(kwargs):
    with pytest.raises(ConfigError):
        StoryClusterer(**kwargs)


def test_headline_only_input_gives_the_same_stories():
    headlines = [StoryCandidate(c.article_id, c.title, None, c.published_at, (), c.outlet_id) for c in candidates()]
    assert partition(StoryClusterer(window_hours=24, threshold=0.15).assign(headlines)) == GOLD_PARTITION


def test_body_text_beyond_the_lead_joins_an_opinion_piece_to_its_story():
    base = candidates()[:3]  # m1, c1, m2
    opinion_title = "Small nations should not have to choose"
    body = ("Finland and Lithuania will quit the Ottawa Convention banning landmines. Leaving the Ottawa "
            "Convention lets Finland and Lithuania lay landmines again if Russia attacks.")
    without = StoryCandidate("o1", opinion_title, None, base[-1].published_at + timedelta(hours=1))
    with_body = StoryCandidate("o1", opinion_title, None, without.published_at, text=body)
    assert StoryClusterer(threshold=0.15).assign([*base, without])[-1].story_id == story_id_for("o1")
    assert StoryClusterer(threshold=0.15).assign([*base, with_body])[-1].story_id == story_id_for("m1")


def test_second_pass_folds_a_story_started_too_early_into_the_older_one():
    t = T0
    batch = [
        StoryCandidate("a", "NASA delays Artemis moon launch after fuel leak", None, t),
        StoryCandidate("b", "Rocket grounded over fuel leak", None, t + timedelta(hours=1)),
        StoryCandidate("c", "NASA Artemis moon rocket grounded by fuel leak", None, t + timedelta(hours=2)),
    ]
    merged = StoryClusterer(threshold=0.5, merge_threshold=0.3).assign(batch)
    single_pass = StoryClusterer(threshold=0.5, merge_threshold=1.0).assign(batch)
    assert len({a.story_id for a in single_pass}) > len({a.story_id for a in merged})
    assert {a.story_id for a in merged} <= {story_id_for("a"), story_id_for("b")}
    assert merged == StoryClusterer(threshold=0.5, merge_threshold=0.3).assign(batch)  # stable ids


def test_second_pass_never_moves_stored_articles():
    batch = candidates()
    c = StoryClusterer(threshold=0.15, merge_threshold=0.0)
    c.seed([(batch[0], "s-stored-mines"), (batch[1], "s-stored-court")])
    out = c.assign(batch[2:])
    # with a merge threshold of 0 any new story sharing a word folds into an older one, but
    # stored articles stay where they are, and stored stories never fold into each other
    assert [a.story_id for a in c.assign(batch[:2])] == ["s-stored-mines", "s-stored-court"]
    assert {a.story_id for a in out} == {"s-stored-mines", "s-stored-court", story_id_for("n1")}


def test_story_entities_lists_what_the_story_mentions():
    c = StoryClusterer()
    out = c.assign(candidates()[:3])
    assert c.story_entities(out[0].story_id) >= {"gpe:finland", "law:ottawa-convention"}
    assert c.story_entities("s-unknown") == set()


@pytest.mark.parametrize("headline_only", [False, True])
def test_evaluate_command_scores_the_known_corpus(corpus_files, headline_only):
    import json

    from typer.testing import CliRunner

    from newsgraph.engine.cli import app

    jsonl, _ = corpus_files
    args = ["evaluate", "stories", str(jsonl), "--gold", "gold", "--json"]
    args += ["--headline-only"] if headline_only else []
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["headline_only"] is headline_only
    assert out["scores"]["n_items"] == 12 and out["scores"]["n_gold_clusters"] == 3
    assert out["scores"]["bcubed_f1"] == 1.0 and out["scores"]["pairwise_f1"] == 1.0


def test_evaluate_command_fails_in_one_line_without_the_gold_field(corpus_files):
    from typer.testing import CliRunner

    from newsgraph.engine.cli import app

    jsonl, _ = corpus_files
    result = CliRunner().invoke(app, ["evaluate", "stories", str(jsonl), "--gold", "no_such_field"])
    assert result.exit_code == 2
    assert "no article carries the gold field 'no_such_field'" in result.output
