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
    legend = bias_legend() + [(STORY_COLOUR, "Story"), (type_colour("GPE"), "Entities (squares, by type)")]
    notes = ["Dots: outlets, coloured by rated bias, sized by their articles on the story. "
             "Squares: entities, sized by the share of articles mentioning them."]
    dropped = len(per_outlet) - len(outlets) + len(rows["entities"]) - len(entities)
    if dropped > 0:
        notes.append(f"{dropped} smaller nodes left out.")
    return net, legend, notes


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
