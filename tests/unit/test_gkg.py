"""GDELT GKG 2.1 records: articles with GDELT's own entities, no NER, merged into the canonical layer."""

import json
import zipfile
from datetime import datetime, timezone

import pytest

from newsgraph.engine.config import get_settings
from newsgraph.engine.errors import InputError
from newsgraph.engine.ingest import Located, read_articles
from newsgraph.engine.ingest.gkg import COLUMNS
from newsgraph.engine.models import Entity, Mention
from newsgraph.engine.nlp.extract import ArticleEntities
from newsgraph.engine.pipeline import Ingestor
from newsgraph.engine.ratings import import_ratings, read_ratings

URL = "https://www.lrt.lt/en/news-in-english/19/2031234/nato-summit-in-vilnius-security-tightened"


def gkg_row(**cells):
    """One GKG 2.1 record in the real 27-column layout, with realistic defaults."""
    row = dict.fromkeys(COLUMNS, "")
    row.update({
        "GKGRECORDID": "20230702153000-7",
        "DATE": "20230702153000",
        "SourceCollectionIdentifier": "1",
        "SourceCommonName": "lrt.lt",
        "DocumentIdentifier": URL,
        "V2Themes": "NATO,120;SECURITY_SERVICES,300;NATO,900;",
        "V2Locations": ("1#Lithuania#LH#LH##56#24#LH#55;"
                        "4#Vilnius, Vilniaus Apskritis, Lithuania#LH#LH65#15376#54.68#25.31#-2612321#80;"
                        "1#Lithuania#LH#LH##56#24#LH#400"),
        "V2Persons": "Gitanas Nauseda,200;Jens Stoltenberg,260;Gitanas Nauseda,700",
        "V2Organizations": "NATO,10;North Atlantic Treaty Organization,500",
        "V2Tone": "-1.5,2.0,3.5,5.5,20.1,0.4,412",
        "Extras": "<PAGE_LINKS>https://x.lt/a</PAGE_LINKS><PAGE_TITLE>NATO summit in Vilnius &#x2013; security tightened"
                  "</PAGE_TITLE>",
    })
    row.update(cells)
    return "\t".join(row[c] for c in COLUMNS)


def write(path, rows):
    path.write_bytes(b"".join((r if isinstance(r, bytes) else r.encode()) + b"\n" for r in rows))
    return path


def read(path, **kw):
    out = list(read_articles(path, **kw))
    return [r for r in out if isinstance(r, Located)], {e.line: e.reason for e in out if isinstance(e, InputError)}


def test_a_record_becomes_an_article_with_given_entities(tmp_path):
    good, bad = read(write(tmp_path / "20230702153000.gkg.csv", [gkg_row()]))
    assert bad == {}
    (rec,) = good
    a = rec.article
    assert a.url == "https://lrt.lt/en/news-in-english/19/2031234/nato-summit-in-vilnius-security-tightened"
    assert a.outlet_id == "lrt.lt"
    assert a.published_at == datetime(2023, 7, 2, 15, 30, tzinfo=timezone.utc)
    assert a.title == "NATO summit in Vilnius – security tightened"
    assert a.word_count == 412
    assert a.extra["gkg_themes"] == ["NATO", "SECURITY_SERVICES"]
    assert a.extra["gkg_tone"]["tone"] == -1.5 and a.extra["gkg_id"] == "20230702153000-7"
    assert set(rec.entities) == {
        ("Gitanas Nauseda", "PERSON", 2), ("Jens Stoltenberg", "PERSON", 1), ("NATO", "ORG", 1),
        ("North Atlantic Treaty Organization", "ORG", 1), ("Lithuania", "GPE", 2), ("Vilnius", "GPE", 1),
    }


def test_without_a_page_title_the_title_comes_from_the_url(tmp_path):
    good, _ = read(write(tmp_path / "x.gkg.csv", [gkg_row(Extras="")]))
    assert good[0].article.title == "Nato summit in vilnius security tightened"
    assert good[0].article.extra["gkg_title_source"] == "url"


def test_bad_records_are_reported_by_line_and_good_ones_land(tmp_path):
    path = write(tmp_path / "batch.gkg.csv", [
        gkg_row(),
        gkg_row(DATE="2023-07-02"),
        "20230702153000-9\t20230702153000\t1\tcut.off",
        gkg_row(DocumentIdentifier=""),
        gkg_row(DocumentIdentifier="https://cnn.com/2023/07/02/world/a-story-about-vilnius").encode() + b"\xff",
        gkg_row(DocumentIdentifier="https:///no-host"),
        "",
        gkg_row(DocumentIdentifier="https://bbc.co.uk/news/world-europe-6600"),
    ])
    good, bad = read(path)
    assert [r.line for r in good] == [1, 8]
    assert set(bad) == {2, 3, 4, 5, 6}
    assert "YYYYMMDDHHMMSS" in bad[2] and "27" in bad[3] and "DocumentIdentifier" in bad[4]
    assert "UTF-8" in bad[5]


