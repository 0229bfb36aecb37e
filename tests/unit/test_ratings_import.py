"""Resolving ratings to outlets and merging them: name-only raters, preference, idempotence."""

import csv
import json
from importlib import resources

import pytest

from newsgraph.engine.errors import InputError
from newsgraph.engine.models import Bias, Factuality, Outlet, Ownership, Rating
from newsgraph.engine.ratings import (
    OutletResolver,
    import_ratings,
    merge_rating,
    normalise_domain,
    normalise_name,
    read_ratings,
    split_name,
)

PREF = ("allsides", "adfontes", "mbfc", "csv")


@pytest.mark.parametrize(("name", "domain"), [
    # AllSides 2019 and 2023 spellings of well-known outlets, no domain given.
    ("New York Times (News)", "nytimes.com"),
    ("New York Times - News", "nytimes.com"),
    ("CNN (Online News)", "cnn.com"),
    ("CNN (Web News)", "cnn.com"),
    ("Fox News (Online News)", "foxnews.com"),
    ("Wall Street Journal - News", "wsj.com"),
    ("The Wall Street Journal", "wsj.com"),
    ("Washington Examiner", "washingtonexaminer.com"),
    ("The Hill", "thehill.com"),
    ("NPR (Online News)", "npr.org"),
    ("Reuters", "reuters.com"),
    ("BBC News", "bbc.com"),
    ("USA TODAY", "usatoday.com"),
    ("The Week - News", "theweek.com"),
    ("One America News Network (OAN)", "oann.com"),
    ("The Telegraph - UK", None),  # " - UK" is no facet, and "telegraph uk" no alias
    ("CNSNews.com", "cnsnews.com"),
    ("Bergen Record (northjersey.com)", "northjersey.com"),
    ("Dennis Prager", None),
    ("Allysia Finley (Wall Street Journal)", None),
    ("Guest Writer - Left", None),
])
def test_allsides_names_resolve_without_domains(name, domain):
    assert OutletResolver([]).resolve(Rating("allsides", name)) == domain


def test_known_outlets_come_before_the_builtin_table_and_ambiguity_resolves_nowhere():
    known = [Outlet("bbc.co.uk", name="BBC News"), Outlet("a.com", name="Daily Planet"),
             Outlet("b.com", name="The Daily Planet")]
    r = OutletResolver(known)
    assert r.resolve_name("BBC News") == "bbc.co.uk"
    assert r.resolve_name("Daily Planet") is None
    assert OutletResolver(known, use_builtin_aliases=False).resolve_name("Reuters") is None


def test_domain_given_wins_over_name():
    assert OutletResolver([]).resolve(Rating("mbfc", "CNN", outlet_id="http://www.foxnews.com/")) == "foxnews.com"


@pytest.mark.parametrize(("value", "expected"), [
    ("nytimes.com", "nytimes.com"), ("https://www.bbc.co.uk/news", "bbc.co.uk"), ("WWW.CNN.COM", "cnn.com"),
    ("edition.cnn.com", "cnn.com"), ("localhost", None), ("", None), ("two words.com", None),
])
def test_normalise_domain(value, expected):
    assert normalise_domain(value) == expected


def test_name_normalisation():
    assert normalise_name("The New York Times") == normalise_name("new york times") == "new york times"
    assert normalise_name("Yahoo! News") == "yahoo news"
    assert normalise_name("Bannon’s War Room") == "bannons war room"
    assert split_name("Newsmax - Opinion") == ("Newsmax", "Opinion")
    assert split_name("The Center Square - Texas") == ("The Center Square - Texas", None)


