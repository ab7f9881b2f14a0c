"""The explorer without a browser: the view read from RDF, its projection, and the page's escaping and offline-ness."""
from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from graph.analysis.projection import MAX_SIZE, MIN_SIZE, NodeNotFound, find_node, measure, neighbourhood
from graph.assemble.view import full_view, themes_view
from graph.build import load_graph
from graph.cli import main
from graph.export.html import render_html, script_json
from graph.model import GraphView, Quote, ViewEdge, ViewNode
from graph.viz import make_view

from .conftest import DATA

SMALL = DATA / "viz" / "small.ttl"
ID = "https://w3id.org/policykg/id/"
HOSTILE = [
    '</script><script>alert(1)</script>',
    '<img src=x onerror="alert(2)">',
    "<!-- <script>",
    "a & b < c > d",
    "line\u2028separator\u2029paragraph",
    "quotes \" ' and backslash \\",
]


@pytest.fixture(scope="module")
def small() -> Graph:
    return load_graph(SMALL)


def _by_label(view: GraphView) -> dict[str, ViewNode]:
    return {node.label: node for node in view.nodes}


# ------------------------------------------------------------------------------------ view from RDF


def test_full_view_draws_things_not_their_evidence(small: Graph) -> None:
    view = full_view(small)
    kinds = {node.label: node.kind for node in view.nodes}
    assert kinds == {
        "Test volume": "Volume", "Paper one: <b>bold</b> plans": "Paper", "Paper two": "Paper",
        "Acme": "Company", "Globex": "Company", "Ministry of Industry": "Organization", "Jane Doe": "Person",
        "Berlin": "Place", "Made in X 2030": "Policy", "Fund training for small firms": "Recommendation",
        "smart manufacturing": "Theme", "talent & workforce": "Theme",
    }
    ids = {node.id for node in view.nodes}
    assert all("/evidence/" not in i and "/mention/" not in i and "/theme/T0" not in i.split("paper/")[-1] for i in ids if "paper/" in i)
    assert ID + "theme-scheme" not in ids
    assert all(edge.source in ids and edge.target in ids for edge in view.edges)


def test_full_view_carries_aliases_quotes_and_recurrence(small: Graph) -> None:
    nodes = _by_label(full_view(small))
    assert nodes["Acme"].aliases == ("ACME Holdings", "Acme Corp")  # the label itself is not repeated
    berlin = nodes["Berlin"]
    assert berlin.recurrence == 2
    assert [(q.paper_title, q.text) for q in berlin.quotes] == [
        ("Paper one: <b>bold</b> plans", "Berlin <img src=x onerror=alert(1)> grows"),
        ("Paper two", "Factories in Berlin."),
    ]
    assert berlin.quotes[0].start == 0 and berlin.quotes[0].end == 39
    # A theme shows the sentences that put papers on it, from its weighted assignments.
    assert [q.text for q in nodes["smart manufacturing"].quotes] == ["Berlin <img src=x onerror=alert(1)> grows"]
    assert nodes["talent & workforce"].quotes == ()


def test_full_view_edges_are_named_and_weighted_by_mention_counts(small: Graph) -> None:
    view = full_view(small)
    label = {node.id: node.label for node in view.nodes}
    edges = {(label[e.source], e.relation, label[e.target]): e.weight for e in view.edges}
    assert edges[("Paper one: <b>bold</b> plans", "mentions", "Berlin")] == 3
    assert edges[("Paper two", "mentions", "Berlin")] == 1
    assert ("Paper one: <b>bold</b> plans", "contributed by", "Acme") in edges
    assert ("Acme", "recommends", "Fund training for small firms") in edges
    assert ("Made in X 2030", "targets", "Berlin") in edges


def test_themes_view_weights_come_from_assignments_then_counts(small: Graph) -> None:
    view = themes_view(small)
    assert sorted(node.label for node in view.nodes) == ["Acme", "Globex", "smart manufacturing", "talent & workforce"]
    label = {node.id: node.label for node in view.nodes}
    weights = {(label[e.source], label[e.target]): e.weight for e in view.edges}
    assert weights == {
        ("Acme", "smart manufacturing"): 2.5,  # the assignment's pkg:weight
        ("Acme", "talent & workforce"): 1.0,  # no paper theme: one recommendation addresses it
        ("Globex", "smart manufacturing"): 1.0,  # pkg:hasTheme without a weight
        ("Globex", "talent & workforce"): 1.5,
    }


