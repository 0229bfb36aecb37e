"""Reading raters' files: each real layout, every label, bad rows with file:line."""

from pathlib import Path

import pytest

from newsgraph.engine.errors import InputError, UnknownFormat
from newsgraph.engine.models import Bias, Factuality, Ownership, Rating
from newsgraph.engine.ratings import read_ratings, scales_markdown
from newsgraph.engine.ratings.scales import (
    BIAS_LABELS,
    FACTUALITY_LABELS,
    OWNERSHIP_LABELS,
    adfontes_bias,
    adfontes_factuality,
    bias_label,
    factuality_label,
    ownership_label,
)

DOCS = Path(__file__).resolve().parents[2] / "docs"

ALLSIDES_2019 = (
    "news_source,rating,rating_num,type,agree,disagree,perc_agree,url,editorial_review,blind_survey,"
    "third_party_analysis,independent_research,confidence_level,twitter,wiki,facebook,screen_name\n"
    "ABC News,left-center,2,News Media,13793,9409,0.59,https://www.allsides.com/news-source/abc-news-media-bias,"
    "0,1,1,1,High,https://twitter.com/ABC,https://en.wikipedia.org/wiki/ABC_News,NA,ABC\n"
    'Abridge News,allsides,NA,News Media,31,17,0.64,"https://www.allsides.com/news-source/abridge\n'
    'continued",0,0,0,1,High,NA,NA,NA,Abridge_News\n'
    "Ted Rall (cartoonist),left,1,Author,10,5,0.6,https://www.allsides.com/x,0,0,0,1,NA,NA,NA,NA,NA\n"
    "Wall Street Journal - News,center,3,News Media,1,1,0.5,https://www.allsides.com/y,0,0,0,1,NA,NA,NA,NA,NA\n"
    "Odd Source,leftish,NA,News Media,1,1,0.5,https://www.allsides.com/z,0,0,0,1,NA,NA,NA,NA,NA\n"
    ",right,5,News Media,1,1,0.5,https://www.allsides.com/w,0,0,0,1,NA,NA,NA,NA,NA\n"
)

ALLSIDES_2023 = (
    "news_source,news_link,bias_rating,community_feedback\n"
    "Karol Markowicz,https://www.foxnews.com/person/m/karol-markowicz,Right,107/119\n"
    "New York Times (News),http://www.nytimes.com/,Lean Left,1/2\n"
    "CNN (Opinion),https://www.cnn.com/opinions,Left,3/4\n"
    "National Review (News),nationalreview.com/news/,Lean Right,5/6\n"
    '"""The Conversation"" Contributor",https://twitter.com/ConversationUS,Lean Left,85/64\n'
    "Jon Terbush,,Lean Left,154/207\n"
    "Multiple Writers - Mixed,,Mixed,1/1\n"
    "Reuters,https://www.reuters.com,Center,1/1\n"
    "Somewhere,https://www.somewhere.com,Far Out,1/1\n"
)

MBFC_EMNLP18 = (
    "source_url\tsource_url_normalized\tref\tfact\tbias\n"
    "http://www.villagevoice.com/\tvillagevoice.com\thttp://mediabiasfactcheck.com/the-village-voice/\thigh\tleft\n"
    "http://www.fury.news/\tfury.news\thttp://mediabiasfactcheck.com/fury-news/\tlow\textreme-right\n"
    "http://www.itv.com/news/\titv.com-news\thttp://mediabiasfactcheck.com/itv/\thigh\tleft-center\n"
    "http://now8news.com/\tnow8news.com\thttp://mediabiasfactcheck.com/now8news/\tlow\tcenter\n"
    "http://a.com/\ta.com\thttp://mediabiasfactcheck.com/a/\tmixed\tright-center\n"
    "http://b.com/\tb.com\thttp://mediabiasfactcheck.com/b/\tmixed\textreme-left\n"
    "http://c.com/\tc.com\thttp://mediabiasfactcheck.com/c/\tsomewhat\tright\n"
    "http://someblog.wordpress.com/\tsomeblog.wordpress.com\thttp://mediabiasfactcheck.com/d/\tlow\tright\n"
    "https://www.wikipedia.org\twikipedia.org\thttps://mediabiasfactcheck.com/wikipedia/\tmixed\tleft-center\n"
)

