"""Stories across days: day-only dates, follow-ups, the same actors in another event, runs and re-ingest.

The corpus is built here with known answers: a dam flood reported over three
days with dates that carry no time, and in the same week a different event
with the same governor and the same state (a pay deal), with times. No spaCy:
the clusterer is given the entities, and the pipeline a stand-in extractor.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from newsgraph.engine.config import get_settings
from newsgraph.engine.evaluation import compressed, jittered, moved_between
from newsgraph.engine.ingest import Record
from newsgraph.engine.models import published_interval
from newsgraph.engine.nlp.extract import ArticleEntities
from newsgraph.engine.pipeline import Ingestor
from newsgraph.engine.store.sqlite import SQLiteStore
from newsgraph.engine.stories import StoryCandidate, StoryClusterer, story_id_for
from newsgraph.engine.stories.clusterer import time_decay

LENZ, NORLAND, KESSEL = "person:maria-lenz", "gpe:norland", "fac:kessel-dam"

# (id, event, published_at, outlet, title, lead, entity ids)
ARTICLES = [
    ("f1", "flood", "2024-03-04", "cnn.com", "Kessel dam bursts, flooding villages across northern Norland",
     "Water from the Kessel dam swept through three villages overnight; Governor Maria Lenz declared an emergency.",
     (KESSEL, NORLAND, LENZ)),
    ("f2", "flood", "2024-03-04", "foxnews.com", "Thousands flee as Kessel dam collapse floods Norland villages",
     "The Kessel dam gave way after days of rain, forcing thousands from their homes in Norland.",
     (KESSEL, NORLAND)),
    ("f3", "flood", "2024-03-05", "reuters.com", "Kessel dam flood: rescuers search submerged villages",
     "Rescue teams in boats searched villages flooded by the burst Kessel dam for a second day.",
     (KESSEL,)),
    ("f4", "flood", "2024-03-05", "nytimes.com", "Engineers had warned of cracks in the Kessel dam before it burst",
     "Inspection reports seen by the Times described cracks in the Kessel dam wall, flooding risk and repairs put off.",
     (KESSEL, NORLAND)),
    ("f5", "flood", "2024-03-06", "cnn.com", "Flood waters recede from villages below the burst Kessel dam",
     "Residents returned to flooded villages as the water from the Kessel dam receded.",
     (KESSEL, NORLAND)),
    ("f6", "flood", "2024-03-06", "foxnews.com", "Kessel dam flood victims ask who pays for rebuilding",
     "Villagers flooded out by the Kessel dam burst asked Norland for rebuilding money.",
     (KESSEL, NORLAND)),
    ("p1", "pay", "2024-03-07T10:00:00Z", "reuters.com", "Governor Lenz signs Norland teachers' pay deal, ending strike",
     "Maria Lenz signed a three-year salary agreement with the teachers' union, ending a two-week strike in Norland.",
     (LENZ, NORLAND)),
    ("p2", "pay", "2024-03-07T13:30:00Z", "nytimes.com", "Norland teachers return to classrooms after Lenz pay deal",
     "Schools reopen on Monday after the governor and the union agreed on teacher salaries and class sizes.",
     (LENZ, NORLAND)),
    ("p3", "pay", "2024-03-07T18:00:00Z", "foxnews.com", "Teachers' strike ends as Lenz agrees salary rise",
     "The teachers' union accepted the governor's salary offer, ending the strike that closed schools.",
     (LENZ,)),
]
GOLD = {frozenset(a[0] for a in ARTICLES if a[1] == event) for event in ("flood", "pay")}


def parse(when: str) -> datetime:
    dt = datetime.fromisoformat(when.replace("Z", "+00:00"))
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def candidates() -> list[StoryCandidate]:
    return [StoryCandidate(aid, title, lead, parse(when), ents, outlet)
            for aid, _, when, outlet, title, lead, ents in ARTICLES]


def partition(assignments) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for a in assignments:
        groups.setdefault(a.story_id, set()).add(a.article_id)
    return {frozenset(g) for g in groups.values()}


@pytest.mark.parametrize("batches", [1, 3, 9])
def test_an_event_over_three_days_is_one_story_and_the_same_actors_event_another(batches):
    c = StoryClusterer()
    cands = candidates()
    size = -(-len(cands) // batches)
    out = []
    for i in range(0, len(cands), size):
        out += c.assign(cands[i:i + size])
    assert partition(out) == GOLD
    assert {a.story_id for a in out} == {story_id_for("f1"), story_id_for("p1")}


def test_a_bare_date_is_its_whole_day():
    day = parse("2024-03-04")
    assert published_interval(day) == (day, day + timedelta(days=1))
    late = parse("2024-03-04T23:00:00Z")
    title = "Kessel dam bursts, flooding villages across northern Norland"
    # a day-only date is as near to 23:00 that day as any time of the day: nothing is taken off
    c = StoryClusterer()
    c.assign([StoryCandidate("d1", title, None, day)])
    assert c.assign([StoryCandidate("d2", title, None, late)])[0].similarity == pytest.approx(1.0)
    # an instant at 01:00 is 22 hours away from 23:00
    c = StoryClusterer()
    c.assign([StoryCandidate("t1", title, None, parse("2024-03-04T01:00:00Z"))])
    joined = c.assign([StoryCandidate("t2", title, None, late)])[0]
    assert joined.story_id == story_id_for("t1")
    assert joined.similarity == pytest.approx(time_decay(timedelta(hours=22)))


def test_the_time_term_fades_over_days_not_at_a_cliff():
    decays = [time_decay(timedelta(hours=h)) for h in (0, 3, 12, 24, 48, 72, 96)]
    assert decays == sorted(decays, reverse=True)
    assert decays[0] == 1.0 and decays[1] == pytest.approx(0.5)
    assert 0.3 < decays[3] < 0.4 and 0.2 <= decays[-1] < 0.25


def test_a_quiet_story_is_extended_by_a_clear_follow_up_but_not_by_the_same_actors_elsewhere():
    # a real state: its words are weighed with the background frequencies, which know it (a made-up
    # name weighs as a name no article has used, so one shared with a headline counts for more)
    state = "gpe:kentucky"
    t = parse("2024-03-04T08:00:00Z")
    c = StoryClusterer()
    first = c.assign([
        StoryCandidate("q1", "Kessel dam bursts, flooding villages in Kentucky", None, t, (KESSEL, state)),
        StoryCandidate("q2", "Kessel dam burst floods Kentucky villages", None, t + timedelta(hours=1),
                       (KESSEL, state)),
    ])
    story = first[0].story_id
    # two and a half days of silence, then a follow-up about the same burst
    later = t + timedelta(days=2, hours=12)
    follow = c.assign([StoryCandidate("q3", "Inquiry opens into Kessel dam burst flooding Kentucky villages",
                                      None, later, (KESSEL,))])[0]
    assert follow.story_id == story
    other = c.assign([StoryCandidate("q4", "Governor Lenz opens Kentucky science museum", None,
                                     later + timedelta(hours=1), (LENZ, state))])[0]
    assert other.story_id != story


class _NoEntities:
    """Stands in for spaCy: the clustering here rests on the words alone."""

    def extract(self, articles):
        return [ArticleEntities(a.id, (), ()) for a in articles]


def _records() -> list[Record]:
    return [Record({"id": aid, "url": f"https://{outlet}/{aid}", "title": title, "lead": lead,
                    "published_at": when, "outlet": outlet, "gold": event}, "corpus", index=i)
            for i, (aid, event, when, outlet, title, lead, _) in enumerate(ARTICLES)]


def _ingest(path, parts) -> dict[str, str]:
    store = SQLiteStore(path)
    try:
        for part in parts:
            Ingestor(store, get_settings(), extractor=_NoEntities()).ingest_records(part)
        return {row["id"]: row["story_id"] for row in store.export_articles()}
    finally:
        store.close()


def test_one_run_and_three_runs_give_the_same_stories(tmp_path):
    records = _records()
    one = _ingest(tmp_path / "one.db", [records])
    three = _ingest(tmp_path / "three.db", [records[:3], records[3:7], records[7:]])
    assert {frozenset(k for k, v in one.items() if v == s) for s in set(one.values())} == GOLD
    assert moved_between(one, three) == 0
    assert one == three  # the same ids too, each from its story's earliest article


def test_story_ids_are_stable_on_re_ingest(tmp_path):
    records = _records()
    first = _ingest(tmp_path / "g.db", [records])
    again = _ingest(tmp_path / "g.db", [records, records[4:]])
    assert again == first
    assert set(first.values()) == {story_id_for("f1"), story_id_for("p1")}


def test_jitter_and_compression_are_seeded_and_order_free():
    located = [r.check() for r in _records()]
    a = {r.article.id: r.article.published_at for r in jittered(located, 3, seed=7)}
    b = {r.article.id: r.article.published_at for r in jittered(list(reversed(located)), 3, seed=7)}
    assert a == b
    assert a != {r.article.id: r.article.published_at for r in jittered(located, 3, seed=8)}
    for r in located:
        assert timedelta(0) <= a[r.article.id] - r.article.published_at.replace(hour=0) <= timedelta(days=4)
    squeezed = {r.article.id: r.article.published_at for r in compressed(located, 3)}
    assert squeezed["f1"] == parse("2024-03-04")
    assert squeezed["p1"] - squeezed["f1"] == (parse("2024-03-07T10:00:00Z") - parse("2024-03-04")) / 3


def test_evaluate_command_runs_the_proxies_and_the_split(corpus_files):
    import json

    from typer.testing import CliRunner

    from newsgraph.engine.cli import app

    jsonl, _ = corpus_files
    base = ["evaluate", "stories", str(jsonl), "--gold", "gold", "--json"]
    split = CliRunner().invoke(app, base + ["--runs", "3"])
    assert split.exit_code == 0, split.output
    out = json.loads(split.stdout)
    assert (out["runs"], out["split_moved"], out["scores"]["bcubed_f1"]) == (3, 0, 1.0)
    proxy = CliRunner().invoke(app, base + ["--compress", "2", "--jitter-days", "1", "--seed", "3"])
    assert proxy.exit_code == 0, proxy.output
    out = json.loads(proxy.stdout)
    assert out["timeline"] == "compressed 2-fold, jittered 0-1 days (seed 3, 50% day-only)"
    assert out["split_moved"] is None and out["scores"]["n_items"] == 12


def test_weights_and_similarities_do_not_depend_on_batch_boundaries():
    # the idf of an article comes from the days before its own, so where a batch
    # (or a run) begins changes neither its story nor the similarity that placed it
    def placed(size):
        c, cands, out = StoryClusterer(), candidates(), []
        for i in range(0, len(cands), size):
            out += c.assign(cands[i:i + size])
        return sorted(out, key=lambda a: a.article_id)

    whole = placed(len(ARTICLES))
    assert placed(1) == whole and placed(2) == whole and placed(4) == whole


def test_out_of_order_jittered_input_gives_the_same_stories_however_it_is_split(tmp_path):
    # the demo roundups with each date moved by 0-3 days (half of them day-only), in file order,
    # so runs overlap in time and later runs bring articles older than stored ones. Split as
    # below, up to 34 of these 600 articles were once placed differently from one run (34 for
    # three runs, 26 for five): stored articles came back to a later run without their body text, the
    # second pass folded only the stories its batch started, and an article older than stored
    # ones was placed after them. Now a batch places again the stored articles dated after its
    # earliest, in time order with it
    from newsgraph.engine.demo import demo_paths
    from newsgraph.engine.evaluation import jittered
    from newsgraph.engine.ingest import read_records

    roundups, _ = demo_paths()
    records = list(jittered(read_records([str(roundups)]), 3, seed=1))[:600]
    dates = [r.article.published_at for r in records]
    assert any(later < earlier for earlier, later in zip(dates, dates[1:]))  # out of time order
    one = _ingest(tmp_path / "one.db", [records])
    assert len(set(one.values())) < 0.8 * len(one)  # stories of several articles, not one each
    for name, cuts in [("two", [300]), ("three", [200, 400]), ("five", [42, 266, 498, 524])]:
        bounds = [0, *cuts, len(records)]
        split = _ingest(tmp_path / f"{name}.db", [records[a:b] for a, b in zip(bounds, bounds[1:])])
        assert split == one, name  # the same stories under the same ids


def test_stored_articles_a_later_run_is_seeded_with_keep_the_weights_of_their_own_week(tmp_path):
    # all the jittered roundups, cut where a later run's batch reaches back before stored articles:
    # the stored articles it places again with the batch are weighed by the week before each one's
    # own day, as when they were first placed; when only the week before the batch was read
    # back, 3 of these 1,477 articles were placed differently from one run
    from newsgraph.engine.demo import demo_paths
    from newsgraph.engine.evaluation import jittered
    from newsgraph.engine.ingest import read_records

    roundups, _ = demo_paths()
    records = list(jittered(read_records([str(roundups)]), 3, seed=1))
    one = _ingest(tmp_path / "one.db", [records])
    bounds = [0, 81, 1369, len(records)]
    split = _ingest(tmp_path / "three.db", [records[a:b] for a, b in zip(bounds, bounds[1:])])
    assert moved_between(split, one) == 0
    assert split == one  # under the same ids too