# ------------------------------------------------------------------------------------ projection


def test_measure_sizes_by_degree_and_is_deterministic(small: Graph) -> None:
    first, second = measure(full_view(small)), measure(full_view(small))
    assert first == second
    nodes = _by_label(first)
    assert nodes["Paper one: <b>bold</b> plans"].degree == 8  # volume, contributor, author, 3 mentions, theme, statement
    assert all(MIN_SIZE <= node.size <= MAX_SIZE for node in first.nodes)
    hub = max(first.nodes, key=lambda n: n.degree)
    assert hub.size == MAX_SIZE
    assert nodes["Berlin"].size > nodes["Globex"].size
    assert all(node.x is not None and node.y is not None for node in first.nodes)
    assert len({(node.x, node.y) for node in first.nodes}) == len(first.nodes)


def test_themes_sit_inside_the_ring_of_contributors(small: Graph) -> None:
    view = measure(themes_view(small))
    radius = {node.label: math.hypot(node.x, node.y) for node in view.nodes}
    assert max(radius["smart manufacturing"], radius["talent & workforce"]) < min(radius["Acme"], radius["Globex"])


def test_find_node_by_alias_and_suggest_when_missing(small: Graph) -> None:
    view = measure(full_view(small))
    assert find_node(view, "acme corp", ("Company",)).label == "Acme"
    assert find_node(view, "made in x", ("Policy",)).label == "Made in X 2030"
    with pytest.raises(NodeNotFound, match="did you mean 'Globex'"):
        find_node(view, "Globx", ("Company", "Organization"))


def test_neighbourhood_of_a_company(small: Graph) -> None:
    view = make_view(small, "company", "acme holdings")
    assert sorted(node.label for node in view.nodes) == sorted(
        ["Acme", "Paper one: <b>bold</b> plans", "Jane Doe", "Fund training for small firms"]
    )
    assert view.title == "Acme and its neighbours"
    assert {edge.relation for edge in view.edges} == {"contributed by", "affiliation", "recommends", "authored by", "stated in"}
    policy = make_view(small, "policy", "Made in X 2030")
    assert {node.label for node in policy.nodes} == {
        "Made in X 2030", "Paper one: <b>bold</b> plans", "Berlin", "Fund training for small firms"
    }
    whole = measure(full_view(small))
    assert neighbourhood(whole, find_node(whole, "Berlin", ("Place",)), 0).nodes[0].label == "Berlin"


# ------------------------------------------------------------------------------------ the page


