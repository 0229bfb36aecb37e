"""Readers against the bad-input list: each bad record reported with file:line and skipped, good ones kept."""

import gzip
import json
from datetime import datetime, timezone

import pytest

from engine.errors import InputError, UnknownFormat
from engine.ingest import Located, parse_mapping, read_articles

GOOD = {"url": "https://www.cnn.com/a?utm_source=x", "title": "Good one", "published_at": "2021-05-01T10:00:00"}


def records(path, **kw):
    out = list(read_articles(path, **kw))
    good = [r.article for r in out if isinstance(r, Located)]
    bad = {e.line: e.reason for e in out if isinstance(e, InputError)}
    assert all(e.source == str(path) for e in out if isinstance(e, InputError))
    return good, bad


def write_lines(path, lines):
    path.write_bytes(b"".join((ln if isinstance(ln, bytes) else ln.encode()) + b"\n" for ln in lines))
    return path


def line(**changes):
    rec = {**GOOD, **changes}
    return json.dumps({k: v for k, v in rec.items() if v is not None})


def test_jsonl_bad_records_are_reported_by_line_and_good_ones_land(tmp_path):
    path = write_lines(tmp_path / "in.jsonl", [
        line(url="https://cnn.com/1"),
        '{"url": "https://cnn.com/2", "title": "cut off',
        line(url="https://cnn.com/3", title=42),
        line(url="https://cnn.com/4", title=None),
        line(url="https://cnn.com/5", published_at="2021-02-30"),
        line(url="https://cnn.com/6", published_at="2021-13-01"),
        b'{"url": "https://cnn.com/7", "title": "caf\xe9", "published_at": "2021-05-01"}',
        line(url="https:///no-host"),
        "[1, 2]",
        "",
        line(url="https://cnn.com/11", text=["not", "a", "string"]),
        line(url=None, id=None),
        line(url="https://cnn.com/13", published_at=True),
        line(url="https://cnn.com/14"),
    ])
    good, bad = records(path)
    assert [a.url for a in good] == ["https://cnn.com/1", "https://cnn.com/14"]
    assert sorted(bad) == [2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13]
    assert "invalid JSON" in bad[2]
    assert "title must be a string" in bad[3]
    assert "missing required field title" in bad[4]
    assert "day is out of range" in bad[5] and "month must be in 1..12" in bad[6]
    assert "not UTF-8" in bad[7]
    assert "no host" in bad[8]
    assert "expected a JSON object" in bad[9]
    assert "text must be a string" in bad[11]
    assert "url (or id)" in bad[12]
    assert "published_at" in bad[13]


def test_empty_file_reads_nothing(tmp_path):
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "empty.csv").write_bytes(b"")
    assert records(tmp_path / "empty.jsonl") == ([], {})
    assert records(tmp_path / "empty.csv") == ([], {})


def test_a_50_mb_text_lands_cut_to_the_limit(tmp_path):
    huge = "word " * 10_000_000  # 50 MB
    path = write_lines(tmp_path / "big.jsonl", [line(text=huge), line(url="https://cnn.com/next")])
    good, bad = records(path, max_text_chars=100_000)
    assert bad == {} and len(good) == 2
    assert len(good[0].text) == 100_000 and good[1].url == "https://cnn.com/next"


def test_fields_canonicalised_and_extras_kept(tmp_path):
    path = write_lines(tmp_path / "in.jsonl", [
        line(url="HTTPS://WWW.CNN.com/a/?fbclid=1&utm_medium=x#frag", section="world", tags=["a", "b"],
             nested={"k": 1}, published_at="2021-05-01T10:00:00+02:00"),
        line(id=77, url=None, outlet="https://www.NYTimes.com/", published_at=1619863200),
    ])
    (a, b), bad = records(path)
    assert bad == {}
    assert a.url == "https://cnn.com/a" and a.outlet_id == "cnn.com"
    assert a.extra == {"section": "world", "tags": ["a", "b"], "nested": {"k": 1}}
    assert a.published_at == datetime(2021, 5, 1, 8, tzinfo=timezone.utc)
    assert b.id == "77" and b.url is None and b.outlet_id == "nytimes.com"
    assert b.published_at == datetime(2021, 5, 1, 10, tzinfo=timezone.utc)


def test_gzip_is_read_transparently(tmp_path):
    path = tmp_path / "in.jsonl.gz"
    with gzip.open(path, "wt") as f:
        f.write(line() + "\n" + line(url="https://cnn.com/b") + "\n")
    good, bad = records(path)
    assert len(good) == 2 and bad == {}


def test_truncated_gzip_reports_where_it_ends(tmp_path):
    whole = gzip.compress("".join(line(url=f"https://cnn.com/{i}") + "\n" for i in range(2000)).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(whole[: len(whole) // 2])
    good, bad = records(path)
    assert len(bad) == 1 and "ends early" in next(iter(bad.values()))
    assert 0 < len(good) < 2000


def test_csv_with_mapping_and_bad_rows(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(
        b"HEADLINE,LINK,WHEN,section\n"
        b"Good row,https://www.foxnews.com/x,2021-05-01,politics\n"
        b"Bad date,https://foxnews.com/y,not a date,politics\n"
        b"\"Multi\nline title\",https://foxnews.com/z,1619863200000,world\n"
        b"caf\xe9,https://foxnews.com/w,2021-05-01,world\n"
        b"too,few\n"
        b",https://foxnews.com/v,2021-05-01,world\n"
    )
    mapping = parse_mapping("title=HEADLINE,url=LINK,published_at=WHEN")
    good, bad = records(path, mapping=mapping)
    assert [a.title for a in good] == ["Good row", "Multi\nline title"]
    assert good[0].extra == {"section": "politics"} and good[0].outlet_id == "foxnews.com"
    assert good[1].published_at == datetime(2021, 5, 1, 10, tzinfo=timezone.utc)
    assert sorted(bad) == [3, 6, 7, 8]
    assert "not a valid ISO 8601" in bad[3] and "not UTF-8" in bad[6]
    assert "2 cells" in bad[7] and "title" in bad[8]


def test_csv_missing_mapped_column_is_one_clear_error(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("title,url,published_at\nA,https://x.com/a,2021-05-01\n")
    with pytest.raises(InputError, match="'HEADLINE' not in the header"):
        read_articles(path, mapping={"title": "HEADLINE"})


def test_malformed_mapping_text():
    with pytest.raises(InputError, match="FIELD=COLUMN"):
        parse_mapping("title")
    with pytest.raises(InputError, match="unknown field"):
        parse_mapping("headline=TITLE")


def test_unreadable_paths_and_unknown_formats(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_articles(tmp_path / "missing.jsonl")
    with pytest.raises(InputError, match="directory"):
        read_articles(tmp_path)
    (tmp_path / "x.xml").write_text("<x/>")
    with pytest.raises(UnknownFormat):
        read_articles(tmp_path / "x.xml")
    with pytest.raises(UnknownFormat):
        read_articles(tmp_path / "x.xml", format="parquet")
    good, _ = records(tmp_path / "x.xml", format="jsonl")
    assert good == []
