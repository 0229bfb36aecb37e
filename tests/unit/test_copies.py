"""Wire copies: the detector on built-in pairs, at ingest, on the story card, in the CLI and the API."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newsgraph.api.app import create_app
from newsgraph.engine.analysis import blindspots, story_card
from newsgraph.engine.analysis.syndication import original_coverage, syndication
from newsgraph.engine.cli import app
from newsgraph.engine.config import get_settings
from newsgraph.engine.ingest import Record
from newsgraph.engine.models import Article
from newsgraph.engine.pipeline import Ingestor
from newsgraph.engine.store.base import ArticleRow, CopyRow, CoverageRow
from newsgraph.engine.store.sqlite import SQLiteStore
from newsgraph.engine.stories.copies import CopyDetector, Fingerprint, fingerprint, overlap
from tests.copy_pairs import OWN_REPORT, WIRE, WIRE_PLUS
from tests.unit.test_ingest_records import TitleNer

T0 = datetime(2025, 6, 3, 9, tzinfo=timezone.utc)
TITLE = "Finland and Lithuania to produce anti-personnel mines"


def _article(aid: str, outlet: str, text: str | None, hours: float = 0.0) -> Article:
    return Article(aid, f"https://{outlet}/{aid}", TITLE, T0 + timedelta(hours=hours), outlet_id=outlet, text=text)


def _edges(detector: CopyDetector, articles: list[Article]) -> dict[str, tuple[str, float]]:
    fps = detector.fingerprints(articles)
    return {e.article_id: (e.copy_of, e.overlap) for e in detector.edges(fps, [])}


# -- the detector on built-in pairs ---------------------------------------------

def test_an_exact_copy_an_hour_later_is_a_copy_of_the_first():
    edges = _edges(CopyDetector(), [_article("w", "wire.com", WIRE), _article("c", "copy.com", WIRE, 1)])
    assert edges == {"c": ("w", 1.0)}


def test_a_copy_with_an_added_paragraph_is_a_copy_and_says_how_much_it_took():
    edges = _edges(CopyDetector(), [_article("w", "wire.com", WIRE), _article("p", "plus.com", WIRE_PLUS, 2)])
    assert list(edges) == ["p"] and edges["p"][0] == "w"
    assert 0.7 <= edges["p"][1] <= 0.95  # the added paragraph is about a sixth of the text


def test_two_reports_of_the_same_event_are_not_copies():
    fw, fo = fingerprint(WIRE, article_id="w"), fingerprint(OWN_REPORT, article_id="o")
    assert overlap(fo, fw) < 0.2 and overlap(fw, fo) < 0.2  # one shared quote, the rest their own words
    assert _edges(CopyDetector(), [_article("w", "wire.com", WIRE), _article("o", "own.com", OWN_REPORT, 1)]) == {}


def test_the_earlier_article_is_the_original_whatever_the_order_given():
    arts = [_article("c", "copy.com", WIRE, 3), _article("p", "plus.com", WIRE_PLUS, 2), _article("w", "wire.com", WIRE)]
    edges = _edges(CopyDetector(), arts)
    assert {k: v[0] for k, v in edges.items()} == {"c": "w", "p": "w"}


def test_headline_only_short_same_outlet_and_far_apart_articles_are_never_copies():
    d = CopyDetector()
    assert d.fingerprints([_article("h", "a.com", None), _article("s", "b.com", "Mines to be produced.")]) == []
    assert _edges(d, [_article("w", "wire.com", WIRE), _article("x", "wire.com", WIRE, 1)]) == {}
    assert _edges(d, [_article("w", "wire.com", WIRE), _article("late", "copy.com", WIRE, 24 * 30)]) == {}


def test_a_fingerprint_row_reads_back_the_same():
    fp = fingerprint(WIRE, article_id="w", published_at=T0, outlet_id="wire.com")
    back = Fingerprint.from_row(fp.to_row())
    assert (back.signature == fp.signature).all() and back.shingles == fp.shingles and overlap(back, fp) == 1.0


# -- at ingest --------------------------------------------------------------------

def _record(i: int, outlet: str, text: str, hours: float, title: str = TITLE) -> Record:
    return Record({"url": f"https://{outlet}/2025/06/03/mines-{i}.html", "title": title, "outlet": outlet,
                   "published_at": (T0 + timedelta(hours=hours)).isoformat(), "text": text}, "articles", index=i)


WIRE_REC = _record(0, "wire.com", WIRE, 0)
COPY_REC = _record(1, "copy.com", WIRE, 1, title="Finland, Lithuania will make land mines")
PLUS_REC = _record(2, "plus.com", WIRE_PLUS, 2)
OWN_REC = _record(3, "own.com", OWN_REPORT, 1.5)


def _copies(store) -> dict[str, str]:
    urls = {r["id"]: r["url"].split("/")[2] for r in store.export_articles()}
    return {urls[r["start_id"]]: urls[r["end_id"]] for r in store.iter_relationships("COPY_OF")}


@pytest.fixture
def store(tmp_path):
    s = SQLiteStore(tmp_path / "g.db")
    yield s
    s.close()


def _ingest(store, records, **settings):
    return Ingestor(store, get_settings(**settings), extractor=TitleNer()).ingest_records(records)


def test_ingest_links_copies_to_the_earliest_article_and_twice_changes_nothing(store):
    _ingest(store, [WIRE_REC, COPY_REC, PLUS_REC, OWN_REC])
    assert _copies(store) == {"copy.com": "wire.com", "plus.com": "wire.com"}
    before = (list(store.iter_relationships("COPY_OF")), list(store.iter_nodes("Fingerprint")), store.stats())
    assert _ingest(store, [WIRE_REC, COPY_REC, PLUS_REC, OWN_REC]).already_stored == 4
    assert (list(store.iter_relationships("COPY_OF")), list(store.iter_nodes("Fingerprint")), store.stats()) == before


@pytest.mark.parametrize("runs", [
    [[COPY_REC], [PLUS_REC], [WIRE_REC, OWN_REC]],  # the original arrives last: its copies are re-pointed
    [[PLUS_REC, OWN_REC], [WIRE_REC], [COPY_REC]],
    [[WIRE_REC, COPY_REC, PLUS_REC, OWN_REC]],
])
def test_copies_do_not_depend_on_how_the_input_is_split_into_runs(tmp_path, runs):
    store = SQLiteStore(tmp_path / "runs.db")
    for run in runs:
        _ingest(store, run)
    assert _copies(store) == {"copy.com": "wire.com", "plus.com": "wire.com"}
    store.close()


def test_batch_size_one_finds_the_same_copies(store):
    _ingest(store, [PLUS_REC, COPY_REC, WIRE_REC, OWN_REC], batch_size=1)
    assert _copies(store) == {"copy.com": "wire.com", "plus.com": "wire.com"}


# -- the story card -----------------------------------------------------------------

def _rated(store):
    from newsgraph.engine.models import Bias, Outlet

    store.upsert_outlets([Outlet("wire.com", "Wire", Bias.CENTER), Outlet("copy.com", "Copy Daily", Bias.RIGHT),
                          Outlet("plus.com", "Plus News", Bias.RIGHT), Outlet("own.com", "Own Post", Bias.LEFT)])


def _story_id(store) -> str:
    [story] = store.search_stories(limit=5)[0]
    return story["id"]


def test_the_card_counts_original_reports_and_lists_copies_under_their_original(store):
    _rated(store)
    _ingest(store, [WIRE_REC, COPY_REC, PLUS_REC, OWN_REC])
    card = story_card(store.story_rows(_story_id(store)))
    assert (card.article_count, card.original_reports) == (4, 2)
    assert {(c["outlet_id"], c["original_outlet_id"]) for c in card.copies} == {("copy.com", "wire.com"),
                                                                              ("plus.com", "wire.com")}
    assert card.side_counts == {"left": 1, "center": 1, "right": 2}
    originals = story_card(store.story_rows(_story_id(store)), originals=True)
    assert originals.side_counts == {"left": 1, "center": 1, "right": 0} and originals.source_count == 4
    assert originals.counted == "original reports"


def test_cli_story_card_shows_originals_and_copies(store, tmp_path):
    _rated(store)
    _ingest(store, [WIRE_REC, COPY_REC, PLUS_REC, OWN_REC])
    sid, url = _story_id(store), f"sqlite:///{tmp_path / 'g.db'}"
    runner = CliRunner()
    text = runner.invoke(app, ["stories", "show", sid, "--store", url])
    assert text.exit_code == 0, text.output
    assert "4 articles, 2 original reports" in text.stdout
    assert "Wire: Finland and Lithuania to produce anti-personnel mines" in text.stdout
    assert "copied by Copy Daily (100% of its text)" in text.stdout
    out = runner.invoke(app, ["stories", "show", sid, "--originals", "--store", url, "--json"])
    card = json.loads(out.stdout)
    assert card["side_counts"]["right"] == 0 and card["original_reports"] == 2 and len(card["copies"]) == 2
    env = runner.invoke(app, ["stories", "show", sid, "--store", url, "--json"], env={"NEWSGRAPH_COUNT_ORIGINALS": "1"})
    assert json.loads(env.stdout)["side_counts"]["right"] == 0


def test_api_and_page_show_copies_and_count_originals_on_request(store, tmp_path):
    _rated(store)
    _ingest(store, [WIRE_REC, COPY_REC, PLUS_REC, OWN_REC])
    sid = _story_id(store)
    client = TestClient(create_app(get_settings(store=f"sqlite:///{tmp_path / 'g.db'}")))
    card = client.get(f"/api/stories/{sid}").json()
    assert card["original_reports"] == 2 and card["side_counts"]["right"] == 2 and card["counted"] == "all sources"
    assert {c["outlet_id"]: round(c["overlap"], 1) for c in card["copies"]} == {"copy.com": 1.0, "plus.com": 0.8}
    assert client.get(f"/api/stories/{sid}", params={"originals": "true"}).json()["side_counts"]["right"] == 0
    page = client.get(f"/stories/{sid}").text
    assert "2 original reports" in page and "copied by" in page and 'id="copies"' in page


# -- blindspots over original reports, and the syndication analysis --------------------

def _cov(story, outlet, bias):
    return CoverageRow(story, story, outlet, bias, None, T0, 1)


def test_blindspots_over_original_reports_leave_out_outlets_that_only_reprinted():
    cov = [_cov("s", f"r{i}", "right") for i in range(6)] + [_cov("s", f"l{i}", "left") for i in range(3)]
    arts = [ArticleRow(c.outlet_id, "s", c.outlet_id, c.bias, T0) for c in cov]
    # five right outlets only reprinted the left outlets' agency story
    copies = [CopyRow(f"r{i}", f"r{i}", "l0", "l0", 0.98, T0) for i in range(1, 6)]
    assert not blindspots(cov, min_rated_sources=3).stories[0].is_blindspot
    kept = original_coverage(cov, arts, copies)
    assert sorted(r.outlet_id for r in kept) == ["l0", "l1", "l2", "r0"]
    assert blindspots(kept, min_rated_sources=3, min_gap=0.3, max_weak_share=0.25).stories[0].side_counts == {
        "left": 3, "center": 0, "right": 1}


def test_syndication_lists_outlets_that_mostly_republish_with_their_sources():
    arts = [ArticleRow(f"w{i}", f"s{i}", "wire.com", "center", T0) for i in range(10)]
    arts += [ArticleRow(f"a{i}", f"s{i}", "aggregator.com", "right", T0) for i in range(6)]
    arts += [ArticleRow(f"o{i}", f"s{i}", "own.com", "left", T0) for i in range(6)]
    copies = [CopyRow(f"a{i}", "aggregator.com", f"w{i}", "wire.com", 0.99, T0) for i in range(4)]
    copies += [CopyRow("a4", "aggregator.com", "o1", "own.com", 0.9, T0), CopyRow("o0", "own.com", "w9", "wire.com",
                                                                                   0.7, T0)]
    result = syndication(arts, copies)
    assert [(o.outlet_id, o.copies, o.articles) for o in result.republishers] == [("aggregator.com", 5, 6)]
    assert result.republishers[0].top_sources == [{"outlet_id": "wire.com", "copies": 4},
                                                  {"outlet_id": "own.com", "copies": 1}]
    assert result.most_copied[0] == {"outlet_id": "wire.com", "copied": 5, "by_outlets": 2}


def test_cli_and_api_run_syndication_and_blindspots_over_originals(store, tmp_path):
    _rated(store)
    _ingest(store, [WIRE_REC, COPY_REC, PLUS_REC, OWN_REC])
    url = f"sqlite:///{tmp_path / 'g.db'}"
    runner = CliRunner()
    out = runner.invoke(app, ["analyze", "syndication", "--min-articles", "1", "--store", url, "--json"])
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout)
    assert {o["outlet_id"] for o in result["republishers"]} == {"copy.com", "plus.com"} and result["copies"] == 2
    text = runner.invoke(app, ["analyze", "syndication", "--min-articles", "1", "--store", url])
    assert "2 of 4 articles are wire copies" in text.stdout and "copy.com: 1 of 1 articles copies (100%)" in text.stdout
    both = [json.loads(runner.invoke(app, ["analyze", "blindspots", "--min-sources", "1", *flag, "--store", url,
                                           "--json"]).stdout)["stories"][0]["side_counts"]
            for flag in ([], ["--originals"])]
    assert both == [{"left": 1, "center": 1, "right": 2}, {"left": 1, "center": 1, "right": 0}]
    client = TestClient(create_app(get_settings(store=url)))
    assert "syndication" in {a["name"] for a in client.get("/api/analyses").json()["data"]}
    api = client.get("/api/analyses/blindspots", params={"min_sources": 1, "originals": "true"}).json()
    assert api["parameters"]["originals"] is True and api["result"]["stories"][0]["side_counts"]["right"] == 0
    synd = client.get("/api/analyses/syndication", params={"min_articles": 1}).json()["result"]
    assert synd["most_copied"] == [{"outlet_id": "wire.com", "copied": 2, "by_outlets": 2}]
