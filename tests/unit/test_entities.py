"""Canonical entities without spaCy: aliases, countries, demonyms, titles, user alias files, surnames."""

from __future__ import annotations

import pytest

from newsgraph.engine.errors import ConfigError
from newsgraph.engine.models import Entity, Mention
from newsgraph.engine.nlp.aliases import build_aliases, default_aliases, read_alias_file
from newsgraph.engine.nlp.canonical import canonical_entity, join_surnames, surname_joins


def ids(*mentions):
    return [e.id if (e := canonical_entity(text, label)) else None for text, label in mentions]


@pytest.mark.parametrize("text, label", [
    ("Ottawa Convention", "LAW"), ("the Ottawa Convention", "ORG"), ("Ottawa Treaty", "ORG"),
    ("Mine Ban Treaty", "LAW"), ("the Anti-Personnel Mine Ban Convention", "LAW"),
])
def test_treaty_aliases_are_one_entity_whatever_the_ner_label(text, label):
    assert canonical_entity(text, label) == Entity("law:ottawa-convention", "Ottawa Convention", "LAW")


@pytest.mark.parametrize("text, label", [
    ("Finland", "GPE"), ("Finnish", "NORP"), ("Republic of Finland", "GPE"), ("FIN", "GPE"),
    ("Finland's", "GPE"), ("FI", "GPE"),
])
def test_country_names_codes_and_demonyms_are_the_country(text, label):
    assert canonical_entity(text, label).id == "gpe:finland"


def test_pycountry_names_take_the_usual_short_form():
    assert ids(("Russian Federation", "GPE"), ("Russian", "NORP"), ("Korea, Republic of", "GPE"),
               ("Türkiye", "GPE"), ("Turkish", "NORP"), ("Lithuanians", "NORP"), ("United States of America", "GPE"),
               ("U.S.", "GPE"), ("USA", "GPE")) == [
        "gpe:russia", "gpe:russia", "gpe:south-korea", "gpe:turkey", "gpe:turkey", "gpe:lithuania",
        "gpe:united-states", "gpe:united-states", "gpe:united-states"]


@pytest.mark.parametrize("text, label, expected", [
    ("ISIS", "ORG", "org:islamic-state"), ("the Islamic State", "ORG", "org:islamic-state"),
    ("ISIL", "ORG", "org:islamic-state"), ("Daesh", "ORG", "org:islamic-state"),
    ("Islamic State of Iraq", "ORG", "org:islamic-state"),
    ("CCP", "ORG", "org:chinese-communist-party"), ("Communist Party of China", "ORG", "org:chinese-communist-party"),
    ("Bashar Assad", "PERSON", "person:bashar-al-assad"), ("Bashar al-Assad", "PERSON", "person:bashar-al-assad"),
    ("World Health Organization (WHO)", "ORG", "org:world-health-organization"),
    ("World Health Organization (WHO", "ORG", "org:world-health-organization"),
])
def test_organisations_and_people_known_by_several_names_are_one(text, label, expected):
    assert canonical_entity(text, label).id == expected


def test_a_person_named_like_a_country_stays_a_person():
    assert ids(("Jordan", "PERSON"), ("Georgia", "PERSON")) == ["person:jordan", "person:georgia"]


def test_titles_are_stripped_and_bare_titles_dropped():
    assert ids(
        ("Lithuanian Deputy Defence Minister Karolis Aleksa", "PERSON"),
        ("Sen. Mitch McConnell", "PERSON"),
        ("Secretary of State Antony Blinken", "PERSON"),
        ("Chair of Finland's", "ORG"),
        ("President of the European Commission", "ORG"),
        ("Lithuanian Deputy Defence", "WORK_OF_ART"),
        ("Prime Minister", "PERSON"),
        ("General Motors", "ORG"),
        ("Supreme Court", "ORG"),
        ("Senate", "ORG"),
    ) == ["person:karolis-aleksa", "person:mitch-mcconnell", "person:antony-blinken", "gpe:finland",
          "org:european-commission", None, None, "org:general-motors", "org:supreme-court", "org:senate"]