class _Page(HTMLParser):
    """Collects the elements of a page: tag names, attributes and the text of each script."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None
        self._text: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script, self._text = dict(attrs), []
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script is not None:
            self.scripts.append((self._in_script, "".join(self._text)))
            self._in_script = None
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self._text.append(data)
        if self._in_title:
            self.title += data


def _hostile_view() -> GraphView:
    quotes = tuple(Quote("p-01", f"Paper {text}", f"He said {text}.", i, i + 10) for i, text in enumerate(HOSTILE))
    nodes = [
        ViewNode(f"{ID}org/n{i}", "Organization", text, aliases=(text + " alias",), quotes=quotes)
        for i, text in enumerate(HOSTILE)
    ]
    edges = [ViewEdge(nodes[0].id, node.id, HOSTILE[1]) for node in nodes[1:]]
    return measure(GraphView("full", "Graph of " + HOSTILE[1] + HOSTILE[0], nodes, edges))


def _page_data(page: _Page) -> dict:
    blocks = [text for attrs, text in page.scripts if attrs.get("type") == "application/json"]
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.mark.parametrize("text", HOSTILE)
def test_script_json_is_inert_in_a_script_element(text: str) -> None:
    encoded = script_json({"label": text, "list": [text]})
    assert not set(encoded) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(encoded) == {"label": text, "list": [text]}


def test_document_text_never_becomes_markup() -> None:
    view = _hostile_view()
    html = render_html(view)
    page = _Page()
    page.feed(html)
    # Only the page's own elements: no element came out of a label, alias, quote or title.
    tags = {tag for tag, _ in page.tags}
    assert "img" not in tags and "b" not in tags
    assert [attrs.get("type") for attrs, _ in page.scripts] == ["application/json", None, None]
    assert page.title == view.title  # shown as text, entity-escaped in the markup
    assert "<img src=x" not in html
    data = _page_data(page)
    assert {d["label"] for d in data["details"].values()} == set(HOSTILE)
    quote_texts = {q["text"] for d in data["details"].values() for q in d["quotes"]}
    assert quote_texts == {f"He said {text}." for text in HOSTILE}
    assert {edge["label"] for edge in data["edges"]} == {HOSTILE[1]}
    # Tooltips are plain strings, which vis-network shows as text.
    assert all(isinstance(node["title"], str) for node in data["nodes"])


def test_page_loads_nothing_from_anywhere() -> None:
    html = render_html(_hostile_view())
    page = _Page()
    page.feed(html)
    for tag, attrs in page.tags:
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)
        assert tag not in ("link", "iframe", "object", "embed", "img")
    csp = next(attrs["content"] for tag, attrs in page.tags if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    # Each executable script is allowed by its hash, and nothing else is.
    allowed = set(re.findall(r"'sha256-([^']+)'", csp))
    executable = [text for attrs, text in page.scripts if attrs.get("type") != "application/json"]
    assert allowed == {base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() for text in executable}


def test_page_is_deterministic_and_styles_each_class(small: Graph) -> None:
    view = make_view(small, "full")
    html = render_html(view)
    assert html == render_html(make_view(small, "full"))
    page = _Page()
    page.feed(html)
    data = _page_data(page)
    assert len(data["nodes"]) == len(view.nodes) and len(data["edges"]) == len(view.edges)
    kinds = {kind["name"]: kind for kind in data["kinds"]}
    assert kinds["Theme"]["count"] == 2 and kinds["Company"]["count"] == 2
    styles = {(kind["color"], kind["shape"]) for kind in data["kinds"]}
    assert len(styles) == len(data["kinds"])  # each class drawn differently
    for node in data["nodes"]:
        assert (node["color"], node["shape"]) == (kinds[node["kind"]]["color"], kinds[node["kind"]]["shape"])
    assert data["options"]["physics"]["stabilization"]["enabled"] is True


# ------------------------------------------------------------------------------------ command line


def test_viz_command_writes_both_pages(tmp_path: Path) -> None:
    (tmp_path / "graph.ttl").write_bytes(SMALL.read_bytes())
    result = CliRunner().invoke(main, ["viz", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "graph.html").stat().st_size > 100_000
    assert (tmp_path / "themes.html").exists()
    assert "12 nodes" in result.stdout and "4 nodes" in result.stdout


def test_viz_command_focus_and_errors(tmp_path: Path) -> None:
    (tmp_path / "graph.ttl").write_bytes(SMALL.read_bytes())
    runner = CliRunner()
    out = tmp_path / "pages" / "acme.html"
    ok = runner.invoke(main, ["viz", "--dir", str(tmp_path), "--view", "company", "acme corp", "--out", str(out)])
    assert ok.exit_code == 0, ok.stderr
    assert out.exists()
    missing = runner.invoke(main, ["viz", "--dir", str(tmp_path), "--view", "company", "Initech"])
    assert missing.exit_code == 1
    assert missing.stderr.count("\n") == 1 and "graph.ttl" in missing.stderr and "Initech" in missing.stderr
    no_name = runner.invoke(main, ["viz", "--dir", str(tmp_path), "--view", "policy"])
    assert no_name.exit_code == 2 and "NAME" in no_name.stderr
    no_graph = runner.invoke(main, ["viz", "--dir", str(tmp_path / "nowhere")])
    assert no_graph.exit_code == 1 and "graph.ttl" in no_graph.stderr
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "graph.ttl").write_text("<a> <b> this is not turtle", encoding="utf-8")
    broken = runner.invoke(main, ["viz", "--dir", str(tmp_path / "broken")])
    assert broken.exit_code == 1 and broken.stderr.count("\n") == 1
    assert broken.stderr.startswith(f"error: {tmp_path / 'broken' / 'graph.ttl'}: cannot read graph")
