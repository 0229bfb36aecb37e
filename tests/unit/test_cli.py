"""The command line end to end on the embedded store, with the real spaCy model."""

import json

import pytest
from typer.testing import CliRunner

from newsgraph.engine.cli import app
from tests.corpus import articles

runner = CliRunner()


def run(*args, code=0):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == code, result.output
    return result


def as_json(*args, code=0):
    return json.loads(run(*args, "--json", code=code).stdout)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, corpus_files):
    """A store with the corpus's outlet ratings and articles."""
    jsonl, outlets = corpus_files
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'g.db'}"
    run("outlets", "import", outlets, "--scheme", "csv", "--store", url)
    report = as_json("ingest", jsonl, "--store", url)
    return url, report, jsonl


def test_ingest_builds_the_graph(loaded):
    url, report, _ = loaded
    assert report["stored"] == 12 and report["rejected"] == 0 and report["stories_new"] == 3
    stats = as_json("stats", "--store", url)
    assert {k: stats["nodes"][k] for k in ("Outlet", "Article", "Story")} == {"Outlet": 4, "Article": 12, "Story": 3}
    rels = stats["relationships"]
    assert (rels["PUBLISHED"], rels["PART_OF"], rels["COVERED"]) == (12, 12, 12)
    assert stats["nodes"]["Entity"] >= 8 and rels["MENTIONS"] >= 24 and rels["ABOUT"] >= 8


def test_stories_match_the_known_answer(loaded):
    url, _, _ = loaded
    gold = {}
    for line in run("export", "articles", "--store", url).stdout.splitlines():
        row = json.loads(line)
        gold.setdefault(row["gold"], set()).add(row["story_id"])
    assert all(len(ids) == 1 for ids in gold.values()), gold
    assert len({next(iter(ids)) for ids in gold.values()}) == 3


def test_ingesting_twice_changes_nothing(loaded):
    url, _, jsonl = loaded
    before = as_json("stats", "--store", url)
    exported = run("export", "articles", "--store", url).stdout
    again = as_json("ingest", jsonl, "--store", url)
    # the store's ingest ledger knows the file: it is not read again
    assert again["files_skipped"] == [str(jsonl)] and again["read"] == 0
    reread = as_json("ingest", jsonl, "--store", url, "--no-resume")
    assert reread["stored"] == 0 and reread["already_stored"] == 12 and reread["files_done"] == [str(jsonl)]
    assert as_json("stats", "--store", url) == before
    assert run("export", "articles", "--store", url).stdout == exported


def test_export_out_dash_is_standard_output(loaded, tmp_path, monkeypatch):
    url, _, _ = loaded
    monkeypatch.chdir(tmp_path)
    to_dash = run("export", "articles", "--out", "-", "--store", url).stdout
    assert to_dash == run("export", "articles", "--store", url).stdout and len(to_dash.splitlines()) == 12
    graph = run("export", "graph", "--out", "-", "--store", url).stdout
    assert graph.startswith("<?xml") and "graphml" in graph
    assert not (tmp_path / "-").exists()


def test_story_card_counts_sources_by_bias(loaded):
    url, _, _ = loaded
    stories = as_json("stories", "list", "--store", url)
    assert stories["count"] == 3
    mines = next(s for s in stories["data"] if "Ottawa" in s["title"] or "landmine" in s["title"].lower())
    card = as_json("stories", "show", mines["id"], "--store", url)
    assert card["article_count"] == 4 and card["source_count"] == 4
    assert card["bias_counts"]["left"] == 1 and card["bias_counts"]["lean_left"] == 1
    assert card["side_counts"] == {"left": 2, "center": 1, "right": 1}
    assert card["headline"] == "50% of the sources are Left"
    assert card["first_reported_by"]["outlet_id"] == "cnn.com" and card["first_reported_by"]["tied_with"] == []
    entity_ids = {e["id"] for e in card["top_entities"]}
    assert {"gpe:finland", "gpe:lithuania", "gpe:russia"} <= entity_ids
    text = run("stories", "show", mines["id"], "--store", url).stdout
    assert "50% of the sources are Left" in text and "4 articles, 4 sources" in text


def test_export_keeps_extra_fields_and_canonical_urls(loaded):
    url, _, _ = loaded
    rows = [json.loads(line) for line in run("export", "articles", "--store", url).stdout.splitlines()]
    assert len(rows) == 12
    assert all("utm_source" not in r["url"] and "www." not in r["url"] for r in rows)
    assert sorted(r["gold"] for r in rows) == sorted(a["gold"] for a in articles())


def test_outlets_show_and_list(loaded):
    url, _, _ = loaded
    fox = as_json("outlets", "show", "foxnews.com", "--store", url)
    assert fox["bias"] == "right" and fox["articles"] == 3 and fox["stories"] == 3
    listed = as_json("outlets", "list", "--store", url)
    assert listed["count"] == 4 and {o["id"] for o in listed["data"]} == {
        "cnn.com", "nytimes.com", "reuters.com", "foxnews.com"}


def test_ratings_imported_after_the_articles_bring_the_stored_sides_up_to_date(tmp_path, corpus_files):
    jsonl, outlets = corpus_files
    url = f"sqlite:///{tmp_path / 'g.db'}"
    as_json("ingest", jsonl, "--store", url)  # every outlet unrated: the stored sides say so
    out = run("outlets", "import", outlets, "--scheme", "csv", "--store", url).stdout
    assert "3 stories' key points and sides computed again: their outlets' bias changed" in out
    assert as_json("stories", "summarize", "--all", "--store", url)["up_to_date"] == 3
    assert as_json("outlets", "import", outlets, "--scheme", "csv", "--store", url)["stories_summarized"] == 0
    # fox news re-rated left, without summarizing: its three stories' stored sides are stale until asked for
    flipped = tmp_path / "flipped.csv"
    flipped.write_text(outlets.read_text().replace("foxnews.com,Fox News,right", "foxnews.com,Fox News,left"))
    out = run("outlets", "import", flipped, "--scheme", "csv", "--no-summarize", "--store", url).stdout
    assert "newsgraph stories summarize --all brings them up to date" in out
    assert as_json("stories", "summarize", "--all", "--store", url)["computed"] == 3


