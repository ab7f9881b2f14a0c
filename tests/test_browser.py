"""The explorer pages in a real browser: Debian's Chromium driven by Playwright, with all network access blocked.

In CI (CI=true) these tests fail when Chromium is missing; elsewhere they are skipped then.
Screenshots and the measured load times are kept under output/ for a person to look at.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCTERMS

from graph.assemble.vocab import PKG
from graph.build import BuildResult, build, load_graph
from graph.viz import write_default_pages

from .conftest import DATA

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
OUTPUT = Path(__file__).resolve().parents[1] / "output"
READY = "body[data-state=ready]"

# Every drawable node of a built graph, asked of the RDF independently of the view code: instances with a
# class and a label, except evidence and the nodes that qualify other nodes (counts, weighted assignments).
DRAWABLE = """
SELECT DISTINCT ?node WHERE {
  ?node a ?class ; rdfs:label|skos:prefLabel|dcterms:title|foaf:name ?label .
  FILTER(STRSTARTS(STR(?node), "https://w3id.org/policykg/id/"))
  FILTER NOT EXISTS { ?node a ?support . VALUES ?support { pkg:Evidence pkg:MentionCount pkg:ThemeAssignment skos:ConceptScheme } }
}
"""


def _chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    message = f"{CHROMIUM} is missing: apt-get install -y chromium"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def test_missing_chromium_fails_in_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install -y chromium"):
        _chromium()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        _chromium()


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Loaded:
    page: object
    seconds: float  # from navigation to the end of the layout, physics stopped
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def js(self, expression: str):
        return self.page.evaluate(expression)


def open_page(browser, path: Path, viewport: tuple[int, int] = (1400, 900)) -> Loaded:
    """Load a page from the file system with everything but file:// refused, and wait for its layout to finish."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    loaded = Loaded(page, 0.0)

    def route(request_route) -> None:
        url = request_route.request.url
        if url.startswith("file://"):
            request_route.continue_()
        else:
            loaded.external.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda message: loaded.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: loaded.errors.append(str(error)))
    started = time.perf_counter()
    page.goto(path.resolve().as_uri())
    page.wait_for_selector(READY, state="attached", timeout=30_000)
    loaded.seconds = time.perf_counter() - started
    return loaded


def _drawable(graph: Graph) -> set[str]:
    return {str(row[0]) for row in graph.query(DRAWABLE, initNs=_namespaces(graph))}


def _namespaces(graph: Graph) -> dict:
    return {prefix: namespace for prefix, namespace in graph.namespaces()}


def _record(name: str, values: dict) -> None:
    """Keep a measurement for the report (output/ is not committed)."""
    OUTPUT.mkdir(exist_ok=True)
    path = OUTPUT / "browser-timings.json"
    recorded = json.loads(path.read_text()) if path.exists() else {}
    recorded[name] = values
    path.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n")


def _click_node(loaded: Loaded, node_id: str) -> None:
    """Click where the node is drawn on the canvas."""
    x, y = loaded.page.evaluate(
        """id => { const n = window.policykgExplorer.network; const p = n.canvasToDOM(n.getPosition(id));
                   const box = document.getElementById('network').getBoundingClientRect();
                   return [box.left + p.x, box.top + p.y]; }""",
        node_id,
    )
    loaded.page.mouse.click(x, y)


def _wait_for_still_view(loaded: Loaded) -> None:
    """Wait until the view stops gliding (vis-network animates by frames, which come slowly on a busy machine)."""
    previous = None
    for _ in range(50):
        current = loaded.js("(() => { const n = window.policykgExplorer.network; return [n.getViewPosition(), n.getScale()]; })()")
        if current == previous:
            return
        previous = current
        loaded.page.wait_for_timeout(150)
    raise AssertionError("the view never came to rest")


# ------------------------------------------------------------------------------------ the bundled volume


@pytest.fixture(scope="module")
def bundled_pages(bundled_build: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, Path]:
    graph = load_graph(bundled_build.graph_path)
    out = tmp_path_factory.mktemp("pages")
    write_default_pages(graph, out)
    return graph, out


