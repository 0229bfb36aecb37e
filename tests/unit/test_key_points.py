"""Key points, the sides' comparison and related stories, on the known-answer corpus and on real roundups."""

from __future__ import annotations

import gzip
import json
import random
from collections import defaultdict
from datetime import datetime, timezone
from importlib import resources

import pytest

from newsgraph.engine.analysis.key_points import key_points
from newsgraph.engine.analysis.related_stories import RelatedStory, related_stories
from newsgraph.engine.analysis.sentences import split_sentences
from newsgraph.engine.analysis.story_sides import story_sides
from newsgraph.engine.key_point_evaluation import evaluate_key_points, roundup_events, rouge_scores
from newsgraph.engine.errors import InputError
from tests import corpus

BIAS = {"cnn.com": "left", "nytimes.com": "lean_left", "reuters.com": "center", "foxnews.com": "right"}


def _rows(records):
    return [{"id": f"{r['outlet']}-{i}", "title": r["title"], "lead": r.get("lead"), "text": r.get("text"),
             "published_at": datetime.fromisoformat(r["published_at"].replace("Z", "+00:00")),
             "outlet_id": r["outlet"], "outlet_name": r["outlet"], "bias": BIAS.get(r["outlet"], "unrated")}
            for i, r in enumerate(records)]


def corpus_stories():
    by_story = defaultdict(list)
    for r in corpus.articles():
        by_story[r["gold"]].append(r)
    return {s: _rows(rs) for s, rs in by_story.items()}


def roundup_stories():
    """The real AllSides roundup articles the project ships (headline, excerpt paragraphs, outlet, rating)."""
    path = resources.files("newsgraph.engine") / "data" / "demo" / "roundups.jsonl.gz"
    by_story = defaultdict(list)
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            by_story[r["roundup_id"]].append(r)
    out = {}
    for sid, rs in sorted(by_story.items()):
        rows = [{"id": f"{sid}-{i}", "title": r["title"], "lead": r.get("lead"), "text": r.get("text"),
                 "published_at": datetime.fromisoformat(r["published_at"]).astimezone(timezone.utc),
                 "outlet_id": r["outlet"], "outlet_name": r.get("outlet_name"),
                 "bias": {"left": "left", "lean left": "lean_left", "center": "center", "lean right": "lean_right",
                          "right": "right"}.get((r.get("allsides_rating") or "").lower(), "unrated")}
                for i, r in enumerate(rs)]
        out[sid] = rows
    return out


def _sentences_of(rows):
    return {s for a in rows for part in (a.get("lead"), a.get("text")) for s in split_sentences(part)}


def test_corpus_story_points_are_its_leads_with_every_outlet_that_says_it():
    stories = corpus_stories()
    kp = key_points(stories["court"])
    assert 1 <= len(kp.points) <= 4 and not kp.from_headlines
    for p in kp.points:
        assert p.text in _sentences_of(stories["court"])
    # the four leads say the same thing: the first point is carried by all four outlets, of all three sides
    assert set(kp.points[0].sources) == set(BIAS) and kp.points[0].sides == ["left", "center", "right"]
    # the filler sentence every text ends with is never a point (too short to be one)
    assert all("More details followed" not in p.text for p in kp.points)


def test_points_do_not_depend_on_the_order_articles_come_in():
    rows = corpus_stories()["mines"]
    shuffled = rows[:]
    random.Random(3).shuffle(shuffled)
    assert key_points(shuffled) == key_points(rows)


def test_headline_only_story_gets_its_headlines_as_points():
    rows = [{**a, "lead": None, "text": None} for a in corpus_stories()["moon"]]
    kp = key_points(rows)
    titles = {a["title"] for a in rows}
    assert kp.from_headlines and kp.points and all(p.text in titles for p in kp.points)
    # a headline's source is its own outlet, plus the outlets whose headlines paraphrase it
    for p in kp.points:
        owner = next(a["outlet_id"] for a in rows if a["title"] == p.text)
        assert p.sources[0] == owner


def test_real_roundups_get_three_to_five_points_each_a_sentence_of_a_stored_article():
    stories = {sid: rows for sid, rows in roundup_stories().items() if len(rows) >= 2}
    assert len(stories) > 400
    for sid, rows in list(stories.items())[:120]:
        kp = key_points(rows)
        sentences = _sentences_of(rows)
        assert 3 <= len(kp.points) <= 5 or kp.sentences < 3, sid
        for p in kp.points:
            assert p.text in sentences, (sid, p.text)
            owner = next(a for a in rows if a["id"] == p.article_id)
            assert p.text in (owner["lead"] or "") + "\n" + (owner["text"] or "")
            assert p.sources[0] == owner["outlet_id"]
        # in order of first appearance: the article order, then the place in the article
        firsts = [min((a["published_at"], a["id"]) for a in rows if a["id"] == p.article_id) for p in kp.points]
        assert firsts == sorted(firsts) or len({f[0] for f in firsts}) == 1