MBFC_ACL2020 = (
    "source_url\tsource_url_normalized\tref\tfact\tbias\n"
    "http://www.cnn.com\tcnn.com\thttp://mediabiasfactcheck.com/cnn/\tmixed\tleft\n"
    "https://www.reuters.com\treuters.com\thttps://mediabiasfactcheck.com/reuters/\thigh\tcenter\n"
    "http://www.foxnews.com\tfoxnews.com\thttps://mediabiasfactcheck.com/fox-news/\tmixed\tright\n"
)

ADFONTES = (
    "source,reliability,bias\n"
    "19th News,45.18,-9.89\n"
    "ABC News,46.64,-4.66\n"
    "Breitbart,20.5,19.1\n"
    "Broken,n/a,3\n"
    "Too Far,30,50\n"
    ",40,0\n"
)

GENERIC = (
    "domain,name,bias,factuality,ownership,country,rating_source,bias_score\n"
    "cnn.com,CNN,left,mixed,media_conglomerate,US,test,\n"
    "https://www.reuters.com/world,Reuters,Center,Very High,Corporation,GB,,\n"
    "example.org,,,,,,,-1.2\n"
    ",Only A Name,Lean Right,,,,,\n"
    "bad.org,Bad,center,high,owned by aliens,,,\n"
    ",,center,,,,,\n"
    "worse.org,Worse,center,,,,,7\n"
)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def split(items):
    items = list(items)
    ratings = [i for i in items if isinstance(i, Rating)]
    errors = [i for i in items if isinstance(i, InputError)]
    return ratings, errors


def test_allsides_2019_layout(tmp_path):
    path = write(tmp_path, "allsides_data.csv", ALLSIDES_2019)
    ratings, errors = split(read_ratings(path, "allsides"))
    assert [(r.name, r.bias, r.bias_score, r.outlet_id) for r in ratings] == [
        ("ABC News", Bias.LEAN_LEFT, -1, None),
        ("Abridge News", Bias.UNRATED, None, None),
        ("Ted Rall (cartoonist)", Bias.LEFT, -2, None),
        ("Wall Street Journal - News", Bias.CENTER, 0, None),
    ]
    assert all(r.rater == "allsides" for r in ratings)
    assert ratings[2].raw["kind"] == "person" and ratings[0].raw["kind"] == "outlet"
    # Abridge News spans lines 3-4, so the rows after it start on physical lines 5, 6, 7, 8.
    assert ratings[2].raw["line"] == 5
    assert [e.location for e in errors] == [f"{path}:7", f"{path}:8"]
    assert "leftish" in errors[0].reason and "news_source" in errors[1].reason


def test_allsides_2023_layout_and_links(tmp_path):
    path = write(tmp_path, "all_sides_snapshot.csv", ALLSIDES_2023)
    ratings, errors = split(read_ratings(path, "allsides"))
    got = {r.name: (r.outlet_id, r.bias, r.raw["kind"], r.raw["link"]) for r in ratings}
    assert got["Karol Markowicz"] == (None, Bias.RIGHT, "person", "author")
    assert got["New York Times (News)"] == ("nytimes.com", Bias.LEAN_LEFT, "outlet", "home")
    assert got["CNN (Opinion)"] == (None, Bias.LEFT, "outlet", "section")
    assert got["National Review (News)"] == (None, Bias.LEAN_RIGHT, "outlet", "section")
    assert got['"The Conversation" Contributor'] == (None, Bias.LEAN_LEFT, "outlet", "platform")
    assert got["Jon Terbush"] == (None, Bias.LEAN_LEFT, "outlet", "none")
    assert got["Multiple Writers - Mixed"][1] is Bias.UNRATED
    assert got["Reuters"][0] == "reuters.com"
    assert [(e.line, "Far Out" in e.reason) for e in errors] == [(10, True)]


