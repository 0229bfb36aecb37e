"""Entity network (NPMI, ego, PageRank) and entity framing on corpora built in code."""

import math
from datetime import datetime, timezone

import pytest

from newsgraph.engine.analysis import entity_framing, entity_network
from newsgraph.engine.analysis.entity_framing import log_odds_z
from newsgraph.engine.errors import NotEnoughData, NotFound
from newsgraph.engine.store.base import MentionRow

T = datetime(2025, 4, 1, tzinfo=timezone.utc)


def m(article, entity, story="s1", bias="center"):
    return MentionRow(article, story, f"{bias}.com", bias, entity, entity.split(":")[1].title(), "GPE", T)


@pytest.fixture(scope="module")
def rows():
    # 8 articles; finland+lithuania together in 3, russia in 5 (with finland in 2), usa alone in 2
    return [
        m("a1", "gpe:finland"), m("a1", "gpe:lithuania"), m("a1", "gpe:russia"),
        m("a2", "gpe:finland"), m("a2", "gpe:lithuania"), m("a2", "gpe:russia"),
        m("a3", "gpe:finland"), m("a3", "gpe:lithuania"),
        m("a4", "gpe:russia"), m("a5", "gpe:russia"), m("a6", "gpe:russia"),
        m("a7", "gpe:usa", story="s2"), m("a8", "gpe:usa", story="s2"),
    ]


def test_npmi_weights_are_exact(rows):
    net = entity_network(rows, ego="gpe:finland")
    G = net.graph
    assert net.units == 8
    # finland 3, lithuania 3, both 3 of 8: always together
    assert G["gpe:finland"]["gpe:lithuania"]["weight"] == pytest.approx(1.0)
    p_ab, p_a, p_b = 2 / 8, 3 / 8, 5 / 8
    expected = math.log(p_ab / (p_a * p_b)) / -math.log(p_ab)
    assert G["gpe:finland"]["gpe:russia"]["weight"] == pytest.approx(expected)
    assert not G.has_edge("gpe:russia", "gpe:usa")
    assert [n["id"] for n in net.ego["neighbours"]] == ["gpe:lithuania", "gpe:russia"]
    assert net.top_pairs[0]["a"] == "gpe:finland" and net.top_pairs[0]["b"] == "gpe:lithuania"


def test_min_count_and_story_level(rows):
    strict = entity_network(rows, min_count=3)
    assert sorted(strict.graph.edges()) == [("gpe:finland", "gpe:lithuania")]
    stories = entity_network(rows, level="story", min_count=1)
    assert stories.units == 2
    # every s1 entity is in the one s1 story: together there each time, but in 1 of 2 stories: NPMI 1
    assert stories.graph["gpe:finland"]["gpe:russia"]["weight"] == pytest.approx(1.0)


def test_pagerank_ranks_the_connected_entities_first(rows):
    ranking = entity_network(rows).ranking
    assert ranking[-1]["id"] == "gpe:usa" and ranking[-1]["degree"] == 0
    assert sum(r["pagerank"] for r in ranking) == pytest.approx(1.0)


def test_unknown_ego_is_not_found(rows):
    with pytest.raises(NotFound):
        entity_network(rows, ego="gpe:atlantis")


def framing_rows():
    out = []
    for i in range(10):  # the left mentions x and y, the right x and z, in the same story
        out += [m(f"l{i}", "gpe:x", bias="left"), m(f"l{i}", "gpe:y", bias="left"),
                m(f"r{i}", "gpe:x", bias="right"), m(f"r{i}", "gpe:z", bias="right")]
    out += [m("c1", "gpe:y", bias="center")]
    out += [m("o1", "gpe:w", story="s9", bias="left")]  # a story only the left covered: not compared
    return out


def test_entity_framing_log_odds_and_one_sided_entities():
    f = entity_framing(framing_rows(), prior=10)
    assert f.stories == 1 and f.articles == {"left": 10, "right": 10, "center": 1}
    by_id = {e["id"]: e for e in f.entities}
    assert set(by_id) == {"gpe:x", "gpe:y", "gpe:z"}
    assert by_id["gpe:x"]["z"] == pytest.approx(0.0)
    a_y = 10 * 11 / 41
    delta, z = log_odds_z(10, 20, 0, 20, a_y, 10)
    assert by_id["gpe:y"]["log_odds"] == pytest.approx(delta) and by_id["gpe:y"]["z"] == pytest.approx(z)
    assert z > 0
    assert by_id["gpe:z"]["z"] < 0
    assert [(e["id"], e["side"], e["share"]) for e in f.one_sided] == [("gpe:y", "left", 1.0), ("gpe:z", "right", 1.0)]


def test_entity_framing_needs_stories_both_sides_covered():
    with pytest.raises(NotEnoughData, match="both left and right"):
        entity_framing([m("a", "gpe:x", bias="left")])


def test_entity_framing_needs_two_entities_to_compare():
    rows = [m("l1", "gpe:x", bias="left"), m("r1", "gpe:x", bias="right")]
    with pytest.raises(NotEnoughData, match="mention 1"):
        entity_framing(rows, prior=10)