def test_sides_headlines_terms_and_one_side_points_on_a_real_roundup():
    rows = next(r for r in roundup_stories().values() if len({a["bias"] for a in r}) >= 3)
    kp = key_points(rows)
    sides = story_sides(rows, kp).sides
    for s in ("left", "center", "right"):
        v = sides[s]
        if v.articles:
            assert v.headline in {a["title"] for a in rows}
            # an excerpt of a few paragraphs per side is too few words to compare: the card says so
            assert v.distinctive_terms or v.note
    only = {t for v in sides.values() for t in v.only_here}
    assert only == {p.text for p in kp.points if len({s for s in p.sides if s != "unrated"}) == 1}


def test_a_side_that_says_more_of_a_word_has_it_as_a_distinctive_term():
    t = datetime(2025, 4, 1, tzinfo=timezone.utc)
    left = "The tax cut mostly helps the wealthy and the rich, critics of the tax cut said. " * 20
    right = "The tax cut helps working families and creates jobs, backers of the tax cut said. " * 20
    rows = [dict(id="l", title="Tax cut for the rich", text=left, bias="left", outlet_id="l.com", published_at=t),
            dict(id="r", title="Tax cut for families", text=right, bias="right", outlet_id="r.com", published_at=t)]
    sides = story_sides(rows, entities=[{"id": "org:x", "name": "critics"}, {"id": "org:y", "name": "backers"}]).sides
    terms = {d["term"]: d for d in sides["left"].distinctive_terms}
    assert {"wealthy", "rich"} <= terms.keys() and "tax" not in terms
    assert terms["critics"]["kind"] == "entity" and terms["rich"]["z"] > 1.96
    assert {"families", "jobs"} <= {d["term"] for d in sides["right"].distinctive_terms}
    short = story_sides([{**rows[0], "text": "A short text."}, rows[1]]).sides
    assert short["left"].distinctive_terms == () and "too few words" in short["left"].note


def test_related_stories_rank_by_distinctive_shared_entities_and_skip_common_ones():
    def row(story, entity, df, weight=1.0):
        return dict(story_id=story, title=story, first_published=None, source_count=2, entity_id=entity,
                    entity_name=entity, weight=weight, other_weight=1.0, entity_stories=df)

    rows = {"stories": 1000, "rows": [row("b", "gpe:us", 400), row("c", "law:ottawa-convention", 3),
                                      row("d", "gpe:finland", 40), row("d", "gpe:lithuania", 30)]}
    out = related_stories(rows)
    assert [s.id for s in out] == ["d", "c"]  # two shared mid-rare entities beat one rare one; the US links nothing
    assert [e["id"] for e in out[0].shared_entities] == ["gpe:lithuania", "gpe:finland"]
    assert related_stories({"stories": 3, "rows": [row("b", "gpe:x", 3)]}) == ()  # in every story: links nothing


def test_related_story_as_json_has_every_field_and_shares_nothing_with_the_story():
    from dataclasses import asdict

    when = datetime(2022, 5, 18, tzinfo=timezone.utc)
    story = RelatedStory("s", "NATO bid", when, 4, 1.25, ({"id": "gpe:finland", "name": "Finland"},))
    d = story.to_dict()
    assert d == {**asdict(story), "first_published": "2022-05-18T00:00:00+00:00",
                 "shared_entities": [{"id": "gpe:finland", "name": "Finland"}]}
    d["shared_entities"][0]["name"] = "changed"  # the page may edit its copy
    assert story.shared_entities[0]["name"] == "Finland"
    assert RelatedStory("t", "", None, 0, 0.0, ()).to_dict()["first_published"] is None


def test_rouge_known_answers():
    assert rouge_scores("a b c", "a b c") == {"rouge1": 1.0, "rouge2": 1.0, "rougeL": 1.0}
    assert rouge_scores("a b c", "d e f") == {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    s = rouge_scores("police shot the man", "the man shot police")
    assert s["rouge1"] == 1.0 and s["rouge2"] == pytest.approx(1 / 3) and s["rougeL"] == pytest.approx(0.5)
    assert rouge_scores("", "a")["rougeL"] == 0.0


def test_roundup_evaluation_reads_events_and_scores_the_three_systems(tmp_path):
    rows = roundup_stories()
    lines = []
    for n, (sid, arts) in enumerate(list(rows.items())[:12]):
        news = {s: {"newsTitle": a["title"], "newsSource": a["outlet_name"], "newBody": a["text"].split("\n\n")}
                for s, a in zip(("left", "center", "right"), arts)}
        summary = " ".join(split_sentences(arts[1]["text"])[:2])  # the center one
        lines.append(json.dumps({"id": n, "date": "2021-06-01T10:00:00-07:00", "roundup": [summary, "Coverage."],
                                 "news": news}))
    path = tmp_path / "roundups.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    events = roundup_events(path)
    assert len(events) == 12 and events[0]["reference_all"].endswith("Coverage.")
    table = evaluate_key_points(events)
    assert table.events == sum(1 for e in events if any(a["side"] == "center" for a in e["articles"]))
    # the reference is the center article's own opening: its first three sentences contain it
    assert table.scores["center_lead"]["rouge1"] > table.scores["random"]["rouge1"]
    assert all(0 < table.scores[s][m] <= 1 for s in table.scores for m in table.scores[s])
    (tmp_path / "bad.jsonl").write_text("{not json\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.jsonl:1"):
        roundup_events(tmp_path / "bad.jsonl")