def test_mbfc_seven_class_layout(tmp_path):
    path = write(tmp_path, "corpus.tsv", MBFC_EMNLP18)
    ratings, errors = split(read_ratings(path, "mbfc"))
    got = {r.outlet_id: (r.bias, r.factuality, r.bias_score) for r in ratings}
    assert got == {
        "villagevoice.com": (Bias.LEFT, Factuality.HIGH, -2),
        "fury.news": (Bias.RIGHT, Factuality.LOW, 2),
        "itv.com": (Bias.LEAN_LEFT, Factuality.HIGH, -1),  # from source_url, not "itv.com-news"
        "now8news.com": (Bias.CENTER, Factuality.LOW, 0),
        "a.com": (Bias.LEAN_RIGHT, Factuality.MIXED, 1),
        "b.com": (Bias.LEFT, Factuality.MIXED, -2),
        "wikipedia.org": (Bias.LEAN_LEFT, Factuality.MIXED, -1),  # a platform rated as itself is fine
    }
    assert all(r.rater == "mbfc" and r.name == r.outlet_id for r in ratings)
    assert [e.line for e in errors] == [8, 9]
    assert "somewhat" in errors[0].reason and "wordpress.com" in errors[1].reason


def test_mbfc_three_class_layout(tmp_path):
    path = write(tmp_path, "corpus.tsv", MBFC_ACL2020)
    ratings, errors = split(read_ratings(path, "mbfc"))
    assert not errors
    assert [(r.outlet_id, r.bias.value, r.factuality.value) for r in ratings] == [
        ("cnn.com", "left", "mixed"), ("reuters.com", "center", "high"), ("foxnews.com", "right", "mixed")]


def test_adfontes_layout(tmp_path):
    path = write(tmp_path, "adfontes_snapshot.csv", ADFONTES)
    ratings, errors = split(read_ratings(path, "adfontes"))
    assert [(r.name, r.bias, r.bias_score, r.factuality) for r in ratings] == [
        ("19th News", Bias.LEAN_LEFT, -0.824, Factuality.HIGH),
        ("ABC News", Bias.CENTER, -0.388, Factuality.HIGH),
        ("Breitbart", Bias.RIGHT, 1.523, Factuality.LOW),
    ]
    assert all(r.rater == "adfontes" and r.outlet_id is None for r in ratings)
    assert [e.line for e in errors] == [5, 6, 7]
    assert "not a number" in errors[0].reason and "-42..42" in errors[1].reason and "source" in errors[2].reason


def test_generic_csv_layout(tmp_path):
    path = write(tmp_path, "outlets.csv", GENERIC)
    ratings, errors = split(read_ratings(path, "csv"))
    cnn, reuters, example, named = ratings
    assert (cnn.rater, cnn.outlet_id, cnn.bias, cnn.factuality, cnn.ownership, cnn.country) == (
        "test", "cnn.com", Bias.LEFT, Factuality.MIXED, Ownership.MEDIA_CONGLOMERATE, "US")
    assert (reuters.rater, reuters.outlet_id, reuters.bias, reuters.factuality, reuters.ownership) == (
        "csv", "reuters.com", Bias.CENTER, Factuality.VERY_HIGH, Ownership.CORPORATION)
    # A score alone places the label; a missing name falls back to the domain.
    assert (example.name, example.bias, example.bias_score) == ("example.org", Bias.LEAN_LEFT, -1.2)
    assert (named.outlet_id, named.bias, named.bias_score) == (None, Bias.LEAN_RIGHT, 1)
    assert [(e.line, e.reason) for e in errors] == [
        (6, "unknown ownership 'owned by aliens'"),
        (7, "neither domain nor name"),
        (8, "bias_score 7.0 is outside [-2, 2]"),
    ]


def test_header_that_fits_no_layout_is_refused_at_once(tmp_path):
    path = write(tmp_path, "x.csv", "source,reliability,bias\nReuters,40,0\n")
    with pytest.raises(InputError, match="fits no allsides layout") as info:
        read_ratings(path, "allsides")
    assert info.value.location == f"{path}:1"


