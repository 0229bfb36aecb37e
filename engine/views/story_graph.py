"""The story graph: a story, the outlets that covered it coloured by bias, and its entities.

>>> from datetime import datetime, timezone
>>> t = datetime(2025, 4, 1, tzinfo=timezone.utc)
>>> rows = {"story": {"id": "s1", "title": "T", "article_count": 2, "source_count": 1},
...         "articles": [dict(id=f"a{i}", title="t", outlet_id="cnn.com", outlet_name="CNN", bias="left",
...                           factuality="mixed", published_at=t) for i in range(2)],
...         "entities": [{"id": "gpe:finland", "name": "Finland", "type": "GPE", "weight": 1.0}]}
>>> net, legend, notes = story_graph(rows)
>>> sorted((n["id"], n["color"]) for n in net.nodes)
[('entity:gpe:finland', '#2e7d32'), ('outlet:cnn.com', '#1f4e9c'), ('story:s1', '#fbc02d')]
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Mapping
from urllib.parse import quote

from pyvis.network import Network

from newsgraph.engine.views.html import base_network
from newsgraph.engine.views.palette import BIAS_LABELS, STORY_COLOUR, bias_colour, bias_legend, type_colour


def story_graph(rows: Mapping[str, Any], *, max_nodes: int = 60) -> tuple[Network, list[tuple[str, str]], list[str]]:
    """The network, legend and notes of one story (``GraphStore.story_rows``).

    Outlets are dots coloured by their rated bias, sized by their articles on
    the story; entities are squares coloured by type, sized by the share of
    the story's articles that mention them. At most ``max_nodes`` nodes: the
    story, then outlets and entities by weight, two outlets for each entity.
    """
    story = rows["story"]
    per_outlet: Counter[str] = Counter()
    info: dict[str, Mapping[str, Any]] = {}
    for a in rows["articles"]:
        key = a.get("outlet_id") or a.get("outlet_name")
        if key:
            per_outlet[key] += 1
            info.setdefault(key, a)
    budget = max(0, max_nodes - 1)
    entities = sorted(rows["entities"], key=lambda e: (-(e.get("weight") or 0), e["id"]))
    n_outlets = min(len(per_outlet), max(budget - len(entities), (2 * budget) // 3))
    outlets = sorted(per_outlet, key=lambda k: (-per_outlet[k], k))[:n_outlets]
    entities = entities[: max(0, budget - len(outlets))]

    net = base_network()
    sid = f"story:{story['id']}"
    net.add_node(sid, label=_short(story.get("title") or story["id"]), shape="star", size=34, color=STORY_COLOUR,
                 title=f"{story.get('title')}\n{story.get('article_count')} articles, "
                       f"{story.get('source_count')} sources",
                 href=f"/stories/{quote(story['id'], safe='')}")
    for key in outlets:
        a = info[key]
        bias = a.get("bias") or "unrated"
        net.add_node(f"outlet:{key}", label=a.get("outlet_name") or key, size=12 + 5 * per_outlet[key],
                     color=bias_colour(bias),
                     title=f"{a.get('outlet_name') or key}\nbias: {BIAS_LABELS.get(bias, bias)}, "
                           f"factuality: {a.get('factuality') or 'unrated'}\n{per_outlet[key]} articles",
                     href=f"/outlets/{quote(a['outlet_id'], safe='')}" if a.get("outlet_id") else None)
        net.add_edge(f"outlet:{key}", sid, value=per_outlet[key], title=f"{per_outlet[key]} articles")
    for e in entities:
        weight = e.get("weight") or 0
        net.add_node(f"entity:{e['id']}", label=e.get("name") or e["id"], shape="square", size=8 + 18 * weight,
                     color=type_colour(e.get("type")),
                     title=f"{e.get('name')} ({e.get('type')})\nin {round(100 * weight)}% of the articles",
                     href=f"/entities/{quote(e['id'], safe='')}")
        net.add_edge(sid, f"entity:{e['id']}", value=weight, title=f"in {round(100 * weight)}% of the articles")
    drawn_copies, copies_left = _copy_edges(net, rows, outlets, max_copies=max(0, max_nodes // 4))
    legend = bias_legend() + [(STORY_COLOUR, "Story"), (type_colour("GPE"), "Entities (squares, by type)")]
    notes = ["Dots: outlets, coloured by rated bias, sized by their articles on the story. "
             "Squares: entities, sized by the share of articles mentioning them."]
    if drawn_copies:
        legend.append((COPY_COLOUR, "Wire copy: dashed arrow from the copy to its original"))
        notes.append(f"Diamonds: articles in a wire copy, joined to their outlet; {drawn_copies} dashed arrows lead "
                     "from a copy to the article whose text it reprints, labelled with the share of its text found "
                     "there." + (f" {copies_left} more copies left out." if copies_left else ""))
    dropped = len(per_outlet) - len(outlets) + len(rows["entities"]) - len(entities)
    if dropped > 0:
        notes.append(f"{dropped} smaller nodes left out.")
    return net, legend, notes


COPY_COLOUR = "#e65100"
"The colour of a wire copy's arrow, unlike the grey coverage and entity edges."


def _copy_edges(net: Network, rows: Mapping[str, Any], outlets: list[str], *, max_copies: int) -> tuple[int, int]:
    """Draw the story's wire copies (``COPY_OF``) as dashed arrows between article diamonds; (drawn, left out).

    Each article in a copy is a small diamond in its outlet's bias colour, joined to its outlet's dot when that
    is drawn; the arrow goes from the copy to its original and carries the overlap as its label.
    """
    by_id = {a["id"]: a for a in rows["articles"]}
    copies = [c for c in rows.get("copies") or () if c["article_id"] in by_id]
    drawn = outlets and set(outlets)

    def article_node(aid: str, a: Mapping[str, Any]) -> str:
        node = f"article:{aid}"
        if node in net.get_nodes():
            return node
        bias = a.get("bias") or "unrated"
        outlet = a.get("outlet_name") or a.get("outlet_id") or "unknown outlet"
        when = a.get("published_at")
        net.add_node(node, label=outlet, shape="diamond", size=9, color=bias_colour(bias),
                     title=f"{a.get('title') or aid}\n{outlet}" + (f", {when:%Y-%m-%d %H:%M} UTC" if when else ""))
        key = a.get("outlet_id") or a.get("outlet_name")
        if drawn and key in drawn:
            net.add_edge(f"outlet:{key}", node, width=1, color="#bdbdbd", title=f"published by {outlet}")
        return node

    for c in copies[:max_copies]:
        copy = article_node(c["article_id"], by_id[c["article_id"]])
        orig = by_id.get(c["copy_of"]) or {
            "title": c.get("original_title"), "outlet_id": c.get("original_outlet_id"),
            "outlet_name": c.get("original_outlet_name"), "bias": None,
            "published_at": c.get("original_published_at")}
        original = article_node(c["copy_of"], orig)
        share = round(100 * (c.get("overlap") or 0))
        elsewhere = "" if c["copy_of"] in by_id else " (the original is in another story)"
        net.add_edge(copy, original, label=f"copy {share}%", dashes=True, arrows="to", width=2, color=COPY_COLOUR,
                     title=f"wire copy: {share}% of its text is in {orig.get('outlet_name') or 'the original'}'s "
                           f"article{elsewhere}")
    return min(len(copies), max_copies), max(0, len(copies) - max_copies)


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
