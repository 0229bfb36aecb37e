"""A view's HTML document: vis-network inlined whole, the graph's text escaped, the same page as Jinja renders."""

from __future__ import annotations

from newsgraph.engine.views.html import _environment, base_network, render_html, vis_assets


def _network():
    net = base_network()
    net.add_node("a", label="<script>alert(1)</script> & 'q'", title="<newsgraph-vis-js>")
    net.add_node("b", label="<newsgraph-vis-css>")
    net.add_edge("a", "b", value=3)
    return net


def test_the_page_is_the_template_rendered_with_the_assets_inlined():
    net = _network()
    js, css = vis_assets()
    nodes, edges, _, _, _, options = net.get_network_data()
    import json

    reference = _environment().get_template("graph.html").render(
        title="<b>t</b>", legend=[("#000", "<i>x</i>")], notes=["a note"], nodes=nodes, edges=edges,
        options=json.loads(options), vis_js=js, vis_css=css, links=True)
    page = render_html(net, title="<b>t</b>", legend=[("#000", "<i>x</i>")], notes=["a note"], links=True)
    assert page == reference
    assert page.count(js) == 1 and page.count(css) == 1


def test_text_that_looks_like_the_asset_markers_stays_escaped_text():
    page = render_html(_network(), title="<newsgraph-vis-js>", notes=["<newsgraph-vis-css>"])
    js, css = vis_assets()
    assert page.count(js) == 1 and page.count(css) == 1
    assert "&lt;newsgraph-vis-js&gt;" in page and "<newsgraph-vis" not in page
