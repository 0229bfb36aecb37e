"""The story view draws wire copies as dashed arrows from the copy article to its original."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from newsgraph.engine.views.story_graph import COPY_COLOUR, story_graph

T = datetime(2025, 4, 1, 8, tzinfo=timezone.utc)


def article(i: int, outlet: str, name: str, bias: str, hours: float = 0) -> dict:
    return dict(id=f"a{i}", title=f"Headline {i}", outlet_id=outlet, outlet_name=name, bias=bias,
                factuality="high", published_at=T + timedelta(hours=hours))


def rows(copies: list[dict]) -> dict:
    return {"story": {"id": "s1", "title": "Mines", "article_count": 3, "source_count": 3},
            "articles": [article(0, "apnews.com", "AP", "center"), article(1, "local.com", "Local", "right", 1),
                         article(2, "cnn.com", "CNN", "left", 2)],
            "entities": [], "copies": copies}


def copy_edges(net) -> list[dict]:
    return [e for e in net.edges if e.get("dashes")]


def test_a_copy_is_a_dashed_arrow_from_the_copy_article_to_its_original_with_the_overlap():
    net, legend, notes = story_graph(rows([{"article_id": "a1", "copy_of": "a0", "overlap": 0.97}]))
    [edge] = copy_edges(net)
    assert (edge["from"], edge["to"]) == ("article:a1", "article:a0")
    assert edge["label"] == "copy 97%" and edge["arrows"] == "to" and edge["color"] == COPY_COLOUR
    assert "97% of its text is in AP's article" in edge["title"]
    nodes = {n["id"]: n for n in net.nodes}
    assert nodes["article:a1"]["shape"] == nodes["article:a0"]["shape"] == "diamond"
    # each article joined to its outlet's dot; the article that is in no copy is not drawn alone
    assert {(e["from"], e["to"]) for e in net.edges if e["to"].startswith("article:") and not e.get("dashes")} == {
        ("outlet:local.com", "article:a1"), ("outlet:apnews.com", "article:a0")}
    assert "article:a2" not in nodes
    assert (COPY_COLOUR, "Wire copy: dashed arrow from the copy to its original") in legend
    assert any("1 dashed arrows" in n for n in notes)
    # the other edges are solid and not in the copy colour: a copy can be told apart
    assert all(not e.get("dashes") and e.get("color") != COPY_COLOUR for e in net.edges if e is not edge)


def test_an_original_in_another_story_is_drawn_from_the_copy_row():
    net, _, _ = story_graph(rows([{"article_id": "a2", "copy_of": "x9", "overlap": 0.8, "original_title": "Wire text",
                                   "original_outlet_id": "reuters.com", "original_outlet_name": "Reuters",
                                   "original_published_at": T - timedelta(hours=3)}]))
    [edge] = copy_edges(net)
    assert (edge["from"], edge["to"]) == ("article:a2", "article:x9") and "another story" in edge["title"]
    node = {n["id"]: n for n in net.nodes}["article:x9"]
    assert node["label"] == "Reuters" and "Wire text" in node["title"]


def test_a_story_without_copies_draws_no_article_and_no_copy_legend():
    net, legend, _ = story_graph(rows([]))
    assert copy_edges(net) == [] and not any(n["id"].startswith("article:") for n in net.nodes)
    assert all(colour != COPY_COLOUR for colour, _ in legend)