def test_builtin_alias_table_is_sound():
    text = resources.files("newsgraph.engine").joinpath("data", "outlet_aliases.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) >= 150
    assert all(normalise_domain(r["domain"]) for r in rows), "every alias names a real domain"
    keys = [normalise_name(r["name"]) for r in rows]
    assert len(keys) == len(set(keys)), "one name, one outlet"


def _rating(rater, name, bias=Bias.UNRATED, fact=Factuality.UNRATED, outlet_id=None, **kw):
    return Rating(rater, name, outlet_id, bias, bias.score, fact, **kw)


def test_two_raters_coexist_and_preference_picks_the_effective_values():
    allsides = _rating("allsides", "CNN (Online News)", Bias.LEAN_LEFT)
    mbfc = _rating("mbfc", "cnn.com", Bias.LEFT, Factuality.MIXED, outlet_id="cnn.com")
    o = merge_rating(merge_rating(None, "cnn.com", mbfc, PREF), "cnn.com", allsides, PREF)
    assert set(o.ratings) == {"allsides", "mbfc"}
    assert (o.bias, o.bias_score, o.factuality, o.rating_source) == (Bias.LEAN_LEFT, -1, Factuality.MIXED,
                                                                    "allsides+mbfc")
    assert o.name == "CNN" and "CNN (Online News)" in o.aliases  # the domain placeholder gave way
    flipped = merge_rating(merge_rating(None, "cnn.com", allsides, ["mbfc"]), "cnn.com", mbfc, ["mbfc"])
    assert (flipped.bias, flipped.rating_source) == (Bias.LEFT, "mbfc")
    assert o.ratings["allsides"] == flipped.ratings["allsides"]
    json.dumps(o.ratings)  # stored as JSON by both stores


def test_unrated_verdict_falls_through_to_the_next_rater():
    mixed = _rating("allsides", "Some Paper", Bias.UNRATED)
    fontes = Rating("adfontes", "Some Paper", None, Bias.CENTER, 0.2, Factuality.HIGH)
    o = merge_rating(merge_rating(None, "paper.com", mixed, PREF), "paper.com", fontes, PREF)
    assert (o.bias, o.bias_score, o.rating_source) == (Bias.CENTER, 0.2, "adfontes")
    assert o.ratings["allsides"]["bias"] == "unrated"


def test_rater_outside_the_preference_still_counts_after_the_listed_ones():
    o = merge_rating(None, "foxnews.com", _rating("test", "Fox News", Bias.RIGHT), PREF)
    assert (o.bias, o.rating_source) == (Bias.RIGHT, "test")
    o = merge_rating(o, "foxnews.com", _rating("mbfc", "foxnews.com", Bias.LEAN_RIGHT), PREF)
    assert (o.bias, o.rating_source) == (Bias.LEAN_RIGHT, "mbfc")


def test_ownership_country_and_name_are_kept_or_taken():
    existing = Outlet("reuters.com", name="Reuters", ownership=Ownership.CORPORATION, country="GB")
    o = merge_rating(existing, "reuters.com", _rating("adfontes", "Reuters News", Bias.CENTER), PREF)
    assert (o.name, o.ownership, o.country, o.aliases) == ("Reuters", Ownership.CORPORATION, "GB",
                                                           ("Reuters News",))
    o = merge_rating(o, "reuters.com", _rating("csv", "Reuters", ownership=Ownership.OTHER, country="UK"), PREF)
    assert (o.ownership, o.country) == (Ownership.OTHER, "UK")


def test_reimport_is_idempotent(tmp_path):
    path = tmp_path / "all_sides.csv"
    path.write_text("news_source,news_link,bias_rating,community_feedback\n"
                    "New York Times (News),http://www.nytimes.com/,Lean Left,1/2\n"
                    "The Hill,,Center,1/1\n", encoding="utf-8")
    first = import_ratings(read_ratings(path, "allsides"), [], PREF)
    assert sorted(o.id for o in first.outlets) == ["nytimes.com", "thehill.com"]
    again = import_ratings(read_ratings(path, "allsides"), first.outlets, PREF)
    assert again.outlets == [] and again.matched == 2
    by_id = {o.id: o for o in first.outlets}
    nyt, hill = read_ratings(path, "allsides")
    assert merge_rating(by_id["nytimes.com"], "nytimes.com", nyt, PREF) == by_id["nytimes.com"]
    assert merge_rating(by_id["thehill.com"], "thehill.com", hill, PREF) == by_id["thehill.com"]


def test_import_reports_unmatched_people_opinion_and_bad_rows(tmp_path):
    bad = InputError("unknown AllSides rating 'Far Out'", source="f.csv", line=9)
    rows = [
        _rating("allsides", "Karol Markowicz", Bias.RIGHT, raw={"kind": "person"}),
        _rating("allsides", "Ted Rall (cartoonist)", Bias.LEFT),
        _rating("allsides", "CNN (Opinion)", Bias.LEFT),
        _rating("allsides", "CNN (Online News)", Bias.LEAN_LEFT),
        _rating("allsides", "Jon Terbush", Bias.LEAN_LEFT),
        _rating("allsides", "Brand New Outlet", Bias.CENTER, outlet_id="brandnew.example.com"),
        bad,
    ]
    result = import_ratings(rows, [], PREF)
    assert sorted(o.id for o in result.outlets) == ["cnn.com", "example.com"]
    assert result.matched == 2 and result.unmatched == ["Jon Terbush"] and result.errors == [bad]
    assert result.errors[0].location_text() == "f.csv:9: unknown AllSides rating 'Far Out'"
    assert result.skipped == ["Karol Markowicz: a person, not an outlet", "Ted Rall (cartoonist): a person, not an outlet",
                              "CNN (Opinion): opinion section"]
    cnn = next(o for o in result.outlets if o.id == "cnn.com")
    assert cnn.bias is Bias.LEAN_LEFT


def test_one_raters_duplicates_resolve_the_same_whatever_the_order():
    rows = [_rating("allsides", "Fox News", Bias.RIGHT, outlet_id="foxnews.com"),
            _rating("allsides", "Fox News (Online News)", Bias.LEAN_RIGHT),
            _rating("allsides", "Fox News Latino", Bias.CENTER, outlet_id="latino.foxnews.com")]
    forward = import_ratings(rows, [], PREF)
    backward = import_ratings(rows[::-1], [], PREF)
    assert forward.outlets == backward.outlets
    assert forward.outlets[0].bias is Bias.LEAN_RIGHT and forward.matched == 1
    assert len(forward.skipped) == 2


def test_known_outlet_receives_rating_by_name_and_keeps_other_raters():
    known = [Outlet("nytimes.com", name="The New York Times", bias=Bias.LEAN_LEFT, rating_source="mbfc",
                    factuality=Factuality.HIGH,
                    ratings={"mbfc": {"name": "nytimes.com", "bias": "lean_left", "bias_score": -1,
                                      "factuality": "high"}})]
    result = import_ratings([Rating("adfontes", "The New York Times", None, Bias.CENTER, -0.4,
                                    Factuality.VERY_HIGH)], known, PREF)
    (o,) = result.outlets
    assert set(o.ratings) == {"mbfc", "adfontes"} and o.name == "The New York Times"
    assert (o.bias, o.factuality, o.rating_source) == (Bias.CENTER, Factuality.VERY_HIGH, "adfontes")