def test_bad_records_are_reported_and_good_ones_land(tmp_path):
    url = f"sqlite:///{tmp_path / 'g.db'}"
    good = articles()[0]
    path = tmp_path / "mixed.jsonl"
    path.write_text(json.dumps(good) + "\n" + '{"title": "truncated\n' + json.dumps({"title": "no date"}) + "\n")
    result = run("ingest", path, "--store", url, code=1)
    assert "mixed.jsonl:2" in result.output and "mixed.jsonl:3" in result.output
    assert as_json("stats", "--store", url)["nodes"]["Article"] == 1


def test_same_id_with_other_content_is_rejected_and_duplicates_counted(tmp_path):
    url = f"sqlite:///{tmp_path / 'g.db'}"
    first, second = articles()[0], articles()[4]
    path = tmp_path / "ids.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [
        {**first, "id": "x1"}, {**second, "id": "x1"}, {**first, "id": "x1"}, {**first, "id": "x2"}]) + "\n")
    result = runner.invoke(app, ["ingest", str(path), "--store", url, "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["stored"] == 1 and report["rejected"] == 1 and report["duplicates"] == 2
    assert report["problems"] == [f"{path}:2: id 'x1' already used by {path}:1 with different content"]
    # a later run that reuses a stored id for other content is rejected too; the stored article stays
    again = tmp_path / "again.jsonl"
    again.write_text(json.dumps({**second, "id": "x1"}) + "\n")
    report = as_json("ingest", again, "--store", url, code=1)
    assert report["rejected"] == 1 and "already stored" in report["problems"][0]
    rows = [json.loads(x) for x in run("export", "articles", "--store", url).stdout.splitlines()]
    assert [(r["id"], r["title"]) for r in rows] == [("x1", first["title"])]


def test_user_mistakes_are_one_line_and_exit_2(tmp_path):
    url = f"sqlite:///{tmp_path / 'g.db'}"
    missing = run("ingest", tmp_path / "nope.jsonl", "--store", url, code=2)
    assert missing.output.count("\n") == 1 and "Traceback" not in missing.output
    odd = tmp_path / "data.xml"
    odd.write_text("<x/>")
    assert "format" in run("ingest", odd, "--store", url, code=2).output
    assert "no story" in run("stories", "show", "nope", "--store", url, code=2).output
    from newsgraph.engine.neo4j_server import free_port

    down = run("stats", "--store", f"bolt://127.0.0.1:{free_port()}", code=3).output
    assert "Neo4j" in down and down.count("\n") == 1


def test_demo_builds_the_roundups_graph(tmp_path):
    out = as_json("demo", "--db", tmp_path / "demo.db")
    assert out["ingest"]["read"] == 1479
    assert out["ingest"]["rejected"] == 0
    stored = out["stats"]["nodes"]["Article"]
    assert stored == 1479 - out["ingest"]["duplicates"]
    assert out["stats"]["nodes"]["Story"] > 300
    top = out["stories"][0]
    assert top["source_count"] >= 3 and top["rated_sources"] >= 3
    assert abs(sum(top["side_shares"].values()) - 1) < 1e-9


def test_a_gzip_damaged_near_its_start_is_one_problem_and_exit_1(tmp_path):
    from tests.unit.test_readers import damaged_gzip

    url = f"sqlite:///{tmp_path / 'g.db'}"
    path = tmp_path / "damaged.jsonl.gz"
    rows = [json.dumps(a) for a in articles()]
    path.write_bytes(damaged_gzip(rows[:3], rows[3:] * 300))
    result = runner.invoke(app, ["ingest", str(path), "--store", url])
    assert result.exit_code == 1 and isinstance(result.exception, (SystemExit, type(None))), result.output
    problems = [ln for ln in result.stderr.splitlines() if ln.startswith("rejected ")]
    assert problems == [f"rejected {path}:4: the file is corrupt or ends early: Error -3 while decompressing data: "
                        "invalid distance too far back"]
    assert "Traceback" not in result.output
    assert as_json("stats", "--store", url)["nodes"]["Article"] == 3


def test_a_title_over_a_million_characters_does_not_cost_its_batch(tmp_path):
    url = f"sqlite:///{tmp_path / 'g.db'}"
    first, second = articles()[0], articles()[1]
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({**first, "title": "Lava " * 200_001}) + "\n" + json.dumps(second) + "\n")
    report = as_json("ingest", path, "--store", url)
    assert (report["stored"], report["rejected"]) == (2, 0)
    assert report["notes"] == [f"{path}:1: title cut to 1000 characters (it had 1000004)"]


def test_a_bad_neo4j_page_cache_is_refused_before_anything_starts(tmp_path, monkeypatch):
    bad = run("neo4j", "start", "--data", tmp_path / "n", "--pagecache", "lots", code=2).output
    assert "page cache 'lots' is not a size" in bad and "512m" in bad and bad.count("\n") == 1
    monkeypatch.setenv("NEWSGRAPH_NEO4J_PAGECACHE", "1.5g")
    assert "'1.5g' is not a size" in run("neo4j", "start", "--data", tmp_path / "n", code=2).output
    assert not (tmp_path / "n").exists()  # nothing was started or created
