"""One HTML document per view: vis-network inlined, the graph's data as escaped JSON, a legend.

pyvis builds the network (nodes, edges, options); its own template is not
used, because pyvis 0.3.2's template links Bootstrap (and, in some modes,
vis-network) from a CDN whatever ``cdn_resources`` says. Here the JavaScript
and CSS of the vis-network copy that pyvis ships are inlined, so a view opens
offline and never contacts another host. Every text is escaped: node data
goes through Jinja's ``tojson`` (``<``, ``>``, ``&`` and ``'`` become
``\\u00XX``), vis-network shows tooltips with ``innerText``, and the page's
own text is autoescaped.

>>> from pyvis.network import Network
>>> net = Network()
>>> net.add_node("a", label="<script>alert(1)</script>")
>>> page = render_html(net, title="<b>t</b>", legend=[("#000", "<i>x</i>")])
>>> "<script>alert(1)" in page, "&lt;b&gt;t&lt;/b&gt;" in page, "://" in page.split("<script>")[0]
(False, True, False)
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import jinja2
from pyvis.network import Network

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    # the templates ship with the package: no file check on every render (auto_reload)
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, auto_reload=False)


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """The vis-network JavaScript and CSS that pyvis ships, read once."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    # never close the inline <script>/<style> early (neither file has such a tag today)
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.I), re.sub(r"</(style)", r"<\\/\1", css, flags=re.I)


def network_data(net: Network) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """Nodes, edges and options of a pyvis network, as plain data."""
    nodes, edges, _, _, _, options = net.get_network_data()
    return nodes, edges, json.loads(options) if isinstance(options, str) else options


def render_html(
    net: Network,
    *,
    title: str,
    legend: Sequence[tuple[str, str]] = (),
    notes: Sequence[str] = (),
    links: bool = False,
) -> str:
    """The full HTML document of a view.

    Parameters
    ----------
    net : pyvis.network.Network
        The graph; a node's ``href`` (a path on the same site) is opened on click when ``links``.
    title : str
        Heading and document title (escaped).
    legend : sequence of (colour, label)
        What the colours mean.
    notes : sequence of str
        Lines under the legend: what size, shape and edges mean, what was left out.
    links : bool
        Whether clicking a node follows its ``href`` (in the web app; not in files written by the CLI).
    """
    nodes, edges, options = network_data(net)
    js, css = vis_assets()
    # the template is rendered around two markers and the 700 kB of vis-network put in their place after:
    # handing Jinja the assets themselves costs about 15 ms a page, more than the rest of it
    page = _environment().get_template("graph.html").render(
        title=title, legend=list(legend), notes=list(notes), nodes=nodes, edges=edges, options=options,
        vis_js=_JS_MARK, vis_css=_CSS_MARK, links=links,
    )
    head, _, rest = page.partition(_CSS_MARK)
    middle, _, tail = rest.partition(_JS_MARK)
    return "".join((head, css, middle, js, tail))


# no text rendered into a page can hold these: the user's text is escaped (its "<" becomes "&lt;" or \u003c)
_CSS_MARK = "<newsgraph-vis-css>"
_JS_MARK = "<newsgraph-vis-js>"


def base_network() -> Network:
    """A pyvis network with the options every view shares."""
    net = Network(height="100%", width="100%", cdn_resources="in_line")
    net.set_options(json.dumps({
        "physics": {"solver": "forceAtlas2Based", "stabilization": {"iterations": 150},
                    "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110}},
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
        "nodes": {"font": {"size": 14, "face": "system-ui, sans-serif"}, "borderWidth": 1},
        "edges": {"color": {"color": "#b0b7c3", "highlight": "#444"}, "smooth": False},
    }))
    return net