def test_a_zip_is_read_like_the_file_it_holds(tmp_path):
    path = tmp_path / "20230702153000.gkg.csv.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("20230702153000.gkg.csv", gkg_row() + "\n" + gkg_row(DATE="bad") + "\n")
        z.writestr("__MACOSX/._20230702153000.gkg.csv", b"\x00\x05")
    good, bad = read(path)  # the format is recognised from GDELT's file name
    assert len(good) == 1 and list(bad) == [2]


class NoNer:
    """Fails the test if the pipeline runs NER for a GKG record."""

    def extract(self, articles):
        raise AssertionError(f"NER ran for {[a.id for a in articles]}")


class TitleNer:
    """Stands in for spaCy: the title's capitalised words as GPE."""

    def extract(self, articles):
        out = []
        for a in articles:
            ents = tuple(Entity(f"gpe:{w.lower()}", w, "GPE") for w in a.title.split() if w.istitle())
            out.append(ArticleEntities(a.id, ents, tuple(Mention(a.id, e.id, 1, True) for e in ents)))
        return out


def test_ingest_uses_the_given_entities_and_merges_them_with_ner_ones(tmp_path):
    from newsgraph.engine.store.sqlite import SQLiteStore

    store = SQLiteStore(tmp_path / "g.db")
    gkg = write(tmp_path / "20230702153000.gkg.csv", [gkg_row(), gkg_row(DATE="x")])
    report = Ingestor(store, get_settings(), extractor=NoNer()).ingest([str(gkg)], format="gkg")
    assert (report.stored, report.rejected) == (1, 1)
    (row,) = store.export_articles()
    ids = {e if isinstance(e, str) else e["id"] for e in row["entities"]}
    assert {"gpe:lithuania", "gpe:vilnius", "person:gitanas-nauseda", "person:jens-stoltenberg"} <= ids
    entities = store.stats()["nodes"]["Entity"]
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text(json.dumps({"url": "https://cnn.com/2023/07/02/lithuania", "title": "Lithuania prepares",
                                 "published_at": "2023-07-02T16:00:00Z"}) + "\n")
    Ingestor(store, get_settings(), extractor=TitleNer()).ingest([str(jsonl)])
    assert store.stats()["nodes"]["Entity"] == entities  # cnn's "Lithuania" is GKG's node
    before = store.stats()
    again = Ingestor(store, get_settings(), extractor=NoNer()).ingest([str(gkg)], format="gkg", resume=False)
    assert (again.stored, again.already_stored) == (0, 1) and store.stats() == before


def test_gdelt_domain_country_table_sets_outlet_countries(tmp_path):
    path = tmp_path / "domain-country.csv.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("domain-country.csv", "domain,countrycode,cnt\nlrt.lt,US,50\nlrt.lt,LH,900\n"
                                         "www.bbc.co.uk,UK,1761\nunknown,US,4\nbbc.co.uk,US,336\n")
        z.writestr("__MACOSX/._domain-country.csv", b"\x00")
    result = import_ratings(read_ratings(path, "gdelt-country"), [], ["allsides"])
    assert {o.id: o.country for o in result.outlets} == {"lrt.lt": "LH", "bbc.co.uk": "UK"}
    assert [e.line for e in result.errors] == [5]
    assert all(o.bias.value == "unrated" for o in result.outlets)


def test_a_table_in_another_layout_is_refused_at_once(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("site,country\ncnn.com,US\n")
    with pytest.raises(InputError, match="domain,countrycode,cnt"):
        read_ratings(path, "gdelt-country")


def test_the_cli_ingests_a_gkg_file_and_reports_bad_records(tmp_path):
    from typer.testing import CliRunner

    from newsgraph.engine.cli import app

    gkg = write(tmp_path / "20230702153000.gkg.csv", [gkg_row(), gkg_row(DATE="soon")])
    url = f"sqlite:///{tmp_path / 'g.db'}"
    result = CliRunner().invoke(app, ["ingest", str(gkg), "--store", url, "--json"])
    assert result.exit_code == 1, result.output  # one record rejected, the good one landed
    report = json.loads(result.stdout)
    assert report["stored"] == 1 and report["problems"] == [f"{gkg}:2: DATE 'soon' is not YYYYMMDDHHMMSS"]


def test_a_broken_zip_is_refused_before_anything_is_read(tmp_path):
    path = tmp_path / "20230702153000.gkg.csv.zip"
    path.write_bytes(b"PK\x03\x04 cut off")
    with pytest.raises(InputError, match="zip"):
        read_articles(path)


def test_a_gzip_gkg_damaged_in_its_first_bytes_is_one_reported_problem(tmp_path):
    import gzip

    body = bytearray(gzip.compress("".join(f"row{i}\tsome\tcolumns\tof text {i}\n" for i in range(5000)).encode(),
                                   mtime=0))
    body[100] ^= 0xFF  # zlib: "invalid distance too far back", before the first line is out
    path = tmp_path / "20230702153000.gkg.csv.gz"
    path.write_bytes(bytes(body))
    (problem,) = list(read_articles(path))
    assert isinstance(problem, InputError) and problem.line == 1 and "invalid distance too far back" in problem.reason
