"""Readers against the bad-input list: each bad record reported with file:line and skipped, good ones kept."""

import gzip
import json
from datetime import datetime, timezone

import pytest

from newsgraph.engine.errors import InputError, UnknownFormat
from newsgraph.engine.ingest import Located, parse_mapping, read_articles

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


def damaged_gzip(rows_before: list[str], rows_after: list[str]) -> bytes:
    """A gzip file of two members, the second damaged near its start (zlib: "invalid distance too far back")."""
    second = bytearray(gzip.compress("".join(r + "\n" for r in rows_after).encode(), mtime=0))
    second[100] ^= 0xFF
    return gzip.compress("".join(r + "\n" for r in rows_before).encode(), mtime=0) + bytes(second)


def test_gzip_damaged_near_its_start_is_one_problem_after_the_rows_before_it(tmp_path):
    path = tmp_path / "damaged.jsonl.gz"
    path.write_bytes(damaged_gzip([line(url=f"https://cnn.com/{i}") for i in range(3)],
                                  [line(url=f"https://cnn.com/x{i}") for i in range(3000)]))
    good, bad = records(path)
    assert [a.url for a in good] == ["https://cnn.com/0", "https://cnn.com/1", "https://cnn.com/2"]
    assert list(bad) == [4] and "corrupt" in bad[4] and "invalid distance too far back" in bad[4]


def test_gzip_damaged_in_its_first_bytes_is_a_reported_problem_for_csv_too(tmp_path):
    body = bytearray(gzip.compress(("title,url,published_at\n" + "".join(
        f"Story {i} about things,https://cnn.com/{i},2021-05-01\n" for i in range(3000))).encode(), mtime=0))
    body[100] ^= 0xFF
    path = tmp_path / "damaged.csv.gz"
    path.write_bytes(bytes(body))
    good, bad = records(path)
    assert good == [] and list(bad) == [1] and "corrupt" in bad[1]


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


# -- more of the bad-input list, and CSV where it applies ---------------------------------------------

def test_jsonl_edge_lines_do_not_stop_the_file(tmp_path):
    path = write_lines(tmp_path / "edge.jsonl", [
        b"\xef\xbb\xbf" + line(url="https://cnn.com/1").encode(),  # a byte-order mark before line 1
        "[" * 100_000,  # nested too deeply for the parser's recursion
        '{"url": "https://cnn.com/3", "title": "t", "published_at": NaN}',
        line(url="https://cnn.com/4", id=True),
        line(url="https://cnn.com/5", outlet="New York Times"),
        line(url="ftp://cnn.com/6"),
        line(url="https://cnn.com/7", published_at="2021"),
        line(url="https://cnn.com/8", published_at={"$date": "2021-05-01"}),
        "   ",
        "null",
        line(url="https://cnn.com/11"),
    ])
    good, bad = records(path)
    assert [a.url for a in good] == ["https://cnn.com/1", "https://cnn.com/11"]
    assert sorted(bad) == [2, 3, 4, 5, 6, 7, 8, 10]
    assert "nested too deeply" in bad[2] and "NaN is not valid JSON" in bad[3]
    assert "id must be a string or an integer, not bool" in bad[4]
    assert "not a domain or URL" in bad[5] and "not an http(s) URL" in bad[6]
    assert "not a valid ISO 8601" in bad[7] and "string or a number, not dict" in bad[8]
    assert "expected a JSON object, got NoneType" in bad[10]


def test_errors_print_as_file_line_reason(tmp_path):
    path = write_lines(tmp_path / "in.jsonl", [line(), line(title="")])
    (err,) = [r for r in read_articles(path) if isinstance(r, InputError)]
    assert str(err) == f"{path}:2: missing required field title"


def test_source_name_is_what_reports_use(tmp_path):
    from newsgraph.engine.ingest import read_csv, read_jsonl

    jsonl = write_lines(tmp_path / "in.jsonl", ["{"])
    assert [e.location for e in read_jsonl(jsonl, source_name="upload.jsonl")] == ["upload.jsonl:1"]
    csv_path = tmp_path / "in.csv"
    csv_path.write_text("title,url,published_at\nA,https://x.com/a,\n")
    assert [e.location for e in read_csv(csv_path, source_name="upload.csv")] == ["upload.csv:2"]


def test_extra_fields_round_trip_exactly(tmp_path):
    extra = {"section": "world", "score": 0.5, "rank": 3, "flag": False, "none": None,
             "tags": ["a", {"b": [1, 2]}], "ünïcode": "ça va — 東京", "empty": ""}
    path = write_lines(tmp_path / "in.jsonl", [json.dumps({**GOOD, **extra}, ensure_ascii=False)])
    (a,), bad = records(path)
    assert bad == {} and a.extra == extra
    assert json.loads(json.dumps(a.extra)) == extra


def test_word_count_falls_back_from_text_to_lead_to_title(tmp_path):
    path = write_lines(tmp_path / "in.jsonl", [
        line(url="https://cnn.com/1", text="one two three", lead="a b"),
        line(url="https://cnn.com/2", lead="a b"),
        line(url="https://cnn.com/3", title="just a title"),
    ])
    good, _ = records(path)
    assert [a.word_count for a in good] == [3, 2, 3]


def test_article_without_url_or_outlet_has_no_outlet(tmp_path):
    path = write_lines(tmp_path / "in.jsonl", [line(url=None, id="src-1")])
    (a,), _ = records(path)
    assert (a.id, a.url, a.outlet_id) == ("src-1", None, None)