def test_full_view_offline_complete_and_interactive(browser, bundled_pages) -> None:
    graph, out = bundled_pages
    loaded = open_page(browser, out / "graph.html")
    print(f"\nfull view of the bundled volume interactive after {loaded.seconds:.2f} s")
    _record("graph.html", {"seconds_to_interactive": round(loaded.seconds, 2),
                           "layout_ms_in_page": loaded.js("window.policykgExplorer.stabilizedMs"),
                           "nodes": loaded.js("window.policykgExplorer.nodeCount")})
    assert loaded.external == []
    assert loaded.errors == []

    # The canvas is drawn: a good share of its pixels are not background.
    inked = loaded.js(
        """() => { const c = document.querySelector('#network canvas'); const d = c.getContext('2d')
                   .getImageData(0, 0, c.width, c.height).data; let n = 0;
                   for (let i = 0; i < d.length; i += 4) if (d[i+3] > 0 && (d[i] < 240 || d[i+1] < 240 || d[i+2] < 240)) n++;
                   return n / (c.width * c.height); }"""
    )
    assert inked > 0.01

    # Every drawable node of the graph is on the page, and nothing else.
    expected = _drawable(graph)
    assert len(expected) > 100
    assert set(loaded.js("window.policykgExplorer.network.body.data.nodes.getIds()")) == expected
    assert loaded.js("window.policykgExplorer.network.body.nodeIndices.length") == len(expected)
    # Physics has stopped.
    assert loaded.js("window.policykgExplorer.network.physics.physicsEnabled") is False

    # Search finds a node by label and centres the view on it.
    # The place with most quotes: a node every build of the volume has, with evidence to show.
    target_id, target_label = (str(value) for value in next(iter(graph.query(
        "SELECT ?s ?l WHERE { ?s a pkg:Place ; rdfs:label ?l ; pkg:evidence ?e } GROUP BY ?s ?l ORDER BY DESC(COUNT(?e)) ?s LIMIT 1",
        initNs=_namespaces(graph)))))
    loaded.page.fill("#search", target_label.lower())
    loaded.page.press("#search", "Enter")
    assert loaded.page.text_content("#search-status") == f"found: {target_label}"
    assert loaded.js("window.policykgExplorer.network.getSelectedNodes()") == [target_id]
    # The view glides to the node and comes to rest with it in the middle of what the panel leaves visible.
    _wait_for_still_view(loaded)
    offset = loaded.page.evaluate(
        """id => { const n = window.policykgExplorer.network; const p = n.canvasToDOM(n.getPosition(id));
                   const box = document.getElementById('network').getBoundingClientRect();
                   const panel = document.getElementById('panel').getBoundingClientRect();
                   return [p.x - (box.width - panel.width) / 2, p.y - box.height / 2]; }""",
        target_id,
    )
    assert math.hypot(*offset) < 5

    # A click on a node opens the panel with its class, relations and quotes with paper names. The node
    # clicked is one with quotes that nothing else covers where it is drawn in the current view.
    loaded.page.click("#panel-close")
    assert loaded.page.is_hidden("#panel")
    _wait_for_still_view(loaded)
    clicked_id = loaded.js(
        """() => { const x = window.policykgExplorer; const n = x.network; const box = n.body.container.getBoundingClientRect();
                   const data = JSON.parse(document.getElementById('graph-data').textContent).details;
                   return Object.keys(data).sort().find(id => {
                     if (!data[id].quotes.length) return false;
                     const p = n.canvasToDOM(n.getPosition(id));
                     return p.x > 20 && p.y > 20 && p.x < box.width - 20 && p.y < box.height - 20 && n.getNodeAt(p) === id; }); }"""
    )
    assert clicked_id, "no uncovered node with quotes in view"
    clicked = next(iter(graph.query("SELECT ?l ?k WHERE { ?s rdfs:label ?l ; a ?k }", initNs=_namespaces(graph),
                                    initBindings={"s": URIRef(clicked_id)})))
    _click_node(loaded, clicked_id)
    assert loaded.page.is_visible("#panel")
    assert loaded.page.text_content("#panel-label") == str(clicked[0])
    assert loaded.page.text_content("#panel-kind").split(" ")[0] in {str(k).rsplit("#", 1)[-1].rsplit("/", 1)[-1] for k in graph.objects(URIRef(clicked_id), RDF.type)}
    quotes = loaded.page.locator("#panel-quotes blockquote").all_text_contents()
    cites = set(loaded.page.locator("#panel-quotes cite").all_text_contents())
    stored = {str(q) for e in graph.objects(URIRef(clicked_id), PKG.evidence) for q in graph.objects(e, PKG.quote)}
    assert quotes and set(quotes) == stored
    paper_titles = {str(t) for t in graph.objects(None, DCTERMS.title)}
    assert cites and cites <= paper_titles
    assert loaded.page.locator("#panel-relations li").count() >= 1
    OUTPUT.mkdir(exist_ok=True)
    loaded.page.screenshot(path=str(OUTPUT / "graph.png"))

    # Filtering by class hides that class's nodes, and unticking it back shows them again.
    organisations = loaded.js("window.policykgExplorer.network.body.data.nodes.get({filter: n => n.kind === 'Organization'}).length")
    assert organisations > 0
    before = loaded.js("window.policykgExplorer.network.body.nodeIndices.length")
    loaded.page.uncheck('#legend input[data-kind="Organization"]')
    assert loaded.js("window.policykgExplorer.network.body.data.nodes.get({filter: n => n.hidden}).length") == organisations
    assert loaded.js("window.policykgExplorer.network.body.nodeIndices.length") == before - organisations
    loaded.page.check('#legend input[data-kind="Organization"]')
    assert loaded.js("window.policykgExplorer.network.body.nodeIndices.length") == before
    assert loaded.errors == [] and loaded.external == []