def test_unreadable_file_and_unknown_scheme(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_ratings(tmp_path / "missing.csv", "csv")
    with pytest.raises(InputError, match="empty file"):
        read_ratings(write(tmp_path, "empty.csv", ""), "csv")
    with pytest.raises(UnknownFormat, match="allsides, mbfc, adfontes, csv"):
        read_ratings(write(tmp_path, "a.csv", "domain\n"), "newsguard")


def _variants(label):
    return {label, label.upper(), label.title(), label.replace("-", " "), label.replace(" ", "_"),
            label.replace("_", "-"), f"  {label} "}


@pytest.mark.parametrize(("scheme", "label", "expected"), [(s, lab, v) for s, lab, v, _ in BIAS_LABELS])
def test_every_bias_label_in_every_spelling(scheme, label, expected):
    for spelling in _variants(label):
        assert bias_label(scheme, spelling) is expected
        assert bias_label("csv", spelling) is expected  # the generic CSV takes every rater's spelling


@pytest.mark.parametrize(("scheme", "label", "expected"), [(s, lab, v) for s, lab, v, _ in FACTUALITY_LABELS])
def test_every_factuality_label_in_every_spelling(scheme, label, expected):
    for spelling in _variants(label):
        assert factuality_label(scheme, spelling) is expected
        assert factuality_label("csv", spelling) is expected


@pytest.mark.parametrize(("label", "expected"), OWNERSHIP_LABELS)
def test_every_ownership_label(label, expected):
    assert ownership_label(label.upper()) is expected


def test_every_value_of_the_scales_is_reachable():
    assert {v for _, _, v, _ in BIAS_LABELS} == set(Bias)
    assert {v for _, _, v, _ in FACTUALITY_LABELS} == set(Factuality)
    assert {v for _, v in OWNERSHIP_LABELS} == set(Ownership)
    assert {v for s, _, v, _ in BIAS_LABELS if s == "csv"} == set(Bias)


def test_mbfc_bias_labels_keep_sides():
    # Extremes fold into the end points; nothing crosses the middle.
    for label in ("extreme-left", "left", "left-center"):
        assert bias_label("mbfc", label).side == "left"
    for label in ("extreme-right", "right", "right-center"):
        assert bias_label("mbfc", label).side == "right"


@pytest.mark.parametrize(("value", "label", "score"), [
    (-42, Bias.LEFT, -2.0), (-30.5, Bias.LEFT, -1.76), (-18.5, Bias.LEFT, -1.51), (-18, Bias.LEAN_LEFT, -1.5),
    (-6.5, Bias.LEAN_LEFT, -0.542), (-6, Bias.CENTER, -0.5), (0, Bias.CENTER, 0.0), (6, Bias.CENTER, 0.5),
    (6.5, Bias.LEAN_RIGHT, 0.542), (18, Bias.LEAN_RIGHT, 1.5), (18.5, Bias.RIGHT, 1.51), (42, Bias.RIGHT, 2.0),
])
def test_adfontes_bias_bands(value, label, score):
    got_label, got_score = adfontes_bias(value)
    assert (got_label, got_score) == (label, pytest.approx(score, abs=1e-3))
    assert -2 <= got_score <= 2
    if abs(value) not in (6, 18):  # on a band edge the score sits halfway between two points
        assert Bias.from_score(got_score) is label


@pytest.mark.parametrize(("value", "expected"), [
    (0, Factuality.VERY_LOW), (15.9, Factuality.VERY_LOW), (16, Factuality.LOW), (24, Factuality.MIXED),
    (32, Factuality.MOSTLY_FACTUAL), (40, Factuality.HIGH), (47.9, Factuality.HIGH), (48, Factuality.VERY_HIGH),
    (64, Factuality.VERY_HIGH),
])
def test_adfontes_reliability_bands(value, expected):
    assert adfontes_factuality(value) is expected


def test_adfontes_out_of_range():
    with pytest.raises(ValueError):
        adfontes_bias(-42.5)
    with pytest.raises(ValueError):
        adfontes_factuality(65)


def test_ratings_doc_shows_the_code_tables():
    doc = (DOCS / "ratings.md").read_text(encoding="utf-8")
    begin, end = "<!-- scales:begin (generated by newsgraph.engine.ratings.scales_markdown) -->\n", "<!-- scales:end -->"
    assert begin in doc and end in doc
    assert doc.split(begin, 1)[1].split(end, 1)[0] == scales_markdown()
