"""The standalone page: offline, escaped, drawn with the dashboard's styling."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest

from defus_graph.draw.focus import DRAW_LIMIT
from defus_graph.draw.layout import layout_positions
from defus_graph.draw.style import kind_colour
from defus_graph.draw.vis import network_html, pyvis_network
from defus_graph.export import html_bytes
from defus_graph.graph.bipartite import org_id, project_id
from tests.export_graphs import DUSSELDORF, EFUS, GENK, XSS, bipartite, views

_TAG_URL = re.compile(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=", re.IGNORECASE)


def _page(**kwargs: object) -> str:
    return html_bytes(bipartite(), **kwargs).decode("utf-8")  # type: ignore[arg-type]


def _data(page: str) -> dict[str, object]:
    match = re.search(r"var data = (\{.*?\});\n", page, re.DOTALL)
    assert match
    return json.loads(match.group(1))  # type: ignore[no-any-return]


@pytest.mark.parametrize("view", ["bipartite", "orgs", "projects"])
def test_no_external_resources(view: str) -> None:
    page = html_bytes(views()[view]).decode("utf-8")
    assert _TAG_URL.search(page) is None  # everything is inlined
    assert re.search(r"url\(\s*['\"]?(https?:)?//", page) is None  # no remote CSS
    assert "@import" not in page
    assert "sourceMappingURL" not in page
    assert "new vis.Network" in page and "vis.DataSet" in page
    assert len(page) > 400_000  # vis-network itself is inside


def test_hostile_name_appears_only_escaped() -> None:
    page = _page(title=f"Network of {XSS}")
    assert XSS not in page
    assert "<img" not in page.lower()
    assert "<title>Network of &lt;img src=x onerror=alert(1)&gt;</title>" in page
    assert "</b>" not in page.split("<body>")[1]  # the NGO's <b> name too
    nodes = _data(page)["nodes"]
    assert isinstance(nodes, list)
    labels = {n["id"]: n["label"] for n in nodes}
    assert labels[org_id(XSS)] == XSS  # exact text once the JSON is read
    assert labels[org_id(EFUS)] == EFUS


def test_tooltips_are_plain_text() -> None:
    page = _page()
    assert "box.textContent = text" in page
    nodes = {n["id"]: n for n in _data(page)["nodes"]}  # type: ignore[union-attr]
    alpha = nodes[project_id("ALPHA")]["title"]
    assert alpha.splitlines() == [
        "ALPHA",
        "Alpha & <b>Omega</b>",
        "project · 2017-10 – 2019-09",
        "3 organisations",
    ]
    assert nodes[org_id(DUSSELDORF)]["title"].splitlines() == [
        DUSSELDORF,
        "city · DE",
        "2 projects",
    ]


def test_positions_fixed_and_styling() -> None:
    g = bipartite()
    positions = layout_positions(g)
    data = _data(_page())
    assert data["options"]["physics"] == {"enabled": False}  # type: ignore[index]
    nodes = {n["id"]: n for n in data["nodes"]}  # type: ignore[union-attr]
    genk = nodes[org_id(GENK)]
    assert (genk["x"], genk["y"]) == positions[org_id(GENK)]
    assert genk["shape"] == "dot" and genk["color"] == kind_colour("city")
    assert nodes[project_id("ALPHA")]["shape"] == "square"


def test_edge_width_by_weight() -> None:
    g = views()["orgs"]
    g.edges[org_id(DUSSELDORF), org_id(EFUS)]["weight"] = 4
    net = pyvis_network(g, positions=layout_positions(g))
    widths = {frozenset((e["from"], e["to"])): e["width"] for e in net.edges}
    assert widths[frozenset((org_id(DUSSELDORF), org_id(EFUS)))] == 5.0
    assert widths[frozenset((org_id(DUSSELDORF), org_id(GENK)))] == 1.0


def test_selected_node_highlights_neighbours() -> None:
    g = bipartite()
    net = pyvis_network(g, positions=layout_positions(g), selected=org_id(GENK))
    nodes = {n["id"]: n for n in net.nodes}
    assert nodes[org_id(GENK)]["borderWidth"] == 4
    assert not str(nodes[project_id("ALPHA")]["color"]).startswith("rgba")
    assert str(nodes[project_id("BETA")]["color"]).startswith("rgba")  # dimmed
    edges = {frozenset((e["from"], e["to"])): e["color"] for e in net.edges}
    assert edges[frozenset((project_id("ALPHA"), org_id(GENK)))] == "#444444"
    assert edges[frozenset((project_id("BETA"), org_id(DUSSELDORF)))].startswith("rgba")
    plain = pyvis_network(g, positions=layout_positions(g), selected="org:nobody")
    assert all(not str(n["color"]).startswith("rgba") for n in plain.nodes)


def test_script_cannot_be_closed_by_data() -> None:
    g = bipartite()
    g.nodes[org_id(GENK)]["label"] = "</script><script>alert(1)</script>"
    page = network_html(g, positions=layout_positions(g))
    assert "alert(1)" in page
    assert "</script><script>alert" not in page
    assert page.count("</script>") == 2


def test_bad_height_is_refused() -> None:
    g = bipartite()
    with pytest.raises(ValueError, match="CSS length"):
        network_html(g, positions={}, height="1px;}</style><script>")


def test_a_network_too_large_for_a_browser_is_drawn_in_part_and_says_so() -> None:
    g = nx.Graph()
    g.add_nodes_from((f"project:P{i}", {"bipartite": 0, "kind": "project"}) for i in range(900))
    g.add_nodes_from((f"org:O{j}", {"bipartite": 1, "kind": "city"}) for j in range(900))
    g.add_edges_from(
        (f"project:P{i}", f"org:O{(i * 7 + k) % 900}") for i in range(900) for k in range(3)
    )
    page = html_bytes(g).decode("utf-8")
    data = json.loads(re.search(r"var data = (\{.*?\});\n", page).group(1))  # type: ignore[union-attr]
    assert 0 < len(data["nodes"]) <= DRAW_LIMIT
    assert f'<p class="note">Showing {len(data["nodes"]):,} of 1,800 nodes' in page