def test_user_alias_files_extend_the_table(tmp_path):
    csv_file = tmp_path / "aliases.csv"
    csv_file.write_text("alias,canonical,type\nLandmine pact,Ottawa Convention,LAW\nKA,Karolis Aleksa,PERSON\n",
                        encoding="utf-8")
    yaml_file = tmp_path / "aliases.yaml"
    yaml_file.write_text("- name: Heikki Autto\n  type: PERSON\n  aliases: [H. Autto, Autto]\n", encoding="utf-8")
    for path, text, label, expected in [(csv_file, "landmine pact", "ORG", "law:ottawa-convention"),
                                        (yaml_file, "H. Autto", "ORG", "person:heikki-autto")]:
        table = default_aliases(str(path))
        assert canonical_entity(text, label, table).id == expected
        assert canonical_entity("Finnish", "NORP", table).id == "gpe:finland"  # the shipped table still holds
    assert canonical_entity("landmine pact", "ORG").id == "org:landmine-pact"  # only where the file is in force


def test_the_alias_file_setting_is_read(tmp_path, monkeypatch):
    f = tmp_path / "a.csv"
    f.write_text("alias,canonical,type\nThe Landmine Pact,Ottawa Convention,LAW\n", encoding="utf-8")
    monkeypatch.setenv("NEWSGRAPH_ENTITY_ALIASES", str(f))
    assert canonical_entity("Landmine Pact", "WORK_OF_ART").id == "law:ottawa-convention"


@pytest.mark.parametrize("content, suffix", [
    ("name,type\nx,LAW\n", ".csv"), ("alias,canonical,type\nx,,LAW\n", ".csv"), ("- aliases: [x]\n", ".yaml"),
    ("key: [unclosed\n", ".yml"),
])
def test_bad_alias_files_fail_with_the_file_named(tmp_path, content, suffix):
    f = tmp_path / ("bad" + suffix)
    f.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match="bad"):
        list(read_alias_file(f))


def test_missing_alias_file():
    with pytest.raises(ConfigError, match="cannot read"):
        build_aliases(read_alias_file("no-such-aliases.csv"))


def test_surname_joins_the_one_full_name_of_its_story_only():
    joins = surname_joins({
        "s1": ["person:karolis-aleksa", "gpe:aleksa", "person:autto", "person:heikki-autto", "gpe:finland"],
        "s2": ["person:aleksa", "person:jonas-smith", "person:anna-smith", "person:smith"],
    })
    assert joins == {("s1", "gpe:aleksa"): "person:karolis-aleksa", ("s1", "person:autto"): "person:heikki-autto"}


def test_surname_mentions_merge_into_the_full_name_across_a_story():
    entities = {e.id: e for e in (Entity("person:aleksa", "Aleksa", "PERSON"),
                                  Entity("gpe:lithuania", "Lithuania", "GPE"))}
    mentions = [Mention("a2", "person:aleksa", 2, True), Mention("a2", "gpe:lithuania", 1),
                Mention("a3", "person:aleksa", 1), Mention("a3", "person:karolis-aleksa", 1)]
    stored = {"s1": {"person:karolis-aleksa", "gpe:lithuania"}}  # a1, stored earlier, named him in full
    out_entities, out_mentions = join_surnames(entities, mentions, {"a2": "s1", "a3": "s9"},
                                               lambda sid: stored.get(sid, set()))
    assert sorted(out_entities) == ["gpe:lithuania"]
    assert sorted(out_mentions, key=lambda m: (m.article_id, m.entity_id)) == [
        Mention("a2", "gpe:lithuania", 1), Mention("a2", "person:karolis-aleksa", 2, True),
        Mention("a3", "person:karolis-aleksa", 2)]
