"""The interactive graph explorer: one self-contained HTML page per view, drawn by vis-network through pyvis.

The page works offline and from the file system: vis-network's script and style (shipped inside the
pyvis package) are inlined, nothing is loaded from elsewhere, and a Content-Security-Policy forbids
any request and any script but the page's own two. pyvis's own template is not used, because it loads
Bootstrap from a CDN and turns node titles into live HTML. Document text never becomes markup here:
labels, aliases and quotes travel in a JSON data block and the page shows them with ``textContent``.
"""
from __future__ import annotations

import base64
import hashlib
import json
from importlib import resources
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup  # jinja2's own dependency: marks text already safe to insert
from pyvis.network import Network

from ..atomic import write_atomic
from ..model import GraphView, ViewNode

TEMPLATES = Path(__file__).parent / "templates"
VIS_VERSION = "vis-9.1.2"

# How each class is drawn: (colour, vis-network shape). Classes not listed get the fallback.
CLASS_STYLES: dict[str, tuple[str, str]] = {
    "Company": ("#d62728", "diamond"),
    "Organization": ("#ff9f40", "dot"),
    "Person": ("#9467bd", "star"),
    "Policy": ("#2ca02c", "square"),
    "Recommendation": ("#17becf", "triangle"),
    "Commitment": ("#7fdbe6", "triangleDown"),
    "Theme": ("#e6b800", "hexagon"),
    "Place": ("#1f77b4", "dot"),
    "Technology": ("#8c564b", "square"),
    "Industry": ("#e377c2", "triangle"),
    "Target": ("#bcbd22", "diamond"),
    "Paper": ("#555555", "square"),
    "Volume": ("#111111", "square"),
    # Results of the cross-contributor analysis written back into the graph.
    "CandidateTheme": ("#f5d76e", "dot"),
    "ConsensusGroup": ("#0b6e4f", "hexagon"),
    "ContributorCluster": ("#6b4c9a", "hexagon"),
}
FALLBACK_STYLE = ("#7f7f7f", "dot")
LABEL_LIMIT = 40  # characters of a label drawn on the canvas; the side panel shows it whole
# Nodes whose label is a whole sentence: drawn without it (hover or click shows it), or they bury the graph.
SENTENCE_KINDS = frozenset({"Recommendation", "Commitment"})
SMALL_VIEW = 150  # nodes; a view this small gets every label drawn at any zoom
MIN_FONT = 12  # px at zoom 1; bigger nodes get bigger labels, which stay readable further out
# The browser polishes the starting layout for at most this long (or the stabilisation's iterations,
# whichever ends first), so a big graph on a slow machine still becomes usable quickly.
LAYOUT_BUDGET_MS = 1000

# vis-network settings. Physics runs only while the page stabilises and is then switched off, so a
# large graph stops moving and stays cheap to pan and zoom. Labels vanish when zoomed far out.
_OPTIONS: dict = {
    "autoResize": True,
    "layout": {"improvedLayout": False, "randomSeed": 7},
    "interaction": {"hover": True, "tooltipDelay": 200, "hideEdgesOnDrag": True, "navigationButtons": False},
    "nodes": {
        "font": {"size": 14, "face": "sans-serif"},
        "borderWidth": 1,
        "scaling": {"label": {"enabled": False, "drawThreshold": 8}},
    },
    "edges": {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
        "color": {"color": "#b0b0b0", "highlight": "#333333", "hover": "#666666", "inherit": False},
        "font": {"size": 9, "align": "middle", "color": "#555555", "strokeWidth": 2},
        "smooth": False,
        "scaling": {"min": 1, "max": 8, "label": {"enabled": False, "drawThreshold": 10}},
        "selectionWidth": 2,
    },
    "physics": {
        "enabled": True,
        "solver": "barnesHut",
        "barnesHut": {
            "gravitationalConstant": -6000, "centralGravity": 0.25, "springLength": 110,
            "springConstant": 0.03, "damping": 0.35, "avoidOverlap": 0.2,
        },
        "minVelocity": 1.5,
        "stabilization": {"enabled": True, "iterations": 120, "updateInterval": 10, "fit": True},
    },
}


def style_of(kind: str) -> tuple[str, str]:
    return CLASS_STYLES.get(kind, FALLBACK_STYLE)