def test_csv_bad_input_list(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(
        b"title,url,published_at,text\n"
        b"Good,https://cnn.com/1,2021-05-01,body\n"                 # 2
        b"No host,https:///x,2021-05-01,body\n"                     # 3
        b"Bad day,https://cnn.com/4,2021-02-30,body\n"              # 4
        b"Bad month,https://cnn.com/5,2021-13-01,body\n"            # 5
        b",https://cnn.com/6,2021-05-01,no title\n"                 # 6
        b"No date,https://cnn.com/7,,body\n"                        # 7
        b"No url,,2021-05-01,body\n"                                # 8
        b"Bytes,https://cnn.com/9,2021-05-01,caf\xe9\n"             # 9
        b"\"Cut off,https://cnn.com/10,2021-05-01,body\n"           # 10: an open quote swallows the rest
    )
    good, bad = records(path)
    assert [a.url for a in good] == ["https://cnn.com/1"]
    assert sorted(bad) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "no host" in bad[3] and "day is out of range" in bad[4] and "month must be in 1..12" in bad[5]
    assert "title" in bad[6] and "published_at" in bad[7] and "url (or id)" in bad[8]
    assert "not UTF-8" in bad[9]


def test_csv_row_numbers_are_physical_lines(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text('title,url,published_at\n"Two\nlines",https://cnn.com/a,2021-05-01\n\nX,https:///,2021-05-01\n')
    out = list(read_articles(path))
    assert out[0].line == 2 and out[0].article.title == "Two\nlines"
    assert isinstance(out[1], InputError) and out[1].line == 5


def test_csv_header_that_is_not_utf8_is_a_file_error(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(b"t\xeftle,url,published_at\nA,https://x.com/a,2021-05-01\n")
    with pytest.raises(InputError, match="header row is not UTF-8"):
        read_articles(path)


def test_csv_gzip_and_bom(tmp_path):
    path = tmp_path / "in.csv.gz"
    with gzip.open(path, "wb") as f:
        f.write("\ufefftitle,url,published_at,desk\nA,https://www.cnn.com/a/,2021-05-01T10:00:00Z,world\n"
                .encode("utf-8"))
    (a,), bad = records(path)
    assert bad == {} and a.url == "https://cnn.com/a" and a.extra == {"desk": "world"}


def test_a_50_mb_csv_text_lands_cut_to_the_limit(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w") as f:
        f.write("title,url,published_at,text\n")
        f.write("Big,https://cnn.com/big,2021-05-01,")
        f.write("word " * 10_000_000)
        f.write("\nNext,https://cnn.com/next,2021-05-01,short\n")
    good, bad = records(path, max_text_chars=100_000)
    assert bad == {} and [a.url for a in good] == ["https://cnn.com/big", "https://cnn.com/next"]
    assert len(good[0].text) == 100_000 and good[0].word_count == 20_000


def test_a_50_mb_line_stays_within_a_few_copies_of_itself(tmp_path):
    import time
    import tracemalloc

    size = 50_000_000
    path = write_lines(tmp_path / "big.jsonl", [line(text="x" * size)])
    tracemalloc.start()
    started = time.perf_counter()
    try:
        (only,) = list(read_articles(path, max_text_chars=1000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(only.article.text) == 1000
    # the raw line, its decoded text and the parsed string: a handful of copies, never more
    assert peak < 5 * size
    assert time.perf_counter() - started < 30


@pytest.mark.parametrize("suffix", ["jsonl", "csv"])
def test_readers_stream_instead_of_loading_the_file(tmp_path, suffix):
    import tracemalloc

    n, body = 3_000, "loremipsum" * 600 + " end"  # long words: the test times reading, not counting
    path = tmp_path / f"many.{suffix}"
    with path.open("w") as f:
        if suffix == "csv":
            f.write("title,url,published_at,text\n")
        for i in range(n):
            f.write(line(url=f"https://cnn.com/{i}", text=body) + "\n" if suffix == "jsonl"
                    else f"T{i},https://cnn.com/{i},2021-05-01,{body}\n")
    assert path.stat().st_size > 18_000_000
    tracemalloc.start()
    try:
        count = sum(1 for r in read_articles(path) if isinstance(r, Located))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == n
    assert peak < 1_000_000  # a few records at a time, not the 18 MB file


def test_same_id_twice_with_other_content_is_told_apart_from_a_repeat(tmp_path):
    from newsgraph.engine.ingest import Deduplicator

    path = write_lines(tmp_path / "ids.jsonl", [
        line(id="x1", url=None, outlet="cnn.com"),
        line(id="x1", url=None, outlet="cnn.com", title="Another story"),
        line(id="x1", url=None, outlet="cnn.com"),
        line(url="https://www.cnn.com/a?fbclid=1", title="Edited headline"),
        line(url="https://cnn.com/a"),
    ])
    dedup = Deduplicator()
    verdicts = [dedup.check(r.article, r.location) for r in read_articles(path)]
    assert verdicts[0] is None and verdicts[3] is None
    assert verdicts[1].conflict and verdicts[1].reason == f"id 'x1' already used by {path}:1 with different content"
    assert not verdicts[2].conflict and verdicts[2].reason == f"exact duplicate of {path}:1"
    assert not verdicts[4].conflict and verdicts[4].reason == f"same URL as {path}:4"