def test_themes_view_puts_themes_in_the_middle(browser, bundled_pages) -> None:
    graph, out = bundled_pages
    loaded = open_page(browser, out / "themes.html")
    _record("themes.html", {"seconds_to_interactive": round(loaded.seconds, 2)})
    assert loaded.external == [] and loaded.errors == []
    nodes = loaded.js(
        """() => { const n = window.policykgExplorer.network; const pos = n.getPositions();
                   return n.body.data.nodes.get().map(d => ({kind: d.kind, x: pos[d.id].x, y: pos[d.id].y})); }"""
    )
    themes = [node for node in nodes if node["kind"] == "Theme"]
    others = [node for node in nodes if node["kind"] != "Theme"]
    assert themes and others
    cx = sum(node["x"] for node in nodes) / len(nodes)
    cy = sum(node["y"] for node in nodes) / len(nodes)

    def mean_radius(group: list[dict]) -> float:
        return sum(math.hypot(node["x"] - cx, node["y"] - cy) for node in group) / len(group)

    assert mean_radius(themes) < mean_radius(others)
    widths = loaded.js("window.policykgExplorer.network.body.data.edges.get().map(e => e.value)")
    assert widths and len(set(widths)) > 1  # edge width follows the weight
    loaded.page.screenshot(path=str(OUTPUT / "themes.png"))


# ------------------------------------------------------------------------------------ a hostile paper


@pytest.fixture(scope="module")
def malicious_pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, Path]:
    out = tmp_path_factory.mktemp("malicious")
    result = build([DATA / "malicious"], out)
    assert result.corpus is not None, result.errors
    graph = load_graph(result.graph_path)
    write_default_pages(graph, out)
    return graph, out


def test_markup_in_a_paper_runs_no_script(browser, malicious_pages) -> None:
    graph, out = malicious_pages
    page_text = (out / "graph.html").read_text(encoding="utf-8")
    # The fixture's markup did reach the page's data (else this test would prove nothing) …
    assert "\\u003cscript\\u003ewindow.pwned" in page_text and "onerror=window.pwned" in page_text
    loaded = open_page(browser, out / "graph.html")
    page = loaded.page
    # … and became no element: nothing ran, nothing was injected, nothing was blocked by the CSP either.
    assert loaded.js("typeof window.pwned") == "undefined"
    assert loaded.js("document.querySelectorAll('img, svg, b').length") == 0
    assert loaded.js("document.scripts.length") == 3  # the page's own: its data, vis-network, the explorer
    assert loaded.errors == [] and loaded.external == []

    contributor = next(str(label) for label in graph.objects(None, graph.namespace_manager.expand_curie("rdfs:label"))
                       if "<script>" in str(label) and "Corporation" in str(label))
    page.fill("#search", contributor)
    page.press("#search", "Enter")
    assert page.text_content("#panel-label") == contributor
    # Open every node's panel, which shows all labels, aliases, relations and quotes of the page.
    shown = []
    for node_id in loaded.js("window.policykgExplorer.network.body.data.nodes.getIds()"):
        page.evaluate("id => window.policykgExplorer.showNode(id)", node_id)
        shown.append(page.text_content("#panel"))
    assert any("<img src=x onerror=window.pwned=4>" in text for text in shown)
    page.hover("#network")
    assert loaded.js("typeof window.pwned") == "undefined"
    assert loaded.js("document.querySelectorAll('img, svg, b').length") == 0
    assert loaded.errors == []
    page.screenshot(path=str(OUTPUT / "malicious.png"))
    shutil.copy(out / "graph.html", OUTPUT / "malicious.html")