def _short(text: str, limit: int = LABEL_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _network(view: GraphView) -> Network:
    """The view as a pyvis network: styled nodes and weighted, labelled edges."""
    net = Network(directed=True, cdn_resources="in_line", heading=view.title)
    # A small view is seen whole, zoomed out: bigger labels keep it readable.
    font_factor = 2.0 if len(view.nodes) <= SMALL_VIEW else 1.0
    for node in view.nodes:
        colour, shape = style_of(node.kind)
        extra = {"x": node.x, "y": node.y} if node.x is not None and node.y is not None else {}
        net.add_node(
            node.id, label=_short(node.label), shape=shape, color=colour,
            size=node.size or 10, font={"size": round((MIN_FONT + (node.size or 0) * 0.3) * font_factor, 1)},
            # A plain string: vis-network shows string titles as text, never as HTML.
            title=f"{node.label} ({node.kind})", kind=node.kind, **extra,
        )
    for number, edge in enumerate(view.edges):
        net.add_edge(
            edge.source, edge.target, id=f"e{number}", label=edge.relation, value=edge.weight,
            title=f"{edge.relation} ({edge.weight:g})" if edge.weight != 1 else edge.relation,
        )
    net.options = _options(view)
    return net


def _options(view: GraphView) -> dict:
    options = json.loads(json.dumps(_OPTIONS))
    if len(view.nodes) <= SMALL_VIEW:
        # Few nodes: their labels fit, so show them even when the whole graph is in view.
        options["nodes"]["scaling"]["label"]["drawThreshold"] = 3
    if view.name == "themes":
        # Laid out whole by the analysis (themes on the inner ring, contributors around them, each towards
        # its strongest themes); forces would only pile the themes on each other.
        options["physics"]["enabled"] = False
    return options


def _details(node: ViewNode) -> dict:
    return {
        "label": node.label,
        "kind": node.kind,
        "aliases": list(node.aliases),
        "recurrence": node.recurrence,
        "quotes": [{"paper": q.paper_title, "paperId": q.paper_id, "text": q.text, "start": q.start} for q in node.quotes],
    }


def page_data(view: GraphView) -> dict:
    """Everything the page draws and shows, as JSON-ready data."""
    nodes, edges, _heading, _height, _width, _options_json = _network(view).get_network_data()
    for node in nodes:
        if node["kind"] in SENTENCE_KINDS:
            del node["label"]  # (pyvis would put the id in place of an empty label)
    counts: dict[str, int] = {}
    for node in view.nodes:
        counts[node.kind] = counts.get(node.kind, 0) + 1
    kinds = [
        {"name": kind, "color": style_of(kind)[0], "shape": style_of(kind)[1], "count": counts[kind]}
        for kind in sorted(counts, key=lambda k: (list(CLASS_STYLES).index(k) if k in CLASS_STYLES else len(CLASS_STYLES), k))
    ]
    return {
        "title": view.title,
        "view": view.name,
        "kinds": kinds,
        "nodes": nodes,
        "edges": edges,
        "details": {node.id: _details(node) for node in view.nodes},
        "options": _options(view),
        "layoutBudgetMs": LAYOUT_BUDGET_MS,
    }


def script_json(data: object) -> str:
    """JSON that is inert inside an HTML <script> element: no '<', '>' or '&' can close it or open a comment."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def _vis_asset(name: str) -> str:
    return resources.files("pyvis").joinpath("templates", "lib", VIS_VERSION, name).read_text(encoding="utf-8")


def render_html(view: GraphView) -> str:
    """The explorer page of ``view``, self-contained and deterministic."""
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                              keep_trailing_newline=True)
    vis_js = _vis_asset("vis-network.min.js")
    explorer_js = (TEMPLATES / "explorer.js").read_text(encoding="utf-8")
    return environment.get_template("explorer.html").render(
        title=view.title,
        script_hashes=Markup(" ".join(_csp_hash(script) for script in (vis_js, explorer_js))),
        vis_css=Markup(_vis_asset("vis-network.css")),
        explorer_css=Markup((TEMPLATES / "explorer.css").read_text(encoding="utf-8")),
        data_json=Markup(script_json(page_data(view))),
        vis_js=Markup(vis_js),
        explorer_js=Markup(explorer_js),
    )


def write_html(view: GraphView, path: Path) -> Path:
    """Write the explorer page of ``view`` to ``path`` atomically."""
    write_atomic(path, render_html(view))
    return path
